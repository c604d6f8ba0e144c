//! Neither side of the sound path allocates in steady state: not the frame loop
//! handing over head poses, nor the mixer rendering blocks. Counted by a wrapping
//! allocator; this file holds one test, so no other test's allocations are counted.

use glam::{Quat, Vec3};
use roomwave::app::{SessionReport, Shown};
use roomwave::audio::{Audio, AudioConfig};
use roomwave::catalog::{CatalogLimits, default_catalog};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The embedded catalog, parsed (its models are not needed for sound).
fn catalog() -> roomwave::catalog::Catalog {
    default_catalog(&CatalogLimits::default()).expect("the default catalog is valid")
}

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged, only counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn steady_frames_and_mixing_do_not_allocate() {
    let (mut audio, mut source) =
        Audio::offline(&AudioConfig::default(), catalog().soundscape(), 24_000);
    let mut report = SessionReport::default();
    let mut t = 0.0;
    let mut step = |audio: &mut Audio, report: &mut SessionReport, t: &mut f64| {
        *t += 1.0 / 90.0;
        let head = (
            Vec3::new(t.sin() as f32, 1.6, 0.0),
            Quat::from_rotation_y(*t as f32),
        );
        audio.frame(&[], Shown::Option(3), Some(head), *t, report);
        // One frame's worth of samples at 24 kHz stereo, as the device would take them.
        for _ in 0..534 {
            std::hint::black_box(source.next());
        }
    };
    // The first frames start the ambience (a report entry) and fill the pending lists.
    for _ in 0..200 {
        step(&mut audio, &mut report, &mut t);
    }
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..900 {
        step(&mut audio, &mut report, &mut t);
    }
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    assert_eq!(
        allocations, 0,
        "10 s of frames and mixing allocated {allocations} times"
    );
    assert_eq!(audio.dropped_messages(), 0);
}

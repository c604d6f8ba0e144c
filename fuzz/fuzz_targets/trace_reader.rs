//! The hand-trace reader over arbitrary bytes: every line is read to the end or to the
//! first error, and an error must name a line that exists.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roomwave::gesture::trace::{TraceLimits, TraceReader};

fuzz_target!(|data: &[u8]| {
    let limits = TraceLimits::default();
    let lines = data.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let mut reader = match TraceReader::with_limits(data, &limits) {
        Ok(r) => r,
        Err(e) => {
            assert!(e.line <= lines, "error on line {} of {lines}", e.line);
            return;
        }
    };
    let mut frames = 0u64;
    for frame in &mut reader {
        match frame {
            Ok(f) => {
                assert!(f.t.is_finite());
                assert!(f.head.position.is_finite() && f.head.orientation.is_normalized());
                frames += 1;
            }
            Err(e) => assert!(e.line >= 2 && e.line <= lines, "error on line {}", e.line),
        }
    }
    assert!(frames < lines);
});

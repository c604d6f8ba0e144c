//! What one remote-driver packet costs the hand feeder: sampling the visitor plan
//! (three trajectory evaluations per hand, for the velocities) and encoding 376 bytes.
//! The feeder sends 250 a second, so the budget is far below its 4 ms period.
//!
//! Run: `cargo bench --bench visitor_packet`.

use criterion::{Criterion, criterion_group, criterion_main};
use roomwave::sim::remote::PACKET_SIZE;
use roomwave::sim::visitor::VisitorPlan;
use std::hint::black_box;

fn packet(c: &mut Criterion) {
    let plan = VisitorPlan::parse(
        "rest:3,wave:2,rest:3,fist-sweep:2,rest:4,swipe-left:0.6,rest:4",
        30.0,
    )
    .expect("valid script");
    let mut buf = [0u8; PACKET_SIZE];
    let mut t = 0.0;
    c.bench_function("visitor packet (sample + encode)", |b| {
        b.iter(|| {
            // Walk through the whole script so every segment kind is measured.
            t = (t + 0.004) % plan.total();
            plan.packet(black_box(t)).encode(&mut buf);
            black_box(&buf);
        })
    });
}

criterion_group!(benches, packet);
criterion_main!(benches);

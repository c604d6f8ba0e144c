//! Case furniture: a low sideboard with four doors, and open shelving with books.

use super::materials::{Material, metal, per_variant, wood};
use super::noise::SplitMix64;
use super::parts::{block, turned_leg};
use super::shapes::lathe;
use super::writer::{Model, Slot};
use glam::{Vec2, Vec3};

const WOOD_TILE: f32 = 0.6;

/// Low cabinet, 1.6 x 0.75 x 0.45 m: a carcass on legs with four doors and knobs.
pub fn sideboard() -> Model {
    const VARIANTS: &[&str] = &[
        "oak",
        "walnut",
        "black_ash",
        "white_lacquer",
        "teal_lacquer",
    ];
    let mut model = Model::new("sideboard", VARIANTS);
    let body = Slot::varying(per_variant(VARIANTS, wood), WOOD_TILE);
    let knobs = Slot::fixed(metal("brass"), 0.3);
    let (hw, hd, h) = (0.8, 0.225, 0.75);
    let (foot, panel) = (0.16, 0.02);
    model.add(
        &body,
        block(
            Vec3::new(-hw, h - 0.025, -hd),
            Vec3::new(hw, h, hd),
            0.004,
            2,
        ),
    );
    for x in [-hw, hw - panel] {
        model.add(
            &body,
            block(
                Vec3::new(x, foot, -hd),
                Vec3::new(x + panel, h - 0.025, hd - 0.002),
                0.002,
                1,
            ),
        );
    }
    model.add(
        &body,
        block(
            Vec3::new(-hw + panel, foot, -hd),
            Vec3::new(hw - panel, foot + panel, hd - 0.02),
            0.002,
            1,
        ),
    );
    model.add(
        &body,
        block(
            Vec3::new(-hw + panel, foot, -hd),
            Vec3::new(hw - panel, h - 0.025, -hd + 0.01),
            0.0,
            1,
        ),
    );
    // Four doors with 3 mm gaps, set 2 mm back from the carcass front.
    let gap = 0.003;
    let inner = hw - panel;
    let door = (2.0 * inner - 3.0 * gap) / 4.0;
    for i in 0..4 {
        let x0 = -inner + i as f32 * (door + gap);
        model.add(
            &body,
            block(
                Vec3::new(x0, foot + panel + gap, hd - 0.022),
                Vec3::new(x0 + door, h - 0.025 - gap, hd - 0.002),
                0.002,
                1,
            ),
        );
        // Knobs at the meeting stiles of each pair.
        let kx = if i % 2 == 0 {
            x0 + door - 0.04
        } else {
            x0 + 0.04
        };
        let knob = [
            Vec2::new(0.0, 0.0),
            Vec2::new(0.006, 0.0),
            Vec2::new(0.006, 0.012),
            Vec2::new(0.014, 0.018),
            Vec2::new(0.012, 0.026),
            Vec2::new(0.0, 0.027),
        ];
        let knob = lathe(&knob, 16, 40.0).transform(
            glam::Affine3A::from_translation(Vec3::new(kx, 0.48, hd - 0.002))
                * glam::Affine3A::from_rotation_x(std::f32::consts::FRAC_PI_2),
        );
        model.add(&knobs, knob);
    }
    for x in [-hw + 0.06, hw - 0.06] {
        for z in [-hd + 0.05, hd - 0.06] {
            model.add(&body, turned_leg(x, z, foot, 0.012, 0.02));
        }
    }
    model
}

/// Open shelving, 0.9 x 1.9 x 0.35 m, with rows of books and a few lying flat.
pub fn bookshelf() -> Model {
    const VARIANTS: &[&str] = &["oak", "walnut", "black_metal"];
    let mut model = Model::new("bookshelf", VARIANTS);
    let frame = Slot::varying(per_variant(VARIANTS, wood), WOOD_TILE);
    let covers: Vec<Slot> = [
        ("book_oxblood", 0x6E2320),
        ("book_navy", 0x1E2A44),
        ("book_cream", 0xE6DCC4),
        ("book_forest", 0x2F4A35),
        ("book_ochre", 0xC08A32),
        ("book_grey", 0x7A7D80),
    ]
    .iter()
    .map(|&(name, hex)| Slot::fixed(Material::plain(name, hex, 0.7), 0.2))
    .collect();
    let (hw, hd, h, t) = (0.45, 0.175, 1.9, 0.025);
    for x in [-hw, hw - t] {
        model.add(
            &frame,
            block(Vec3::new(x, 0.0, -hd), Vec3::new(x + t, h, hd), 0.003, 1),
        );
    }
    model.add(
        &frame,
        block(
            Vec3::new(-hw + t, 0.0, -hd),
            Vec3::new(hw - t, h - 0.05, -hd + 0.008),
            0.0,
            1,
        ),
    );
    let shelves = [0.05, 0.42, 0.79, 1.16, 1.53, h - t];
    for &y in &shelves {
        model.add(
            &frame,
            block(
                Vec3::new(-hw + t, y, -hd + 0.008),
                Vec3::new(hw - t, y + t, hd - 0.01),
                0.002,
                1,
            ),
        );
    }
    let mut rng = SplitMix64::new(77);
    for w in shelves.windows(2) {
        let (floor, ceiling) = (w[0] + t, w[1]);
        let mut x = -hw + t + 0.01;
        let end = hw - t - 0.01;
        // Books stand in runs with gaps; sometimes a short stack lies flat.
        while x < end - 0.05 {
            if rng.unit() < 0.12 {
                x += rng.range(0.04, 0.12);
                continue;
            }
            let cover = &covers[(rng.next_u64() % covers.len() as u64) as usize];
            if rng.unit() < 0.1 && end - x > 0.3 {
                let mut y = floor;
                let depth = rng.range(0.18, 0.24);
                for _ in 0..3 {
                    let (bw, bt) = (rng.range(0.2, 0.26), rng.range(0.025, 0.045));
                    let cover = &covers[(rng.next_u64() % covers.len() as u64) as usize];
                    model.add(
                        cover,
                        block(
                            Vec3::new(x, y, -hd + 0.02),
                            Vec3::new(x + bw, y + bt, -hd + 0.02 + depth),
                            0.0,
                            1,
                        ),
                    );
                    y += bt;
                }
                x += 0.28;
                continue;
            }
            let thick = rng.range(0.018, 0.05);
            let tall = rng.range(0.19, 0.3).min(ceiling - floor - 0.02);
            let depth = rng.range(0.15, 0.23);
            if x + thick > end {
                break;
            }
            model.add(
                cover,
                block(
                    Vec3::new(x, floor, -hd + 0.02),
                    Vec3::new(x + thick, floor + tall, -hd + 0.02 + depth),
                    0.0,
                    1,
                ),
            );
            x += thick + 0.001;
        }
    }
    model
}

//! Soft furnishings: the rug (a woven picture a few millimetres thick) and a pair of
//! curtains hanging in folds from a rod.

use super::materials::{Material, fabric, metal, per_variant, rug as rug_material};
use super::noise::{SplitMix64, value_noise};
use super::parts::block;
use super::shapes::{lathe, sheet, tube};
use super::writer::{Model, Slot};
use glam::{Vec2, Vec3};

/// Flat rug, 2.4 x 0.01 x 1.7 m; its picture covers the top once.
pub fn rug() -> Model {
    const VARIANTS: &[&str] = &[
        "natural_stripes",
        "red_kilim",
        "grey_wool",
        "jute",
        "blue_abstract",
    ];
    let mut model = Model::new("rug", VARIANTS);
    let weave = Slot::varying(per_variant(VARIANTS, rug_material), 1.0);
    let (w, d) = (2.4, 1.7);
    let mut mesh = block(
        Vec3::new(-w * 0.5, 0.0, -d * 0.5),
        Vec3::new(w * 0.5, 0.008, d * 0.5),
        0.003,
        1,
    );
    // The picture is the whole rug: u across the width, v from back (-z) to front.
    for (uv, p) in mesh.uvs.iter_mut().zip(&mesh.positions) {
        *uv = Vec2::new(p.x / w + 0.5, p.z / d + 0.5);
    }
    model.add(&weave, mesh);
    // Knotted cotton fringe on the short ends: 6 cm tassels every 2 cm.
    let fringe = Slot::fixed(Material::plain("cotton_fringe", 0xE9E1CF, 0.9), 0.1);
    let mut rng = SplitMix64::new(5);
    for side in [-1.0f32, 1.0] {
        for k in 0..84 {
            let z = -d * 0.5 + 0.02 + k as f32 * (d - 0.04) / 83.0;
            let length = 0.055 + rng.range(0.0, 0.01);
            let (x0, x1) = if side < 0.0 {
                (-w * 0.5 - length, -w * 0.5 + 0.01)
            } else {
                (w * 0.5 - 0.01, w * 0.5 + length)
            };
            model.add(
                &fringe,
                block(
                    Vec3::new(x0, 0.0, z - 0.002),
                    Vec3::new(x1, 0.003, z + 0.002),
                    0.0,
                    1,
                ),
            );
        }
    }
    model
}

/// A pair of curtain panels on a rod, 1.8 x 2.4 x 0.12 m, back at z = 0.
pub fn curtains() -> Model {
    const VARIANTS: &[&str] = &["white_linen", "green_velvet", "grey_wool"];
    let mut model = Model::new("curtains", VARIANTS);
    let cloth = Slot::varying(
        per_variant(VARIANTS, |v| super::materials::Material {
            double_sided: true,
            ..fabric(v)
        }),
        0.15,
    );
    let rod = Slot::fixed(metal("black_metal"), 0.3);
    let (w, h) = (1.8, 2.4);
    let rod_y = h - 0.03;
    let rod_z = 0.08;
    model.add(
        &rod,
        tube(
            &[
                Vec3::new(-w * 0.5 + 0.03, rod_y, rod_z),
                Vec3::new(w * 0.5 - 0.03, rod_y, rod_z),
            ],
            0.012,
            12,
        ),
    );
    for side in [-1.0f32, 1.0] {
        let finial = [
            Vec2::new(0.0, 0.0),
            Vec2::new(0.02, 0.006),
            Vec2::new(0.024, 0.02),
            Vec2::new(0.0, 0.03),
        ];
        let f = lathe(&finial, 12, 40.0).transform(
            glam::Affine3A::from_translation(Vec3::new(side * (w * 0.5 - 0.03), rod_y, rod_z))
                * glam::Affine3A::from_rotation_z(-side * std::f32::consts::FRAC_PI_2),
        );
        model.add(&rod, f);
        model.add(
            &rod,
            block(
                Vec3::new(side * 0.8 - 0.01, rod_y - 0.01, 0.0),
                Vec3::new(side * 0.8 + 0.01, rod_y + 0.01, rod_z),
                0.003,
                1,
            ),
        );
    }
    // Each panel gathers 0.85 m into folds 10 cm apart, deeper at the bottom where the
    // cloth hangs free; u runs across the panel, v up it (so the front faces +z).
    let folds = 8.5;
    for side in [-1.0f32, 1.0] {
        let (x0, x1) = if side < 0.0 {
            (-0.88, -0.03)
        } else {
            (0.03, 0.88)
        };
        // A ring round the rod at the back of every fold, where the heading is hooked.
        for k in 0..=8 {
            let x = x0 + (x1 - x0) * k as f32 / folds;
            let ring: Vec<Vec3> = (0..=16)
                .map(|i| {
                    let a = i as f32 / 16.0 * std::f32::consts::TAU;
                    Vec3::new(x, rod_y + 0.02 * a.cos(), rod_z + 0.02 * a.sin())
                })
                .collect();
            model.add(&rod, tube(&ring, 0.003, 6));
        }
        let panel = sheet(
            68,
            12,
            |u, v| {
                let x = x0 + (x1 - x0) * u;
                let y = rod_y - 0.02 - (1.0 - v) * (h - 0.05);
                // Folds are never even: their depth wanders along the panel.
                let uneven = 0.7
                    + 0.6
                        * value_noise(
                            u * folds * 1.5,
                            0.0,
                            (64, 1),
                            if side < 0.0 { 9 } else { 10 },
                        );
                let depth = (0.06 + 0.012 * (1.0 - v)) * uneven;
                let z = rod_z - (u * folds * std::f32::consts::TAU).cos() * depth * 0.5 + 0.005;
                Vec3::new(x, y, z)
            },
            |u, v| Vec2::new(u * (x1 - x0) * 1.6, v * (h - 0.05)),
        );
        model.add(&cloth, panel);
    }
    model
}

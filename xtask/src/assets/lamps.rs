//! Lamps: floor, pendant and table. Shades are thin lathed shells whose fabric glows
//! (emissive, with KHR_materials_emissive_strength) as if lit from inside.

use super::geometry::MeshData;
use super::materials::{Material, ceramic, fabric, glowing_shade, metal, per_variant};
use super::shapes::{lathe, tube};
use super::writer::{Model, Slot};
use glam::{Vec2, Vec3};

const METAL_TILE: f32 = 0.3;

/// Warm white of a 2700 K bulb through linen, as a linear emissive colour.
const GLOW: [f32; 3] = [1.0, 0.72, 0.42];

fn shade_material() -> Material {
    glowing_shade("lit_linen_shade", 0xF3EEE3, GLOW, 2.0)
}

/// A drum or cone shade: a shell `thick` thick from radius `bottom` at `y0` to radius
/// `top` at `y1`, open at both ends.
fn shade(bottom: f32, top: f32, y0: f32, y1: f32, thick: f32) -> MeshData {
    let profile = [
        Vec2::new(bottom - thick, y0),
        Vec2::new(bottom, y0),
        Vec2::new(top, y1),
        Vec2::new(top - thick, y1),
        Vec2::new(bottom - thick, y0),
    ];
    lathe(&profile, 40, 30.0)
}

/// Floor lamp, 0.4 x 1.6 x 0.4 m: weighted disc base, slim pole, drum shade.
pub fn floor_lamp() -> Model {
    const VARIANTS: &[&str] = &["brass", "black", "white"];
    let mut model = Model::new("floor_lamp", VARIANTS);
    let body = Slot::varying(per_variant(VARIANTS, metal), METAL_TILE);
    let cloth = Slot::fixed(shade_material(), 0.15);
    let base = [
        Vec2::new(0.0, 0.0),
        Vec2::new(0.135, 0.0),
        Vec2::new(0.14, 0.006),
        Vec2::new(0.138, 0.018),
        Vec2::new(0.12, 0.026),
        Vec2::new(0.0, 0.028),
    ];
    model.add(&body, lathe(&base, 40, 35.0));
    model.add(
        &body,
        tube(
            &[Vec3::new(0.0, 0.026, 0.0), Vec3::new(0.0, 1.42, 0.0)],
            0.011,
            12,
        ),
    );
    let socket = [
        Vec2::new(0.0, 1.38),
        Vec2::new(0.02, 1.38),
        Vec2::new(0.022, 1.39),
        Vec2::new(0.022, 1.46),
        Vec2::new(0.0, 1.46),
    ];
    model.add(&body, lathe(&socket, 16, 35.0));
    // The spider: three spokes from the socket to the shade's top ring.
    for k in 0..3 {
        let a = k as f32 * std::f32::consts::TAU / 3.0;
        let (s, c) = a.sin_cos();
        model.add(
            &body,
            tube(
                &[
                    Vec3::new(0.02 * s, 1.45, 0.02 * c),
                    Vec3::new(0.155 * s, 1.58, 0.155 * c),
                ],
                0.003,
                6,
            ),
        );
    }
    model.add(&cloth, shade(0.2, 0.16, 1.27, 1.6, 0.004));
    model
}

/// Ceiling pendant, 0.5 x 0.8 x 0.5 m, hanging down from its mount at the origin.
pub fn pendant_lamp() -> Model {
    const VARIANTS: &[&str] = &["brass", "black", "white", "rattan"];
    let mut model = Model::new("pendant_lamp", VARIANTS);
    let hardware = Slot::fixed(metal("black"), METAL_TILE);
    let dome = Slot::varying(
        per_variant(VARIANTS, |v| {
            if v == "rattan" {
                fabric("rattan")
            } else {
                metal(v)
            }
        }),
        0.2,
    );
    let glow = Slot::fixed(
        Material {
            emissive: GLOW,
            emissive_strength: 4.0,
            ..Material::plain("bulb", 0xFFF6E8, 0.2)
        },
        1.0,
    );
    let canopy = [
        Vec2::new(0.0, -0.03),
        Vec2::new(0.05, -0.03),
        Vec2::new(0.06, -0.01),
        Vec2::new(0.06, 0.0),
        Vec2::new(0.0, 0.0),
    ];
    model.add(&hardware, lathe(&canopy, 24, 35.0));
    model.add(
        &hardware,
        tube(
            &[Vec3::new(0.0, -0.03, 0.0), Vec3::new(0.0, -0.52, 0.0)],
            0.003,
            6,
        ),
    );
    // A wide dome: 50 cm across, 26 cm tall, shell 3 mm. The lathe keeps the solid on
    // the left of the walk: out along the underside, back in along the top.
    let steps = 16;
    let along = |i: u32, offset: f32| {
        let t = i as f32 / steps as f32 * std::f32::consts::FRAC_PI_2;
        let (s, c) = t.sin_cos();
        Vec2::new(
            0.02 + 0.23 * s - offset * s,
            -0.52 - 0.26 * (1.0 - c) - offset * c,
        )
    };
    let mut walk = vec![Vec2::new(0.0, along(0, 0.003).y)];
    walk.extend((0..=steps).map(|i| along(i, 0.003)));
    walk.extend((0..=steps).rev().map(|i| along(i, 0.0)));
    walk.push(Vec2::new(0.0, along(0, 0.0).y));
    model.add(&dome, lathe(&walk, 40, 40.0));
    let bulb = [
        Vec2::new(0.0, -0.6),
        Vec2::new(0.03, -0.61),
        Vec2::new(0.045, -0.64),
        Vec2::new(0.04, -0.67),
        Vec2::new(0.0, -0.685),
    ];
    let bulb: Vec<Vec2> = bulb.iter().rev().copied().collect();
    model.add(&glow, lathe(&bulb, 20, 60.0));
    model
}

/// Table lamp, 0.3 x 0.5 x 0.3 m: a round ceramic or brass body under a drum shade.
pub fn table_lamp() -> Model {
    const VARIANTS: &[&str] = &["white_ceramic", "sage_ceramic", "brass"];
    let mut model = Model::new("table_lamp", VARIANTS);
    let body = Slot::varying(
        per_variant(
            VARIANTS,
            |v| if v == "brass" { metal(v) } else { ceramic(v) },
        ),
        0.2,
    );
    let fittings = Slot::fixed(metal("brass"), METAL_TILE);
    let cloth = Slot::fixed(shade_material(), 0.15);
    let mut vase = vec![Vec2::new(0.0, 0.0), Vec2::new(0.05, 0.0)];
    for i in 0..=12 {
        let t = i as f32 / 12.0;
        // A gourd: widest a third of the way up, narrowing to the neck.
        let r = 0.05 + 0.045 * (t * std::f32::consts::PI).sin() * (1.0 - 0.4 * t);
        vase.push(Vec2::new(r.max(0.018), 0.005 + t * 0.24));
    }
    vase.push(Vec2::new(0.0, 0.245));
    model.add(&body, lathe(&vase, 32, 50.0));
    model.add(
        &fittings,
        tube(
            &[Vec3::new(0.0, 0.24, 0.0), Vec3::new(0.0, 0.34, 0.0)],
            0.008,
            10,
        ),
    );
    model.add(&cloth, shade(0.15, 0.12, 0.3, 0.5, 0.003));
    model
}

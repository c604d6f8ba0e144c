//! Decoration: a potted plant (cut-out leaves on arching stems) and a framed picture.

use super::geometry::MeshData;
use super::materials::{Material, artwork, ceramic, leaf, per_variant, wood};
use super::noise::SplitMix64;
use super::parts::block;
use super::shapes::{lathe, sheet, tube};
use super::writer::{Model, Slot};
use glam::{Vec2, Vec3};

/// Potted plant, 0.5 x 1.2 x 0.5 m: a tapered pot and about forty leaves on arching
/// stems (a rubber-plant habit).
pub fn plant() -> Model {
    const VARIANTS: &[&str] = &["terracotta", "white_ceramic", "black_ceramic"];
    let mut model = Model::new("plant", VARIANTS);
    let pot = Slot::varying(per_variant(VARIANTS, ceramic), 0.2);
    let soil = Slot::fixed(Material::plain("soil", 0x3B2B20, 1.0), 0.2);
    let stems = Slot::fixed(Material::plain("stem", 0x4F5E2E, 0.7), 0.2);
    let leaves = Slot::fixed(leaf(), 1.0);
    // Pot: 32 cm tall, 26 cm across the foot, 34 cm at the rim, a rolled lip, 1 cm wall.
    let profile = [
        Vec2::new(0.0, 0.0),
        Vec2::new(0.125, 0.0),
        Vec2::new(0.13, 0.006),
        Vec2::new(0.16, 0.28),
        Vec2::new(0.172, 0.285),
        Vec2::new(0.172, 0.32),
        Vec2::new(0.16, 0.322),
        Vec2::new(0.152, 0.3),
        Vec2::new(0.14, 0.28),
        Vec2::new(0.0, 0.28),
    ];
    model.add(&pot, lathe(&profile, 40, 35.0));
    let soil_disc = lathe(
        &[
            Vec2::new(0.0, 0.27),
            Vec2::new(0.142, 0.27),
            Vec2::new(0.142, 0.285),
            Vec2::new(0.0, 0.292),
        ],
        24,
        30.0,
    );
    model.add(&soil, soil_disc);
    let mut rng = SplitMix64::new(2026);
    // Eight stems fanning out from the pot, each carrying leaves from a third of the
    // way up; the crown stays within the pot's 0.5 m footprint (leaves rise, not spread).
    let stem_count = 8;
    for s in 0..stem_count {
        let angle = s as f32 * std::f32::consts::TAU / stem_count as f32 + rng.range(-0.25, 0.25);
        let (sa, ca) = angle.sin_cos();
        let lean = rng.range(0.07, 0.15);
        let height = rng.range(0.7, 0.92);
        let path: Vec<Vec3> = (0..=8)
            .map(|i| {
                let t = i as f32 / 8.0;
                let out = 0.015 + lean * t * t;
                Vec3::new(sa * out, 0.28 + height * t, ca * out)
            })
            .collect();
        model.add(&stems, tube(&path, 0.005, 6));
        let count = 8;
        for k in 0..count {
            let t = 0.35 + 0.65 * k as f32 / (count - 1) as f32;
            let at = path[((t * 8.0).round() as usize).min(8)];
            let spin = angle + k as f32 * 2.4 + rng.range(-0.4, 0.4);
            let length = rng.range(0.17, 0.23) * (1.15 - 0.35 * t);
            model.add(&leaves, leaf_blade(at, spin, length, rng.range(0.35, 0.9)));
        }
    }
    model
}

/// One leaf from `base`, pointing out at `spin` radians around the stem and rising by
/// `rise` (0 flat, 1 straight up), curled across and drooping towards the tip.
fn leaf_blade(base: Vec3, spin: f32, length: f32, rise: f32) -> MeshData {
    let (s, c) = spin.sin_cos();
    let out = Vec3::new(s, 0.0, c);
    let dir = (out + Vec3::Y * rise).normalize();
    let side = Vec3::Y.cross(out).normalize();
    let width = length * 0.5;
    sheet(
        4,
        6,
        |u, v| {
            let along = 1.0 - v; // v = 0 is the tip, as in the texture
            let across = u - 0.5;
            base + dir * (length * along)
                + side * (across * width)
                + Vec3::Y * (width * 0.25 * across * across - length * 0.25 * along * along)
        },
        Vec2::new,
    )
}

/// Framed picture, 0.8 x 0.6 x 0.03 m, back at z = 0, facing +z.
pub fn wall_art() -> Model {
    const VARIANTS: &[&str] = &["warm_abstract", "cool_abstract", "botanical", "monochrome"];
    let mut model = Model::new("wall_art", VARIANTS);
    let print = Slot::varying(per_variant(VARIANTS, artwork), 1.0);
    let frame = Slot::fixed(wood("walnut"), 0.6);
    let mount = Slot::fixed(Material::plain("mount_board", 0xF4F1EA, 0.9), 0.2);
    let (hw, hh, depth, bar) = (0.4, 0.3, 0.03, 0.03);
    // Built around its centre, then stood on y = 0 like every model.
    let lift = Vec3::new(0.0, hh, 0.0);
    // Four mitred-looking bars, 3 cm wide and 3 cm deep.
    model.add(
        &frame,
        block(
            Vec3::new(-hw, hh - bar, 0.0),
            Vec3::new(hw, hh, depth),
            0.003,
            1,
        )
        .at(lift),
    );
    model.add(
        &frame,
        block(
            Vec3::new(-hw, -hh, 0.0),
            Vec3::new(hw, -hh + bar, depth),
            0.003,
            1,
        )
        .at(lift),
    );
    for x in [-hw, hw - bar] {
        model.add(
            &frame,
            block(
                Vec3::new(x, -hh + bar, 0.0),
                Vec3::new(x + bar, hh - bar, depth),
                0.003,
                1,
            )
            .at(lift),
        );
    }
    // The mount board with an opening; the print sits just behind its face.
    let (ow, oh) = (0.27, 0.19);
    let mz = depth - 0.008;
    let (ix, iy) = (hw - bar, hh - bar);
    for (min, max) in [
        (Vec3::new(-ix, oh, 0.004), Vec3::new(ix, iy, mz)),
        (Vec3::new(-ix, -iy, 0.004), Vec3::new(ix, -oh, mz)),
        (Vec3::new(-ix, -oh, 0.004), Vec3::new(-ow, oh, mz)),
        (Vec3::new(ow, -oh, 0.004), Vec3::new(ix, oh, mz)),
    ] {
        model.add(&mount, block(min, max, 0.0, 1).at(lift));
    }
    let picture = sheet(
        1,
        1,
        |u, v| Vec3::new(-ow + 2.0 * ow * u, oh - 2.0 * oh * v, mz - 0.002),
        Vec2::new,
    );
    // sheet's front is d/du x d/dv = (+x) x (-y) = -z; turn it to face the room.
    let mut picture = picture;
    for t in picture.indices.chunks_exact_mut(3) {
        t.swap(1, 2);
    }
    for n in &mut picture.normals {
        *n = Vec3::Z;
    }
    model.add(&print, picture.at(lift));
    model
}

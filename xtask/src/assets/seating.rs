//! Upholstered seating (sofa, armchair) and wooden seats (dining chair, stool).
//! Sizes follow retail furniture: seat height 44-46 cm, arm height 60-62 cm, dining
//! seat 46 cm, bar-stool 65 cm.

use super::materials::{fabric, per_variant, wood};
use super::parts::{block, tilt_x, turned_leg};
use super::shapes::{puff, rounded_box};
use super::writer::{Model, Slot};
use glam::{Vec2, Vec3};

/// The upholstery variants of the sofa and the armchair, in the catalog's order.
pub const FABRICS: &[&str] = &[
    "oat_linen",
    "teal_velvet",
    "cognac_leather",
    "ivory_boucle",
    "rust_corduroy",
    "charcoal_wool",
];

/// Fabric repeats every 15 cm: 48 threads, about 3 mm each.
const FABRIC_TILE: f32 = 0.15;
/// Wood figure repeats every 60 cm.
const WOOD_TILE: f32 = 0.6;

struct Lounge {
    width: f32,
    height: f32,
    depth: f32,
    arm_width: f32,
    arm_top: f32,
    seats: u32,
}

/// Three-seat sofa, 2.1 x 0.85 x 0.92 m.
pub fn sofa() -> Model {
    lounge(
        "sofa",
        &Lounge {
            width: 2.1,
            height: 0.85,
            depth: 0.92,
            arm_width: 0.2,
            arm_top: 0.62,
            seats: 3,
        },
    )
}

/// Lounge armchair, 0.82 x 0.8 x 0.85 m.
pub fn armchair() -> Model {
    lounge(
        "armchair",
        &Lounge {
            width: 0.82,
            height: 0.8,
            depth: 0.85,
            arm_width: 0.13,
            arm_top: 0.6,
            seats: 1,
        },
    )
}

fn cushion(min: Vec3, max: Vec3, radius: f32, bulge: Vec3) -> super::geometry::MeshData {
    let size = max - min;
    let shape = rounded_box(size, radius, 2, 3);
    puff(shape, size * 0.5, bulge).at((min + max) * 0.5)
}

fn lounge(name: &'static str, s: &Lounge) -> Model {
    let mut model = Model::new(name, FABRICS);
    let cover = Slot::varying(per_variant(FABRICS, fabric), FABRIC_TILE);
    let legs = Slot::fixed(wood("walnut"), WOOD_TILE);
    let (hw, hd) = (s.width * 0.5, s.depth * 0.5);
    let leg = 0.14;
    let back = 0.18;
    let inner = hw - s.arm_width;
    let deck_top = 0.3;
    let seat_top = if s.seats > 1 { 0.45 } else { 0.44 };
    // Frame: deck, back and arms, with the soft radii of an upholstered frame.
    model.add(
        &cover,
        block(
            Vec3::new(-inner - 0.01, leg, -hd + back * 0.5),
            Vec3::new(inner + 0.01, deck_top, hd - 0.01),
            0.03,
            2,
        ),
    );
    model.add(
        &cover,
        block(
            Vec3::new(-hw, leg, -hd),
            Vec3::new(hw, s.height - 0.14, -hd + back),
            0.05,
            3,
        ),
    );
    for side in [-1.0f32, 1.0] {
        let (x0, x1) = if side < 0.0 {
            (-hw, -inner)
        } else {
            (inner, hw)
        };
        model.add(
            &cover,
            block(
                Vec3::new(x0, leg, -hd),
                Vec3::new(x1, s.arm_top, hd),
                0.07,
                3,
            ),
        );
    }
    // Cushions: seat cushions fill the deck, back cushions lean back by 10 degrees.
    let gap = 0.006;
    let each = (2.0 * inner - gap * (s.seats as f32 - 1.0)) / s.seats as f32;
    for i in 0..s.seats {
        let x0 = -inner + i as f32 * (each + gap);
        let seat = cushion(
            Vec3::new(x0, deck_top, -hd + back),
            Vec3::new(x0 + each, seat_top - 0.02, hd - 0.01),
            0.045,
            Vec3::new(0.004, 0.02, 0.01),
        );
        model.add(&cover, seat);
        let back_cushion = cushion(
            Vec3::new(x0, seat_top - 0.03, -hd + back - 0.02),
            Vec3::new(x0 + each, s.height - 0.03, -hd + back + 0.17),
            0.06,
            Vec3::new(0.004, 0.01, 0.025),
        );
        model.add(
            &cover,
            tilt_x(back_cushion, Vec3::new(0.0, seat_top, -hd + back), -0.17),
        );
    }
    for x in [-hw + 0.07, hw - 0.07] {
        for z in [-hd + 0.07, hd - 0.07] {
            model.add(&legs, turned_leg(x, z, leg, 0.015, 0.022));
        }
    }
    model
}

/// Dining chair, 0.46 x 0.82 x 0.52 m: turned front legs, raked back posts carrying a
/// curved rail and a slat, a wooden seat.
pub fn dining_chair() -> Model {
    const VARIANTS: &[&str] = &["oak", "walnut", "black_ash", "white_lacquer"];
    let mut model = Model::new("dining_chair", VARIANTS);
    let body = Slot::varying(per_variant(VARIANTS, wood), WOOD_TILE);
    let (hw, seat, depth) = (0.23, 0.46, 0.46);
    let hd = depth * 0.5;
    model.add(
        &body,
        block(
            Vec3::new(-hw, seat - 0.03, -hd + 0.02),
            Vec3::new(hw, seat, hd),
            0.012,
            2,
        ),
    );
    for x in [-hw + 0.03, hw - 0.03] {
        model.add(&body, turned_leg(x, hd - 0.035, seat - 0.03, 0.014, 0.02));
        // Back posts: square, 3 cm, raked back by 8 degrees from the seat up.
        let post = block(
            Vec3::new(x - 0.015, 0.0, -hd + 0.02),
            Vec3::new(x + 0.015, 0.82, -hd + 0.05),
            0.006,
            1,
        );
        model.add(
            &body,
            tilt_x(post, Vec3::new(0.0, seat, -hd + 0.035), -0.14),
        );
    }
    for (y0, y1) in [(0.64, 0.68), (0.72, 0.8)] {
        let rail = block(
            Vec3::new(-hw + 0.03, y0, -hd + 0.025),
            Vec3::new(hw - 0.03, y1, -hd + 0.045),
            0.005,
            1,
        );
        model.add(
            &body,
            tilt_x(rail, Vec3::new(0.0, seat, -hd + 0.035), -0.14),
        );
    }
    // Stretchers between the legs, 15 cm up.
    for x in [-hw + 0.03, hw - 0.03] {
        model.add(
            &body,
            block(
                Vec3::new(x - 0.008, 0.14, -hd + 0.04),
                Vec3::new(x + 0.008, 0.16, hd - 0.035),
                0.004,
                1,
            ),
        );
    }
    model
}

/// Side stool, 0.37 x 0.65 x 0.37 m: a dished round seat on four splayed legs with a
/// foot ring.
pub fn stool() -> Model {
    const VARIANTS: &[&str] = &["oak", "black_metal"];
    let mut model = Model::new("stool", VARIANTS);
    let body = Slot::varying(per_variant(VARIANTS, wood), WOOD_TILE);
    let h = 0.65;
    let seat = [
        Vec2::new(0.0, h - 0.035),
        Vec2::new(0.175, h - 0.035),
        Vec2::new(0.185, h - 0.025),
        Vec2::new(0.185, h - 0.008),
        Vec2::new(0.179, h),
        Vec2::new(0.11, h - 0.004),
        Vec2::new(0.0, h - 0.01),
    ];
    model.add(
        &body,
        super::shapes::planar_uv(super::shapes::lathe(&seat, 40, 35.0)),
    );
    for k in 0..4 {
        let a = std::f32::consts::FRAC_PI_4 + k as f32 * std::f32::consts::FRAC_PI_2;
        let (s, c) = a.sin_cos();
        let top = Vec3::new(0.1 * s, h - 0.035, 0.1 * c);
        // The foot centre sits 1.8 mm up: the slanted tube end then just meets the floor.
        let foot = Vec3::new(0.175 * s, 0.0018, 0.175 * c);
        model.add(&body, super::shapes::tube(&[foot, top], 0.014, 10));
    }
    let ring: Vec<Vec3> = (0..=24)
        .map(|i| {
            let a = i as f32 / 24.0 * std::f32::consts::TAU;
            Vec3::new(0.152 * a.sin(), 0.22, 0.152 * a.cos())
        })
        .collect();
    model.add(&body, super::shapes::tube(&ring, 0.008, 8));
    model
}

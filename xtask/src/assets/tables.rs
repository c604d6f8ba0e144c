//! Tables: a low coffee table with a shelf, a round side table on a pedestal, and a
//! dining table for six. Heights: coffee 40 cm, side 55 cm, dining 75 cm.

use super::materials::{Material, per_variant, wood};
use super::parts::{block, turned_leg};
use super::shapes::{lathe, planar_uv};
use super::writer::{Model, Slot};
use glam::{Vec2, Vec3};

const WOOD_TILE: f32 = 0.6;

/// The frame under a top: the same wood as the top, or black metal under stone.
fn frame_of(top: &str) -> Material {
    match top {
        "white_marble" | "white_lacquer" => wood("black_metal"),
        other => wood(other),
    }
}

/// Low table, 1.1 x 0.4 x 0.6 m: a top on four square legs with a shelf below.
pub fn coffee_table() -> Model {
    const VARIANTS: &[&str] = &["oak", "walnut", "black_metal", "white_marble"];
    let mut model = Model::new("coffee_table", VARIANTS);
    let top = Slot::varying(per_variant(VARIANTS, wood), WOOD_TILE);
    let frame = Slot::varying(per_variant(VARIANTS, frame_of), WOOD_TILE);
    let (hw, hd, h) = (0.55, 0.3, 0.4);
    let thick = 0.032;
    model.add(
        &top,
        block(
            Vec3::new(-hw, h - thick, -hd),
            Vec3::new(hw, h, hd),
            0.008,
            2,
        ),
    );
    let inset = 0.05;
    let leg = 0.04;
    for x in [-hw + inset, hw - inset - leg] {
        for z in [-hd + inset, hd - inset - leg] {
            model.add(
                &frame,
                block(
                    Vec3::new(x, 0.0, z),
                    Vec3::new(x + leg, h - thick, z + leg),
                    0.004,
                    1,
                ),
            );
        }
    }
    // Aprons stiffen the legs under the top; the shelf sits on stretchers 12 cm up.
    let (ax, az) = (hw - inset - leg * 0.5, hd - inset - leg * 0.5);
    for z in [-az, az] {
        model.add(
            &frame,
            block(
                Vec3::new(-ax, h - thick - 0.06, z - 0.01),
                Vec3::new(ax, h - thick, z + 0.01),
                0.003,
                1,
            ),
        );
    }
    for x in [-ax, ax] {
        model.add(
            &frame,
            block(
                Vec3::new(x - 0.01, h - thick - 0.06, -az),
                Vec3::new(x + 0.01, h - thick, az),
                0.003,
                1,
            ),
        );
    }
    model.add(
        &top,
        block(Vec3::new(-ax, 0.1, -az), Vec3::new(ax, 0.12, az), 0.004, 1),
    );
    model
}

/// Round side table, 0.45 x 0.55 x 0.45 m: a disc top on a turned pedestal.
pub fn side_table() -> Model {
    const VARIANTS: &[&str] = &["oak", "walnut", "black_metal", "brass"];
    let mut model = Model::new("side_table", VARIANTS);
    let body = Slot::varying(per_variant(VARIANTS, wood), WOOD_TILE);
    let (r, h) = (0.225, 0.55);
    let top = [
        Vec2::new(0.0, h - 0.025),
        Vec2::new(r - 0.01, h - 0.025),
        Vec2::new(r, h - 0.018),
        Vec2::new(r, h - 0.006),
        Vec2::new(r - 0.006, h),
        Vec2::new(0.0, h),
    ];
    model.add(&body, planar_uv(lathe(&top, 40, 30.0)));
    let pedestal = [
        Vec2::new(0.0, 0.0),
        Vec2::new(0.16, 0.0),
        Vec2::new(0.165, 0.008),
        Vec2::new(0.16, 0.018),
        Vec2::new(0.05, 0.03),
        Vec2::new(0.03, 0.06),
        Vec2::new(0.026, 0.3),
        Vec2::new(0.032, h - 0.06),
        Vec2::new(0.07, h - 0.025),
        Vec2::new(0.0, h - 0.025),
    ];
    model.add(&body, lathe(&pedestal, 32, 50.0));
    model
}

/// Dining table for six, 1.8 x 0.75 x 0.9 m: a top on four turned legs with aprons.
pub fn dining_table() -> Model {
    const VARIANTS: &[&str] = &["oak", "walnut", "black_ash", "white_lacquer"];
    let mut model = Model::new("dining_table", VARIANTS);
    let top = Slot::varying(per_variant(VARIANTS, wood), WOOD_TILE);
    let legs = Slot::varying(
        per_variant(VARIANTS, |v| {
            if v == "white_lacquer" {
                wood("oak")
            } else {
                wood(v)
            }
        }),
        WOOD_TILE,
    );
    let (hw, hd, h) = (0.9, 0.45, 0.75);
    let thick = 0.035;
    model.add(
        &top,
        block(
            Vec3::new(-hw, h - thick, -hd),
            Vec3::new(hw, h, hd),
            0.01,
            3,
        ),
    );
    let (lx, lz) = (hw - 0.1, hd - 0.08);
    for x in [-lx, lx] {
        for z in [-lz, lz] {
            model.add(&legs, turned_leg(x, z, h - thick, 0.022, 0.032));
        }
    }
    let apron = h - thick - 0.09;
    for z in [-lz, lz] {
        model.add(
            &top,
            block(
                Vec3::new(-lx, apron, z - 0.011),
                Vec3::new(lx, h - thick, z + 0.011),
                0.003,
                1,
            ),
        );
    }
    for x in [-lx, lx] {
        model.add(
            &top,
            block(
                Vec3::new(x - 0.011, apron, -lz),
                Vec3::new(x + 0.011, h - thick, lz),
                0.003,
                1,
            ),
        );
    }
    model
}

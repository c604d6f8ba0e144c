//! Furniture modelled from primitives at real scale. Each piece is built in
//! its own frame (floor at y = 0, centred on x = z = 0, front facing +z) and
//! then placed; sizes follow common retail dimensions (seat 42-45 cm, table
//! 72-76 cm, coffee table 40 cm, shelf depth 30 cm).

use glam::{Affine3A, Quat, Vec3};

use super::SceneBuilder;
use super::material::Material;

/// What a piece of furniture is, with the sizes that vary between styles.
#[derive(Clone, Debug, PartialEq)]
pub enum FurnitureKind {
    /// A sofa `width` wide; `low` gives a floor-hugging Japanese-style frame.
    Sofa {
        /// Overall width in metres.
        width: f32,
        /// Lower seat and back, no legs showing.
        low: bool,
    },
    /// A single upholstered chair.
    Armchair,
    /// A coffee table; round when `round`.
    CoffeeTable {
        /// Width (or diameter) in metres.
        width: f32,
        /// Depth in metres (ignored when round).
        depth: f32,
        /// Round top on a pedestal instead of four legs.
        round: bool,
        /// Top height in metres (40 cm usual, 30 cm for floor seating).
        height: f32,
    },
    /// A dining table on four legs.
    DiningTable {
        /// Width in metres.
        width: f32,
        /// Depth in metres.
        depth: f32,
    },
    /// A dining chair.
    Chair,
    /// A rug lying on the floor.
    Rug {
        /// Along x, metres.
        width: f32,
        /// Along z, metres.
        depth: f32,
    },
    /// A bookcase with books.
    Shelf {
        /// Width in metres.
        width: f32,
        /// Height in metres.
        height: f32,
        /// Open metal frame instead of wooden boards.
        metal: bool,
    },
    /// A low cabinet on legs.
    Sideboard {
        /// Width in metres.
        width: f32,
    },
    /// A standing lamp with a glowing shade.
    FloorLamp {
        /// Height in metres.
        height: f32,
    },
    /// A lamp hanging from the ceiling; the item's y is the shade's bottom.
    PendantLamp {
        /// Ceiling height the cord runs up to, metres.
        ceiling: f32,
    },
    /// A potted plant.
    Plant {
        /// Overall height in metres.
        height: f32,
    },
    /// A framed picture on a wall; the item's y is its centre height.
    Artwork {
        /// Width in metres.
        width: f32,
        /// Height in metres.
        height: f32,
    },
    /// A floor cushion (zabuton-like).
    FloorCushion,
}

/// One placed piece of furniture.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// What it is.
    pub kind: FurnitureKind,
    /// Room-space position of its base centre (y = 0 for floor items).
    pub position: Vec3,
    /// Rotation about +y in degrees; 0 = its front faces +z.
    pub yaw_deg: f32,
    /// Main body (upholstery, wood).
    pub primary: Material,
    /// Frame and legs.
    pub secondary: Material,
    /// Cushions, books, leaves, lamp glow, picture.
    pub accent: Material,
}

pub(crate) fn build_item(b: &mut SceneBuilder, item: &Item) {
    let t = Affine3A::from_rotation_translation(
        Quat::from_rotation_y(item.yaw_deg.to_radians()),
        item.position,
    );
    let (p, s, a) = (&item.primary, &item.secondary, &item.accent);
    match &item.kind {
        FurnitureKind::Sofa { width, low } => sofa(b, &t, *width, 0.9, *low, p, s, a),
        FurnitureKind::Armchair => sofa(b, &t, 0.85, 0.85, false, p, s, a),
        FurnitureKind::CoffeeTable {
            width,
            depth,
            round,
            height,
        } => table(b, &t, *width, *depth, *height, *round, p, s),
        FurnitureKind::DiningTable { width, depth } => {
            table(b, &t, *width, *depth, 0.75, false, p, s)
        }
        FurnitureKind::Chair => chair(b, &t, p, s),
        FurnitureKind::Rug { width, depth } => {
            let (hw, hd) = (width * 0.5, depth * 0.5);
            b.part(p).bevelled_box(
                &t,
                Vec3::new(-hw, 0.0, -hd),
                Vec3::new(hw, 0.012, hd),
                0.004,
            );
            b.part(a).cuboid(
                &t,
                Vec3::new(-hw + 0.08, 0.012, -hd + 0.08),
                Vec3::new(hw - 0.08, 0.0125, -hd + 0.14),
            );
            b.part(a).cuboid(
                &t,
                Vec3::new(-hw + 0.08, 0.012, hd - 0.14),
                Vec3::new(hw - 0.08, 0.0125, hd - 0.08),
            );
        }
        FurnitureKind::Shelf {
            width,
            height,
            metal,
        } => shelf(b, &t, *width, *height, *metal, p, s, a),
        FurnitureKind::Sideboard { width } => sideboard(b, &t, *width, p, s, a),
        FurnitureKind::FloorLamp { height } => floor_lamp(b, &t, *height, p, a),
        FurnitureKind::PendantLamp { ceiling } => pendant(b, &t, *ceiling - item.position.y, p, a),
        FurnitureKind::Plant { height } => plant(b, &t, *height, p, a),
        FurnitureKind::Artwork { width, height } => {
            let (hw, hh) = (width * 0.5, height * 0.5);
            b.part(s).bevelled_box(
                &t,
                Vec3::new(-hw, -hh, 0.0),
                Vec3::new(hw, hh, 0.035),
                0.006,
            );
            b.part(p).cuboid(
                &t,
                Vec3::new(-hw + 0.06, -hh + 0.06, 0.03),
                Vec3::new(hw - 0.06, hh - 0.06, 0.037),
            );
            b.part(a).bevelled_box(
                &t,
                Vec3::new(-hw * 0.55, -hh * 0.45, 0.037),
                Vec3::new(hw * 0.35, hh * 0.35, 0.04),
                0.002,
            );
        }
        FurnitureKind::FloorCushion => {
            b.part(p).bevelled_box(
                &t,
                Vec3::new(-0.3, 0.0, -0.3),
                Vec3::new(0.3, 0.09, 0.3),
                0.035,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn sofa(
    b: &mut SceneBuilder,
    t: &Affine3A,
    w: f32,
    d: f32,
    low: bool,
    body: &Material,
    legs: &Material,
    cushion: &Material,
) {
    let (hw, hd) = (w * 0.5, d * 0.5);
    let leg = if low { 0.02 } else { 0.11 };
    let seat = if low { 0.36 } else { 0.44 };
    let back_top = if low { 0.66 } else { 0.84 };
    let arm_top = if low { 0.5 } else { 0.62 };
    let arm = (w * 0.09).clamp(0.1, 0.17);
    for (x, z) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
        let at = Vec3::new(x * (hw - 0.07), 0.0, z * (hd - 0.07));
        b.part(legs).cylinder(t, at, 0.018, 0.024, leg, 10);
    }
    let frame = b.part(body);
    frame.bevelled_box(
        t,
        Vec3::new(-hw, leg, -hd),
        Vec3::new(hw, seat - 0.12, hd),
        0.02,
    );
    frame.bevelled_box(
        t,
        Vec3::new(-hw, leg, -hd),
        Vec3::new(-hw + arm, arm_top, hd),
        0.04,
    );
    frame.bevelled_box(
        t,
        Vec3::new(hw - arm, leg, -hd),
        Vec3::new(hw, arm_top, hd),
        0.04,
    );
    frame.bevelled_box(
        t,
        Vec3::new(-hw + arm, seat - 0.12, -hd),
        Vec3::new(hw - arm, back_top, -hd + 0.2),
        0.05,
    );
    let inner = w - 2.0 * arm;
    let n = (inner / 0.75).round().max(1.0) as usize;
    let cw = inner / n as f32;
    for i in 0..n {
        let x0 = -hw + arm + cw * i as f32;
        frame.bevelled_box(
            t,
            Vec3::new(x0 + 0.005, seat - 0.13, -hd + 0.2),
            Vec3::new(x0 + cw - 0.005, seat, hd - 0.02),
            0.05,
        );
        frame.bevelled_box(
            t,
            Vec3::new(x0 + 0.01, seat, -hd + 0.18),
            Vec3::new(x0 + cw - 0.01, back_top - 0.04, -hd + 0.36),
            0.07,
        );
    }
    if w > 1.2 {
        let pillows = b.part(cushion);
        for side in [-1.0f32, 1.0] {
            let cx = side * (hw - arm - 0.22);
            let tilt = Affine3A::from_rotation_translation(
                Quat::from_rotation_y(side * -0.25) * Quat::from_rotation_x(-0.3),
                Vec3::new(cx, seat + 0.2, -hd + 0.42),
            );
            pillows.bevelled_box(
                &(*t * tilt),
                Vec3::new(-0.21, -0.2, -0.06),
                Vec3::new(0.21, 0.2, 0.06),
                0.05,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn table(
    b: &mut SceneBuilder,
    t: &Affine3A,
    w: f32,
    d: f32,
    h: f32,
    round: bool,
    top: &Material,
    legs: &Material,
) {
    let (hw, hd) = (w * 0.5, d * 0.5);
    let thick = 0.035;
    if round {
        b.part(top)
            .cylinder(t, Vec3::new(0.0, h - thick, 0.0), hw, hw, thick, 48);
        for k in 0..3 {
            let a = k as f32 * std::f32::consts::TAU / 3.0;
            // Lifted by the leg's radius so the tilted foot's rim stays above the floor.
            let foot = Vec3::new(a.cos(), 0.0, a.sin()) * hw * 0.55 + Vec3::Y * 0.02;
            let lean = Affine3A::from_rotation_translation(
                Quat::from_rotation_arc(
                    Vec3::Y,
                    (Vec3::new(0.0, h - thick, 0.0) - foot).normalize(),
                ),
                foot,
            );
            let length = (Vec3::new(0.0, h - thick, 0.0) - foot).length() * 0.98;
            b.part(legs)
                .cylinder(&(*t * lean), Vec3::ZERO, 0.02, 0.016, length, 10);
        }
        return;
    }
    b.part(top).bevelled_box(
        t,
        Vec3::new(-hw, h - thick, -hd),
        Vec3::new(hw, h, hd),
        0.008,
    );
    let inset = 0.06;
    for (x, z) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
        let at = Vec3::new(x * (hw - inset), 0.0, z * (hd - inset));
        b.part(legs).cylinder(t, at, 0.022, 0.028, h - thick, 12);
    }
    // Apron under the top, so the legs read as a frame.
    let apron = b.part(legs);
    apron.cuboid(
        t,
        Vec3::new(-hw + inset, h - thick - 0.06, -hd + inset - 0.01),
        Vec3::new(hw - inset, h - thick, -hd + inset + 0.01),
    );
    apron.cuboid(
        t,
        Vec3::new(-hw + inset, h - thick - 0.06, hd - inset - 0.01),
        Vec3::new(hw - inset, h - thick, hd - inset + 0.01),
    );
}

fn chair(b: &mut SceneBuilder, t: &Affine3A, seat: &Material, frame: &Material) {
    let legs = b.part(frame);
    for (x, z) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
        legs.cylinder(t, Vec3::new(x * 0.19, 0.0, z * 0.19), 0.016, 0.02, 0.43, 10);
    }
    for x in [-1.0, 1.0] {
        legs.cylinder(t, Vec3::new(x * 0.19, 0.43, -0.19), 0.016, 0.016, 0.42, 10);
    }
    legs.bevelled_box(
        t,
        Vec3::new(-0.2, 0.66, -0.215),
        Vec3::new(0.2, 0.83, -0.185),
        0.008,
    );
    b.part(seat).bevelled_box(
        t,
        Vec3::new(-0.225, 0.42, -0.225),
        Vec3::new(0.225, 0.46, 0.225),
        0.015,
    );
}

#[allow(clippy::too_many_arguments)]
fn shelf(
    b: &mut SceneBuilder,
    t: &Affine3A,
    w: f32,
    h: f32,
    metal: bool,
    boards: &Material,
    frame: &Material,
    books: &Material,
) {
    let (hw, d) = (w * 0.5, 0.32);
    let z0 = -d * 0.5;
    let side = if metal { 0.025 } else { 0.022 };
    let sides = b.part(if metal { frame } else { boards });
    if metal {
        for (x, z) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
            sides.cuboid(
                t,
                Vec3::new(
                    x * hw - side * 0.5 * (1.0 + x),
                    0.0,
                    z * d * 0.5 - side * 0.5 * (1.0 + z),
                ),
                Vec3::new(
                    x * hw + side * 0.5 * (1.0 - x),
                    h,
                    z * d * 0.5 + side * 0.5 * (1.0 - z),
                ),
            );
        }
    } else {
        sides.bevelled_box(
            t,
            Vec3::new(-hw, 0.0, z0),
            Vec3::new(-hw + side, h, -z0),
            0.003,
        );
        sides.bevelled_box(
            t,
            Vec3::new(hw - side, 0.0, z0),
            Vec3::new(hw, h, -z0),
            0.003,
        );
        sides.cuboid(
            t,
            Vec3::new(-hw + side, 0.0, z0),
            Vec3::new(hw - side, h, z0 + 0.01),
        );
    }
    let levels = ((h - 0.1) / 0.36).floor().max(1.0) as usize;
    let pitch = (h - 0.05) / levels as f32;
    for i in 0..=levels {
        let y = 0.05 + pitch * i as f32 - 0.025;
        b.part(boards).bevelled_box(
            t,
            Vec3::new(-hw + side, y, z0),
            Vec3::new(hw - side, y + 0.025, -z0),
            0.003,
        );
    }
    // Books: a deterministic run of widths, heights and leans per shelf, in
    // three bindings (accent, frame, board colours) so the rows read as books.
    let bindings = [
        books.clone(),
        frame.clone(),
        Material::srgb(0xE8E0CC, 0.8),
        boards.clone(),
    ];
    for level in 0..levels {
        let y = 0.05 + pitch * level as f32;
        let mut x = -hw + side + 0.02 + 0.08 * hash(level as u32, 7);
        let end = hw - side - 0.02 - 0.25 * hash(level as u32, 11);
        let mut k = 0u32;
        while x < end {
            let bw = 0.02 + 0.025 * hash(level as u32, k);
            let bh = (pitch - 0.06).min(0.2 + 0.1 * hash(k, level as u32 + 3));
            let bd = 0.15 + 0.06 * hash(k, 5);
            if x + bw > end {
                break;
            }
            let mut m = bindings[(k as usize + level) % bindings.len()].clone();
            // Three shades per binding: enough variety, and few materials
            // (one draw each) per shelf.
            let shade = [0.7, 0.9, 1.1][(hash(k, level as u32 + 9) * 3.0) as usize % 3];
            m.base_color = m.base_color.map(|c| (c * shade).min(1.0));
            m.roughness = 0.7;
            b.part(&m).bevelled_box(
                t,
                Vec3::new(x, y, z0 + 0.03),
                Vec3::new(x + bw, y + bh, z0 + 0.03 + bd),
                0.002,
            );
            x += bw + 0.002;
            k += 1;
            if hash(k, level as u32 + 17) > 0.82 {
                x += 0.12;
            }
        }
    }
}

fn sideboard(
    b: &mut SceneBuilder,
    t: &Affine3A,
    w: f32,
    body: &Material,
    legs: &Material,
    accent: &Material,
) {
    let (hw, hd, leg, top) = (w * 0.5, 0.22, 0.16, 0.74);
    for (x, z) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
        b.part(legs).cylinder(
            t,
            Vec3::new(x * (hw - 0.06), 0.0, z * (hd - 0.05)),
            0.015,
            0.02,
            leg,
            10,
        );
    }
    b.part(body)
        .bevelled_box(t, Vec3::new(-hw, leg, -hd), Vec3::new(hw, top, hd), 0.01);
    let doors = (w / 0.45).round().max(1.0) as usize;
    let dw = (w - 0.04) / doors as f32;
    for i in 0..doors {
        let x0 = -hw + 0.02 + dw * i as f32;
        b.part(body).bevelled_box(
            t,
            Vec3::new(x0 + 0.004, leg + 0.02, hd),
            Vec3::new(x0 + dw - 0.004, top - 0.02, hd + 0.012),
            0.004,
        );
        let kx = if i % 2 == 0 {
            x0 + dw - 0.05
        } else {
            x0 + 0.05
        };
        b.part(legs).bevelled_box(
            t,
            Vec3::new(kx - 0.008, top - 0.2, hd + 0.012),
            Vec3::new(kx + 0.008, top - 0.06, hd + 0.03),
            0.004,
        );
    }
    // A vase and a bowl on top.
    b.part(accent)
        .cylinder(t, Vec3::new(hw * 0.55, top, 0.0), 0.06, 0.04, 0.26, 20);
    b.part(accent)
        .cylinder(t, Vec3::new(-hw * 0.5, top, 0.02), 0.05, 0.13, 0.07, 24);
}

fn floor_lamp(b: &mut SceneBuilder, t: &Affine3A, h: f32, metal: &Material, glow: &Material) {
    let part = b.part(metal);
    part.cylinder(t, Vec3::ZERO, 0.16, 0.15, 0.025, 32);
    part.cylinder(t, Vec3::new(0.0, 0.025, 0.0), 0.012, 0.012, h - 0.3, 12);
    b.part(glow)
        .cylinder(t, Vec3::new(0.0, h - 0.32, 0.0), 0.22, 0.15, 0.32, 32);
}

fn pendant(b: &mut SceneBuilder, t: &Affine3A, drop: f32, shade: &Material, glow: &Material) {
    let part = b.part(shade);
    part.cylinder(
        t,
        Vec3::new(0.0, 0.2, 0.0),
        0.004,
        0.004,
        (drop - 0.2).max(0.0),
        6,
    );
    part.cylinder(t, Vec3::new(0.0, drop - 0.012, 0.0), 0.05, 0.05, 0.012, 16);
    part.cylinder(t, Vec3::new(0.0, 0.02, 0.0), 0.2, 0.035, 0.2, 32);
    b.part(glow)
        .ellipsoid(t, Vec3::new(0.0, 0.04, 0.0), Vec3::splat(0.05), 8, 12);
}

fn plant(b: &mut SceneBuilder, t: &Affine3A, h: f32, pot: &Material, leaves: &Material) {
    let r = (h * 0.14).clamp(0.1, 0.2);
    let pot_h = r * 1.6;
    b.part(pot).cylinder(t, Vec3::ZERO, r * 0.75, r, pot_h, 24);
    let soil = Material::srgb(0x3B2B20, 1.0);
    b.part(&soil).cylinder(
        t,
        Vec3::new(0.0, pot_h - 0.02, 0.0),
        r * 0.95,
        r * 0.95,
        0.01,
        24,
    );
    let stem = Material::srgb(0x5A4632, 0.8);
    b.part(&stem).cylinder(
        t,
        Vec3::new(0.0, pot_h, 0.0),
        0.012,
        0.008,
        (h - pot_h) * 0.7,
        8,
    );
    // Clumps of foliage spiralling up the stem, wider at the middle.
    let clumps = 9u32;
    let part = b.part(leaves);
    for k in 0..clumps {
        let f = k as f32 / (clumps - 1) as f32;
        let y = pot_h + (h - pot_h) * (0.25 + 0.65 * f);
        let a = k as f32 * 2.4;
        // At most about 1.9 pot radii from the stem, so a plant 0.4 m from a wall clears it.
        let spread = r * (0.4 + 0.6 * (1.0 - (2.0 * f - 1.0).abs())) * (0.8 + 0.2 * hash(k, 1));
        let centre = Vec3::new(a.cos() * spread, y, a.sin() * spread);
        let size = r * (0.6 + 0.3 * hash(k, 2)) * (1.1 - 0.4 * f);
        part.ellipsoid(t, centre, Vec3::new(size, size * 0.7, size), 6, 10);
    }
}

/// A fixed pseudo-random number in [0, 1) from two integers (a small integer hash),
/// so furniture details vary but every build of a scene is identical.
fn hash(a: u32, b: u32) -> f32 {
    let mut x = a.wrapping_mul(0x9E37_79B9) ^ b.wrapping_mul(0x85EB_CA6B).rotate_left(13);
    x ^= x >> 16;
    x = x.wrapping_mul(0x7FEB_352D);
    x ^= x >> 15;
    (x >> 8) as f32 / (1u32 << 24) as f32
}

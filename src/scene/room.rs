//! The unfurnished house shell: per room a floor, a ceiling and walls with real
//! thickness; windows (frame, sill, the sky beyond), doors (casing, leaf, handle)
//! and doorways (casings on both faces) cut through them.
//!
//! Every opening is built in its wall's frame ([`Room::wall_frame`]: x along the
//! wall, y up, z into the room, the inner face at z = 0), so one set of functions
//! serves every wall of every room.
//!
//! Known limit: two rooms side by side whose walls line up (the default house)
//! share one slab and no face twice; rooms of unequal depth leave a wall-thick
//! strip where one room's wall end meets the other's wall face in one plane.

use glam::{Affine3A, Quat, Vec3};

use super::SceneBuilder;
use super::house::{House, Opening, OpeningKind, Room, WALL_THICKNESS, Wall};
use super::material::{Finishes, Material, Pattern};

const SKIRTING_HEIGHT: f32 = 0.09;
const SKIRTING_DEPTH: f32 = 0.015;
const CASING_WIDTH: f32 = 0.07;
const CASING_DEPTH: f32 = 0.02;
/// Planes closer than this are one plane (catalog arithmetic leaves float noise).
const EPS: f32 = 1e-3;

/// An opening's rectangle in one wall's frame: x0..x1 along the wall, y0..y1.
#[derive(Clone, Copy, Debug)]
struct Hole {
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
}

pub(crate) fn build_shell(b: &mut SceneBuilder, house: &House, finishes: &Finishes) {
    let mut built: Vec<(Vec3, Vec3)> = Vec::new();
    for (i, room) in house.rooms.iter().enumerate() {
        floor_and_ceiling(b, house, i, finishes);
        for wall in Wall::ALL {
            wall_slab(b, house, i, wall, &finishes.walls, &mut built);
            skirting(b, house, i, wall, &finishes.trim);
        }
        ceiling_light(b, room);
    }
    for o in &house.openings {
        let f = house.rooms[o.room].wall_frame(o.wall);
        match o.kind {
            OpeningKind::Window => window(b, &f, o, &finishes.trim),
            OpeningKind::Door => {
                casing(b, &f, o.x0, o.x1, o.y1, &finishes.trim);
                door_leaf(b, &f, o, finishes);
            }
            OpeningKind::Doorway { .. } => {
                casing(b, &f, o.x0, o.x1, o.y1, &finishes.trim);
                // The same casing on the far face, seen from the other room.
                let back = f
                    * Affine3A::from_translation(Vec3::new(0.0, 0.0, -WALL_THICKNESS))
                    * Affine3A::from_quat(Quat::from_rotation_y(std::f32::consts::PI));
                casing(b, &back, -o.x1, -o.x0, o.y1, &finishes.trim);
            }
        }
    }
}

/// How far the floor and ceiling slabs reach past each wall's inner face: under
/// the whole wall outside, half of it where a room lies beyond (so two rooms'
/// floors meet under the middle of their wall without overlapping in a doorway).
fn reach(house: &House, room: usize, wall: Wall) -> f32 {
    if house.neighbour(room, wall).is_some() {
        WALL_THICKNESS * 0.5
    } else {
        WALL_THICKNESS
    }
}

fn floor_and_ceiling(b: &mut SceneBuilder, house: &House, i: usize, finishes: &Finishes) {
    let room = &house.rooms[i];
    let (lo, hi) = (room.min(), room.max());
    let x0 = lo.x - reach(house, i, Wall::West);
    let x1 = hi.x + reach(house, i, Wall::East);
    let z0 = lo.y - reach(house, i, Wall::North);
    let z1 = hi.y + reach(house, i, Wall::South);
    let (h, t) = (room.size.height, WALL_THICKNESS);
    let id = Affine3A::IDENTITY;
    b.part(&finishes.floor)
        .cuboid(&id, Vec3::new(x0, -t, z0), Vec3::new(x1, 0.0, z1));
    b.part(&finishes.ceiling)
        .cuboid(&id, Vec3::new(x0, h, z0), Vec3::new(x1, h + t, z1));
}

/// Every opening whose hole goes through this wall (its own, and a neighbour's
/// doorway in the same slab), in this wall's frame.
fn holes_in(house: &House, room: usize, wall: Wall) -> Vec<Hole> {
    let frame = house.rooms[room].wall_frame(wall);
    let to_local = frame.inverse();
    let normal = frame.transform_vector3(Vec3::Z);
    house
        .openings
        .iter()
        .filter_map(|o| {
            let f = house.rooms[o.room].wall_frame(o.wall);
            let origin = to_local.transform_point3(f.translation.into());
            let facing = f.transform_vector3(Vec3::Z).dot(normal);
            let same = origin.z.abs() < EPS && facing > 0.99;
            let behind = (origin.z + WALL_THICKNESS).abs() < EPS && facing < -0.99;
            if !(same || behind) {
                return None;
            }
            let a = to_local.transform_point3(f.transform_point3(Vec3::new(o.x0, 0.0, 0.0)));
            let c = to_local.transform_point3(f.transform_point3(Vec3::new(o.x1, 0.0, 0.0)));
            Some(Hole {
                x0: a.x.min(c.x),
                x1: a.x.max(c.x),
                y0: o.y0,
                y1: o.y1,
            })
        })
        .collect()
}

/// One wall as solid blocks around its holes; the blocks' inner faces are the
/// openings' reveals. The stretch another room's wall already built (the same
/// slab seen from the other side) is left out, so no two faces coincide.
fn wall_slab(
    b: &mut SceneBuilder,
    house: &House,
    room: usize,
    wall: Wall,
    material: &Material,
    built: &mut Vec<(Vec3, Vec3)>,
) {
    let r = &house.rooms[room];
    let frame = r.wall_frame(wall);
    let (t, h) = (WALL_THICKNESS, r.size.height);
    let half = r.wall_length(wall) * 0.5;
    // North and south walls run past the corners; east and west fit between them.
    let end = match wall {
        Wall::North | Wall::South => half + t,
        Wall::East | Wall::West => half,
    };
    let mut pieces = vec![(-end, end)];
    let to_local = frame.inverse();
    for (min, max) in built.iter() {
        let a = to_local.transform_point3(*min);
        let c = to_local.transform_point3(*max);
        let (z0, z1) = (a.z.min(c.z), a.z.max(c.z));
        if (z0 + t).abs() > EPS || z1.abs() > EPS {
            continue;
        }
        let (x0, x1) = (a.x.min(c.x), a.x.max(c.x));
        pieces = pieces
            .into_iter()
            .flat_map(|(p0, p1)| [(p0, p1.min(x0)), (p0.max(x1), p1)])
            .filter(|(p0, p1)| p1 - p0 > EPS)
            .collect();
    }
    let holes = holes_in(house, room, wall);
    for &(p0, p1) in &pieces {
        slab_with_holes(b, &frame, p0, p1, h, &holes, material);
        let a = frame.transform_point3(Vec3::new(p0, 0.0, -t));
        let c = frame.transform_point3(Vec3::new(p1, h, 0.0));
        built.push((a.min(c), a.max(c)));
    }
}

fn slab_with_holes(
    b: &mut SceneBuilder,
    f: &Affine3A,
    x0: f32,
    x1: f32,
    h: f32,
    holes: &[Hole],
    material: &Material,
) {
    let t = WALL_THICKNESS;
    let mut xs = vec![x0, x1];
    for o in holes {
        xs.extend([o.x0.clamp(x0, x1), o.x1.clamp(x0, x1)]);
    }
    xs.sort_by(f32::total_cmp);
    xs.dedup_by(|a, b| (*a - *b).abs() < 1e-5);
    let part = b.part(material);
    for pair in xs.windows(2) {
        let (a, c) = (pair[0], pair[1]);
        let mid = (a + c) * 0.5;
        let mut spans: Vec<(f32, f32)> = holes
            .iter()
            .filter(|o| o.x0 < mid && mid < o.x1)
            .map(|o| (o.y0, o.y1))
            .collect();
        spans.sort_by(|p, q| p.0.total_cmp(&q.0));
        let mut y = 0.0;
        for (y0, y1) in spans.into_iter().chain([(h, h)]) {
            if y0 > y {
                part.cuboid(f, Vec3::new(a, y, -t), Vec3::new(c, y0, 0.0));
            }
            y = y.max(y1);
        }
    }
}

/// Skirting along a wall's inner face, broken where people walk through it.
fn skirting(b: &mut SceneBuilder, house: &House, room: usize, wall: Wall, trim: &Material) {
    let r = &house.rooms[room];
    let f = r.wall_frame(wall);
    let half = r.wall_length(wall) * 0.5;
    let mut pieces = vec![(-half, half)];
    for o in holes_in(house, room, wall).iter().filter(|o| o.y0 <= EPS) {
        let (g0, g1) = (o.x0 - CASING_WIDTH, o.x1 + CASING_WIDTH);
        pieces = pieces
            .into_iter()
            .flat_map(|(p0, p1)| [(p0, p1.min(g0)), (p0.max(g1), p1)])
            .filter(|(p0, p1)| p1 - p0 > 0.01)
            .collect();
    }
    let part = b.part(trim);
    for (p0, p1) in pieces {
        part.bevelled_box(
            &f,
            Vec3::new(p0, 0.0, 0.0),
            Vec3::new(p1, SKIRTING_HEIGHT, SKIRTING_DEPTH),
            0.004,
        );
    }
}

/// Architrave around an opening on the face z = 0 of frame `f`, from the floor
/// (or the sill) up to `top`.
fn casing(b: &mut SceneBuilder, f: &Affine3A, x0: f32, x1: f32, top: f32, trim: &Material) {
    casing_from(b, f, x0, x1, 0.0, top, trim);
}

fn casing_from(
    b: &mut SceneBuilder,
    f: &Affine3A,
    x0: f32,
    x1: f32,
    y0: f32,
    top: f32,
    trim: &Material,
) {
    let (c, zc) = (CASING_WIDTH, CASING_DEPTH);
    let part = b.part(trim);
    part.bevelled_box(
        f,
        Vec3::new(x0 - c, y0, 0.0),
        Vec3::new(x0, top + c, zc),
        0.005,
    );
    part.bevelled_box(
        f,
        Vec3::new(x1, y0, 0.0),
        Vec3::new(x1 + c, top + c, zc),
        0.005,
    );
    part.bevelled_box(
        f,
        Vec3::new(x0, top, 0.0),
        Vec3::new(x1, top + c, zc),
        0.005,
    );
}

fn window(b: &mut SceneBuilder, f: &Affine3A, w: &Opening, trim: &Material) {
    let t = WALL_THICKNESS;
    // The view out: an emissive sky pane at the outer face of the wall.
    let sky = Material::srgb(0xFFFFFF, 1.0)
        .glowing(1.6)
        .with_pattern(Pattern::Sky);
    b.part(&sky).quad(
        f,
        [
            Vec3::new(w.x0, w.y0, -t),
            Vec3::new(w.x1, w.y0, -t),
            Vec3::new(w.x1, w.y1, -t),
            Vec3::new(w.x0, w.y1, -t),
        ],
        Vec3::Z,
    );
    // Frame and casement bars, set in the middle of the wall.
    let (z0, z1, fw) = (-t * 0.75, -t * 0.3, 0.055);
    let cx = (w.x0 + w.x1) * 0.5;
    let transom = w.y0 + w.height() * 0.7;
    let part = b.part(trim);
    for (min, max) in [
        ((w.x0, w.y0), (w.x0 + fw, w.y1)),
        ((w.x1 - fw, w.y0), (w.x1, w.y1)),
        ((w.x0, w.y1 - fw), (w.x1, w.y1)),
        ((w.x0, w.y0), (w.x1, w.y0 + fw)),
        ((cx - 0.03, w.y0), (cx + 0.03, w.y1)),
        ((w.x0, transom - 0.025), (w.x1, transom + 0.025)),
    ] {
        part.bevelled_box(
            f,
            Vec3::new(min.0, min.1, z0),
            Vec3::new(max.0, max.1, z1),
            0.006,
        );
    }
    // The sill sticks out of the wall and past the opening on both sides.
    part.bevelled_box(
        f,
        Vec3::new(w.x0 - 0.06, w.y0 - 0.035, -t * 0.75),
        Vec3::new(w.x1 + 0.06, w.y0, 0.05),
        0.008,
    );
    casing_from(b, f, w.x0, w.x1, w.y0, w.y1, trim);
}

/// The leaf, closed, set back in the opening, with two raised panels and a lever handle.
fn door_leaf(b: &mut SceneBuilder, f: &Affine3A, d: &Opening, finishes: &Finishes) {
    let (z0, z1) = (-0.07, -0.03);
    let leaf = b.part(&finishes.door);
    leaf.bevelled_box(
        f,
        Vec3::new(d.x0 + 0.003, 0.0, z0),
        Vec3::new(d.x1 - 0.003, d.y1 - 0.003, z1),
        0.004,
    );
    let (px0, px1) = (d.x0 + 0.12, d.x1 - 0.12);
    let split = d.y1 * 0.55;
    leaf.bevelled_box(
        f,
        Vec3::new(px0, 0.15, z1),
        Vec3::new(px1, split - 0.08, z1 + 0.01),
        0.008,
    );
    leaf.bevelled_box(
        f,
        Vec3::new(px0, split + 0.08, z1),
        Vec3::new(px1, d.y1 - 0.15, z1 + 0.01),
        0.008,
    );
    let brass = Material::srgb(0xB08D57, 0.3).metal();
    let handle = b.part(&brass);
    let hx = d.x1 - 0.09;
    let rose = *f
        * Affine3A::from_rotation_translation(
            Quat::from_rotation_x(std::f32::consts::FRAC_PI_2),
            Vec3::new(hx, 1.02, z1),
        );
    handle.cylinder(&rose, Vec3::ZERO, 0.028, 0.028, 0.012, 16);
    handle.cylinder(&rose, Vec3::ZERO, 0.009, 0.009, 0.06, 10);
    let lever = *f
        * Affine3A::from_rotation_translation(
            Quat::from_rotation_z(std::f32::consts::FRAC_PI_2),
            Vec3::new(hx, 1.02, z1 + 0.055),
        );
    handle.cylinder(&lever, Vec3::ZERO, 0.011, 0.011, 0.13, 10);
}

/// A flush ceiling light at the room's centre; its glow is what the lamps' light
/// seems to come from.
fn ceiling_light(b: &mut SceneBuilder, room: &Room) {
    let (c, h) = (room.centre, room.size.height);
    let t = Affine3A::from_translation(Vec3::new(c.x, h - 0.04, c.y));
    b.part(&Material::srgb(0xF3F1EC, 0.4))
        .cylinder(&t, Vec3::ZERO, 0.17, 0.19, 0.04, 32);
    let diffuser = Material::srgb(0xFFF4E0, 0.9).glowing(3.0);
    let lens = Affine3A::from_translation(Vec3::new(c.x, h - 0.046, c.y));
    b.part(&diffuser)
        .cylinder(&lens, Vec3::ZERO, 0.15, 0.15, 0.006, 32);
}

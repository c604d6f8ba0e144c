//! The unfurnished room: floor, ceiling and walls with real thickness, a
//! window (frame, sill, the sky beyond) and a door (casing, leaf, handle).

use glam::{Affine3A, Vec2, Vec3};

use super::lighting::WindowAperture;
use super::material::{Finishes, Material, Pattern};
use super::{RoomDimensions, SceneBuilder};

/// Wall, floor and ceiling thickness in metres (a plastered stud wall).
pub const WALL_THICKNESS: f32 = 0.15;
const SKIRTING_HEIGHT: f32 = 0.09;
const SKIRTING_DEPTH: f32 = 0.015;
const CASING_WIDTH: f32 = 0.07;
const CASING_DEPTH: f32 = 0.02;

/// A rectangular hole in the far wall (z = -depth / 2), in room x and y.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Opening {
    /// Left edge (x).
    pub x0: f32,
    /// Right edge (x).
    pub x1: f32,
    /// Bottom edge (y): the sill or the floor.
    pub y0: f32,
    /// Top edge (y): the lintel.
    pub y1: f32,
}

impl Opening {
    /// Width in metres.
    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }

    /// Height in metres.
    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }
}

/// Where the openings of a room are.
#[derive(Clone, Debug, PartialEq)]
pub struct RoomLayout {
    /// The room's inner size.
    pub room: RoomDimensions,
    /// The window, in the far wall.
    pub window: Opening,
    /// The door, in the far wall left of the window.
    pub door: Opening,
}

impl RoomLayout {
    /// Places a 1.5 m window (sill at 0.85 m) right of centre and a
    /// 0.9 x 2.05 m door near the left corner, shrinking both in small rooms.
    pub fn for_room(room: &RoomDimensions) -> Self {
        let half_w = room.width * 0.5;
        let window_w = (room.width * 0.3).min(1.5);
        let window_cx = room.width * 0.1;
        let lintel = (room.height - 0.35).max(room.height * 0.7);
        let door_w = (room.width * 0.2).min(0.9);
        let door_x0 = -half_w + (room.width * 0.06).min(0.3);
        RoomLayout {
            room: *room,
            window: Opening {
                x0: window_cx - window_w * 0.5,
                x1: window_cx + window_w * 0.5,
                y0: (room.height * 0.32).min(0.85),
                y1: lintel,
            },
            door: Opening {
                x0: door_x0,
                x1: door_x0 + door_w,
                y0: 0.0,
                y1: (room.height - 0.5).min(2.05),
            },
        }
    }

    /// The window as the sun sees it, on the inner face of the far wall.
    pub fn window_aperture(&self) -> WindowAperture {
        WindowAperture {
            plane_z: -self.room.depth * 0.5,
            min: Vec2::new(self.window.x0, self.window.y0),
            max: Vec2::new(self.window.x1, self.window.y1),
        }
    }
}

pub(crate) fn build_shell(
    b: &mut SceneBuilder,
    room: &RoomDimensions,
    layout: &RoomLayout,
    finishes: &Finishes,
) {
    let id = Affine3A::IDENTITY;
    let (hw, hd, h, t) = (
        room.width * 0.5,
        room.depth * 0.5,
        room.height,
        WALL_THICKNESS,
    );
    b.part(&finishes.floor).cuboid(
        &id,
        Vec3::new(-hw - t, -t, -hd - t),
        Vec3::new(hw + t, 0.0, hd + t),
    );
    b.part(&finishes.ceiling).cuboid(
        &id,
        Vec3::new(-hw - t, h, -hd - t),
        Vec3::new(hw + t, h + t, hd + t),
    );
    let walls = b.part(&finishes.walls);
    walls.cuboid(&id, Vec3::new(hw, 0.0, -hd), Vec3::new(hw + t, h, hd));
    walls.cuboid(&id, Vec3::new(-hw - t, 0.0, -hd), Vec3::new(-hw, h, hd));
    walls.cuboid(
        &id,
        Vec3::new(-hw - t, 0.0, hd),
        Vec3::new(hw + t, h, hd + t),
    );
    far_wall(b, room, &[layout.window, layout.door], &finishes.walls);
    skirting(b, room, &layout.door, &finishes.trim);
    window(b, room, &layout.window, &finishes.trim);
    door(b, room, &layout.door, finishes);
    ceiling_light(b, room);
}

/// The far wall as solid blocks around its openings; the blocks' inner faces
/// are the openings' reveals.
fn far_wall(b: &mut SceneBuilder, room: &RoomDimensions, openings: &[Opening], walls: &Material) {
    let (hw, hd, h, t) = (
        room.width * 0.5,
        room.depth * 0.5,
        room.height,
        WALL_THICKNESS,
    );
    let mut xs = vec![-hw - t, hw + t];
    for o in openings {
        xs.extend([o.x0, o.x1]);
    }
    xs.sort_by(f32::total_cmp);
    xs.dedup();
    let part = b.part(walls);
    for pair in xs.windows(2) {
        let (x0, x1) = (pair[0], pair[1]);
        let mid = (x0 + x1) * 0.5;
        let mut holes: Vec<(f32, f32)> = openings
            .iter()
            .filter(|o| o.x0 < mid && mid < o.x1)
            .map(|o| (o.y0, o.y1))
            .collect();
        holes.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut y = 0.0;
        for (y0, y1) in holes.into_iter().chain([(h, h)]) {
            if y0 > y {
                part.cuboid(
                    &Affine3A::IDENTITY,
                    Vec3::new(x0, y, -hd - t),
                    Vec3::new(x1, y0, -hd),
                );
            }
            y = y.max(y1);
        }
    }
}

fn skirting(b: &mut SceneBuilder, room: &RoomDimensions, door: &Opening, trim: &Material) {
    let id = Affine3A::IDENTITY;
    let (hw, hd) = (room.width * 0.5, room.depth * 0.5);
    let (sh, sd) = (SKIRTING_HEIGHT, SKIRTING_DEPTH);
    let part = b.part(trim);
    part.bevelled_box(
        &id,
        Vec3::new(hw - sd, 0.0, -hd),
        Vec3::new(hw, sh, hd),
        0.004,
    );
    part.bevelled_box(
        &id,
        Vec3::new(-hw, 0.0, -hd),
        Vec3::new(-hw + sd, sh, hd),
        0.004,
    );
    part.bevelled_box(
        &id,
        Vec3::new(-hw, 0.0, hd - sd),
        Vec3::new(hw, sh, hd),
        0.004,
    );
    let gap0 = door.x0 - CASING_WIDTH;
    let gap1 = door.x1 + CASING_WIDTH;
    if gap0 > -hw {
        part.bevelled_box(
            &id,
            Vec3::new(-hw, 0.0, -hd),
            Vec3::new(gap0, sh, -hd + sd),
            0.004,
        );
    }
    part.bevelled_box(
        &id,
        Vec3::new(gap1, 0.0, -hd),
        Vec3::new(hw, sh, -hd + sd),
        0.004,
    );
}

fn window(b: &mut SceneBuilder, room: &RoomDimensions, w: &Opening, trim: &Material) {
    let id = Affine3A::IDENTITY;
    let (hd, t) = (room.depth * 0.5, WALL_THICKNESS);
    // The view out: an emissive sky pane at the outer face of the wall.
    let sky = Material::srgb(0xFFFFFF, 1.0)
        .glowing(1.6)
        .with_pattern(Pattern::Sky);
    b.part(&sky).quad(
        &id,
        [
            Vec3::new(w.x0, w.y0, -hd - t),
            Vec3::new(w.x1, w.y0, -hd - t),
            Vec3::new(w.x1, w.y1, -hd - t),
            Vec3::new(w.x0, w.y1, -hd - t),
        ],
        Vec3::Z,
    );
    // Frame and casement bars, set in the middle of the wall.
    let (z0, z1, f) = (-hd - t * 0.75, -hd - t * 0.3, 0.055);
    let part = b.part(trim);
    part.bevelled_box(
        &id,
        Vec3::new(w.x0, w.y0, z0),
        Vec3::new(w.x0 + f, w.y1, z1),
        0.006,
    );
    part.bevelled_box(
        &id,
        Vec3::new(w.x1 - f, w.y0, z0),
        Vec3::new(w.x1, w.y1, z1),
        0.006,
    );
    part.bevelled_box(
        &id,
        Vec3::new(w.x0, w.y1 - f, z0),
        Vec3::new(w.x1, w.y1, z1),
        0.006,
    );
    part.bevelled_box(
        &id,
        Vec3::new(w.x0, w.y0, z0),
        Vec3::new(w.x1, w.y0 + f, z1),
        0.006,
    );
    let cx = (w.x0 + w.x1) * 0.5;
    part.bevelled_box(
        &id,
        Vec3::new(cx - 0.03, w.y0, z0),
        Vec3::new(cx + 0.03, w.y1, z1),
        0.006,
    );
    let transom = w.y0 + w.height() * 0.7;
    part.bevelled_box(
        &id,
        Vec3::new(w.x0, transom - 0.025, z0),
        Vec3::new(w.x1, transom + 0.025, z1),
        0.006,
    );
    // The sill sticks out of the wall and past the opening on both sides.
    part.bevelled_box(
        &id,
        Vec3::new(w.x0 - 0.06, w.y0 - 0.035, -hd - t * 0.75),
        Vec3::new(w.x1 + 0.06, w.y0, -hd + 0.05),
        0.008,
    );
    // Architrave around the inside of the opening above the sill.
    let c = CASING_WIDTH;
    let zc = -hd + CASING_DEPTH;
    part.bevelled_box(
        &id,
        Vec3::new(w.x0 - c, w.y0, -hd),
        Vec3::new(w.x0, w.y1 + c, zc),
        0.005,
    );
    part.bevelled_box(
        &id,
        Vec3::new(w.x1, w.y0, -hd),
        Vec3::new(w.x1 + c, w.y1 + c, zc),
        0.005,
    );
    part.bevelled_box(
        &id,
        Vec3::new(w.x0, w.y1, -hd),
        Vec3::new(w.x1, w.y1 + c, zc),
        0.005,
    );
}

fn door(b: &mut SceneBuilder, room: &RoomDimensions, d: &Opening, finishes: &Finishes) {
    let id = Affine3A::IDENTITY;
    let hd = room.depth * 0.5;
    let c = CASING_WIDTH;
    let zc = -hd + CASING_DEPTH;
    let trim = b.part(&finishes.trim);
    trim.bevelled_box(
        &id,
        Vec3::new(d.x0 - c, 0.0, -hd),
        Vec3::new(d.x0, d.y1 + c, zc),
        0.005,
    );
    trim.bevelled_box(
        &id,
        Vec3::new(d.x1, 0.0, -hd),
        Vec3::new(d.x1 + c, d.y1 + c, zc),
        0.005,
    );
    trim.bevelled_box(
        &id,
        Vec3::new(d.x0, d.y1, -hd),
        Vec3::new(d.x1, d.y1 + c, zc),
        0.005,
    );
    // The leaf, closed, set back in the opening, with two raised panels.
    let (z0, z1) = (-hd - 0.07, -hd - 0.03);
    let leaf = b.part(&finishes.door);
    leaf.bevelled_box(
        &id,
        Vec3::new(d.x0 + 0.003, 0.0, z0),
        Vec3::new(d.x1 - 0.003, d.y1 - 0.003, z1),
        0.004,
    );
    let (px0, px1) = (d.x0 + 0.12, d.x1 - 0.12);
    let split = d.y1 * 0.55;
    leaf.bevelled_box(
        &id,
        Vec3::new(px0, 0.15, z1),
        Vec3::new(px1, split - 0.08, z1 + 0.01),
        0.008,
    );
    leaf.bevelled_box(
        &id,
        Vec3::new(px0, split + 0.08, z1),
        Vec3::new(px1, d.y1 - 0.15, z1 + 0.01),
        0.008,
    );
    let brass = Material::srgb(0xB08D57, 0.3).metal();
    let handle = b.part(&brass);
    let hx = d.x1 - 0.09;
    let rose = Affine3A::from_rotation_translation(
        glam::Quat::from_rotation_x(std::f32::consts::FRAC_PI_2),
        Vec3::new(hx, 1.02, z1),
    );
    handle.cylinder(&rose, Vec3::ZERO, 0.028, 0.028, 0.012, 16);
    handle.cylinder(&rose, Vec3::new(0.0, 0.0, 0.0), 0.009, 0.009, 0.06, 10);
    let lever = Affine3A::from_rotation_translation(
        glam::Quat::from_rotation_z(std::f32::consts::FRAC_PI_2),
        Vec3::new(hx, 1.02, z1 + 0.055),
    );
    handle.cylinder(&lever, Vec3::ZERO, 0.011, 0.011, 0.13, 10);
}

/// A flush ceiling light at the centre; its glow is what the lamps' light seems to come from.
fn ceiling_light(b: &mut SceneBuilder, room: &RoomDimensions) {
    let h = room.height;
    let t = Affine3A::from_translation(Vec3::new(0.0, h - 0.04, 0.0));
    b.part(&Material::srgb(0xF3F1EC, 0.4))
        .cylinder(&t, Vec3::ZERO, 0.17, 0.19, 0.04, 32);
    let diffuser = Material::srgb(0xFFF4E0, 0.9).glowing(3.0);
    let lens = Affine3A::from_translation(Vec3::new(0.0, h - 0.046, 0.0));
    b.part(&diffuser)
        .cylinder(&lens, Vec3::ZERO, 0.15, 0.15, 0.006, 32);
}

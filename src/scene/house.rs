//! The house as plain data: rooms placed in house space, openings in their walls,
//! and where the wearer starts.
//!
//! House space: metres, y up, floor at y = 0. A room's walls stand outside its
//! interior rectangle, [`WALL_THICKNESS`] thick, so two rooms joined by a doorway
//! have interiors exactly one wall thickness apart.

use glam::{Affine3A, Quat, Vec2, Vec3};

use super::RoomDimensions;
use super::lighting::WindowAperture;

/// Wall, floor and ceiling thickness in metres (a plastered stud wall).
pub const WALL_THICKNESS: f32 = 0.15;

/// How far two planes may differ and still count as one wall (float noise from
/// catalog arithmetic such as `2.5 + 0.15`).
const SAME_PLANE: f32 = 1e-3;

/// One room: a box of interior space.
#[derive(Clone, Debug, PartialEq)]
pub struct Room {
    /// The room's name, as the catalog gives it ("living").
    pub name: String,
    /// Interior centre on the floor, house space (x, z).
    pub centre: Vec2,
    /// Interior size.
    pub size: RoomDimensions,
}

impl Room {
    /// Smallest interior corner (x, z).
    pub fn min(&self) -> Vec2 {
        self.centre - Vec2::new(self.size.width, self.size.depth) * 0.5
    }

    /// Largest interior corner (x, z).
    pub fn max(&self) -> Vec2 {
        self.centre + Vec2::new(self.size.width, self.size.depth) * 0.5
    }

    /// Whether the floor point (x, z) is inside the interior, `margin` metres from the walls.
    pub fn contains(&self, p: Vec2, margin: f32) -> bool {
        let (lo, hi) = (self.min() + margin, self.max() - margin);
        p.x >= lo.x && p.x <= hi.x && p.y >= lo.y && p.y <= hi.y
    }

    /// The frame of one wall's inner face: local x runs along the wall (to the
    /// right as seen from inside), y up, z into the room; the origin is the face's
    /// middle at floor level.
    pub fn wall_frame(&self, wall: Wall) -> Affine3A {
        let (hw, hd) = (self.size.width * 0.5, self.size.depth * 0.5);
        let c = self.centre;
        let (yaw, origin) = match wall {
            Wall::North => (0.0, Vec3::new(c.x, 0.0, c.y - hd)),
            Wall::South => (std::f32::consts::PI, Vec3::new(c.x, 0.0, c.y + hd)),
            Wall::East => (-std::f32::consts::FRAC_PI_2, Vec3::new(c.x + hw, 0.0, c.y)),
            Wall::West => (std::f32::consts::FRAC_PI_2, Vec3::new(c.x - hw, 0.0, c.y)),
        };
        Affine3A::from_rotation_translation(Quat::from_rotation_y(yaw), origin)
    }

    /// Interior length of a wall (along its face).
    pub fn wall_length(&self, wall: Wall) -> f32 {
        match wall {
            Wall::North | Wall::South => self.size.width,
            Wall::East | Wall::West => self.size.depth,
        }
    }
}

/// The four walls of a room, named by the direction they face from the inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wall {
    /// The wall at the room's smallest z (the start room's window wall).
    North,
    /// The wall at the largest z.
    South,
    /// The wall at the largest x.
    East,
    /// The wall at the smallest x.
    West,
}

impl Wall {
    /// All four, in building order.
    pub const ALL: [Wall; 4] = [Wall::North, Wall::South, Wall::East, Wall::West];

    /// The wall facing this one across a room.
    pub fn opposite(self) -> Wall {
        match self {
            Wall::North => Wall::South,
            Wall::South => Wall::North,
            Wall::East => Wall::West,
            Wall::West => Wall::East,
        }
    }
}

/// What fills an opening.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpeningKind {
    /// Glazing with a frame and a sill, the sky beyond.
    Window,
    /// A door leaf, closed, with a handle.
    Door,
    /// An open passage to room `to` (an index into [`House::rooms`]).
    Doorway {
        /// The room on the other side.
        to: usize,
    },
}

/// A rectangular hole in one wall of one room.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Opening {
    /// What fills it.
    pub kind: OpeningKind,
    /// The room whose wall it is in (index into [`House::rooms`]).
    pub room: usize,
    /// Which wall.
    pub wall: Wall,
    /// Left edge along the wall, metres from the wall's middle (seen from inside).
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Bottom edge (the sill, or 0 for doors).
    pub y0: f32,
    /// Top edge (the lintel).
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

    /// Whether people walk through it (its bottom is the floor).
    pub fn at_floor(&self) -> bool {
        self.y0 <= 1e-3
    }
}

/// Where the wearer starts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Start {
    /// The room (index into [`House::rooms`]).
    pub room: usize,
    /// Floor position in house space (x, z).
    pub position: Vec2,
    /// Heading in degrees: 0 looks along -z, 90 along -x.
    pub yaw_deg: f32,
}

/// A house: rooms, the openings in their walls, and the start.
#[derive(Clone, Debug, PartialEq)]
pub struct House {
    /// The rooms.
    pub rooms: Vec<Room>,
    /// Windows, doors and doorways.
    pub openings: Vec<Opening>,
    /// Where the wearer starts.
    pub start: Start,
}

impl House {
    /// The room the wearer starts in (the one centred in the play area).
    pub fn start_room(&self) -> &Room {
        &self.rooms[self.start.room]
    }

    /// The room whose interior contains the floor point (x, z).
    pub fn room_at(&self, p: Vec2) -> Option<usize> {
        self.rooms.iter().position(|r| r.contains(p, 0.0))
    }

    /// The room across `wall` of room `room` (its interior one wall thickness
    /// beyond), if any, and the stretch of the wall they share, in the wall's
    /// local x.
    pub fn neighbour(&self, room: usize, wall: Wall) -> Option<(usize, f32, f32)> {
        let r = &self.rooms[room];
        let frame = r.wall_frame(wall);
        self.rooms.iter().enumerate().find_map(|(i, other)| {
            if i == room {
                return None;
            }
            let o = other.wall_frame(wall.opposite());
            // The other room's facing wall must lie one thickness behind this face.
            let behind = frame.inverse().transform_point3(o.translation.into());
            if (behind.z + WALL_THICKNESS).abs() > SAME_PLANE {
                return None;
            }
            let half = other.wall_length(wall.opposite()) * 0.5;
            let (a, b) = (behind.x - half, behind.x + half);
            let half_own = r.wall_length(wall) * 0.5;
            let (lo, hi) = (a.max(-half_own), b.min(half_own));
            (hi - lo > SAME_PLANE).then_some((i, lo, hi))
        })
    }

    /// The start room's first window in a north wall, where the renderer lets the sun in.
    pub fn sun_window(&self) -> Option<(&Room, &Opening)> {
        self.openings
            .iter()
            .find(|o| {
                o.room == self.start.room
                    && o.wall == Wall::North
                    && matches!(o.kind, OpeningKind::Window)
            })
            .map(|o| (&self.rooms[o.room], o))
    }

    /// The window the sun shines through, as the renderer's aperture: the inner
    /// face of the start room's first north window.
    pub fn sun_aperture(&self) -> Option<WindowAperture> {
        let (room, o) = self.sun_window()?;
        let f = room.wall_frame(Wall::North);
        let a = f.transform_point3(Vec3::new(o.x0, o.y0, 0.0));
        let b = f.transform_point3(Vec3::new(o.x1, o.y1, 0.0));
        Some(WindowAperture {
            plane_z: a.z,
            min: Vec2::new(a.x.min(b.x), a.y),
            max: Vec2::new(a.x.max(b.x), b.y),
        })
    }

    /// One room of `size` with a 1.5 m window right of centre and a door near the
    /// left corner of its north wall (session 1's room); for shells without a catalog.
    pub fn single_room(size: RoomDimensions) -> House {
        let (hw, h) = (size.width * 0.5, size.height);
        let window_w = (size.width * 0.3).min(1.5);
        let window_cx = size.width * 0.1;
        let lintel = (h - 0.35).max(h * 0.7);
        let door_w = (size.width * 0.2).min(0.9);
        let door_x0 = -hw + (size.width * 0.06).min(0.3);
        House {
            rooms: vec![Room {
                name: "room".into(),
                centre: Vec2::ZERO,
                size,
            }],
            openings: vec![
                Opening {
                    kind: OpeningKind::Window,
                    room: 0,
                    wall: Wall::North,
                    x0: window_cx - window_w * 0.5,
                    x1: window_cx + window_w * 0.5,
                    y0: (h * 0.32).min(0.85),
                    y1: lintel,
                },
                Opening {
                    kind: OpeningKind::Door,
                    room: 0,
                    wall: Wall::North,
                    x0: door_x0,
                    x1: door_x0 + door_w,
                    y0: 0.0,
                    y1: (h - 0.5).min(2.05),
                },
            ],
            start: Start {
                room: 0,
                position: Vec2::ZERO,
                yaw_deg: 0.0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_rooms() -> House {
        let living = Room {
            name: "living".into(),
            centre: Vec2::ZERO,
            size: RoomDimensions {
                width: 5.0,
                depth: 4.0,
                height: 2.7,
            },
        };
        let dining = Room {
            name: "dining".into(),
            centre: Vec2::new(2.5 + WALL_THICKNESS + 2.0, 0.5),
            size: RoomDimensions {
                width: 4.0,
                depth: 5.0,
                height: 2.7,
            },
        };
        House {
            rooms: vec![living, dining],
            openings: vec![],
            start: Start {
                room: 0,
                position: Vec2::ZERO,
                yaw_deg: 0.0,
            },
        }
    }

    #[test]
    fn wall_frames_face_into_the_room() {
        let house = two_rooms();
        let r = &house.rooms[1];
        let inside = Vec3::new(r.centre.x, 1.0, r.centre.y);
        for wall in Wall::ALL {
            let f = r.wall_frame(wall);
            let into_room = f.transform_vector3(Vec3::Z);
            let to_centre = inside - Vec3::from(f.translation);
            assert!(into_room.dot(to_centre) > 0.0, "{wall:?}");
            // Right as seen from inside is local +x: facing the wall, right = facing x up.
            let right = f.transform_vector3(Vec3::X);
            let facing = -into_room;
            assert!((facing.cross(Vec3::Y) - right).length() < 1e-5, "{wall:?}");
        }
    }

    #[test]
    fn rooms_one_wall_apart_are_neighbours_on_their_shared_stretch() {
        let house = two_rooms();
        let (other, lo, hi) = house.neighbour(0, Wall::East).expect("dining is east");
        assert_eq!(other, 1);
        // Living east wall runs z -2..2 (local x = z); dining covers z -2..3.
        assert!(
            (lo + 2.0).abs() < 1e-4 && (hi - 2.0).abs() < 1e-4,
            "{lo}..{hi}"
        );
        let (back, lo, hi) = house.neighbour(1, Wall::West).expect("living is west");
        assert_eq!(back, 0);
        // Dining's west wall, seen from inside, runs from +z to -z.
        assert!((hi - lo - 4.0).abs() < 1e-4, "{lo}..{hi}");
        assert!(house.neighbour(0, Wall::North).is_none());
        assert_eq!(house.room_at(Vec2::new(4.0, 2.5)), Some(1));
        assert_eq!(house.room_at(Vec2::new(2.55, 0.0)), None, "inside the wall");
    }
}

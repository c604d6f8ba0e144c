//! The built-in decoration options, as plain data.
//!
//! Positions are for [`super::default_room`] (5 x 4 x 2.7 m; window and door in
//! the far wall z = -2). Every layout keeps 35 cm around the centre free,
//! because that is where the visitor stands, keeps the door's swing (x
//! -2.2..-1.3 next to the far wall) clear, and puts its showpiece near the
//! window wall: a 90-degree view from the centre sees only the far third.

use glam::Vec3;

use super::DecorationOption;
use super::furniture::{FurnitureKind as K, Item};
use super::lighting::{DirectionalLight, LightingPreset, PointLight};
use super::material::{Finishes, Material as M, Pattern};

fn item(kind: K, at: [f32; 3], yaw_deg: f32, primary: M, secondary: M, accent: M) -> Item {
    Item {
        kind,
        position: Vec3::from(at),
        yaw_deg,
        primary,
        secondary,
        accent,
    }
}

fn lamp(at: [f32; 3], color: [f32; 3], range: f32) -> PointLight {
    PointLight {
        position: Vec3::from(at),
        color: Vec3::from(color),
        range,
    }
}

fn sun(towards: [f32; 3], color: [f32; 3]) -> Option<DirectionalLight> {
    Some(DirectionalLight {
        towards: Vec3::from(towards).normalize(),
        color: Vec3::from(color),
    })
}

/// The options in the order a visitor's waves step through them.
pub fn default_options() -> Vec<DecorationOption> {
    vec![scandinavian(), industrial(), japandi(), mid_century()]
}

fn scandinavian() -> DecorationOption {
    let oak = M::srgb(0xB8895A, 0.5);
    let white = M::srgb(0xEFEDE8, 0.6);
    let black = M::srgb(0x232323, 0.4);
    let glow = M::srgb(0xF4E6CC, 0.9).glowing(1.5);
    DecorationOption {
        name: "Scandinavian".into(),
        items: vec![
            // Reading corner and sideboard at the window; sofa behind the visitor.
            item(
                K::Rug {
                    width: 2.6,
                    depth: 1.8,
                },
                [0.4, 0.0, -0.7],
                0.0,
                M::srgb(0xE4DED2, 1.0).with_pattern(Pattern::Stripes),
                oak.clone(),
                M::srgb(0x4A4A4A, 1.0),
            ),
            item(
                K::Sideboard { width: 1.2 },
                [0.5, 0.0, -1.77],
                0.0,
                white.clone(),
                oak.clone(),
                M::srgb(0xD9A441, 0.4),
            ),
            item(
                K::Armchair,
                [1.85, 0.0, -1.2],
                -40.0,
                M::srgb(0x8A9A7B, 0.95),
                oak.clone(),
                oak.clone(),
            ),
            item(
                K::CoffeeTable {
                    width: 0.45,
                    depth: 0.45,
                    round: true,
                    height: 0.52,
                },
                [1.2, 0.0, -1.0],
                0.0,
                oak.clone(),
                oak.clone(),
                oak.clone(),
            ),
            item(
                K::FloorLamp { height: 1.55 },
                [1.4, 0.0, -1.75],
                0.0,
                black.clone(),
                black.clone(),
                glow,
            ),
            item(
                K::Plant { height: 1.2 },
                [-0.72, 0.0, -1.6],
                0.0,
                M::srgb(0xEDEBE6, 0.35),
                black.clone(),
                M::srgb(0x3F6B3A, 0.8),
            ),
            item(
                K::Artwork {
                    width: 0.45,
                    height: 0.6,
                },
                [2.0, 1.6, -2.0],
                0.0,
                M::srgb(0xF2F0EB, 0.8),
                oak.clone(),
                M::srgb(0xC97B5A, 0.8),
            ),
            item(
                K::Sofa {
                    width: 2.1,
                    low: false,
                },
                [0.0, 0.0, 1.53],
                180.0,
                M::srgb(0xB9B7B2, 0.95),
                oak.clone(),
                M::srgb(0xD9A441, 0.9),
            ),
            item(
                K::CoffeeTable {
                    width: 1.0,
                    depth: 0.45,
                    round: false,
                    height: 0.4,
                },
                [0.0, 0.0, 0.8],
                0.0,
                oak.clone(),
                oak.clone(),
                oak.clone(),
            ),
            item(
                K::Shelf {
                    width: 1.0,
                    height: 1.9,
                    metal: false,
                },
                [2.33, 0.0, 0.6],
                -90.0,
                white.clone(),
                oak.clone(),
                M::srgb(0x7D9CB8, 0.7),
            ),
            item(
                K::Artwork {
                    width: 0.5,
                    height: 0.7,
                },
                [-0.35, 1.5, 2.0],
                180.0,
                M::srgb(0xF2F0EB, 0.8),
                oak.clone(),
                M::srgb(0x7D9CB8, 0.8),
            ),
            item(
                K::Artwork {
                    width: 0.5,
                    height: 0.7,
                },
                [0.35, 1.5, 2.0],
                180.0,
                M::srgb(0xF2F0EB, 0.8),
                oak.clone(),
                M::srgb(0xD9A441, 0.8),
            ),
        ],
        finishes: Finishes {
            walls: M::srgb(0xEEEBE5, 0.9),
            floor: M::srgb(0xD2B48C, 0.55).with_pattern(Pattern::Planks),
            ceiling: M::srgb(0xF5F4F1, 0.95),
            trim: white.clone(),
            door: white,
        },
        lighting: LightingPreset {
            sky_ambient: Vec3::new(0.30, 0.32, 0.36),
            ground_ambient: Vec3::new(0.3, 0.29, 0.28),
            sun: sun([-0.35, 0.55, -0.76], [5.0, 4.6, 4.0]),
            points: vec![
                lamp([1.4, 1.38, -1.75], [0.9, 0.7, 0.45], 5.0),
                lamp([0.0, 2.55, 0.0], [1.2, 1.15, 1.05], 7.0),
            ],
            spots: Vec::new(),
            exposure: 1.0,
            aperture: None,
        },
    }
}

fn industrial() -> DecorationOption {
    let steel = M::srgb(0x2A2A2A, 0.35).metal();
    let timber = M::srgb(0x6B4A33, 0.6);
    let bulb = M::srgb(0xFFD9A0, 0.5).glowing(8.0);
    DecorationOption {
        name: "Industrial loft".into(),
        items: vec![
            // A dining table at the window under two pendants; sofa behind the visitor.
            item(
                K::DiningTable {
                    width: 1.6,
                    depth: 0.85,
                },
                [0.5, 0.0, -1.35],
                0.0,
                // Reclaimed boards: the plank pattern runs along x like the table.
                timber.clone().with_pattern(Pattern::Planks),
                steel.clone(),
                steel.clone(),
            ),
            item(
                K::Chair,
                [0.1, 0.0, -0.72],
                180.0,
                timber.clone(),
                steel.clone(),
                steel.clone(),
            ),
            item(
                K::Chair,
                [0.9, 0.0, -0.72],
                180.0,
                timber.clone(),
                steel.clone(),
                steel.clone(),
            ),
            item(
                K::Chair,
                [-0.52, 0.0, -1.35],
                90.0,
                timber.clone(),
                steel.clone(),
                steel.clone(),
            ),
            item(
                K::Chair,
                [1.52, 0.0, -1.35],
                -90.0,
                timber.clone(),
                steel.clone(),
                steel.clone(),
            ),
            item(
                K::PendantLamp { ceiling: 2.7 },
                [0.1, 1.95, -1.35],
                0.0,
                steel.clone(),
                steel.clone(),
                bulb.clone(),
            ),
            item(
                K::PendantLamp { ceiling: 2.7 },
                [0.9, 1.95, -1.35],
                0.0,
                steel.clone(),
                steel.clone(),
                bulb,
            ),
            item(
                K::Shelf {
                    width: 0.8,
                    height: 2.0,
                    metal: true,
                },
                [2.0, 0.0, -1.82],
                0.0,
                timber.clone(),
                steel.clone(),
                M::srgb(0xA3452F, 0.7),
            ),
            item(
                K::Plant { height: 1.7 },
                [-0.72, 0.0, -1.6],
                0.0,
                M::srgb(0x55524E, 0.8),
                steel.clone(),
                M::srgb(0x2F5A32, 0.8),
            ),
            item(
                K::Rug {
                    width: 2.4,
                    depth: 1.4,
                },
                [0.0, 0.0, 0.95],
                0.0,
                M::srgb(0x5A5F66, 1.0),
                steel.clone(),
                M::srgb(0xB0A48F, 1.0),
            ),
            item(
                K::Sofa {
                    width: 2.2,
                    low: false,
                },
                [0.0, 0.0, 1.52],
                180.0,
                M::srgb(0x7A4A2A, 0.45),
                steel.clone(),
                M::srgb(0x556B7D, 0.9),
            ),
            item(
                K::CoffeeTable {
                    width: 1.0,
                    depth: 0.45,
                    round: false,
                    height: 0.4,
                },
                [0.0, 0.0, 0.8],
                0.0,
                timber.clone(),
                steel.clone(),
                steel.clone(),
            ),
            item(
                K::Artwork {
                    width: 0.8,
                    height: 0.6,
                },
                [0.0, 1.5, 2.0],
                180.0,
                M::srgb(0xEDEDED, 0.8),
                steel.clone(),
                M::srgb(0x1F1F1F, 0.8),
            ),
        ],
        finishes: Finishes {
            walls: M::srgb(0x9A9894, 0.85).with_pattern(Pattern::Tiles),
            floor: M::srgb(0x8C8A86, 0.3).with_pattern(Pattern::Tiles),
            ceiling: M::srgb(0x4A4A4A, 0.9),
            trim: M::srgb(0x1E1E1E, 0.5),
            door: M::srgb(0x2B2B2B, 0.4),
        },
        lighting: LightingPreset {
            sky_ambient: Vec3::new(0.26, 0.27, 0.30),
            ground_ambient: Vec3::new(0.26, 0.25, 0.24),
            sun: sun([-0.3, 0.5, -0.8], [4.6, 4.3, 3.8]),
            points: vec![
                lamp([0.1, 1.9, -1.35], [0.7, 0.45, 0.22], 4.0),
                lamp([0.9, 1.9, -1.35], [0.7, 0.45, 0.22], 4.0),
                lamp([0.0, 2.55, 0.6], [0.8, 0.75, 0.68], 7.0),
            ],
            spots: Vec::new(),
            exposure: 1.1,
            aperture: None,
        },
    }
}

fn japandi() -> DecorationOption {
    let dark = M::srgb(0x4A3526, 0.45);
    let ash = M::srgb(0xC8AE8A, 0.5);
    DecorationOption {
        name: "Japandi".into(),
        items: vec![
            // A low sofa under the window, floor seating round a low table.
            item(
                K::Rug {
                    width: 2.4,
                    depth: 1.7,
                },
                [0.35, 0.0, -0.85],
                0.0,
                M::srgb(0xBFB39E, 1.0),
                dark.clone(),
                M::srgb(0x5C4A3A, 1.0),
            ),
            item(
                K::Sofa {
                    width: 1.8,
                    low: true,
                },
                [0.35, 0.0, -1.53],
                0.0,
                M::srgb(0xCFC4B0, 0.95),
                dark.clone(),
                M::srgb(0x8C9A7E, 0.9),
            ),
            item(
                K::CoffeeTable {
                    width: 1.0,
                    depth: 0.55,
                    round: false,
                    height: 0.32,
                },
                [0.6, 0.0, -0.7],
                0.0,
                dark.clone(),
                dark.clone(),
                dark.clone(),
            ),
            item(
                K::FloorCushion,
                [1.45, 0.0, -0.5],
                12.0,
                M::srgb(0x6E7B63, 0.95),
                dark.clone(),
                dark.clone(),
            ),
            item(
                K::FloorCushion,
                [-0.45, 0.0, -0.75],
                -15.0,
                M::srgb(0xA8856A, 0.95),
                dark.clone(),
                dark.clone(),
            ),
            item(
                K::FloorLamp { height: 1.2 },
                [-0.8, 0.0, -1.7],
                0.0,
                dark.clone(),
                dark.clone(),
                M::srgb(0xF7EBD5, 0.9).glowing(1.8),
            ),
            item(
                K::Plant { height: 1.1 },
                [1.75, 0.0, -1.62],
                0.0,
                M::srgb(0x2E2A27, 0.6),
                dark.clone(),
                M::srgb(0x4E6B3A, 0.85),
            ),
            item(
                K::Shelf {
                    width: 0.9,
                    height: 1.3,
                    metal: false,
                },
                [2.33, 0.0, 0.9],
                -90.0,
                ash.clone(),
                ash.clone(),
                M::srgb(0x9A8B74, 0.7),
            ),
            item(
                K::Artwork {
                    width: 0.45,
                    height: 0.7,
                },
                [2.0, 1.55, -2.0],
                0.0,
                M::srgb(0xEDE6D8, 0.9),
                dark.clone(),
                M::srgb(0x2B2B2B, 0.9),
            ),
        ],
        finishes: Finishes {
            walls: M::srgb(0xD8CFC2, 0.9),
            floor: M::srgb(0x7A5A40, 0.5).with_pattern(Pattern::Planks),
            ceiling: M::srgb(0xEFEAE2, 0.95),
            trim: ash.clone(),
            door: ash,
        },
        lighting: LightingPreset {
            sky_ambient: Vec3::new(0.30, 0.30, 0.31),
            ground_ambient: Vec3::new(0.3, 0.28, 0.26),
            sun: sun([-0.35, 0.5, -0.78], [4.2, 3.9, 3.4]),
            points: vec![
                lamp([-0.8, 1.05, -1.7], [0.8, 0.6, 0.4], 4.0),
                lamp([0.0, 2.55, 0.0], [0.8, 0.75, 0.65], 7.0),
            ],
            spots: Vec::new(),
            exposure: 1.05,
            aperture: None,
        },
    }
}

fn mid_century() -> DecorationOption {
    let walnut = M::srgb(0x5C3B22, 0.45);
    let brass = M::srgb(0xB08D57, 0.3).metal();
    DecorationOption {
        name: "Mid-century".into(),
        items: vec![
            // Two armchairs round a table at the window, a sideboard under
            // it; the sofa faces them from behind the visitor.
            item(
                K::Rug {
                    width: 2.4,
                    depth: 1.7,
                },
                [0.5, 0.0, -0.95],
                0.0,
                M::srgb(0xD9CBB0, 1.0).with_pattern(Pattern::Stripes),
                walnut.clone(),
                M::srgb(0x2F4F5F, 1.0),
            ),
            item(
                K::Sideboard { width: 1.4 },
                [0.5, 0.0, -1.77],
                0.0,
                walnut.clone(),
                brass.clone(),
                M::srgb(0xD2692F, 0.35),
            ),
            item(
                K::Armchair,
                [-0.45, 0.0, -1.05],
                30.0,
                M::srgb(0xB5573A, 0.9),
                walnut.clone(),
                walnut.clone(),
            ),
            item(
                K::Armchair,
                [1.5, 0.0, -1.05],
                -30.0,
                M::srgb(0xB5573A, 0.9),
                walnut.clone(),
                walnut.clone(),
            ),
            item(
                K::CoffeeTable {
                    width: 0.6,
                    depth: 0.6,
                    round: true,
                    height: 0.45,
                },
                [0.52, 0.0, -1.05],
                0.0,
                walnut.clone(),
                walnut.clone(),
                walnut.clone(),
            ),
            item(
                K::FloorLamp { height: 1.6 },
                [-1.05, 0.0, -1.6],
                0.0,
                brass.clone(),
                brass.clone(),
                M::srgb(0xF6E7C8, 0.9).glowing(1.6),
            ),
            item(
                K::Plant { height: 1.0 },
                [2.05, 0.0, -1.58],
                0.0,
                M::srgb(0xE9E4DA, 0.35),
                walnut.clone(),
                M::srgb(0x47703F, 0.85),
            ),
            item(
                K::Artwork {
                    width: 0.5,
                    height: 0.7,
                },
                [2.0, 1.6, -2.0],
                0.0,
                M::srgb(0xF1ECE2, 0.8),
                brass.clone(),
                M::srgb(0xD2692F, 0.8),
            ),
            item(
                K::Sofa {
                    width: 2.0,
                    low: false,
                },
                [0.0, 0.0, 1.53],
                180.0,
                M::srgb(0xC99A2E, 0.9),
                walnut.clone(),
                M::srgb(0x2F4F5F, 0.9),
            ),
            item(
                K::Shelf {
                    width: 1.2,
                    height: 1.8,
                    metal: false,
                },
                [2.33, 0.0, 0.6],
                -90.0,
                walnut.clone(),
                walnut.clone(),
                M::srgb(0x2F4F5F, 0.7),
            ),
            item(
                K::Artwork {
                    width: 1.0,
                    height: 0.6,
                },
                [0.0, 1.55, 2.0],
                180.0,
                M::srgb(0xF1ECE2, 0.8),
                walnut.clone(),
                M::srgb(0x2F4F5F, 0.8),
            ),
        ],
        finishes: Finishes {
            walls: M::srgb(0x7E9E98, 0.9),
            floor: M::srgb(0x8B5E3C, 0.5).with_pattern(Pattern::Planks),
            ceiling: M::srgb(0xF4F1EA, 0.95),
            trim: M::srgb(0xF1EEE6, 0.5),
            door: M::srgb(0x6E4A2E, 0.45),
        },
        lighting: LightingPreset {
            sky_ambient: Vec3::new(0.30, 0.30, 0.32),
            ground_ambient: Vec3::new(0.3, 0.28, 0.25),
            // A low, late-afternoon sun throws a long warm patch across the floor.
            sun: sun([-0.45, 0.32, -0.83], [4.4, 3.1, 1.9]),
            points: vec![
                lamp([-1.05, 1.42, -1.6], [0.9, 0.65, 0.38], 5.0),
                lamp([0.0, 2.55, 0.0], [0.9, 0.82, 0.7], 7.0),
            ],
            spots: Vec::new(),
            exposure: 1.05,
            aperture: None,
        },
    }
}

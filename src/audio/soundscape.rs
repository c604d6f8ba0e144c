//! Which ambience each decoration option has, and where in the room it comes from.
//!
//! The decoration options (`scene::default_options`) do not name an ambience
//! yet; the catalog issue will add an `ambience` field. Until then the option's
//! index picks a preset here, cycling for options beyond the table.

use super::ambience::Ambience;
use crate::app::Shown;
use crate::scene::{RoomDimensions, RoomLayout};
use glam::Vec3;

/// An ambience placed at a point in the room.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AmbienceSource {
    /// What plays.
    pub ambience: Ambience,
    /// Where it comes from, room space (metres; y up, the window wall at -z).
    pub position: Vec3,
}

/// Where in the room a preset sits, given the room's openings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spot {
    /// Under the ceiling's centre: room tone comes from everywhere.
    Ceiling,
    /// The middle of the window.
    Window,
    /// The window's right-hand edge, where chimes would hang.
    WindowEdge,
    /// The front-right corner at hearth height (the Scandinavian reading corner).
    Hearth,
    /// On the sideboard under the window.
    Sideboard,
}

/// Option index -> (ambience, spot), in the order of `scene::default_options`:
/// Scandinavian, Industrial loft, Japandi, Mid-century.
const BY_OPTION: [(Ambience, Spot); 4] = [
    (Ambience::Fireplace, Spot::Hearth),
    (Ambience::Rain, Spot::Window),
    (Ambience::Chimes, Spot::WindowEdge),
    (Ambience::MusicBox, Spot::Sideboard),
];

/// The ambience for what is shown: a faint room tone for the bare room.
pub fn ambience_for(shown: Shown, room: &RoomDimensions) -> AmbienceSource {
    let (ambience, spot) = match shown {
        Shown::Bare => (Ambience::RoomTone, Spot::Ceiling),
        Shown::Option(i) => BY_OPTION[i % BY_OPTION.len()],
    };
    AmbienceSource {
        ambience,
        position: spot_position(spot, room),
    }
}

fn spot_position(spot: Spot, room: &RoomDimensions) -> Vec3 {
    let layout = RoomLayout::for_room(room);
    let far_wall = -room.depth * 0.5;
    let window_x = (layout.window.x0 + layout.window.x1) * 0.5;
    let window_y = (layout.window.y0 + layout.window.y1) * 0.5;
    match spot {
        Spot::Ceiling => Vec3::new(0.0, room.height - 0.2, 0.0),
        Spot::Window => Vec3::new(window_x, window_y, far_wall),
        Spot::WindowEdge => Vec3::new(layout.window.x1, layout.window.y1 - 0.3, far_wall + 0.1),
        Spot::Hearth => Vec3::new(room.width * 0.5 - 0.4, 0.5, far_wall + 0.4),
        Spot::Sideboard => Vec3::new(window_x, 0.9, far_wall + 0.25),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{default_options, default_room};

    #[test]
    fn every_option_has_an_ambience_inside_the_room() {
        let room = default_room();
        let mut seen = Vec::new();
        let shown =
            std::iter::once(Shown::Bare).chain((0..default_options().len()).map(Shown::Option));
        for s in shown {
            let a = ambience_for(s, &room);
            let p = a.position;
            assert!(
                p.x.abs() <= room.width * 0.5 && p.z.abs() <= room.depth * 0.5,
                "{s:?} {p}"
            );
            assert!((0.0..=room.height).contains(&p.y), "{s:?} {p}");
            seen.push(a.ambience);
        }
        assert_eq!(seen[0], Ambience::RoomTone);
        seen.sort_by_key(|a| a.index());
        seen.dedup();
        assert_eq!(
            seen.len(),
            default_options().len() + 1,
            "each option sounds different"
        );
    }

    #[test]
    fn rain_comes_from_the_window() {
        let room = default_room();
        let layout = RoomLayout::for_room(&room);
        let p = ambience_for(Shown::Option(1), &room).position;
        assert!(p.x > layout.window.x0 && p.x < layout.window.x1);
        assert!(p.y > layout.window.y0 && p.y < layout.window.y1);
        assert_eq!(p.z, -room.depth * 0.5);
    }
}

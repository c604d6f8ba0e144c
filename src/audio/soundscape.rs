//! Which ambience plays for what is shown, and where in the house it comes from.
//!
//! Each catalog option names its ambience and where it plays (see
//! `catalog::OptionEntry::ambience`); the bare house has a faint room tone
//! under the start room's ceiling.

use super::ambience::Ambience;
use crate::app::Shown;
use crate::scene::House;
use glam::Vec3;

/// An ambience placed at a point in the house.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AmbienceSource {
    /// What plays.
    pub ambience: Ambience,
    /// Where it comes from, house space (metres; y up, the start room's window wall at -z).
    pub position: Vec3,
}

/// The ambience of the bare house and of every option.
#[derive(Clone, Debug, PartialEq)]
pub struct Soundscape {
    bare: AmbienceSource,
    options: Vec<AmbienceSource>,
}

impl Soundscape {
    /// Room tone for the bare `house`, then one source per option, in option order.
    pub fn new(house: &House, options: Vec<AmbienceSource>) -> Self {
        let room = house.start_room();
        Soundscape {
            bare: AmbienceSource {
                ambience: Ambience::RoomTone,
                position: Vec3::new(room.centre.x, room.size.height - 0.2, room.centre.y),
            },
            options,
        }
    }

    /// The ambience for what is shown. An index past the options (a decorator
    /// and a catalog out of step) falls back to the bare house's room tone.
    pub fn source(&self, shown: Shown) -> AmbienceSource {
        match shown {
            Shown::Bare => self.bare,
            Shown::Option(i) => self.options.get(i).copied().unwrap_or(self.bare),
        }
    }

    /// Number of options with an ambience.
    pub fn option_count(&self) -> usize {
        self.options.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CatalogLimits, default_catalog};

    #[test]
    fn every_default_option_has_an_ambience_inside_the_house() {
        let catalog = default_catalog(&CatalogLimits::default()).expect("valid");
        let soundscape = catalog.soundscape();
        assert_eq!(soundscape.option_count(), catalog.options.len());
        let house = &catalog.house;
        let shown =
            std::iter::once(Shown::Bare).chain((0..catalog.options.len()).map(Shown::Option));
        let mut seen = Vec::new();
        for s in shown {
            let a = soundscape.source(s);
            let p = a.position;
            let room = house
                .room_at(glam::Vec2::new(p.x, p.z))
                .unwrap_or_else(|| panic!("{s:?} plays from {p}, outside every room"));
            assert!(
                (0.0..=house.rooms[room].size.height).contains(&p.y),
                "{s:?} {p}"
            );
            seen.push(a.ambience);
        }
        assert_eq!(seen[0], Ambience::RoomTone);
        for pair in seen[1..].windows(2) {
            assert_ne!(pair[0], pair[1], "neighbouring options sound different");
        }
        seen.sort_by_key(|a| a.index());
        seen.dedup();
        assert_eq!(
            seen.len(),
            super::super::ambience::ALL_AMBIENCES.len(),
            "every ambience is used"
        );
        assert_eq!(
            soundscape.source(Shown::Option(999)),
            soundscape.source(Shown::Bare)
        );
    }
}

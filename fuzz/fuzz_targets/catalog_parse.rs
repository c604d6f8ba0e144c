//! The catalog parser over arbitrary text, then the house it describes built into the
//! renderer's geometry (the bare house, and the shell in each option's finishes), as
//! `roomwave run --catalog` would before loading any model.
//!
//! A catalog is TOML, which has `nan` and `inf`, 64-bit integers and deep nesting; what
//! the parser accepts must be a house that can be built: finite, positive room sizes,
//! indices in range, counts within the limits, and geometry with finite vertices.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roomwave::catalog::{CatalogLimits, parse_catalog};
use roomwave::scene::{SceneBuilder, build_scene};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let limits = CatalogLimits::default();
    let catalog = match parse_catalog(&text, Path::new("fuzz.toml"), &limits) {
        Ok(c) => c,
        Err(e) => {
            let lines = text.lines().count().max(1);
            if let Some((line, column)) = e.place.position {
                assert!(line >= 1 && line <= lines + 1 && column >= 1, "{e}");
            }
            return;
        }
    };
    let house = &catalog.house;
    assert!(!house.rooms.is_empty() && house.rooms.len() <= limits.max_rooms);
    assert!(house.start.room < house.rooms.len());
    for room in &house.rooms {
        let s = room.size;
        assert!(
            [s.width, s.depth, s.height]
                .iter()
                .all(|v| v.is_finite() && *v > 0.0),
            "{room:?}"
        );
        assert!(room.centre.is_finite(), "{room:?}");
    }
    assert!(catalog.options.len() <= limits.max_options);
    for option in &catalog.options {
        assert!(option.items.len() <= limits.max_items_per_option);
        for item in &option.items {
            assert!(item.room < house.rooms.len());
            assert!(item.transform.is_finite(), "{item:?}");
        }
    }
    let scene = build_scene(house, None);
    assert!(
        scene
            .vertices
            .iter()
            .all(|v| v.position.iter().all(|c| c.is_finite()))
    );
    for option in &catalog.options {
        let mut shell = SceneBuilder::new();
        shell.add_house_shell(house, &option.finishes);
    }
});

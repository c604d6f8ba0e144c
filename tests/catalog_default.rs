//! The embedded default catalog checks clean: two rooms joined by a doorway, at
//! least 12 options that all load, each furnishing both rooms, leaving the
//! wearer's spot, the door's swing and the doorway free, and using the same
//! models in different variants.

use glam::{Vec2, Vec3};
use roomwave::catalog::{CatalogLimits, LoadedCatalog, load_default_catalog};
use roomwave::scene::{House, ItemBounds, OpeningKind, Room};

fn load() -> LoadedCatalog {
    load_default_catalog(&CatalogLimits::default()).expect("the default catalog loads")
}

/// Whether an item stands where people walk: taller than a rug, lower than a door head.
fn in_the_way(b: &ItemBounds) -> bool {
    b.max.y > 0.05 && b.min.y < 2.1
}

/// The floor rectangle `depth` metres in front of an opening, on the face of `room`'s
/// `wall`, from `x0` to `x1` along it, as world (min, max) in x and z.
fn in_front(
    room: &Room,
    wall: roomwave::scene::Wall,
    x0: f32,
    x1: f32,
    depth: f32,
) -> (Vec2, Vec2) {
    let f = room.wall_frame(wall);
    let a = f.transform_point3(Vec3::new(x0, 0.0, 0.0));
    let c = f.transform_point3(Vec3::new(x1, 0.0, depth));
    (
        Vec2::new(a.x.min(c.x), a.z.min(c.z)),
        Vec2::new(a.x.max(c.x), a.z.max(c.z)),
    )
}

fn overlaps(b: &ItemBounds, (lo, hi): (Vec2, Vec2)) -> bool {
    b.min.x < hi.x && b.max.x > lo.x && b.min.z < hi.y && b.max.z > lo.y
}

/// Areas people need: every door's swing (a square as deep as the door is wide)
/// and 50 cm on both sides of every doorway.
fn walkways(house: &House) -> Vec<(String, (Vec2, Vec2))> {
    let mut out = Vec::new();
    for (i, o) in house.openings.iter().enumerate() {
        let room = &house.rooms[o.room];
        match o.kind {
            OpeningKind::Door => out.push((
                format!("the swing of door {i}"),
                in_front(room, o.wall, o.x0, o.x1, o.width()),
            )),
            OpeningKind::Doorway { to } => {
                out.push((
                    format!("doorway {i} in {}", room.name),
                    in_front(room, o.wall, o.x0, o.x1, 0.5),
                ));
                // The other side: the same stretch seen from the next room.
                let other = &house.rooms[to];
                let f = room.wall_frame(o.wall);
                let far = other.wall_frame(o.wall.opposite()).inverse();
                let a = far.transform_point3(f.transform_point3(Vec3::new(o.x0, 0.0, 0.0)));
                let c = far.transform_point3(f.transform_point3(Vec3::new(o.x1, 0.0, 0.0)));
                out.push((
                    format!("doorway {i} in {}", other.name),
                    in_front(other, o.wall.opposite(), a.x.min(c.x), a.x.max(c.x), 0.5),
                ));
            }
            OpeningKind::Window => {}
        }
    }
    out
}

#[test]
fn the_default_catalog_has_a_dozen_options_that_all_load() {
    let loaded = load();
    let c = &loaded.catalog;
    assert!(loaded.skipped.is_empty(), "skipped: {:#?}", loaded.skipped);
    assert!(c.options.len() >= 12, "{} options", c.options.len());
    assert_eq!(loaded.options.len(), c.options.len());
    assert!(c.house.rooms.len() >= 2);
    assert!(
        c.house
            .openings
            .iter()
            .any(|o| matches!(o.kind, OpeningKind::Doorway { .. })),
        "rooms joined by a doorway"
    );
    let mut names: Vec<_> = c.options.iter().map(|o| o.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), c.options.len(), "option names repeat");
    assert!(loaded.bare.item_bounds.is_empty());
}

#[test]
fn every_option_furnishes_both_rooms_and_keeps_the_walkways_free() {
    let loaded = load();
    let house = &loaded.catalog.house;
    let start = house.start.position;
    let walkways = walkways(house);
    assert!(
        walkways.len() >= 3,
        "a door swing and both sides of a doorway"
    );
    // The check bites: a stool in the middle of each walkway is caught.
    for (what, (lo, hi)) in &walkways {
        let mid = (*lo + *hi) * 0.5;
        let stool = ItemBounds {
            label: "stool".into(),
            min: Vec3::new(mid.x - 0.19, 0.0, mid.y - 0.19),
            max: Vec3::new(mid.x + 0.19, 0.65, mid.y + 0.19),
        };
        assert!(in_the_way(&stool) && overlaps(&stool, (*lo, *hi)), "{what}");
    }
    for o in &loaded.options {
        let entry = &loaded.catalog.options[o.index];
        let bounds = &o.scene.item_bounds;
        assert_eq!(bounds.len(), entry.items.len());
        for (r, room) in house.rooms.iter().enumerate() {
            let n = entry.items.iter().filter(|i| i.room == r).count();
            assert!(n >= 3, "{}: {n} items in {}", o.name, room.name);
            let lit = o
                .scene
                .lighting
                .points
                .iter()
                .map(|p| p.position)
                .chain(o.scene.lighting.spots.iter().map(|s| s.position))
                .any(|p| room.contains(Vec2::new(p.x, p.z), 0.0));
            assert!(lit, "{}: no lamp in {}", o.name, room.name);
        }
        for b in bounds.iter().filter(|b| in_the_way(b)) {
            // The wearer starts here: a person's half-width plus a margin.
            let closest = start.clamp(Vec2::new(b.min.x, b.min.z), Vec2::new(b.max.x, b.max.z));
            assert!(
                closest.distance(start) >= 0.35,
                "{}: {} is {:.2} m from the start",
                o.name,
                b.label,
                closest.distance(start)
            );
            for (what, area) in &walkways {
                assert!(
                    !overlaps(b, *area),
                    "{}: {} blocks {what}: {b:?}",
                    o.name,
                    b.label
                );
            }
        }
    }
}

#[test]
fn options_differ_from_their_neighbours_and_reuse_models_in_other_variants() {
    let loaded = load();
    let options = &loaded.catalog.options;
    for pair in options.windows(2) {
        assert_ne!(
            pair[0].finishes, pair[1].finishes,
            "{} / {}",
            pair[0].name, pair[1].name
        );
        assert_ne!(
            pair[0].lighting, pair[1].lighting,
            "{} / {}",
            pair[0].name, pair[1].name
        );
        assert_ne!(
            pair[0].ambience.ambience, pair[1].ambience.ambience,
            "{} / {}",
            pair[0].name, pair[1].name
        );
    }
    let sofa_variants: std::collections::BTreeSet<_> = options
        .iter()
        .flat_map(|o| &o.items)
        .filter(|i| i.model.ends_with("sofa.glb"))
        .filter_map(|i| i.variant.clone())
        .collect();
    assert!(sofa_variants.len() >= 5, "the sofa in {sofa_variants:?}");
    // Every model is loaded once, however many options place it.
    let mut paths: Vec<_> = loaded.models.iter().map(|m| &m.path).collect();
    let n = paths.len();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), n);
    assert!(n >= 12, "{n} distinct models");
}

//! The catalog from the outside: every kind of mistake gives its file, line,
//! column, field and problem; an option whose model is broken is skipped while
//! the others load; `roomwave check` reports both.

mod catalog_support;

use catalog_support::{HOUSE, box_glb, option, scratch, write};
use roomwave::catalog::{CatalogError, CatalogLimits, load_catalog, parse_catalog};
use std::path::Path;
use std::process::Command;

fn limits() -> CatalogLimits {
    CatalogLimits::default()
}

fn catalog_text() -> String {
    format!(
        "{HOUSE}{}{}",
        option("Red", "models/box.glb", "red", "rain"),
        option("Blue", "models/box.glb", "blue", "fireplace")
    )
}

/// Parses `text` and returns the error's text: the whole file's, or the
/// first left-out option's.
fn parse_error(text: &str) -> String {
    match parse_catalog(text, Path::new("house.toml"), &limits()) {
        Ok(c) => c
            .rejected
            .first()
            .unwrap_or_else(|| panic!("expected an error"))
            .to_string(),
        Err(e) => e.to_string(),
    }
}

/// 1-based line and column of the first `needle` in `text`.
fn at(text: &str, needle: &str) -> String {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} in the text"));
    let (line, column) = roomwave::catalog::line_column(text, offset);
    format!("line {line}, column {column}")
}

#[test]
fn a_valid_catalog_parses_with_both_rooms_and_every_option() {
    let text = catalog_text();
    let c = parse_catalog(&text, Path::new("house.toml"), &limits()).expect("valid");
    assert_eq!(c.house.rooms.len(), 2);
    assert_eq!(c.options.len(), 2);
    assert_eq!(c.options[1].items[0].variant.as_deref(), Some("blue"));
    assert_eq!(c.options[0].lighting.spots.len(), 1);
    // Item positions are from the room's centre: the dining item lands at x = 4.65.
    let p = c.options[0].items[1].transform.w_axis;
    assert!((p.x - 4.65).abs() < 1e-5 && p.z.abs() < 1e-5, "{p}");
}

#[test]
fn a_syntax_error_names_its_line_and_column() {
    let text = format!("{HOUSE}\n[[options]\nname = \"x\"\n");
    let e = parse_error(&text);
    // The parser stops where the second `]` should be.
    let missing = text.find("[[options]\n").expect("the broken header") + "[[options]".len();
    let (line, column) = roomwave::catalog::line_column(&text, missing);
    assert_eq!(
        e,
        format!("house.toml: line {line}, column {column}: unclosed array table, expected `]`")
    );
}

#[test]
fn an_unknown_field_is_an_error_at_its_key() {
    let text = catalog_text().replacen(
        "size = [5.0, 4.0, 2.7]",
        "size = [5.0, 4.0, 2.7]\ncolour = \"red\"",
        1,
    );
    let e = parse_error(&text);
    let expected = format!(
        "house.toml: {}: rooms[0].colour: unknown field `colour`",
        at(&text, "colour")
    );
    assert!(e.starts_with(&expected), "{e}\nexpected: {expected}");
    assert!(
        e.contains("expected one of `name`, `size`, `centre`"),
        "{e}"
    );
}

#[test]
fn a_wrong_type_names_the_field() {
    let text = catalog_text().replacen("width = 1.5", "width = \"wide\"", 1);
    let e = parse_error(&text);
    let expected = format!(
        "house.toml: {}: openings[0].width: invalid type: string \"wide\", expected f32",
        at(&text, "\"wide\"")
    );
    assert_eq!(e, expected);
}

#[test]
fn an_unknown_room_lists_the_rooms() {
    let text = catalog_text().replacen(
        "room = \"dining\", at = [0.0, 0.0, 0.0]",
        "room = \"attic\", at = [0.0, 0.0, 0.0]",
        1,
    );
    let e = parse_error(&text);
    let expected = format!(
        "house.toml: {}: options[0].items[1].room: unknown room \"attic\" (rooms: living, dining)",
        at(&text, "\"attic\"")
    );
    assert_eq!(e, expected);
}

#[test]
fn an_option_breaking_its_own_rules_is_left_out_and_the_others_stay() {
    let text = catalog_text().replacen("at = [0.0, 0.0, 1.5]", "at = [0.0, 0.0, 2.5]", 1);
    let c = parse_catalog(&text, Path::new("house.toml"), &limits()).expect("the house is fine");
    let names: Vec<_> = c.options.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Blue"]);
    assert_eq!(c.rejected.len(), 1);
    let text = format!(
        "{HOUSE}{}{}",
        option("Same", "models/box.glb", "red", "rain"),
        option("Same", "models/box.glb", "blue", "rain")
    );
    let c = parse_catalog(&text, Path::new("house.toml"), &limits()).expect("the house is fine");
    assert_eq!(c.options.len(), 1);
    assert_eq!(c.options[0].items[0].variant.as_deref(), Some("red"));
    assert_eq!(c.rejected.len(), 1);
}

#[test]
fn an_item_outside_its_room_is_refused() {
    let text = catalog_text().replacen("at = [0.0, 0.0, 1.5]", "at = [0.0, 0.0, 2.5]", 1);
    let e = parse_error(&text);
    let item = text
        .find("{ model = \"models/box.glb\", room = \"living\", at = [0.0, 0.0, 2.5]")
        .expect("the item");
    let (line, column) = roomwave::catalog::line_column(&text, item);
    assert!(
        e.starts_with(&format!("house.toml: line {line}, column {column}: options[0].items[0].at: [0, 0, 2.5] is outside room \"living\"")),
        "{e}"
    );
}

#[test]
fn duplicate_option_names_and_unknown_ambiences_are_refused() {
    let text = format!(
        "{HOUSE}{}{}",
        option("Same", "models/box.glb", "red", "rain"),
        option("Same", "models/box.glb", "red", "rain")
    );
    let second = text.rfind("\"Same\"").expect("second name");
    let (line, column) = roomwave::catalog::line_column(&text, second);
    assert_eq!(
        parse_error(&text),
        format!(
            "house.toml: line {line}, column {column}: options[1].name: option name \"Same\" is used twice: every option needs its own name"
        )
    );
    let text = format!(
        "{HOUSE}{}",
        option("Loud", "models/box.glb", "red", "thunder")
    );
    assert_eq!(
        parse_error(&text),
        format!(
            "house.toml: {}: options[0].ambience.sound: unknown ambience \"thunder\" (has: room-tone, fireplace, rain, chimes, music-box)",
            at(&text, "\"thunder\"")
        )
    );
}

#[test]
fn a_doorway_must_join_rooms_across_its_wall() {
    let text = catalog_text().replacen("wall = \"east\"", "wall = \"west\"", 1);
    let e = parse_error(&text);
    assert!(
        e.contains("openings[1].wall: room \"dining\" is not across the West wall of \"living\""),
        "{e}"
    );
}

#[test]
fn an_oversized_catalog_is_refused_before_reading() {
    let dir = scratch("catalog-oversize");
    let mut text = catalog_text();
    text.push_str(&"# padding\n".repeat(200));
    write(&dir, "house.toml", text.as_bytes());
    let small = CatalogLimits {
        max_catalog_bytes: 1000,
        ..CatalogLimits::default()
    };
    let e = load_catalog(&dir.join("house.toml"), &small).expect_err("too large");
    assert_eq!(
        e.to_string(),
        format!(
            "{}: the catalog is {} bytes, over the limit of 1000 (raise `max_catalog_bytes`)",
            dir.join("house.toml").display(),
            text.len()
        )
    );
    // The same cap holds for text handed to the parser directly.
    let e = parse_catalog(&text, Path::new("h.toml"), &small).expect_err("too large");
    assert!(e.to_string().contains("over the limit of 1000"), "{e}");
}

#[test]
fn a_missing_catalog_file_says_so() {
    let e = load_catalog(Path::new("/nonexistent/house.toml"), &limits()).expect_err("missing");
    assert_eq!(
        e.to_string(),
        "/nonexistent/house.toml: cannot read it: No such file or directory (os error 2)"
    );
}

#[test]
fn unknown_variants_and_missing_models_skip_their_option_with_the_place() {
    let dir = scratch("catalog-variant");
    write(&dir, "models/box.glb", &box_glb(1.0, 0.8, 0.6));
    let text = format!(
        "{HOUSE}{}{}{}",
        option("Red", "models/box.glb", "red", "rain"),
        option("Velvet", "models/box.glb", "velvet", "fireplace"),
        option("Nowhere", "models/nope.glb", "red", "chimes")
    );
    write(&dir, "house.toml", text.as_bytes());
    let file = dir.join("house.toml");
    let loaded = load_catalog(&file, &limits()).expect("the catalog itself is valid");
    assert_eq!(loaded.names(), ["Red"]);
    assert_eq!(loaded.skipped.len(), 2);
    let velvet = text.find("\"velvet\"").expect("velvet");
    let (line, column) = roomwave::catalog::line_column(&text, velvet);
    assert_eq!(
        loaded.skipped[0].to_string(),
        format!(
            "{}: line {line}, column {column}: options[1].items[0].variant: unknown variant \"velvet\" for models/box.glb (has: red, blue)",
            file.display()
        )
    );
    let nope = text.find("\"models/nope.glb\"").expect("nope");
    let (line, column) = roomwave::catalog::line_column(&text, nope);
    let e: &CatalogError = &loaded.skipped[1];
    assert!(
        e.to_string().starts_with(&format!(
            "{}: line {line}, column {column}: options[2].items[0].model: {}: cannot read",
            file.display(),
            dir.join("models/nope.glb").display()
        )),
        "{e}"
    );
    // The loaded option's scene holds both boxes in their variants.
    let scene = &loaded.options[0].scene;
    assert_eq!(scene.item_bounds.len(), 2);
    assert!(scene.triangle_count() > loaded.bare.triangle_count());
}

#[test]
fn a_broken_model_skips_only_the_options_that_use_it() {
    let dir = scratch("catalog-broken");
    write(&dir, "models/box.glb", &box_glb(1.0, 0.8, 0.6));
    let mut broken = box_glb(1.0, 0.8, 0.6);
    broken.truncate(broken.len() / 2);
    write(&dir, "models/broken.glb", &broken);
    let text = format!(
        "{HOUSE}{}{}{}",
        option("Good", "models/box.glb", "red", "rain"),
        option("Broken", "models/broken.glb", "red", "fireplace"),
        option("Also good", "models/box.glb", "blue", "chimes")
    );
    write(&dir, "house.toml", text.as_bytes());
    let loaded = load_catalog(&dir.join("house.toml"), &limits()).expect("valid catalog");
    assert_eq!(loaded.names(), ["Good", "Also good"]);
    assert_eq!(loaded.skipped.len(), 1);
    let e = loaded.skipped[0].to_string();
    assert!(
        e.contains("options[1].items[0].model: ") && e.contains("broken.glb"),
        "{e}"
    );
    // Scenes and ambiences stay in step with the loaded options.
    assert_eq!(loaded.scenes().len(), 3);
    let soundscape = loaded.soundscape();
    assert_eq!(soundscape.option_count(), 2);
    assert_eq!(
        soundscape.source(roomwave::app::Shown::Option(1)).ambience,
        roomwave::audio::ambience::Ambience::Chimes
    );
}

#[test]
fn a_model_reaching_out_of_its_room_skips_the_option() {
    let dir = scratch("catalog-too-big");
    // 6 m wide: no room of the house holds it.
    write(&dir, "models/box.glb", &box_glb(6.0, 0.8, 0.6));
    let text = format!("{HOUSE}{}", option("Huge", "models/box.glb", "red", "rain"));
    write(&dir, "house.toml", text.as_bytes());
    let loaded = load_catalog(&dir.join("house.toml"), &limits()).expect("valid catalog");
    assert!(loaded.options.is_empty());
    let e = loaded.skipped[0].to_string();
    assert!(
        e.contains("options[0].items[0]: models/box.glb placed here spans x -3.00..3.00"),
        "{e}"
    );
    assert!(e.contains("outside room \"living\""), "{e}");
}

#[test]
fn roomwave_check_prints_a_catalog_and_fails_on_a_broken_one() {
    let dir = scratch("catalog-check");
    write(&dir, "models/box.glb", &box_glb(1.0, 0.8, 0.6));
    write(&dir, "house.toml", catalog_text().as_bytes());
    let out = Command::new(env!("CARGO_BIN_EXE_roomwave"))
        .arg("check")
        .arg(dir.join("house.toml"))
        .output()
        .expect("roomwave runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("rooms:      2"), "{stdout}");
    assert!(stdout.contains("options:    2 (2 loaded)"), "{stdout}");
    assert!(stdout.contains(" 1 Red: 2 items, "), "{stdout}");
    let text = catalog_text().replacen("\"blue\"", "\"green\"", 1);
    write(&dir, "house.toml", text.as_bytes());
    let out = Command::new(env!("CARGO_BIN_EXE_roomwave"))
        .arg("check")
        .arg(dir.join("house.toml"))
        .output()
        .expect("roomwave runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "roomwave check: error: {}: {}: options[1].items[0].variant: unknown variant \"green\"",
            dir.join("house.toml").display(),
            at(&text, "\"green\"")
        )),
        "{stderr}"
    );
}

#[test]
fn a_copy_of_the_default_catalog_with_one_broken_model_keeps_the_other_options() {
    let dir = scratch("catalog-default-copy");
    for (path, bytes) in roomwave::catalog::EMBEDDED_FILES {
        write(&dir, path, bytes);
    }
    // Half a file: the GLB header promises more than is there.
    let lamp = dir.join("models/table_lamp.glb");
    let bytes = std::fs::read(&lamp).expect("copied");
    std::fs::write(&lamp, &bytes[..bytes.len() / 2]).expect("truncated");
    let file = dir.join("house.toml");
    let loaded = load_catalog(&file, &limits()).expect("the catalog itself is valid");
    let catalog = &loaded.catalog;
    let uses_lamp: Vec<&str> = catalog
        .options
        .iter()
        .filter(|o| o.items.iter().any(|i| i.model.ends_with("table_lamp.glb")))
        .map(|o| o.name.as_str())
        .collect();
    assert!(!uses_lamp.is_empty() && uses_lamp.len() < catalog.options.len());
    assert_eq!(loaded.skipped.len(), uses_lamp.len());
    assert_eq!(
        loaded.options.len() + uses_lamp.len(),
        catalog.options.len()
    );
    for o in &loaded.options {
        assert!(!uses_lamp.contains(&o.name.as_str()), "{} loaded", o.name);
    }
    for e in &loaded.skipped {
        let text = e.to_string();
        assert!(
            text.starts_with(&format!("{}: line ", file.display()))
                && text.contains(".model: ")
                && text.contains("table_lamp.glb"),
            "{text}"
        );
    }
}

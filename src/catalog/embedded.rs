//! The default catalog and its models, compiled into the binary so `roomwave run`
//! needs no files beside it.

use super::entries::Catalog;
use super::error::CatalogError;
use super::limits::CatalogLimits;
use super::parse::parse_catalog;
use crate::scene::gltf::MemorySource;
use std::path::{Path, PathBuf};

/// The name the embedded catalog has in errors and logs.
pub const DEFAULT_CATALOG_NAME: &str = "assets/house.toml";

/// Every data file under `assets/`, by path relative to it (a test checks the list is
/// complete; Markdown notes are left out).
pub const EMBEDDED_FILES: &[(&str, &[u8])] = &[
    ("house.toml", include_bytes!("../../assets/house.toml")),
    (
        "models/armchair.glb",
        include_bytes!("../../assets/models/armchair.glb"),
    ),
    (
        "models/bookshelf.glb",
        include_bytes!("../../assets/models/bookshelf.glb"),
    ),
    (
        "models/coffee_table.glb",
        include_bytes!("../../assets/models/coffee_table.glb"),
    ),
    (
        "models/curtains.glb",
        include_bytes!("../../assets/models/curtains.glb"),
    ),
    (
        "models/dining_chair.glb",
        include_bytes!("../../assets/models/dining_chair.glb"),
    ),
    (
        "models/dining_table.glb",
        include_bytes!("../../assets/models/dining_table.glb"),
    ),
    (
        "models/floor_lamp.glb",
        include_bytes!("../../assets/models/floor_lamp.glb"),
    ),
    (
        "models/pendant_lamp.glb",
        include_bytes!("../../assets/models/pendant_lamp.glb"),
    ),
    (
        "models/plant.glb",
        include_bytes!("../../assets/models/plant.glb"),
    ),
    (
        "models/rug.glb",
        include_bytes!("../../assets/models/rug.glb"),
    ),
    (
        "models/side_table.glb",
        include_bytes!("../../assets/models/side_table.glb"),
    ),
    (
        "models/sideboard.glb",
        include_bytes!("../../assets/models/sideboard.glb"),
    ),
    (
        "models/sofa.glb",
        include_bytes!("../../assets/models/sofa.glb"),
    ),
    (
        "models/stool.glb",
        include_bytes!("../../assets/models/stool.glb"),
    ),
    (
        "models/table_lamp.glb",
        include_bytes!("../../assets/models/table_lamp.glb"),
    ),
    (
        "models/wall_art.glb",
        include_bytes!("../../assets/models/wall_art.glb"),
    ),
];

/// The embedded files as an asset source, paths relative to `assets/`.
pub fn embedded_source() -> MemorySource {
    MemorySource {
        files: EMBEDDED_FILES
            .iter()
            .map(|(path, bytes)| (PathBuf::from(path), bytes.to_vec()))
            .collect(),
    }
}

/// The embedded catalog's text.
pub fn default_catalog_text() -> &'static str {
    // The table is built from files in the repository; a test parses them.
    EMBEDDED_FILES
        .iter()
        .find(|(p, _)| *p == "house.toml")
        .and_then(|(_, b)| std::str::from_utf8(b).ok())
        .unwrap_or("")
}

/// The embedded catalog, parsed and checked (models not loaded).
pub fn default_catalog(limits: &CatalogLimits) -> Result<Catalog, CatalogError> {
    parse_catalog(
        default_catalog_text(),
        Path::new(DEFAULT_CATALOG_NAME),
        limits,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_under_assets_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
        let mut on_disk = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("assets/ is readable") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    // Notes for people (how the models are made), not data the app reads.
                    continue;
                } else {
                    let rel = path.strip_prefix(&root).expect("under assets/");
                    on_disk.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        on_disk.sort();
        let mut embedded: Vec<String> = EMBEDDED_FILES.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(
            embedded, on_disk,
            "EMBEDDED_FILES must list every file in assets/"
        );
        for (path, bytes) in EMBEDDED_FILES {
            let disk = std::fs::read(root.join(path)).expect("embedded file exists");
            assert_eq!(&disk[..], *bytes, "{path} is stale");
        }
    }

    #[test]
    fn the_default_catalog_parses() {
        let catalog =
            default_catalog(&CatalogLimits::default()).expect("the default catalog is valid");
        assert!(catalog.house.rooms.len() >= 2);
    }
}

//! The decoration catalog: a TOML file describing the house (rooms, openings,
//! where the wearer starts) and the decoration options (placed glTF models in
//! chosen material variants, finishes, lighting, ambience).
//!
//! [`parse_catalog`] turns text into a checked [`Catalog`] without touching the
//! disk; [`load_catalog`] reads a file (its size capped first) and loads every
//! model it names, building one scene per option (what `roomwave check`
//! needs); [`open_catalog`] parses it and builds only the bare house, and
//! loads an option's models when that option is asked for (what a session needs). The default catalog,
//! `assets/house.toml` and its models, is embedded in the binary ([`embedded`]).

mod embedded;
mod entries;
mod error;
mod limits;
mod load;
mod parse;
mod schema;
mod staged;

pub use embedded::{
    DEFAULT_CATALOG_NAME, EMBEDDED_FILES, default_catalog, default_catalog_text, embedded_source,
};
pub use entries::{Catalog, ItemEntry, OptionEntry};
pub use error::{CatalogError, Place, line_column};
pub use limits::CatalogLimits;
pub use load::{
    LoadedCatalog, LoadedModel, LoadedOption, load_catalog, load_catalog_from, load_default_catalog,
};
pub use parse::{ambience_named, ambience_names, parse_catalog};
pub use staged::{
    DEFAULT_CACHED_OPTIONS, StagedCatalog, open_catalog, open_catalog_from, open_default_catalog,
};

//! The catalog file's shape, exactly as written in TOML (see `assets/house.toml`).
//!
//! Every table denies unknown fields, so a misspelt key is an error with its line
//! and column instead of a silently ignored setting. Tables and names that later
//! checks refer to are `Spanned`, so those errors can name their place too.
//! Positions are metres relative to the centre of the named room's floor.

use serde::Deserialize;
use toml::Spanned;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CatalogFile {
    pub start: Spanned<StartSpec>,
    pub rooms: Vec<Spanned<RoomSpec>>,
    #[serde(default)]
    pub openings: Vec<Spanned<OpeningSpec>>,
    pub options: Vec<Spanned<OptionSpec>>,
}

/// `[start]`: where the wearer stands when the session begins.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StartSpec {
    pub room: Spanned<String>,
    /// x, z from the room's centre.
    #[serde(default)]
    pub position: [f32; 2],
    /// 0 looks along -z (north), 90 along -x.
    #[serde(default)]
    pub facing_deg: f32,
}

/// `[[rooms]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoomSpec {
    pub name: Spanned<String>,
    /// Interior width (x), depth (z) and height, metres.
    pub size: [f32; 3],
    /// Interior centre in house space, x and z.
    pub centre: [f32; 2],
}

/// Which wall, as seen from inside the room.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum WallSpec {
    North,
    South,
    East,
    West,
}

/// What an opening is.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum OpeningKindSpec {
    Window,
    Door,
    Doorway,
}

/// `[[openings]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OpeningSpec {
    pub kind: OpeningKindSpec,
    pub room: Spanned<String>,
    pub wall: WallSpec,
    /// For doorways: the room on the other side of the wall.
    pub to: Option<Spanned<String>>,
    /// The opening's centre along the wall, from the wall's middle, to the right
    /// as seen from inside.
    #[serde(default)]
    pub offset: f32,
    pub width: f32,
    /// Bottom edge; doors and doorways start at the floor.
    #[serde(default)]
    pub sill: f32,
    /// Top edge.
    pub top: f32,
}

/// `[[options]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OptionSpec {
    pub name: Spanned<String>,
    pub ambience: Spanned<AmbienceSpec>,
    pub finishes: FinishesSpec,
    pub lighting: LightingSpec,
    #[serde(default)]
    pub items: Vec<Spanned<ItemSpec>>,
}

/// `ambience = { sound = "rain", room = "living", at = [x, y, z] }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AmbienceSpec {
    pub sound: Spanned<String>,
    pub room: Spanned<String>,
    pub at: [f32; 3],
}

/// `[options.finishes]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FinishesSpec {
    pub walls: Spanned<SurfaceSpec>,
    pub floor: Spanned<SurfaceSpec>,
    pub ceiling: Spanned<SurfaceSpec>,
    pub trim: Option<Spanned<SurfaceSpec>>,
    pub door: Option<Spanned<SurfaceSpec>>,
}

/// A surface: `{ color = "#D2B48C", roughness = 0.55, pattern = "planks" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SurfaceSpec {
    /// sRGB hex, `#RRGGBB`.
    pub color: Spanned<String>,
    pub roughness: f32,
    #[serde(default)]
    pub metallic: f32,
    #[serde(default)]
    pub pattern: PatternSpec,
}

/// The procedural patterns of `scene::Pattern` a surface may use.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PatternSpec {
    #[default]
    Plain,
    Planks,
    Tiles,
    Stripes,
}

/// `[options.lighting]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LightingSpec {
    /// Ambient light from above.
    pub sky: Spanned<GlowSpec>,
    /// Ambient light bounced from below.
    pub ground: Spanned<GlowSpec>,
    #[serde(default = "one")]
    pub exposure: f32,
    pub sun: Option<Spanned<SunSpec>>,
    #[serde(default)]
    pub lights: Vec<Spanned<LightSpec>>,
}

fn one() -> f32 {
    1.0
}

/// A colour and how strong it is: `{ color = "#FFF1DD", intensity = 0.3 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GlowSpec {
    pub color: Spanned<String>,
    pub intensity: f32,
}

/// Sunlight through the windows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SunSpec {
    /// Direction towards the sun (normalised when read).
    pub towards: [f32; 3],
    pub color: Spanned<String>,
    pub intensity: f32,
}

/// A lamp's kind: light in every direction, or in a cone.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LightKindSpec {
    #[default]
    Point,
    Spot,
}

/// `[[options.lighting.lights]]`: a lamp.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LightSpec {
    #[serde(default)]
    pub kind: LightKindSpec,
    pub room: Spanned<String>,
    pub at: [f32; 3],
    pub color: Spanned<String>,
    pub intensity: f32,
    /// Metres at which the light has faded to nothing.
    pub range: f32,
    /// Spots: where the cone's axis points (normalised when read).
    pub direction: Option<[f32; 3]>,
    /// Spots: the cone's half-angle in degrees (full light within 80 % of it).
    pub cone_deg: Option<f32>,
}

/// `[[options.items]]`: one model placed in a room.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ItemSpec {
    /// `.glb` or `.gltf`, relative to the catalog file.
    pub model: Spanned<String>,
    pub room: Spanned<String>,
    /// The model's origin, from the room's floor centre.
    pub at: [f32; 3],
    /// Turn about +y in degrees (0 keeps the model's front facing +z).
    pub yaw_deg: Option<f32>,
    /// A full rotation as a quaternion x, y, z, w (instead of `yaw_deg`).
    pub rotation: Option<[f32; 4]>,
    /// Uniform scale, or x, y, z.
    pub scale: Option<ScaleSpec>,
    /// A KHR_materials_variants name of the model.
    pub variant: Option<Spanned<String>>,
}

/// `scale = 1.2` or `scale = [1, 1.2, 1]`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum ScaleSpec {
    Uniform(f32),
    Axes([f32; 3]),
}

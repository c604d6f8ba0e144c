//! The finishes the models are offered in, as glTF metallic-roughness materials.
//! Colours are written as sRGB hex (as a designer's swatch would be) and converted to
//! the linear factors glTF stores.

use super::textures::{Artwork, Grain, RugPattern, TextureKind, Weave};

/// The linear mean of the detail maps (they average about 0.9 in sRGB): a factor is the
/// wanted colour divided by this, so texture times factor averages to the swatch.
pub const DETAIL_MEAN_LINEAR: f32 = 0.78;

/// How a material uses alpha.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Alpha {
    /// Alpha ignored.
    Opaque,
    /// Cut out below this alpha.
    Mask(f32),
}

/// A glTF metallic-roughness material.
#[derive(Clone, Debug, PartialEq)]
pub struct Material {
    /// Unique within a file; the writer shares materials by name.
    pub name: String,
    /// Linear RGBA factor.
    pub base_color: [f32; 4],
    /// Base colour texture (sRGB).
    pub base_texture: Option<TextureKind>,
    /// Metalness factor.
    pub metallic: f32,
    /// Roughness factor.
    pub roughness: f32,
    /// Metallic-roughness texture.
    pub mr_texture: Option<TextureKind>,
    /// Normal map and its scale.
    pub normal_texture: Option<(TextureKind, f32)>,
    /// Linear emissive colour (each channel at most 1).
    pub emissive: [f32; 3],
    /// KHR_materials_emissive_strength (1 = no extension written).
    pub emissive_strength: f32,
    /// Alpha mode.
    pub alpha: Alpha,
    /// Drawn from both sides.
    pub double_sided: bool,
}

impl Material {
    /// A plain material of an sRGB colour.
    pub fn plain(name: &str, hex: u32, roughness: f32) -> Self {
        Self {
            name: name.to_string(),
            base_color: linear(hex),
            base_texture: None,
            metallic: 0.0,
            roughness,
            mr_texture: None,
            normal_texture: None,
            emissive: [0.0; 3],
            emissive_strength: 1.0,
            alpha: Alpha::Opaque,
            double_sided: false,
        }
    }

    /// A colour over a detail map (see [`DETAIL_MEAN_LINEAR`]).
    pub fn detailed(name: &str, hex: u32, roughness: f32, detail: TextureKind) -> Self {
        let [r, g, b, _] = linear(hex);
        let f = |c: f32| (c / DETAIL_MEAN_LINEAR).min(1.0);
        Self {
            base_color: [f(r), f(g), f(b), 1.0],
            base_texture: Some(detail),
            ..Self::plain(name, hex, roughness)
        }
    }

    /// A picture texture at full strength.
    pub fn pictured(name: &str, picture: TextureKind, roughness: f32) -> Self {
        Self {
            base_color: [1.0; 4],
            base_texture: Some(picture),
            ..Self::plain(name, 0xFFFFFF, roughness)
        }
    }

    /// Whether the material has a normal map (so its primitive needs tangents).
    pub fn has_normal_map(&self) -> bool {
        self.normal_texture.is_some()
    }
}

/// An sRGB hex colour as a linear RGBA factor.
pub fn linear(hex: u32) -> [f32; 4] {
    let c = |shift: u32| {
        let s = ((hex >> shift) & 255) as f32 / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    [c(16), c(8), c(0), 1.0]
}

/// Wood and painted finishes of case furniture and frames.
pub fn wood(name: &str) -> Material {
    match name {
        "oak" => Material::detailed(name, 0xC29A6B, 0.55, TextureKind::Wood(Grain::Oak)),
        "walnut" => Material::detailed(name, 0x6E4B32, 0.5, TextureKind::Wood(Grain::Walnut)),
        "black_ash" => Material::detailed(name, 0x2E2A27, 0.6, TextureKind::Wood(Grain::Ash)),
        "ash" => Material::detailed(name, 0xD8C3A0, 0.55, TextureKind::Wood(Grain::Ash)),
        "white_lacquer" => Material::plain(name, 0xEDEBE6, 0.25),
        "teal_lacquer" => Material::plain(name, 0x2F5D62, 0.28),
        "white_marble" => Material {
            roughness: 0.18,
            ..Material::pictured(name, TextureKind::Marble, 0.18)
        },
        other => metal(other),
    }
}

/// Metals: brushed, with roughness streaks from the metallic-roughness map.
pub fn metal(name: &str) -> Material {
    let (hex, metallic, roughness) = match name {
        "brass" => (0xC9A15A, 1.0, 0.45),
        "black_metal" | "black" => (0x202022, 0.7, 0.65),
        "chrome" => (0xDADCDF, 1.0, 0.2),
        "white" => (0xEEEDEA, 0.0, 0.45),
        _ => (0x808080, 1.0, 0.5),
    };
    Material {
        metallic,
        roughness,
        mr_texture: Some(TextureKind::BrushedMetal),
        ..Material::plain(name, hex, roughness)
    }
}

/// Upholstery, with a weave normal map (tile 15 cm).
pub fn fabric(name: &str) -> Material {
    let (hex, roughness, weave, strength) = match name {
        "oat_linen" => (0xCDBFA3, 0.9, Weave::Linen, 1.0),
        "teal_velvet" => (0x1E5A5C, 0.75, Weave::Velvet, 0.6),
        "cognac_leather" => (0x7F4A28, 0.45, Weave::Leather, 0.5),
        "ivory_boucle" => (0xEDE6D6, 0.95, Weave::Boucle, 1.0),
        "rust_corduroy" => (0xA8462A, 0.85, Weave::Corduroy, 1.0),
        "charcoal_wool" => (0x3D3E40, 0.9, Weave::Wool, 0.8),
        "white_linen" => (0xF1EDE4, 0.9, Weave::Linen, 0.8),
        "green_velvet" => (0x2E4A38, 0.75, Weave::Velvet, 0.6),
        "grey_wool" => (0x8B8D8F, 0.9, Weave::Wool, 0.8),
        "rattan" => (0xB8925A, 0.7, Weave::Rattan, 1.0),
        _ => (0x999999, 0.9, Weave::Linen, 1.0),
    };
    Material {
        normal_texture: Some((TextureKind::FabricNormal(weave), strength)),
        ..Material::detailed(name, hex, roughness, TextureKind::Fabric(weave))
    }
}

/// Glazed ceramic and terracotta.
pub fn ceramic(name: &str) -> Material {
    let (hex, roughness) = match name {
        "terracotta" => (0xB5633D, 0.85),
        "white_ceramic" => (0xF0EEE8, 0.25),
        "black_ceramic" => (0x2A2A2B, 0.3),
        "sage_ceramic" => (0x9DAE93, 0.3),
        _ => (0xCCCCCC, 0.4),
    };
    Material::detailed(name, hex, roughness, TextureKind::Speckle)
}

/// A rug's woven picture.
pub fn rug(name: &str) -> Material {
    let pattern = match name {
        "red_kilim" => RugPattern::RedKilim,
        "grey_wool" => RugPattern::GreyWool,
        "jute" => RugPattern::Jute,
        "blue_abstract" => RugPattern::BlueAbstract,
        _ => RugPattern::NaturalStripes,
    };
    Material::pictured(name, TextureKind::Rug(pattern), 0.95)
}

/// A print behind the frame's mount.
pub fn artwork(name: &str) -> Material {
    let art = match name {
        "cool_abstract" => Artwork::CoolAbstract,
        "botanical" => Artwork::Botanical,
        "monochrome" => Artwork::Monochrome,
        _ => Artwork::WarmAbstract,
    };
    Material::pictured(name, TextureKind::Art(art), 0.7)
}

/// Leaves: a cut-out picture, seen from both sides.
pub fn leaf() -> Material {
    Material {
        alpha: Alpha::Mask(0.5),
        double_sided: true,
        ..Material::pictured("leaf", TextureKind::Leaf, 0.6)
    }
}

/// A lamp shade that glows: diffuse fabric lit from inside. `strength` > 1 writes
/// KHR_materials_emissive_strength.
pub fn glowing_shade(name: &str, hex: u32, glow: [f32; 3], strength: f32) -> Material {
    Material {
        emissive: glow,
        emissive_strength: strength,
        ..Material::detailed(name, hex, 0.9, TextureKind::Fabric(Weave::Linen))
    }
}

/// The same material under each variant name, built by `make`.
pub fn per_variant(variants: &[&str], make: impl Fn(&str) -> Material) -> Vec<Material> {
    variants.iter().map(|v| make(v)).collect()
}

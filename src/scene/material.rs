//! Surface materials (glTF metallic-roughness with texture slots) and the room's finishes.

pub use super::gltf::{AlphaMode, UvTransform};

/// A procedural surface pattern the shader applies over the base colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Uniform colour.
    Plain = 0,
    /// The view out of the window: a sky and horizon gradient, emissive.
    Sky = 1,
    /// Wooden floorboards, 16 cm wide, running along x.
    Planks = 2,
    /// 60 cm tiles or concrete slabs with thin joints.
    Tiles = 3,
    /// Woven stripes, for rugs and throws.
    Stripes = 4,
}

/// How a material's texture is sampled: which texture, which UV set, and the
/// KHR_texture_transform applied to the UVs first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextureSlot {
    /// Index into [`crate::scene::Scene::textures`].
    pub texture: u32,
    /// Which UV set: 0 reads [`crate::scene::Vertex::uv0`], 1 reads `uv1`.
    pub tex_coord: u32,
    /// Scale, rotation and offset applied to the UVs before sampling.
    pub transform: UvTransform,
}

/// How a surface looks: glTF's metallic-roughness model (linear space), its
/// textures, and a procedural pattern for the room shell's finishes.
///
/// Every factor multiplies its texture (glTF 2.0 section 3.9.2); a slot left
/// `None` samples as white (or, for the normal map, as the flat normal).
#[derive(Clone, Debug, PartialEq)]
pub struct Material {
    /// Linear-space base colour and alpha (not sRGB); multiplies the texture.
    pub base_color: [f32; 4],
    /// 0 = mirror-like, 1 = fully diffuse; multiplies the texture's G channel.
    pub roughness: f32,
    /// 0 = dielectric, 1 = metal; multiplies the texture's B channel.
    pub metallic: f32,
    /// Emitted light, linear RGB, with KHR_materials_emissive_strength folded
    /// in (so values above 1 are allowed); multiplies the emissive texture.
    pub emissive: [f32; 3],
    /// Procedural pattern (the room shell's finishes; `Plain` for models).
    pub pattern: Pattern,
    /// Base colour texture (sRGB, alpha in A).
    pub base_color_texture: Option<TextureSlot>,
    /// Roughness in G, metalness in B (linear).
    pub metallic_roughness_texture: Option<TextureSlot>,
    /// Tangent-space normal map (linear, glTF's +Y-up convention).
    pub normal_texture: Option<TextureSlot>,
    /// Scale of the normal map's X and Y.
    pub normal_scale: f32,
    /// Ambient occlusion in R (linear).
    pub occlusion_texture: Option<TextureSlot>,
    /// How much the occlusion texture applies, 0..1.
    pub occlusion_strength: f32,
    /// Emissive texture (sRGB).
    pub emissive_texture: Option<TextureSlot>,
    /// How alpha is used: opaque, cut out at a threshold, or blended.
    pub alpha: AlphaMode,
    /// Whether back faces are drawn (lit with the flipped normal).
    pub double_sided: bool,
}

impl Default for Material {
    /// glTF's default material (spec 3.9.6) without the pattern: white,
    /// fully rough, fully metallic, opaque, one-sided.
    fn default() -> Self {
        Material {
            base_color: [1.0; 4],
            roughness: 1.0,
            metallic: 1.0,
            emissive: [0.0; 3],
            pattern: Pattern::Plain,
            base_color_texture: None,
            metallic_roughness_texture: None,
            normal_texture: None,
            normal_scale: 1.0,
            occlusion_texture: None,
            occlusion_strength: 1.0,
            emissive_texture: None,
            alpha: AlphaMode::Opaque,
            double_sided: false,
        }
    }
}

impl Material {
    /// A dielectric from an sRGB hex colour (as a designer would pick it), e.g. `0xF2EEE6`.
    pub fn srgb(hex: u32, roughness: f32) -> Self {
        let channel = |shift: u32| srgb_to_linear(((hex >> shift) & 0xFF) as f32 / 255.0);
        Material {
            base_color: [channel(16), channel(8), channel(0), 1.0],
            roughness,
            metallic: 0.0,
            ..Material::default()
        }
    }

    /// The same material as a metal.
    pub fn metal(mut self) -> Self {
        self.metallic = 1.0;
        self
    }

    /// The same material glowing at `strength` times its base colour (lamp
    /// shades, the sky): sets [`Material::emissive`].
    pub fn glowing(mut self, strength: f32) -> Self {
        let [r, g, b, _] = self.base_color;
        self.emissive = [r * strength, g * strength, b * strength];
        self
    }

    /// The same material with a pattern.
    pub fn with_pattern(mut self, pattern: Pattern) -> Self {
        self.pattern = pattern;
        self
    }

    /// Every texture slot that is set.
    pub fn texture_slots(&self) -> impl Iterator<Item = &TextureSlot> {
        [
            &self.base_color_texture,
            &self.metallic_roughness_texture,
            &self.normal_texture,
            &self.occlusion_texture,
            &self.emissive_texture,
        ]
        .into_iter()
        .flatten()
    }
}

/// The sRGB transfer function, inverted (IEC 61966-2-1).
fn srgb_to_linear(c: f32) -> f32 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// The room's surfaces for one option.
#[derive(Clone, Debug, PartialEq)]
pub struct Finishes {
    /// Wall paint or plaster.
    pub walls: Material,
    /// Floor covering.
    pub floor: Material,
    /// Ceiling.
    pub ceiling: Material,
    /// Skirting boards, window and door frames.
    pub trim: Material,
    /// The door leaf.
    pub door: Material,
}

impl Finishes {
    /// The unfurnished room: white paint, pale boards, white trim.
    pub fn bare() -> Self {
        Finishes {
            walls: Material::srgb(0xE9E6E0, 0.9),
            floor: Material::srgb(0xC9B79C, 0.6).with_pattern(Pattern::Planks),
            ceiling: Material::srgb(0xF4F3F0, 0.95),
            trim: Material::srgb(0xF7F6F2, 0.5),
            door: Material::srgb(0xF1EFEA, 0.45),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srgb_hex_converts_to_linear() {
        let m = Material::srgb(0xFF8000, 0.5);
        assert_eq!(m.base_color[0], 1.0);
        // sRGB 128/255 is about 21.6 % linear.
        assert!((m.base_color[1] - 0.2158).abs() < 1e-3);
        assert_eq!(m.base_color[2], 0.0);
        assert_eq!(m.base_color[3], 1.0, "opaque");
        assert_eq!(m.metallic, 0.0);
        assert_eq!(m.alpha, AlphaMode::Opaque);
    }

    #[test]
    fn glowing_emits_its_base_colour_times_strength() {
        let m = Material::srgb(0xFF0000, 1.0).glowing(3.0);
        assert_eq!(m.emissive, [3.0, 0.0, 0.0]);
        assert_eq!(m.texture_slots().count(), 0);
    }
}

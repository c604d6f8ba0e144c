//! Surface materials and the room's finishes.

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

/// How a surface looks: linear albedo, roughness, metalness, self-emission.
#[derive(Clone, Debug, PartialEq)]
pub struct Material {
    /// Linear-space albedo (not sRGB).
    pub base_color: [f32; 3],
    /// 0 = mirror-like, 1 = fully diffuse.
    pub roughness: f32,
    /// 0 = dielectric, 1 = metal.
    pub metallic: f32,
    /// Emitted light as a multiple of the albedo (lamp shades, the sky).
    pub emissive: f32,
    /// Procedural pattern.
    pub pattern: Pattern,
}

impl Material {
    /// A dielectric from an sRGB hex colour (as a designer would pick it), e.g. `0xF2EEE6`.
    pub fn srgb(hex: u32, roughness: f32) -> Self {
        let channel = |shift: u32| srgb_to_linear(((hex >> shift) & 0xFF) as f32 / 255.0);
        Material {
            base_color: [channel(16), channel(8), channel(0)],
            roughness,
            metallic: 0.0,
            emissive: 0.0,
            pattern: Pattern::Plain,
        }
    }

    /// The same material as a metal.
    pub fn metal(mut self) -> Self {
        self.metallic = 1.0;
        self
    }

    /// The same material glowing at `strength` times its albedo.
    pub fn glowing(mut self, strength: f32) -> Self {
        self.emissive = strength;
        self
    }

    /// The same material with a pattern.
    pub fn with_pattern(mut self, pattern: Pattern) -> Self {
        self.pattern = pattern;
        self
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
    }
}

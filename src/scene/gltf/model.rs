//! What the loader hands the renderer: plain CPU data, no Vulkan, no `gltf` crate types.

use super::geometry::Attributes;
use glam::{Mat3, Mat4, Vec2, Vec3};

/// A loaded glTF model, in metres (glTF's unit), y up.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// Meshes, indexed like the file's `meshes`; posed copies of skinned meshes follow.
    pub meshes: Vec<Mesh>,
    /// Materials, indexed like the file's `materials`.
    pub materials: Vec<PbrMaterial>,
    /// Textures (an image and a sampler), indexed like the file's `textures`.
    pub textures: Vec<Texture>,
    /// Decoded images with mip chains, indexed like the file's `images`.
    pub images: Vec<TextureImage>,
    /// Every mesh placed by the scene's node hierarchy, with its world transform.
    pub instances: Vec<MeshInstance>,
    /// KHR_lights_punctual lights placed by the node hierarchy.
    pub lights: Vec<PlacedLight>,
    /// KHR_materials_variants names, indexed like the file's variants.
    pub variants: Vec<String>,
    /// World-space bounds of all instances, in metres; `None` when nothing is drawn.
    pub bounds: Option<Bounds>,
    /// Things that were loaded with a fallback (a broken texture, an unsupported
    /// material extension, a primitive mode that is not drawn).
    pub warnings: Vec<String>,
}

/// A mesh: its primitives, each an indexed triangle list.
#[derive(Clone, Debug, Default)]
pub struct Mesh {
    /// The mesh's name in the file.
    pub name: Option<String>,
    /// Triangle-list primitives (points and lines are left out, with a warning).
    pub primitives: Vec<Primitive>,
}

/// One draw: vertices, a triangle list, and its material.
#[derive(Clone, Debug, Default)]
pub struct Primitive {
    /// Vertex attributes; normals are always present (generated flat when missing),
    /// tangents when the file has them or a normal map needs them.
    pub attributes: Attributes,
    /// Triangle list into the attributes (a multiple of 3, every index in range).
    pub indices: Vec<u32>,
    /// Index into [`Model::materials`]; `None` means glTF's default material.
    pub material: Option<usize>,
    /// KHR_materials_variants: which material to use for which variant.
    pub variant_materials: Vec<VariantMaterial>,
}

impl Primitive {
    /// Number of triangles.
    pub fn triangle_count(&self) -> usize {
        self.indices.len() / 3
    }

    /// The material to draw with when `variant` (an index into [`Model::variants`]) is
    /// chosen; the primitive's own material when the variant does not map it.
    pub fn material_for(&self, variant: Option<usize>) -> Option<usize> {
        variant
            .and_then(|v| self.variant_materials.iter().find(|m| m.variant == v))
            .map_or(self.material, |m| Some(m.material))
    }
}

/// A KHR_materials_variants mapping of one primitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VariantMaterial {
    /// Index into [`Model::variants`].
    pub variant: usize,
    /// Index into [`Model::materials`].
    pub material: usize,
}

/// A mesh placed in the model's space.
#[derive(Clone, Debug)]
pub struct MeshInstance {
    /// Index into [`Model::meshes`].
    pub mesh: usize,
    /// The node's world transform (parents applied).
    pub transform: Mat4,
    /// The node's index in the file.
    pub node: usize,
}

/// Axis-aligned bounds in metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// Smallest corner.
    pub min: Vec3,
    /// Largest corner.
    pub max: Vec3,
}

impl Bounds {
    /// Width, height and depth.
    pub fn size(&self) -> Vec3 {
        self.max - self.min
    }
}

/// A metallic-roughness material (glTF's core model).
#[derive(Clone, Debug, PartialEq)]
pub struct PbrMaterial {
    /// The material's name in the file.
    pub name: Option<String>,
    /// Linear RGBA multiplier of the base colour.
    pub base_color_factor: [f32; 4],
    /// Base colour texture (sRGB).
    pub base_color_texture: Option<TextureRef>,
    /// Metalness multiplier.
    pub metallic_factor: f32,
    /// Roughness multiplier.
    pub roughness_factor: f32,
    /// Roughness in G, metalness in B (linear).
    pub metallic_roughness_texture: Option<TextureRef>,
    /// Tangent-space normal map (linear).
    pub normal_texture: Option<TextureRef>,
    /// Scale of the normal map's X and Y.
    pub normal_scale: f32,
    /// Ambient occlusion in R (linear).
    pub occlusion_texture: Option<TextureRef>,
    /// How much occlusion applies (0..1).
    pub occlusion_strength: f32,
    /// Linear RGB emission multiplier.
    pub emissive_factor: [f32; 3],
    /// Emissive texture (sRGB).
    pub emissive_texture: Option<TextureRef>,
    /// KHR_materials_emissive_strength (1 when absent).
    pub emissive_strength: f32,
    /// How alpha is used.
    pub alpha_mode: AlphaMode,
    /// Whether back faces are drawn (and lit with the flipped normal).
    pub double_sided: bool,
}

impl Default for PbrMaterial {
    /// glTF's default material (spec 3.9.6).
    fn default() -> Self {
        Self {
            name: None,
            base_color_factor: [1.0; 4],
            base_color_texture: None,
            metallic_factor: 1.0,
            roughness_factor: 1.0,
            metallic_roughness_texture: None,
            normal_texture: None,
            normal_scale: 1.0,
            occlusion_texture: None,
            occlusion_strength: 1.0,
            emissive_factor: [0.0; 3],
            emissive_texture: None,
            emissive_strength: 1.0,
            alpha_mode: AlphaMode::Opaque,
            double_sided: false,
        }
    }
}

/// glTF's alpha modes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AlphaMode {
    /// Alpha is ignored.
    Opaque,
    /// Fragments with alpha below `cutoff` are discarded, the rest are opaque.
    Mask {
        /// The alpha cutoff (0.5 by default).
        cutoff: f32,
    },
    /// Alpha blending.
    Blend,
}

/// A material's use of a texture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextureRef {
    /// Index into [`Model::textures`].
    pub texture: usize,
    /// Which TEXCOORD set (0 or 1), after KHR_texture_transform's override.
    pub tex_coord: u32,
    /// KHR_texture_transform (identity when absent).
    pub transform: UvTransform,
}

/// KHR_texture_transform: UVs are scaled, then rotated, then offset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UvTransform {
    /// Added last.
    pub offset: [f32; 2],
    /// Radians, counter-clockwise in UV space.
    pub rotation: f32,
    /// Applied first.
    pub scale: [f32; 2],
}

impl Default for UvTransform {
    fn default() -> Self {
        Self {
            offset: [0.0; 2],
            rotation: 0.0,
            scale: [1.0; 2],
        }
    }
}

impl UvTransform {
    /// The 3x3 matrix the extension's spec gives: translation * rotation * scale,
    /// with rotation written as (cos, sin; -sin, cos) in row-major form.
    pub fn matrix(&self) -> Mat3 {
        let (s, c) = self.rotation.sin_cos();
        let translation = Mat3::from_translation(Vec2::from(self.offset));
        // Row-major (c, s, 0; -s, c, 0; 0, 0, 1) is column-major (c, -s, 0), (s, c, 0).
        let rotation = Mat3::from_cols(Vec3::new(c, -s, 0.0), Vec3::new(s, c, 0.0), Vec3::Z);
        let scale = Mat3::from_scale(Vec2::from(self.scale));
        translation * rotation * scale
    }

    /// Transforms one UV.
    pub fn apply(&self, uv: [f32; 2]) -> [f32; 2] {
        self.matrix().transform_point2(Vec2::from(uv)).to_array()
    }

    /// Whether this is the identity (nothing to apply).
    pub fn is_identity(&self) -> bool {
        *self == Self::default()
    }
}

/// A texture: an image and how to sample it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Texture {
    /// Index into [`Model::images`].
    pub image: usize,
    /// Sampling state.
    pub sampler: Sampler,
}

/// Sampling state (glTF sampler, defaults filled in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sampler {
    /// Magnification filter.
    pub mag_filter: Filter,
    /// Minification filter within a mip level.
    pub min_filter: Filter,
    /// Filter between mip levels; `None` means no mipmapping.
    pub mipmap_filter: Option<Filter>,
    /// Wrapping along u.
    pub wrap_s: Wrap,
    /// Wrapping along v.
    pub wrap_t: Wrap,
}

impl Default for Sampler {
    /// What the spec suggests when a sampler leaves filters undefined: trilinear, repeat.
    fn default() -> Self {
        Self {
            mag_filter: Filter::Linear,
            min_filter: Filter::Linear,
            mipmap_filter: Some(Filter::Linear),
            wrap_s: Wrap::Repeat,
            wrap_t: Wrap::Repeat,
        }
    }
}

/// Texel filtering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    /// Nearest texel.
    Nearest,
    /// Linear interpolation.
    Linear,
}

/// Texture coordinate wrapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrap {
    /// Repeat.
    Repeat,
    /// Mirrored repeat.
    MirroredRepeat,
    /// Clamp to edge.
    ClampToEdge,
}

/// How an image's bytes encode colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorSpace {
    /// sRGB-encoded colour (base colour, emissive): filtered in linear light.
    Srgb,
    /// Plain data (normals, metallic-roughness, occlusion).
    Linear,
}

/// A decoded RGBA8 image with its full mip chain.
#[derive(Clone, Debug, PartialEq)]
pub struct TextureImage {
    /// The image's name or URI in the file.
    pub name: Option<String>,
    /// How the bytes encode colour.
    pub color_space: ColorSpace,
    /// Level 0 (full size) down to 1x1.
    pub levels: Vec<MipLevel>,
    /// True when the image could not be decoded and a checkerboard stands in for it.
    pub placeholder: bool,
}

/// One mip level: tightly packed RGBA8 rows, top row first.
#[derive(Clone, Debug, PartialEq)]
pub struct MipLevel {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 4` bytes.
    pub rgba: Vec<u8>,
}

/// A KHR_lights_punctual light with its place in the model.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLight {
    /// The light's name in the file.
    pub name: Option<String>,
    /// Directional, point or spot.
    pub kind: LightKind,
    /// Linear RGB colour.
    pub color: [f32; 3],
    /// Candela for point and spot lights, lux for directional lights.
    pub intensity: f32,
    /// Distance where the light's influence ends, if the file limits it.
    pub range: Option<f32>,
    /// Position in the model's space.
    pub position: Vec3,
    /// Direction the light points (the node's -Z), normalised.
    pub direction: Vec3,
}

/// The kinds of punctual light.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LightKind {
    /// Parallel light along the direction.
    Directional,
    /// Light from a point in all directions.
    Point,
    /// A cone along the direction.
    Spot {
        /// Full intensity inside this angle from the axis (radians).
        inner_cone_angle: f32,
        /// No light outside this angle (radians).
        outer_cone_angle: f32,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: [f32; 2], b: [f32; 2]) -> bool {
        (a[0] - b[0]).abs() < 1e-5 && (a[1] - b[1]).abs() < 1e-5
    }

    #[test]
    fn texture_transform_scales_then_rotates_then_offsets() {
        let t = UvTransform {
            offset: [0.5, 0.0],
            rotation: std::f32::consts::FRAC_PI_2,
            scale: [2.0, 1.0],
        };
        // (1, 0) scaled to (2, 0); the spec's rotation matrix maps (x, y) to
        // (x cos + y sin, -x sin + y cos) = (0, -2); then offset: (0.5, -2).
        assert!(
            close(t.apply([1.0, 0.0]), [0.5, -2.0]),
            "{:?}",
            t.apply([1.0, 0.0])
        );
        assert!(close(UvTransform::default().apply([0.3, 0.7]), [0.3, 0.7]));
        assert!(UvTransform::default().is_identity());
        // The sample "TextureTransformTest" offsets by (0.5, 0): u moves right.
        let offset = UvTransform {
            offset: [0.5, 0.0],
            ..Default::default()
        };
        assert!(close(offset.apply([0.25, 0.25]), [0.75, 0.25]));
    }

    #[test]
    fn a_variant_selects_its_mapped_material_and_falls_back_otherwise() {
        let p = Primitive {
            material: Some(0),
            variant_materials: vec![VariantMaterial {
                variant: 1,
                material: 3,
            }],
            ..Default::default()
        };
        assert_eq!(p.material_for(None), Some(0));
        assert_eq!(p.material_for(Some(1)), Some(3));
        assert_eq!(p.material_for(Some(0)), Some(0));
    }
}

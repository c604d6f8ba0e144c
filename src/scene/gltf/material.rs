//! Materials, textures and samplers, read through the `gltf` crate's validated
//! document plus the raw JSON for KHR_texture_transform on every slot.

use super::error::{Place, Problem};
use super::model::{
    AlphaMode, ColorSpace, Filter, PbrMaterial, Sampler, Texture, TextureRef, UvTransform, Wrap,
};
use super::raw::RawRoot;
use ::gltf::texture::{MagFilter, MinFilter, WrappingMode};

/// Materials plus what the rest of the loader needs to know about them.
pub(crate) struct Materials {
    pub(crate) materials: Vec<PbrMaterial>,
    /// For each image, whether any material samples it as colour.
    pub(crate) image_space: Vec<ColorSpace>,
    pub(crate) warnings: Vec<String>,
}

fn wrap(mode: WrappingMode) -> Wrap {
    match mode {
        WrappingMode::ClampToEdge => Wrap::ClampToEdge,
        WrappingMode::MirroredRepeat => Wrap::MirroredRepeat,
        WrappingMode::Repeat => Wrap::Repeat,
    }
}

/// The textures with their samplers (glTF's defaults filled in).
pub(crate) fn textures(doc: &::gltf::Document) -> Vec<Texture> {
    doc.textures()
        .map(|t| {
            let s = t.sampler();
            let d = Sampler::default();
            let (min_filter, mipmap_filter) = match s.min_filter() {
                None => (d.min_filter, d.mipmap_filter),
                Some(MinFilter::Nearest) => (Filter::Nearest, None),
                Some(MinFilter::Linear) => (Filter::Linear, None),
                Some(MinFilter::NearestMipmapNearest) => (Filter::Nearest, Some(Filter::Nearest)),
                Some(MinFilter::LinearMipmapNearest) => (Filter::Linear, Some(Filter::Nearest)),
                Some(MinFilter::NearestMipmapLinear) => (Filter::Nearest, Some(Filter::Linear)),
                Some(MinFilter::LinearMipmapLinear) => (Filter::Linear, Some(Filter::Linear)),
            };
            Texture {
                image: t.source().index(),
                sampler: Sampler {
                    mag_filter: match s.mag_filter() {
                        Some(MagFilter::Nearest) => Filter::Nearest,
                        Some(MagFilter::Linear) | None => Filter::Linear,
                    },
                    min_filter,
                    mipmap_filter,
                    wrap_s: wrap(s.wrap_s()),
                    wrap_t: wrap(s.wrap_t()),
                },
            }
        })
        .collect()
}

struct Builder<'a> {
    raw: &'a RawRoot,
    textures: &'a [Texture],
    image_space: Vec<ColorSpace>,
    warnings: Vec<String>,
}

impl Builder<'_> {
    fn texture_ref(
        &mut self,
        material: usize,
        slot: &str,
        texture: usize,
        tex_coord: u32,
        space: ColorSpace,
    ) -> Result<TextureRef, (Place, Problem)> {
        let (transform, override_set): (UvTransform, Option<u32>) =
            self.raw.texture_transform(material, slot)?;
        let mut tex_coord = override_set.unwrap_or(tex_coord);
        if tex_coord > 1 {
            self.warnings.push(format!(
                "materials[{material}].{slot}: TEXCOORD_{tex_coord} is not supported (0 and 1 are), TEXCOORD_0 used"
            ));
            tex_coord = 0;
        }
        if let Some(image) = self.textures.get(texture).map(|t| t.image)
            && space == ColorSpace::Srgb
            && let Some(s) = self.image_space.get_mut(image)
        {
            *s = ColorSpace::Srgb;
        }
        Ok(TextureRef {
            texture,
            tex_coord,
            transform,
        })
    }
}

/// Reads every material. `image_count` sizes the colour-space table.
pub(crate) fn materials(
    doc: &::gltf::Document,
    raw: &RawRoot,
    textures: &[Texture],
    image_count: usize,
) -> Result<Materials, (Place, Problem)> {
    let mut b = Builder {
        raw,
        textures,
        image_space: vec![ColorSpace::Linear; image_count],
        warnings: Vec::new(),
    };
    let mut out = Vec::new();
    for (i, m) in doc.materials().enumerate() {
        let pbr = m.pbr_metallic_roughness();
        let mut slot = |name: &str, info: Option<(usize, u32)>, space| {
            info.map(|(t, set)| b.texture_ref(i, name, t, set, space))
                .transpose()
        };
        let base_color_texture = slot(
            "pbrMetallicRoughness.baseColorTexture",
            pbr.base_color_texture()
                .map(|t| (t.texture().index(), t.tex_coord())),
            ColorSpace::Srgb,
        )?;
        let metallic_roughness_texture = slot(
            "pbrMetallicRoughness.metallicRoughnessTexture",
            pbr.metallic_roughness_texture()
                .map(|t| (t.texture().index(), t.tex_coord())),
            ColorSpace::Linear,
        )?;
        let normal = m.normal_texture();
        let normal_texture = slot(
            "normalTexture",
            normal
                .as_ref()
                .map(|t| (t.texture().index(), t.tex_coord())),
            ColorSpace::Linear,
        )?;
        let occlusion = m.occlusion_texture();
        let occlusion_texture = slot(
            "occlusionTexture",
            occlusion
                .as_ref()
                .map(|t| (t.texture().index(), t.tex_coord())),
            ColorSpace::Linear,
        )?;
        let emissive_texture = slot(
            "emissiveTexture",
            m.emissive_texture()
                .map(|t| (t.texture().index(), t.tex_coord())),
            ColorSpace::Srgb,
        )?;
        let alpha_mode = match m.alpha_mode() {
            ::gltf::material::AlphaMode::Opaque => AlphaMode::Opaque,
            ::gltf::material::AlphaMode::Mask => AlphaMode::Mask {
                cutoff: m.alpha_cutoff().unwrap_or(0.5),
            },
            ::gltf::material::AlphaMode::Blend => AlphaMode::Blend,
        };
        out.push(PbrMaterial {
            name: m.name().map(str::to_string),
            base_color_factor: pbr.base_color_factor(),
            base_color_texture,
            metallic_factor: pbr.metallic_factor(),
            roughness_factor: pbr.roughness_factor(),
            metallic_roughness_texture,
            normal_texture,
            normal_scale: normal.as_ref().map_or(1.0, |n| n.scale()),
            occlusion_texture,
            occlusion_strength: occlusion.as_ref().map_or(1.0, |o| o.strength()),
            emissive_factor: m.emissive_factor(),
            emissive_texture,
            emissive_strength: m.emissive_strength().unwrap_or(1.0),
            alpha_mode,
            double_sided: m.double_sided(),
        });
    }
    Ok(Materials {
        materials: out,
        image_space: b.image_space,
        warnings: b.warnings,
    })
}

//! Turns a model description into GLB bytes: one mesh with one primitive per material
//! slot, KHR_materials_variants mappings, embedded PNGs, all in one binary chunk.
//!
//! Determinism: the JSON comes from `gltf-json`'s structs (fixed field order, BTreeMap
//! attributes), floats are snapped to binary grids before they are written, textures
//! are shared through a BTreeMap, and nothing reads the clock or the environment.

use super::geometry::MeshData;
use super::materials::{Alpha, Material};
use super::textures::TextureKind;
use anyhow::{Context, bail};
use gltf_json as json;
use json::validation::{Checked::Valid, USize64};
use std::collections::BTreeMap;

/// A group of surfaces that share a material: one material for every variant (fixed
/// parts) or one per variant, in the model's variant order.
#[derive(Clone, Debug)]
pub struct Slot {
    /// The primitive's materials: one, or one per variant.
    pub materials: Vec<Material>,
    /// Metres of surface per texture repeat (UVs are divided by it).
    pub tile: f32,
}

impl Slot {
    /// A slot that looks the same in every variant.
    pub fn fixed(material: Material, tile: f32) -> Self {
        Self {
            materials: vec![material],
            tile,
        }
    }

    /// A slot whose material follows the variant.
    pub fn varying(materials: Vec<Material>, tile: f32) -> Self {
        Self { materials, tile }
    }
}

/// A model: its variant names and its surfaces grouped by slot.
pub struct Model {
    /// The file stem (also the node and mesh name).
    pub name: &'static str,
    /// KHR_materials_variants names; the first is the default look.
    pub variants: Vec<&'static str>,
    parts: Vec<(Slot, MeshData)>,
}

impl Model {
    /// An empty model.
    pub fn new(name: &'static str, variants: &[&'static str]) -> Self {
        Self {
            name,
            variants: variants.to_vec(),
            parts: Vec::new(),
        }
    }

    /// Adds surfaces in `slot`; surfaces of the same slot become one primitive.
    pub fn add(&mut self, slot: &Slot, mesh: MeshData) {
        let same = |s: &Slot| s.materials == slot.materials && s.tile == slot.tile;
        match self.parts.iter_mut().find(|(s, _)| same(s)) {
            Some((_, m)) => m.append(&mesh),
            None => self.parts.push((slot.clone(), mesh)),
        }
    }

    /// Triangles over all slots.
    pub fn triangle_count(&self) -> usize {
        self.parts.iter().map(|(_, m)| m.triangle_count()).sum()
    }
}

/// PNG bytes of every texture generated so far, so a texture used by several models
/// is generated once per run.
#[derive(Default)]
pub struct TextureCache {
    png: BTreeMap<TextureKind, Vec<u8>>,
}

impl TextureCache {
    fn get(&mut self, kind: TextureKind) -> anyhow::Result<&[u8]> {
        use std::collections::btree_map::Entry;
        match self.png.entry(kind) {
            Entry::Occupied(e) => Ok(e.into_mut()),
            Entry::Vacant(e) => {
                let bytes = kind
                    .generate()
                    .png()
                    .with_context(|| format!("encoding texture {}", kind.name()))?;
                Ok(e.insert(bytes))
            }
        }
    }
}

/// Snaps to a grid of 2^-bits so the last bits of platform maths cannot change a file.
fn snap(v: f32, bits: i32) -> f32 {
    let scale = (2.0f32).powi(bits);
    (v * scale).round() / scale
}

struct Builder<'a> {
    root: json::Root,
    bin: Vec<u8>,
    materials: BTreeMap<String, (u32, Material)>,
    textures: BTreeMap<TextureKind, u32>,
    samplers: BTreeMap<bool, u32>,
    cache: &'a mut TextureCache,
}

/// The GLB bytes of `model`.
pub fn glb(model: &Model, cache: &mut TextureCache) -> anyhow::Result<Vec<u8>> {
    let mut b = Builder {
        root: json::Root {
            asset: json::Asset {
                copyright: None,
                extensions: None,
                extras: Default::default(),
                generator: Some("roomwave cargo xtask assets".into()),
                min_version: None,
                version: "2.0".into(),
            },
            ..Default::default()
        },
        bin: Vec::new(),
        materials: BTreeMap::new(),
        textures: BTreeMap::new(),
        samplers: BTreeMap::new(),
        cache,
    };
    let mut primitives = Vec::new();
    for (slot, mesh) in &model.parts {
        if slot.materials.len() != 1 && slot.materials.len() != model.variants.len() {
            bail!(
                "{}: a slot has {} materials for {} variants",
                model.name,
                slot.materials.len(),
                model.variants.len()
            );
        }
        primitives.push(b.primitive(slot, mesh)?);
    }
    let mesh = b.root.push(json::Mesh {
        extensions: None,
        extras: Default::default(),
        name: Some(model.name.into()),
        primitives,
        weights: None,
    });
    let node = b.root.push(json::Node {
        mesh: Some(mesh),
        name: Some(model.name.into()),
        ..Default::default()
    });
    let scene = b.root.push(json::Scene {
        extensions: None,
        extras: Default::default(),
        name: Some(model.name.into()),
        nodes: vec![node],
    });
    b.root.scene = Some(scene);
    b.root.extensions = Some(json::extensions::root::Root {
        khr_materials_variants: Some(json::extensions::root::KhrMaterialsVariants {
            variants: model
                .variants
                .iter()
                .map(
                    |v| json::extensions::scene::khr_materials_variants::Variant {
                        name: (*v).into(),
                    },
                )
                .collect(),
        }),
        ..Default::default()
    });
    let mut used = vec!["KHR_materials_variants".to_string()];
    if b.materials
        .values()
        .any(|(_, m)| m.emissive_strength != 1.0)
    {
        used.push("KHR_materials_emissive_strength".into());
    }
    used.sort();
    b.root.extensions_used = used;
    pad(&mut b.bin, 0);
    b.root.push(json::Buffer {
        byte_length: USize64(b.bin.len() as u64),
        name: None,
        uri: None,
        extensions: None,
        extras: Default::default(),
    });
    let json_bytes = serde_json::to_vec(&b.root).context("serialising the glTF JSON")?;
    Ok(container(json_bytes, b.bin))
}

/// The GLB container (glTF 2.0 spec, section 4.4): header, JSON chunk padded with
/// spaces, BIN chunk padded with zeros.
fn container(mut json_bytes: Vec<u8>, bin: Vec<u8>) -> Vec<u8> {
    pad(&mut json_bytes, b' ');
    let total = 12 + 8 + json_bytes.len() + 8 + bin.len();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"glTF");
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&(total as u32).to_le_bytes());
    out.extend_from_slice(&(json_bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(b"JSON");
    out.extend_from_slice(&json_bytes);
    out.extend_from_slice(&(bin.len() as u32).to_le_bytes());
    out.extend_from_slice(b"BIN\0");
    out.extend_from_slice(&bin);
    out
}

fn pad(bytes: &mut Vec<u8>, with: u8) {
    while !bytes.len().is_multiple_of(4) {
        bytes.push(with);
    }
}

impl Builder<'_> {
    fn view(
        &mut self,
        data: &[u8],
        target: Option<json::buffer::Target>,
    ) -> json::Index<json::buffer::View> {
        pad(&mut self.bin, 0);
        let offset = self.bin.len();
        self.bin.extend_from_slice(data);
        self.root.push(json::buffer::View {
            buffer: json::Index::new(0),
            byte_length: USize64(data.len() as u64),
            byte_offset: Some(USize64(offset as u64)),
            byte_stride: None,
            name: None,
            target: target.map(Valid),
            extensions: None,
            extras: Default::default(),
        })
    }

    fn accessor(
        &mut self,
        floats: &[f32],
        ty: json::accessor::Type,
        bounds: bool,
    ) -> json::Index<json::Accessor> {
        let width = ty.multiplicity();
        let bytes: Vec<u8> = floats.iter().flat_map(|f| f.to_le_bytes()).collect();
        let view = self.view(&bytes, Some(json::buffer::Target::ArrayBuffer));
        let (min, max) = if bounds {
            let mut lo = vec![f32::MAX; width];
            let mut hi = vec![f32::MIN; width];
            for chunk in floats.chunks_exact(width) {
                for (k, &v) in chunk.iter().enumerate() {
                    lo[k] = lo[k].min(v);
                    hi[k] = hi[k].max(v);
                }
            }
            (Some(serde_json::json!(lo)), Some(serde_json::json!(hi)))
        } else {
            (None, None)
        };
        self.root.push(json::Accessor {
            buffer_view: Some(view),
            byte_offset: None,
            count: USize64((floats.len() / width) as u64),
            component_type: Valid(json::accessor::GenericComponentType(
                json::accessor::ComponentType::F32,
            )),
            extensions: None,
            extras: Default::default(),
            type_: Valid(ty),
            min,
            max,
            name: None,
            normalized: false,
            sparse: None,
        })
    }

    fn indices(&mut self, indices: &[u32], vertices: usize) -> json::Index<json::Accessor> {
        let (bytes, component): (Vec<u8>, _) = if vertices <= usize::from(u16::MAX) {
            (
                indices
                    .iter()
                    .flat_map(|&i| (i as u16).to_le_bytes())
                    .collect(),
                json::accessor::ComponentType::U16,
            )
        } else {
            (
                indices.iter().flat_map(|i| i.to_le_bytes()).collect(),
                json::accessor::ComponentType::U32,
            )
        };
        let view = self.view(&bytes, Some(json::buffer::Target::ElementArrayBuffer));
        self.root.push(json::Accessor {
            buffer_view: Some(view),
            byte_offset: None,
            count: USize64(indices.len() as u64),
            component_type: Valid(json::accessor::GenericComponentType(component)),
            extensions: None,
            extras: Default::default(),
            type_: Valid(json::accessor::Type::Scalar),
            min: None,
            max: None,
            name: None,
            normalized: false,
            sparse: None,
        })
    }

    fn primitive(&mut self, slot: &Slot, mesh: &MeshData) -> anyhow::Result<json::mesh::Primitive> {
        use json::mesh::Semantic;
        let positions: Vec<f32> = mesh
            .positions
            .iter()
            .flat_map(|p| p.to_array())
            .map(|v| snap(v, 16))
            .collect();
        let normals: Vec<f32> = mesh
            .normals
            .iter()
            .flat_map(|n| n.to_array())
            .map(|v| snap(v, 14))
            .collect();
        let uvs: Vec<f32> = mesh
            .uvs
            .iter()
            .flat_map(|uv| (*uv / slot.tile).to_array())
            .map(|v| snap(v, 14))
            .collect();
        let mut attributes = BTreeMap::new();
        attributes.insert(
            Valid(Semantic::Positions),
            self.accessor(&positions, json::accessor::Type::Vec3, true),
        );
        attributes.insert(
            Valid(Semantic::Normals),
            self.accessor(&normals, json::accessor::Type::Vec3, false),
        );
        attributes.insert(
            Valid(Semantic::TexCoords(0)),
            self.accessor(&uvs, json::accessor::Type::Vec2, false),
        );
        if slot.materials.iter().any(Material::has_normal_map) {
            let mut scaled = mesh.clone();
            for uv in &mut scaled.uvs {
                *uv /= slot.tile;
            }
            let tangents: Vec<f32> = scaled
                .tangents()
                .into_iter()
                .flatten()
                .map(|v| snap(v, 14))
                .collect();
            attributes.insert(
                Valid(Semantic::Tangents),
                self.accessor(&tangents, json::accessor::Type::Vec4, false),
            );
        }
        let indices = self.indices(&mesh.indices, mesh.positions.len());
        let mut indexes = Vec::with_capacity(slot.materials.len());
        for m in &slot.materials {
            indexes.push(self.material(m)?);
        }
        let extensions = (indexes.len() > 1).then(|| {
            // One mapping per distinct material, listing the variants that use it.
            // In order of first use, so the first mapping is the default's.
            let mut by_material: Vec<(u32, Vec<u32>)> = Vec::new();
            for (variant, &m) in indexes.iter().enumerate() {
                match by_material.iter_mut().find(|(k, _)| *k == m) {
                    Some((_, v)) => v.push(variant as u32),
                    None => by_material.push((m, vec![variant as u32])),
                }
            }
            json::extensions::mesh::Primitive {
                khr_materials_variants: Some(json::extensions::mesh::KhrMaterialsVariants {
                    mappings: by_material
                        .into_iter()
                        .map(|(material, variants)| json::extensions::mesh::Mapping {
                            material,
                            variants,
                        })
                        .collect(),
                }),
            }
        });
        Ok(json::mesh::Primitive {
            attributes,
            extensions,
            extras: Default::default(),
            indices: Some(indices),
            material: Some(json::Index::new(indexes[0])),
            mode: Valid(json::mesh::Mode::Triangles),
            targets: None,
        })
    }

    fn material(&mut self, m: &Material) -> anyhow::Result<u32> {
        if let Some((index, existing)) = self.materials.get(&m.name) {
            if existing != m {
                bail!("two different materials are both named {:?}", m.name);
            }
            return Ok(*index);
        }
        let info = |b: &mut Self,
                    kind: Option<TextureKind>|
         -> anyhow::Result<Option<json::texture::Info>> {
            kind.map(|k| {
                Ok(json::texture::Info {
                    index: b.texture(k)?,
                    tex_coord: 0,
                    extensions: None,
                    extras: Default::default(),
                })
            })
            .transpose()
        };
        let base_color_texture = info(self, m.base_texture)?;
        let metallic_roughness_texture = info(self, m.mr_texture)?;
        let normal_texture = match m.normal_texture {
            Some((kind, scale)) => Some(json::material::NormalTexture {
                index: self.texture(kind)?,
                scale,
                tex_coord: 0,
                extensions: None,
                extras: Default::default(),
            }),
            None => None,
        };
        let (alpha_mode, alpha_cutoff) = match m.alpha {
            Alpha::Opaque => (json::material::AlphaMode::Opaque, None),
            Alpha::Mask(c) => (
                json::material::AlphaMode::Mask,
                Some(json::material::AlphaCutoff(c)),
            ),
        };
        let extensions =
            (m.emissive_strength != 1.0).then_some(json::extensions::material::Material {
                emissive_strength: Some(json::extensions::material::EmissiveStrength {
                    emissive_strength: json::extensions::material::EmissiveStrengthFactor(
                        m.emissive_strength,
                    ),
                }),
            });
        let snap4 = |c: [f32; 4]| c.map(|v| snap(v, 16));
        let index = self.root.push(json::Material {
            alpha_cutoff,
            alpha_mode: Valid(alpha_mode),
            double_sided: m.double_sided,
            name: Some(m.name.clone()),
            pbr_metallic_roughness: json::material::PbrMetallicRoughness {
                base_color_factor: json::material::PbrBaseColorFactor(snap4(m.base_color)),
                base_color_texture,
                metallic_factor: json::material::StrengthFactor(m.metallic),
                roughness_factor: json::material::StrengthFactor(m.roughness),
                metallic_roughness_texture,
                extensions: None,
                extras: Default::default(),
            },
            normal_texture,
            occlusion_texture: None,
            emissive_texture: None,
            emissive_factor: json::material::EmissiveFactor(m.emissive.map(|v| snap(v, 16))),
            extensions,
            extras: Default::default(),
        });
        let index = index.value() as u32;
        self.materials.insert(m.name.clone(), (index, m.clone()));
        Ok(index)
    }

    fn texture(&mut self, kind: TextureKind) -> anyhow::Result<json::Index<json::Texture>> {
        if let Some(&i) = self.textures.get(&kind) {
            return Ok(json::Index::new(i));
        }
        let png = self.cache.get(kind)?.to_vec();
        let view = self.view(&png, None);
        let image = self.root.push(json::Image {
            buffer_view: Some(view),
            mime_type: Some(json::image::MimeType("image/png".into())),
            name: Some(kind.name()),
            uri: None,
            extensions: None,
            extras: Default::default(),
        });
        let sampler = self.sampler(kind.tiles());
        let texture = self.root.push(json::Texture {
            name: Some(kind.name()),
            sampler: Some(sampler),
            source: image,
            extensions: None,
            extras: Default::default(),
        });
        self.textures.insert(kind, texture.value() as u32);
        Ok(texture)
    }

    fn sampler(&mut self, repeat: bool) -> json::Index<json::texture::Sampler> {
        if let Some(&i) = self.samplers.get(&repeat) {
            return json::Index::new(i);
        }
        let wrap = if repeat {
            json::texture::WrappingMode::Repeat
        } else {
            json::texture::WrappingMode::ClampToEdge
        };
        let index = self.root.push(json::texture::Sampler {
            mag_filter: Some(Valid(json::texture::MagFilter::Linear)),
            min_filter: Some(Valid(json::texture::MinFilter::LinearMipmapLinear)),
            name: None,
            wrap_s: Valid(wrap),
            wrap_t: Valid(wrap),
            extensions: None,
            extras: Default::default(),
        });
        self.samplers.insert(repeat, index.value() as u32);
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::shapes::rounded_box;
    use glam::Vec3;

    fn cube() -> MeshData {
        rounded_box(Vec3::splat(0.5), 0.05, 2, 1)
    }

    fn json_of(glb: &[u8]) -> serde_json::Value {
        let len = u32::from_le_bytes(glb[12..16].try_into().expect("4 bytes")) as usize;
        serde_json::from_slice(&glb[20..20 + len]).expect("JSON chunk parses")
    }

    #[test]
    fn a_model_is_a_well_formed_glb() {
        let mut model = Model::new("cube", &["plain"]);
        model.add(
            &Slot::fixed(Material::plain("white", 0xFFFFFF, 0.5), 1.0),
            cube(),
        );
        let bytes = glb(&model, &mut TextureCache::default()).expect("writes");
        assert_eq!(&bytes[0..4], b"glTF");
        assert_eq!(u32::from_le_bytes(bytes[4..8].try_into().expect("4")), 2);
        assert_eq!(
            u32::from_le_bytes(bytes[8..12].try_into().expect("4")) as usize,
            bytes.len()
        );
        let json_len = u32::from_le_bytes(bytes[12..16].try_into().expect("4")) as usize;
        assert_eq!(&bytes[16..20], b"JSON");
        assert_eq!(json_len % 4, 0, "chunks are 4-byte aligned");
        let bin_at = 20 + json_len;
        let bin_len = u32::from_le_bytes(bytes[bin_at..bin_at + 4].try_into().expect("4")) as usize;
        assert_eq!(&bytes[bin_at + 4..bin_at + 8], b"BIN\0");
        assert_eq!(bin_at + 8 + bin_len, bytes.len());
        let root = json_of(&bytes);
        assert_eq!(root["buffers"][0]["byteLength"], bin_len);
        let position = &root["accessors"]
            [root["meshes"][0]["primitives"][0]["attributes"]["POSITION"]
                .as_u64()
                .expect("POSITION") as usize];
        assert_eq!(position["min"], serde_json::json!([-0.25, -0.25, -0.25]));
        assert_eq!(position["max"], serde_json::json!([0.25, 0.25, 0.25]));
        assert_eq!(
            glb(&model, &mut TextureCache::default()).expect("writes"),
            bytes,
            "same input, same bytes"
        );
    }

    #[test]
    fn mappings_list_each_material_once_in_first_use_order() {
        let mut model = Model::new("cube", &["a", "b", "c"]);
        let (a, b) = (
            Material::plain("a", 0xFF0000, 0.5),
            Material::plain("b", 0x00FF00, 0.5),
        );
        model.add(
            &Slot::varying(vec![b.clone(), a.clone(), b.clone()], 1.0),
            cube(),
        );
        let root = json_of(&glb(&model, &mut TextureCache::default()).expect("writes"));
        let primitive = &root["meshes"][0]["primitives"][0];
        assert_eq!(primitive["material"], 0);
        assert_eq!(
            primitive["extensions"]["KHR_materials_variants"]["mappings"],
            serde_json::json!([{"material": 0, "variants": [0, 2]}, {"material": 1, "variants": [1]}])
        );
        assert_eq!(
            root["extensions"]["KHR_materials_variants"]["variants"][2]["name"],
            "c"
        );
    }

    #[test]
    fn inconsistent_slots_and_clashing_names_are_errors() {
        let mut model = Model::new("cube", &["a", "b", "c"]);
        let m = Material::plain("m", 0xFF0000, 0.5);
        model.add(&Slot::varying(vec![m.clone(), m.clone()], 1.0), cube());
        let err =
            glb(&model, &mut TextureCache::default()).expect_err("2 materials for 3 variants");
        assert!(
            err.to_string().contains("2 materials for 3 variants"),
            "{err}"
        );

        let mut model = Model::new("cube", &["a"]);
        model.add(&Slot::fixed(m.clone(), 1.0), cube());
        model.add(
            &Slot::fixed(
                Material {
                    roughness: 0.9,
                    ..m
                },
                0.5,
            ),
            cube().at(Vec3::X),
        );
        let err = glb(&model, &mut TextureCache::default()).expect_err("two different m");
        assert!(err.to_string().contains("\"m\""), "{err}");
    }
}

//! What the loader reads from the JSON itself rather than through the `gltf` crate:
//! extension lists, KHR_materials_variants (the crate rejects files that require it),
//! and KHR_texture_transform on every texture slot (the crate exposes it on some only).

use super::error::{Place, Problem};
use super::model::{UvTransform, VariantMaterial};
use serde::Deserialize;
use serde_json::Value;

/// Extensions roomwave implements: allowed in `extensionsRequired`.
pub const IMPLEMENTED_EXTENSIONS: &[&str] = &[
    "KHR_texture_transform",
    "KHR_materials_emissive_strength",
    "KHR_lights_punctual",
    "KHR_materials_variants",
];

/// Material extensions whose effect is dropped: the core metallic-roughness material is
/// drawn instead (a sheen sofa still looks like a sofa), with one log line per file.
pub const FALLBACK_MATERIAL_EXTENSIONS: &[&str] = &[
    "KHR_materials_sheen",
    "KHR_materials_transmission",
    "KHR_materials_clearcoat",
    "KHR_materials_specular",
    "KHR_materials_volume",
    "KHR_materials_ior",
    "KHR_materials_iridescence",
    "KHR_materials_anisotropy",
    "KHR_materials_dispersion",
    "KHR_materials_diffuse_transmission",
];

/// Why a known extension cannot be loaded, as advice for the person holding the file.
fn unsupported_hint(name: &str) -> &'static str {
    match name {
        "KHR_draco_mesh_compression" | "EXT_meshopt_compression" => {
            ": re-export the model without mesh compression"
        }
        "KHR_mesh_quantization" => ": re-export the model with float vertex attributes",
        "KHR_texture_basisu" | "EXT_texture_webp" | "MSFT_texture_dds" => {
            ": re-export the model with PNG or JPEG textures"
        }
        _ => "",
    }
}

/// The slice of the root JSON object the loader reads by hand.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawRoot {
    pub(crate) extensions_used: Vec<String>,
    pub(crate) extensions_required: Vec<String>,
    extensions: Option<Value>,
    meshes: Vec<RawMesh>,
    pub(crate) materials: Vec<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawMesh {
    primitives: Vec<RawPrimitive>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawPrimitive {
    extensions: Option<Value>,
}

#[derive(Deserialize)]
struct RawVariant {
    name: String,
}

#[derive(Deserialize)]
struct RawMapping {
    material: usize,
    variants: Vec<usize>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawTransform {
    offset: Option<[f32; 2]>,
    rotation: Option<f32>,
    scale: Option<[f32; 2]>,
    tex_coord: Option<u32>,
}

impl RawRoot {
    /// Fails on the first required extension roomwave cannot honour.
    pub(crate) fn check_required(&self) -> Result<(), (Place, Problem)> {
        for (i, name) in self.extensions_required.iter().enumerate() {
            let known = IMPLEMENTED_EXTENSIONS.contains(&name.as_str())
                || FALLBACK_MATERIAL_EXTENSIONS.contains(&name.as_str());
            if !known {
                return Err((
                    Place::root("extensionsRequired").index(i),
                    Problem::UnsupportedExtension {
                        name: name.clone(),
                        hint: unsupported_hint(name),
                    },
                ));
            }
        }
        Ok(())
    }

    /// Material extensions used by the file whose effect is dropped.
    pub(crate) fn fallback_extensions(&self) -> Vec<&str> {
        self.extensions_used
            .iter()
            .map(String::as_str)
            .filter(|n| n.starts_with("KHR_materials_") && !IMPLEMENTED_EXTENSIONS.contains(n))
            .collect()
    }

    /// KHR_materials_variants names.
    pub(crate) fn variants(&self) -> Result<Vec<String>, (Place, Problem)> {
        let place = Place::root("extensions.KHR_materials_variants.variants");
        let Some(list) = self
            .extensions
            .as_ref()
            .and_then(|e| e.get("KHR_materials_variants"))
            .and_then(|v| v.get("variants"))
        else {
            return Ok(Vec::new());
        };
        let list: Vec<RawVariant> =
            Vec::deserialize(list).map_err(|e| (place, Problem::Json(e.to_string())))?;
        Ok(list.into_iter().map(|v| v.name).collect())
    }

    /// KHR_materials_variants mappings of `meshes[mesh].primitives[primitive]`, checked
    /// against the number of variants and materials.
    pub(crate) fn mappings(
        &self,
        mesh: usize,
        primitive: usize,
        variants: usize,
        materials: usize,
    ) -> Result<Vec<VariantMaterial>, (Place, Problem)> {
        let place = Place::root("meshes")
            .index(mesh)
            .field("primitives")
            .index(primitive)
            .field("extensions.KHR_materials_variants.mappings");
        let Some(list) = self
            .meshes
            .get(mesh)
            .and_then(|m| m.primitives.get(primitive))
            .and_then(|p| p.extensions.as_ref())
            .and_then(|e| e.get("KHR_materials_variants"))
            .and_then(|v| v.get("mappings"))
        else {
            return Ok(Vec::new());
        };
        let list: Vec<RawMapping> =
            Vec::deserialize(list).map_err(|e| (place.clone(), Problem::Json(e.to_string())))?;
        let mut out = Vec::new();
        for (i, m) in list.iter().enumerate() {
            if m.material >= materials {
                return Err((
                    place.index(i).field("material"),
                    Problem::OutOfBounds(format!(
                        "material {} does not exist ({materials} materials)",
                        m.material
                    )),
                ));
            }
            for (k, &v) in m.variants.iter().enumerate() {
                if v >= variants {
                    return Err((
                        place.index(i).field("variants").index(k),
                        Problem::OutOfBounds(format!(
                            "variant {v} does not exist ({variants} variants)"
                        )),
                    ));
                }
                out.push(VariantMaterial {
                    variant: v,
                    material: m.material,
                });
            }
        }
        Ok(out)
    }

    /// KHR_texture_transform of a material's texture slot (`slot` is a JSON path inside
    /// the material, e.g. `pbrMetallicRoughness.baseColorTexture`), and the texCoord
    /// override it carries.
    pub(crate) fn texture_transform(
        &self,
        material: usize,
        slot: &str,
    ) -> Result<(UvTransform, Option<u32>), (Place, Problem)> {
        let mut value = self.materials.get(material);
        for key in slot.split('.') {
            value = value.and_then(|v| v.get(key));
        }
        let Some(ext) = value
            .and_then(|v| v.get("extensions"))
            .and_then(|e| e.get("KHR_texture_transform"))
        else {
            return Ok((UvTransform::default(), None));
        };
        let place = Place::root("materials")
            .index(material)
            .field(slot)
            .field("extensions.KHR_texture_transform");
        let raw =
            RawTransform::deserialize(ext).map_err(|e| (place, Problem::Json(e.to_string())))?;
        let d = UvTransform::default();
        Ok((
            UvTransform {
                offset: raw.offset.unwrap_or(d.offset),
                rotation: raw.rotation.unwrap_or(d.rotation),
                scale: raw.scale.unwrap_or(d.scale),
            },
            raw.tex_coord,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(json: &str) -> RawRoot {
        serde_json::from_str(json).expect("parses")
    }

    #[test]
    fn required_extensions_are_checked_by_name() {
        let ok =
            raw(r#"{"extensionsRequired": ["KHR_texture_transform", "KHR_materials_variants"]}"#);
        assert!(ok.check_required().is_ok());
        let (place, problem) = raw(
            r#"{"extensionsRequired": ["KHR_texture_transform", "KHR_draco_mesh_compression"]}"#,
        )
        .check_required()
        .expect_err("draco");
        assert_eq!(place.to_string(), "extensionsRequired[1]");
        let text = problem.to_string();
        assert!(
            text.contains("KHR_draco_mesh_compression")
                && text.contains("without mesh compression"),
            "{text}"
        );
    }

    #[test]
    fn variants_and_mappings_are_read_and_checked() {
        let r = raw(r#"{
            "extensions": {"KHR_materials_variants": {"variants": [{"name": "Red"}, {"name": "Blue"}]}},
            "meshes": [{"primitives": [{"extensions": {"KHR_materials_variants": {"mappings": [
                {"material": 1, "variants": [0]}, {"material": 2, "variants": [1]}]}}}]}]
        }"#);
        assert_eq!(r.variants().expect("ok"), ["Red", "Blue"]);
        let m = r.mappings(0, 0, 2, 3).expect("ok");
        assert_eq!(
            m,
            [
                VariantMaterial {
                    variant: 0,
                    material: 1
                },
                VariantMaterial {
                    variant: 1,
                    material: 2
                }
            ]
        );
        let (place, _) = r.mappings(0, 0, 1, 3).expect_err("variant 1 missing");
        assert_eq!(
            place.to_string(),
            "meshes[0].primitives[0].extensions.KHR_materials_variants.mappings[1].variants[0]"
        );
        assert!(r.mappings(0, 0, 2, 2).is_err(), "material 2 missing");
        assert!(r.mappings(5, 0, 2, 3).expect("none").is_empty());
    }

    #[test]
    fn texture_transform_is_read_from_any_slot() {
        let r = raw(
            r#"{"materials": [{"normalTexture": {"index": 0, "extensions": {"KHR_texture_transform":
            {"offset": [0.5, 0], "rotation": 0.25, "texCoord": 1}}}}]}"#,
        );
        let (t, set) = r.texture_transform(0, "normalTexture").expect("ok");
        assert_eq!(
            (t.offset, t.rotation, t.scale, set),
            ([0.5, 0.0], 0.25, [1.0, 1.0], Some(1))
        );
        let (t, set) = r
            .texture_transform(0, "pbrMetallicRoughness.baseColorTexture")
            .expect("ok");
        assert!(t.is_identity() && set.is_none());
    }
}

//! Building a mesh's primitives: attributes read through the bounds-checked reader,
//! indices checked against the vertex count, everything turned into triangle lists.

use super::accessor::{AccessorReader, Storage};
use super::error::{Place, Problem};
use super::geometry::{Attributes, fan_to_list, strip_to_list};
use super::model::{Mesh, Primitive};
use ::gltf::json;
use json::accessor::Type;
use json::mesh::{Mode, Semantic};
use json::validation::Checked;

/// What the caller knows that a primitive needs: which materials have normal maps.
pub(crate) struct MeshContext<'a> {
    pub(crate) reader: &'a AccessorReader<'a>,
    /// For each material, the TEXCOORD set its normal map uses, if it has one.
    pub(crate) normal_map_set: &'a [Option<u32>],
    /// Vertices produced so far, against `max_total_vertices`.
    pub(crate) total_vertices: u64,
    pub(crate) warnings: Vec<String>,
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Points => "POINTS",
        Mode::Lines => "LINES",
        Mode::LineLoop => "LINE_LOOP",
        Mode::LineStrip => "LINE_STRIP",
        Mode::Triangles => "TRIANGLES",
        Mode::TriangleStrip => "TRIANGLE_STRIP",
        Mode::TriangleFan => "TRIANGLE_FAN",
    }
}

impl MeshContext<'_> {
    /// Builds `meshes[index]`; `Err` carries the place of the problem.
    pub(crate) fn build_mesh(
        &mut self,
        index: usize,
        mesh: &json::mesh::Mesh,
    ) -> Result<Mesh, (Place, Problem)> {
        let place = Place::root("meshes").index(index);
        let mut out = Mesh {
            name: mesh.name.clone(),
            primitives: Vec::with_capacity(mesh.primitives.len()),
        };
        for (p, primitive) in mesh.primitives.iter().enumerate() {
            let place = place.field("primitives").index(p);
            if let Some(built) = self.build_primitive(&place, primitive)? {
                out.primitives.push(built);
            }
        }
        Ok(out)
    }

    fn attribute(&self, primitive: &json::mesh::Primitive, semantic: Semantic) -> Option<usize> {
        primitive
            .attributes
            .get(&Checked::Valid(semantic))
            .map(|a| a.value())
    }

    fn build_primitive(
        &mut self,
        place: &Place,
        primitive: &json::mesh::Primitive,
    ) -> Result<Option<Primitive>, (Place, Problem)> {
        let Checked::Valid(mode) = primitive.mode else {
            return Err((
                place.field("mode"),
                Problem::Invalid("unknown primitive mode".into()),
            ));
        };
        if !matches!(
            mode,
            Mode::Triangles | Mode::TriangleStrip | Mode::TriangleFan
        ) {
            self.warnings.push(format!(
                "{place}: {} primitive not drawn (roomwave draws triangles)",
                mode_name(mode)
            ));
            return Ok(None);
        }
        let Some(position) = self.attribute(primitive, Semantic::Positions) else {
            // The spec: without POSITION a client should skip the primitive.
            self.warnings.push(format!(
                "{place}: no POSITION attribute, primitive not drawn"
            ));
            return Ok(None);
        };
        let at = |name: &str| place.field("attributes").field(name);
        let r = self.reader;
        let mut a = Attributes {
            positions: r
                .read_floats::<3>(position, &[Type::Vec3], Storage::Float)
                .map_err(|e| (at("POSITION"), e))?,
            ..Default::default()
        };
        let count = a.positions.len();
        let same_count = |name: &str, len: usize| {
            if len == count {
                Ok(())
            } else {
                Err((
                    at(name),
                    Problem::Invalid(format!("{len} elements, but POSITION has {count}")),
                ))
            }
        };
        if let Some(i) = self.attribute(primitive, Semantic::Normals) {
            a.normals = r
                .read_floats::<3>(i, &[Type::Vec3], Storage::Float)
                .map_err(|e| (at("NORMAL"), e))?;
            same_count("NORMAL", a.normals.len())?;
        }
        if let Some(i) = self.attribute(primitive, Semantic::Tangents) {
            a.tangents = r
                .read_floats::<4>(i, &[Type::Vec4], Storage::Float)
                .map_err(|e| (at("TANGENT"), e))?;
            same_count("TANGENT", a.tangents.len())?;
        }
        for (set, name) in [(0u32, "TEXCOORD_0"), (1, "TEXCOORD_1")] {
            if let Some(i) = self.attribute(primitive, Semantic::TexCoords(set)) {
                let uvs = r
                    .read_floats::<2>(i, &[Type::Vec2], Storage::FloatOrUnorm)
                    .map_err(|e| (at(name), e))?;
                same_count(name, uvs.len())?;
                if set == 0 {
                    a.tex_coords0 = uvs
                } else {
                    a.tex_coords1 = uvs
                }
            }
        }
        if let Some(i) = self.attribute(primitive, Semantic::Colors(0)) {
            a.colors = r
                .read_floats::<4>(i, &[Type::Vec3, Type::Vec4], Storage::FloatOrUnorm)
                .map_err(|e| (at("COLOR_0"), e))?;
            same_count("COLOR_0", a.colors.len())?;
        }
        if let (Some(j), Some(w)) = (
            self.attribute(primitive, Semantic::Joints(0)),
            self.attribute(primitive, Semantic::Weights(0)),
        ) {
            let joints = r
                .read_floats::<4>(j, &[Type::Vec4], Storage::UnsignedInt)
                .map_err(|e| (at("JOINTS_0"), e))?;
            same_count("JOINTS_0", joints.len())?;
            a.joints = joints.iter().map(|v| v.map(|c| c as u16)).collect();
            a.weights = r
                .read_floats::<4>(w, &[Type::Vec4], Storage::FloatOrUnorm)
                .map_err(|e| (at("WEIGHTS_0"), e))?;
            same_count("WEIGHTS_0", a.weights.len())?;
        }
        let indices = match primitive.indices {
            Some(i) => {
                let indices = r
                    .read_indices(i.value())
                    .map_err(|e| (place.field("indices"), e))?;
                if let Some((k, bad)) = indices
                    .iter()
                    .enumerate()
                    .find(|(_, v)| **v as usize >= count)
                {
                    return Err((
                        place.field("indices"),
                        Problem::OutOfBounds(format!(
                            "index {k} is {bad}, but the primitive has {count} vertices"
                        )),
                    ));
                }
                indices
            }
            None => (0..count as u32).collect(),
        };
        let mut indices = match mode {
            Mode::TriangleStrip => strip_to_list(&indices),
            Mode::TriangleFan => fan_to_list(&indices),
            _ => {
                let whole = indices.len() - indices.len() % 3;
                if whole != indices.len() {
                    self.warnings.push(format!(
                        "{place}: {} indices is not a multiple of 3, the rest is dropped",
                        indices.len()
                    ));
                }
                let mut indices = indices;
                indices.truncate(whole);
                indices
            }
        };
        let material = primitive.material.map(|m| m.value());
        let normal_set = material.and_then(|m| self.normal_map_set.get(m).copied().flatten());
        let needs_normals = a.normals.is_empty();
        let needs_tangents = a.tangents.is_empty() && normal_set.is_some();
        let vertices = if needs_normals || needs_tangents {
            indices.len()
        } else {
            count
        } as u64;
        self.total_vertices += vertices;
        let limit = self.reader.limits.max_total_vertices;
        if self.total_vertices > limit {
            return Err((
                place.clone(),
                Problem::OverLimit {
                    what: "total vertex count",
                    value: self.total_vertices,
                    limit,
                    field: "max_total_vertices",
                },
            ));
        }
        if needs_normals || needs_tangents {
            indices = a.unweld(&indices);
        }
        if needs_normals {
            a.set_flat_normals();
        }
        if let Some(set) = normal_set.filter(|_| needs_tangents) {
            let generated =
                super::error::guard("MikkTSpace tangent generation", || a.generate_tangents(set))
                    .map_err(|e| (place.clone(), e))?;
            if !generated {
                self.warnings.push(format!(
                    "{place}: normal map without TEXCOORD_{set}, no tangents generated"
                ));
            }
        }
        Ok(Some(Primitive {
            attributes: a,
            indices,
            material,
            variant_materials: Vec::new(),
        }))
    }
}

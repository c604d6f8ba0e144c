//! Placing loaded glTF models into a scene: every mesh instance with its node
//! transform, the chosen KHR_materials_variants material, textures shared by
//! reference, and the model's KHR_lights_punctual lights.

use std::collections::HashMap;
use std::sync::Arc;

use glam::{Mat3, Mat4, Vec3, Vec4};

use super::gltf::{Bounds, LightKind, Model, PbrMaterial, Sampler, TextureImage, TextureRef};
use super::lighting::{DirectionalLight, LightingPreset, PointLight, SpotLight};
use super::material::{Material, TextureSlot};
use super::mesh::{Vertex, planar_tangent};
use super::{SceneBuilder, SceneTexture};

/// Candela per unit of [`PointLight::color`]: the built-in presets' ceiling
/// light (about 1.6 units) stands for an 800 lm bulb, about 64 cd.
pub const CANDELA_PER_UNIT: f32 = 40.0;
/// Lux per unit of [`DirectionalLight::color`]: the built-in sun (about 5
/// units) stands for direct sunlight, about 100 000 lx.
pub const LUX_PER_UNIT: f32 = 20_000.0;

/// Textures already taken from models into one scene, so a model placed twice
/// shares its images (one `Arc`, one upload) instead of copying them.
#[derive(Default)]
pub(crate) struct TextureTable {
    /// The scene's textures, in [`super::Scene::textures`] order.
    pub(crate) textures: Vec<SceneTexture>,
    /// Address of a model's image (while the model is borrowed) to its shared copy.
    images: HashMap<usize, Arc<TextureImage>>,
}

impl TextureTable {
    /// The scene texture for `model.textures[index]`, added on first use;
    /// `None` when the model's index is out of range.
    fn texture(&mut self, model: &Model, index: usize) -> Option<u32> {
        let texture = model.textures.get(index)?;
        let source = model.images.get(texture.image)?;
        let key = std::ptr::from_ref(source) as usize;
        // The address identifies the image only while its model lives; a hit
        // on a dropped model's reused address is caught by comparing contents.
        let image = match self.images.get(&key) {
            Some(shared) if **shared == *source => shared.clone(),
            _ => {
                let shared = Arc::new(source.clone());
                self.images.insert(key, shared.clone());
                shared
            }
        };
        let sampler: Sampler = texture.sampler;
        let found = self
            .textures
            .iter()
            .position(|t| Arc::ptr_eq(&t.image, &image) && t.sampler == sampler);
        let at = found.unwrap_or_else(|| {
            self.textures.push(SceneTexture { image, sampler });
            self.textures.len() - 1
        });
        u32::try_from(at).ok()
    }

    fn slot(&mut self, model: &Model, r: Option<&TextureRef>) -> Option<TextureSlot> {
        let r = r?;
        Some(TextureSlot {
            texture: self.texture(model, r.texture)?,
            tex_coord: r.tex_coord.min(1),
            transform: r.transform,
        })
    }

    /// The scene material for a model's material (glTF's default when `None`).
    fn material(&mut self, model: &Model, pbr: Option<&PbrMaterial>) -> Material {
        let default = PbrMaterial::default();
        let m = pbr.unwrap_or(&default);
        let s = m.emissive_strength;
        Material {
            base_color: m.base_color_factor,
            roughness: m.roughness_factor,
            metallic: m.metallic_factor,
            emissive: m.emissive_factor.map(|c| c * s),
            base_color_texture: self.slot(model, m.base_color_texture.as_ref()),
            metallic_roughness_texture: self.slot(model, m.metallic_roughness_texture.as_ref()),
            normal_texture: self.slot(model, m.normal_texture.as_ref()),
            normal_scale: m.normal_scale,
            occlusion_texture: self.slot(model, m.occlusion_texture.as_ref()),
            occlusion_strength: m.occlusion_strength,
            emissive_texture: self.slot(model, m.emissive_texture.as_ref()),
            alpha: m.alpha_mode,
            double_sided: m.double_sided,
            ..Material::default()
        }
    }
}

fn grow(bounds: &mut Option<Bounds>, p: Vec3) {
    match bounds {
        Some(b) => {
            b.min = b.min.min(p);
            b.max = b.max.max(p);
        }
        None => *bounds = Some(Bounds { min: p, max: p }),
    }
}

impl SceneBuilder {
    /// Appends every mesh instance of `model`, placed by `transform` (model
    /// space to room space) after each node's own transform, drawn with the
    /// materials of `variant` (an index into [`Model::variants`]; `None` or an
    /// unmapped variant gives each primitive its own material).
    ///
    /// Normals go through the inverse-transpose (right under non-uniform
    /// scale); a mirroring transform flips the triangles' winding and the
    /// tangents' handedness so the surface still faces out. Instances whose
    /// transform is singular or not finite are left out with a log line.
    /// Returns the room-space bounds of what was added (`None` when nothing was).
    pub fn add_model(
        &mut self,
        model: &Model,
        transform: Mat4,
        variant: Option<usize>,
    ) -> Option<Bounds> {
        let mut bounds = None;
        for instance in &model.instances {
            let Some(mesh) = model.meshes.get(instance.mesh) else {
                continue;
            };
            let world = transform * instance.transform;
            let linear = Mat3::from_mat4(world);
            let det = linear.determinant();
            if !det.is_finite() || det.abs() < 1e-12 || !world.is_finite() {
                tracing::warn!(
                    "node {} of the model has a singular or non-finite transform; left out",
                    instance.node
                );
                continue;
            }
            let normal_matrix = linear.inverse().transpose();
            let mirrored = det < 0.0;
            for primitive in &mesh.primitives {
                let pbr = primitive
                    .material_for(variant)
                    .and_then(|i| model.materials.get(i));
                let material = self.textures.material(model, pbr);
                let a = &primitive.attributes;
                let part = self.part(&material);
                let base = part.vertices.len() as u32;
                for (i, p) in a.positions.iter().enumerate() {
                    let position = world.transform_point3(Vec3::from(*p));
                    grow(&mut bounds, position);
                    let n = a.normals.get(i).map_or(Vec3::Y, |n| Vec3::from(*n));
                    let normal = (normal_matrix * n).normalize_or(Vec3::Y);
                    let tangent = match a.tangents.get(i) {
                        Some(t) => {
                            let t = Vec4::from(*t);
                            let xyz = (linear * t.truncate()).normalize_or(planar_tangent(normal));
                            let w = if t.w < 0.0 { -1.0 } else { 1.0 };
                            xyz.extend(if mirrored { -w } else { w })
                        }
                        None => planar_tangent(normal).extend(1.0),
                    };
                    part.vertices.push(Vertex {
                        position: position.to_array(),
                        normal: normal.to_array(),
                        tangent: tangent.to_array(),
                        uv0: a.tex_coords0.get(i).copied().unwrap_or([0.0; 2]),
                        uv1: a.tex_coords1.get(i).copied().unwrap_or([0.0; 2]),
                        color: a.colors.get(i).copied().unwrap_or([1.0; 4]),
                    });
                }
                let count = a.positions.len() as u32;
                for tri in primitive.indices.chunks_exact(3) {
                    if tri.iter().any(|&i| i >= count) {
                        continue;
                    }
                    let [i0, i1, i2] = [tri[0] + base, tri[1] + base, tri[2] + base];
                    if mirrored {
                        part.indices.extend_from_slice(&[i0, i2, i1]);
                    } else {
                        part.indices.extend_from_slice(&[i0, i1, i2]);
                    }
                }
            }
        }
        bounds
    }
}

/// Adds `model`'s KHR_lights_punctual lights, placed by `transform`, to
/// `lighting`: points and spots converted from candela with
/// [`CANDELA_PER_UNIT`], a directional light (lux, [`LUX_PER_UNIT`]) as the
/// sun when the preset has none. A light without a range gets the distance
/// where its inverse-square falloff drops below 1/256 of a unit.
pub fn add_model_lights(model: &Model, transform: Mat4, lighting: &mut LightingPreset) {
    for light in &model.lights {
        let color = Vec3::from(light.color) * light.intensity.max(0.0);
        let position = transform.transform_point3(light.position);
        let direction = transform
            .transform_vector3(light.direction)
            .normalize_or(Vec3::NEG_Y);
        let units = color / CANDELA_PER_UNIT;
        let range = light
            .range
            .unwrap_or_else(|| (units.max_element() * 256.0).sqrt())
            .clamp(0.1, 50.0);
        match light.kind {
            LightKind::Point => lighting.points.push(PointLight {
                position,
                color: units,
                range,
            }),
            LightKind::Spot {
                inner_cone_angle,
                outer_cone_angle,
            } => lighting.spots.push(SpotLight {
                position,
                direction,
                color: units,
                range,
                inner_cone: inner_cone_angle.min(outer_cone_angle),
                outer_cone: outer_cone_angle.min(std::f32::consts::FRAC_PI_2),
            }),
            LightKind::Directional => {
                if lighting.sun.is_none() {
                    lighting.sun = Some(DirectionalLight {
                        towards: -direction,
                        color: color / LUX_PER_UNIT,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::gltf::{
        Attributes, ColorSpace, Mesh, MeshInstance, MipLevel, Primitive, Texture, VariantMaterial,
    };
    use super::super::{House, default_room};
    use super::*;

    fn image() -> TextureImage {
        TextureImage {
            name: Some("checker".into()),
            color_space: ColorSpace::Srgb,
            levels: vec![MipLevel {
                width: 1,
                height: 1,
                rgba: vec![10, 20, 30, 255],
            }],
            placeholder: false,
        }
    }

    /// One triangle in the z = 0 plane facing +z, with a tangent along +x,
    /// its material textured, a second material mapped by variant 0.
    fn model() -> Model {
        let textured = PbrMaterial {
            base_color_texture: Some(TextureRef {
                texture: 0,
                tex_coord: 0,
                transform: Default::default(),
            }),
            emissive_factor: [1.0, 0.5, 0.0],
            emissive_strength: 4.0,
            ..PbrMaterial::default()
        };
        let red = PbrMaterial {
            base_color_factor: [1.0, 0.0, 0.0, 1.0],
            ..PbrMaterial::default()
        };
        Model {
            meshes: vec![Mesh {
                name: None,
                primitives: vec![Primitive {
                    attributes: Attributes {
                        positions: vec![[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
                        normals: vec![[0.0, 0.0, 1.0]; 3],
                        tangents: vec![[1.0, 0.0, 0.0, 1.0]; 3],
                        tex_coords0: vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]],
                        ..Default::default()
                    },
                    indices: vec![0, 1, 2],
                    material: Some(0),
                    variant_materials: vec![VariantMaterial {
                        variant: 0,
                        material: 1,
                    }],
                }],
            }],
            materials: vec![textured, red],
            textures: vec![Texture {
                image: 0,
                sampler: Sampler::default(),
            }],
            images: vec![image()],
            instances: vec![MeshInstance {
                mesh: 0,
                transform: Mat4::from_translation(Vec3::new(0.0, 0.0, -1.0)),
                node: 0,
            }],
            variants: vec!["red".into()],
            ..Default::default()
        }
    }

    fn finish(b: SceneBuilder) -> super::super::Scene {
        b.finish(
            LightingPreset::daylight(),
            House::single_room(default_room()),
            Vec::new(),
        )
    }

    fn face(scene: &super::super::Scene, first: usize) -> Vec3 {
        let p = |k: usize| Vec3::from(scene.vertices[scene.indices[first + k] as usize].position);
        (p(1) - p(0)).cross(p(2) - p(0))
    }

    #[test]
    fn placing_a_model_twice_shares_its_texture_and_bounds_follow_the_transform() {
        let m = model();
        let mut b = SceneBuilder::default();
        let first = b.add_model(&m, Mat4::IDENTITY, None).expect("bounds");
        assert_eq!(first.min, Vec3::new(0.0, 0.0, -1.0));
        assert_eq!(first.max, Vec3::new(1.0, 1.0, -1.0));
        let moved = b
            .add_model(&m, Mat4::from_translation(Vec3::X * 3.0), None)
            .expect("bounds");
        assert_eq!(moved.min.x, 3.0);
        let scene = finish(b);
        assert_eq!(scene.textures.len(), 1, "one texture for both placements");
        assert_eq!(scene.materials.len(), 1, "one material, one draw");
        let mat = &scene.materials[0];
        assert_eq!(mat.base_color_texture.map(|s| s.texture), Some(0));
        assert_eq!(mat.emissive, [4.0, 2.0, 0.0], "emissive strength folded in");
        assert_eq!(scene.vertices.len(), 6);
        assert_eq!(scene.vertices[1].uv0, [1.0, 0.0]);
        assert_eq!(scene.vertices[0].color, [1.0; 4], "no COLOR_0: white");
    }

    #[test]
    fn a_variant_picks_its_material() {
        let mut b = SceneBuilder::default();
        b.add_model(&model(), Mat4::IDENTITY, Some(0));
        let scene = finish(b);
        assert_eq!(scene.materials[0].base_color, [1.0, 0.0, 0.0, 1.0]);
        assert!(scene.textures.is_empty(), "the red material has no texture");
    }

    #[test]
    fn a_mirror_keeps_triangles_facing_their_normals() {
        let mut b = SceneBuilder::default();
        b.add_model(&model(), Mat4::from_scale(Vec3::new(-1.0, 1.0, 1.0)), None);
        let scene = finish(b);
        let n = Vec3::from(scene.vertices[0].normal);
        assert!(
            face(&scene, 0).dot(n) > 0.0,
            "winding flipped with the mirror"
        );
        let t = Vec4::from(scene.vertices[0].tangent);
        assert_eq!(t.truncate(), Vec3::NEG_X, "tangent mirrored");
        assert_eq!(t.w, -1.0, "handedness flipped");
        // The bitangent cross(n, t) * w still points along +v (up, +y).
        assert!(n.cross(t.truncate()).y * t.w > 0.0);
    }

    #[test]
    fn normals_use_the_inverse_transpose_under_non_uniform_scale() {
        // A 45-degree slope y = x, stretched 2x along x: the true normal is
        // (-1, 2) / sqrt(5), not the stretched (-2, 1).
        let mut m = model();
        let s = std::f32::consts::FRAC_1_SQRT_2;
        m.meshes[0].primitives[0].attributes.normals = vec![[-s, s, 0.0]; 3];
        m.instances[0].transform = Mat4::IDENTITY;
        let mut b = SceneBuilder::default();
        b.add_model(&m, Mat4::from_scale(Vec3::new(2.0, 1.0, 1.0)), None);
        let n = Vec3::from(finish(b).vertices[0].normal);
        let expected = Vec3::new(-1.0, 2.0, 0.0).normalize();
        assert!((n - expected).length() < 1e-5, "{n}");
    }

    #[test]
    fn singular_transforms_are_left_out() {
        let mut b = SceneBuilder::default();
        assert!(
            b.add_model(&model(), Mat4::from_scale(Vec3::ZERO), None)
                .is_none()
        );
    }

    #[test]
    fn model_lights_are_converted_to_scene_units() {
        let mut m = model();
        m.lights = vec![super::super::gltf::PlacedLight {
            name: None,
            kind: LightKind::Spot {
                inner_cone_angle: 0.3,
                outer_cone_angle: 0.6,
            },
            color: [1.0, 1.0, 1.0],
            intensity: 80.0,
            range: None,
            position: Vec3::ZERO,
            direction: Vec3::NEG_Z,
        }];
        let mut lighting = LightingPreset::daylight();
        add_model_lights(&m, Mat4::from_translation(Vec3::Y * 2.0), &mut lighting);
        let spot = &lighting.spots[0];
        assert_eq!(spot.position, Vec3::Y * 2.0);
        assert_eq!(spot.color, Vec3::splat(2.0));
        assert!((spot.range - 512f32.sqrt()).abs() < 1e-3);
    }
}

//! The CPU-side scene: the house shell, decoration options as plain data, and the
//! triangle lists, materials and lights the renderer uploads. No Vulkan here.
//!
//! House space: metres, y up, floor at y = 0. The default house puts the start
//! room's interior centre at x = z = 0 with its window wall at -z, the wall a
//! visitor standing at the centre sees when looking along -Z.

pub mod gltf;
mod house;
mod lighting;
mod material;
mod mesh;
mod model_mesh;
mod probe;
mod room;
pub mod sh;

pub use house::{House, Opening, OpeningKind, Room, Start, WALL_THICKNESS, Wall};
pub use lighting::{DirectionalLight, LightingPreset, PointLight, SpotLight, WindowAperture};
pub use material::{AlphaMode, Finishes, Material, Pattern, TextureSlot, UvTransform};
pub use mesh::{MeshPart, Vertex};
pub use model_mesh::{CANDELA_PER_UNIT, LUX_PER_UNIT, add_model_lights};
pub use probe::{
    IrradianceProbe, MAX_PROBES, PROBE_EYE_HEIGHT, ProbeOccluder, ProbeScene, bake_probes,
};

use glam::Vec3;
use std::sync::Arc;

/// Inner size of the room, in metres.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RoomDimensions {
    /// Along x.
    pub width: f32,
    /// Along z.
    pub depth: f32,
    /// Floor to ceiling.
    pub height: f32,
}

/// Session 1's living room: 5 m x 4 m, 2.7 m high (the default house's start room).
pub fn default_room() -> RoomDimensions {
    RoomDimensions {
        width: 5.0,
        depth: 4.0,
        height: 2.7,
    }
}

/// One way of decorating the house: placed models, surface finishes and light.
///
/// Plain data: the catalog (`crate::catalog`) builds these from its file, with
/// every model loaded once and shared between the options that place it.
#[derive(Clone, Debug)]
pub struct DecorationOption {
    /// Shown to the user and written in reports, e.g. "Scandinavian".
    pub name: String,
    /// The furniture, placed in house space.
    pub items: Vec<PlacedModel>,
    /// Walls, floor, ceiling, trim and door.
    pub finishes: Finishes,
    /// Ambient, sun and lamps.
    pub lighting: LightingPreset,
}

/// A glTF model placed in the house.
#[derive(Clone, Debug)]
pub struct PlacedModel {
    /// What it is, for logs and layout checks (the model's file name).
    pub label: String,
    /// The loaded model, shared by every placement of it.
    pub model: Arc<gltf::Model>,
    /// Model space to house space.
    pub transform: glam::Mat4,
    /// KHR_materials_variants index; `None` draws the model's own materials.
    pub variant: Option<usize>,
}

/// One draw: a range of [`Scene::indices`] drawn with one material.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Draw {
    /// First index in [`Scene::indices`].
    pub first_index: u32,
    /// Number of indices (a multiple of 3).
    pub index_count: u32,
    /// Index into [`Scene::materials`].
    pub material: u32,
}

/// Axis-aligned bounds of one placed item, for layout checks.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemBounds {
    /// What the item is ([`PlacedModel::label`]).
    pub label: String,
    /// Smallest corner.
    pub min: Vec3,
    /// Largest corner.
    pub max: Vec3,
}

/// A texture a material samples: a decoded image with its mip chain (shared
/// between scenes and placements) and how to sample it.
#[derive(Clone, Debug)]
pub struct SceneTexture {
    /// The image; its [`gltf::ColorSpace`] picks an sRGB or a linear format.
    pub image: Arc<gltf::TextureImage>,
    /// Filtering and wrapping.
    pub sampler: gltf::Sampler,
}

/// Everything the renderer needs to draw one room: one vertex and index list,
/// one draw per material, textures, and the lights.
#[derive(Clone, Debug)]
pub struct Scene {
    /// All vertices.
    pub vertices: Vec<Vertex>,
    /// Triangle list into [`Scene::vertices`].
    pub indices: Vec<u32>,
    /// Draws, one per material that has geometry.
    pub draws: Vec<Draw>,
    /// Materials referenced by [`Draw::material`].
    pub materials: Vec<Material>,
    /// Textures referenced by the materials' [`TextureSlot::texture`].
    pub textures: Vec<SceneTexture>,
    /// Lights, ambient and exposure.
    pub lighting: LightingPreset,
    /// The house the scene is built in (rooms and their openings).
    pub house: House,
    /// Bounds of each decoration item, in the order of the option's items.
    pub item_bounds: Vec<ItemBounds>,
    /// Ambient light, one probe per room (see [`bake_probes`]); empty for
    /// a scene without a house shell.
    pub probes: Vec<IrradianceProbe>,
}

impl Scene {
    /// Number of triangles.
    pub fn triangle_count(&self) -> usize {
        self.indices.len() / 3
    }
}

/// Builds the house and, when `option` is given, its decoration.
/// `None` gives the bare house with plain finishes and daylight.
pub fn build_scene(house: &House, option: Option<&DecorationOption>) -> Scene {
    let bare_finishes = Finishes::bare();
    let finishes = option.map_or(&bare_finishes, |o| &o.finishes);
    let mut builder = SceneBuilder::default();
    builder.add_house_shell(house, finishes);
    let mut item_bounds = Vec::new();
    if let Some(option) = option {
        for item in &option.items {
            // A model with nothing to draw still gets bounds (a point), so
            // item_bounds stays in step with the option's items.
            let origin = item.transform.transform_point3(Vec3::ZERO);
            let b = builder
                .add_model(&item.model, item.transform, item.variant)
                .unwrap_or(gltf::Bounds {
                    min: origin,
                    max: origin,
                });
            builder.add_occluder(ProbeOccluder::of_model(
                &item.model,
                item.variant,
                b.min,
                b.max,
            ));
            item_bounds.push(ItemBounds {
                label: item.label.clone(),
                min: b.min,
                max: b.max,
            });
        }
    }
    let mut lighting = option.map_or_else(|| bare_lighting(house), |o| o.lighting.clone());
    for item in option.iter().flat_map(|o| &o.items) {
        add_model_lights(&item.model, item.transform, &mut lighting);
    }
    lighting.aperture = house.sun_aperture();
    builder.finish(lighting, house.clone(), item_bounds)
}

/// Daylight, with the bare house's ceiling lights on in every room.
fn bare_lighting(house: &House) -> LightingPreset {
    let mut lighting = LightingPreset::daylight();
    let lamp = lighting.points.first().cloned();
    if let Some(lamp) = lamp {
        lighting.points = house
            .rooms
            .iter()
            .map(|r| PointLight {
                position: Vec3::new(r.centre.x, r.size.height - 0.15, r.centre.y),
                ..lamp.clone()
            })
            .collect();
    }
    lighting
}

/// Collects geometry per material while a scene is assembled: the room
/// shell, procedural furniture and placed glTF models
/// ([`SceneBuilder::add_model`]), then [`SceneBuilder::finish`].
#[derive(Default)]
pub struct SceneBuilder {
    materials: Vec<Material>,
    parts: Vec<MeshPart>,
    textures: model_mesh::TextureTable,
    /// The shell's finishes, for the probes; `None` until a shell is added.
    finishes: Option<Finishes>,
    /// Furniture as the probes see it.
    occluders: Vec<ProbeOccluder>,
}

impl SceneBuilder {
    /// An empty scene.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the floors, ceilings and walls of every room of `house`, and its
    /// windows, doors and doorways, with `finishes`.
    pub fn add_house_shell(&mut self, house: &House, finishes: &Finishes) {
        room::build_shell(self, house, finishes);
        self.finishes = Some(finishes.clone());
    }

    /// Adds a piece of furniture to what the probes see (the geometry is
    /// added separately, with [`SceneBuilder::add_model`]).
    pub fn add_occluder(&mut self, occluder: ProbeOccluder) {
        self.occluders.push(occluder);
    }

    /// The part that collects geometry of `material` (deduplicated by value).
    pub(crate) fn part(&mut self, material: &Material) -> &mut MeshPart {
        let index = match self.materials.iter().position(|m| m == material) {
            Some(i) => i,
            None => {
                self.materials.push(material.clone());
                self.parts.push(MeshPart::default());
                self.materials.len() - 1
            }
        };
        &mut self.parts[index]
    }

    /// The assembled scene, with `lighting` (its aperture as given), the
    /// shell's `layout` and the decoration's `item_bounds`; bakes the probes
    /// of the house's rooms when a shell was added.
    pub fn finish(
        self,
        lighting: LightingPreset,
        house: House,
        item_bounds: Vec<ItemBounds>,
    ) -> Scene {
        let probes = self.finishes.as_ref().map_or_else(Vec::new, |finishes| {
            bake_probes(&ProbeScene {
                house: &house,
                finishes,
                lighting: &lighting,
                occluders: &self.occluders,
            })
        });
        let mut vertices = Vec::new();
        let mut indices = Vec::new();
        let mut draws = Vec::new();
        // Furniture (added last) is drawn first: it hides parts of the walls
        // and floor, and early depth testing then skips shading them.
        for (material, part) in self.parts.into_iter().enumerate().rev() {
            if part.indices.is_empty() {
                continue;
            }
            let base = vertices.len() as u32;
            draws.push(Draw {
                first_index: indices.len() as u32,
                index_count: part.indices.len() as u32,
                material: material as u32,
            });
            indices.extend(part.indices.iter().map(|i| i + base));
            vertices.extend_from_slice(&part.vertices);
        }
        Scene {
            vertices,
            indices,
            draws,
            materials: self.materials,
            textures: self.textures.textures,
            lighting,
            house,
            item_bounds,
            probes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triangles(scene: &Scene) -> impl Iterator<Item = (u32, [Vec3; 3])> + '_ {
        scene.draws.iter().flat_map(move |d| {
            let range = d.first_index as usize..(d.first_index + d.index_count) as usize;
            scene.indices[range].chunks(3).map(move |t| {
                (
                    d.material,
                    [0, 1, 2].map(|k| Vec3::from(scene.vertices[t[k] as usize].position)),
                )
            })
        })
    }

    /// Möller-Trumbore: distance along `dir` to the triangle, if hit.
    fn hit(origin: Vec3, dir: Vec3, [a, b, c]: [Vec3; 3]) -> Option<f32> {
        let (e1, e2) = (b - a, c - a);
        let p = dir.cross(e2);
        let det = e1.dot(p);
        if det.abs() < 1e-9 {
            return None;
        }
        let s = origin - a;
        let u = s.dot(p) / det;
        let q = s.cross(e1);
        let v = dir.dot(q) / det;
        let t = e2.dot(q) / det;
        (u >= 0.0 && v >= 0.0 && u + v <= 1.0 && t > 1e-4).then_some(t)
    }

    /// The material of the first surface a ray from `origin` along `dir` meets.
    fn first_hit(scene: &Scene, origin: Vec3, dir: Vec3) -> Option<(&Material, f32)> {
        triangles(scene)
            .filter_map(|(m, tri)| hit(origin, dir, tri).map(|t| (m, t)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(m, t)| (&scene.materials[m as usize], t))
    }

    #[test]
    fn bare_room_is_closed_at_its_dimensions() {
        let room = default_room();
        assert_eq!((room.width, room.depth, room.height), (5.0, 4.0, 2.7));
        let scene = build_scene(&House::single_room(room), None);
        let centre = Vec3::new(0.0, 1.6, 0.0);
        // Looking up, down, left, right and back from the centre, the first
        // surface is the ceiling, floor or a wall at the room's inner size.
        for (dir, expected) in [
            (Vec3::Y, 1.1 - 0.046),
            (Vec3::NEG_Y, 1.6),
            (Vec3::X, 2.5),
            (Vec3::NEG_X, 2.5),
            (Vec3::Z, 2.0),
        ] {
            let (_, t) = first_hit(
                &scene,
                centre + Vec3::new(0.3, 0.0, 0.3) * (1.0 - dir.abs()),
                dir,
            )
            .expect("the room is closed");
            let expected = if dir == Vec3::Y { 1.1 } else { expected };
            assert!(
                (t - expected).abs() < 1e-3,
                "{dir}: wall at {t}, expected {expected}"
            );
        }
    }

    #[test]
    fn window_and_door_are_openings_in_the_far_wall() {
        let room = default_room();
        let scene = build_scene(&House::single_room(room), None);
        let w = scene.house.openings[0];
        assert_eq!(w.kind, OpeningKind::Window);
        // Through the middle of a window pane (between the bars) lies the sky,
        // beyond the wall's inner face: the wall has a hole there.
        let through_pane = Vec3::new(w.x0 + w.width() * 0.25, w.y0 + w.height() * 0.35, 0.0);
        let (m, t) =
            first_hit(&scene, through_pane, Vec3::NEG_Z).expect("something behind the window");
        assert_eq!(m.pattern, Pattern::Sky);
        assert!(t > room.depth * 0.5 + 0.1, "sky at {t} m");
        // The door leaf sits back in the door opening, behind the wall's face.
        let d = scene.house.openings[1];
        let (m, t) = first_hit(
            &scene,
            Vec3::new((d.x0 + d.x1) * 0.5, 1.5, 0.0),
            Vec3::NEG_Z,
        )
        .expect("something in the doorway");
        assert_eq!(*m, Finishes::bare().door);
        assert!(t > room.depth * 0.5 + 0.01, "door leaf at {t} m");
        assert!(
            d.height() > 2.0 && d.width() >= 0.8,
            "a door people fit through"
        );
        // Beside the openings, the wall is solid at its inner face.
        let (m, t) = first_hit(&scene, Vec3::new(w.x1 + 0.4, 1.5, 0.0), Vec3::NEG_Z).unwrap();
        assert_eq!(*m, Finishes::bare().walls);
        assert!((t - room.depth * 0.5).abs() < 1e-3);
    }

    /// Living room (5 x 4) and, one wall east of it, a dining room (4 x 4), joined
    /// by a 1 m doorway in the living room's east wall at z 0.4..1.4.
    fn two_rooms() -> House {
        let mut house = House::single_room(default_room());
        house.rooms.push(Room {
            name: "dining".into(),
            centre: glam::Vec2::new(2.5 + WALL_THICKNESS + 2.0, 0.0),
            size: RoomDimensions {
                width: 4.0,
                depth: 4.0,
                height: 2.7,
            },
        });
        house.openings.push(Opening {
            kind: OpeningKind::Doorway { to: 1 },
            room: 0,
            wall: Wall::East,
            x0: 0.4,
            x1: 1.4,
            y0: 0.0,
            y1: 2.1,
        });
        house
    }

    #[test]
    fn a_doorway_opens_the_shared_wall_and_nothing_else() {
        let scene = build_scene(&two_rooms(), None);
        let far = 2.5 + WALL_THICKNESS + 4.0;
        // Through the doorway from the living room: the dining room's east wall.
        let (m, t) = first_hit(&scene, Vec3::new(0.0, 1.0, 0.9), Vec3::X).expect("closed");
        assert_eq!(*m, Finishes::bare().walls);
        assert!((t - far).abs() < 1e-3, "{t}");
        // Back through it from the dining room: the living room's west wall.
        let (_, t) = first_hit(&scene, Vec3::new(4.65, 1.0, 0.9), Vec3::NEG_X).expect("closed");
        assert!((t - (4.65 + 2.5)).abs() < 1e-3, "{t}");
        // Beside and above the doorway the shared wall is solid, from both sides.
        for (origin, dir, expected) in [
            (Vec3::new(0.0, 1.0, -1.0), Vec3::X, 2.5),
            (Vec3::new(0.0, 2.4, 0.9), Vec3::X, 2.5),
            (Vec3::new(4.65, 1.0, -1.0), Vec3::NEG_X, 2.0),
        ] {
            let (m, t) = first_hit(&scene, origin, dir).expect("closed");
            assert_eq!(*m, Finishes::bare().walls, "{origin} {dir}");
            assert!((t - expected).abs() < 1e-3, "{origin} {dir}: {t}");
        }
        // The dining room is closed and has its own ceiling light.
        for dir in [Vec3::Z, Vec3::NEG_Z, Vec3::NEG_Y] {
            assert!(first_hit(&scene, Vec3::new(4.65, 1.0, 0.0), dir).is_some());
        }
        assert_eq!(scene.lighting.points.len(), 2);
    }

    #[test]
    fn draws_cover_every_index_once() {
        let scene = build_scene(&House::single_room(default_room()), None);
        let mut next = 0;
        for d in &scene.draws {
            assert_eq!(d.first_index, next);
            assert_eq!(d.index_count % 3, 0);
            next += d.index_count;
        }
        assert_eq!(next as usize, scene.indices.len());
        assert!(
            scene
                .indices
                .iter()
                .all(|&i| (i as usize) < scene.vertices.len())
        );
    }
}

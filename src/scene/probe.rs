//! Image-based ambient light: one irradiance probe per room, baked on the CPU
//! from the scene's own description (nothing shipped from elsewhere).
//!
//! Each probe holds the 9 order-2 SH irradiance coefficients (RGB) of the
//! light arriving at its room's centre at eye height. The radiance seen in a
//! direction is what a ray from the probe meets, found analytically rather
//! than against the triangle soup, because every room is a box:
//! - the room's floor, ceiling and walls with their finish's diffuse albedo,
//!   lit once by the scene's lights (albedo / pi times the sun's, lamps' and
//!   spots' irradiance with cosine, range and cone falloff, no shadowing;
//!   the sun only through its window aperture, as the shader does), plus the
//!   preset's hemisphere ambient, which stands for the light that has
//!   bounced more than once;
//! - windows (the sky the window pane shows), doors (the door leaf's finish)
//!   and doorways (the ray goes on into the next room, up to three rooms);
//! - furniture as its bounding box ([`ProbeOccluder`]), with the item's mean
//!   albedo and emission, so a sofa darkens and tints the light from below
//!   and a lamp shade glows; a box is coarse (it fills a chair's legs).
//!
//! The hemisphere ambient is the total a lighting preset was tuned for (the
//! shader used it directly before the probes), so the probe redistributes it
//! rather than dimming it a second time: each surface sends back its share
//! in proportion to its albedo relative to the room's mean albedo as seen
//! from the probe. A white room sends back the preset's ambient unchanged, a
//! room of dark walls and a red floor sends back as much light, red from
//! below. The direct lights' bounce is physical (albedo / pi).
//!
//! The probe holds indirect light only: the sun and lamps themselves are
//! shaded per pixel, and counting them here too would light them twice.
//! Known limits: one probe per room cannot see local occlusion (corners and
//! contact shadows come from the shader's analytic terms), and a room whose
//! light differs strongly across it gets its centre's light everywhere.

use glam::{Affine3A, Vec3};

use super::gltf::{ColorSpace, Model};
use super::house::{House, OpeningKind, WALL_THICKNESS, Wall};
use super::lighting::LightingPreset;
use super::material::{Finishes, Material};
use super::sh::{self, Sh9};

/// The renderer blends at most this many probes (its uniform block has room
/// for 4); a house with more rooms keeps the first four.
pub const MAX_PROBES: usize = 4;

/// Height of a probe above the floor: a standing visitor's eyes, where the
/// light matters most (half the height in rooms under 1.9 m).
pub const PROBE_EYE_HEIGHT: f32 = 1.6;

/// 48 x 48 = 2304 directions: the SH projection's error against brute-force
/// integration stays under 3 % for the default rooms (see the tests), and a
/// bake takes well under a millisecond per room (`benches/probe_bake.rs`).
const DIRECTION_GRID: usize = 48;

/// How many rooms a ray may cross through doorways.
const ROOMS_DEEP: usize = 3;

/// Lamps and spots the renderer draws (`LightingPreset::points`' first 8):
/// the bake lights the room with the same ones.
const LIGHTS_DRAWN: usize = 8;

/// Rec. 709 luminance weights of linear RGB.
const LUMINANCE: Vec3 = Vec3::new(0.2126, 0.7152, 0.0722);

/// The glow of the window's sky pane (`room.rs` builds it at 1.6 times white).
const SKY_GLOW: f32 = 1.6;

/// One room's ambient light.
#[derive(Clone, Debug, PartialEq)]
pub struct IrradianceProbe {
    /// Smallest corner of the room's interior box (floor level).
    pub min: Vec3,
    /// Largest corner (ceiling level).
    pub max: Vec3,
    /// Where the light was gathered.
    pub position: Vec3,
    /// Irradiance coefficients: [`sh::evaluate`] at a unit normal gives the
    /// irradiance on a surface facing it (linear RGB, the lights' scale).
    pub sh: Sh9,
}

impl IrradianceProbe {
    /// Irradiance on a surface facing `normal`, clamped at zero.
    pub fn irradiance(&self, normal: Vec3) -> Vec3 {
        sh::evaluate(&self.sh, normal.normalize_or(Vec3::Y)).max(Vec3::ZERO)
    }
}

/// A piece of furniture as the bake sees it: a box with a mean colour.
#[derive(Clone, Debug, PartialEq)]
pub struct ProbeOccluder {
    /// Smallest corner, house space.
    pub min: Vec3,
    /// Largest corner.
    pub max: Vec3,
    /// Mean diffuse albedo of its surfaces (linear).
    pub albedo: Vec3,
    /// Mean emitted radiance of its surfaces (linear).
    pub emissive: Vec3,
}

impl ProbeOccluder {
    /// The box `min..max` of `model` drawn with `variant`: albedo and
    /// emission averaged over its primitives by triangle count, each
    /// material's factor times its texture's mean (the 1x1 mip level).
    pub fn of_model(model: &Model, variant: Option<usize>, min: Vec3, max: Vec3) -> Self {
        let (mut albedo, mut emissive, mut weight) = (Vec3::ZERO, Vec3::ZERO, 0.0f32);
        let primitives = model
            .instances
            .iter()
            .filter_map(|i| model.meshes.get(i.mesh))
            .flat_map(|m| &m.primitives);
        for p in primitives {
            let w = p.triangle_count() as f32;
            let m = p.material_for(variant).and_then(|i| model.materials.get(i));
            let (a, e) = m.map_or((Vec3::ONE, Vec3::ZERO), |m| {
                let base = Vec3::from_slice(&m.base_color_factor[..3])
                    * texture_mean(model, m.base_color_texture.as_ref().map(|t| t.texture));
                let glow = Vec3::from(m.emissive_factor)
                    * m.emissive_strength
                    * texture_mean(model, m.emissive_texture.as_ref().map(|t| t.texture));
                (base * (1.0 - m.metallic_factor.clamp(0.0, 1.0)), glow)
            });
            albedo += a * w;
            emissive += e * w;
            weight += w;
        }
        let w = weight.max(1.0);
        ProbeOccluder {
            min,
            max,
            albedo: albedo / w,
            emissive: emissive / w,
        }
    }
}

/// The mean linear colour of texture `index` of `model` (white when absent).
fn texture_mean(model: &Model, index: Option<usize>) -> Vec3 {
    let image = index
        .and_then(|t| model.textures.get(t))
        .and_then(|t| model.images.get(t.image));
    let Some(image) = image else {
        return Vec3::ONE;
    };
    let Some(level) = image.levels.last() else {
        return Vec3::ONE;
    };
    let texels = level.rgba.chunks_exact(4);
    let count = texels.len().max(1) as f32;
    let sum = texels.fold(Vec3::ZERO, |acc, t| {
        acc + Vec3::new(t[0] as f32, t[1] as f32, t[2] as f32) / 255.0
    });
    let mean = sum / count;
    match image.color_space {
        ColorSpace::Srgb => mean.map(srgb_to_linear),
        ColorSpace::Linear => mean,
    }
}

fn srgb_to_linear(c: f32) -> f32 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// What a bake needs: the house, its finishes and light, and the furniture.
#[derive(Clone, Copy, Debug)]
pub struct ProbeScene<'a> {
    /// Rooms and openings.
    pub house: &'a House,
    /// Wall, floor, ceiling and door finishes.
    pub finishes: &'a Finishes,
    /// Sun (with its aperture), lamps, spots and the hemisphere ambient.
    pub lighting: &'a LightingPreset,
    /// Furniture boxes.
    pub occluders: &'a [ProbeOccluder],
}

/// One probe per room (the first [`MAX_PROBES`] rooms), in room order.
pub fn bake_probes(scene: &ProbeScene) -> Vec<IrradianceProbe> {
    let tracer = Tracer::new(scene);
    (0..scene.house.rooms.len().min(MAX_PROBES))
        .map(|room| tracer.bake(room))
        .collect()
}

/// An opening, with the inverse of its wall's frame to test hits against.
struct Portal {
    kind: OpeningKind,
    room: usize,
    wall: Wall,
    to_wall: Affine3A,
    rect: [f32; 4],
}

struct Tracer<'a> {
    scene: &'a ProbeScene<'a>,
    portals: Vec<Portal>,
}

/// A surface a ray met: where, facing which way, and what it is made of.
enum Hit<'a> {
    Surface(Vec3, Vec3, &'a Material),
    Occluder(Vec3, Vec3, &'a ProbeOccluder),
    Sky,
    Nothing,
}

impl<'a> Tracer<'a> {
    fn new(scene: &'a ProbeScene<'a>) -> Self {
        let house = scene.house;
        let portals = house
            .openings
            .iter()
            .filter(|o| o.room < house.rooms.len())
            .map(|o| Portal {
                kind: o.kind,
                room: o.room,
                wall: o.wall,
                to_wall: house.rooms[o.room].wall_frame(o.wall).inverse(),
                rect: [o.x0, o.x1, o.y0, o.y1],
            })
            .collect();
        Tracer { scene, portals }
    }

    fn bake(&self, room: usize) -> IrradianceProbe {
        let r = &self.scene.house.rooms[room];
        let (lo, hi) = (r.min(), r.max());
        let height = r.size.height.max(0.0);
        let y = if height >= PROBE_EYE_HEIGHT + 0.3 {
            PROBE_EYE_HEIGHT
        } else {
            height * 0.5
        };
        let position = Vec3::new(r.centre.x, y, r.centre.y);
        let ambient_scale = 1.0 / self.mean_albedo(room, position);
        let sh = sh::project_irradiance(DIRECTION_GRID, |d| {
            self.radiance(room, position, d, ambient_scale)
        });
        IrradianceProbe {
            min: Vec3::new(lo.x, 0.0, lo.y),
            max: Vec3::new(hi.x, height, hi.y),
            position,
            sh,
        }
    }

    /// The mean luminance of the albedo of the surfaces seen from `origin`
    /// (over 256 directions; the sky left out), at least 1 %.
    fn mean_albedo(&self, room: usize, origin: Vec3) -> f32 {
        let (mut sum, mut count) = (0.0, 0.0);
        for d in sh::stratified_directions(16) {
            let albedo = match self.trace(room, origin, d, ROOMS_DEEP) {
                Hit::Surface(_, _, m) => diffuse_albedo(m),
                Hit::Occluder(_, _, o) => o.albedo,
                Hit::Sky | Hit::Nothing => continue,
            };
            sum += albedo.dot(LUMINANCE);
            count += 1.0;
        }
        if count > 0.0 && sum.is_finite() {
            (sum / count).max(0.01)
        } else {
            1.0
        }
    }

    /// Radiance arriving at `origin` (inside `room`) from direction `-d`,
    /// i.e. leaving the first surface met along `d`; the hemisphere ambient
    /// a surface sends back is scaled by `ambient_scale`.
    fn radiance(&self, room: usize, origin: Vec3, d: Vec3, ambient_scale: f32) -> Vec3 {
        match self.trace(room, origin, d, ROOMS_DEEP) {
            Hit::Surface(p, n, m) => {
                self.shade(p, n, diffuse_albedo(m), emissive(m), ambient_scale)
            }
            Hit::Occluder(p, n, o) => self.shade(p, n, o.albedo, o.emissive, ambient_scale),
            Hit::Sky => sky(d) * SKY_GLOW,
            Hit::Nothing => Vec3::ZERO,
        }
    }

    fn trace(&self, room: usize, origin: Vec3, d: Vec3, rooms_left: usize) -> Hit<'a> {
        let house = self.scene.house;
        let r = &house.rooms[room];
        let (lo, hi) = (r.min(), r.max());
        let (min, max) = (
            Vec3::new(lo.x, 0.0, lo.y),
            Vec3::new(hi.x, r.size.height, hi.y),
        );
        let Some((t_exit, axis)) = exit(min, max, origin, d) else {
            return Hit::Nothing;
        };
        if let Some((t, n, o)) = self.nearest_occluder(origin, d, t_exit) {
            return Hit::Occluder(origin + d * t, n, o);
        }
        let p = origin + d * t_exit;
        let f = &self.scene.finishes;
        let wall = match axis {
            1 if d.y < 0.0 => return Hit::Surface(p, Vec3::Y, &f.floor),
            1 => return Hit::Surface(p, Vec3::NEG_Y, &f.ceiling),
            0 if d.x > 0.0 => Wall::East,
            0 => Wall::West,
            _ if d.z > 0.0 => Wall::South,
            _ => Wall::North,
        };
        let n = match wall {
            Wall::East => Vec3::NEG_X,
            Wall::West => Vec3::X,
            Wall::South => Vec3::NEG_Z,
            Wall::North => Vec3::Z,
        };
        match self.portal_at(room, wall, p) {
            Some((OpeningKind::Window, _)) => Hit::Sky,
            Some((OpeningKind::Door, _)) => Hit::Surface(p, n, &f.door),
            Some((OpeningKind::Doorway { to }, cut_from)) if rooms_left > 1 => {
                let other = if cut_from == room { to } else { cut_from };
                if other < house.rooms.len() && other != room {
                    self.trace(other, p, d, rooms_left - 1)
                } else {
                    Hit::Surface(p, n, &f.walls)
                }
            }
            _ => Hit::Surface(p, n, &f.walls),
        }
    }

    /// The opening of `room`'s `wall` at the wall point `p`, and the room
    /// whose wall it was cut in: this room's own, or a doorway cut from the
    /// room on the other side.
    fn portal_at(&self, room: usize, wall: Wall, p: Vec3) -> Option<(OpeningKind, usize)> {
        self.portals.iter().find_map(|o| {
            let own = o.room == room && o.wall == wall;
            let across = matches!(o.kind, OpeningKind::Doorway { to } if to == room)
                && o.wall == wall.opposite();
            if !own && !across {
                return None;
            }
            let q = o.to_wall.transform_point3(p);
            let [x0, x1, y0, y1] = o.rect;
            let on_face = q.z.abs() < 1e-3 || (q.z + WALL_THICKNESS).abs() < 1e-3;
            (on_face && q.x >= x0 && q.x <= x1 && q.y >= y0 && q.y <= y1)
                .then_some((o.kind, o.room))
        })
    }

    /// The nearest furniture box along `d` before `t_max`, with the normal
    /// of the face it enters; boxes around the origin are left out.
    fn nearest_occluder(
        &self,
        origin: Vec3,
        d: Vec3,
        t_max: f32,
    ) -> Option<(f32, Vec3, &'a ProbeOccluder)> {
        let mut best: Option<(f32, Vec3, &'a ProbeOccluder)> = None;
        for o in self.scene.occluders {
            let Some((t, axis)) = entry(o.min, o.max, origin, d) else {
                continue;
            };
            if t > 1e-4 && t < best.map_or(t_max, |b| b.0) {
                let mut n = Vec3::ZERO;
                n[axis] = -d[axis].signum();
                best = Some((t, n, o));
            }
        }
        best
    }

    /// Radiance leaving a diffuse surface at `p` facing `n`.
    fn shade(&self, p: Vec3, n: Vec3, albedo: Vec3, emissive: Vec3, ambient_scale: f32) -> Vec3 {
        let l = self.scene.lighting;
        let hemi = l.ground_ambient.lerp(l.sky_ambient, n.y * 0.5 + 0.5);
        albedo * (direct_irradiance(l, p, n) / std::f32::consts::PI + hemi * ambient_scale)
            + emissive
    }
}

/// Irradiance at `p` on a surface facing `n` straight from the lights, with
/// the falloffs `shaders/room.wgsl` uses.
fn direct_irradiance(l: &LightingPreset, p: Vec3, n: Vec3) -> Vec3 {
    let mut e = Vec3::ZERO;
    // Without an aperture the sun has no way in (the shadow map closes the
    // rooms), so it adds nothing indoors.
    if let (Some(sun), Some(a)) = (&l.sun, &l.aperture) {
        let s = sun.towards.normalize_or_zero();
        let cos = n.dot(s);
        if cos > 0.0 && s.z.abs() > 1e-4 {
            let t = (a.plane_z - p.z) / s.z;
            let hit = glam::Vec2::new(p.x + s.x * t, p.y + s.y * t);
            if t >= -1e-3 && hit.cmpge(a.min).all() && hit.cmple(a.max).all() {
                e += sun.color * cos;
            }
        }
    }
    for light in l.points.iter().take(LIGHTS_DRAWN) {
        let to = light.position - p;
        let d2 = to.length_squared().max(1e-4);
        let cos = n.dot(to) / d2.sqrt();
        if cos > 0.0 {
            e += light.color * (falloff(d2, light.range) * cos);
        }
    }
    for spot in l.spots.iter().take(LIGHTS_DRAWN) {
        let to = spot.position - p;
        let d2 = to.length_squared().max(1e-4);
        let dir = to / d2.sqrt();
        let cos = n.dot(dir);
        let (cos_outer, cos_inner) = (
            spot.outer_cone.cos(),
            spot.inner_cone.min(spot.outer_cone).cos(),
        );
        let cd = spot.direction.normalize_or(Vec3::NEG_Y).dot(-dir);
        let cone = ((cd - cos_outer) / (cos_inner - cos_outer).max(1e-4)).clamp(0.0, 1.0);
        if cos > 0.0 {
            e += spot.color * (falloff(d2, spot.range) * cone * cone * cos);
        }
    }
    e
}

/// `falloff()` of `shaders/room.wgsl`: KHR_lights_punctual's range window
/// over an inverse square softened by 1 cm.
fn falloff(d2: f32, range: f32) -> f32 {
    let r2 = range * range;
    let fade = (1.0 - (d2 * d2) / (r2 * r2)).clamp(0.0, 1.0);
    fade * fade / (d2 + 0.01)
}

/// `sky()` of `shaders/room.wgsl`: the gradient the window pane shows.
fn sky(d: Vec3) -> Vec3 {
    let zenith = Vec3::new(0.18, 0.36, 0.85);
    let horizon = Vec3::new(0.75, 0.85, 0.95);
    let ground = Vec3::new(0.22, 0.30, 0.16);
    if d.y < 0.0 {
        return (horizon * 0.6).lerp(ground, (-d.y * 6.0).clamp(0.0, 1.0));
    }
    horizon.lerp(zenith, d.y.clamp(0.0, 1.0).powf(0.6))
}

fn diffuse_albedo(m: &Material) -> Vec3 {
    Vec3::from_slice(&m.base_color[..3]) * (1.0 - m.metallic.clamp(0.0, 1.0))
}

fn emissive(m: &Material) -> Vec3 {
    Vec3::from(m.emissive)
}

/// Where a ray from `origin` inside the box leaves it, and across which axis.
fn exit(min: Vec3, max: Vec3, origin: Vec3, d: Vec3) -> Option<(f32, usize)> {
    let mut best: Option<(f32, usize)> = None;
    for axis in 0..3 {
        if d[axis].abs() < 1e-9 {
            continue;
        }
        let plane = if d[axis] > 0.0 { max[axis] } else { min[axis] };
        let t = ((plane - origin[axis]) / d[axis]).max(0.0);
        if best.is_none_or(|b| t < b.0) {
            best = Some((t, axis));
        }
    }
    best.filter(|b| b.0.is_finite())
}

/// Where a ray from `origin` enters the box (slab method), and across which axis.
fn entry(min: Vec3, max: Vec3, origin: Vec3, d: Vec3) -> Option<(f32, usize)> {
    let (mut near, mut far, mut axis) = (f32::MIN, f32::MAX, 0);
    for a in 0..3 {
        if d[a].abs() < 1e-9 {
            if origin[a] < min[a] || origin[a] > max[a] {
                return None;
            }
            continue;
        }
        let (t1, t2) = ((min[a] - origin[a]) / d[a], (max[a] - origin[a]) / d[a]);
        let (t_in, t_out) = (t1.min(t2), t1.max(t2));
        if t_in > near {
            near = t_in;
            axis = a;
        }
        far = far.min(t_out);
    }
    (near <= far && far > 0.0 && near.is_finite()).then_some((near, axis))
}

#[cfg(test)]
mod tests;

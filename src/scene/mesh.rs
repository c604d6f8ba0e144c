//! Triangle geometry from primitives (boxes, bevelled boxes, cylinders, spheres),
//! collected per material so the renderer issues one draw per material.

use glam::{Affine3A, Vec3};

/// One vertex as the renderer reads it, in room space (72 bytes, `repr(C)`,
/// uploaded as is).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct Vertex {
    /// Position in metres, room space.
    pub position: [f32; 3],
    /// Unit normal, room space.
    pub normal: [f32; 3],
    /// Unit tangent (xyz, along increasing u) and handedness (w = +1 or -1):
    /// the bitangent is `cross(normal, tangent.xyz) * w`, as in glTF.
    pub tangent: [f32; 4],
    /// First texture coordinate set (TEXCOORD_0; metres on the room shell).
    pub uv0: [f32; 2],
    /// Second texture coordinate set (TEXCOORD_1), zero when the model has none.
    pub uv1: [f32; 2],
    /// Linear RGBA vertex colour (COLOR_0), multiplying the base colour; white when absent.
    pub color: [f32; 4],
}

impl Vertex {
    /// A vertex with planar texture coordinates: `uv0` is the position
    /// projected on the tangent plane of `normal`, in metres, so procedural
    /// surfaces get textures (and normal maps) at real-world scale.
    pub fn planar(position: Vec3, normal: Vec3) -> Self {
        let tangent = planar_tangent(normal);
        let bitangent = normal.cross(tangent);
        Vertex {
            position: position.to_array(),
            normal: normal.to_array(),
            tangent: tangent.extend(1.0).to_array(),
            uv0: [position.dot(tangent), position.dot(bitangent)],
            uv1: [0.0; 2],
            color: [1.0; 4],
        }
    }
}

/// A unit vector perpendicular to `normal`: horizontal on walls (so u runs
/// along the wall), +x on floors and ceilings (boards run along x).
pub(crate) fn planar_tangent(normal: Vec3) -> Vec3 {
    let horizontal = Vec3::Y.cross(normal);
    if horizontal.length_squared() > 1e-4 {
        horizontal.normalize()
    } else {
        // Facing up or down: x, made exactly perpendicular to the normal.
        (Vec3::X - normal * normal.dot(Vec3::X)).normalize_or(Vec3::X)
    }
}

/// Geometry of one material: vertices and triangle indices into them.
#[derive(Clone, Debug, Default)]
pub struct MeshPart {
    /// Vertices of this part.
    pub vertices: Vec<Vertex>,
    /// Triangle list, counter-clockwise seen from the side the normal points to.
    pub indices: Vec<u32>,
}

impl MeshPart {
    fn push(&mut self, position: Vec3, normal: Vec3) -> u32 {
        let index = self.vertices.len() as u32;
        self.vertices.push(Vertex::planar(position, normal));
        index
    }

    /// Adds a flat quad `a b c d` (a loop) facing `outward`; the winding is
    /// fixed from `outward` so callers can list corners in any loop order.
    pub fn quad(&mut self, t: &Affine3A, corners: [Vec3; 4], outward: Vec3) {
        let [a, b, c, d] = corners.map(|p| t.transform_point3(p));
        let n = t.transform_vector3(outward).normalize_or_zero();
        let (b, d) = if (b - a).cross(c - a).dot(n) < 0.0 {
            (d, b)
        } else {
            (b, d)
        };
        let i = [a, b, c, d].map(|p| self.push(p, n));
        self.indices
            .extend_from_slice(&[i[0], i[1], i[2], i[0], i[2], i[3]]);
    }

    /// Adds a flat triangle facing `outward`.
    pub fn triangle(&mut self, t: &Affine3A, corners: [Vec3; 3], outward: Vec3) {
        let [a, b, c] = corners.map(|p| t.transform_point3(p));
        let n = t.transform_vector3(outward).normalize_or_zero();
        let (b, c) = if (b - a).cross(c - a).dot(n) < 0.0 {
            (c, b)
        } else {
            (b, c)
        };
        let i = [a, b, c].map(|p| self.push(p, n));
        self.indices.extend_from_slice(&i);
    }

    /// Adds an axis-aligned (in the frame of `t`) box between `min` and `max`.
    pub fn cuboid(&mut self, t: &Affine3A, min: Vec3, max: Vec3) {
        self.bevelled_box(t, min, max, 0.0);
    }

    /// Adds a box between `min` and `max` whose 12 edges are chamfered by
    /// `bevel` metres (clamped to a third of the smallest side): the small
    /// facets catch light the way real furniture edges do.
    pub fn bevelled_box(&mut self, t: &Affine3A, min: Vec3, max: Vec3, bevel: f32) {
        let centre = (min + max) * 0.5;
        let half = ((max - min) * 0.5).abs();
        let b = bevel.clamp(0.0, half.min_element() * 0.66);
        // corner(s, axis): the vertex of corner `s` (signs) that lies on the
        // face perpendicular to `axis`.
        let corner = |s: Vec3, axis: usize| {
            let mut inset = half - Vec3::splat(b);
            inset[axis] = half[axis];
            centre + s * inset
        };
        let signs = |i: usize| Vec3::new(sgn(i & 1), sgn(i & 2), sgn(i & 4));
        for axis in 0..3 {
            for side in [-1.0f32, 1.0] {
                let mut n = Vec3::ZERO;
                n[axis] = side;
                let (u, v) = ((axis + 1) % 3, (axis + 2) % 3);
                let pick = |su: f32, sv: f32| {
                    let mut s = n;
                    s[u] = su;
                    s[v] = sv;
                    corner(s, axis)
                };
                self.quad(
                    t,
                    [
                        pick(-1.0, -1.0),
                        pick(1.0, -1.0),
                        pick(1.0, 1.0),
                        pick(-1.0, 1.0),
                    ],
                    n,
                );
            }
        }
        if b <= 0.0 {
            return;
        }
        // Edge facets: between the faces of axes `a1` and `a2`, running along `a3`.
        for (a1, a2, a3) in [(0, 1, 2), (1, 2, 0), (2, 0, 1)] {
            for s1 in [-1.0f32, 1.0] {
                for s2 in [-1.0f32, 1.0] {
                    let mut n = Vec3::ZERO;
                    n[a1] = s1;
                    n[a2] = s2;
                    let at = |s3: f32, axis: usize| {
                        let mut s = n;
                        s[a3] = s3;
                        corner(s, axis)
                    };
                    self.quad(
                        t,
                        [at(-1.0, a1), at(1.0, a1), at(1.0, a2), at(-1.0, a2)],
                        n.normalize(),
                    );
                }
            }
        }
        for i in 0..8 {
            let s = signs(i);
            self.triangle(t, [corner(s, 0), corner(s, 1), corner(s, 2)], s.normalize());
        }
    }

    /// Adds a closed cylinder (or cone frustum) on the local y axis: base
    /// centre `base`, radii `r0` at the bottom and `r1` at the top, smooth sides.
    pub fn cylinder(
        &mut self,
        t: &Affine3A,
        base: Vec3,
        r0: f32,
        r1: f32,
        height: f32,
        segments: u32,
    ) {
        let segments = segments.max(3);
        let n = t.transform_vector3(Vec3::Y).normalize_or_zero();
        let slope = (r0 - r1) / height.max(1e-6);
        let first = self.vertices.len() as u32;
        for k in 0..=segments {
            let a = k as f32 / segments as f32 * std::f32::consts::TAU;
            let dir = Vec3::new(a.cos(), 0.0, a.sin());
            let normal = t
                .transform_vector3(dir + Vec3::Y * slope)
                .normalize_or_zero();
            self.push(t.transform_point3(base + dir * r0), normal);
            self.push(
                t.transform_point3(base + dir * r1 + Vec3::Y * height),
                normal,
            );
        }
        for k in 0..segments {
            let i = first + 2 * k;
            // Counter-clockwise seen from outside with angle running x -> z.
            self.indices
                .extend_from_slice(&[i, i + 1, i + 3, i, i + 3, i + 2]);
        }
        for (y, r, normal) in [(0.0, r0, -n), (height, r1, n)] {
            if r <= 0.0 {
                continue;
            }
            let centre = self.push(t.transform_point3(base + Vec3::Y * y), normal);
            let ring = self.vertices.len() as u32;
            for k in 0..segments {
                let a = k as f32 / segments as f32 * std::f32::consts::TAU;
                let p = base + Vec3::new(a.cos() * r, y, a.sin() * r);
                self.push(t.transform_point3(p), normal);
            }
            for k in 0..segments {
                let (p, q) = (ring + k, ring + (k + 1) % segments);
                if y > 0.0 {
                    self.indices.extend_from_slice(&[centre, q, p]);
                } else {
                    self.indices.extend_from_slice(&[centre, p, q]);
                }
            }
        }
    }

    /// Adds a UV sphere (or, with unequal radii, an ellipsoid) centred at `centre`.
    pub fn ellipsoid(
        &mut self,
        t: &Affine3A,
        centre: Vec3,
        radii: Vec3,
        rings: u32,
        segments: u32,
    ) {
        let (rings, segments) = (rings.max(3), segments.max(3));
        let first = self.vertices.len() as u32;
        for r in 0..=rings {
            let phi = r as f32 / rings as f32 * std::f32::consts::PI;
            for s in 0..=segments {
                let theta = s as f32 / segments as f32 * std::f32::consts::TAU;
                let unit = Vec3::new(phi.sin() * theta.cos(), phi.cos(), phi.sin() * theta.sin());
                let normal = t.transform_vector3(unit / radii).normalize_or_zero();
                self.push(t.transform_point3(centre + unit * radii), normal);
            }
        }
        let row = segments + 1;
        for r in 0..rings {
            for s in 0..segments {
                let i = first + r * row + s;
                self.indices
                    .extend_from_slice(&[i, i + 1, i + row, i + 1, i + row + 1, i + row]);
            }
        }
    }
}

fn sgn(bit: usize) -> f32 {
    if bit != 0 { 1.0 } else { -1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every triangle must wind counter-clockwise around its outward normal,
    /// or back-face culling removes it.
    fn assert_outward(part: &MeshPart, centre: Vec3) {
        for tri in part.indices.chunks(3) {
            let [a, b, c] = [0, 1, 2].map(|k| Vec3::from(part.vertices[tri[k] as usize].position));
            let face = (b - a).cross(c - a);
            let mid = (a + b + c) / 3.0;
            assert!(
                face.dot(mid - centre) > 0.0,
                "triangle {tri:?} faces inward"
            );
        }
    }

    #[test]
    fn planar_vertices_have_metre_uvs_and_a_tangent_along_u() {
        for n in [
            Vec3::X,
            Vec3::NEG_X,
            Vec3::Y,
            Vec3::NEG_Y,
            Vec3::Z,
            Vec3::NEG_Z,
        ] {
            let a = Vertex::planar(Vec3::new(0.2, 0.3, 0.4), n);
            let t = Vec3::from_slice(&a.tangent[..3]);
            assert!(
                (t.length() - 1.0).abs() < 1e-5 && t.dot(n).abs() < 1e-5,
                "{n}"
            );
            // Moving one metre along the tangent moves u by one metre, v not at all.
            let b = Vertex::planar(Vec3::new(0.2, 0.3, 0.4) + t, n);
            assert!((b.uv0[0] - a.uv0[0] - 1.0).abs() < 1e-5, "{n}");
            assert!((b.uv0[1] - a.uv0[1]).abs() < 1e-5, "{n}");
            assert_eq!(a.color, [1.0; 4]);
        }
        // On a wall facing +z, u runs along +x and v up.
        let w = Vertex::planar(Vec3::new(1.0, 2.0, 0.0), Vec3::Z);
        assert_eq!(w.uv0, [1.0, 2.0]);
    }

    #[test]
    fn bevelled_box_is_closed_and_outward() {
        let mut part = MeshPart::default();
        let min = Vec3::new(-1.0, 0.0, -0.5);
        let max = Vec3::new(1.0, 0.8, 0.5);
        part.bevelled_box(&Affine3A::IDENTITY, min, max, 0.05);
        // 6 faces + 12 edges as quads, 8 corners as triangles.
        assert_eq!(part.indices.len(), (18 * 2 + 8) * 3);
        assert_outward(&part, Vec3::new(0.0, 0.4, 0.0));
        for v in &part.vertices {
            let p = Vec3::from(v.position);
            assert!(p.cmpge(min - 1e-5).all() && p.cmple(max + 1e-5).all());
        }
    }

    #[test]
    fn cylinder_and_sphere_face_outward() {
        let mut part = MeshPart::default();
        let t = Affine3A::from_translation(Vec3::new(1.0, 0.0, 2.0));
        part.cylinder(&t, Vec3::ZERO, 0.3, 0.3, 1.0, 16);
        assert_outward(&part, Vec3::new(1.0, 0.5, 2.0));
        let mut ball = MeshPart::default();
        ball.ellipsoid(&t, Vec3::ZERO, Vec3::splat(0.5), 8, 12);
        // Degenerate pole triangles have no area; skip them.
        ball.indices = ball
            .indices
            .chunks(3)
            .filter(|tri| {
                let [a, b, c] =
                    [0, 1, 2].map(|k| Vec3::from(ball.vertices[tri[k] as usize].position));
                (b - a).cross(c - a).length() > 1e-7
            })
            .flatten()
            .copied()
            .collect();
        assert_outward(&ball, Vec3::new(1.0, 0.0, 2.0));
    }
}

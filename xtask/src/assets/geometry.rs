//! Triangle meshes as the generator builds them: positions in metres, per-vertex
//! normals, UVs in metres (divided by a material's tile size when written), and the
//! operations every model needs (append, transform, welded smooth normals, tangents).

use glam::{Affine3A, Vec2, Vec3};
use std::collections::BTreeMap;

/// An indexed triangle list.
#[derive(Clone, Debug, Default)]
pub struct MeshData {
    /// Vertex positions in metres.
    pub positions: Vec<Vec3>,
    /// Unit normals, one per vertex.
    pub normals: Vec<Vec3>,
    /// Texture coordinates in metres along the surface.
    pub uvs: Vec<Vec2>,
    /// Counter-clockwise triangles (seen from the normal's side).
    pub indices: Vec<u32>,
}

impl MeshData {
    /// Adds a vertex and returns its index.
    pub fn vertex(&mut self, position: Vec3, normal: Vec3, uv: Vec2) -> u32 {
        let index = self.positions.len() as u32;
        self.positions.push(position);
        self.normals.push(normal);
        self.uvs.push(uv);
        index
    }

    /// Adds the quad `a b c d` (counter-clockwise) as two triangles.
    pub fn quad(&mut self, a: u32, b: u32, c: u32, d: u32) {
        self.indices.extend_from_slice(&[a, b, c, a, c, d]);
    }

    /// Appends `other`'s vertices and triangles.
    pub fn append(&mut self, other: &MeshData) {
        let base = self.positions.len() as u32;
        self.positions.extend_from_slice(&other.positions);
        self.normals.extend_from_slice(&other.normals);
        self.uvs.extend_from_slice(&other.uvs);
        self.indices.extend(other.indices.iter().map(|i| i + base));
    }

    /// Moves the mesh by `m`; normals follow the inverse transpose, and a mirroring
    /// transform flips the winding so front faces stay front faces.
    pub fn transform(mut self, m: Affine3A) -> Self {
        let normal_matrix = m.matrix3.inverse().transpose();
        for p in &mut self.positions {
            *p = m.transform_point3(*p);
        }
        for n in &mut self.normals {
            *n = (normal_matrix * *n).normalize_or_zero();
        }
        if m.matrix3.determinant() < 0.0 {
            for t in self.indices.chunks_exact_mut(3) {
                t.swap(1, 2);
            }
        }
        self
    }

    /// Shorthand for a translation.
    pub fn at(self, offset: Vec3) -> Self {
        self.transform(Affine3A::from_translation(offset))
    }

    /// Number of triangles.
    pub fn triangle_count(&self) -> usize {
        self.indices.len() / 3
    }

    /// Replaces the normals with area-weighted averages over vertices that share a
    /// position (to a tenth of a millimetre), so a deformed shape stays smooth across
    /// the seams where its UV patches meet.
    pub fn smooth_normals(&mut self) {
        let key = |p: Vec3| {
            let q = (p * 10_000.0).round();
            (q.x as i64, q.y as i64, q.z as i64)
        };
        let mut sums: BTreeMap<(i64, i64, i64), Vec3> = BTreeMap::new();
        for t in self.indices.chunks_exact(3) {
            let [a, b, c] = [t[0], t[1], t[2]].map(|i| self.positions[i as usize]);
            let face = (b - a).cross(c - a);
            for p in [a, b, c] {
                *sums.entry(key(p)).or_insert(Vec3::ZERO) += face;
            }
        }
        for (p, n) in self.positions.iter().zip(&mut self.normals) {
            let sum = sums.get(&key(*p)).copied().unwrap_or(Vec3::ZERO);
            if sum.length_squared() > 0.0 {
                *n = sum.normalize();
            }
        }
    }

    /// MikkTSpace tangents (xyz and handedness in w), the convention glTF's normal
    /// maps are authored for.
    pub fn tangents(&self) -> Vec<[f32; 4]> {
        let mut geometry = Mikk {
            mesh: self,
            tangents: vec![[1.0, 0.0, 0.0, 1.0]; self.positions.len()],
        };
        if !mikktspace::generate_tangents(&mut geometry) {
            // Only degenerate input fails; any unit vector is then as good as another.
            return vec![[1.0, 0.0, 0.0, 1.0]; self.positions.len()];
        }
        geometry.tangents
    }
}

struct Mikk<'a> {
    mesh: &'a MeshData,
    tangents: Vec<[f32; 4]>,
}

impl Mikk<'_> {
    fn index(&self, face: usize, vert: usize) -> usize {
        self.mesh.indices[face * 3 + vert] as usize
    }
}

impl mikktspace::Geometry for Mikk<'_> {
    fn num_faces(&self) -> usize {
        self.mesh.indices.len() / 3
    }
    fn num_vertices_of_face(&self, _face: usize) -> usize {
        3
    }
    fn position(&self, face: usize, vert: usize) -> [f32; 3] {
        self.mesh.positions[self.index(face, vert)].to_array()
    }
    fn normal(&self, face: usize, vert: usize) -> [f32; 3] {
        self.mesh.normals[self.index(face, vert)].to_array()
    }
    fn tex_coord(&self, face: usize, vert: usize) -> [f32; 2] {
        self.mesh.uvs[self.index(face, vert)].to_array()
    }
    fn set_tangent_encoded(&mut self, tangent: [f32; 4], face: usize, vert: usize) {
        let i = self.index(face, vert);
        self.tangents[i] = tangent;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mirroring_transform_keeps_triangles_facing_out() {
        let mut m = MeshData::default();
        let a = m.vertex(Vec3::ZERO, Vec3::Z, Vec2::ZERO);
        let b = m.vertex(Vec3::X, Vec3::Z, Vec2::X);
        let c = m.vertex(Vec3::Y, Vec3::Z, Vec2::Y);
        m.indices.extend([a, b, c]);
        let flipped = m.transform(Affine3A::from_scale(Vec3::new(1.0, 1.0, -1.0)));
        let [p0, p1, p2] = [0, 1, 2].map(|i| flipped.positions[flipped.indices[i] as usize]);
        let face = (p1 - p0).cross(p2 - p0);
        assert!(
            face.dot(flipped.normals[0]) > 0.0,
            "{face} vs {}",
            flipped.normals[0]
        );
        assert_eq!(flipped.normals[0], -Vec3::Z);
    }
}

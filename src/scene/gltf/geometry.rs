//! Turning glTF primitives into indexed triangle lists: strips and fans converted,
//! flat normals generated where missing, MikkTSpace tangents where a normal map needs them.

use glam::Vec3;

/// Triangle list indices for `count` vertices (or `indices`) of a triangle strip.
///
/// Follows Vulkan's rule (spec 21.1.6): triangle i is (i, i+1+i%2, i+2-i%2), which
/// keeps every triangle's winding the same as the first one's.
pub fn strip_to_list(indices: &[u32]) -> Vec<u32> {
    let n = indices.len().saturating_sub(2);
    let mut out = Vec::with_capacity(n * 3);
    for i in 0..n {
        let odd = i % 2;
        out.extend_from_slice(&[indices[i], indices[i + 1 + odd], indices[i + 2 - odd]]);
    }
    out
}

/// Triangle list indices of a triangle fan: (0, i+1, i+2) for each i, same winding.
pub fn fan_to_list(indices: &[u32]) -> Vec<u32> {
    let n = indices.len().saturating_sub(2);
    let mut out = Vec::with_capacity(n * 3);
    for i in 0..n {
        out.extend_from_slice(&[indices[0], indices[i + 1], indices[i + 2]]);
    }
    out
}

/// Vertex attributes of one primitive, all of the same length.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attributes {
    /// Positions (required).
    pub positions: Vec<[f32; 3]>,
    /// Normals (empty until read or generated).
    pub normals: Vec<[f32; 3]>,
    /// Tangents, xyz and handedness w (empty when absent).
    pub tangents: Vec<[f32; 4]>,
    /// TEXCOORD_0 (empty when absent).
    pub tex_coords0: Vec<[f32; 2]>,
    /// TEXCOORD_1 (empty when absent).
    pub tex_coords1: Vec<[f32; 2]>,
    /// COLOR_0 as linear RGBA (empty when absent).
    pub colors: Vec<[f32; 4]>,
    /// JOINTS_0: indices into the skin's joints (empty when not skinned).
    pub joints: Vec<[u16; 4]>,
    /// WEIGHTS_0, matching `joints` (empty when not skinned).
    pub weights: Vec<[f32; 4]>,
}

fn gather<T: Copy>(values: &[T], indices: &[u32]) -> Vec<T> {
    if values.is_empty() {
        return Vec::new();
    }
    indices.iter().map(|&i| values[i as usize]).collect()
}

impl Attributes {
    /// One vertex per triangle corner, so each corner can take its own normal or tangent.
    /// `indices` must be in range (the loader checks them). Returns the identity indices.
    pub fn unweld(&mut self, indices: &[u32]) -> Vec<u32> {
        self.positions = gather(&self.positions, indices);
        self.normals = gather(&self.normals, indices);
        self.tangents = gather(&self.tangents, indices);
        self.tex_coords0 = gather(&self.tex_coords0, indices);
        self.tex_coords1 = gather(&self.tex_coords1, indices);
        self.colors = gather(&self.colors, indices);
        self.joints = gather(&self.joints, indices);
        self.weights = gather(&self.weights, indices);
        (0..indices.len() as u32).collect()
    }

    /// Sets flat normals on an unwelded triangle list: each corner gets its face's normal
    /// (the spec's rule for primitives without NORMAL). Degenerate faces get +Y rather
    /// than NaN.
    pub fn set_flat_normals(&mut self) {
        self.normals = self
            .positions
            .chunks_exact(3)
            .flat_map(|t| {
                let [a, b, c] = [t[0], t[1], t[2]].map(Vec3::from);
                let n = (b - a).cross(c - a).try_normalize().unwrap_or(Vec3::Y);
                [n.to_array(); 3]
            })
            .collect();
    }

    /// Generates MikkTSpace tangents for an unwelded triangle list with normals, using
    /// TEXCOORD_`set`. Returns false when there is nothing to generate from.
    pub fn generate_tangents(&mut self, set: u32) -> bool {
        let uvs = if set == 1 {
            &self.tex_coords1
        } else {
            &self.tex_coords0
        };
        if uvs.len() != self.positions.len() || self.normals.len() != self.positions.len() {
            return false;
        }
        let mut geometry = MikkGeometry {
            positions: &self.positions,
            normals: &self.normals,
            uvs,
            tangents: vec![[1.0, 0.0, 0.0, 1.0]; self.positions.len()],
        };
        if !mikktspace::generate_tangents(&mut geometry) {
            return false;
        }
        self.tangents = geometry.tangents;
        true
    }
}

/// An unwelded triangle list as MikkTSpace sees it.
struct MikkGeometry<'a> {
    positions: &'a [[f32; 3]],
    normals: &'a [[f32; 3]],
    uvs: &'a [[f32; 2]],
    tangents: Vec<[f32; 4]>,
}

impl mikktspace::Geometry for MikkGeometry<'_> {
    fn num_faces(&self) -> usize {
        self.positions.len() / 3
    }
    fn num_vertices_of_face(&self, _face: usize) -> usize {
        3
    }
    fn position(&self, face: usize, vert: usize) -> [f32; 3] {
        self.positions[face * 3 + vert]
    }
    fn normal(&self, face: usize, vert: usize) -> [f32; 3] {
        self.normals[face * 3 + vert]
    }
    fn tex_coord(&self, face: usize, vert: usize) -> [f32; 2] {
        // glTF puts the UV origin at the top left, MikkTSpace (like Blender, whose
        // exporter writes the tangents glTF expects) at the bottom left: flip v so the
        // handedness w matches what a glTF exporter would have written.
        let [u, v] = self.uvs[face * 3 + vert];
        [u, 1.0 - v]
    }
    fn set_tangent_encoded(&mut self, tangent: [f32; 4], face: usize, vert: usize) {
        self.tangents[face * 3 + vert] = tangent;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_keep_winding_and_fans_share_the_first_vertex() {
        assert_eq!(strip_to_list(&[0, 1, 2, 3, 4]), [0, 1, 2, 1, 3, 2, 2, 3, 4]);
        assert_eq!(fan_to_list(&[0, 1, 2, 3]), [0, 1, 2, 0, 2, 3]);
        assert!(strip_to_list(&[0, 1]).is_empty());
        assert!(fan_to_list(&[]).is_empty());
        // A strip over a quad: both triangles face +Z, like the first one.
        let p = [
            [0.0, 0.0, 0.0],
            [1.0, 0.0, 0.0],
            [0.0, 1.0, 0.0],
            [1.0, 1.0, 0.0],
        ]
        .map(Vec3::from);
        for t in strip_to_list(&[0, 1, 2, 3]).chunks(3) {
            let n =
                (p[t[1] as usize] - p[t[0] as usize]).cross(p[t[2] as usize] - p[t[0] as usize]);
            assert!(n.z > 0.0, "{t:?}");
        }
    }

    fn quad() -> (Attributes, Vec<u32>) {
        // A unit quad in the XY plane facing +Z; glTF UVs: v = 0 at the top (y = 1).
        let a = Attributes {
            positions: vec![
                [0.0, 0.0, 0.0],
                [1.0, 0.0, 0.0],
                [1.0, 1.0, 0.0],
                [0.0, 1.0, 0.0],
            ],
            tex_coords0: vec![[0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]],
            ..Default::default()
        };
        (a, vec![0, 1, 2, 0, 2, 3])
    }

    #[test]
    fn flat_normals_face_the_winding_and_degenerates_do_not_give_nan() {
        let (mut a, idx) = quad();
        let idx = a.unweld(&idx);
        assert_eq!(idx.len(), 6);
        a.set_flat_normals();
        assert!(
            a.normals.iter().all(|n| *n == [0.0, 0.0, 1.0]),
            "{:?}",
            a.normals
        );
        let mut degenerate = Attributes {
            positions: vec![[1.0, 1.0, 1.0]; 3],
            ..Default::default()
        };
        degenerate.set_flat_normals();
        assert!(degenerate.normals.iter().flatten().all(|c| c.is_finite()));
    }

    #[test]
    fn tangents_follow_u_with_gltf_handedness() {
        let (mut a, idx) = quad();
        a.unweld(&idx);
        a.set_flat_normals();
        assert!(a.generate_tangents(0));
        for t in &a.tangents {
            assert!(
                (Vec3::new(t[0], t[1], t[2]) - Vec3::X).length() < 1e-4,
                "{t:?}"
            );
            // bitangent = cross(N, T) * w = +Y: "up" in the image, as glTF defines it.
            assert_eq!(t[3], 1.0, "{t:?}");
        }
        // Mirrored UVs (u runs right to left) flip the tangent and keep w consistent.
        let (mut m, idx) = quad();
        for uv in &mut m.tex_coords0 {
            uv[0] = 1.0 - uv[0];
        }
        m.unweld(&idx);
        m.set_flat_normals();
        assert!(m.generate_tangents(0));
        assert!(
            m.tangents.iter().all(|t| t[0] < -0.99 && t[3] == -1.0),
            "{:?}",
            m.tangents
        );
        let mut no_uv = Attributes {
            positions: a.positions.clone(),
            normals: a.normals.clone(),
            ..Default::default()
        };
        assert!(!no_uv.generate_tangents(0));
    }
}

//! Skinned meshes drawn in their rest pose: each skinned instance gets its own copy of
//! the mesh with the joints' rest transforms applied (linear blend skinning), because
//! the spec ignores a skinned node's own transform and places vertices by the joints.

use super::accessor::{AccessorReader, Storage};
use super::error::{Place, Problem};
use super::model::{Mesh, MeshInstance};
use ::gltf::json;
use glam::{Mat3, Mat4, Vec3};
use json::accessor::Type;

/// Joint matrices (joint world transform times inverse bind matrix) of `skins[skin]`.
fn joint_matrices(
    reader: &AccessorReader<'_>,
    world: &[Mat4],
    skin: usize,
) -> Result<Vec<Mat4>, (Place, Problem)> {
    let place = Place::root("skins").index(skin);
    let s = reader.root.skins.get(skin).ok_or_else(|| {
        (
            place.clone(),
            Problem::OutOfBounds(format!("skin {skin} does not exist")),
        )
    })?;
    let inverse_bind = match s.inverse_bind_matrices {
        // Checked before reading: the count is what sizes the allocation.
        Some(a) if reader.count(a.value()).map_err(|p| (place.clone(), p))? != s.joints.len() => {
            return Err((
                place.field("inverseBindMatrices"),
                Problem::Invalid(format!(
                    "accessors[{}] has {} matrices for {} joints",
                    a.value(),
                    reader.count(a.value()).unwrap_or(0),
                    s.joints.len()
                )),
            ));
        }
        Some(a) => reader
            .read_floats::<16>(a.value(), &[Type::Mat4], Storage::Float)
            .map_err(|p| (place.field("inverseBindMatrices"), p))?,
        None => Vec::new(),
    };
    if !inverse_bind.is_empty() && inverse_bind.len() < s.joints.len() {
        return Err((
            place.field("inverseBindMatrices"),
            Problem::Invalid(format!(
                "{} matrices for {} joints",
                inverse_bind.len(),
                s.joints.len()
            )),
        ));
    }
    s.joints
        .iter()
        .enumerate()
        .map(|(k, j)| {
            let joint = world.get(j.value()).ok_or_else(|| {
                (
                    place.field("joints").index(k),
                    Problem::OutOfBounds(format!("node {} does not exist", j.value())),
                )
            })?;
            let ibm = inverse_bind
                .get(k)
                .map_or(Mat4::IDENTITY, Mat4::from_cols_array);
            Ok(*joint * ibm)
        })
        .collect()
}

/// Replaces every skinned instance's mesh by a posed copy placed with the identity.
pub(crate) fn pose_skinned_instances(
    reader: &AccessorReader<'_>,
    world: &[Mat4],
    instances: &mut [MeshInstance],
    skins: &[Option<usize>],
    meshes: &mut Vec<Mesh>,
    total_vertices: &mut u64,
) -> Result<(), (Place, Problem)> {
    for (instance, skin) in instances.iter_mut().zip(skins) {
        let Some(skin) = *skin else { continue };
        let joints = joint_matrices(reader, world, skin)?;
        let Some(mut posed) = meshes.get(instance.mesh).cloned() else {
            continue;
        };
        let mesh_place = Place::root("meshes").index(instance.mesh);
        for (p, primitive) in posed.primitives.iter_mut().enumerate() {
            let a = &mut primitive.attributes;
            *total_vertices += a.positions.len() as u64;
            let limit = reader.limits.max_total_vertices;
            if *total_vertices > limit {
                return Err((
                    mesh_place.clone(),
                    Problem::OverLimit {
                        what: "total vertex count",
                        value: *total_vertices,
                        limit,
                        field: "max_total_vertices",
                    },
                ));
            }
            for v in 0..a.positions.len() {
                let m = match (a.joints.get(v), a.weights.get(v)) {
                    (Some(j), Some(w)) => blend(&joints, j, w).ok_or_else(|| {
                        (
                            mesh_place
                                .field("primitives")
                                .index(p)
                                .field("attributes.JOINTS_0"),
                            Problem::OutOfBounds(format!(
                                "vertex {v} names joint {:?}, the skin has {}",
                                j,
                                joints.len()
                            )),
                        )
                    })?,
                    _ => instance.transform,
                };
                a.positions[v] = m.transform_point3(Vec3::from(a.positions[v])).to_array();
                let linear = Mat3::from_mat4(m);
                let normal_matrix = if linear.determinant().abs() > 1e-12 {
                    linear.inverse().transpose()
                } else {
                    linear
                };
                if let Some(n) = a.normals.get_mut(v) {
                    *n = (normal_matrix * Vec3::from(*n))
                        .normalize_or_zero()
                        .to_array();
                }
                if let Some(t) = a.tangents.get_mut(v) {
                    let xyz = (linear * Vec3::new(t[0], t[1], t[2])).normalize_or_zero();
                    *t = [xyz.x, xyz.y, xyz.z, t[3]];
                }
            }
            a.joints.clear();
            a.weights.clear();
        }
        meshes.push(posed);
        instance.mesh = meshes.len() - 1;
        instance.transform = Mat4::IDENTITY;
    }
    Ok(())
}

/// The weighted sum of the joint matrices a vertex names; `None` for a joint out of range.
fn blend(joints: &[Mat4], j: &[u16; 4], w: &[f32; 4]) -> Option<Mat4> {
    let total: f32 = w.iter().sum();
    if total <= 0.0 {
        return Some(Mat4::IDENTITY);
    }
    let mut m = Mat4::ZERO;
    for k in 0..4 {
        if w[k] != 0.0 {
            m += *joints.get(usize::from(j[k]))? * (w[k] / total);
        }
    }
    Some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_blend_joint_matrices_and_bad_joints_are_refused() {
        let joints = [
            Mat4::from_translation(Vec3::X),
            Mat4::from_translation(Vec3::Y),
        ];
        let m = blend(&joints, &[0, 1, 0, 0], &[0.5, 0.5, 0.0, 0.0]).expect("in range");
        assert!((m.transform_point3(Vec3::ZERO) - Vec3::new(0.5, 0.5, 0.0)).length() < 1e-6);
        // Weights that do not sum to one are normalised.
        let m = blend(&joints, &[0, 0, 0, 0], &[2.0, 0.0, 0.0, 0.0]).expect("in range");
        assert!((m.transform_point3(Vec3::ZERO) - Vec3::X).length() < 1e-6);
        assert!(blend(&joints, &[5, 0, 0, 0], &[1.0, 0.0, 0.0, 0.0]).is_none());
    }
}

//! Flattening the node hierarchy into world transforms: parents checked to form a
//! forest (no cycles, one parent each) before anything is walked, then an iterative walk.

use super::error::Problem;
use super::limits::LoadLimits;
use super::model::{LightKind, MeshInstance, PlacedLight};
use ::gltf::json;
use glam::{Mat4, Quat, Vec3};
use json::extensions::scene::khr_lights_punctual as lights;
use json::validation::Checked;

/// The parent of each node, or the first spec violation found: a node with two
/// parents, or a cycle (reported with its nodes in order).
pub(crate) fn parents(children: &[Vec<usize>]) -> Result<Vec<Option<usize>>, Problem> {
    let n = children.len();
    let mut parent: Vec<Option<usize>> = vec![None; n];
    for (p, kids) in children.iter().enumerate() {
        for &c in kids {
            if c >= n {
                return Err(Problem::OutOfBounds(format!(
                    "nodes[{p}].children names nodes[{c}], there are {n} nodes"
                )));
            }
            if c == p {
                return Err(Problem::Hierarchy(format!(
                    "nodes[{p}] is its own child (a cycle)"
                )));
            }
            if let Some(other) = parent[c] {
                return Err(Problem::Hierarchy(format!(
                    "nodes[{c}] is a child of both nodes[{other}] and nodes[{p}]"
                )));
            }
            parent[c] = Some(p);
        }
    }
    // With one parent each, a node is in or under a cycle exactly when walking up its
    // parents never reaches a root. Mark nodes known to reach a root, walking each chain once.
    let mut reaches_root = vec![false; n];
    for start in 0..n {
        let mut chain = Vec::new();
        let mut at = start;
        loop {
            if reaches_root[at] {
                break;
            }
            if chain.len() > n {
                // After n steps up, `at` must be on the cycle: collect it from there.
                let mut cycle = vec![at];
                let mut next = parent[at];
                while let Some(p) = next.filter(|&p| p != at) {
                    cycle.push(p);
                    next = parent[p];
                }
                cycle.sort_unstable();
                let names: Vec<String> = cycle.iter().map(|i| format!("nodes[{i}]")).collect();
                return Err(Problem::Hierarchy(format!(
                    "a cycle through {}",
                    names.join(", ")
                )));
            }
            chain.push(at);
            match parent[at] {
                Some(p) => at = p,
                None => break,
            }
        }
        for c in chain {
            reaches_root[c] = true;
        }
    }
    Ok(parent)
}

/// A node's local transform, checked to be finite.
fn local_transform(node: &json::scene::Node, index: usize) -> Result<Mat4, Problem> {
    let m = if let Some(m) = node.matrix {
        Mat4::from_cols_array(&m)
    } else {
        let t = Vec3::from(node.translation.unwrap_or([0.0; 3]));
        let s = Vec3::from(node.scale.unwrap_or([1.0; 3]));
        let r = node
            .rotation
            .map_or(Quat::IDENTITY, |q| Quat::from_array(q.0));
        // Exporters write quaternions with rounding; a zero one has no rotation to keep.
        let r = if r.length_squared() > 1e-12 {
            r.normalize()
        } else {
            Quat::IDENTITY
        };
        Mat4::from_scale_rotation_translation(s, r, t)
    };
    if !m.is_finite() {
        return Err(Problem::Invalid(format!(
            "nodes[{index}] has a non-finite transform"
        )));
    }
    Ok(m)
}

/// Mesh instances and lights of the model's scene, with world transforms.
pub(crate) struct Placed {
    pub(crate) instances: Vec<MeshInstance>,
    /// The skin of each instance's node, aligned with `instances`.
    pub(crate) skins: Vec<Option<usize>>,
    pub(crate) lights: Vec<PlacedLight>,
    /// World transform of every node.
    pub(crate) world: Vec<Mat4>,
}

/// Walks the default scene (or the first, or every root node when there are no scenes).
pub(crate) fn flatten(root: &json::Root, limits: &LoadLimits) -> Result<Placed, Problem> {
    let children: Vec<Vec<usize>> = root
        .nodes
        .iter()
        .map(|n| n.children.iter().flatten().map(|c| c.value()).collect())
        .collect();
    let parent = parents(&children)?;
    let scene = root
        .scene
        .map(|s| s.value())
        .or((!root.scenes.is_empty()).then_some(0));
    let roots: Vec<usize> = match scene {
        Some(s) => {
            let scene = root.scenes.get(s).ok_or_else(|| {
                Problem::OutOfBounds(format!(
                    "scene {s} does not exist ({} scenes)",
                    root.scenes.len()
                ))
            })?;
            let mut roots = Vec::with_capacity(scene.nodes.len());
            for n in &scene.nodes {
                let n = n.value();
                if n >= root.nodes.len() {
                    return Err(Problem::OutOfBounds(format!(
                        "scenes[{s}].nodes names nodes[{n}], which does not exist"
                    )));
                }
                if let Some(p) = parent[n] {
                    return Err(Problem::Hierarchy(format!(
                        "scenes[{s}] lists nodes[{n}] as a root, but it is a child of nodes[{p}]"
                    )));
                }
                roots.push(n);
            }
            roots
        }
        None => (0..root.nodes.len())
            .filter(|&n| parent[n].is_none())
            .collect(),
    };
    let world = world_transforms(root, &children, &parent, limits)?;
    let mut placed = Placed {
        instances: Vec::new(),
        skins: Vec::new(),
        lights: Vec::new(),
        world,
    };
    let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
    while let Some(index) = stack.pop() {
        let node = &root.nodes[index];
        let world = placed.world[index];
        if let Some(mesh) = node.mesh {
            placed.instances.push(MeshInstance {
                mesh: mesh.value(),
                transform: world,
                node: index,
            });
            placed.skins.push(node.skin.map(|s| s.value()));
        }
        if let Some(ext) = node
            .extensions
            .as_ref()
            .and_then(|e| e.khr_lights_punctual.as_ref())
        {
            placed
                .lights
                .push(place_light(root, ext.light.value(), index, world)?);
        }
        stack.extend(children[index].iter().rev());
    }
    Ok(placed)
}

/// World transforms of every node (a skin's joints may sit outside the scene), walked
/// iteratively from each tree's root with the depth capped.
fn world_transforms(
    root: &json::Root,
    children: &[Vec<usize>],
    parent: &[Option<usize>],
    limits: &LoadLimits,
) -> Result<Vec<Mat4>, Problem> {
    let mut world = vec![Mat4::IDENTITY; root.nodes.len()];
    let mut stack: Vec<(usize, Mat4, u32)> = (0..root.nodes.len())
        .filter(|&n| parent[n].is_none())
        .map(|r| (r, Mat4::IDENTITY, 1))
        .collect();
    while let Some((index, parent_world, depth)) = stack.pop() {
        if depth > limits.max_node_depth {
            return Err(Problem::OverLimit {
                what: "node hierarchy depth",
                value: u64::from(depth),
                limit: u64::from(limits.max_node_depth),
                field: "max_node_depth",
            });
        }
        world[index] = parent_world * local_transform(&root.nodes[index], index)?;
        for &c in &children[index] {
            stack.push((c, world[index], depth + 1));
        }
    }
    Ok(world)
}

fn place_light(
    root: &json::Root,
    light: usize,
    node: usize,
    world: Mat4,
) -> Result<PlacedLight, Problem> {
    let l: &lights::Light = root
        .extensions
        .as_ref()
        .and_then(|e| e.khr_lights_punctual.as_ref())
        .and_then(|k| k.lights.get(light))
        .ok_or_else(|| {
            Problem::OutOfBounds(format!(
                "nodes[{node}] uses KHR_lights_punctual light {light}, which does not exist"
            ))
        })?;
    let kind = match (l.type_, &l.spot) {
        (Checked::Valid(lights::Type::Directional), _) => LightKind::Directional,
        (Checked::Valid(lights::Type::Point), _) => LightKind::Point,
        (Checked::Valid(lights::Type::Spot), spot) => {
            let (inner, outer) = spot
                .as_ref()
                .map_or((0.0, std::f32::consts::FRAC_PI_4), |s| {
                    (s.inner_cone_angle, s.outer_cone_angle)
                });
            LightKind::Spot {
                inner_cone_angle: inner,
                outer_cone_angle: outer,
            }
        }
        (Checked::Invalid, _) => {
            return Err(Problem::Invalid(format!(
                "KHR_lights_punctual light {light} has an unknown type"
            )));
        }
    };
    Ok(PlacedLight {
        name: l.name.clone(),
        kind,
        color: l.color,
        intensity: l.intensity,
        range: l.range,
        position: world.transform_point3(Vec3::ZERO),
        direction: world.transform_vector3(Vec3::NEG_Z).normalize_or_zero(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forest_gets_its_parents() {
        let p = parents(&[vec![1, 2], vec![3], vec![], vec![]]).expect("a tree");
        assert_eq!(p, [None, Some(0), Some(0), Some(1)]);
    }

    #[test]
    fn cycles_and_shared_children_are_errors() {
        let cycle = parents(&[vec![1], vec![2], vec![0]]).expect_err("0->1->2->0");
        assert!(
            cycle
                .to_string()
                .contains("cycle through nodes[0], nodes[1], nodes[2]"),
            "{cycle}"
        );
        let own = parents(&[vec![0]]).expect_err("self");
        assert!(own.to_string().contains("its own child"), "{own}");
        let shared = parents(&[vec![2], vec![2], vec![]]).expect_err("two parents");
        assert!(shared.to_string().contains("child of both"), "{shared}");
        // A cycle hanging below a root-less part: 3 -> 4 -> 3, plus a healthy tree.
        let hidden = parents(&[vec![1], vec![], vec![], vec![4], vec![3]]).expect_err("cycle");
        assert!(
            hidden.to_string().contains("nodes[3], nodes[4]"),
            "{hidden}"
        );
    }

    #[test]
    fn a_long_chain_is_walked_without_recursion_and_capped() {
        let n = 100_000;
        let mut root = json::Root::default();
        for i in 0..n {
            let children = (i + 1 < n).then(|| vec![json::Index::new(i as u32 + 1)]);
            root.nodes.push(json::scene::Node {
                children,
                translation: Some([0.0, 1.0, 0.0]),
                ..Default::default()
            });
        }
        let err = flatten(&root, &LoadLimits::default())
            .err()
            .expect("too deep");
        assert!(
            matches!(
                err,
                Problem::OverLimit {
                    field: "max_node_depth",
                    ..
                }
            ),
            "{err}"
        );
        let limits = LoadLimits {
            max_node_depth: n as u32,
            ..Default::default()
        };
        root.nodes[n - 1].mesh = Some(json::Index::new(0));
        let placed = flatten(&root, &limits).expect("fits");
        let y = placed.instances[0].transform.transform_point3(Vec3::ZERO).y;
        assert_eq!(y, n as f32, "every parent's translation applies");
    }
}

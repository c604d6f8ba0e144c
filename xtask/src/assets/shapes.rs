//! The shapes furniture is made of: rounded boxes (boards, cushions), lathed profiles
//! (legs, lamps, pots, bowls), tubes along a path (metal frames, stems) and
//! parametric sheets (leaves, curtains). Each is built centred on its own origin with
//! UVs in metres, and placed with [`MeshData::transform`].

use super::geometry::MeshData;
use glam::{Vec2, Vec3};
use std::f32::consts::{FRAC_PI_2, TAU};

/// A box of `size` with its edges rounded by `radius` (`seg` steps per quarter
/// circle), centred on the origin. `flat` splits each flat stretch into that many
/// steps, for shapes that are deformed afterwards (cushions). UVs run along each face's
/// longer side, so wood grain follows a board's length.
pub fn rounded_box(size: Vec3, radius: f32, seg: u32, flat: u32) -> MeshData {
    let half = size * 0.5;
    let radius = radius.min(half.min_element());
    let sharp = radius < 1e-5;
    let seg = if sharp { 0 } else { seg.max(1) };
    let inner = half - Vec3::splat(radius);
    let grid = |axis: usize| axis_stops(half[axis], radius, seg, flat.max(1));
    let mut mesh = MeshData::default();
    for a in 0..3 {
        for s in [1.0f32, -1.0] {
            let (b, c) = if s > 0.0 {
                ((a + 1) % 3, (a + 2) % 3)
            } else {
                ((a + 2) % 3, (a + 1) % 3)
            };
            let (vb, vc) = (grid(b), grid(c));
            let (u_axis, v_axis) = if half[b] >= half[c] { (b, c) } else { (c, b) };
            let base = mesh.positions.len() as u32;
            for &pc in &vc {
                for &pb in &vb {
                    let mut p = Vec3::ZERO;
                    p[a] = s * half[a];
                    p[b] = pb;
                    p[c] = pc;
                    let (position, normal) = if sharp {
                        let mut n = Vec3::ZERO;
                        n[a] = s;
                        (p, n)
                    } else {
                        let core = p.clamp(-inner, inner);
                        let n = (p - core).normalize();
                        (core + n * radius, n)
                    };
                    let uv = Vec2::new(position[u_axis], position[v_axis]);
                    mesh.vertex(position, normal, uv);
                }
            }
            let row = vb.len() as u32;
            for j in 0..vc.len() as u32 - 1 {
                for i in 0..row - 1 {
                    let at = |i: u32, j: u32| base + j * row + i;
                    mesh.quad(at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1));
                }
            }
        }
    }
    mesh
}

/// Coordinates along one axis of a rounded box: the rounding's steps, the flat
/// stretch's steps, and the rounding's steps on the far side.
fn axis_stops(half: f32, radius: f32, seg: u32, flat: u32) -> Vec<f32> {
    let inner = half - radius;
    let mut stops: Vec<f32> = (0..=seg)
        .map(|k| -inner - radius * (FRAC_PI_2 * k as f32 / seg.max(1) as f32).cos())
        .collect();
    if seg == 0 {
        stops = vec![-half];
    }
    for k in 1..flat {
        stops.push(-inner + 2.0 * inner * k as f32 / flat as f32);
    }
    let mirrored: Vec<f32> = stops.iter().rev().map(|s| -s).collect();
    for s in mirrored {
        if stops.last().is_none_or(|&last| s - last > 1e-6) {
            stops.push(s);
        }
    }
    stops
}

/// Pushes a rounded box's faces outward in their middles by up to `amount` (per axis),
/// the way stuffing rounds a cushion, then re-smooths the normals.
pub fn puff(mut mesh: MeshData, half: Vec3, amount: Vec3) -> MeshData {
    for p in &mut mesh.positions {
        let r = (*p / half).clamp(Vec3::splat(-1.0), Vec3::splat(1.0));
        let fall = Vec3::ONE - r * r;
        let push = Vec3::new(
            r.x.signum() * amount.x * fall.y * fall.z,
            r.y.signum() * amount.y * fall.x * fall.z,
            r.z.signum() * amount.z * fall.x * fall.y,
        );
        *p += push * Vec3::new(r.x.abs(), r.y.abs(), r.z.abs()).powf(0.5);
    }
    mesh.smooth_normals();
    mesh
}

/// Revolves a profile of (radius, height) points around the y axis in `segments`
/// steps. Where the profile turns by more than `crease_deg` the normals split (a hard
/// edge); elsewhere they are smooth. Walk the profile with the solid on the left
/// (bottom centre outwards, then up): the normals are the profile's right side. UVs
/// run along the profile in u (so wood grain follows a turned leg) and around in v;
/// see [`planar_uv`] for discs.
pub fn lathe(profile: &[Vec2], segments: u32, crease_deg: f32) -> MeshData {
    let points: Vec<Vec2> = profile
        .iter()
        .copied()
        .fold(Vec::new(), |mut v: Vec<Vec2>, p| {
            if v.last().is_none_or(|l| l.distance(p) > 1e-6) {
                v.push(p);
            }
            v
        });
    let seg_normal = |i: usize| {
        let d = (points[i + 1] - points[i]).normalize();
        Vec2::new(d.y, -d.x)
    };
    let crease = crease_deg.to_radians().cos();
    // Rows of (point, 2-D normal, arc length) and the segments between them.
    let mut rows: Vec<(Vec2, Vec2, f32)> = Vec::new();
    // For each point: the row that ends its incoming segment and the row that starts
    // its outgoing one (the same row unless the profile creases there).
    let mut ends = Vec::with_capacity(points.len());
    let mut starts = Vec::with_capacity(points.len());
    let mut length = 0.0;
    for i in 0..points.len() {
        if i > 0 {
            length += points[i].distance(points[i - 1]);
        }
        let n_in = (i > 0).then(|| seg_normal(i - 1));
        let n_out = (i + 1 < points.len()).then(|| seg_normal(i));
        match (n_in, n_out) {
            (Some(a), Some(b)) if a.dot(b) >= crease => {
                rows.push((points[i], (a + b).normalize(), length));
                ends.push(rows.len() - 1);
                starts.push(rows.len() - 1);
            }
            (Some(a), Some(b)) => {
                rows.push((points[i], a, length));
                ends.push(rows.len() - 1);
                rows.push((points[i], b, length));
                starts.push(rows.len() - 1);
            }
            (a, b) => {
                rows.push((points[i], a.or(b).unwrap_or(Vec2::Y), length));
                ends.push(rows.len() - 1);
                starts.push(rows.len() - 1);
            }
        }
    }
    let spans: Vec<(usize, usize)> = (0..points.len().saturating_sub(1))
        .map(|i| (starts[i], ends[i + 1]))
        .collect();
    let r_ref = points.iter().map(|p| p.x).fold(0.0f32, f32::max).max(1e-3);
    let mut mesh = MeshData::default();
    let columns = segments + 1;
    for &(p, n, v) in &rows {
        for j in 0..columns {
            let theta = TAU * j as f32 / segments as f32;
            let (s, c) = theta.sin_cos();
            mesh.vertex(
                Vec3::new(p.x * s, p.y, p.x * c),
                Vec3::new(n.x * s, n.y, n.x * c).normalize_or_zero(),
                Vec2::new(v, theta * r_ref),
            );
        }
    }
    for &(a, b) in &spans {
        let (ra, rb) = (rows[a].0.x, rows[b].0.x);
        for j in 0..segments {
            let at = |row: usize, col: u32| row as u32 * columns + col;
            let (a0, a1, b1, b0) = (at(a, j), at(a, j + 1), at(b, j + 1), at(b, j));
            if ra > 1e-6 {
                mesh.indices.extend_from_slice(&[a0, a1, b1]);
            }
            if rb > 1e-6 {
                mesh.indices.extend_from_slice(&[a0, b1, b0]);
            }
        }
    }
    mesh
}

/// A round tube of `radius` along `path` with `sides` steps around (u runs along the
/// path, v around it), open at both ends
/// (ends meet other parts or get a [`lathe`] cap). Frames are carried along the path
/// without twisting, so bends stay round.
pub fn tube(path: &[Vec3], radius: f32, sides: u32) -> MeshData {
    let mut mesh = MeshData::default();
    if path.len() < 2 {
        return mesh;
    }
    let direction = |i: usize| {
        let prev = path[i.saturating_sub(1)];
        let next = path[(i + 1).min(path.len() - 1)];
        (next - prev).normalize()
    };
    let first = direction(0);
    let helper = if first.y.abs() < 0.9 {
        Vec3::Y
    } else {
        Vec3::X
    };
    let mut side = first.cross(helper).normalize();
    let mut length = 0.0;
    for (i, &p) in path.iter().enumerate() {
        let t = direction(i);
        side = (side - t * side.dot(t)).normalize();
        let up = t.cross(side);
        if i > 0 {
            length += p.distance(path[i - 1]);
        }
        for j in 0..=sides {
            let a = TAU * j as f32 / sides as f32;
            let n = side * a.cos() + up * a.sin();
            mesh.vertex(p + n * radius, n, Vec2::new(length, a * radius));
        }
    }
    let columns = sides + 1;
    for i in 0..path.len() as u32 - 1 {
        for j in 0..sides {
            let at = |i: u32, j: u32| i * columns + j;
            mesh.quad(at(i, j), at(i, j + 1), at(i + 1, j + 1), at(i + 1, j));
        }
    }
    mesh
}

/// Projects UVs straight down (u = x, v = z): a round top shows straight grain, as a
/// top glued up from boards does, instead of rings.
pub fn planar_uv(mut mesh: MeshData) -> MeshData {
    for (uv, p) in mesh.uvs.iter_mut().zip(&mesh.positions) {
        *uv = Vec2::new(p.x, p.z);
    }
    mesh
}

/// A sheet over `(u, v)` in `[0, 1]^2`, `nu` by `nv` steps, placed by `place`; UVs are
/// `uv(u, v)`. Normals are smoothed from the triangles and face the side where
/// (d/du) x (d/dv) points.
pub fn sheet(
    nu: u32,
    nv: u32,
    place: impl Fn(f32, f32) -> Vec3,
    uv: impl Fn(f32, f32) -> Vec2,
) -> MeshData {
    let mut mesh = MeshData::default();
    for j in 0..=nv {
        for i in 0..=nu {
            let (u, v) = (i as f32 / nu as f32, j as f32 / nv as f32);
            mesh.vertex(place(u, v), Vec3::Z, uv(u, v));
        }
    }
    let row = nu + 1;
    for j in 0..nv {
        for i in 0..nu {
            let at = |i: u32, j: u32| j * row + i;
            mesh.quad(at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1));
        }
    }
    mesh.smooth_normals();
    mesh
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(m: &MeshData) -> (Vec3, Vec3) {
        m.positions.iter().fold(
            (Vec3::splat(f32::MAX), Vec3::splat(f32::MIN)),
            |(lo, hi), &p| (lo.min(p), hi.max(p)),
        )
    }

    /// Every triangle's winding agrees with its vertices' normals (front faces out).
    fn faces_out(m: &MeshData) -> bool {
        m.indices.chunks_exact(3).all(|t| {
            let [a, b, c] = [0, 1, 2].map(|k| m.positions[t[k] as usize]);
            let face = (b - a).cross(c - a);
            let n: Vec3 = [0, 1, 2].map(|k| m.normals[t[k] as usize]).iter().sum();
            face.length() < 1e-9 || face.dot(n) > 0.0
        })
    }

    #[test]
    fn a_rounded_box_has_its_size_and_faces_out() {
        for (radius, seg) in [(0.0, 3), (0.02, 3), (0.05, 1)] {
            let m = rounded_box(Vec3::new(1.0, 0.4, 0.2), radius, seg, 1);
            let (lo, hi) = bounds(&m);
            assert!((hi - lo - Vec3::new(1.0, 0.4, 0.2)).abs().max_element() < 1e-5);
            assert!(faces_out(&m), "radius {radius}");
            assert!(m.normals.iter().all(|n| (n.length() - 1.0).abs() < 1e-4));
        }
    }

    #[test]
    fn a_lathed_cylinder_splits_normals_at_its_rims_only() {
        let profile = [
            Vec2::new(0.0, 0.0),
            Vec2::new(0.1, 0.0),
            Vec2::new(0.1, 0.5),
            Vec2::new(0.0, 0.5),
        ];
        let m = lathe(&profile, 16, 30.0);
        assert!(faces_out(&m));
        let (lo, hi) = bounds(&m);
        assert!((hi.y - lo.y - 0.5).abs() < 1e-6 && (hi.x - 0.1).abs() < 1e-3);
        // Side vertices point sideways, cap vertices straight up or down.
        for (p, n) in m.positions.iter().zip(&m.normals) {
            if p.y > 0.0 && p.y < 0.5 {
                assert!(n.y.abs() < 1e-5);
            }
        }
        assert!(m.normals.iter().any(|n| n.y > 0.999));
        assert!(m.normals.iter().any(|n| n.y < -0.999));
        let smooth = lathe(
            &[
                Vec2::new(0.0, 0.0),
                Vec2::new(0.1, 0.1),
                Vec2::new(0.0, 0.2),
            ],
            8,
            100.0,
        );
        assert!(faces_out(&smooth));
    }

    #[test]
    fn a_tube_surrounds_its_path() {
        let m = tube(
            &[
                Vec3::ZERO,
                Vec3::new(0.0, 1.0, 0.0),
                Vec3::new(0.5, 1.5, 0.0),
            ],
            0.01,
            8,
        );
        assert!(faces_out(&m));
        assert_eq!(m.triangle_count(), 2 * 8 * 2);
    }
}

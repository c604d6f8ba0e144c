//! Order-2 (9-coefficient) real spherical harmonics: projecting radiance over
//! the sphere and turning it into irradiance (Ramamoorthi and Hanrahan 2001,
//! "An Efficient Representation for Irradiance Environment Maps").
//!
//! Nine coefficients are enough for irradiance: the clamped cosine lobe keeps
//! under 1 % of its energy above band 2, so a Lambertian surface's ambient
//! light is reproduced to a few percent whatever the environment.

use glam::Vec3;

/// RGB coefficients of the 9 real SH basis functions, bands 0..=2, in the
/// order of [`basis`].
pub type Sh9 = [[f32; 3]; 9];

/// Convolution with the clamped cosine, per band: pi, 2 pi / 3, pi / 4
/// (Ramamoorthi and Hanrahan, eq. 8). Multiplying radiance coefficients by
/// these gives irradiance coefficients.
pub const COSINE_LOBE: [f32; 3] = [
    std::f32::consts::PI,
    2.0 * std::f32::consts::PI / 3.0,
    std::f32::consts::FRAC_PI_4,
];

/// The band (0, 1 or 2) of coefficient `i`.
pub fn band(i: usize) -> usize {
    match i {
        0 => 0,
        1..=3 => 1,
        _ => 2,
    }
}

/// The 9 real SH basis functions at unit direction `d`: Y00, Y1-1 (y), Y10
/// (z), Y11 (x), then Y2-2 (xy), Y2-1 (yz), Y20, Y21 (xz), Y22 (x^2 - y^2).
/// `shaders/room.wgsl` evaluates the same functions in the same order.
pub fn basis(d: Vec3) -> [f32; 9] {
    let (x, y, z) = (d.x, d.y, d.z);
    [
        0.282_095,
        0.488_603 * y,
        0.488_603 * z,
        0.488_603 * x,
        1.092_548 * x * y,
        1.092_548 * y * z,
        0.315_392 * (3.0 * z * z - 1.0),
        1.092_548 * x * z,
        0.546_274 * (x * x - y * y),
    ]
}

/// Evaluates `sh` in direction `d` (not clamped: an order-2 fit of a very
/// uneven environment can dip below zero).
pub fn evaluate(sh: &Sh9, d: Vec3) -> Vec3 {
    basis(d)
        .iter()
        .zip(sh)
        .fold(Vec3::ZERO, |acc, (y, c)| acc + Vec3::from(*c) * *y)
}

/// `count` directions spread evenly over the sphere: one per cell of a
/// `side` x `side` grid in (cos theta, phi), which has equal-area cells, at
/// a fixed jitter inside each cell (stratified sampling without a random
/// source, so a bake is reproducible). Each stands for 4 pi / side^2 sr.
pub fn stratified_directions(side: usize) -> impl Iterator<Item = Vec3> {
    let n = side.max(1);
    (0..n * n).map(move |k| {
        let (i, j) = (k / n, k % n);
        let (ju, jv) = jitter(k as u32);
        let u = (i as f32 + ju) / n as f32;
        let v = (j as f32 + jv) / n as f32;
        let cos_theta = 1.0 - 2.0 * u;
        let sin_theta = (1.0 - cos_theta * cos_theta).max(0.0).sqrt();
        let phi = std::f32::consts::TAU * v;
        Vec3::new(sin_theta * phi.cos(), cos_theta, sin_theta * phi.sin())
    })
}

/// A fixed offset in 0.25..0.75 for cell `k` (integer hash): enough to break
/// the grid's regularity against the room's straight edges.
fn jitter(k: u32) -> (f32, f32) {
    let mut h = k.wrapping_mul(747_796_405).wrapping_add(2_891_336_453);
    h = ((h >> ((h >> 28) + 4)) ^ h).wrapping_mul(277_803_737);
    h ^= h >> 22;
    let a = (h & 0xFFFF) as f32 / 65535.0;
    let b = (h >> 16) as f32 / 65535.0;
    (0.25 + 0.5 * a, 0.25 + 0.5 * b)
}

/// Projects the radiance `radiance(d)` onto the basis over `side`^2
/// stratified directions and returns *irradiance* coefficients: evaluating
/// them at a normal n gives the irradiance on a surface facing n.
pub fn project_irradiance(side: usize, mut radiance: impl FnMut(Vec3) -> Vec3) -> Sh9 {
    let n = side.max(1);
    let weight = 4.0 * std::f32::consts::PI / (n * n) as f32;
    let mut acc = [Vec3::ZERO; 9];
    for d in stratified_directions(n) {
        let l = radiance(d);
        // A NaN or infinite radiance (a degenerate light) is left out rather
        // than poisoning the whole room's ambient light.
        if !l.is_finite() {
            continue;
        }
        for (a, y) in acc.iter_mut().zip(basis(d)) {
            *a += l * y;
        }
    }
    std::array::from_fn(|i| (acc[i] * (weight * COSINE_LOBE[band(i)])).to_array())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f32::consts::PI;

    #[test]
    fn a_uniform_environment_gives_pi_l_for_every_normal() {
        let l = Vec3::new(1.0, 0.5, 0.25);
        let sh = project_irradiance(48, |_| l);
        for n in [
            Vec3::X,
            Vec3::NEG_Y,
            Vec3::Z,
            Vec3::new(1.0, -2.0, 0.5).normalize(),
        ] {
            let e = evaluate(&sh, n);
            assert!((e - l * PI).abs().max_element() < 0.01, "{n}: {e}");
        }
    }

    #[test]
    fn the_basis_is_orthonormal_over_the_sampled_sphere() {
        let dirs: Vec<Vec3> = stratified_directions(64).collect();
        let w = 4.0 * PI / dirs.len() as f32;
        for i in 0..9 {
            for j in 0..9 {
                let dot: f32 = dirs.iter().map(|&d| basis(d)[i] * basis(d)[j] * w).sum();
                let expected = if i == j { 1.0 } else { 0.0 };
                assert!((dot - expected).abs() < 0.01, "<Y{i}, Y{j}> = {dot}");
            }
        }
    }

    #[test]
    fn light_from_above_lights_upward_faces_only() {
        // A sky of radiance 1 over the upper hemisphere: an upward face gets
        // pi, a downward one 0, a vertical one pi / 2.
        let sh = project_irradiance(48, |d| Vec3::splat(f32::from(u8::from(d.y > 0.0))));
        let up = evaluate(&sh, Vec3::Y).x;
        let down = evaluate(&sh, Vec3::NEG_Y).x;
        let side = evaluate(&sh, Vec3::X).x;
        // Order 2 smooths the hemisphere's sharp edge: within 3 % of pi.
        assert!((up - PI).abs() < 0.1, "up {up}");
        assert!(down.abs() < 0.1, "down {down}");
        assert!((side - PI / 2.0).abs() < 0.05, "side {side}");
    }

    #[test]
    fn non_finite_radiance_does_not_spread() {
        let sh = project_irradiance(8, |d| Vec3::splat(if d.y > 0.9 { f32::NAN } else { 1.0 }));
        assert!(sh.iter().flatten().all(|c| c.is_finite()));
        assert!(
            evaluate(&sh, Vec3::NEG_Y).x > 2.5,
            "the finite rest still counts"
        );
    }
}

//! Seeded randomness for the procedural textures and models: SplitMix64 and tileable
//! lattice noise. Written here rather than taken from a crate so that the generated
//! bytes cannot change under a dependency update.

/// SplitMix64 (Steele, Lea and Flood 2014): one add and three mixes per number.
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator whose sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A number in `[0, 1)` with 24 bits of precision (exact in f32).
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// A number in `[lo, hi)`.
    pub fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A value in `[0, 1)` for an integer lattice point, fixed by `seed`.
pub fn lattice(x: i64, y: i64, seed: u64) -> f32 {
    let h = mix(seed ^ mix((x as u64).wrapping_mul(0x1656_67B1) ^ mix(y as u64)));
    (h >> 40) as f32 / (1u64 << 24) as f32
}

/// Smooth value noise in `[0, 1)` that repeats every `period` lattice cells in x and y,
/// so a texture built from it tiles without a seam. `x` and `y` are in cells.
pub fn value_noise(x: f32, y: f32, period: (i64, i64), seed: u64) -> f32 {
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (smooth(x - x0), smooth(y - y0));
    let (ix, iy) = (x0 as i64, y0 as i64);
    let at = |dx: i64, dy: i64| {
        lattice(
            (ix + dx).rem_euclid(period.0),
            (iy + dy).rem_euclid(period.1),
            seed,
        )
    };
    let top = at(0, 0) + (at(1, 0) - at(0, 0)) * fx;
    let bottom = at(0, 1) + (at(1, 1) - at(0, 1)) * fx;
    top + (bottom - top) * fy
}

fn smooth(t: f32) -> f32 {
    t * t * (3.0 - 2.0 * t)
}

/// Fractal sum of `octaves` layers of [`value_noise`] over the unit square `u, v` in
/// `[0, 1)`, the first with `cells` lattice cells across (x, y); result in about `[0, 1)`.
pub fn fbm(u: f32, v: f32, cells: (i64, i64), octaves: u32, seed: u64) -> f32 {
    let mut sum = 0.0;
    let mut weight = 0.5;
    let mut total = 0.0;
    let mut period = cells;
    for octave in 0..octaves {
        let n = value_noise(
            u * period.0 as f32,
            v * period.1 as f32,
            period,
            seed.wrapping_add(u64::from(octave) * 0x51_7CC1),
        );
        sum += n * weight;
        total += weight;
        weight *= 0.5;
        period = (period.0 * 2, period.1 * 2);
    }
    sum / total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence_and_another_seed_another() {
        let a: Vec<u64> = {
            let mut r = SplitMix64::new(7);
            (0..4).map(|_| r.next_u64()).collect()
        };
        let mut r = SplitMix64::new(7);
        assert_eq!(a, (0..4).map(|_| r.next_u64()).collect::<Vec<_>>());
        let mut other = SplitMix64::new(8);
        assert_ne!(a[0], other.next_u64());
        // The published first output of SplitMix64 seeded with 0.
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn noise_repeats_over_its_period() {
        for &(x, y) in &[(0.3, 0.7), (2.9, 1.1), (5.5, 3.25)] {
            let a = value_noise(x, y, (4, 4), 3);
            let b = value_noise(x + 4.0, y + 8.0, (4, 4), 3);
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
            assert!((0.0..1.0).contains(&a));
        }
    }
}

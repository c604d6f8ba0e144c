//! Small signal-processing pieces the cue and ambience synthesisers share.

use std::f32::consts::TAU;

/// A deterministic noise source (xorshift32): the same seed gives the same sound,
/// so tests and loops are reproducible.
#[derive(Clone, Debug)]
pub struct Noise(u32);

impl Noise {
    /// A generator; a zero seed is replaced (xorshift never leaves zero).
    pub fn new(seed: u32) -> Self {
        Noise(if seed == 0 { 0x9E37_79B9 } else { seed })
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        (x >> 8) as f32 / (1u32 << 24) as f32
    }

    /// Uniform in [-1, 1).
    pub fn bipolar(&mut self) -> f32 {
        self.unit() * 2.0 - 1.0
    }
}

/// One-pole low-pass filter (6 dB/octave), enough for room tone and rumble.
#[derive(Clone, Debug)]
pub struct OnePole {
    a: f32,
    state: f32,
}

impl OnePole {
    /// A low-pass with its -3 dB point at `cutoff_hz`.
    pub fn low_pass(cutoff_hz: f32, rate: f32) -> Self {
        OnePole {
            a: 1.0 - (-TAU * cutoff_hz / rate).exp(),
            state: 0.0,
        }
    }

    /// Filters one sample (low-pass output).
    pub fn low(&mut self, x: f32) -> f32 {
        self.state += self.a * (x - self.state);
        self.state
    }

    /// Filters one sample and returns the high-pass complement.
    pub fn high(&mut self, x: f32) -> f32 {
        x - self.low(x)
    }
}

/// Runs `filter` over `buf` as if it were one period of an endless repetition:
/// the first pass only warms the filter up, the second writes. The result loops
/// with no seam, provided the filter forgets faster than one period (all filters
/// here settle within 0.1 s; loops are seconds long).
pub fn filter_periodic(buf: &mut [f32], mut filter: impl FnMut(f32) -> f32) {
    for &x in buf.iter() {
        filter(x);
    }
    for x in buf.iter_mut() {
        *x = filter(*x);
    }
}

/// A struck bell or plucked tine: a few partials decaying exponentially, with a
/// short attack so it starts without a click.
#[derive(Clone, Copy, Debug)]
pub struct Bell {
    /// Fundamental in Hz.
    pub freq: f32,
    /// Peak amplitude.
    pub amp: f32,
    /// Seconds for the fundamental to fall by 1/e.
    pub decay: f32,
    /// Partials as (frequency ratio, relative amplitude, relative decay).
    pub partials: &'static [(f32, f32, f32)],
}

/// Soft, slightly inharmonic partials (a music-box tine or small chime).
pub const TINE: &[(f32, f32, f32)] = &[(1.0, 1.0, 1.0), (2.0, 0.25, 0.5), (2.76, 0.12, 0.35)];

/// Brighter partials of a hanging chime tube.
pub const CHIME: &[(f32, f32, f32)] = &[(1.0, 1.0, 1.0), (2.76, 0.4, 0.6), (5.40, 0.15, 0.35)];

/// Attack time of every bell: 4 ms is fast enough to sound struck and slow enough not to click.
const BELL_ATTACK: f32 = 0.004;

impl Bell {
    /// Seconds until the bell is 60 dB down (ln 1000 = 6.9 decay constants).
    pub fn length(&self) -> f32 {
        self.decay * 6.9
    }

    /// The bell's value `t` seconds after it was struck.
    pub fn at(&self, t: f32) -> f32 {
        if t < 0.0 {
            return 0.0;
        }
        let attack = (t / BELL_ATTACK).min(1.0);
        let mut sum = 0.0;
        for &(ratio, amp, decay) in self.partials {
            let d = self.decay * decay;
            sum += amp * (TAU * self.freq * ratio * t).sin() * (-t / d).exp();
        }
        self.amp * attack * sum
    }

    /// Adds the bell, struck at sample `start`, into `buf`; with `wrap` its tail
    /// continues from the buffer's start (for loops), otherwise it is cut at the end.
    ///
    /// Each partial is a decaying phasor rotated once per sample (four multiplies),
    /// not `sin` and `exp` per sample: ambience loops strike hundreds of bells at start-up.
    pub fn add_into(&self, buf: &mut [f32], start: usize, rate: f32, wrap: bool) {
        let len = buf.len();
        if len == 0 {
            return;
        }
        let n = ((self.length() * rate) as usize).min(len);
        let attack_samples = BELL_ATTACK * rate;
        for &(ratio, amp, decay) in self.partials {
            let w = TAU * self.freq * ratio / rate;
            let fall = (-1.0 / (self.decay * decay * rate)).exp();
            let (rot_s, rot_c) = w.sin_cos();
            let (rot_s, rot_c) = (rot_s * fall, rot_c * fall);
            let (mut re, mut im) = (1.0f32, 0.0f32);
            for i in 0..n {
                let j = start + i;
                let j = if wrap {
                    j % len
                } else if j < len {
                    j
                } else {
                    break;
                };
                let attack = (i as f32 / attack_samples).min(1.0);
                buf[j] += self.amp * amp * attack * im;
                (re, im) = (re * rot_c - im * rot_s, re * rot_s + im * rot_c);
            }
        }
    }
}

/// Root-mean-square level of `samples` (0 for none).
pub fn rms(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    (samples.iter().map(|x| x * x).sum::<f32>() / samples.len() as f32).sqrt()
}

/// Scales `buf` so that its RMS level is `target`.
pub fn normalise_rms(buf: &mut [f32], target: f32) {
    let level = rms(buf);
    if level > 0.0 {
        let k = target / level;
        buf.iter_mut().for_each(|x| *x *= k);
    }
}

/// Magnitude of the `freq` component of `samples` (one Goertzel bin), normalised so
/// that a full-scale sine at `freq` reads about 0.5.
pub fn tone_level(samples: &[f32], freq: f32, rate: f32) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    let w = TAU * freq / rate;
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0f32, 0.0f32);
    for &x in samples {
        let s0 = x + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    let power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    power.max(0.0).sqrt() / samples.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_deterministic_and_bounded() {
        let mut a = Noise::new(7);
        let mut b = Noise::new(7);
        for _ in 0..1000 {
            let x = a.bipolar();
            assert_eq!(x, b.bipolar());
            assert!((-1.0..1.0).contains(&x));
        }
    }

    #[test]
    fn low_pass_keeps_lows_and_removes_highs() {
        let rate = 48_000.0;
        let tone = |f: f32| -> Vec<f32> {
            (0..4800)
                .map(|i| (TAU * f * i as f32 / rate).sin())
                .collect()
        };
        let mut lp = OnePole::low_pass(200.0, rate);
        let low: Vec<f32> = tone(50.0).into_iter().map(|x| lp.low(x)).collect();
        let mut lp = OnePole::low_pass(200.0, rate);
        let high: Vec<f32> = tone(5000.0).into_iter().map(|x| lp.low(x)).collect();
        assert!(rms(&low[2400..]) > 0.6, "{}", rms(&low[2400..]));
        assert!(rms(&high[2400..]) < 0.05, "{}", rms(&high[2400..]));
    }

    #[test]
    fn periodic_filtering_has_no_seam() {
        let mut n = Noise::new(3);
        let mut buf: Vec<f32> = (0..48_000).map(|_| n.bipolar()).collect();
        let mut lp = OnePole::low_pass(100.0, 48_000.0);
        filter_periodic(&mut buf, |x| lp.low(x));
        let max_step = buf
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0, f32::max);
        let seam = (buf[0] - buf[buf.len() - 1]).abs();
        assert!(seam <= max_step, "seam {seam} vs largest step {max_step}");
    }

    #[test]
    fn tone_level_finds_the_tone() {
        let rate = 48_000.0;
        let s: Vec<f32> = (0..4800)
            .map(|i| (TAU * 1000.0 * i as f32 / rate).sin())
            .collect();
        assert!((tone_level(&s, 1000.0, rate) - 0.5).abs() < 0.02);
        assert!(tone_level(&s, 1500.0, rate) < 0.02);
    }

    #[test]
    fn a_wrapped_bell_rings_into_the_start() {
        let bell = Bell {
            freq: 1000.0,
            amp: 1.0,
            decay: 0.05,
            partials: TINE,
        };
        let mut buf = vec![0.0; 4800];
        bell.add_into(&mut buf, 4700, 48_000.0, true);
        assert!(rms(&buf[..100]) > 0.1, "the tail wraps to the start");
        let mut cut = vec![0.0; 4800];
        bell.add_into(&mut cut, 4700, 48_000.0, false);
        assert_eq!(rms(&cut[..100]), 0.0);
    }
}

//! Input decoders shared by roomwave's fuzz targets: named file parts for the glTF loader,
//! and numbers (hostile floats included) read from raw bytes.

/// Separates the parts of a glTF fuzz input: `MAIN (SEP NAME "\n" BYTES)*`. Seeds are made
/// by hand or by `cargo xtask fuzz` from a model and the files beside it.
pub const PART_SEPARATOR: &[u8] = b"\n%%roomwave-part:";

/// The main file's bytes and the other files, by name.
pub fn split_parts(data: &[u8]) -> (&[u8], Vec<(&str, &[u8])>) {
    let mut pieces = split_on(data, PART_SEPARATOR);
    let main = pieces.next().unwrap_or_default();
    let files = pieces
        .filter_map(|piece| {
            let end = piece.iter().position(|&b| b == b'\n')?;
            let name = std::str::from_utf8(&piece[..end]).ok()?;
            Some((name, &piece[end + 1..]))
        })
        .collect();
    (main, files)
}

fn split_on<'a>(data: &'a [u8], sep: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.windows(sep.len()).position(|w| w == sep) {
            Some(i) => {
                rest = Some(&r[i + sep.len()..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Reads numbers from the fuzzer's bytes; zeros once they run out. Floats come from a tag
/// byte that picks a hostile value (NaN, infinities, huge, tiny, subnormal, -0), a
/// plausible one scaled from the next byte, or the next four bytes as raw bits, so the
/// fuzzer reaches both deep logic (plausible data) and every class of garbage.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// Reads from `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    /// Whether everything was read.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next byte (0 at the end).
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    /// The next `N` bytes, zero-padded.
    pub fn array<const N: usize>(&mut self) -> [u8; N] {
        std::array::from_fn(|_| self.byte())
    }

    /// A float around `centre` within `spread`, or garbage (see the type's doc).
    pub fn float(&mut self, centre: f32, spread: f32) -> f32 {
        match self.byte() {
            0 => f32::NAN,
            1 => f32::INFINITY,
            2 => f32::NEG_INFINITY,
            3 => f32::MAX,
            4 => f32::MIN,
            5 => 1e30,
            6 => -1e-30,
            7 => f32::MIN_POSITIVE / 8.0,
            8 => -0.0,
            9 => f32::from_le_bytes(self.array()),
            10 => -centre,
            tag => {
                let unit = f32::from(tag.wrapping_add(self.byte())) / 255.0 * 2.0 - 1.0;
                centre + unit * spread
            }
        }
    }

    /// `[x, y, z, w]`: mostly a real rotation (either sign), otherwise four [`Bytes::float`]s.
    pub fn quat(&mut self) -> [f32; 4] {
        if self.byte() < 200 {
            let [a, b, c] = self
                .array::<3>()
                .map(|v| f32::from(v) / 255.0 * std::f32::consts::TAU);
            let q = glam::Quat::from_euler(glam::EulerRot::YXZ, a, b, c);
            if c as u8 & 1 == 1 {
                (-q).to_array()
            } else {
                q.to_array()
            }
        } else {
            std::array::from_fn(|_| self.float(0.5, 0.6))
        }
    }
}

//! Hand-tracking trace files (`roomwave-hand-trace` version 1, JSON Lines): a streaming reader
//! that holds one line at a time, and a writer of the same format.
//!
//! Line 1 is the header; every next line is one frame:
//! `{"t": s, "head": {"p": [x,y,z], "q": [x,y,z,w]}, "left": hand|null, "right": hand|null}`,
//! a hand being `{"joints": [[px,py,pz,qx,qy,qz,qw,radius], ... 26 entries]}`.

use super::hand::{HandPose, JOINT_COUNT, Joint, Pose, TrackingFrame};
use glam::{Quat, Vec3};
use serde::Deserialize;
use std::io::{self, BufRead, Read, Write};

/// The header line every trace starts with.
pub const HEADER: &str = r#"{"format":"roomwave-hand-trace","version":1,"space":"stage","units":"m","joints":"XR_EXT_hand_tracking"}"#;

/// Longest line accepted by default. A frame is about 2.5 kB; the bound keeps a file with no
/// newlines from filling memory.
pub const MAX_LINE: usize = 64 * 1024;

/// Bounds on what a trace may make the reader hold (the `[limits.trace]` config section).
#[derive(Clone, Debug, PartialEq, serde::Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TraceLimits {
    /// Longest line read, in bytes; the reader holds one line at a time, so this bounds its
    /// memory whatever the file's size. Default [`MAX_LINE`] (64 KiB, 25 times a frame).
    pub max_line_bytes: usize,
}

impl Default for TraceLimits {
    fn default() -> Self {
        Self {
            max_line_bytes: MAX_LINE,
        }
    }
}

/// A problem with a trace, at a line (1-based).
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct TraceError {
    /// 1-based line number.
    pub line: u64,
    /// What is wrong there.
    pub problem: TraceProblem,
}

/// What can be wrong with a trace line.
#[derive(Debug, thiserror::Error)]
pub enum TraceProblem {
    /// The input ended before the header.
    #[error("empty trace: the header line is missing")]
    Empty,
    /// The first line is not the format's header.
    #[error("missing or wrong header (expected {HEADER}): {0}")]
    Header(String),
    /// The line is not valid JSON for a frame (includes wrong joint counts, missing fields).
    #[error("bad frame at column {column}: {message}")]
    Json {
        /// What the JSON parser found wrong.
        message: String,
        /// 1-based column in the line.
        column: usize,
    },
    /// The last line has no newline and does not parse: the file was cut off.
    #[error(
        "truncated last line (no newline at the end, and the JSON is incomplete at column {column}: {message})"
    )]
    Truncated {
        /// What the JSON parser found wrong.
        message: String,
        /// 1-based column in the line.
        column: usize,
    },
    /// The line is longer than the `max_line_bytes` limit.
    #[error("line longer than {limit} bytes (limits.trace.max_line_bytes)")]
    TooLong {
        /// The limit in force.
        limit: usize,
    },
    /// The line is empty.
    #[error("empty line")]
    Blank,
    /// Time did not increase.
    #[error("time {t} is not after the previous frame's {previous}")]
    TimeNotIncreasing {
        /// This line's time.
        t: f64,
        /// The previous frame's time.
        previous: f64,
    },
    /// A number is NaN or infinite (or too large for 32 bits).
    #[error("{what} is not a finite number")]
    NotFinite {
        /// Which value.
        what: String,
    },
    /// A quaternion is far from unit length.
    #[error("{what} is not a unit quaternion (length {length})")]
    NotUnit {
        /// Which value.
        what: String,
        /// Its length.
        length: f64,
    },
    /// A joint radius is negative.
    #[error("{what} has a negative radius {radius}")]
    NegativeRadius {
        /// Which joint.
        what: String,
        /// The radius.
        radius: f64,
    },
    /// Reading failed (an I/O error, or bytes that are not UTF-8).
    #[error("cannot read: {0}")]
    Io(#[source] io::Error),
}

/// serde_json's message without its " at line 1 column N" (each trace line is parsed alone,
/// so its line number would mislead).
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

fn truncated(e: &serde_json::Error) -> TraceProblem {
    TraceProblem::Truncated {
        message: json_message(e),
        column: e.column(),
    }
}

#[derive(Deserialize)]
struct RawHeader {
    format: String,
    version: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrame {
    t: f64,
    head: RawHead,
    left: Option<RawHand>,
    right: Option<RawHand>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHead {
    p: [f64; 3],
    q: [f64; 4],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHand {
    joints: RawJoints,
}

/// Exactly [`JOINT_COUNT`] joints, read without allocating; a wrong count is reported as
/// "expected 26 joints" with the count found.
struct RawJoints([[f64; 8]; JOINT_COUNT]);

impl<'de> Deserialize<'de> for RawJoints {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Joints;
        impl<'de> serde::de::Visitor<'de> for Joints {
            type Value = RawJoints;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{JOINT_COUNT} joints")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawJoints, A::Error> {
                let mut joints = [[0.0; 8]; JOINT_COUNT];
                let mut n = 0;
                while n < JOINT_COUNT {
                    match seq.next_element()? {
                        Some(j) => joints[n] = j,
                        None => return Err(serde::de::Error::invalid_length(n, &self)),
                    }
                    n += 1;
                }
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                if n != JOINT_COUNT {
                    return Err(serde::de::Error::invalid_length(n, &self));
                }
                Ok(RawJoints(joints))
            }
        }
        d.deserialize_seq(Joints)
    }
}

/// Reads a trace frame by frame, holding one line in memory.
pub struct TraceReader<R> {
    input: R,
    line: u64,
    buf: String,
    previous_t: f64,
    done: bool,
    max_line: usize,
}

impl<R: BufRead> TraceReader<R> {
    /// Reads and checks the header line, with the default [`TraceLimits`].
    pub fn new(input: R) -> Result<Self, TraceError> {
        Self::with_limits(input, &TraceLimits::default())
    }

    /// Reads and checks the header line; no line longer than `limits.max_line_bytes` is held.
    pub fn with_limits(input: R, limits: &TraceLimits) -> Result<Self, TraceError> {
        let mut r = Self {
            input,
            line: 0,
            buf: String::new(),
            previous_t: f64::NEG_INFINITY,
            done: false,
            max_line: limits.max_line_bytes,
        };
        let Some(ended) = r.read_line()? else {
            return Err(r.error(TraceProblem::Empty));
        };
        let header = serde_json::from_str::<RawHeader>(r.buf.trim_end());
        match header {
            Ok(h) if h.format == "roomwave-hand-trace" && h.version == 1 => Ok(r),
            Ok(h) => Err(r.error(TraceProblem::Header(format!(
                "format {:?} version {}",
                h.format, h.version
            )))),
            Err(e) if !ended => Err(r.error(truncated(&e))),
            Err(e) => Err(r.error(TraceProblem::Header(json_message(&e)))),
        }
    }

    /// The number of the last line read (1 = the header).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The next frame, `None` at the end of the input.
    pub fn next_frame(&mut self) -> Result<Option<TrackingFrame>, TraceError> {
        if self.done {
            return Ok(None);
        }
        let Some(ended) = self.read_line()? else {
            self.done = true;
            return Ok(None);
        };
        let text = self.buf.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            return Err(self.error(TraceProblem::Blank));
        }
        let raw: RawFrame = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(e) if !ended => return Err(self.error(truncated(&e))),
            Err(e) => {
                return Err(self.error(TraceProblem::Json {
                    message: json_message(&e),
                    column: e.column(),
                }));
            }
        };
        let frame = convert(&raw).map_err(|p| self.error(p))?;
        if frame.t <= self.previous_t {
            let previous = self.previous_t;
            return Err(self.error(TraceProblem::TimeNotIncreasing {
                t: frame.t,
                previous,
            }));
        }
        self.previous_t = frame.t;
        Ok(Some(frame))
    }

    /// Reads one line into `buf`: `Some(true)` when it ended with a newline, `Some(false)`
    /// for a last line without one, `None` at the end.
    fn read_line(&mut self) -> Result<Option<bool>, TraceError> {
        self.buf.clear();
        self.line += 1;
        let limit = self.max_line.saturating_add(1) as u64;
        let n = (&mut self.input)
            .take(limit)
            .read_line(&mut self.buf)
            .map_err(|e| self.error(TraceProblem::Io(e)))?;
        if n == 0 {
            self.line -= 1;
            return Ok(None);
        }
        let ended = self.buf.ends_with('\n');
        if !ended && n > self.max_line {
            self.done = true;
            let limit = self.max_line;
            return Err(self.error(TraceProblem::TooLong { limit }));
        }
        Ok(Some(ended))
    }

    fn error(&self, problem: TraceProblem) -> TraceError {
        TraceError {
            line: self.line,
            problem,
        }
    }
}

impl<R: BufRead> Iterator for TraceReader<R> {
    type Item = Result<TrackingFrame, TraceError>;

    /// Frames until the end or the first error (after an error the iterator ends).
    fn next(&mut self) -> Option<Self::Item> {
        match self.next_frame() {
            Ok(f) => f.map(Ok),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

fn finite(v: f64, what: impl FnOnce() -> String) -> Result<f32, TraceProblem> {
    let f = v as f32;
    if f.is_finite() {
        Ok(f)
    } else {
        Err(TraceProblem::NotFinite { what: what() })
    }
}

/// A unit quaternion from `[x, y, z, w]`; tracking jitter leaves small errors in the length,
/// anything beyond 10 % is not an orientation.
fn unit_quat(q: [f64; 4], what: impl Fn() -> String) -> Result<Quat, TraceProblem> {
    let mut c = [0.0f32; 4];
    for (o, v) in c.iter_mut().zip(q) {
        *o = finite(v, &what)?;
    }
    let quat = Quat::from_array(c);
    let length = f64::from(quat.length());
    if !(0.9..=1.1).contains(&length) {
        return Err(TraceProblem::NotUnit {
            what: what(),
            length,
        });
    }
    Ok(quat.normalize())
}

fn convert_hand(raw: &RawHand, side: &str) -> Result<HandPose, TraceProblem> {
    let mut joints = [Joint::default(); JOINT_COUNT];
    for (k, (j, r)) in joints.iter_mut().zip(&raw.joints.0).enumerate() {
        let what = || format!("{side} hand joint {k}");
        let position = Vec3::new(
            finite(r[0], what)?,
            finite(r[1], what)?,
            finite(r[2], what)?,
        );
        let orientation = unit_quat([r[3], r[4], r[5], r[6]], what)?;
        let radius = finite(r[7], what)?;
        if radius < 0.0 {
            return Err(TraceProblem::NegativeRadius {
                what: what(),
                radius: r[7],
            });
        }
        *j = Joint {
            position,
            orientation,
            radius,
        };
    }
    Ok(HandPose { joints })
}

fn convert(raw: &RawFrame) -> Result<TrackingFrame, TraceProblem> {
    if !raw.t.is_finite() {
        return Err(TraceProblem::NotFinite { what: "t".into() });
    }
    let what = || "head".to_string();
    let p = raw.head.p;
    let head = Pose {
        position: Vec3::new(
            finite(p[0], what)?,
            finite(p[1], what)?,
            finite(p[2], what)?,
        ),
        orientation: unit_quat(raw.head.q, what)?,
    };
    Ok(TrackingFrame {
        t: raw.t,
        head,
        left: raw
            .left
            .as_ref()
            .map(|h| convert_hand(h, "left"))
            .transpose()?,
        right: raw
            .right
            .as_ref()
            .map(|h| convert_hand(h, "right"))
            .transpose()?,
    })
}

/// Writes frames in the trace format (positions to 0.1 mm, times to 10 us, as the format
/// allows), without allocating per frame.
pub struct TraceWriter<W: Write> {
    out: W,
}

impl<W: Write> TraceWriter<W> {
    /// Starts a trace: writes the header line.
    pub fn new(mut out: W) -> io::Result<Self> {
        writeln!(out, "{HEADER}")?;
        Ok(Self { out })
    }

    /// Appends one frame. Non-finite values cannot be written (JSON has no NaN) and are an
    /// `InvalidInput` error, with nothing written.
    pub fn write_frame(&mut self, f: &TrackingFrame) -> io::Result<()> {
        check_finite(f)?;
        let o = &mut self.out;
        o.write_all(b"{\"t\":")?;
        write_fixed(o, f.t, 5)?;
        o.write_all(b",\"head\":{\"p\":")?;
        write_nums(o, &f.head.position.to_array())?;
        write!(o, ",\"q\":")?;
        write_nums(o, &f.head.orientation.to_array())?;
        write!(o, "}},\"left\":")?;
        write_hand(o, f.left.as_ref())?;
        write!(o, ",\"right\":")?;
        write_hand(o, f.right.as_ref())?;
        writeln!(o, "}}")
    }

    /// Flushes and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

fn check_finite(f: &TrackingFrame) -> io::Result<()> {
    let hand_ok = |h: &Option<HandPose>| {
        h.as_ref().is_none_or(|h| {
            h.joints.iter().all(|j| {
                j.position.is_finite() && j.orientation.is_finite() && j.radius.is_finite()
            })
        })
    };
    let ok = f.t.is_finite()
        && f.head.position.is_finite()
        && f.head.orientation.is_finite()
        && hand_ok(&f.left)
        && hand_ok(&f.right);
    if ok {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("frame at t={} has a non-finite value", f.t),
        ))
    }
}

fn write_nums(o: &mut impl Write, v: &[f32]) -> io::Result<()> {
    o.write_all(b"[")?;
    for (i, x) in v.iter().enumerate() {
        if i > 0 {
            o.write_all(b",")?;
        }
        write_fixed(o, f64::from(*x), 4)?;
    }
    o.write_all(b"]")
}

/// Writes a finite `x` with exactly `decimals` (at most 9) decimals, like `{x:.4}` but without
/// the formatting machinery (a frame has 400 numbers; this keeps recording cheap), and never
/// as `-0.0000`.
fn write_fixed(o: &mut impl Write, x: f64, decimals: u32) -> io::Result<()> {
    let scale = 10i64.pow(decimals);
    let scaled = (x * scale as f64).round() as i64;
    let mut buf = [0u8; 32];
    let mut end = buf.len();
    let mut rest = scaled.unsigned_abs();
    for k in 0.. {
        if k == decimals {
            end -= 1;
            buf[end] = b'.';
        }
        end -= 1;
        buf[end] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 && k >= decimals {
            break;
        }
    }
    if scaled < 0 {
        end -= 1;
        buf[end] = b'-';
    }
    o.write_all(&buf[end..])
}

fn write_hand(o: &mut impl Write, h: Option<&HandPose>) -> io::Result<()> {
    let Some(h) = h else {
        return o.write_all(b"null");
    };
    o.write_all(b"{\"joints\":[")?;
    for (k, j) in h.joints.iter().enumerate() {
        if k > 0 {
            o.write_all(b",")?;
        }
        let p = j.position;
        let q = j.orientation;
        write_nums(o, &[p.x, p.y, p.z, q.x, q.y, q.z, q.w, j.radius])?;
    }
    o.write_all(b"]}")
}

#[cfg(test)]
mod tests;

//! Visitor scripts: `NAME:SECONDS[,NAME:SECONDS...]`.

use super::hand_model::{Curls, FIST, Hand, OPEN, POINT};
use crate::sim::error::{Result, SimError};

/// What one script segment does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SegmentKind {
    /// Both hands hang at the sides, relaxed.
    Rest,
    /// Like rest, with hand tracking inactive.
    Lost,
    /// Like rest, the head turning and swaying as the visitor looks around.
    Look,
    /// The headset taken off and put down on a table: the head lies still
    /// there, hand tracking inactive; the next segment puts it back on.
    Off,
    /// One hand raised in front of the face, oscillating laterally with a roll.
    Wave {
        /// The waving hand.
        hand: Hand,
        /// Its curls (open for a wave, a fist for the negative test).
        curls: Curls,
    },
    /// One hand sweeping 0.45 m sideways, palm towards the motion.
    Sweep {
        /// The sweeping hand.
        hand: Hand,
        /// +1 towards the wearer's right, -1 left.
        dir: f64,
        /// Its curls.
        curls: Curls,
    },
}

/// Segment names and what they mean.
pub const SEGMENT_NAMES: &[&str] = &[
    "rest",
    "lost",
    "look",
    "off",
    "wave",
    "wave-left",
    "fist-sweep",
    "fist-sweep-left",
    "swipe-left",
    "swipe-right",
    "swipe-left-lefthand",
    "swipe-right-lefthand",
    "point-sweep",
    "point-sweep-lefthand",
];

fn kind_of(name: &str) -> Option<SegmentKind> {
    use Hand::{Left, Right};
    use SegmentKind::*;
    let sweep = |hand, dir, curls| Sweep { hand, dir, curls };
    Some(match name {
        "rest" => Rest,
        "lost" => Lost,
        "look" => Look,
        "off" => Off,
        "wave" => Wave {
            hand: Right,
            curls: OPEN,
        },
        "wave-left" | "wave-lefthand" => Wave {
            hand: Left,
            curls: OPEN,
        },
        // The spine's negative test: a closed fist moving exactly like a wave.
        "fist-sweep" => Wave {
            hand: Right,
            curls: FIST,
        },
        "fist-sweep-left" | "fist-sweep-lefthand" => Wave {
            hand: Left,
            curls: FIST,
        },
        "swipe-left" => sweep(Right, -1.0, OPEN),
        "swipe-right" => sweep(Right, 1.0, OPEN),
        "swipe-left-lefthand" => sweep(Left, -1.0, OPEN),
        "swipe-right-lefthand" => sweep(Left, 1.0, OPEN),
        "point-sweep" => sweep(Right, -1.0, POINT),
        "point-sweep-lefthand" => sweep(Left, -1.0, POINT),
        _ => return None,
    })
}

/// One parsed segment.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// Its name as written.
    pub name: String,
    /// What it does.
    pub kind: SegmentKind,
    /// Its duration in seconds.
    pub seconds: f64,
}

/// Longest script accepted, so a typo cannot ask for a year-long feed.
pub const MAX_SCRIPT_SECONDS: f64 = 3600.0;

/// Parses `NAME:SECONDS[,NAME:SECONDS...]`.
pub fn parse_script(text: &str) -> Result<Vec<Segment>> {
    let err = |problem: String| SimError::Script {
        script: text.to_string(),
        problem,
    };
    let mut segs = Vec::new();
    for (i, item) in text.split(',').enumerate() {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let (name, secs) = item.split_once(':').ok_or_else(|| {
            err(format!(
                "segment {} '{item}' needs a duration, e.g. {item}:2",
                i + 1
            ))
        })?;
        let name = name.trim();
        let kind = kind_of(name).ok_or_else(|| {
            err(format!(
                "segment {} has unknown name '{name}' (known: {})",
                i + 1,
                SEGMENT_NAMES.join(", ")
            ))
        })?;
        let seconds: f64 = secs
            .trim()
            .parse()
            .ok()
            .filter(|s: &f64| *s > 0.0 && s.is_finite())
            .ok_or_else(|| {
                err(format!(
                    "segment {} '{item}' needs a duration > 0 in seconds, e.g. {name}:2",
                    i + 1
                ))
            })?;
        segs.push(Segment {
            name: name.to_string(),
            kind,
            seconds,
        });
    }
    if segs.is_empty() {
        return Err(err("empty script; e.g. rest:2,wave:3,rest:2".into()));
    }
    let total: f64 = segs.iter().map(|s| s.seconds).sum();
    if total > MAX_SCRIPT_SECONDS {
        return Err(err(format!(
            "lasts {total} s, more than the {MAX_SCRIPT_SECONDS} s allowed"
        )));
    }
    Ok(segs)
}

//! The kiosk's in-scene hint: a floating panel that says to wave, with a hand
//! that waves, in the attract state; and a countdown of the last seconds of a
//! timed visit. Plain data: this module decides what is shown, where, and
//! builds the triangles (room space, linear colour) the overlay renderer draws.

use super::SessionReport;
use glam::{Quat, Vec2, Vec3};
use serde::{Deserialize, Serialize};

/// The panel's text: short, upper case (the built-in stroke font has A-Z, 0-9).
pub const HINT_TEXT: &str = "WAVE TO DECORATE";

/// Vertices the hint can ever produce (panel, text, hand, countdown), with
/// margin: the buffer the renderer preallocates per frame in flight.
pub const MAX_HINT_VERTICES: usize = 4096;

/// One vertex of the hint's triangles.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct HintVertex {
    /// Room space, metres.
    pub position: [f32; 3],
    /// Linear RGBA.
    pub color: [f32; 4],
}

/// Where the hint floats.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HintLayout {
    /// The panel's centre, room space.
    pub centre: Vec3,
    /// Unit horizontal vector from the panel towards the viewer.
    pub towards_viewer: Vec3,
}

impl HintLayout {
    /// `distance` metres in front of a visitor standing at `start` (on the
    /// floor) looking along `forward`, at `eye_height`.
    pub fn in_front_of(start: Vec3, forward: Vec3, eye_height: f32, distance: f32) -> Self {
        let flat = Vec3::new(forward.x, 0.0, forward.z).try_normalize();
        let forward = flat.unwrap_or(Vec3::NEG_Z);
        HintLayout {
            centre: start + forward * distance + Vec3::Y * eye_height,
            towards_viewer: -forward,
        }
    }
}

impl Default for HintLayout {
    /// 1.5 m in front of the room's centre, looking along -Z, at 1.6 m.
    fn default() -> Self {
        HintLayout::in_front_of(Vec3::ZERO, Vec3::NEG_Z, 1.6, 1.5)
    }
}

/// What the station is doing this frame, as far as the hint cares.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HintInput {
    /// Program time, seconds (drives the hand's animation).
    pub t: f64,
    /// Between visitors.
    pub attract: bool,
    /// Seconds left in a timed visit.
    pub remaining: Option<f64>,
    /// The head in room space, when tracked (the countdown floats in front of it).
    pub head: Option<(Vec3, Quat)>,
}

/// What is on show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HintShown {
    /// The attract panel with text and waving hand.
    pub panel: bool,
    /// Whole seconds left, while the countdown shows.
    pub countdown: Option<u32>,
}

/// A hint appearing or disappearing, for the session report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HintChange {
    /// Program time, seconds.
    pub t: f64,
    /// `attract` (the panel) or `countdown`.
    pub hint: String,
    /// Shown (true) or hidden.
    pub shown: bool,
}

/// Amplitude of the hand's wave, degrees either side of upright.
const WAVE_DEGREES: f32 = 25.0;
/// The hand waves three times in 2 s, then rests 1 s: a rhythm people copy.
const WAVE_CYCLE_S: f64 = 3.0;
const WAVE_ACTIVE_S: f64 = 2.0;
const WAVE_HZ: f64 = 1.5;

/// The hand's tilt at time `t`, radians (positive = towards the panel's left).
/// Continuous: the active part ends on a zero of the sine.
pub fn hand_angle(t: f64) -> f32 {
    let phase = t.rem_euclid(WAVE_CYCLE_S);
    if phase < WAVE_ACTIVE_S {
        WAVE_DEGREES.to_radians() * (std::f64::consts::TAU * WAVE_HZ * phase).sin() as f32
    } else {
        0.0
    }
}

/// Panel size, metres: wide enough for the text at [`TEXT_HEIGHT`].
const PANEL_SIZE: Vec2 = Vec2::new(1.0, 0.5);
/// Cap height of the text: 6 cm reads at 1.5 m (2.3 degrees, ~45 px on a
/// headset with 20 px per degree), and the 16 letters fit the panel (0.95 m).
const TEXT_HEIGHT: f32 = 0.06;
/// Where the hand's wrist sits on the panel, from its centre.
const WRIST_ON_PANEL: Vec2 = Vec2::new(0.0, -0.08);
/// The hand at 1.5 times life size: about 4 degrees across at 1.5 m.
const HAND_SCALE: f32 = 1.5;
/// Countdown: metres in front of the eyes and below the line of sight.
const COUNTDOWN_AHEAD: f32 = 1.2;
const COUNTDOWN_BELOW: f32 = 0.3;
const COUNTDOWN_SIZE: Vec2 = Vec2::new(0.22, 0.13);
const COUNTDOWN_TEXT_HEIGHT: f32 = 0.08;

const PANEL_COLOR: [f32; 4] = [0.012, 0.02, 0.045, 1.0];
const BORDER_COLOR: [f32; 4] = [0.55, 0.45, 0.2, 1.0];
const TEXT_COLOR: [f32; 4] = [0.95, 0.9, 0.75, 1.0];
const HAND_COLOR: [f32; 4] = [0.85, 0.5, 0.32, 1.0];
const COUNTDOWN_COLOR: [f32; 4] = [1.0, 0.35, 0.15, 1.0];

/// Layers in front of the panel, metres: enough to win the depth test at
/// 1.5 m with a 24-bit or float depth buffer, small enough to look flat.
const LAYER_STEP: f32 = 0.004;

/// The hint: decides what shows and builds its triangles each frame into a
/// buffer allocated once.
pub struct HintOverlay {
    layout: HintLayout,
    countdown_s: f64,
    shown: HintShown,
    vertices: Vec<HintVertex>,
}

impl HintOverlay {
    /// A hint at `layout`; the countdown shows for the last `countdown_s`
    /// seconds of a timed visit (0 = never).
    pub fn new(layout: HintLayout, countdown_s: f64) -> Self {
        HintOverlay {
            layout,
            countdown_s,
            shown: HintShown::default(),
            vertices: Vec::with_capacity(MAX_HINT_VERTICES),
        }
    }

    /// What should show for `input`.
    pub fn decide(&self, input: &HintInput) -> HintShown {
        let countdown = match input.remaining {
            Some(r) if !input.attract && r > 0.0 && r <= self.countdown_s => Some(r.ceil() as u32),
            _ => None,
        };
        HintShown {
            panel: input.attract,
            countdown,
        }
    }

    /// Rebuilds the triangles for this frame and records in `report` when a
    /// hint appears or disappears. Returns what is shown.
    pub fn update(&mut self, input: &HintInput, report: &mut SessionReport) -> HintShown {
        let shown = self.decide(input);
        let before = self.shown;
        let changes = [
            ("attract", before.panel, shown.panel),
            (
                "countdown",
                before.countdown.is_some(),
                shown.countdown.is_some(),
            ),
        ];
        // What goes, then what comes: the end of a timed visit reads
        // "countdown hidden, attract shown".
        for showing in [false, true] {
            for &(hint, was, is) in &changes {
                if was != is && is == showing {
                    report.hint(input.t, hint, is);
                }
            }
        }
        self.shown = shown;
        self.vertices.clear();
        let mut mesh = Mesh {
            out: &mut self.vertices,
        };
        if shown.panel {
            mesh.panel(&self.layout, input.t);
        }
        if let (Some(seconds), Some(head)) = (shown.countdown, input.head) {
            mesh.countdown(head, seconds);
        }
        shown
    }

    /// This frame's triangles (a list, three vertices each).
    pub fn vertices(&self) -> &[HintVertex] {
        &self.vertices
    }

    /// What showed at the last [`update`](Self::update).
    pub fn shown(&self) -> HintShown {
        self.shown
    }
}

/// A flat drawing surface in room space: origin, right and up axes (unit),
/// and the normal towards the viewer.
#[derive(Clone, Copy)]
struct Plane {
    origin: Vec3,
    right: Vec3,
    up: Vec3,
    normal: Vec3,
}

impl Plane {
    fn facing(centre: Vec3, towards_viewer: Vec3) -> Plane {
        let normal = towards_viewer.normalize_or(Vec3::Z);
        let right = Vec3::Y.cross(normal).normalize_or(Vec3::X);
        let up = normal.cross(right);
        Plane {
            origin: centre,
            right,
            up,
            normal,
        }
    }

    fn at(&self, p: Vec2, layer: u32) -> Vec3 {
        self.origin + self.right * p.x + self.up * p.y + self.normal * (layer as f32 * LAYER_STEP)
    }
}

struct Mesh<'a> {
    out: &'a mut Vec<HintVertex>,
}

impl Mesh<'_> {
    /// Two triangles; dropped (never reallocating) if the buffer is full.
    fn quad(&mut self, plane: &Plane, corners: [Vec2; 4], layer: u32, color: [f32; 4]) {
        if self.out.len() + 6 > MAX_HINT_VERTICES {
            return;
        }
        let [a, b, c, d] = corners.map(|p| HintVertex {
            position: plane.at(p, layer).to_array(),
            color,
        });
        self.out.extend_from_slice(&[a, b, c, a, c, d]);
    }

    fn rect(&mut self, plane: &Plane, min: Vec2, max: Vec2, layer: u32, color: [f32; 4]) {
        let corners = [min, Vec2::new(max.x, min.y), max, Vec2::new(min.x, max.y)];
        self.quad(plane, corners, layer, color);
    }

    /// A stroke from `a` to `b`, `width` wide, with square caps so joints close.
    fn stroke(&mut self, plane: &Plane, a: Vec2, b: Vec2, width: f32, layer: u32, c: [f32; 4]) {
        let along = (b - a).try_normalize().unwrap_or(Vec2::X) * (width * 0.5);
        let side = along.perp();
        let (a, b) = (a - along, b + along);
        self.quad(plane, [a - side, b - side, b + side, a + side], layer, c);
    }

    /// `text` centred on `centre`, cap height `height`.
    fn text(&mut self, plane: &Plane, text: &str, centre: Vec2, height: f32, color: [f32; 4]) {
        let unit = height / GLYPH_HEIGHT;
        let advance = (GLYPH_WIDTH + GLYPH_GAP) * unit;
        let count = text.chars().count() as f32;
        let width = count * advance - GLYPH_GAP * unit;
        let origin = centre - Vec2::new(width * 0.5, height * 0.5);
        for (i, ch) in text.chars().enumerate() {
            let base = origin + Vec2::X * (i as f32 * advance);
            for_each_segment(ch, |p, q| {
                let to = |g: Vec2| base + g * unit;
                self.stroke(plane, to(p), to(q), STROKE_WIDTH * unit, 2, color);
            });
        }
    }

    fn panel(&mut self, layout: &HintLayout, t: f64) {
        let plane = Plane::facing(layout.centre, layout.towards_viewer);
        let half = PANEL_SIZE * 0.5;
        let border = 0.012;
        self.rect(&plane, -half, half, 0, BORDER_COLOR);
        let inner = half - Vec2::splat(border);
        self.rect(&plane, -inner, inner, 1, PANEL_COLOR);
        let text_centre = Vec2::new(0.0, -half.y + 0.09);
        self.text(&plane, HINT_TEXT, text_centre, TEXT_HEIGHT, TEXT_COLOR);
        self.hand(&plane, WRIST_ON_PANEL, hand_angle(t));
    }

    /// An open right hand seen from the palm side, wrist at `wrist`, tilted by `angle`.
    fn hand(&mut self, plane: &Plane, wrist: Vec2, angle: f32) {
        let turn = Vec2::from_angle(angle);
        let put = |p: Vec2| wrist + turn.rotate(p * HAND_SCALE);
        let part = |mesh: &mut Self, min: Vec2, max: Vec2| {
            let corners = [min, Vec2::new(max.x, min.y), max, Vec2::new(min.x, max.y)].map(put);
            mesh.quad(plane, corners, 2, HAND_COLOR);
        };
        // Palm 9 cm x 10 cm; fingers 1.8 cm wide, 6-8 cm long; the thumb
        // splayed out at the side.
        part(self, Vec2::new(-0.045, 0.0), Vec2::new(0.045, 0.1));
        for (x, len) in [
            (-0.034, 0.062),
            (-0.011, 0.08),
            (0.012, 0.076),
            (0.035, 0.06),
        ] {
            part(
                self,
                Vec2::new(x - 0.009, 0.1),
                Vec2::new(x + 0.009, 0.1 + len),
            );
        }
        let thumb_root = Vec2::new(-0.045, 0.035);
        let thumb_dir = Vec2::from_angle(150f32.to_radians());
        let (a, b) = (thumb_root, thumb_root + thumb_dir * 0.06);
        let side = thumb_dir.perp() * 0.01;
        let corners = [a - side, b - side, b + side, a + side].map(put);
        self.quad(plane, corners, 2, HAND_COLOR);
    }

    fn countdown(&mut self, head: (Vec3, Quat), seconds: u32) {
        let (position, orientation) = head;
        let forward = orientation * Vec3::NEG_Z;
        let flat = Vec3::new(forward.x, 0.0, forward.z)
            .try_normalize()
            .unwrap_or(Vec3::NEG_Z);
        let centre = position + flat * COUNTDOWN_AHEAD - Vec3::Y * COUNTDOWN_BELOW;
        let plane = Plane::facing(centre, -flat);
        let half = COUNTDOWN_SIZE * 0.5;
        self.rect(&plane, -half, half, 0, PANEL_COLOR);
        let mut digits = [0u8; 10];
        let text = format_seconds(seconds, &mut digits);
        self.text(
            &plane,
            text,
            Vec2::ZERO,
            COUNTDOWN_TEXT_HEIGHT,
            COUNTDOWN_COLOR,
        );
    }
}

/// `seconds` in decimal into `buf`, with no allocation.
fn format_seconds(seconds: u32, buf: &mut [u8; 10]) -> &str {
    let mut n = seconds;
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

/// The stroke font's cell: 4 units wide, 6 tall, with a 2-unit gap.
const GLYPH_WIDTH: f32 = 4.0;
const GLYPH_HEIGHT: f32 = 6.0;
const GLYPH_GAP: f32 = 2.0;
const STROKE_WIDTH: f32 = 0.7;

/// Polylines of a glyph on the 4 x 6 grid: points `xy` (single digits, y up)
/// separated by spaces, polylines by `|`. Unknown characters draw nothing.
fn glyph(ch: char) -> &'static str {
    match ch.to_ascii_uppercase() {
        'A' => "00 04 26 44 40|03 43",
        'B' => "00 06 36 45 44 33 03|33 42 41 30 00",
        'C' => "45 36 16 05 01 10 30 41",
        'D' => "00 06 26 44 42 20 00",
        'E' => "46 06 00 40|03 33",
        'F' => "46 06 00|03 33",
        'G' => "45 36 16 05 01 10 30 41 43 23",
        'H' => "00 06|40 46|03 43",
        'I' => "06 46|26 20|00 40",
        'J' => "46 41 30 10 01",
        'K' => "00 06|46 03|14 40",
        'L' => "06 00 40",
        'M' => "00 06 23 46 40",
        'N' => "00 06 40 46",
        'O' => "10 01 05 16 36 45 41 30 10",
        'P' => "00 06 36 45 44 33 03",
        'Q' => "10 01 05 16 36 45 41 30 10|22 40",
        'R' => "00 06 36 45 44 33 03|23 40",
        'S' => "45 36 16 05 04 13 33 42 41 30 10 01",
        'T' => "06 46|26 20",
        'U' => "06 01 10 30 41 46",
        'V' => "06 20 46",
        'W' => "06 10 23 30 46",
        'X' => "06 40|00 46",
        'Y' => "06 23 46|23 20",
        'Z' => "06 46 00 40",
        '0' => "10 01 05 16 36 45 41 30 10|41 05",
        '1' => "14 26 20|00 40",
        '2' => "05 16 36 45 44 00 40",
        '3' => "05 16 36 45 44 33 23|33 42 41 30 10 01",
        '4' => "36 02 42|30 36",
        '5' => "46 06 04 34 43 41 30 10 01",
        '6' => "45 36 16 05 01 10 30 41 42 33 03",
        '7' => "06 46 20",
        '8' => "13 04 05 16 36 45 44 33 13 02 01 10 30 41 42 33",
        '9' => "43 13 04 05 16 36 45 41 30 10 01",
        ':' => "21 22|24 25",
        _ => "",
    }
}

/// Calls `f` with each segment of `ch`'s strokes, in grid units.
fn for_each_segment(ch: char, mut f: impl FnMut(Vec2, Vec2)) {
    for line in glyph(ch).split('|') {
        let mut last: Option<Vec2> = None;
        for point in line.split_whitespace() {
            let mut digits = point.bytes().map(|b| f32::from(b.wrapping_sub(b'0')));
            let (Some(x), Some(y)) = (digits.next(), digits.next()) else {
                continue;
            };
            let p = Vec2::new(x, y);
            if let Some(q) = last {
                f(q, p);
            }
            last = Some(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attract(t: f64) -> HintInput {
        HintInput {
            t,
            attract: true,
            remaining: None,
            head: None,
        }
    }

    #[test]
    fn every_glyph_stays_in_its_cell_and_the_text_is_all_drawable() {
        for ch in ('A'..='Z').chain('0'..='9').chain([':']) {
            let mut segments = 0;
            for_each_segment(ch, |p, q| {
                segments += 1;
                for g in [p, q] {
                    assert!(g.x <= GLYPH_WIDTH && g.y <= GLYPH_HEIGHT, "{ch}: {g}");
                }
            });
            assert!(segments > 0, "{ch} draws nothing");
        }
        assert!(HINT_TEXT.chars().all(|c| c == ' ' || !glyph(c).is_empty()));
    }

    #[test]
    fn the_panel_floats_in_front_of_the_start_at_eye_height_and_faces_it() {
        let mut hint = HintOverlay::new(HintLayout::default(), 10.0);
        let mut report = SessionReport::default();
        let shown = hint.update(&attract(0.0), &mut report);
        assert!(shown.panel && shown.countdown.is_none());
        let v = hint.vertices();
        assert!(v.len() > 100 && v.len().is_multiple_of(3), "{}", v.len());
        let (mut min, mut max) = (Vec3::splat(f32::MAX), Vec3::splat(f32::MIN));
        for p in v.iter().map(|v| Vec3::from(v.position)) {
            min = min.min(p);
            max = max.max(p);
        }
        // 1 m x 0.5 m, centred at (0, 1.6, -1.5), a few mm deep towards the viewer.
        assert!((min.x + 0.5).abs() < 1e-4 && (max.x - 0.5).abs() < 1e-4);
        assert!((min.y - 1.35).abs() < 1e-4 && (max.y - 1.85).abs() < 1e-4);
        assert!((min.z + 1.5).abs() < 1e-4 && max.z < -1.49 && max.z > min.z);
        // Text is drawn in front of the panel (towards the viewer at z = 0).
        let text = v.iter().find(|v| v.color == TEXT_COLOR).unwrap();
        assert!(text.position[2] > -1.5 + LAYER_STEP);
        assert_eq!(report.hints.len(), 1);
        assert!(report.hints[0].shown && report.hints[0].hint == "attract");
    }

    #[test]
    fn the_hand_waves_three_times_then_rests() {
        assert_eq!(hand_angle(0.0), 0.0);
        let peak = WAVE_DEGREES.to_radians();
        // 1.5 Hz: first peak at 1/6 s, opposite peak at 0.5 s.
        assert!((hand_angle(1.0 / 6.0) - peak).abs() < 1e-4);
        assert!((hand_angle(0.5) + peak).abs() < 1e-4);
        // Continuous at the end of the active part, still while resting.
        assert!(hand_angle(1.999).abs() < 0.01);
        assert_eq!(hand_angle(2.5), 0.0);
        assert!((hand_angle(3.0 + 1.0 / 6.0) - peak).abs() < 1e-4);
        // The mesh follows: the fingertips move sideways between t=0 and a peak.
        let mut hint = HintOverlay::new(HintLayout::default(), 0.0);
        let mut r = SessionReport::default();
        let top = |hint: &HintOverlay| {
            hint.vertices()
                .iter()
                .filter(|v| v.color == HAND_COLOR)
                .map(|v| Vec3::from(v.position))
                .max_by(|a, b| a.y.total_cmp(&b.y))
                .unwrap()
        };
        hint.update(&attract(0.0), &mut r);
        let upright = top(&hint);
        hint.update(&attract(1.0 / 6.0), &mut r);
        let tilted = top(&hint);
        // The panel faces +z, so its right is +x; a positive angle tilts the fingers left.
        assert!(tilted.x < upright.x - 0.03, "{upright} -> {tilted}");
    }

    #[test]
    fn countdown_for_the_last_seconds_in_front_of_the_head() {
        let mut hint = HintOverlay::new(HintLayout::default(), 10.0);
        let mut r = SessionReport::default();
        let head = (
            Vec3::new(1.0, 1.7, 0.5),
            Quat::from_rotation_y(90f32.to_radians()),
        );
        let visiting = |remaining| HintInput {
            t: 5.0,
            attract: false,
            remaining: Some(remaining),
            head: Some(head),
        };
        assert_eq!(hint.update(&visiting(30.0), &mut r), HintShown::default());
        assert!(hint.vertices().is_empty());
        let shown = hint.update(&visiting(9.2), &mut r);
        assert_eq!(shown.countdown, Some(10));
        assert!(!shown.panel);
        // Looking along -x (turned left 90 degrees): the countdown is 1.2 m that way, lower.
        let c = hint
            .vertices()
            .iter()
            .map(|v| Vec3::from(v.position))
            .fold(Vec3::ZERO, |a, p| a + p)
            / hint.vertices().len() as f32;
        assert!((c.x - (1.0 - 1.2)).abs() < 0.02, "{c}");
        assert!((c.y - 1.4).abs() < 0.03 && (c.z - 0.5).abs() < 0.05, "{c}");
        assert_eq!(hint.update(&visiting(0.4), &mut r).countdown, Some(1));
        assert_eq!(hint.update(&visiting(0.0), &mut r).countdown, None);
        let events: Vec<_> = r.hints.iter().map(|h| (h.hint.as_str(), h.shown)).collect();
        assert_eq!(events, [("countdown", true), ("countdown", false)]);
        // No countdown without a limit, or when configured off.
        let mut off = HintOverlay::new(HintLayout::default(), 0.0);
        assert_eq!(off.update(&visiting(3.0), &mut r).countdown, None);
    }

    #[test]
    fn the_panel_hides_when_a_visit_starts_and_the_buffer_never_grows() {
        let mut hint = HintOverlay::new(HintLayout::default(), 600.0);
        let mut r = SessionReport::default();
        let capacity = hint.vertices.capacity();
        for i in 0..400 {
            let t = i as f64 * 0.05;
            let input = HintInput {
                t,
                attract: t < 10.0,
                remaining: Some(700.0 - t * 50.0),
                head: Some((Vec3::Y * 1.6, Quat::IDENTITY)),
            };
            hint.update(&input, &mut r);
            assert!(hint.vertices().len() <= MAX_HINT_VERTICES);
        }
        assert_eq!(hint.vertices.capacity(), capacity);
        let events: Vec<_> = r.hints.iter().map(|h| (h.hint.as_str(), h.shown)).collect();
        assert_eq!(
            events,
            [
                ("attract", true),
                ("attract", false),
                ("countdown", true),
                ("countdown", false)
            ]
        );
        let mut buf = [0u8; 10];
        assert_eq!(format_seconds(0, &mut buf), "0");
        assert_eq!(format_seconds(305, &mut buf), "305");
        assert_eq!(format_seconds(u32::MAX, &mut buf), "4294967295");
    }
}

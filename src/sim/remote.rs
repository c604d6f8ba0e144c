//! The wire format of Monado 25's `remote` driver (tag `mndrmt3`).
//!
//! Read from Monado's `src/xrt/drivers/remote/` and checked against a running
//! Monado: one packet is 376 bytes, little-endian, only `f32`, `u32` and `u8`
//! fields and no implicit padding. The client streams whole packets back to
//! back (no framing, newest wins); on connect the server first sends two
//! packets (its reset state and its latest state).

/// Bytes in one packet.
pub const PACKET_SIZE: usize = 376;
/// Bytes the server sends on connect (two packets), to be read and discarded.
pub const GREETING_SIZE: usize = 2 * PACKET_SIZE;
/// The header of every client packet (Monado does not check it).
pub const MAGIC: [u8; 8] = *b"mndrmt3\0";

/// Offset of head view 0 (view 1 follows 48 bytes later).
pub const OFF_VIEWS: usize = 8;
/// Bytes per head view: fov f32x4, pose f32x7, u32 pad.
pub const VIEW_SIZE: usize = 48;
/// Offset of the head centre pose.
pub const OFF_HEAD: usize = 104;
/// Offset of `per_view_data_valid` (u8, then 3 pad bytes).
pub const OFF_VIEW_VALID: usize = 132;
/// Offset of the left controller block.
pub const OFF_LEFT: usize = 136;
/// Offset of the right controller block.
pub const OFF_RIGHT: usize = 256;
/// Bytes per controller block.
pub const CONTROLLER_SIZE: usize = 120;

// Offsets inside a controller block.
const C_POSE: usize = 0;
const C_LIN_VEL: usize = 28;
const C_ANG_VEL: usize = 40;
const C_CURLS: usize = 52;
const C_TRIGGER: usize = 72;
const C_THUMBSTICK: usize = 84;
const C_TRACKPAD_FORCE: usize = 92;
const C_TRACKPAD: usize = 96;
const C_BOOLS: usize = 104;
/// Booleans in a controller block (the last 3 of its 16 bytes are padding).
const BOOL_COUNT: usize = 13;

/// A pose as the wire carries it: orientation quaternion (x, y, z, w) and position, in
/// Monado's stage (tracking origin) space, metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WirePose {
    /// Orientation, x y z w.
    pub orientation: [f32; 4],
    /// Position in metres.
    pub position: [f32; 3],
}

impl Default for WirePose {
    fn default() -> Self {
        WirePose {
            orientation: [0.0, 0.0, 0.0, 1.0],
            position: [0.0; 3],
        }
    }
}

/// One eye's optional data (used only when `per_view_data_valid`).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct HeadView {
    /// Field of view: left, right, up, down angles in radians.
    pub fov: [f32; 4],
    /// The eye's pose.
    pub pose: WirePose,
}

/// The 13 boolean inputs of a controller block, in wire order.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct ControllerFlags {
    /// Hand tracking active: `xrLocateHandJointsEXT` reports `isActive`.
    pub hand_tracking_active: bool,
    /// The controller (poses and inputs) is active.
    pub active: bool,
    /// The other 11 buttons in wire order: system click/touch, a click/touch, b click/touch,
    /// trigger click/touch, thumbstick click/touch, trackpad touch.
    pub buttons: [bool; 11],
}

/// One controller block. Monado also builds the hand's 26 joints from it: the pose is the
/// WRIST joint's pose, the curls bend the fingers.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct ControllerState {
    /// Grip pose = wrist joint pose.
    pub pose: WirePose,
    /// Linear velocity, m/s, stage space.
    pub linear_velocity: [f32; 3],
    /// Angular velocity, rad/s, in the controller's own frame.
    pub angular_velocity: [f32; 3],
    /// Finger curls 0 (open) to 1 (curled), wire order: little, ring, middle, index, thumb.
    pub curls: [f32; 5],
    /// Trigger, squeeze value, squeeze force.
    pub trigger_squeeze: [f32; 3],
    /// Thumbstick x, y.
    pub thumbstick: [f32; 2],
    /// Trackpad force.
    pub trackpad_force: f32,
    /// Trackpad x, y.
    pub trackpad: [f32; 2],
    /// Boolean inputs.
    pub flags: ControllerFlags,
}

/// One whole state packet.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct RemotePacket {
    /// Per-eye data, used only when `per_view_data_valid`.
    pub views: [HeadView; 2],
    /// Head centre pose.
    pub head: WirePose,
    /// When false, Monado derives eye poses and fov from the head itself.
    pub per_view_data_valid: bool,
    /// Left controller / hand.
    pub left: ControllerState,
    /// Right controller / hand.
    pub right: ControllerState,
}

struct Writer<'a>(&'a mut [u8; PACKET_SIZE]);

impl Writer<'_> {
    fn f32s(&mut self, at: usize, v: &[f32]) {
        for (i, x) in v.iter().enumerate() {
            self.0[at + 4 * i..at + 4 * i + 4].copy_from_slice(&x.to_le_bytes());
        }
    }
    fn pose(&mut self, at: usize, p: &WirePose) {
        self.f32s(at, &p.orientation);
        self.f32s(at + 16, &p.position);
    }
}

fn rd<const N: usize>(b: &[u8; PACKET_SIZE], at: usize) -> [f32; N] {
    std::array::from_fn(|i| {
        let o = at + 4 * i;
        f32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
    })
}

fn rd_pose(b: &[u8; PACKET_SIZE], at: usize) -> WirePose {
    WirePose {
        orientation: rd::<4>(b, at),
        position: rd::<3>(b, at + 16),
    }
}

impl RemotePacket {
    /// Writes the packet into `out` (every byte, padding zeroed). No allocation.
    pub fn encode(&self, out: &mut [u8; PACKET_SIZE]) {
        out.fill(0);
        out[..8].copy_from_slice(&MAGIC);
        let mut w = Writer(out);
        for (i, v) in self.views.iter().enumerate() {
            let at = OFF_VIEWS + i * VIEW_SIZE;
            w.f32s(at, &v.fov);
            w.pose(at + 16, &v.pose);
        }
        w.pose(OFF_HEAD, &self.head);
        w.0[OFF_VIEW_VALID] = u8::from(self.per_view_data_valid);
        for (at, c) in [(OFF_LEFT, &self.left), (OFF_RIGHT, &self.right)] {
            w.pose(at + C_POSE, &c.pose);
            w.f32s(at + C_LIN_VEL, &c.linear_velocity);
            w.f32s(at + C_ANG_VEL, &c.angular_velocity);
            w.f32s(at + C_CURLS, &c.curls);
            w.f32s(at + C_TRIGGER, &c.trigger_squeeze);
            w.f32s(at + C_THUMBSTICK, &c.thumbstick);
            w.f32s(at + C_TRACKPAD_FORCE, &[c.trackpad_force]);
            w.f32s(at + C_TRACKPAD, &c.trackpad);
            w.0[at + C_BOOLS] = u8::from(c.flags.hand_tracking_active);
            w.0[at + C_BOOLS + 1] = u8::from(c.flags.active);
            for (i, b) in c.flags.buttons.iter().enumerate() {
                w.0[at + C_BOOLS + 2 + i] = u8::from(*b);
            }
        }
    }

    /// Reads a packet (e.g. the server's greeting). Header and padding are ignored.
    pub fn decode(b: &[u8; PACKET_SIZE]) -> Self {
        let views = std::array::from_fn(|i| {
            let at = OFF_VIEWS + i * VIEW_SIZE;
            HeadView {
                fov: rd::<4>(b, at),
                pose: rd_pose(b, at + 16),
            }
        });
        let ctrl = |at: usize| ControllerState {
            pose: rd_pose(b, at + C_POSE),
            linear_velocity: rd::<3>(b, at + C_LIN_VEL),
            angular_velocity: rd::<3>(b, at + C_ANG_VEL),
            curls: rd::<5>(b, at + C_CURLS),
            trigger_squeeze: rd::<3>(b, at + C_TRIGGER),
            thumbstick: rd::<2>(b, at + C_THUMBSTICK),
            trackpad_force: rd::<1>(b, at + C_TRACKPAD_FORCE)[0],
            trackpad: rd::<2>(b, at + C_TRACKPAD),
            flags: ControllerFlags {
                hand_tracking_active: b[at + C_BOOLS] != 0,
                active: b[at + C_BOOLS + 1] != 0,
                buttons: std::array::from_fn(|i| b[at + C_BOOLS + 2 + i] != 0),
            },
        };
        RemotePacket {
            views,
            head: rd_pose(b, OFF_HEAD),
            per_view_data_valid: b[OFF_VIEW_VALID] != 0,
            left: ctrl(OFF_LEFT),
            right: ctrl(OFF_RIGHT),
        }
    }
}

/// Monado 25's reset state puts the left grip here; a greeting that decodes to
/// anything else means the wire layout changed.
pub const RESET_LEFT_GRIP: [f32; 3] = [-0.2, 1.3, -0.5];

/// Whether a greeting's first packet decodes to Monado 25's reset state.
pub fn greeting_matches_v25(greeting: &[u8; GREETING_SIZE]) -> bool {
    let mut first = [0u8; PACKET_SIZE];
    first.copy_from_slice(&greeting[..PACKET_SIZE]);
    let p = RemotePacket::decode(&first);
    p.left
        .pose
        .position
        .iter()
        .zip(RESET_LEFT_GRIP)
        .all(|(a, b)| (a - b).abs() < 1e-4)
}

const _: () = assert!(OFF_RIGHT + CONTROLLER_SIZE == PACKET_SIZE);
const _: () = assert!(C_BOOLS + BOOL_COUNT + 3 == CONTROLLER_SIZE);
const _: () = assert!(OFF_VIEWS + 2 * VIEW_SIZE == OFF_HEAD);
const _: () = assert!(OFF_HEAD + 28 == OFF_VIEW_VALID);

#[cfg(test)]
mod tests {
    use super::*;

    fn f32_at(b: &[u8; PACKET_SIZE], at: usize) -> f32 {
        f32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    fn sample() -> RemotePacket {
        let mut p = RemotePacket::default();
        p.head.position = [0.0, 1.6, 0.0];
        p.head.orientation = [0.0, 0.383, 0.0, 0.924];
        p.views[1].fov = [-0.7, 0.7, 0.6, -0.6];
        p.left.pose.position = [-0.2, 1.3, -0.5];
        p.right.pose.orientation = [0.1, 0.2, 0.3, 0.9];
        p.right.pose.position = [0.25, 1.45, -0.35];
        p.right.linear_velocity = [1.5, 0.0, -0.1];
        p.right.angular_velocity = [0.0, 0.0, 2.5];
        p.right.curls = [0.1, 0.2, 0.3, 0.4, 0.5];
        p.right.trigger_squeeze = [0.9, 0.0, 0.0];
        p.right.flags.hand_tracking_active = true;
        p.right.flags.active = true;
        p.right.flags.buttons[10] = true;
        p.left.flags.active = true;
        p
    }

    #[test]
    fn fields_land_at_the_documented_offsets() {
        let mut b = [0xAAu8; PACKET_SIZE];
        sample().encode(&mut b);
        assert_eq!(&b[..8], b"mndrmt3\0");
        // view 1 fov at 56
        assert_eq!(f32_at(&b, 56), -0.7);
        assert_eq!(f32_at(&b, 68), -0.6);
        // head: orientation at 104, position at 120
        assert_eq!(f32_at(&b, 104 + 4), 0.383);
        assert_eq!(f32_at(&b, 124), 1.6);
        assert_eq!(b[132], 0);
        assert_eq!(&b[133..136], &[0, 0, 0]);
        // left grip position at 136 + 16
        assert_eq!(f32_at(&b, 152), -0.2);
        assert_eq!(f32_at(&b, 160), -0.5);
        // right controller
        assert_eq!(f32_at(&b, 256), 0.1);
        assert_eq!(f32_at(&b, 256 + 16), 0.25);
        assert_eq!(f32_at(&b, 256 + 28), 1.5);
        assert_eq!(f32_at(&b, 256 + 48), 2.5);
        // curls: little at +52 ... thumb at +68
        assert_eq!(f32_at(&b, 256 + 52), 0.1);
        assert_eq!(f32_at(&b, 256 + 68), 0.5);
        assert_eq!(f32_at(&b, 256 + 72), 0.9);
        // bools at +104: hand tracking, active, ..., trackpad touch at +116, then 3 pad
        assert_eq!(b[256 + 104], 1);
        assert_eq!(b[256 + 105], 1);
        assert_eq!(b[256 + 116], 1);
        assert_eq!(&b[256 + 117..376], &[0, 0, 0]);
        assert_eq!(b[136 + 104], 0, "left hand tracking off");
        assert_eq!(b[136 + 105], 1, "left active");
    }

    #[test]
    fn decode_inverts_encode() {
        let p = sample();
        let mut b = [0u8; PACKET_SIZE];
        p.encode(&mut b);
        assert_eq!(RemotePacket::decode(&b), p);
    }

    #[test]
    fn greeting_check_spots_the_reset_state() {
        let mut p = RemotePacket::default();
        p.left.pose.position = RESET_LEFT_GRIP;
        let mut g = [0u8; GREETING_SIZE];
        let mut one = [0u8; PACKET_SIZE];
        p.encode(&mut one);
        g[..PACKET_SIZE].copy_from_slice(&one);
        assert!(greeting_matches_v25(&g));
        g[155] ^= 0x80; // sign bit of the left grip x
        assert!(!greeting_matches_v25(&g));
    }
}

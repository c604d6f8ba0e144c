//! Hands (XR_EXT_hand_tracking) and controller buttons (OpenXR actions).

use super::error::{XrError, XrResultExt};
use crate::app::{Command, RawHand, RawJoint, RawPose};
use crate::gesture::JOINT_COUNT;
use openxr as xr;

/// Hand trackers, when the system has them.
pub struct Hands {
    left: xr::HandTracker,
    right: xr::HandTracker,
}

impl Hands {
    /// Creates both trackers.
    pub fn new<G: xr::Graphics>(session: &xr::Session<G>) -> Result<Hands, XrError> {
        Ok(Hands {
            left: session
                .create_hand_tracker(xr::Hand::LEFT)
                .during("xrCreateHandTrackerEXT(left)")?,
            right: session
                .create_hand_tracker(xr::Hand::RIGHT)
                .during("xrCreateHandTrackerEXT(right)")?,
        })
    }

    /// Locates both hands in `base` at `time`, as the runtime reported them (`None`: the
    /// hand is not active); `PoseGuard::tracking` decides what the detector gets.
    pub fn locate(
        &self,
        base: &xr::Space,
        time: xr::Time,
    ) -> Result<(Option<RawHand>, Option<RawHand>), XrError> {
        let left = base
            .locate_hand_joints(&self.left, time)
            .during("xrLocateHandJointsEXT(left)")?;
        let right = base
            .locate_hand_joints(&self.right, time)
            .during("xrLocateHandJointsEXT(right)")?;
        Ok((
            left.as_ref().map(to_raw_joints),
            right.as_ref().map(to_raw_joints),
        ))
    }
}

/// An OpenXR pose as plain numbers, unchecked (see `PoseGuard`).
pub(super) fn raw_pose(p: &xr::Posef) -> RawPose {
    let (o, v) = (p.orientation, p.position);
    RawPose {
        position: [v.x, v.y, v.z],
        orientation: [o.x, o.y, o.z, o.w],
    }
}

fn to_raw_joints(locations: &xr::HandJointLocations) -> RawHand {
    let valid = xr::SpaceLocationFlags::POSITION_VALID | xr::SpaceLocationFlags::ORIENTATION_VALID;
    let mut joints = [RawJoint::default(); JOINT_COUNT];
    for (out, loc) in joints.iter_mut().zip(locations.iter()) {
        *out = RawJoint {
            pose: raw_pose(&loc.pose),
            radius: loc.radius,
            valid: loc.location_flags.contains(valid),
        };
    }
    joints
}

/// "Next" and "previous" buttons on whatever controllers the runtime has.
pub struct Buttons {
    set: xr::ActionSet,
    next: xr::Action<bool>,
    previous: xr::Action<bool>,
}

/// Suggested bindings: (interaction profile, next-option inputs, previous-option inputs).
const BINDINGS: &[(&str, &[&str], &[&str])] = &[
    (
        "/interaction_profiles/khr/simple_controller",
        &["/user/hand/right/input/select/click"],
        &["/user/hand/left/input/select/click"],
    ),
    (
        "/interaction_profiles/oculus/touch_controller",
        &[
            "/user/hand/right/input/a/click",
            "/user/hand/left/input/x/click",
        ],
        &[
            "/user/hand/right/input/b/click",
            "/user/hand/left/input/y/click",
        ],
    ),
    (
        "/interaction_profiles/valve/index_controller",
        &[
            "/user/hand/right/input/a/click",
            "/user/hand/left/input/a/click",
        ],
        &[
            "/user/hand/right/input/b/click",
            "/user/hand/left/input/b/click",
        ],
    ),
];

impl Buttons {
    /// Creates the actions and suggests bindings for the simple, Touch and
    /// Index controller profiles. Must run before the session is created.
    pub fn new(instance: &xr::Instance) -> Result<Buttons, XrError> {
        let set = instance
            .create_action_set("roomwave", "roomwave", 0)
            .during("xrCreateActionSet")?;
        let next = set
            .create_action::<bool>("next_option", "Next decoration", &[])
            .during("xrCreateAction")?;
        let previous = set
            .create_action::<bool>("previous_option", "Previous decoration", &[])
            .during("xrCreateAction")?;
        for (profile, next_paths, previous_paths) in BINDINGS {
            let mut bindings = Vec::new();
            for (action, paths) in [(&next, *next_paths), (&previous, *previous_paths)] {
                for p in paths {
                    bindings.push(xr::Binding::new(
                        action,
                        instance.string_to_path(p).during("xrStringToPath")?,
                    ));
                }
            }
            let profile_path = instance.string_to_path(profile).during("xrStringToPath")?;
            // A runtime may not know a profile; the others still work.
            if let Err(r) = instance.suggest_interaction_profile_bindings(profile_path, &bindings) {
                tracing::warn!(profile, result = %r, "runtime refused suggested bindings");
            }
        }
        Ok(Buttons {
            set,
            next,
            previous,
        })
    }

    /// Attaches the action set to the session.
    pub fn attach<G: xr::Graphics>(&self, session: &xr::Session<G>) -> Result<(), XrError> {
        session
            .attach_action_sets(&[&self.set])
            .during("xrAttachSessionActionSets")
    }

    /// Syncs actions and appends the commands whose button went down since the last sync.
    pub fn poll<G: xr::Graphics>(
        &self,
        session: &xr::Session<G>,
        out: &mut Vec<Command>,
    ) -> Result<(), XrError> {
        session
            .sync_actions(&[xr::ActiveActionSet::new(&self.set)])
            .during("xrSyncActions")?;
        for (action, command) in [
            (&self.next, Command::Next),
            (&self.previous, Command::Previous),
        ] {
            let state = action
                .state(session, xr::Path::NULL)
                .during("xrGetActionStateBoolean")?;
            if state.is_active && state.changed_since_last_sync && state.current_state {
                out.push(command);
            }
        }
        Ok(())
    }
}

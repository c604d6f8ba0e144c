//! The tracking space the room is laid out in, and the head's space.

use super::error::{XrError, XrResultExt};
use crate::app::{RoomPlacement, place_room};
use crate::scene::Room;
use glam::{Quat, Vec3};
use openxr as xr;

/// Standing eye height assumed when only LOCAL space (origin at the head) exists.
pub const ASSUMED_EYE_HEIGHT: f32 = 1.6;

/// Which reference space the room is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseSpaceKind {
    /// STAGE: floor level, centred in the play area; what room-scale wants.
    Stage,
    /// LOCAL_FLOOR: floor level under where the wearer started.
    LocalFloor,
    /// LOCAL moved down by [`ASSUMED_EYE_HEIGHT`].
    LocalWithFloorOffset,
}

impl BaseSpaceKind {
    /// The name used in logs and reports.
    pub fn name(self) -> &'static str {
        match self {
            BaseSpaceKind::Stage => "STAGE",
            BaseSpaceKind::LocalFloor => "LOCAL_FLOOR",
            BaseSpaceKind::LocalWithFloorOffset => "LOCAL",
        }
    }
}

/// The spaces the frame loop locates things in.
pub struct WorldSpaces {
    /// Floor-level space the room is placed in; hands and head are located in it.
    pub base: xr::Space,
    /// Which one it is.
    pub kind: BaseSpaceKind,
    /// The head (VIEW space).
    pub view: xr::Space,
    /// Where the room sits in `base`.
    pub placement: RoomPlacement,
    room: Room,
}

fn identity() -> xr::Posef {
    xr::Posef::IDENTITY
}

impl WorldSpaces {
    /// STAGE if offered, else LOCAL_FLOOR, else LOCAL with a floor offset, saying
    /// which in the log; `room` (the house's start room) is centred in the play
    /// area when the runtime reports its bounds.
    pub fn new<G: xr::Graphics>(
        session: &xr::Session<G>,
        local_floor_enabled: bool,
        room: Room,
    ) -> Result<WorldSpaces, XrError> {
        let offered = session
            .enumerate_reference_spaces()
            .during("xrEnumerateReferenceSpaces")?;
        let (kind, base) = if offered.contains(&xr::ReferenceSpaceType::STAGE) {
            let s = session
                .create_reference_space(xr::ReferenceSpaceType::STAGE, identity())
                .during("xrCreateReferenceSpace(STAGE)")?;
            (BaseSpaceKind::Stage, s)
        } else if local_floor_enabled && offered.contains(&xr::ReferenceSpaceType::LOCAL_FLOOR_EXT)
        {
            tracing::warn!(
                "no STAGE space: using LOCAL_FLOOR, the room is centred where the wearer started"
            );
            let s = session
                .create_reference_space(xr::ReferenceSpaceType::LOCAL_FLOOR_EXT, identity())
                .during("xrCreateReferenceSpace(LOCAL_FLOOR)")?;
            (BaseSpaceKind::LocalFloor, s)
        } else {
            tracing::warn!(
                eye_height = ASSUMED_EYE_HEIGHT,
                "no STAGE or LOCAL_FLOOR space: using LOCAL with an assumed eye height for the floor"
            );
            let down = xr::Posef {
                orientation: xr::Quaternionf::IDENTITY,
                position: xr::Vector3f {
                    x: 0.0,
                    y: -ASSUMED_EYE_HEIGHT,
                    z: 0.0,
                },
            };
            let s = session
                .create_reference_space(xr::ReferenceSpaceType::LOCAL, down)
                .during("xrCreateReferenceSpace(LOCAL)")?;
            (BaseSpaceKind::LocalWithFloorOffset, s)
        };
        let placement = place_room(&room, bounds(session, kind));
        tracing::info!(
            space = kind.name(),
            yaw_deg = placement.yaw.to_degrees(),
            "room placed"
        );
        let view = session
            .create_reference_space(xr::ReferenceSpaceType::VIEW, identity())
            .during("xrCreateReferenceSpace(VIEW)")?;
        Ok(WorldSpaces {
            base,
            kind,
            view,
            placement,
            room,
        })
    }

    /// The room's placement for the play area's current bounds (after the
    /// runtime recentred or redrew the play area).
    pub fn placement_now<G: xr::Graphics>(&self, session: &xr::Session<G>) -> RoomPlacement {
        let placement = place_room(&self.room, bounds(session, self.kind));
        tracing::info!(yaw_deg = placement.yaw.to_degrees(), "room placed again");
        placement
    }
}

/// The play area's size, where the runtime gives it (STAGE only).
fn bounds<G: xr::Graphics>(session: &xr::Session<G>, kind: BaseSpaceKind) -> Option<(f32, f32)> {
    if kind != BaseSpaceKind::Stage {
        return None;
    }
    match session.reference_space_bounds_rect(xr::ReferenceSpaceType::STAGE) {
        Ok(Some(e)) => {
            tracing::info!(width = e.width, depth = e.height, "play area bounds");
            Some((e.width, e.height))
        }
        Ok(None) => None,
        Err(r) => {
            tracing::warn!(result = %r, "xrGetReferenceSpaceBoundsRect failed; room not fitted to bounds");
            None
        }
    }
}

/// Converts an OpenXR pose to glam.
pub fn pose_to_glam(p: &xr::Posef) -> (Vec3, Quat) {
    let o = p.orientation;
    let q = Quat::from_xyzw(o.x, o.y, o.z, o.w);
    // A runtime may hand out an all-zero orientation for an untracked pose.
    let q = if q.length_squared() > 1e-6 {
        q.normalize()
    } else {
        Quat::IDENTITY
    };
    (Vec3::new(p.position.x, p.position.y, p.position.z), q)
}

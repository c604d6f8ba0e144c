//! `xrLocateViews` into a caller's buffer: the `openxr` crate's wrapper
//! returns a fresh `Vec` (two, counting its size query) every frame, and the
//! frame loop allocates nothing once warm.

use openxr as xr;

use super::error::{XrError, XrResultExt};
use super::input::raw_pose;
use crate::app::{FovAngles, RawView};

/// Views a stereo view configuration has.
const STEREO_VIEWS: usize = 2;

/// Replaces `out` with the views at `time` in `space`. Leaves it empty when
/// the runtime says the orientations are not valid (the spec leaves such
/// poses undefined), so the pose guard treats the frame as having no views.
pub(super) fn locate_views(
    session: &xr::Session<xr::Vulkan>,
    view_type: xr::ViewConfigurationType,
    time: xr::Time,
    space: &xr::Space,
    out: &mut Vec<RawView>,
) -> Result<(), XrError> {
    out.clear();
    let info = xr::sys::ViewLocateInfo {
        ty: xr::sys::ViewLocateInfo::TYPE,
        next: std::ptr::null(),
        view_configuration_type: view_type,
        display_time: time,
        space: space.as_raw(),
    };
    let mut state = xr::sys::ViewState {
        ty: xr::sys::ViewState::TYPE,
        next: std::ptr::null_mut(),
        view_state_flags: xr::ViewStateFlags::EMPTY,
    };
    let blank = xr::sys::View {
        ty: xr::sys::View::TYPE,
        next: std::ptr::null_mut(),
        pose: xr::Posef::IDENTITY,
        fov: xr::Fovf::default(),
    };
    let mut views = [blank; STEREO_VIEWS];
    let mut count = 0u32;
    // SAFETY: every pointer is to a live local; the capacity is the array's
    // length, so the runtime writes at most that many views (or fails with
    // XR_ERROR_SIZE_INSUFFICIENT, which is returned as an error).
    let result = unsafe {
        (session.instance().fp().locate_views)(
            session.as_raw(),
            &info,
            &mut state,
            STEREO_VIEWS as u32,
            &mut count,
            views.as_mut_ptr(),
        )
    };
    if result.into_raw() < 0 {
        return Err(result).during("xrLocateViews");
    }
    if !state
        .view_state_flags
        .contains(xr::ViewStateFlags::ORIENTATION_VALID)
    {
        return Ok(());
    }
    let count = (count as usize).min(STEREO_VIEWS);
    out.extend(views[..count].iter().map(|v| RawView {
        pose: raw_pose(&v.pose),
        fov: FovAngles {
            left: v.fov.angle_left,
            right: v.fov.angle_right,
            up: v.fov.angle_up,
            down: v.fov.angle_down,
        },
    }));
    Ok(())
}

//! Finding the runtime: loader, instance, system, extensions.

use super::error::{XrError, XrResultExt};
use openxr as xr;

/// A connected runtime: instance and the headset system it offers.
pub struct XrRuntime {
    /// The OpenXR instance.
    pub instance: xr::Instance,
    /// The head-mounted display system.
    pub system: xr::SystemId,
    /// Extensions enabled on the instance.
    pub enabled: xr::ExtensionSet,
    /// Runtime name and version, e.g. `Monado(XRT) by Collabora et al 25.0.0 25.0.0`.
    pub runtime_name: String,
    /// The system's name, e.g. `Remote HMD`.
    pub system_name: String,
    /// Whether the system tracks hands (XR_EXT_hand_tracking).
    pub hand_tracking: bool,
}

/// The view configuration roomwave renders: two eyes.
pub const VIEW_TYPE: xr::ViewConfigurationType = xr::ViewConfigurationType::PRIMARY_STEREO;

/// Loads the OpenXR loader library.
pub fn load_entry() -> Result<xr::Entry, XrError> {
    // SAFETY: loading the system's OpenXR loader runs its initialisers; it is the
    // documented way to use a loader that is not linked in.
    unsafe { xr::Entry::load(&()) }.map_err(|e| XrError::NoLoader(e.to_string()))
}

/// Creates an instance with the extensions roomwave uses and finds the headset.
pub fn connect(entry: &xr::Entry) -> Result<XrRuntime, XrError> {
    let available = entry
        .enumerate_extensions()
        .map_err(|r| XrError::NoRuntime(r.to_string()))?;
    if !available.khr_vulkan_enable2 {
        return Err(XrError::Unsupported(
            "it does not offer XR_KHR_vulkan_enable2".into(),
        ));
    }
    let mut enabled = xr::ExtensionSet::default();
    enabled.khr_vulkan_enable2 = true;
    enabled.ext_hand_tracking = available.ext_hand_tracking;
    enabled.ext_local_floor = available.ext_local_floor;
    enabled.khr_composition_layer_depth = available.khr_composition_layer_depth;
    enabled.khr_convert_timespec_time = available.khr_convert_timespec_time;
    enabled.ext_user_presence = available.ext_user_presence;
    let app = xr::ApplicationInfo {
        application_name: "roomwave",
        application_version: 1,
        engine_name: "roomwave",
        engine_version: 1,
        // The Debian 12 loader (1.0.20) predates OpenXR 1.1.
        api_version: xr::Version::new(1, 0, 0),
    };
    let instance = entry
        .create_instance(&app, &enabled, &[], &())
        .map_err(|r| match r {
            xr::sys::Result::ERROR_RUNTIME_UNAVAILABLE | xr::sys::Result::ERROR_RUNTIME_FAILURE => {
                XrError::NoRuntime(r.to_string())
            }
            other => XrError::call("xrCreateInstance", other),
        })?;
    let props = instance.properties().during("xrGetInstanceProperties")?;
    let runtime_name = format!("{} {}", props.runtime_name, props.runtime_version);
    let system = instance
        .system(xr::FormFactor::HEAD_MOUNTED_DISPLAY)
        .map_err(|r| match r {
            xr::sys::Result::ERROR_FORM_FACTOR_UNAVAILABLE => XrError::NoHeadset(r.to_string()),
            other => XrError::call("xrGetSystem", other),
        })?;
    let system_name = instance
        .system_properties(system)
        .during("xrGetSystemProperties")?
        .system_name;
    let hand_tracking =
        enabled.ext_hand_tracking && instance.supports_hand_tracking(system).unwrap_or(false);
    tracing::info!(runtime = %runtime_name, system = %system_name, hand_tracking, "connected to the OpenXR runtime");
    Ok(XrRuntime {
        instance,
        system,
        enabled,
        runtime_name,
        system_name,
        hand_tracking,
    })
}

//! Errors of the OpenXR shell.

use thiserror::Error;

/// What can go wrong talking to the OpenXR runtime.
#[derive(Debug, Error)]
pub enum XrError {
    /// No OpenXR loader library on this machine.
    #[error(
        "no OpenXR loader found ({0}). roomwave needs libopenxr_loader.so.1: on Debian or Ubuntu \
         run `apt-get install libopenxr-loader1`. To run without a headset, use the simulator: \
         `roomwave sim run -- roomwave run` (see README)."
    )]
    NoLoader(String),
    /// A loader, but no runtime answered.
    #[error(
        "no OpenXR runtime is active ({0}). Start your runtime (SteamVR, Monado's monado-service, \
         or a Quest through Quest Link or ALVR) and make it the active OpenXR runtime, or point \
         XR_RUNTIME_JSON at its manifest. To run without a headset, use the simulator: \
         `roomwave sim run -- roomwave run` (see README)."
    )]
    NoRuntime(String),
    /// The runtime has no headset to offer right now.
    #[error("the OpenXR runtime has no headset available ({0}); connect and wake the headset")]
    NoHeadset(String),
    /// The runtime lacks something roomwave cannot do without.
    #[error("the OpenXR runtime cannot run roomwave: {0}")]
    Unsupported(String),
    /// The runtime went away (instance or session lost, runtime failure).
    #[error("the OpenXR runtime was lost during {call}: {result}")]
    Lost {
        /// The call that found out.
        call: &'static str,
        /// What it returned.
        result: openxr::sys::Result,
    },
    /// Any other OpenXR call failed.
    #[error("{call} failed: {result}")]
    Call {
        /// The call.
        call: &'static str,
        /// What it returned.
        result: openxr::sys::Result,
    },
    /// The renderer failed.
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
}

impl XrError {
    /// Wraps a failed call, telling runtime loss apart from other failures.
    pub fn call(call: &'static str, result: openxr::sys::Result) -> XrError {
        use openxr::sys::Result as R;
        match result {
            R::ERROR_INSTANCE_LOST | R::ERROR_SESSION_LOST | R::ERROR_RUNTIME_FAILURE => {
                XrError::Lost { call, result }
            }
            _ => XrError::Call { call, result },
        }
    }

    /// Whether waiting and reconnecting may cure it.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            XrError::Lost { .. } | XrError::NoHeadset(_) | XrError::NoRuntime(_)
        )
    }
}

/// Adds the name of the failed call to an OpenXR result.
pub(crate) trait XrResultExt<T> {
    /// Names the call that failed.
    fn during(self, call: &'static str) -> Result<T, XrError>;
}

impl<T> XrResultExt<T> for Result<T, openxr::sys::Result> {
    fn during(self, call: &'static str) -> Result<T, XrError> {
        self.map_err(|r| XrError::call(call, r))
    }
}

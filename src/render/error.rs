//! Errors of the Vulkan renderer.

use ash::vk;

/// Everything that can go wrong while setting up Vulkan or rendering.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// libvulkan could not be loaded.
    #[error(
        "no Vulkan loader: {0}. Install one with `apt-get install libvulkan1 mesa-vulkan-drivers` \
         (mesa's lavapipe renders on the CPU, no GPU needed)"
    )]
    NoVulkanLoader(String),
    /// The loader found no usable device (no driver, or none with multiview).
    #[error(
        "no usable Vulkan device: {0}. Install a Vulkan driver; with no GPU, \
         `apt-get install mesa-vulkan-drivers` gives lavapipe (select it with \
         VK_DRIVER_FILES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json)"
    )]
    NoDevice(String),
    /// Validation was asked for but the layer is not installed.
    #[error(
        "Vulkan validation was requested but VK_LAYER_KHRONOS_validation is not installed: \
         `apt-get install vulkan-validationlayers`"
    )]
    MissingValidationLayer,
    /// A Vulkan call failed.
    #[error("{call} failed: {result}")]
    Vulkan {
        /// The Vulkan function.
        call: &'static str,
        /// What it returned.
        result: vk::Result,
    },
    /// GPU memory could not be allocated.
    #[error("GPU memory for {what}: {source}")]
    Memory {
        /// What the memory was for.
        what: &'static str,
        /// The allocator's error.
        source: gpu_allocator::AllocationError,
    },
    /// The device lacks a feature or format the renderer needs.
    #[error("the Vulkan device does not support {0}")]
    Unsupported(String),
    /// A caller passed something the renderer cannot use.
    #[error("invalid render request: {0}")]
    InvalidInput(String),
    /// The platform layer that creates Vulkan objects (the OpenXR runtime) refused.
    #[error("{0}")]
    Platform(String),
    /// The GPU did not finish work in time.
    #[error("the GPU did not finish {what} within {seconds} s (device hung or far too slow)")]
    Timeout {
        /// Which work.
        what: &'static str,
        /// The limit.
        seconds: u64,
    },
}

impl RenderError {
    /// Whether the user must install something (a Vulkan loader, driver or layer).
    pub fn is_missing_driver(&self) -> bool {
        matches!(
            self,
            RenderError::NoVulkanLoader(_)
                | RenderError::NoDevice(_)
                | RenderError::MissingValidationLayer
        )
    }
}

/// Maps `vk::Result` errors to [`RenderError::Vulkan`] naming the call.
pub(crate) trait VkContext<T> {
    /// Attaches the Vulkan function name.
    fn vk(self, call: &'static str) -> Result<T, RenderError>;
}

impl<T> VkContext<T> for Result<T, vk::Result> {
    fn vk(self, call: &'static str) -> Result<T, RenderError> {
        self.map_err(|result| RenderError::Vulkan { call, result })
    }
}

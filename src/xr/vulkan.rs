//! Vulkan instance and device created through XR_KHR_vulkan_enable2, so the
//! runtime can add the extensions and pick the GPU its compositor uses.

use crate::render::{RenderError, VulkanFactory};
use ash::vk::{self, Handle};
use openxr as xr;

/// Creates Vulkan objects through the OpenXR runtime.
pub struct XrVulkanFactory<'a> {
    /// The OpenXR instance.
    pub instance: &'a xr::Instance,
    /// The headset system.
    pub system: xr::SystemId,
}

fn platform(call: &'static str, detail: impl std::fmt::Display) -> RenderError {
    RenderError::Platform(format!("{call}: {detail}"))
}

impl VulkanFactory for XrVulkanFactory<'_> {
    fn create_instance(
        &self,
        entry: &ash::Entry,
        info: &vk::InstanceCreateInfo,
    ) -> Result<vk::Instance, RenderError> {
        let reqs = self
            .instance
            .graphics_requirements::<xr::Vulkan>(self.system)
            .map_err(|r| platform("xrGetVulkanGraphicsRequirements2KHR", r))?;
        if reqs.min_api_version_supported > xr::Version::new(1, 1, 0) {
            return Err(platform(
                "xrGetVulkanGraphicsRequirements2KHR",
                format!(
                    "runtime needs Vulkan {} or newer; roomwave uses 1.1",
                    reqs.min_api_version_supported
                ),
            ));
        }
        // SAFETY: the pointers are valid for the call; the loader's
        // vkGetInstanceProcAddr has the signature the runtime expects.
        let raw = unsafe {
            self.instance.create_vulkan_instance(
                self.system,
                std::mem::transmute::<
                    vk::PFN_vkGetInstanceProcAddr,
                    xr::sys::platform::VkGetInstanceProcAddr,
                >(entry.static_fn().get_instance_proc_addr),
                info as *const _ as *const _,
            )
        }
        .map_err(|r| platform("xrCreateVulkanInstanceKHR", r))?
        .map_err(|r| match vk::Result::from_raw(r) {
            // What the Vulkan loader answers when it finds no driver at all.
            vk::Result::ERROR_INCOMPATIBLE_DRIVER => {
                RenderError::NoDevice("vkCreateInstance found no Vulkan driver".into())
            }
            other => platform("vkCreateInstance", other),
        })?;
        Ok(vk::Instance::from_raw(raw as _))
    }

    fn pick_physical_device(
        &self,
        _entry: &ash::Entry,
        instance: &ash::Instance,
    ) -> Result<vk::PhysicalDevice, RenderError> {
        // SAFETY: `instance` is a live instance made by `create_instance` above.
        let raw = unsafe {
            self.instance
                .vulkan_graphics_device(self.system, instance.handle().as_raw() as _)
        }
        .map_err(|r| platform("xrGetVulkanGraphicsDevice2KHR", r))?;
        Ok(vk::PhysicalDevice::from_raw(raw as _))
    }

    fn create_device(
        &self,
        entry: &ash::Entry,
        _instance: &ash::Instance,
        pdev: vk::PhysicalDevice,
        info: &vk::DeviceCreateInfo,
    ) -> Result<vk::Device, RenderError> {
        // SAFETY: as for `create_instance`; `pdev` came from the runtime.
        let raw = unsafe {
            self.instance.create_vulkan_device(
                self.system,
                std::mem::transmute::<
                    vk::PFN_vkGetInstanceProcAddr,
                    xr::sys::platform::VkGetInstanceProcAddr,
                >(entry.static_fn().get_instance_proc_addr),
                pdev.as_raw() as _,
                info as *const _ as *const _,
            )
        }
        .map_err(|r| platform("xrCreateVulkanDeviceKHR", r))?
        .map_err(|r| platform("vkCreateDevice", vk::Result::from_raw(r)))?;
        Ok(vk::Device::from_raw(raw as _))
    }
}

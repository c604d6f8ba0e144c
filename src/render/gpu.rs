//! The Vulkan instance, device, queue and allocator, created through a factory
//! so the XR shell can route creation through XR_KHR_vulkan_enable2.

use std::ffi::CStr;
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use ash::vk;
use gpu_allocator::vulkan::{Allocator, AllocatorCreateDesc};

use super::error::{RenderError, VkContext};
use super::validation::{self, MessageLog, SharedLog, VALIDATION_LAYER};

/// Creates the Vulkan objects the renderer must not create itself. The XR
/// shell implements it with `xrCreateVulkanInstanceKHR`,
/// `xrGetVulkanGraphicsDevice2KHR` and `xrCreateVulkanDeviceKHR`;
/// [`PlainVulkanFactory`] calls Vulkan directly.
pub trait VulkanFactory {
    /// Creates the instance from `info` (which already names the layers and
    /// extensions the renderer needs).
    fn create_instance(
        &self,
        entry: &ash::Entry,
        info: &vk::InstanceCreateInfo,
    ) -> Result<vk::Instance, RenderError>;
    /// Chooses the physical device.
    fn pick_physical_device(
        &self,
        entry: &ash::Entry,
        instance: &ash::Instance,
    ) -> Result<vk::PhysicalDevice, RenderError>;
    /// Creates the logical device from `info` (queue and multiview feature set).
    fn create_device(
        &self,
        entry: &ash::Entry,
        instance: &ash::Instance,
        pdev: vk::PhysicalDevice,
        info: &vk::DeviceCreateInfo,
    ) -> Result<vk::Device, RenderError>;
    /// The Vulkan API version the instance asks for (multiview is core in 1.1).
    fn required_api_version(&self) -> u32 {
        vk::API_VERSION_1_1
    }
}

/// Creates everything with plain Vulkan calls: for offscreen rendering.
pub struct PlainVulkanFactory;

impl VulkanFactory for PlainVulkanFactory {
    fn create_instance(
        &self,
        entry: &ash::Entry,
        info: &vk::InstanceCreateInfo,
    ) -> Result<vk::Instance, RenderError> {
        // SAFETY: `info` is a valid create-info chain built by `Gpu::new`.
        match unsafe { entry.create_instance(info, None) } {
            Ok(instance) => Ok(instance.handle()),
            Err(vk::Result::ERROR_INCOMPATIBLE_DRIVER) => Err(RenderError::NoDevice(
                "the Vulkan loader found no driver (vkCreateInstance: ERROR_INCOMPATIBLE_DRIVER)"
                    .into(),
            )),
            Err(vk::Result::ERROR_LAYER_NOT_PRESENT) => Err(RenderError::MissingValidationLayer),
            Err(result) => Err(RenderError::Vulkan {
                call: "vkCreateInstance",
                result,
            }),
        }
    }

    fn pick_physical_device(
        &self,
        _entry: &ash::Entry,
        instance: &ash::Instance,
    ) -> Result<vk::PhysicalDevice, RenderError> {
        // SAFETY: the instance is alive.
        let devices =
            unsafe { instance.enumerate_physical_devices() }.vk("vkEnumeratePhysicalDevices")?;
        let rank = |kind: vk::PhysicalDeviceType| match kind {
            vk::PhysicalDeviceType::DISCRETE_GPU => 0,
            vk::PhysicalDeviceType::INTEGRATED_GPU => 1,
            vk::PhysicalDeviceType::VIRTUAL_GPU => 2,
            vk::PhysicalDeviceType::CPU => 3,
            _ => 4,
        };
        devices
            .into_iter()
            .filter(|&pdev| graphics_queue_family(instance, pdev).is_some())
            .filter(|&pdev| supports_multiview(instance, pdev))
            .min_by_key(|&pdev| {
                // SAFETY: `pdev` came from this instance.
                rank(unsafe { instance.get_physical_device_properties(pdev) }.device_type)
            })
            .ok_or_else(|| {
                RenderError::NoDevice(
                    "no Vulkan 1.1 device with a graphics queue and multiview was found".into(),
                )
            })
    }

    fn create_device(
        &self,
        _entry: &ash::Entry,
        instance: &ash::Instance,
        pdev: vk::PhysicalDevice,
        info: &vk::DeviceCreateInfo,
    ) -> Result<vk::Device, RenderError> {
        // SAFETY: `info` is a valid chain built by `Gpu::new` for `pdev`.
        unsafe { instance.create_device(pdev, info, None) }
            .map(|d| d.handle())
            .vk("vkCreateDevice")
    }
}

/// The first queue family with graphics support.
pub fn graphics_queue_family(instance: &ash::Instance, pdev: vk::PhysicalDevice) -> Option<u32> {
    // SAFETY: `pdev` belongs to `instance`.
    let families = unsafe { instance.get_physical_device_queue_family_properties(pdev) };
    families
        .iter()
        .position(|f| f.queue_flags.contains(vk::QueueFlags::GRAPHICS))
        .map(|i| i as u32)
}

fn supports_multiview(instance: &ash::Instance, pdev: vk::PhysicalDevice) -> bool {
    // SAFETY: `pdev` belongs to `instance`, which is at least Vulkan 1.1.
    let props = unsafe { instance.get_physical_device_properties(pdev) };
    if props.api_version < vk::API_VERSION_1_1 {
        return false;
    }
    let mut multiview = vk::PhysicalDeviceMultiviewFeatures::default();
    let mut features = vk::PhysicalDeviceFeatures2::default().push_next(&mut multiview);
    // SAFETY: as above.
    unsafe { instance.get_physical_device_features2(pdev, &mut features) };
    multiview.multiview == vk::TRUE
}

/// Options for creating a [`Gpu`].
#[derive(Clone, Copy, Debug, Default)]
pub struct GpuOptions {
    /// Enable the Khronos validation layer and record its messages.
    pub validation: bool,
}

/// Extensions beyond the renderer's own, for a caller that presents to a
/// window (the spectator view): instance and device extension names.
#[derive(Clone, Debug, Default)]
pub struct GpuExtensions {
    /// Instance extensions, e.g. `VK_KHR_surface`.
    pub instance: Vec<&'static CStr>,
    /// Device extensions, e.g. `VK_KHR_swapchain`.
    pub device: Vec<&'static CStr>,
}

/// Everything with a Vulkan lifetime; shared (`Arc`) by the `Gpu` and every
/// renderer made from it, so the device outlives every object made on it.
pub(crate) struct GpuContext {
    pub(crate) entry: ash::Entry,
    pub(crate) instance: ash::Instance,
    pub(crate) physical_device: vk::PhysicalDevice,
    pub(crate) device: ash::Device,
    pub(crate) queue_family_index: u32,
    pub(crate) queue: vk::Queue,
    allocator: ManuallyDrop<Mutex<Allocator>>,
    debug: Option<(ash::ext::debug_utils::Instance, vk::DebugUtilsMessengerEXT)>,
    // Read by the messenger callback through a raw pointer; dropped after the
    // instance is destroyed (fields drop after `Drop::drop` runs).
    log: SharedLog,
    pub(crate) device_name: String,
    /// Draw one eye per render pass instead of both in one multiview pass;
    /// set when the multiview probe finds the driver broken.
    pub(crate) per_eye_passes: AtomicBool,
    /// Anisotropic filtering's limit, when the device offers the feature (enabled then).
    pub(crate) max_anisotropy: Option<f32>,
    /// Largest texture side the device takes.
    pub(crate) max_image_side: u32,
    /// Alignment of uniform-buffer offsets in descriptors.
    pub(crate) min_uniform_alignment: u64,
    /// 4x MSAA with colour and depth resolve is possible: 4 samples for
    /// colour and depth attachments, and VK_KHR_depth_stencil_resolve (with
    /// VK_KHR_create_renderpass2) enabled, since the runtime composites depth too.
    pub(crate) msaa4: bool,
}

impl GpuContext {
    /// The allocator; poisoning only means another thread panicked mid-call,
    /// and the allocator's state is still consistent, so it is used anyway.
    pub(crate) fn allocator(&self) -> MutexGuard<'_, Allocator> {
        self.allocator
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for GpuContext {
    fn drop(&mut self) {
        // SAFETY: every renderer holds an Arc to this context, so nothing made
        // on the device is alive any more; the allocator must go before the device.
        unsafe {
            let _ = self.device.device_wait_idle();
            ManuallyDrop::drop(&mut self.allocator);
            self.device.destroy_device(None);
            if let Some((utils, messenger)) = self.debug.take() {
                utils.destroy_debug_utils_messenger(messenger, None);
            }
            self.instance.destroy_instance(None);
        }
    }
}

/// The Vulkan instance, device, graphics queue and memory allocator.
pub struct Gpu {
    pub(crate) ctx: Arc<GpuContext>,
}

impl Gpu {
    /// Creates instance and device through `factory`, with the validation
    /// layer when `opts.validation` (an error if the layer is missing).
    pub fn new(factory: &dyn VulkanFactory, opts: &GpuOptions) -> Result<Gpu, RenderError> {
        Gpu::with_extensions(factory, opts, &GpuExtensions::default())
    }

    /// [`Gpu::new`], also enabling `extra` extensions (which must be available).
    pub fn with_extensions(
        factory: &dyn VulkanFactory,
        opts: &GpuOptions,
        extra: &GpuExtensions,
    ) -> Result<Gpu, RenderError> {
        // SAFETY: loading libvulkan runs its initialisers; it is the system loader.
        let entry = unsafe { ash::Entry::load() }
            .map_err(|e| RenderError::NoVulkanLoader(e.to_string()))?;
        // SAFETY: plain queries on a loaded entry.
        let version = unsafe { entry.try_enumerate_instance_version() }
            .vk("vkEnumerateInstanceVersion")?
            .unwrap_or(vk::API_VERSION_1_0);
        if version < factory.required_api_version() {
            return Err(RenderError::NoDevice(format!(
                "the Vulkan loader is version {}.{}, multiview needs 1.1",
                vk::api_version_major(version),
                vk::api_version_minor(version)
            )));
        }
        let log: SharedLog = Arc::new(Mutex::new(MessageLog::default()));
        let mut layers = Vec::new();
        let mut extensions = Vec::new();
        if opts.validation {
            // SAFETY: plain query.
            let available = unsafe { entry.enumerate_instance_layer_properties() }
                .vk("vkEnumerateInstanceLayerProperties")?;
            let found = available
                .iter()
                .any(|l| l.layer_name_as_c_str().ok() == Some(VALIDATION_LAYER));
            if !found {
                return Err(RenderError::MissingValidationLayer);
            }
            layers.push(VALIDATION_LAYER.as_ptr());
            extensions.push(ash::ext::debug_utils::NAME.as_ptr());
            extensions.push(ash::ext::validation_features::NAME.as_ptr());
        }
        extensions.extend(extra.instance.iter().map(|e| e.as_ptr()));
        let app = vk::ApplicationInfo::default()
            .application_name(c"roomwave")
            .engine_name(c"roomwave")
            .api_version(factory.required_api_version());
        // Chained so messages during vkCreateInstance/vkDestroyInstance are caught too.
        let mut chained = validation::messenger_info(&log);
        // Synchronization validation too: two frames in flight and the
        // readback are exactly where a missing barrier would hide on lavapipe.
        let sync = [vk::ValidationFeatureEnableEXT::SYNCHRONIZATION_VALIDATION];
        let mut features = vk::ValidationFeaturesEXT::default().enabled_validation_features(&sync);
        let mut info = vk::InstanceCreateInfo::default()
            .application_info(&app)
            .enabled_layer_names(&layers)
            .enabled_extension_names(&extensions);
        if opts.validation {
            info = info.push_next(&mut chained).push_next(&mut features);
        }
        let raw = factory.create_instance(&entry, &info)?;
        // SAFETY: `raw` was just created from this entry.
        let instance = unsafe { ash::Instance::load(entry.static_fn(), raw) };
        let debug = if opts.validation {
            let utils = ash::ext::debug_utils::Instance::new(&entry, &instance);
            // SAFETY: the log outlives the messenger (see GpuContext).
            match unsafe {
                utils.create_debug_utils_messenger(&validation::messenger_info(&log), None)
            } {
                Ok(messenger) => Some((utils, messenger)),
                Err(result) => {
                    // SAFETY: nothing else was created on the instance.
                    unsafe { instance.destroy_instance(None) };
                    return Err(RenderError::Vulkan {
                        call: "vkCreateDebugUtilsMessengerEXT",
                        result,
                    });
                }
            }
        } else {
            None
        };
        let guard = InstanceGuard {
            instance: &instance,
            debug: debug.as_ref(),
        };
        let (physical_device, device, queue_family_index, device_name, caps) =
            create_device(factory, &entry, &instance, &extra.device)?;
        let allocator = Allocator::new(&AllocatorCreateDesc {
            instance: instance.clone(),
            device: device.clone(),
            physical_device,
            debug_settings: Default::default(),
            buffer_device_address: false,
            allocation_sizes: Default::default(),
        });
        let allocator = match allocator {
            Ok(a) => a,
            Err(source) => {
                // SAFETY: the device has no objects yet.
                unsafe { device.destroy_device(None) };
                return Err(RenderError::Memory {
                    what: "the allocator",
                    source,
                });
            }
        };
        std::mem::forget(guard);
        // SAFETY: queue 0 of this family was requested in `create_device`.
        let queue = unsafe { device.get_device_queue(queue_family_index, 0) };
        tracing::info!(device = %device_name, validation = opts.validation, "Vulkan device ready");
        // SAFETY: `physical_device` belongs to `instance`.
        let is_cpu = unsafe { instance.get_physical_device_properties(physical_device) }
            .device_type
            == vk::PhysicalDeviceType::CPU;
        let gpu = Gpu {
            ctx: Arc::new(GpuContext {
                entry,
                instance,
                physical_device,
                device,
                queue_family_index,
                queue,
                allocator: ManuallyDrop::new(Mutex::new(allocator)),
                debug,
                log,
                device_name,
                per_eye_passes: AtomicBool::new(false),
                max_anisotropy: caps.max_anisotropy,
                max_image_side: caps.max_image_side,
                min_uniform_alignment: caps.min_uniform_alignment,
                msaa4: caps.msaa4,
            }),
        };
        if is_cpu {
            gpu.check_multiview()?;
        }
        Ok(gpu)
    }

    /// Lavapipe from Mesa 22.3 (Debian 12) writes every view of a multiview
    /// pass into layer 0 for part of the triangles: the right eye comes out
    /// with holes and the left one with the right's pixels (measured; Mesa 25
    /// is correct). CPU drivers are probed once with a tiny render; where it
    /// fails, the renderer draws one eye per pass, same shaders and output.
    fn check_multiview(&self) -> Result<(), RenderError> {
        if super::multiview_probe::multiview_fills_both_layers(self)? {
            return Ok(());
        }
        tracing::warn!(
            device = %self.ctx.device_name,
            "this driver's multiview draws into the wrong layer; rendering one eye per pass"
        );
        self.ctx.per_eye_passes.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Whether frames are drawn one eye per pass (a driver workaround)
    /// rather than both eyes in one multiview pass.
    pub fn per_eye_passes(&self) -> bool {
        self.ctx.per_eye_passes.load(Ordering::Relaxed)
    }

    /// Overrides the start-up probe for renderers created after this call:
    /// `false` draws both eyes in one multiview pass even where the probe
    /// found it broken (driver triage, and tests whose two views are equal,
    /// which that bug cannot spoil).
    pub fn override_per_eye_passes(&self, per_eye: bool) {
        self.ctx.per_eye_passes.store(per_eye, Ordering::Relaxed);
    }

    /// A GPU for offscreen rendering, created with plain Vulkan calls.
    pub fn offscreen(opts: &GpuOptions) -> Result<Gpu, RenderError> {
        Gpu::new(&PlainVulkanFactory, opts)
    }

    /// Every warning, error and performance message the validation layer
    /// (and loader) produced so far; empty when validation is off.
    pub fn validation_messages(&self) -> Vec<String> {
        match self.ctx.log.lock() {
            Ok(log) => log.snapshot(),
            Err(poisoned) => poisoned.into_inner().snapshot(),
        }
    }

    /// The loader entry points.
    pub fn entry(&self) -> &ash::Entry {
        &self.ctx.entry
    }

    /// The instance.
    pub fn instance(&self) -> &ash::Instance {
        &self.ctx.instance
    }

    /// The physical device in use.
    pub fn physical_device(&self) -> vk::PhysicalDevice {
        self.ctx.physical_device
    }

    /// The logical device.
    pub fn device(&self) -> &ash::Device {
        &self.ctx.device
    }

    /// The graphics queue family (the one the XR session must be given).
    pub fn queue_family_index(&self) -> u32 {
        self.ctx.queue_family_index
    }

    /// The queue's index within its family (always 0).
    pub fn queue_index(&self) -> u32 {
        0
    }

    /// The graphics queue. Submissions to it must be externally
    /// synchronised; the renderer submits only from `&mut self` methods.
    pub fn queue(&self) -> vk::Queue {
        self.ctx.queue
    }

    /// The device's name, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
    pub fn device_name(&self) -> &str {
        &self.ctx.device_name
    }
}

/// Destroys the messenger and instance if device creation fails part-way.
struct InstanceGuard<'a> {
    instance: &'a ash::Instance,
    debug: Option<&'a (ash::ext::debug_utils::Instance, vk::DebugUtilsMessengerEXT)>,
}

impl Drop for InstanceGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: only reached on an error path, before anything else uses them.
        unsafe {
            if let Some((utils, messenger)) = self.debug {
                utils.destroy_debug_utils_messenger(*messenger, None);
            }
            self.instance.destroy_instance(None);
        }
    }
}

/// What the renderer adapts to, read from the device before creating it.
struct DeviceCaps {
    max_anisotropy: Option<f32>,
    max_image_side: u32,
    min_uniform_alignment: u64,
    msaa4: bool,
}

/// Device extensions that 4x MSAA with a depth resolve needs on Vulkan 1.1.
const MSAA_EXTENSIONS: [&CStr; 2] = [
    ash::khr::create_renderpass2::NAME,
    ash::khr::depth_stencil_resolve::NAME,
];

fn offers_extensions(instance: &ash::Instance, pdev: vk::PhysicalDevice, names: &[&CStr]) -> bool {
    // SAFETY: `pdev` belongs to `instance`.
    let Ok(offered) = (unsafe { instance.enumerate_device_extension_properties(pdev) }) else {
        return false;
    };
    names.iter().all(|name| {
        offered
            .iter()
            .any(|e| e.extension_name_as_c_str().is_ok_and(|n| n == *name))
    })
}

fn create_device(
    factory: &dyn VulkanFactory,
    entry: &ash::Entry,
    instance: &ash::Instance,
    extra_extensions: &[&'static CStr],
) -> Result<(vk::PhysicalDevice, ash::Device, u32, String, DeviceCaps), RenderError> {
    let pdev = factory.pick_physical_device(entry, instance)?;
    let family = graphics_queue_family(instance, pdev)
        .ok_or_else(|| RenderError::NoDevice("the chosen device has no graphics queue".into()))?;
    if !supports_multiview(instance, pdev) {
        return Err(RenderError::Unsupported("multiview (Vulkan 1.1)".into()));
    }
    // SAFETY: `pdev` belongs to `instance`.
    let props = unsafe { instance.get_physical_device_properties(pdev) };
    let name = props
        .device_name_as_c_str()
        .map(CStr::to_string_lossy)
        .map(|s| s.into_owned())
        .unwrap_or_else(|_| "unnamed device".into());
    let priorities = [1.0f32];
    let queues = [vk::DeviceQueueCreateInfo::default()
        .queue_family_index(family)
        .queue_priorities(&priorities)];
    // SAFETY: `pdev` belongs to `instance`.
    let offered = unsafe { instance.get_physical_device_features(pdev) };
    // llvmpipe filters anisotropically in software: with it, the textured
    // option 1 took 936 ms per 2x512^2 frame, without it 344 ms (measured),
    // so CPU devices sample trilinearly.
    let anisotropy =
        offered.sampler_anisotropy == vk::TRUE && props.device_type != vk::PhysicalDeviceType::CPU;
    // 16x is where anisotropic filtering stops making a visible difference.
    let caps = DeviceCaps {
        max_anisotropy: anisotropy.then(|| props.limits.max_sampler_anisotropy.min(16.0)),
        max_image_side: props.limits.max_image_dimension2_d,
        min_uniform_alignment: props.limits.min_uniform_buffer_offset_alignment.max(16),
        msaa4: props
            .limits
            .framebuffer_color_sample_counts
            .contains(vk::SampleCountFlags::TYPE_4)
            && props
                .limits
                .framebuffer_depth_sample_counts
                .contains(vk::SampleCountFlags::TYPE_4)
            && offers_extensions(instance, pdev, &MSAA_EXTENSIONS),
    };
    let mut extensions: Vec<*const std::ffi::c_char> = if caps.msaa4 {
        MSAA_EXTENSIONS.iter().map(|n| n.as_ptr()).collect()
    } else {
        Vec::new()
    };
    extensions.extend(extra_extensions.iter().map(|e| e.as_ptr()));
    let features = vk::PhysicalDeviceFeatures::default().sampler_anisotropy(anisotropy);
    let mut multiview = vk::PhysicalDeviceMultiviewFeatures::default().multiview(true);
    let info = vk::DeviceCreateInfo::default()
        .queue_create_infos(&queues)
        .enabled_features(&features)
        .enabled_extension_names(&extensions)
        .push_next(&mut multiview);
    let raw = factory.create_device(entry, instance, pdev, &info)?;
    // SAFETY: `raw` was created on `pdev` of this instance.
    let device = unsafe { ash::Device::load(instance.fp_v1_0(), raw) };
    Ok((pdev, device, family, name, caps))
}

//! The stereo swapchains: one 2-layer colour array (sRGB) and, when the runtime
//! takes depth (XR_KHR_composition_layer_depth), one 2-layer depth array.

use super::error::{XrError, XrResultExt};
use super::instance::{VIEW_TYPE, XrRuntime};
use ash::vk::{self, Handle};
use openxr as xr;

/// Colour formats in order of preference: sRGB so the compositor gets linear
/// light encoded the way it expects.
const COLOR_FORMATS: [vk::Format; 2] = [vk::Format::R8G8B8A8_SRGB, vk::Format::B8G8R8A8_SRGB];
/// Depth formats in order of preference.
const DEPTH_FORMATS: [vk::Format; 3] = [
    vk::Format::D32_SFLOAT,
    vk::Format::D24_UNORM_S8_UINT,
    vk::Format::D16_UNORM,
];

/// Swapchains for both eyes, one array layer per eye (multiview).
pub struct StereoSwapchains {
    /// Colour swapchain.
    pub color: xr::Swapchain<xr::Vulkan>,
    /// Its images.
    pub color_images: Vec<vk::Image>,
    /// Colour format.
    pub color_format: vk::Format,
    /// Depth swapchain, when submitted to the runtime.
    pub depth: Option<xr::Swapchain<xr::Vulkan>>,
    /// Its images.
    pub depth_images: Vec<vk::Image>,
    /// Depth format (also used for the renderer's own depth when not submitted).
    pub depth_format: vk::Format,
    /// Size of one eye's image.
    pub extent: vk::Extent2D,
}

fn pick(offered: &[u32], wanted: &[vk::Format]) -> Option<vk::Format> {
    wanted
        .iter()
        .copied()
        .find(|f| offered.contains(&(f.as_raw() as u32)))
}

impl StereoSwapchains {
    /// Creates swapchains at the runtime's recommended size.
    pub fn new(
        rt: &XrRuntime,
        session: &xr::Session<xr::Vulkan>,
    ) -> Result<StereoSwapchains, XrError> {
        let views = rt
            .instance
            .enumerate_view_configuration_views(rt.system, VIEW_TYPE)
            .during("xrEnumerateViewConfigurationViews")?;
        let view = views
            .first()
            .ok_or_else(|| XrError::Unsupported("no views in PRIMARY_STEREO".into()))?;
        let extent = vk::Extent2D {
            width: view.recommended_image_rect_width,
            height: view.recommended_image_rect_height,
        };
        let offered = session
            .enumerate_swapchain_formats()
            .during("xrEnumerateSwapchainFormats")?;
        let color_format = pick(&offered, &COLOR_FORMATS).ok_or_else(|| {
            XrError::Unsupported(format!("no sRGB colour swapchain format among {offered:?}"))
        })?;
        let create = |format: vk::Format, usage: xr::SwapchainUsageFlags| {
            session.create_swapchain(&xr::SwapchainCreateInfo {
                create_flags: xr::SwapchainCreateFlags::EMPTY,
                usage_flags: usage,
                format: format.as_raw() as u32,
                sample_count: 1,
                width: extent.width,
                height: extent.height,
                face_count: 1,
                array_size: 2,
                mip_count: 1,
            })
        };
        // TRANSFER_SRC: the spectator view copies the left eye out of it.
        let color_usage =
            xr::SwapchainUsageFlags::COLOR_ATTACHMENT | xr::SwapchainUsageFlags::TRANSFER_SRC;
        let color = create(color_format, color_usage).during("xrCreateSwapchain(colour)")?;
        let color_images = images(&color)?;
        let depth_offered = pick(&offered, &DEPTH_FORMATS);
        let mut depth = None;
        let mut depth_images = Vec::new();
        if rt.enabled.khr_composition_layer_depth
            && let Some(format) = depth_offered
        {
            let d = create(format, xr::SwapchainUsageFlags::DEPTH_STENCIL_ATTACHMENT)
                .during("xrCreateSwapchain(depth)")?;
            let imgs = images(&d)?;
            // Colour and depth are acquired in lockstep; that only pairs them up
            // when both swapchains have the same number of images.
            if imgs.len() == color_images.len() {
                depth_images = imgs;
                depth = Some(d);
            } else {
                tracing::warn!(
                    colour = color_images.len(),
                    depth = imgs.len(),
                    "depth swapchain length differs; depth not submitted"
                );
            }
        }
        let depth_format = depth_offered.unwrap_or(vk::Format::D32_SFLOAT);
        tracing::info!(
            width = extent.width,
            height = extent.height,
            ?color_format,
            images = color_images.len(),
            depth_submitted = depth.is_some(),
            "swapchains created"
        );
        Ok(StereoSwapchains {
            color,
            color_images,
            color_format,
            depth,
            depth_images,
            depth_format,
            extent,
        })
    }

    /// Acquires and waits for the next colour (and depth) image; returns its index.
    pub fn acquire(&mut self) -> Result<usize, XrError> {
        let index = self
            .color
            .acquire_image()
            .during("xrAcquireSwapchainImage")? as usize;
        self.color
            .wait_image(xr::Duration::INFINITE)
            .during("xrWaitSwapchainImage")?;
        if let Some(depth) = &mut self.depth {
            let d = depth
                .acquire_image()
                .during("xrAcquireSwapchainImage(depth)")? as usize;
            depth
                .wait_image(xr::Duration::INFINITE)
                .during("xrWaitSwapchainImage(depth)")?;
            if d != index {
                return Err(XrError::Unsupported(format!(
                    "runtime handed out colour image {index} with depth image {d}"
                )));
            }
        }
        Ok(index)
    }

    /// Releases the images acquired by [`acquire`](Self::acquire).
    pub fn release(&mut self) -> Result<(), XrError> {
        self.color
            .release_image()
            .during("xrReleaseSwapchainImage")?;
        if let Some(depth) = &mut self.depth {
            depth
                .release_image()
                .during("xrReleaseSwapchainImage(depth)")?;
        }
        Ok(())
    }
}

fn images(swapchain: &xr::Swapchain<xr::Vulkan>) -> Result<Vec<vk::Image>, XrError> {
    Ok(swapchain
        .enumerate_images()
        .during("xrEnumerateSwapchainImages")?
        .into_iter()
        .map(vk::Image::from_raw)
        .collect())
}

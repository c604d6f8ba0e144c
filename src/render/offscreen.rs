//! Rendering into a 2-layer image of our own and reading both eyes back.

use std::sync::Arc;

use ash::vk;
use gpu_allocator::MemoryLocation;

use super::camera::EyeView;
use super::error::RenderError;
use super::gpu::{Gpu, GpuContext};
use super::memory::{GpuBuffer, GpuImage, submit_and_wait};
use super::stereo::StereoRenderer;
use crate::scene::Scene;

/// Colour format of offscreen targets: 8-bit sRGB, what PNG files hold.
pub const OFFSCREEN_COLOR_FORMAT: vk::Format = vk::Format::R8G8B8A8_SRGB;
/// Depth format of offscreen targets.
pub const OFFSCREEN_DEPTH_FORMAT: vk::Format = vk::Format::D32_SFLOAT;

/// Largest side accepted: 8192 px keeps a 2-layer RGBA target and its
/// readback at 512 MiB each, far below any device limit we target.
pub const MAX_OFFSCREEN_SIDE: u32 = 8192;

/// A 2-layer colour image (one layer per eye) with a host-visible buffer to
/// read it back: the offscreen stand-in for an XR swapchain image.
pub struct OffscreenTarget {
    ctx: Arc<GpuContext>,
    color: GpuImage,
    readback: GpuBuffer,
    extent: vk::Extent2D,
}

impl OffscreenTarget {
    /// Creates the image ([`OFFSCREEN_COLOR_FORMAT`]) and its readback buffer.
    pub fn new(gpu: &Gpu, extent: vk::Extent2D) -> Result<Self, RenderError> {
        if extent.width == 0
            || extent.height == 0
            || extent.width > MAX_OFFSCREEN_SIDE
            || extent.height > MAX_OFFSCREEN_SIDE
        {
            return Err(RenderError::InvalidInput(format!(
                "image size {}x{} is outside 1..={MAX_OFFSCREEN_SIDE} px per side",
                extent.width, extent.height
            )));
        }
        let ctx = gpu.ctx.clone();
        let mut color = GpuImage::new_2d_array(
            &ctx,
            "offscreen colour",
            OFFSCREEN_COLOR_FORMAT,
            extent,
            2,
            vk::ImageUsageFlags::COLOR_ATTACHMENT | vk::ImageUsageFlags::TRANSFER_SRC,
        )?;
        let readback = GpuBuffer::new(
            &ctx,
            "offscreen readback",
            layer_bytes(extent) * 2,
            vk::BufferUsageFlags::TRANSFER_DST,
            MemoryLocation::GpuToCpu,
        );
        match readback {
            Ok(readback) => Ok(OffscreenTarget {
                ctx,
                color,
                readback,
                extent,
            }),
            Err(e) => {
                color.destroy(&ctx);
                Err(e)
            }
        }
    }

    /// The image, to pass to [`StereoRenderer::set_targets`].
    pub fn image(&self) -> vk::Image {
        self.color.image
    }

    /// Copies both layers back after the frame `renderer` last submitted into
    /// this image (in COLOR_ATTACHMENT_OPTIMAL), waits, and returns left and right.
    pub fn read_back(
        &mut self,
        gpu: &Gpu,
        renderer: &StereoRenderer,
    ) -> Result<[image::RgbaImage; 2], RenderError> {
        copy_layers_to_buffer(
            gpu,
            renderer,
            self.color.image,
            self.readback.buffer,
            self.extent,
        )?;
        let bytes = self.readback.mapped_ref()?;
        let layer = layer_bytes(self.extent) as usize;
        let (w, h) = (self.extent.width, self.extent.height);
        let eye = |i: usize| {
            image::RgbaImage::from_raw(w, h, bytes[i * layer..(i + 1) * layer].to_vec())
                .ok_or_else(|| RenderError::InvalidInput("readback size mismatch".into()))
        };
        Ok([eye(0)?, eye(1)?])
    }
}

impl Drop for OffscreenTarget {
    fn drop(&mut self) {
        // SAFETY: the renderer that drew into the image waits for its frames
        // before it is dropped; wait here too in case it outlives us.
        unsafe {
            let _ = self.ctx.device.device_wait_idle();
        }
        self.readback.destroy(&self.ctx);
        self.color.destroy(&self.ctx);
    }
}

fn layer_bytes(extent: vk::Extent2D) -> u64 {
    extent.width as u64 * extent.height as u64 * 4
}

/// Renders `scene` once for both `views` at `extent` per eye with a
/// [`StereoRenderer`] and returns the left and right images.
pub fn render_offscreen(
    gpu: &Gpu,
    scene: &Scene,
    views: &[EyeView; 2],
    extent: vk::Extent2D,
) -> Result<[image::RgbaImage; 2], RenderError> {
    let mut target = OffscreenTarget::new(gpu, extent)?;
    let mut renderer =
        StereoRenderer::new(gpu, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, extent)?;
    renderer.set_targets(gpu, &[target.image()], None)?;
    let id = renderer.upload_scene(gpu, scene)?;
    renderer.render(gpu, 0, views, id)?;
    let images = target.read_back(gpu, &renderer);
    renderer.wait_idle(gpu);
    images
}

/// Copies both layers (left, then right) into `buffer`, after the frame the
/// renderer submitted (same queue, so the barrier orders against it).
fn copy_layers_to_buffer(
    gpu: &Gpu,
    renderer: &StereoRenderer,
    image: vk::Image,
    buffer: vk::Buffer,
    extent: vk::Extent2D,
) -> Result<(), RenderError> {
    let device = &gpu.ctx.device;
    let layers = vk::ImageSubresourceRange {
        aspect_mask: vk::ImageAspectFlags::COLOR,
        base_mip_level: 0,
        level_count: 1,
        base_array_layer: 0,
        layer_count: 2,
    };
    submit_and_wait(
        &gpu.ctx,
        renderer.command_pool(),
        "the offscreen readback",
        |cmd| {
            let to_transfer = vk::ImageMemoryBarrier::default()
                .src_access_mask(vk::AccessFlags::COLOR_ATTACHMENT_WRITE)
                .dst_access_mask(vk::AccessFlags::TRANSFER_READ)
                .old_layout(vk::ImageLayout::COLOR_ATTACHMENT_OPTIMAL)
                .new_layout(vk::ImageLayout::TRANSFER_SRC_OPTIMAL)
                .src_queue_family_index(vk::QUEUE_FAMILY_IGNORED)
                .dst_queue_family_index(vk::QUEUE_FAMILY_IGNORED)
                .image(image)
                .subresource_range(layers);
            let region = vk::BufferImageCopy::default()
                .buffer_offset(0)
                .image_subresource(vk::ImageSubresourceLayers {
                    aspect_mask: vk::ImageAspectFlags::COLOR,
                    mip_level: 0,
                    base_array_layer: 0,
                    layer_count: 2,
                })
                .image_extent(vk::Extent3D {
                    width: extent.width,
                    height: extent.height,
                    depth: 1,
                });
            let to_host = vk::BufferMemoryBarrier::default()
                .src_access_mask(vk::AccessFlags::TRANSFER_WRITE)
                .dst_access_mask(vk::AccessFlags::HOST_READ)
                .src_queue_family_index(vk::QUEUE_FAMILY_IGNORED)
                .dst_queue_family_index(vk::QUEUE_FAMILY_IGNORED)
                .buffer(buffer)
                .offset(0)
                .size(vk::WHOLE_SIZE);
            // SAFETY: recording; the image and buffer are alive.
            unsafe {
                device.cmd_pipeline_barrier(
                    cmd,
                    vk::PipelineStageFlags::COLOR_ATTACHMENT_OUTPUT,
                    vk::PipelineStageFlags::TRANSFER,
                    vk::DependencyFlags::empty(),
                    &[],
                    &[],
                    &[to_transfer],
                );
                device.cmd_copy_image_to_buffer(
                    cmd,
                    image,
                    vk::ImageLayout::TRANSFER_SRC_OPTIMAL,
                    buffer,
                    &[region],
                );
                device.cmd_pipeline_barrier(
                    cmd,
                    vk::PipelineStageFlags::TRANSFER,
                    vk::PipelineStageFlags::HOST,
                    vk::DependencyFlags::empty(),
                    &[],
                    &[to_host],
                    &[],
                );
            }
        },
    )
}

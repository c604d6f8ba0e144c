//! Rendering into a 2-layer image of our own and reading both eyes back.

use ash::vk;
use gpu_allocator::MemoryLocation;

use super::camera::EyeView;
use super::error::RenderError;
use super::gpu::Gpu;
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

/// Renders `scene` once for both `views` at `extent` per eye with a
/// [`StereoRenderer`] and returns the left and right images.
pub fn render_offscreen(
    gpu: &Gpu,
    scene: &Scene,
    views: &[EyeView; 2],
    extent: vk::Extent2D,
) -> Result<[image::RgbaImage; 2], RenderError> {
    if extent.width > MAX_OFFSCREEN_SIDE || extent.height > MAX_OFFSCREEN_SIDE {
        return Err(RenderError::InvalidInput(format!(
            "image size {}x{} is over the {MAX_OFFSCREEN_SIDE} px limit",
            extent.width, extent.height
        )));
    }
    let ctx = &gpu.ctx;
    let mut renderer =
        StereoRenderer::new(gpu, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, extent)?;
    let mut color = GpuImage::new_2d_array(
        ctx,
        "offscreen colour",
        OFFSCREEN_COLOR_FORMAT,
        extent,
        2,
        vk::ImageUsageFlags::COLOR_ATTACHMENT | vk::ImageUsageFlags::TRANSFER_SRC,
    )?;
    let layer_bytes = extent.width as u64 * extent.height as u64 * 4;
    let readback = GpuBuffer::new(
        ctx,
        "offscreen readback",
        layer_bytes * 2,
        vk::BufferUsageFlags::TRANSFER_DST,
        MemoryLocation::GpuToCpu,
    );
    let mut readback = match readback {
        Ok(b) => b,
        Err(e) => {
            color.destroy(ctx);
            return Err(e);
        }
    };
    let result = (|| {
        renderer.set_targets(gpu, &[color.image], None)?;
        let id = renderer.upload_scene(gpu, scene)?;
        renderer.render(gpu, 0, views, id)?;
        copy_layers_to_buffer(gpu, &renderer, color.image, readback.buffer, extent)?;
        let bytes = readback.mapped_ref()?;
        let layer = layer_bytes as usize;
        let eye = |i: usize| {
            image::RgbaImage::from_raw(
                extent.width,
                extent.height,
                bytes[i * layer..(i + 1) * layer].to_vec(),
            )
            .ok_or_else(|| RenderError::InvalidInput("readback size mismatch".into()))
        };
        Ok([eye(0)?, eye(1)?])
    })();
    renderer.wait_idle(gpu);
    drop(renderer);
    readback.destroy(ctx);
    color.destroy(ctx);
    result
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

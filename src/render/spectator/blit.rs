//! The wearer's left eye, scaled into another image: the one GPU operation
//! both spectator outputs share, recorded into their own command buffers and
//! submitted right after the stereo frame (same queue, so in order with it)
//! and before the XR swapchain image goes back to the runtime.

use ash::vk;

/// Layer 0 of a 2-layer colour image (the left eye).
pub(crate) fn left_eye() -> vk::ImageSubresourceRange {
    vk::ImageSubresourceRange {
        aspect_mask: vk::ImageAspectFlags::COLOR,
        base_mip_level: 0,
        level_count: 1,
        base_array_layer: 0,
        layer_count: 1,
    }
}

/// A single-layer colour image's whole range.
pub(crate) fn whole() -> vk::ImageSubresourceRange {
    left_eye()
}

/// One image memory barrier with both queue families ignored.
#[allow(clippy::too_many_arguments)]
pub(crate) fn barrier(
    device: &ash::Device,
    cmd: vk::CommandBuffer,
    image: vk::Image,
    range: vk::ImageSubresourceRange,
    (src_stage, src_access, old): (vk::PipelineStageFlags, vk::AccessFlags, vk::ImageLayout),
    (dst_stage, dst_access, new): (vk::PipelineStageFlags, vk::AccessFlags, vk::ImageLayout),
) {
    let b = vk::ImageMemoryBarrier::default()
        .src_access_mask(src_access)
        .dst_access_mask(dst_access)
        .old_layout(old)
        .new_layout(new)
        .src_queue_family_index(vk::QUEUE_FAMILY_IGNORED)
        .dst_queue_family_index(vk::QUEUE_FAMILY_IGNORED)
        .image(image)
        .subresource_range(range);
    // SAFETY: `cmd` is recording; the image is alive.
    unsafe {
        device.cmd_pipeline_barrier(
            cmd,
            src_stage,
            dst_stage,
            vk::DependencyFlags::empty(),
            &[],
            &[],
            &[b],
        );
    }
}

/// Scales the left eye of `eye_image` (left by the stereo pass in
/// COLOR_ATTACHMENT_OPTIMAL, and put back so for the runtime) into `dst`,
/// which must be in TRANSFER_DST_OPTIMAL. Letterboxed: the top-left
/// `eye_extent` of the eye (what the frame drew), aspect kept, centred in `dst`.
pub(crate) fn blit_left_eye(
    device: &ash::Device,
    cmd: vk::CommandBuffer,
    eye_image: vk::Image,
    eye_extent: vk::Extent2D,
    dst: vk::Image,
    dst_extent: vk::Extent2D,
) {
    let attachment = (
        vk::PipelineStageFlags::COLOR_ATTACHMENT_OUTPUT,
        vk::AccessFlags::COLOR_ATTACHMENT_WRITE,
        vk::ImageLayout::COLOR_ATTACHMENT_OPTIMAL,
    );
    let transfer_src = (
        vk::PipelineStageFlags::TRANSFER,
        vk::AccessFlags::TRANSFER_READ,
        vk::ImageLayout::TRANSFER_SRC_OPTIMAL,
    );
    barrier(device, cmd, eye_image, left_eye(), attachment, transfer_src);
    let (x0, y0, x1, y1) = letterbox(eye_extent, dst_extent);
    let region = vk::ImageBlit {
        src_subresource: layers(),
        src_offsets: [
            vk::Offset3D { x: 0, y: 0, z: 0 },
            vk::Offset3D {
                x: eye_extent.width as i32,
                y: eye_extent.height as i32,
                z: 1,
            },
        ],
        dst_subresource: layers(),
        dst_offsets: [
            vk::Offset3D { x: x0, y: y0, z: 0 },
            vk::Offset3D { x: x1, y: y1, z: 1 },
        ],
    };
    // SAFETY: recording; layouts as transitioned above and by the caller.
    unsafe {
        device.cmd_blit_image(
            cmd,
            eye_image,
            vk::ImageLayout::TRANSFER_SRC_OPTIMAL,
            dst,
            vk::ImageLayout::TRANSFER_DST_OPTIMAL,
            &[region],
            vk::Filter::LINEAR,
        );
    }
    // Back for the runtime (XR_KHR_vulkan_enable: released images are in
    // COLOR_ATTACHMENT_OPTIMAL); the next frame's pass writes it again.
    let read_done = (
        vk::PipelineStageFlags::TRANSFER,
        vk::AccessFlags::empty(),
        vk::ImageLayout::TRANSFER_SRC_OPTIMAL,
    );
    let back = (
        vk::PipelineStageFlags::COLOR_ATTACHMENT_OUTPUT,
        vk::AccessFlags::COLOR_ATTACHMENT_WRITE | vk::AccessFlags::COLOR_ATTACHMENT_READ,
        vk::ImageLayout::COLOR_ATTACHMENT_OPTIMAL,
    );
    barrier(device, cmd, eye_image, left_eye(), read_done, back);
}

fn layers() -> vk::ImageSubresourceLayers {
    vk::ImageSubresourceLayers {
        aspect_mask: vk::ImageAspectFlags::COLOR,
        mip_level: 0,
        base_array_layer: 0,
        layer_count: 1,
    }
}

/// `drawn` limited to the eye's image (each side 1 ..= the image's): the
/// source rectangle of a blit, which must lie inside the image.
pub(crate) fn within(drawn: vk::Extent2D, eye: vk::Extent2D) -> vk::Extent2D {
    vk::Extent2D {
        width: drawn.width.clamp(1, eye.width.max(1)),
        height: drawn.height.clamp(1, eye.height.max(1)),
    }
}

/// The largest rectangle of `src`'s aspect centred in `dst`: `(x0, y0, x1, y1)`.
pub(crate) fn letterbox(src: vk::Extent2D, dst: vk::Extent2D) -> (i32, i32, i32, i32) {
    let (sw, sh) = (src.width.max(1) as u64, src.height.max(1) as u64);
    let (dw, dh) = (dst.width as u64, dst.height as u64);
    let (w, h) = if dw * sh <= dh * sw {
        (dw, (dw * sh / sw).max(1))
    } else {
        ((dh * sw / sh).max(1), dh)
    };
    let (x0, y0) = ((dw - w) / 2, (dh - h) / 2);
    (x0 as i32, y0 as i32, (x0 + w) as i32, (y0 + h) as i32)
}

/// The output size for an eye of `eye` scaled to at most `max_width` wide.
pub(crate) fn scaled(eye: vk::Extent2D, max_width: u32) -> vk::Extent2D {
    if eye.width <= max_width {
        return eye;
    }
    let height = (eye.height as u64 * max_width as u64 / eye.width.max(1) as u64).max(1);
    vk::Extent2D {
        width: max_width,
        height: height as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(width: u32, height: u32) -> vk::Extent2D {
        vk::Extent2D { width, height }
    }

    #[test]
    fn letterbox_keeps_the_aspect_and_centres() {
        assert_eq!(letterbox(e(100, 100), e(200, 100)), (50, 0, 150, 100));
        assert_eq!(letterbox(e(200, 100), e(200, 200)), (0, 50, 200, 150));
        assert_eq!(letterbox(e(1832, 1920), e(1832, 1920)), (0, 0, 1832, 1920));
        assert_eq!(scaled(e(1832, 1920), 640), e(640, 670));
        assert_eq!(scaled(e(320, 200), 640), e(320, 200));
    }
}

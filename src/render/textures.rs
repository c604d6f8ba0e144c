//! Scene textures on the GPU: mip chains (made by the loader) uploaded to
//! sampled images in one staging copy, sRGB or UNORM by colour space, with
//! their glTF samplers; plus the 1x1 defaults that stand in for empty slots.

use std::sync::Arc;

use ash::vk;

use super::error::{RenderError, VkContext};
use super::gpu::GpuContext;
use super::memory::{GpuImage, ImageShape, UploadBatch};
use crate::scene::SceneTexture;
use crate::scene::gltf::{ColorSpace, Filter, MipLevel, Sampler, TextureImage, Wrap};

/// Index of the white 1x1 default among a scene's GPU textures, counted from
/// the end: scene textures come first, then white, then the flat normal.
pub(crate) const DEFAULT_WHITE_FROM_END: usize = 2;
/// Index of the flat-normal default, counted from the end.
pub(crate) const DEFAULT_NORMAL_FROM_END: usize = 1;

/// A sampled image, its view and its sampler.
pub(crate) struct GpuTexture {
    image: GpuImage,
    pub(crate) view: vk::ImageView,
    pub(crate) sampler: vk::Sampler,
}

impl GpuTexture {
    pub(crate) fn bytes(&self) -> u64 {
        self.image.bytes()
    }

    pub(crate) fn destroy(&mut self, ctx: &GpuContext) {
        // SAFETY: the caller guarantees no frame uses the texture any more;
        // null handles (from a failed creation) are ignored.
        unsafe {
            ctx.device.destroy_sampler(self.sampler, None);
            ctx.device.destroy_image_view(self.view, None);
        }
        self.image.destroy(ctx);
    }
}

fn one_texel(rgba: [u8; 4]) -> TextureImage {
    TextureImage {
        name: None,
        color_space: ColorSpace::Linear,
        levels: vec![MipLevel {
            width: 1,
            height: 1,
            rgba: rgba.to_vec(),
        }],
        placeholder: false,
    }
}

/// Checks that every level has the size a mip chain must have and the bytes
/// it claims, so the copy never reads past the staging data.
fn check_image(index: usize, image: &TextureImage, max_side: u32) -> Result<u64, RenderError> {
    let bad = |what: String| RenderError::InvalidInput(format!("scene texture {index}: {what}"));
    let first = image
        .levels
        .first()
        .ok_or_else(|| bad("has no mip levels".into()))?;
    if first.width == 0 || first.height == 0 || first.width.max(first.height) > max_side {
        return Err(bad(format!(
            "{}x{} is outside 1..={max_side} px per side",
            first.width, first.height
        )));
    }
    if image.levels.len() > 32 {
        return Err(bad("has more than 32 mip levels".into()));
    }
    let mut bytes = 0u64;
    for (i, level) in image.levels.iter().enumerate() {
        let (w, h) = ((first.width >> i).max(1), (first.height >> i).max(1));
        if (level.width, level.height) != (w, h) || level.rgba.len() as u64 != u64::from(w * h) * 4
        {
            return Err(bad(format!(
                "mip level {i} is {}x{} with {} bytes, expected {w}x{h} RGBA8",
                level.width,
                level.height,
                level.rgba.len()
            )));
        }
        bytes += level.rgba.len() as u64;
    }
    Ok(bytes)
}

fn address_mode(wrap: Wrap) -> vk::SamplerAddressMode {
    match wrap {
        Wrap::Repeat => vk::SamplerAddressMode::REPEAT,
        Wrap::MirroredRepeat => vk::SamplerAddressMode::MIRRORED_REPEAT,
        Wrap::ClampToEdge => vk::SamplerAddressMode::CLAMP_TO_EDGE,
    }
}

fn filter(f: Filter) -> vk::Filter {
    match f {
        Filter::Nearest => vk::Filter::NEAREST,
        Filter::Linear => vk::Filter::LINEAR,
    }
}

fn create_sampler(
    ctx: &GpuContext,
    sampler: &Sampler,
    levels: u32,
) -> Result<vk::Sampler, RenderError> {
    // Without a mipmap filter glTF samples level 0 only: clamp the LOD there.
    let (mipmap_mode, max_lod) = match sampler.mipmap_filter {
        Some(Filter::Nearest) => (vk::SamplerMipmapMode::NEAREST, levels as f32),
        Some(Filter::Linear) => (vk::SamplerMipmapMode::LINEAR, levels as f32),
        None => (vk::SamplerMipmapMode::NEAREST, 0.0),
    };
    // Anisotropy only where the file asks for smooth minification across
    // mips: a nearest or unmipmapped sampler is a deliberate pixel look.
    let anisotropy = ctx
        .max_anisotropy
        .filter(|_| sampler.min_filter == Filter::Linear && sampler.mipmap_filter.is_some());
    let info = vk::SamplerCreateInfo::default()
        .mag_filter(filter(sampler.mag_filter))
        .min_filter(filter(sampler.min_filter))
        .mipmap_mode(mipmap_mode)
        .address_mode_u(address_mode(sampler.wrap_s))
        .address_mode_v(address_mode(sampler.wrap_t))
        .address_mode_w(vk::SamplerAddressMode::REPEAT)
        .anisotropy_enable(anisotropy.is_some())
        .max_anisotropy(anisotropy.unwrap_or(1.0))
        .min_lod(0.0)
        .max_lod(max_lod);
    // SAFETY: valid create info; anisotropy is on only when the feature was enabled.
    unsafe { ctx.device.create_sampler(&info, None) }.vk("vkCreateSampler")
}

/// Creates `textures` followed by the white and flat-normal defaults, and
/// records their copies from one staging buffer into `batch`.
pub(crate) fn upload_textures(
    ctx: &Arc<GpuContext>,
    batch: &mut UploadBatch,
    textures: &[SceneTexture],
) -> Result<Vec<GpuTexture>, RenderError> {
    let defaults = [one_texel([255; 4]), one_texel([128, 128, 255, 255])];
    let default_sampler = Sampler::default();
    let all: Vec<(&TextureImage, &Sampler)> = textures
        .iter()
        .map(|t| (&*t.image, &t.sampler))
        .chain(defaults.iter().map(|d| (d, &default_sampler)))
        .collect();
    let mut total = 0u64;
    for (i, (image, _)) in all.iter().enumerate() {
        total += check_image(i, image, ctx.max_image_side)?;
    }
    let mut out: Vec<GpuTexture> = Vec::with_capacity(all.len());
    let result = create_and_copy(ctx, batch, &all, total, &mut out);
    if let Err(e) = result {
        for t in &mut out {
            t.destroy(ctx);
        }
        return Err(e);
    }
    Ok(out)
}

fn create_and_copy(
    ctx: &Arc<GpuContext>,
    batch: &mut UploadBatch,
    all: &[(&TextureImage, &Sampler)],
    total: u64,
    out: &mut Vec<GpuTexture>,
) -> Result<(), RenderError> {
    let cmd = batch.cmd();
    let staging = batch.stage("texture staging", total)?;
    let src = staging.buffer;
    let mapped = staging.mapped()?;
    let mut offset = 0usize;
    // Per image: its handle, level count, and (buffer offset, size) per level.
    let mut copies: Vec<(vk::Image, Vec<vk::BufferImageCopy>)> = Vec::with_capacity(all.len());
    for (image, sampler) in all {
        let first = &image.levels[0];
        let levels = image.levels.len() as u32;
        let format = match image.color_space {
            ColorSpace::Srgb => vk::Format::R8G8B8A8_SRGB,
            ColorSpace::Linear => vk::Format::R8G8B8A8_UNORM,
        };
        let gpu_image = GpuImage::new(
            ctx,
            "scene texture",
            ImageShape {
                format,
                extent: vk::Extent2D {
                    width: first.width,
                    height: first.height,
                },
                layers: 1,
                mip_levels: levels,
                samples: vk::SampleCountFlags::TYPE_1,
            },
            vk::ImageUsageFlags::SAMPLED | vk::ImageUsageFlags::TRANSFER_DST,
        )?;
        let handle = gpu_image.image;
        out.push(GpuTexture {
            image: gpu_image,
            view: vk::ImageView::null(),
            sampler: vk::Sampler::null(),
        });
        let texture = out.last_mut().expect("pushed above");
        let view_info = vk::ImageViewCreateInfo::default()
            .image(handle)
            .view_type(vk::ImageViewType::TYPE_2D)
            .format(format)
            .subresource_range(color_range(levels));
        // SAFETY: the image is alive and of this format.
        texture.view =
            unsafe { ctx.device.create_image_view(&view_info, None) }.vk("vkCreateImageView")?;
        texture.sampler = create_sampler(ctx, sampler, levels)?;
        let mut regions = Vec::with_capacity(image.levels.len());
        for (mip, level) in image.levels.iter().enumerate() {
            mapped[offset..offset + level.rgba.len()].copy_from_slice(&level.rgba);
            regions.push(
                vk::BufferImageCopy::default()
                    .buffer_offset(offset as u64)
                    .image_subresource(vk::ImageSubresourceLayers {
                        aspect_mask: vk::ImageAspectFlags::COLOR,
                        mip_level: mip as u32,
                        base_array_layer: 0,
                        layer_count: 1,
                    })
                    .image_extent(vk::Extent3D {
                        width: level.width,
                        height: level.height,
                        depth: 1,
                    }),
            );
            offset += level.rgba.len();
        }
        copies.push((handle, regions));
    }
    let device = &ctx.device;
    for (image, regions) in &copies {
        let range = color_range(regions.len() as u32);
        let to_transfer = vk::ImageMemoryBarrier::default()
            .src_access_mask(vk::AccessFlags::empty())
            .dst_access_mask(vk::AccessFlags::TRANSFER_WRITE)
            .old_layout(vk::ImageLayout::UNDEFINED)
            .new_layout(vk::ImageLayout::TRANSFER_DST_OPTIMAL)
            .src_queue_family_index(vk::QUEUE_FAMILY_IGNORED)
            .dst_queue_family_index(vk::QUEUE_FAMILY_IGNORED)
            .image(*image)
            .subresource_range(range);
        // The second scope reaches every later submission on the queue:
        // the frames that sample the texture.
        let to_shader = vk::ImageMemoryBarrier::default()
            .src_access_mask(vk::AccessFlags::TRANSFER_WRITE)
            .dst_access_mask(vk::AccessFlags::SHADER_READ)
            .old_layout(vk::ImageLayout::TRANSFER_DST_OPTIMAL)
            .new_layout(vk::ImageLayout::SHADER_READ_ONLY_OPTIMAL)
            .src_queue_family_index(vk::QUEUE_FAMILY_IGNORED)
            .dst_queue_family_index(vk::QUEUE_FAMILY_IGNORED)
            .image(*image)
            .subresource_range(range);
        // SAFETY: the batch is recording; the image and staging buffer are
        // alive until the batch is done.
        unsafe {
            device.cmd_pipeline_barrier(
                cmd,
                vk::PipelineStageFlags::TOP_OF_PIPE,
                vk::PipelineStageFlags::TRANSFER,
                vk::DependencyFlags::empty(),
                &[],
                &[],
                &[to_transfer],
            );
            device.cmd_copy_buffer_to_image(
                cmd,
                src,
                *image,
                vk::ImageLayout::TRANSFER_DST_OPTIMAL,
                regions,
            );
            device.cmd_pipeline_barrier(
                cmd,
                vk::PipelineStageFlags::TRANSFER,
                vk::PipelineStageFlags::FRAGMENT_SHADER,
                vk::DependencyFlags::empty(),
                &[],
                &[],
                &[to_shader],
            );
        }
    }
    Ok(())
}

fn color_range(levels: u32) -> vk::ImageSubresourceRange {
    vk::ImageSubresourceRange {
        aspect_mask: vk::ImageAspectFlags::COLOR,
        base_mip_level: 0,
        level_count: levels,
        base_array_layer: 0,
        layer_count: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mip_chains_are_checked_before_upload() {
        let image = crate::scene::gltf::TextureImage {
            levels: crate::scene::gltf::mip_chain(
                MipLevel {
                    width: 4,
                    height: 2,
                    rgba: vec![0; 32],
                },
                ColorSpace::Srgb,
            ),
            ..one_texel([0; 4])
        };
        assert_eq!(
            check_image(0, &image, 16).expect("a valid chain"),
            32 + 8 + 4
        );
        assert!(
            check_image(0, &image, 2).is_err(),
            "wider than the device allows"
        );
        let mut short = image.clone();
        short.levels[1].rgba.pop();
        let e = check_image(3, &short, 16).expect_err("short level");
        assert!(
            e.to_string().contains("scene texture 3: mip level 1"),
            "{e}"
        );
        let mut empty = image;
        empty.levels.clear();
        assert!(check_image(0, &empty, 16).is_err());
    }
}

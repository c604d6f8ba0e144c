//! A tiny target each newly staged scene is drawn into once, as part of its
//! upload, so that the frame that first shows the scene costs a normal frame.
//!
//! Lavapipe (llvmpipe) JIT-compiles a fragment shader variant per pipeline,
//! sampler and texture-format state the first time a draw uses it; that
//! happened on the switch frame (the new option's materials were never drawn
//! before). Drawing every draw of the scene here, through the same pipelines,
//! material sets and pass as a frame, moves that cost into the upload
//! submission, which runs between frames while the previous option is shown.
//! Drivers that compile at pipeline creation pay only a few draws into 4x4
//! pixels.

use std::sync::Arc;

use ash::vk;
use glam::Vec3;
use gpu_allocator::MemoryLocation;

use super::camera::{EyeView, Fov, FrameUniforms};
use super::error::{RenderError, VkContext};
use super::gpu::GpuContext;
use super::memory::{GpuBuffer, GpuImage, UploadBatch};
use super::pipeline::PipelineKind;
use super::stereo::{GpuScene, PassTargets, record_pass};

/// Side of the warm-up target in pixels: the variants do not depend on it.
pub(crate) const WARM_SIDE: u32 = 4;
/// Draws per warm-up step: each may compile a variant (tens of ms on a
/// loaded 2-core host), and one step runs between two frames.
const WARM_DRAWS_PER_STEP: usize = 4;

/// What a warm-up draw needs: the renderer's pass, pipelines and layouts
/// (read only; they outlive every batch, as the renderer ends its worker and
/// waits for its uploads before destroying them), and a target of its own.
pub(crate) struct WarmTarget {
    ctx: Arc<GpuContext>,
    pub(crate) render_pass: vk::RenderPass,
    pub(crate) pipelines: [vk::Pipeline; PipelineKind::COUNT],
    pub(crate) layout: vk::PipelineLayout,
    /// One per pass: one in multiview mode, one per eye otherwise.
    pub(crate) framebuffers: Vec<vk::Framebuffer>,
    pub(crate) views: Vec<vk::ImageView>,
    pub(crate) images: Vec<GpuImage>,
    uniforms: GpuBuffer,
    pool: vk::DescriptorPool,
    set: vk::DescriptorSet,
}

impl WarmTarget {
    /// A target around `color` (a 2-layer image of [`WARM_SIDE`] pixels)
    /// whose views, framebuffers and depth were made by the renderer, with a
    /// frame-uniform set of `set_layout` that never changes.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        ctx: &Arc<GpuContext>,
        render_pass: vk::RenderPass,
        pipelines: [vk::Pipeline; PipelineKind::COUNT],
        layout: vk::PipelineLayout,
        set_layout: vk::DescriptorSetLayout,
        framebuffers: Vec<vk::Framebuffer>,
        views: Vec<vk::ImageView>,
        images: Vec<GpuImage>,
    ) -> Result<Self, RenderError> {
        let uniforms = GpuBuffer::new(
            ctx,
            "warm-up uniforms",
            size_of::<FrameUniforms>() as u64,
            vk::BufferUsageFlags::UNIFORM_BUFFER,
            MemoryLocation::CpuToGpu,
        );
        let uniforms = match uniforms {
            Ok(u) => u,
            Err(e) => {
                let mut images = images;
                destroy_parts(ctx, &framebuffers, &views, &mut images);
                return Err(e);
            }
        };
        // From here on, dropping `me` destroys everything.
        let mut me = WarmTarget {
            ctx: Arc::clone(ctx),
            render_pass,
            pipelines,
            layout,
            framebuffers,
            views,
            images,
            uniforms,
            pool: vk::DescriptorPool::null(),
            set: vk::DescriptorSet::null(),
        };
        me.write_set(set_layout)?;
        Ok(me)
    }

    fn write_set(&mut self, set_layout: vk::DescriptorSetLayout) -> Result<(), RenderError> {
        let device = &self.ctx.device;
        // Written once: batches may read it while the next one is recorded.
        let mut uniforms: FrameUniforms = bytemuck::Zeroable::zeroed();
        let eyes = EyeView::stereo_pair(Vec3::new(0.0, 1.6, 0.0), 0.0, 0.063, Fov::symmetric(90.0));
        uniforms.set_views(&eyes);
        self.uniforms.mapped()?[..size_of::<FrameUniforms>()]
            .copy_from_slice(bytemuck::bytes_of(&uniforms));
        let sizes = [vk::DescriptorPoolSize::default()
            .ty(vk::DescriptorType::UNIFORM_BUFFER)
            .descriptor_count(1)];
        let info = vk::DescriptorPoolCreateInfo::default()
            .max_sets(1)
            .pool_sizes(&sizes);
        // SAFETY: valid create infos on a live device.
        self.pool =
            unsafe { device.create_descriptor_pool(&info, None) }.vk("vkCreateDescriptorPool")?;
        let layouts = [set_layout];
        let alloc = vk::DescriptorSetAllocateInfo::default()
            .descriptor_pool(self.pool)
            .set_layouts(&layouts);
        // SAFETY: the pool was sized for this set.
        self.set =
            unsafe { device.allocate_descriptor_sets(&alloc) }.vk("vkAllocateDescriptorSets")?[0];
        let buffer = [vk::DescriptorBufferInfo::default()
            .buffer(self.uniforms.buffer)
            .offset(0)
            .range(size_of::<FrameUniforms>() as u64)];
        let write = vk::WriteDescriptorSet::default()
            .dst_set(self.set)
            .dst_binding(0)
            .descriptor_type(vk::DescriptorType::UNIFORM_BUFFER)
            .buffer_info(&buffer);
        // SAFETY: the set and buffer are alive.
        unsafe { device.update_descriptor_sets(&[write], &[]) };
        Ok(())
    }

    /// Records every draw of `scene` (uploaded by the batch's first step)
    /// into the target, through the frame's own pass recording, a few draws
    /// per further step of `batch`: the compiles of one step land between
    /// two frames, not all in one.
    pub(crate) fn record(
        &self,
        batch: &mut UploadBatch,
        scene: &mut GpuScene,
    ) -> Result<(), RenderError> {
        let opaque = scene.draws.opaque.len() as u32;
        let blend = scene.draws.blend.len() as u32;
        let mut blend_order: Vec<(f32, u32)> = Vec::with_capacity(WARM_DRAWS_PER_STEP);
        // Draw indices over both lists: opaque ones first, then blended.
        let mut first = 0;
        while first < opaque + blend {
            let last = (first + WARM_DRAWS_PER_STEP as u32).min(opaque + blend);
            scene.draws.opaque_order.clear();
            scene
                .draws
                .opaque_order
                .extend((first..last.min(opaque)).map(|i| (0.0, i)));
            blend_order.clear();
            blend_order.extend((first.max(opaque)..last).map(|i| (0.0, i - opaque)));
            let cmd = batch.add_step()?;
            self.record_step(cmd, scene, &blend_order);
            first = last;
        }
        // The next frame sorts its own.
        scene.draws.opaque_order.clear();
        Ok(())
    }

    fn record_step(&self, cmd: vk::CommandBuffer, scene: &GpuScene, blend_order: &[(f32, u32)]) {
        let device = &self.ctx.device;
        for (eye, &framebuffer) in self.framebuffers.iter().enumerate() {
            record_pass(
                device,
                cmd,
                &PassTargets {
                    render_pass: self.render_pass,
                    framebuffer,
                    extent: vk::Extent2D {
                        width: WARM_SIDE,
                        height: WARM_SIDE,
                    },
                },
                &self.pipelines,
                self.layout,
                self.set,
                scene,
                blend_order,
                eye as u32,
            );
            // SAFETY: the pass begun by `record_pass` is open on `cmd`.
            unsafe { device.cmd_end_render_pass(cmd) };
        }
    }
}

impl Drop for WarmTarget {
    fn drop(&mut self) {
        // SAFETY: the renderer drops it after its worker ended and its
        // uploads finished; null handles are ignored.
        unsafe { self.ctx.device.destroy_descriptor_pool(self.pool, None) };
        self.uniforms.destroy(&self.ctx);
        destroy_parts(&self.ctx, &self.framebuffers, &self.views, &mut self.images);
    }
}

fn destroy_parts(
    ctx: &GpuContext,
    framebuffers: &[vk::Framebuffer],
    views: &[vk::ImageView],
    images: &mut [GpuImage],
) {
    // SAFETY: no batch that drew into them is in flight (see the callers).
    unsafe {
        for &f in framebuffers {
            ctx.device.destroy_framebuffer(f, None);
        }
        for &v in views {
            ctx.device.destroy_image_view(v, None);
        }
    }
    for image in images {
        image.destroy(ctx);
    }
}

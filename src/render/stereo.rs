//! The stereo renderer: both eyes in one multiview pass, two frames in flight,
//! into 2-layer images owned by someone else (XR swapchains, offscreen targets).

use std::sync::Arc;

use ash::vk;
use gpu_allocator::MemoryLocation;

use super::camera::{EyeView, FAR, FrameUniforms, NEAR};
use super::culling::EyePairFrustum;
use super::draw_list::{DrawList, back_to_front, front_to_back};
use super::error::{RenderError, VkContext};
use super::fade::FadeRenderer;
use super::gpu::{Gpu, GpuContext};
use super::materials::GpuMaterials;
use super::memory::{GpuBuffer, GpuImage, ImageShape, UploadBatch, wait_fence};
use super::overlay::OverlayRenderer;
use super::pipeline::{self, PipelineKind};
use super::shadow::{ShadowMap, ShadowPass};
use super::timing::{FrameCounts, FrameTimer};
use super::upload::{SceneLoader, SceneStager, SceneWorker, StagedScene};
use super::warm::{WARM_SIDE, WarmTarget};
use crate::scene::Scene;

/// Frames the CPU may record ahead of the GPU.
pub(crate) const FRAMES_IN_FLIGHT: usize = 2;

/// A scene uploaded with [`StereoRenderer::upload_scene`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SceneId(usize);

pub(crate) struct GpuScene {
    pub(crate) vertices: GpuBuffer,
    pub(crate) indices: GpuBuffer,
    pub(crate) shadow: ShadowMap,
    pub(crate) materials: GpuMaterials,
    pub(crate) draws: DrawList,
    pub(crate) uniforms: FrameUniforms,
}

impl GpuScene {
    /// Bytes of GPU memory the scene holds.
    pub(crate) fn bytes(&self) -> u64 {
        self.vertices.bytes() + self.indices.bytes() + self.shadow.bytes() + self.materials.bytes()
    }

    pub(crate) fn destroy(&mut self, ctx: &GpuContext) {
        self.vertices.destroy(ctx);
        self.indices.destroy(ctx);
        self.materials.destroy(ctx);
        self.shadow.destroy(ctx);
    }
}

/// Where one [`SceneId`] stands.
enum SceneSlot {
    /// Unused; the next upload takes it.
    Free,
    /// Submitted; drawable once the batch is done.
    Uploading(GpuScene, UploadBatch),
    /// Drawable.
    Ready(GpuScene),
    /// Released: destroyed once every frame numbered below this one is finished.
    Retired(GpuScene, u64),
}

struct FrameSlot {
    command_buffer: vk::CommandBuffer,
    fence: vk::Fence,
    uniforms: GpuBuffer,
    descriptor_set: vk::DescriptorSet,
}

/// Views and framebuffers of one target image: one 2-layer pair and one
/// framebuffer in multiview mode, or one per eye in per-eye mode.
struct Target {
    views: Vec<vk::ImageView>,
    framebuffers: Vec<vk::Framebuffer>,
    own_depth: Option<GpuImage>,
}

/// Draws a [`Scene`] for two eyes at once into 2-layer colour and depth images.
pub struct StereoRenderer {
    ctx: Arc<GpuContext>,
    color_format: vk::Format,
    depth_format: vk::Format,
    extent: vk::Extent2D,
    /// The part of each eye drawn (from the top-left corner): dynamic
    /// resolution draws less than `extent` when frames run late.
    render_extent: vk::Extent2D,
    render_pass: vk::RenderPass,
    /// Eyes drawn per render pass: 2 (multiview), or 1 (per-eye workaround).
    views_per_pass: u32,
    /// Samples per pixel: 4 (MSAA, resolved into the targets) or 1.
    samples: vk::SampleCountFlags,
    /// The multisampled colour and depth images (2 layers) that 4x MSAA
    /// draws into, shared by every target: frames run one after another on
    /// the queue, and the pass's external dependency orders their writes.
    msaa: Option<[GpuImage; 2]>,
    set_layout: vk::DescriptorSetLayout,
    material_set_layout: vk::DescriptorSetLayout,
    pipeline_layout: vk::PipelineLayout,
    /// One per [`PipelineKind`], in [`PipelineKind::index`] order.
    pipelines: [vk::Pipeline; PipelineKind::COUNT],
    /// Draws each uploaded scene's sun shadow map (shared with the scene worker).
    shadow_pass: Option<Arc<ShadowPass>>,
    descriptor_pool: vk::DescriptorPool,
    command_pool: vk::CommandPool,
    frames: Vec<FrameSlot>,
    frame_number: u64,
    targets: Vec<Target>,
    scenes: Vec<SceneSlot>,
    /// Loads and stages scenes off the frame thread, once started.
    worker: Option<SceneWorker>,
    /// Where the worker draws each new scene once (see [`WarmTarget`]).
    warm: Option<Arc<WarmTarget>>,
    /// Blended draws of the frame being recorded, far to near; sized at upload.
    blend_order: Vec<(f32, u32)>,
    /// Timestamp queries, once [`StereoRenderer::enable_gpu_timing`] ran.
    timer: Option<FrameTimer>,
    /// What the last recorded frame drew.
    counts: FrameCounts,
}

impl StereoRenderer {
    /// Creates the pass and pipelines for images of these formats and size,
    /// with 4x MSAA where the device supports it (1x otherwise).
    pub fn new(
        gpu: &Gpu,
        color_format: vk::Format,
        depth_format: vk::Format,
        extent: vk::Extent2D,
    ) -> Result<Self, RenderError> {
        Self::with_samples(gpu, color_format, depth_format, extent, 4)
    }

    /// Like [`StereoRenderer::new`] with `samples` per pixel: 1, or 4 (which
    /// falls back to 1 with a log line where the device cannot resolve it).
    pub fn with_samples(
        gpu: &Gpu,
        color_format: vk::Format,
        depth_format: vk::Format,
        extent: vk::Extent2D,
        samples: u32,
    ) -> Result<Self, RenderError> {
        let samples = match samples {
            1 => vk::SampleCountFlags::TYPE_1,
            // Lavapipe 22.3, the one driver with per-eye passes, leaves a
            // resolve attachment whose view starts at layer 1 untouched (the
            // right eye came out all zero, measured), so it draws 1x.
            4 if gpu.per_eye_passes() => {
                tracing::info!(
                    "one eye per pass: drawing 1x, as this driver's resolves miss layer 1"
                );
                vk::SampleCountFlags::TYPE_1
            }
            4 if gpu.ctx.msaa4 => vk::SampleCountFlags::TYPE_4,
            4 => {
                tracing::info!(
                    "the device cannot resolve 4x multisampled colour and depth; drawing 1x"
                );
                vk::SampleCountFlags::TYPE_1
            }
            other => {
                return Err(RenderError::InvalidInput(format!(
                    "{other} samples per pixel: choose 1 or 4"
                )));
            }
        };
        if extent.width == 0 || extent.height == 0 {
            return Err(RenderError::InvalidInput(format!(
                "image size {}x{} has a zero side",
                extent.width, extent.height
            )));
        }
        let ctx = gpu.ctx.clone();
        let mut me = StereoRenderer {
            ctx,
            color_format,
            depth_format,
            extent,
            render_extent: extent,
            render_pass: vk::RenderPass::null(),
            views_per_pass: if gpu.per_eye_passes() { 1 } else { 2 },
            samples,
            msaa: None,
            set_layout: vk::DescriptorSetLayout::null(),
            material_set_layout: vk::DescriptorSetLayout::null(),
            pipeline_layout: vk::PipelineLayout::null(),
            pipelines: [vk::Pipeline::null(); PipelineKind::COUNT],
            shadow_pass: None,
            descriptor_pool: vk::DescriptorPool::null(),
            command_pool: vk::CommandPool::null(),
            frames: Vec::new(),
            frame_number: 0,
            targets: Vec::new(),
            scenes: Vec::new(),
            worker: None,
            warm: None,
            blend_order: Vec::new(),
            timer: None,
            counts: FrameCounts::default(),
        };
        // On error, `me` drops and destroys whatever was created so far.
        me.create_objects()?;
        Ok(me)
    }

    fn create_objects(&mut self) -> Result<(), RenderError> {
        let device = &self.ctx.device;
        let view_mask = if self.views_per_pass == 2 {
            pipeline::VIEW_MASK
        } else {
            pipeline::SINGLE_VIEW_MASK
        };
        self.render_pass = if self.samples == vk::SampleCountFlags::TYPE_1 {
            pipeline::create_render_pass(device, self.color_format, self.depth_format, view_mask)?
        } else {
            let shape = |format| ImageShape {
                format,
                extent: self.extent,
                layers: 2,
                mip_levels: 1,
                samples: self.samples,
            };
            // Transient: on tiled GPUs the samples never leave tile memory.
            let usage = vk::ImageUsageFlags::TRANSIENT_ATTACHMENT;
            let color = GpuImage::new(
                &self.ctx,
                "multisampled colour",
                shape(self.color_format),
                usage | vk::ImageUsageFlags::COLOR_ATTACHMENT,
            )?;
            let depth = GpuImage::new(
                &self.ctx,
                "multisampled depth",
                shape(self.depth_format),
                usage | vk::ImageUsageFlags::DEPTH_STENCIL_ATTACHMENT,
            );
            let depth = match depth {
                Ok(d) => d,
                Err(e) => {
                    let mut color = color;
                    color.destroy(&self.ctx);
                    return Err(e);
                }
            };
            self.msaa = Some([color, depth]);
            pipeline::create_msaa_render_pass(
                &self.ctx,
                self.color_format,
                self.depth_format,
                view_mask,
            )?
        };
        self.set_layout = pipeline::create_set_layout(device)?;
        self.material_set_layout = pipeline::create_material_set_layout(device)?;
        self.pipeline_layout =
            pipeline::create_pipeline_layout(device, self.set_layout, self.material_set_layout)?;
        for kind in PipelineKind::all() {
            self.pipelines[kind.index()] = pipeline::create_pipeline(
                device,
                self.render_pass,
                self.pipeline_layout,
                kind,
                self.samples,
            )?;
        }
        self.shadow_pass = Some(Arc::new(ShadowPass::new(&self.ctx)?));
        let pool_sizes = [vk::DescriptorPoolSize::default()
            .ty(vk::DescriptorType::UNIFORM_BUFFER)
            .descriptor_count(FRAMES_IN_FLIGHT as u32)];
        let pool_info = vk::DescriptorPoolCreateInfo::default()
            .max_sets(FRAMES_IN_FLIGHT as u32)
            .pool_sizes(&pool_sizes);
        // SAFETY: valid create infos on a live device, here and below.
        self.descriptor_pool = unsafe { device.create_descriptor_pool(&pool_info, None) }
            .vk("vkCreateDescriptorPool")?;
        let command_info = vk::CommandPoolCreateInfo::default()
            .queue_family_index(self.ctx.queue_family_index)
            .flags(vk::CommandPoolCreateFlags::RESET_COMMAND_BUFFER);
        self.command_pool =
            unsafe { device.create_command_pool(&command_info, None) }.vk("vkCreateCommandPool")?;
        let layouts = [self.set_layout; FRAMES_IN_FLIGHT];
        let set_info = vk::DescriptorSetAllocateInfo::default()
            .descriptor_pool(self.descriptor_pool)
            .set_layouts(&layouts);
        let sets =
            unsafe { device.allocate_descriptor_sets(&set_info) }.vk("vkAllocateDescriptorSets")?;
        let cmd_info = vk::CommandBufferAllocateInfo::default()
            .command_pool(self.command_pool)
            .level(vk::CommandBufferLevel::PRIMARY)
            .command_buffer_count(FRAMES_IN_FLIGHT as u32);
        let cmds =
            unsafe { device.allocate_command_buffers(&cmd_info) }.vk("vkAllocateCommandBuffers")?;
        for (set, cmd) in sets.into_iter().zip(cmds) {
            let uniforms = GpuBuffer::new(
                &self.ctx,
                "frame uniforms",
                size_of::<FrameUniforms>() as u64,
                vk::BufferUsageFlags::UNIFORM_BUFFER,
                MemoryLocation::CpuToGpu,
            )?;
            // Signalled, so the first wait on each slot returns at once.
            let fence_info = vk::FenceCreateInfo::default().flags(vk::FenceCreateFlags::SIGNALED);
            let fence = match unsafe { device.create_fence(&fence_info, None) } {
                Ok(f) => f,
                Err(result) => {
                    let mut uniforms = uniforms;
                    uniforms.destroy(&self.ctx);
                    return Err(RenderError::Vulkan {
                        call: "vkCreateFence",
                        result,
                    });
                }
            };
            let buffer_info = [vk::DescriptorBufferInfo::default()
                .buffer(uniforms.buffer)
                .offset(0)
                .range(size_of::<FrameUniforms>() as u64)];
            let write = vk::WriteDescriptorSet::default()
                .dst_set(set)
                .dst_binding(0)
                .descriptor_type(vk::DescriptorType::UNIFORM_BUFFER)
                .buffer_info(&buffer_info);
            unsafe { device.update_descriptor_sets(&[write], &[]) };
            self.frames.push(FrameSlot {
                command_buffer: cmd,
                fence,
                uniforms,
                descriptor_set: set,
            });
        }
        Ok(())
    }

    /// Uses `color` (and `depth`, or depth images of its own when `None`) as
    /// the render targets; each is a 2-layer array image of the formats and
    /// size given to [`StereoRenderer::new`], with colour-attachment usage
    /// (and depth-attachment usage for depth). Replaces earlier targets.
    pub fn set_targets(
        &mut self,
        gpu: &Gpu,
        color: &[vk::Image],
        depth: Option<&[vk::Image]>,
    ) -> Result<(), RenderError> {
        let _ = gpu;
        if let Some(depth) = depth
            && depth.len() != color.len()
        {
            return Err(RenderError::InvalidInput(format!(
                "{} colour images but {} depth images",
                color.len(),
                depth.len()
            )));
        }
        self.wait_frames()?;
        self.destroy_targets();
        for (i, &image) in color.iter().enumerate() {
            let target = self.create_target(image, depth.map(|d| d[i]), self.extent);
            match target {
                Ok(t) => self.targets.push(t),
                Err(e) => {
                    self.destroy_targets();
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Views and framebuffers of `extent` (at most the renderer's) around
    /// `color`, and `depth` or a depth image of its own.
    fn create_target(
        &self,
        color: vk::Image,
        depth: Option<vk::Image>,
        extent: vk::Extent2D,
    ) -> Result<Target, RenderError> {
        let mut own_depth = match depth {
            Some(_) => None,
            None => Some(GpuImage::new_2d_array(
                &self.ctx,
                "depth target",
                self.depth_format,
                extent,
                2,
                vk::ImageUsageFlags::DEPTH_STENCIL_ATTACHMENT,
            )?),
        };
        let depth_image = match (&own_depth, depth) {
            (Some(own), _) => own.image,
            (None, Some(d)) => d,
            (None, None) => unreachable!("own depth is created when none is given"),
        };
        let mut target = Target {
            views: Vec::new(),
            framebuffers: Vec::new(),
            own_depth: own_depth.take(),
        };
        let per_pass = self.views_per_pass;
        let result = (|| {
            for first_layer in (0..2).step_by(per_pass as usize) {
                let color_view = self.layer_view(
                    color,
                    self.color_format,
                    vk::ImageAspectFlags::COLOR,
                    first_layer,
                    per_pass,
                )?;
                target.views.push(color_view);
                let depth_view = self.layer_view(
                    depth_image,
                    self.depth_format,
                    vk::ImageAspectFlags::DEPTH,
                    first_layer,
                    per_pass,
                )?;
                target.views.push(depth_view);
                let mut attachments = vec![color_view, depth_view];
                if let Some([msaa_color, msaa_depth]) = &self.msaa {
                    let color_samples = self.layer_view(
                        msaa_color.image,
                        self.color_format,
                        vk::ImageAspectFlags::COLOR,
                        first_layer,
                        per_pass,
                    )?;
                    target.views.push(color_samples);
                    let depth_samples = self.layer_view(
                        msaa_depth.image,
                        self.depth_format,
                        vk::ImageAspectFlags::DEPTH,
                        first_layer,
                        per_pass,
                    )?;
                    target.views.push(depth_samples);
                    // The MSAA pass draws into the samples and resolves into the target.
                    attachments = vec![color_samples, depth_samples, color_view, depth_view];
                }
                // Multiview framebuffers have one layer; the view mask picks layers.
                let info = vk::FramebufferCreateInfo::default()
                    .render_pass(self.render_pass)
                    .attachments(&attachments)
                    .width(extent.width)
                    .height(extent.height)
                    .layers(1);
                // SAFETY: views and pass are alive and compatible.
                let framebuffer = unsafe { self.ctx.device.create_framebuffer(&info, None) }
                    .vk("vkCreateFramebuffer")?;
                target.framebuffers.push(framebuffer);
            }
            Ok(())
        })();
        match result {
            Ok(()) => Ok(target),
            Err(e) => {
                self.destroy_target(target);
                Err(e)
            }
        }
    }

    fn layer_view(
        &self,
        image: vk::Image,
        format: vk::Format,
        aspect: vk::ImageAspectFlags,
        base_array_layer: u32,
        layer_count: u32,
    ) -> Result<vk::ImageView, RenderError> {
        let info = vk::ImageViewCreateInfo::default()
            .image(image)
            .view_type(vk::ImageViewType::TYPE_2D_ARRAY)
            .format(format)
            .subresource_range(vk::ImageSubresourceRange {
                aspect_mask: aspect,
                base_mip_level: 0,
                level_count: 1,
                base_array_layer,
                layer_count,
            });
        // SAFETY: the caller's image is a 2-layer array of this format.
        unsafe { self.ctx.device.create_image_view(&info, None) }.vk("vkCreateImageView")
    }

    /// Copies the scene to GPU memory and waits for it; draw it with
    /// [`StereoRenderer::render`].
    pub fn upload_scene(&mut self, gpu: &Gpu, scene: &Scene) -> Result<SceneId, RenderError> {
        let _ = gpu;
        let staged = self.stager()?.stage(scene)?;
        let id = self.submit_staged(staged)?;
        if let SceneSlot::Uploading(_, batch) = &mut self.scenes[id.0] {
            batch.finish("the scene upload")?;
        }
        self.scene_ready(id)?;
        Ok(id)
    }

    pub(crate) fn stager(&self) -> Result<SceneStager, RenderError> {
        let shadow = self
            .shadow_pass
            .clone()
            .ok_or_else(|| RenderError::InvalidInput("the renderer is not set up".into()))?;
        Ok(SceneStager {
            ctx: Arc::clone(&self.ctx),
            shadow,
            material_set_layout: self.material_set_layout,
            warm: None,
        })
    }

    /// Submits a scene staged on another thread; it is drawable once
    /// [`scene_ready`](Self::scene_ready) says so.
    pub(crate) fn submit_staged(&mut self, staged: StagedScene) -> Result<SceneId, RenderError> {
        let (mut scene, mut batch) = staged.into_parts();
        if let Err(e) = batch.submit_next() {
            drop(batch);
            scene.destroy(&self.ctx);
            return Err(e);
        }
        // Reserved here so that sorting in `render` never allocates.
        let blended = scene.draws.blend.len();
        self.blend_order
            .reserve(blended.saturating_sub(self.blend_order.len()));
        let slot = SceneSlot::Uploading(scene, batch);
        let index = match self
            .scenes
            .iter()
            .position(|s| matches!(s, SceneSlot::Free))
        {
            Some(i) => {
                self.scenes[i] = slot;
                i
            }
            None => {
                self.scenes.push(slot);
                self.scenes.len() - 1
            }
        };
        Ok(SceneId(index))
    }

    /// Whether `id`'s upload has finished, so that it can be drawn (never
    /// blocks). False for a released or unknown id.
    pub fn scene_ready(&mut self, id: SceneId) -> Result<bool, RenderError> {
        let Some(slot) = self.scenes.get_mut(id.0) else {
            return Ok(false);
        };
        match slot {
            SceneSlot::Ready(_) => Ok(true),
            SceneSlot::Uploading(_, batch) => {
                // One further step per call (per frame), after the last one finished.
                batch.submit_next()?;
                if !batch.is_done()? {
                    return Ok(false);
                }
                if let SceneSlot::Uploading(scene, _) = std::mem::replace(slot, SceneSlot::Free) {
                    *slot = SceneSlot::Ready(scene);
                }
                Ok(true)
            }
            SceneSlot::Free | SceneSlot::Retired(..) => Ok(false),
        }
    }

    /// Releases a scene without waiting: its memory is freed once the frames
    /// recorded so far, which may draw it, are finished. The id is not
    /// drawable afterwards and may be reused by a later upload.
    pub fn release_scene(&mut self, id: SceneId) {
        let Some(slot) = self.scenes.get_mut(id.0) else {
            return;
        };
        match std::mem::replace(slot, SceneSlot::Free) {
            SceneSlot::Ready(scene) => *slot = SceneSlot::Retired(scene, self.frame_number),
            // Still uploading: it was never drawn, but the copies must end first.
            SceneSlot::Uploading(mut scene, mut batch) => {
                if let Err(e) = batch.wait("a released upload") {
                    tracing::warn!("releasing a scene: {e}");
                }
                drop(batch);
                scene.destroy(&self.ctx);
            }
            other => *slot = other,
        }
    }

    /// Bytes of GPU memory held by scenes: drawable, uploading, or released
    /// but not yet freed.
    pub fn scene_bytes(&self) -> u64 {
        self.scenes
            .iter()
            .map(|s| match s {
                SceneSlot::Free => 0,
                SceneSlot::Uploading(scene, _)
                | SceneSlot::Ready(scene)
                | SceneSlot::Retired(scene, _) => scene.bytes(),
            })
            .sum()
    }

    /// Scenes holding GPU memory (drawable, uploading, or released but not yet freed).
    pub fn scene_count(&self) -> usize {
        self.scenes
            .iter()
            .filter(|s| !matches!(s, SceneSlot::Free))
            .count()
    }

    /// Starts the thread that loads (with `loader`) and stages scenes for
    /// [`request_scene`](Self::request_scene), drawing each once into a
    /// tiny target of its own. It ends with the renderer.
    pub fn start_scene_worker(&mut self, loader: SceneLoader) -> Result<(), RenderError> {
        self.worker = None;
        if self.warm.is_none() {
            self.warm = Some(Arc::new(self.warm_target()?));
        }
        let mut stager = self.stager()?;
        stager.warm = self.warm.clone();
        self.worker = Some(SceneWorker::spawn(stager, loader)?);
        Ok(())
    }

    fn warm_target(&self) -> Result<WarmTarget, RenderError> {
        let extent = vk::Extent2D {
            width: WARM_SIDE,
            height: WARM_SIDE,
        };
        let mut color = GpuImage::new_2d_array(
            &self.ctx,
            "warm-up colour",
            self.color_format,
            extent,
            2,
            vk::ImageUsageFlags::COLOR_ATTACHMENT,
        )?;
        let target = match self.create_target(color.image, None, extent) {
            Ok(t) => t,
            Err(e) => {
                color.destroy(&self.ctx);
                return Err(e);
            }
        };
        let Target {
            views,
            framebuffers,
            own_depth,
        } = target;
        let images = std::iter::once(color).chain(own_depth).collect();
        WarmTarget::new(
            &self.ctx,
            self.render_pass,
            self.pipelines,
            self.pipeline_layout,
            self.set_layout,
            framebuffers,
            views,
            images,
        )
    }

    /// Asks the worker for scene `key` (what the loader understands, e.g.
    /// an option index); false while it works on another, or when none runs.
    pub fn request_scene(&mut self, key: usize) -> bool {
        self.worker.as_mut().is_some_and(|w| w.request(key))
    }

    /// Whether the worker is loading or staging a scene.
    pub fn worker_busy(&self) -> bool {
        self.worker.as_ref().is_some_and(SceneWorker::is_busy)
    }

    /// The worker's finished request, submitted for upload: its key and the
    /// scene's id (drawable once [`scene_ready`](Self::scene_ready)), or why
    /// it could not be loaded. Never blocks; call it between frames.
    pub fn receive_scene(&mut self) -> Option<(usize, Result<SceneId, String>)> {
        let (key, staged) = self.worker.as_mut()?.receive()?;
        Some((
            key,
            staged.and_then(|s| self.submit_staged(s).map_err(|e| e.to_string())),
        ))
    }

    /// Frees a scene's GPU memory, waiting for the frames that draw it.
    pub fn remove_scene(&mut self, gpu: &Gpu, id: SceneId) -> Result<(), RenderError> {
        let _ = gpu;
        self.wait_frames()?;
        self.release_scene(id);
        free_retired(&mut self.scenes, &self.ctx, u64::MAX);
        Ok(())
    }

    /// Records and submits one stereo frame of `scene` into target
    /// `image_index`. Waits only for the frame slot it reuses (two in
    /// flight). Leaves colour in COLOR_ATTACHMENT_OPTIMAL and depth in
    /// DEPTH_STENCIL_ATTACHMENT_OPTIMAL. Standard depth: 0 at near, 1 at far.
    pub fn render(
        &mut self,
        gpu: &Gpu,
        image_index: usize,
        views: &[EyeView; 2],
        scene: SceneId,
    ) -> Result<(), RenderError> {
        self.render_with_overlay(gpu, image_index, views, scene, None)
    }

    /// [`render`](Self::render), then `overlay`'s triangles in the same pass.
    pub fn render_with_overlay(
        &mut self,
        gpu: &Gpu,
        image_index: usize,
        views: &[EyeView; 2],
        scene: SceneId,
        overlay: Option<&mut OverlayRenderer>,
    ) -> Result<(), RenderError> {
        self.render_layers(gpu, image_index, views, scene, overlay, None)
    }

    /// [`render_with_overlay`](Self::render_with_overlay), then the
    /// transition `fade` over everything, still in the same pass.
    pub fn render_layers(
        &mut self,
        gpu: &Gpu,
        image_index: usize,
        views: &[EyeView; 2],
        scene: SceneId,
        mut overlay: Option<&mut OverlayRenderer>,
        fade: Option<&FadeRenderer>,
    ) -> Result<(), RenderError> {
        let _ = gpu;
        let target = self.targets.get(image_index).ok_or_else(|| {
            RenderError::InvalidInput(format!(
                "target image {image_index} does not exist ({} set)",
                self.targets.len()
            ))
        })?;
        let slot_index = (self.frame_number % FRAMES_IN_FLIGHT as u64) as usize;
        wait_fence(&self.ctx.device, self.frames[slot_index].fence, "a frame")?;
        // Every frame up to the one this slot last held is finished.
        let finished_before = (self.frame_number + 1).saturating_sub(FRAMES_IN_FLIGHT as u64);
        free_retired(&mut self.scenes, &self.ctx, finished_before);
        let gpu_scene = match self.scenes.get_mut(scene.0) {
            Some(SceneSlot::Ready(s)) => s,
            _ => {
                return Err(RenderError::InvalidInput(format!(
                    "{scene:?} is not uploaded (or not finished, or released)"
                )));
            }
        };
        let slot = &mut self.frames[slot_index];
        let device = &self.ctx.device;
        if let Some(timer) = &mut self.timer {
            timer.collect(slot_index);
        }
        let mut uniforms = gpu_scene.uniforms;
        uniforms.set_views(views);
        let centre = (views[0].position + views[1].position) * 0.5;
        let frustum = EyePairFrustum::new(views);
        back_to_front(
            &gpu_scene.draws.blend,
            centre,
            &frustum,
            &mut self.blend_order,
        );
        let draws = &mut gpu_scene.draws;
        front_to_back(&draws.opaque, centre, &frustum, &mut draws.opaque_order);
        let gpu_scene = &*gpu_scene;
        slot.uniforms.mapped()?[..size_of::<FrameUniforms>()]
            .copy_from_slice(bytemuck::bytes_of(&uniforms));
        let cmd = slot.command_buffer;
        // SAFETY: the slot's fence is signalled, so its command buffer is idle.
        unsafe {
            device
                .reset_command_buffer(cmd, vk::CommandBufferResetFlags::empty())
                .vk("vkResetCommandBuffer")?;
            let begin = vk::CommandBufferBeginInfo::default()
                .flags(vk::CommandBufferUsageFlags::ONE_TIME_SUBMIT);
            device
                .begin_command_buffer(cmd, &begin)
                .vk("vkBeginCommandBuffer")?;
        }
        if let Some(timer) = &self.timer {
            timer.begin(cmd, slot_index);
        }
        let mut counts = FrameCounts::default();
        for (eye, &framebuffer) in target.framebuffers.iter().enumerate() {
            let pass = record_pass(
                device,
                cmd,
                &PassTargets {
                    render_pass: self.render_pass,
                    framebuffer,
                    extent: self.render_extent,
                },
                &self.pipelines,
                self.pipeline_layout,
                slot.descriptor_set,
                gpu_scene,
                &self.blend_order,
                eye as u32,
            );
            counts.draw_calls += pass.draw_calls;
            counts.triangles += pass.triangles;
            if let Some(overlay) = overlay.as_deref_mut() {
                overlay.record(cmd, slot_index, views, eye as u32, self.views_per_pass)?;
            }
            if let Some(fade) = fade {
                fade.record(cmd);
            }
            // SAFETY: the pass begun by `record_pass` is open on `cmd`.
            unsafe { device.cmd_end_render_pass(cmd) };
        }
        if let Some(timer) = &mut self.timer {
            timer.end(cmd, slot_index);
        }
        self.counts = counts;
        // SAFETY: recording began above; the queue is used from `&mut self` only.
        unsafe {
            device.end_command_buffer(cmd).vk("vkEndCommandBuffer")?;
            device.reset_fences(&[slot.fence]).vk("vkResetFences")?;
            let cmds = [cmd];
            let submit = vk::SubmitInfo::default().command_buffers(&cmds);
            device
                .queue_submit(self.ctx.queue, &[submit], slot.fence)
                .vk("vkQueueSubmit")?;
        }
        self.frame_number += 1;
        Ok(())
    }

    /// Turns on GPU timing with timestamp queries; false (and nothing
    /// changes) where the queue writes no timestamps.
    pub fn enable_gpu_timing(&mut self) -> Result<bool, RenderError> {
        if self.timer.is_none() {
            self.timer = FrameTimer::new(&self.ctx, FRAMES_IN_FLIGHT)?;
        }
        Ok(self.timer.is_some())
    }

    /// GPU time (ms) of the latest frame whose timestamps were read: frames
    /// are read when their slot is reused or [`wait_next_slot`](Self::wait_next_slot) runs.
    pub fn gpu_time_ms(&self) -> Option<f64> {
        self.timer.as_ref().and_then(FrameTimer::last_ms)
    }

    /// Draw calls and triangles of the last recorded frame.
    pub fn frame_counts(&self) -> FrameCounts {
        self.counts
    }

    /// Waits for the frame slot the next [`render`](Self::render) reuses, so
    /// that a caller can time its own work without the wait for the GPU.
    pub fn wait_next_slot(&mut self) -> Result<(), RenderError> {
        let slot_index = (self.frame_number % FRAMES_IN_FLIGHT as u64) as usize;
        wait_fence(&self.ctx.device, self.frames[slot_index].fence, "a frame")?;
        if let Some(timer) = &mut self.timer {
            timer.collect(slot_index);
        }
        Ok(())
    }

    /// `(near, far)` in metres as written to the depth buffer: depth 0 is
    /// `near`, 1 is `far` (not reversed).
    pub fn depth_range(&self) -> (f32, f32) {
        (NEAR, FAR)
    }

    /// Waits until every submitted frame is finished.
    pub fn wait_idle(&self, gpu: &Gpu) {
        let _ = gpu;
        if let Err(e) = self.wait_frames() {
            tracing::warn!("waiting for frames in flight: {e}");
        }
    }

    /// Size of the targets.
    pub fn extent(&self) -> vk::Extent2D {
        self.extent
    }

    /// Draws the next frames into the top-left `extent` of each eye's image
    /// (viewport, scissor and render area), each side clamped to 1 ..= the
    /// targets' size. The projection is unchanged, so
    /// the picture is the whole view at fewer pixels: an XR runtime scales it
    /// up when the layer's `imageRect` names the same rectangle.
    pub fn set_render_extent(&mut self, extent: vk::Extent2D) {
        self.render_extent = vk::Extent2D {
            width: extent.width.clamp(1, self.extent.width),
            height: extent.height.clamp(1, self.extent.height),
        };
    }

    /// The part of each eye the next frame draws ([`set_render_extent`](Self::set_render_extent)).
    pub fn render_extent(&self) -> vk::Extent2D {
        self.render_extent
    }

    /// The render pass frames are drawn in, for pipelines that draw into it
    /// (the overlay).
    pub fn render_pass(&self) -> vk::RenderPass {
        self.render_pass
    }

    /// Samples per pixel of the pass's attachments.
    pub fn sample_count(&self) -> vk::SampleCountFlags {
        self.samples
    }

    pub(crate) fn command_pool(&self) -> vk::CommandPool {
        self.command_pool
    }

    fn wait_frames(&self) -> Result<(), RenderError> {
        for slot in &self.frames {
            wait_fence(&self.ctx.device, slot.fence, "frames in flight")?;
        }
        Ok(())
    }

    fn destroy_target(&self, mut target: Target) {
        let device = &self.ctx.device;
        // SAFETY: frames using the target have finished (callers wait first).
        unsafe {
            for &framebuffer in &target.framebuffers {
                device.destroy_framebuffer(framebuffer, None);
            }
            for &view in &target.views {
                device.destroy_image_view(view, None);
            }
        }
        if let Some(depth) = &mut target.own_depth {
            depth.destroy(&self.ctx);
        }
    }

    fn destroy_targets(&mut self) {
        for target in std::mem::take(&mut self.targets) {
            self.destroy_target(target);
        }
    }
}

/// Frees released scenes that no unfinished frame draws: frames numbered
/// below `finished_before` are known to be done.
fn free_retired(scenes: &mut [SceneSlot], ctx: &GpuContext, finished_before: u64) {
    for slot in scenes {
        if let SceneSlot::Retired(_, last) = slot
            && *last <= finished_before
            && let SceneSlot::Retired(mut scene, _) = std::mem::replace(slot, SceneSlot::Free)
        {
            scene.destroy(ctx);
        }
    }
}

/// Where one render pass draws: the top-left `extent` of the framebuffer.
pub(crate) struct PassTargets {
    pub(crate) render_pass: vk::RenderPass,
    pub(crate) framebuffer: vk::Framebuffer,
    pub(crate) extent: vk::Extent2D,
}

/// Begins the pass and draws the scene; the caller ends the pass.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_pass(
    device: &ash::Device,
    cmd: vk::CommandBuffer,
    targets: &PassTargets,
    pipelines: &[vk::Pipeline; PipelineKind::COUNT],
    layout: vk::PipelineLayout,
    set: vk::DescriptorSet,
    scene: &GpuScene,
    blend_order: &[(f32, u32)],
    first_eye: u32,
) -> FrameCounts {
    let mut counts = FrameCounts::default();
    let extent = targets.extent;
    let clear = [
        vk::ClearValue {
            color: vk::ClearColorValue {
                float32: [0.0, 0.0, 0.0, 1.0],
            },
        },
        vk::ClearValue {
            depth_stencil: vk::ClearDepthStencilValue {
                depth: 1.0,
                stencil: 0,
            },
        },
    ];
    let area = vk::Rect2D {
        offset: vk::Offset2D { x: 0, y: 0 },
        extent,
    };
    let begin = vk::RenderPassBeginInfo::default()
        .render_pass(targets.render_pass)
        .framebuffer(targets.framebuffer)
        .render_area(area)
        .clear_values(&clear);
    let viewport = vk::Viewport {
        x: 0.0,
        y: 0.0,
        width: extent.width as f32,
        height: extent.height as f32,
        min_depth: 0.0,
        max_depth: 1.0,
    };
    // Culled and sorted near to far in `render_layers`.
    let opaque = scene
        .draws
        .opaque_order
        .iter()
        .filter_map(|&(_, i)| scene.draws.opaque.get(i as usize));
    let blended = blend_order
        .iter()
        .filter_map(|&(_, i)| scene.draws.blend.get(i as usize));
    let mut bound: Option<PipelineKind> = None;
    // SAFETY: `cmd` is recording; every handle is alive.
    unsafe {
        device.cmd_begin_render_pass(cmd, &begin, vk::SubpassContents::INLINE);
        device.cmd_set_viewport(cmd, 0, &[viewport]);
        device.cmd_set_scissor(cmd, 0, &[area]);
        device.cmd_bind_descriptor_sets(
            cmd,
            vk::PipelineBindPoint::GRAPHICS,
            layout,
            0,
            &[set],
            &[],
        );
        device.cmd_bind_vertex_buffers(cmd, 0, &[scene.vertices.buffer], &[0]);
        device.cmd_bind_index_buffer(cmd, scene.indices.buffer, 0, vk::IndexType::UINT32);
        for draw in opaque.chain(blended) {
            if bound != Some(draw.pipeline) {
                device.cmd_bind_pipeline(
                    cmd,
                    vk::PipelineBindPoint::GRAPHICS,
                    pipelines[draw.pipeline.index()],
                );
                bound = Some(draw.pipeline);
            }
            device.cmd_bind_descriptor_sets(
                cmd,
                vk::PipelineBindPoint::GRAPHICS,
                layout,
                1,
                &[scene.materials.sets[draw.material as usize]],
                &[],
            );
            let lights = draw.lights;
            device.cmd_push_constants(
                cmd,
                layout,
                pipeline::PUSH_STAGES,
                0,
                bytemuck::bytes_of(&[first_eye, lights.counts, lights.points, lights.spots]),
            );
            device.cmd_draw_indexed(cmd, draw.index_count, 1, draw.first_index, 0, 0);
            counts.draw_calls += 1;
            counts.triangles += u64::from(draw.index_count / 3);
        }
    }
    counts
}

impl Drop for StereoRenderer {
    fn drop(&mut self) {
        // The worker uses the layouts and shadow pass: it ends first.
        self.worker = None;
        let _ = self.wait_frames();
        self.destroy_targets();
        for slot in self.scenes.drain(..) {
            match slot {
                SceneSlot::Free => {}
                SceneSlot::Uploading(mut scene, batch) => {
                    // Dropping the batch waits for its commands.
                    drop(batch);
                    scene.destroy(&self.ctx);
                }
                SceneSlot::Ready(mut scene) | SceneSlot::Retired(mut scene, _) => {
                    scene.destroy(&self.ctx);
                }
            }
        }
        // Its framebuffers use the multisampled images; no upload is left.
        self.warm = None;
        for image in self.msaa.iter_mut().flatten() {
            image.destroy(&self.ctx);
        }
        self.shadow_pass = None;
        let device = &self.ctx.device;
        for slot in &mut self.frames {
            slot.uniforms.destroy(&self.ctx);
            // SAFETY: all frames finished above.
            unsafe { device.destroy_fence(slot.fence, None) };
        }
        // SAFETY: nothing made from these objects is in use any more; null
        // handles (from a failed `new`) are ignored by vkDestroy*.
        unsafe {
            device.destroy_command_pool(self.command_pool, None);
            device.destroy_descriptor_pool(self.descriptor_pool, None);
            for &pipeline in &self.pipelines {
                device.destroy_pipeline(pipeline, None);
            }
            device.destroy_pipeline_layout(self.pipeline_layout, None);
            device.destroy_descriptor_set_layout(self.set_layout, None);
            device.destroy_descriptor_set_layout(self.material_set_layout, None);
            device.destroy_render_pass(self.render_pass, None);
        }
    }
}

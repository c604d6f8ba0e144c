//! The sun's shadow map: a depth-only view of the scene along the sun's rays,
//! orthographic and fitted to the scene's bounds. Scenes are static, so each
//! map is drawn once when its scene is uploaded and then only sampled: the
//! shadow costs the frame one comparison lookup per sunlit pixel.
//!
//! Opaque casters draw with a vertex-only pipeline. Cut-outs draw with a
//! second pipeline whose fragment stage discards where the base colour's
//! alpha (factor, vertex colour and texture, through the material's UV set
//! and transform) is below the cutoff: alpha-masked materials at their own
//! cutoff, blended ones at 0.5 (glass at 30 % casts no shadow, a 70 % curtain
//! casts a full one; a shadow map holds no partial cover). Keeping the
//! opaque casters off the discarding pipeline keeps them cheap on lavapipe,
//! which writes depth only after shading when a shader can discard.

use super::pipeline;
use std::sync::Arc;

use ash::vk;
use glam::{Mat4, Vec3};

use super::draw_list::DrawList;
use super::error::{RenderError, VkContext};
use super::gpu::GpuContext;
use super::memory::{GpuBuffer, GpuImage, ImageShape, UploadBatch};
use crate::scene::{AlphaMode, Material, Pattern, Scene, Vertex};

/// SPIR-V compiled from `shaders/shadow.wgsl` by `build.rs`.
const SHADOW_SPV: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/shadow.spv"));

/// Side of the map in texels: over a 5 m room about 3 mm per texel, sharp
/// enough for chair legs; 16 MiB of D32 per uploaded scene.
pub(crate) const SHADOW_MAP_SIZE: u32 = 2048;
const SHADOW_FORMAT: vk::Format = vk::Format::D32_SFLOAT;

/// Alpha below which a blended material casts no shadow.
pub(crate) const BLEND_SHADOW_CUTOFF: f32 = 0.5;

/// `ShadowPush` in `shaders/shadow.wgsl`: the sun's matrix, then the
/// cut-out's alpha parameters and base texture transform.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub(crate) struct ShadowPush {
    sun_view_proj: [f32; 16],
    /// Base alpha factor, cutoff, 1 when the texture reads uv1, 1 when textured.
    alpha: [f32; 4],
    uv_rows: [[f32; 4]; 2],
}

impl ShadowPush {
    /// The push block for casters of `material` (`None`: opaque casters).
    pub(crate) fn new(sun_view_proj: [f32; 16], material: Option<&Material>) -> Self {
        let mut push = ShadowPush {
            sun_view_proj,
            alpha: [1.0, 0.0, 0.0, 0.0],
            uv_rows: [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]],
        };
        if let Some(m) = material {
            push.alpha[0] = m.base_color[3];
            push.alpha[1] = cutout_threshold(m).unwrap_or(0.0);
            if let Some(slot) = &m.base_color_texture {
                let t = slot.transform.matrix();
                push.alpha[2] = f32::from(u8::from(slot.tex_coord == 1));
                push.alpha[3] = 1.0;
                push.uv_rows = [
                    [t.x_axis.x, t.y_axis.x, t.z_axis.x, 0.0],
                    [t.x_axis.y, t.y_axis.y, t.z_axis.y, 0.0],
                ];
            }
        }
        push
    }
}

/// The alpha below which `m`'s surface casts no shadow; `None` for opaque
/// materials, which cast everywhere.
pub(crate) fn cutout_threshold(m: &Material) -> Option<f32> {
    match m.alpha {
        AlphaMode::Opaque => None,
        AlphaMode::Mask { cutoff } => Some(cutoff),
        AlphaMode::Blend => Some(BLEND_SHADOW_CUTOFF),
    }
}

/// The sun's orthographic view-projection around the box `min..max` and the
/// width of one map texel in metres. `towards` points at the sun.
pub(crate) fn sun_view_proj(towards: Vec3, min: Vec3, max: Vec3) -> (Mat4, f32) {
    let towards = towards.normalize_or(Vec3::Y);
    let centre = (min + max) * 0.5;
    let radius = (max - min).length() * 0.5 + 0.1;
    let up = if towards.y.abs() > 0.99 {
        Vec3::Z
    } else {
        Vec3::Y
    };
    let view =
        glam::camera::rh::view::look_to_mat4(centre + towards * (radius * 2.0), -towards, up);
    let mut lo = Vec3::splat(f32::MAX);
    let mut hi = Vec3::splat(f32::MIN);
    for i in 0..8 {
        let corner = Vec3::new(
            if i & 1 == 0 { min.x } else { max.x },
            if i & 2 == 0 { min.y } else { max.y },
            if i & 4 == 0 { min.z } else { max.z },
        );
        let p = view.transform_point3(corner);
        lo = lo.min(p);
        hi = hi.max(p);
    }
    // The view looks along -z: the nearest corner has the largest z.
    let projection = glam::camera::rh::proj::vulkan::orthographic(
        lo.x,
        hi.x,
        lo.y,
        hi.y,
        -hi.z - 0.05,
        -lo.z + 0.05,
    );
    let texel = (hi.x - lo.x).max(hi.y - lo.y) / SHADOW_MAP_SIZE as f32;
    (projection * view, texel)
}

/// One draw into the map.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Caster {
    first_index: u32,
    index_count: u32,
    material: u32,
    /// Drawn with the discarding pipeline.
    cutout: bool,
}

/// Everything that casts a shadow: every draw of `list` (opaque, masked and
/// blended) except the window's sky pane (it would close the window).
fn casters<'a>(scene: &'a Scene, list: &'a DrawList) -> impl Iterator<Item = Caster> + 'a {
    list.opaque
        .iter()
        .chain(&list.blend)
        .filter(|d| scene.materials[d.material as usize].pattern != Pattern::Sky)
        .map(|d| Caster {
            first_index: d.first_index,
            index_count: d.index_count,
            material: d.material,
            cutout: cutout_threshold(&scene.materials[d.material as usize]).is_some(),
        })
}

/// Bytes of [`ShadowPush`].
const PUSH_SIZE: u32 = size_of::<ShadowPush>() as u32;
/// Both stages read the push block (the fragment stage its alpha part).
const PUSH_STAGES: vk::ShaderStageFlags = vk::ShaderStageFlags::from_raw(
    vk::ShaderStageFlags::VERTEX.as_raw() | vk::ShaderStageFlags::FRAGMENT.as_raw(),
);

/// The render pass, pipelines and comparison sampler shared by every map.
pub(crate) struct ShadowPass {
    ctx: Arc<GpuContext>,
    render_pass: vk::RenderPass,
    /// Set 0 of the cut-out pipeline: the base texture and its sampler.
    set_layout: vk::DescriptorSetLayout,
    layout: vk::PipelineLayout,
    pipeline: vk::Pipeline,
    cutout_pipeline: vk::Pipeline,
    pub(crate) sampler: vk::Sampler,
}

/// One scene's map: the image, its view, the matrix and texel size it was
/// drawn with. A scene without a sun gets a 1x1 map that is not used
/// (`enabled` false), so the descriptor always names a depth image.
pub(crate) struct ShadowMap {
    image: GpuImage,
    pub(crate) view: vk::ImageView,
    extent: vk::Extent2D,
    pub(crate) sun_view_proj: Mat4,
    pub(crate) texel: f32,
    pub(crate) enabled: bool,
}

impl ShadowMap {
    pub(crate) fn bytes(&self) -> u64 {
        self.image.bytes()
    }

    pub(crate) fn destroy(&mut self, ctx: &GpuContext) {
        // SAFETY: no frame uses the map any more (callers wait); null is ignored.
        unsafe { ctx.device.destroy_image_view(self.view, None) };
        self.image.destroy(ctx);
    }
}

impl ShadowPass {
    pub(crate) fn new(ctx: &Arc<GpuContext>) -> Result<Self, RenderError> {
        let mut me = ShadowPass {
            ctx: ctx.clone(),
            render_pass: vk::RenderPass::null(),
            set_layout: vk::DescriptorSetLayout::null(),
            layout: vk::PipelineLayout::null(),
            pipeline: vk::Pipeline::null(),
            cutout_pipeline: vk::Pipeline::null(),
            sampler: vk::Sampler::null(),
        };
        me.create()?;
        Ok(me)
    }

    fn create(&mut self) -> Result<(), RenderError> {
        let device = &self.ctx.device;
        let attachment = [vk::AttachmentDescription::default()
            .format(SHADOW_FORMAT)
            .samples(vk::SampleCountFlags::TYPE_1)
            .load_op(vk::AttachmentLoadOp::CLEAR)
            .store_op(vk::AttachmentStoreOp::STORE)
            .stencil_load_op(vk::AttachmentLoadOp::DONT_CARE)
            .stencil_store_op(vk::AttachmentStoreOp::DONT_CARE)
            .initial_layout(vk::ImageLayout::UNDEFINED)
            .final_layout(vk::ImageLayout::DEPTH_STENCIL_READ_ONLY_OPTIMAL)];
        let depth_ref = vk::AttachmentReference::default()
            .attachment(0)
            .layout(vk::ImageLayout::DEPTH_STENCIL_ATTACHMENT_OPTIMAL);
        let subpass = [vk::SubpassDescription::default()
            .pipeline_bind_point(vk::PipelineBindPoint::GRAPHICS)
            .depth_stencil_attachment(&depth_ref)];
        // The map's writes must be visible to the fragment shaders of every
        // later frame (later submissions on the same queue).
        let dependency = [vk::SubpassDependency::default()
            .src_subpass(0)
            .dst_subpass(vk::SUBPASS_EXTERNAL)
            .src_stage_mask(vk::PipelineStageFlags::LATE_FRAGMENT_TESTS)
            .dst_stage_mask(vk::PipelineStageFlags::FRAGMENT_SHADER)
            .src_access_mask(vk::AccessFlags::DEPTH_STENCIL_ATTACHMENT_WRITE)
            .dst_access_mask(vk::AccessFlags::SHADER_READ)];
        let info = vk::RenderPassCreateInfo::default()
            .attachments(&attachment)
            .subpasses(&subpass)
            .dependencies(&dependency);
        // SAFETY: valid create infos on a live device, here and below.
        self.render_pass =
            unsafe { device.create_render_pass(&info, None) }.vk("vkCreateRenderPass")?;
        let bindings = [
            vk::DescriptorSetLayoutBinding::default()
                .binding(0)
                .descriptor_type(vk::DescriptorType::SAMPLED_IMAGE)
                .descriptor_count(1)
                .stage_flags(vk::ShaderStageFlags::FRAGMENT),
            vk::DescriptorSetLayoutBinding::default()
                .binding(1)
                .descriptor_type(vk::DescriptorType::SAMPLER)
                .descriptor_count(1)
                .stage_flags(vk::ShaderStageFlags::FRAGMENT),
        ];
        let set_info = vk::DescriptorSetLayoutCreateInfo::default().bindings(&bindings);
        self.set_layout = unsafe { device.create_descriptor_set_layout(&set_info, None) }
            .vk("vkCreateDescriptorSetLayout")?;
        let push = [vk::PushConstantRange::default()
            .stage_flags(PUSH_STAGES)
            .offset(0)
            .size(PUSH_SIZE)];
        let sets = [self.set_layout];
        let layout_info = vk::PipelineLayoutCreateInfo::default()
            .set_layouts(&sets)
            .push_constant_ranges(&push);
        self.layout = unsafe { device.create_pipeline_layout(&layout_info, None) }
            .vk("vkCreatePipelineLayout")?;
        self.pipeline = self.create_pipeline(false)?;
        self.cutout_pipeline = self.create_pipeline(true)?;
        // Linear comparison filtering: 2x2 percentage-closer filtering in
        // hardware; outside the map counts as lit (white border, depth 1).
        let sampler = vk::SamplerCreateInfo::default()
            .mag_filter(vk::Filter::LINEAR)
            .min_filter(vk::Filter::LINEAR)
            .mipmap_mode(vk::SamplerMipmapMode::NEAREST)
            .address_mode_u(vk::SamplerAddressMode::CLAMP_TO_BORDER)
            .address_mode_v(vk::SamplerAddressMode::CLAMP_TO_BORDER)
            .address_mode_w(vk::SamplerAddressMode::CLAMP_TO_BORDER)
            .border_color(vk::BorderColor::FLOAT_OPAQUE_WHITE)
            .compare_enable(true)
            .compare_op(vk::CompareOp::LESS_OR_EQUAL)
            .max_lod(0.0);
        self.sampler = unsafe { device.create_sampler(&sampler, None) }.vk("vkCreateSampler")?;
        Ok(())
    }

    /// The opaque casters' vertex-only pipeline, or (`cutout`) the one that
    /// reads UVs and vertex colour and discards by alpha.
    fn create_pipeline(&self, cutout: bool) -> Result<vk::Pipeline, RenderError> {
        let device = &self.ctx.device;
        let module = pipeline::shader_module(device, SHADOW_SPV, "shadow.spv")?;
        let vertex = vk::PipelineShaderStageCreateInfo::default()
            .stage(vk::ShaderStageFlags::VERTEX)
            .module(module);
        let all_stages = [
            vertex.name(c"vs_cutout"),
            vk::PipelineShaderStageCreateInfo::default()
                .stage(vk::ShaderStageFlags::FRAGMENT)
                .module(module)
                .name(c"fs_cutout"),
        ];
        let opaque_stages = [vertex.name(c"vs_main")];
        let stages: &[_] = if cutout { &all_stages } else { &opaque_stages };
        let bindings = [vk::VertexInputBindingDescription::default()
            .binding(0)
            .stride(size_of::<Vertex>() as u32)
            .input_rate(vk::VertexInputRate::VERTEX)];
        let attribute = |location, format, offset: usize| {
            vk::VertexInputAttributeDescription::default()
                .location(location)
                .binding(0)
                .format(format)
                .offset(offset as u32)
        };
        let all_attributes = [
            attribute(
                0,
                vk::Format::R32G32B32_SFLOAT,
                std::mem::offset_of!(Vertex, position),
            ),
            attribute(
                3,
                vk::Format::R32G32_SFLOAT,
                std::mem::offset_of!(Vertex, uv0),
            ),
            attribute(
                4,
                vk::Format::R32G32_SFLOAT,
                std::mem::offset_of!(Vertex, uv1),
            ),
            attribute(
                5,
                vk::Format::R32G32B32A32_SFLOAT,
                std::mem::offset_of!(Vertex, color),
            ),
        ];
        let attributes = if cutout {
            &all_attributes[..]
        } else {
            &all_attributes[..1]
        };
        let vertex_input = vk::PipelineVertexInputStateCreateInfo::default()
            .vertex_binding_descriptions(&bindings)
            .vertex_attribute_descriptions(attributes);
        let assembly = vk::PipelineInputAssemblyStateCreateInfo::default()
            .topology(vk::PrimitiveTopology::TRIANGLE_LIST);
        let viewport = vk::PipelineViewportStateCreateInfo::default()
            .viewport_count(1)
            .scissor_count(1);
        // Both faces cast: walls and single-sided panels block light from
        // behind too. The slope-scaled bias keeps lit surfaces off their own
        // depth (with the shader's normal offset).
        let raster = vk::PipelineRasterizationStateCreateInfo::default()
            .polygon_mode(vk::PolygonMode::FILL)
            .cull_mode(vk::CullModeFlags::NONE)
            .front_face(vk::FrontFace::COUNTER_CLOCKWISE)
            .depth_bias_enable(true)
            .depth_bias_constant_factor(1.0)
            .depth_bias_slope_factor(1.5)
            .line_width(1.0);
        let multisample = vk::PipelineMultisampleStateCreateInfo::default()
            .rasterization_samples(vk::SampleCountFlags::TYPE_1);
        let depth = vk::PipelineDepthStencilStateCreateInfo::default()
            .depth_test_enable(true)
            .depth_write_enable(true)
            .depth_compare_op(vk::CompareOp::LESS);
        let blend = vk::PipelineColorBlendStateCreateInfo::default();
        let dynamic_states = [vk::DynamicState::VIEWPORT, vk::DynamicState::SCISSOR];
        let dynamic = vk::PipelineDynamicStateCreateInfo::default().dynamic_states(&dynamic_states);
        let info = vk::GraphicsPipelineCreateInfo::default()
            .stages(stages)
            .vertex_input_state(&vertex_input)
            .input_assembly_state(&assembly)
            .viewport_state(&viewport)
            .rasterization_state(&raster)
            .multisample_state(&multisample)
            .depth_stencil_state(&depth)
            .color_blend_state(&blend)
            .dynamic_state(&dynamic)
            .layout(self.layout)
            .render_pass(self.render_pass)
            .subpass(0);
        pipeline::create_graphics_pipeline(device, &info, module)
    }

    /// The map `scene` needs: its image and view, fitted to the casters of
    /// `list`; drawn later with [`ShadowPass::draw_map`].
    pub(crate) fn new_map(&self, scene: &Scene, list: &DrawList) -> Result<ShadowMap, RenderError> {
        let mut min = Vec3::splat(f32::MAX);
        let mut max = Vec3::splat(f32::MIN);
        for c in casters(scene, list) {
            let range = c.first_index as usize..(c.first_index + c.index_count) as usize;
            for &i in &scene.indices[range] {
                let p = Vec3::from(scene.vertices[i as usize].position);
                min = min.min(p);
                max = max.max(p);
            }
        }
        let casting = min.cmple(max).all() && (max - min).is_finite();
        let sun = scene.lighting.sun.as_ref().filter(|_| casting);
        let (sun_view_proj, texel) = sun.map_or((Mat4::IDENTITY, 0.0), |s| {
            sun_view_proj(s.towards, min, max)
        });
        let side = if sun.is_some() { SHADOW_MAP_SIZE } else { 1 };
        let ctx = &self.ctx;
        let extent = vk::Extent2D {
            width: side,
            height: side,
        };
        let image = GpuImage::new(
            ctx,
            "shadow map",
            ImageShape {
                format: SHADOW_FORMAT,
                extent,
                layers: 1,
                mip_levels: 1,
                samples: vk::SampleCountFlags::TYPE_1,
            },
            vk::ImageUsageFlags::DEPTH_STENCIL_ATTACHMENT | vk::ImageUsageFlags::SAMPLED,
        )?;
        let mut map = ShadowMap {
            image,
            view: vk::ImageView::null(),
            extent,
            sun_view_proj,
            texel,
            enabled: sun.is_some(),
        };
        let view_info = vk::ImageViewCreateInfo::default()
            .image(map.image.image)
            .view_type(vk::ImageViewType::TYPE_2D)
            .format(SHADOW_FORMAT)
            .subresource_range(vk::ImageSubresourceRange {
                aspect_mask: vk::ImageAspectFlags::DEPTH,
                base_mip_level: 0,
                level_count: 1,
                base_array_layer: 0,
                layer_count: 1,
            });
        // SAFETY: the image is alive and of this format.
        match unsafe { ctx.device.create_image_view(&view_info, None) } {
            Ok(view) => {
                map.view = view;
                Ok(map)
            }
            Err(result) => {
                map.destroy(ctx);
                Err(RenderError::Vulkan {
                    call: "vkCreateImageView",
                    result,
                })
            }
        }
    }

    /// Draws `map` (from [`ShadowPass::new_map`] for the same scene and
    /// list) from the scene's uploaded buffers, waiting for the GPU.
    /// `base_texture` gives a material's base colour texture (or white),
    /// which cut-out casters sample.
    pub(crate) fn draw_map(
        &self,
        batch: &mut UploadBatch,
        scene: &Scene,
        list: &DrawList,
        buffers: (&GpuBuffer, &GpuBuffer),
        map: &ShadowMap,
        base_texture: impl Fn(&Material) -> (vk::ImageView, vk::Sampler),
    ) -> Result<(), RenderError> {
        let device = &self.ctx.device;
        let cutouts = casters(scene, list).filter(|c| c.cutout).count() as u32;
        let sizes = [
            vk::DescriptorPoolSize::default()
                .ty(vk::DescriptorType::SAMPLED_IMAGE)
                .descriptor_count(cutouts.max(1)),
            vk::DescriptorPoolSize::default()
                .ty(vk::DescriptorType::SAMPLER)
                .descriptor_count(cutouts.max(1)),
        ];
        let pool_info = vk::DescriptorPoolCreateInfo::default()
            .max_sets(cutouts.max(1))
            .pool_sizes(&sizes);
        // SAFETY: valid create info on a live device.
        let pool = unsafe { device.create_descriptor_pool(&pool_info, None) }
            .vk("vkCreateDescriptorPool")?;
        // Destroyed with the batch, once the GPU has drawn the map.
        batch.keep_descriptor_pool(pool);
        self.draw_with_pool(
            batch,
            scene,
            list,
            buffers,
            map,
            pool,
            cutouts,
            base_texture,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_with_pool(
        &self,
        batch: &mut UploadBatch,
        scene: &Scene,
        list: &DrawList,
        (vertices, indices): (&GpuBuffer, &GpuBuffer),
        map: &ShadowMap,
        pool: vk::DescriptorPool,
        cutouts: u32,
        base_texture: impl Fn(&Material) -> (vk::ImageView, vk::Sampler),
    ) -> Result<(), RenderError> {
        let device = &self.ctx.device;
        // One set per cut-out draw, in `casters` order.
        let mut sets = Vec::new();
        if cutouts > 0 && map.enabled {
            let layouts = vec![self.set_layout; cutouts as usize];
            let alloc = vk::DescriptorSetAllocateInfo::default()
                .descriptor_pool(pool)
                .set_layouts(&layouts);
            // SAFETY: the pool was sized for these sets.
            sets = unsafe { device.allocate_descriptor_sets(&alloc) }
                .vk("vkAllocateDescriptorSets")?;
            let cutout_materials = casters(scene, list)
                .filter(|c| c.cutout)
                .map(|c| &scene.materials[c.material as usize]);
            for (&set, m) in sets.iter().zip(cutout_materials) {
                let (view, sampler) = base_texture(m);
                let image = [vk::DescriptorImageInfo::default()
                    .image_view(view)
                    .image_layout(vk::ImageLayout::SHADER_READ_ONLY_OPTIMAL)];
                let sampler = [vk::DescriptorImageInfo::default().sampler(sampler)];
                let writes = [
                    vk::WriteDescriptorSet::default()
                        .dst_set(set)
                        .dst_binding(0)
                        .descriptor_type(vk::DescriptorType::SAMPLED_IMAGE)
                        .image_info(&image),
                    vk::WriteDescriptorSet::default()
                        .dst_set(set)
                        .dst_binding(1)
                        .descriptor_type(vk::DescriptorType::SAMPLER)
                        .image_info(&sampler),
                ];
                // SAFETY: the set, view and sampler are alive.
                unsafe { device.update_descriptor_sets(&writes, &[]) };
            }
        }
        let views = [map.view];
        let extent = map.extent;
        let fb_info = vk::FramebufferCreateInfo::default()
            .render_pass(self.render_pass)
            .attachments(&views)
            .width(extent.width)
            .height(extent.height)
            .layers(1);
        // SAFETY: view and pass are alive and compatible.
        let framebuffer =
            unsafe { device.create_framebuffer(&fb_info, None) }.vk("vkCreateFramebuffer")?;
        batch.keep_framebuffer(framebuffer);
        let clear = [vk::ClearValue {
            depth_stencil: vk::ClearDepthStencilValue {
                depth: 1.0,
                stencil: 0,
            },
        }];
        let area = vk::Rect2D {
            offset: vk::Offset2D { x: 0, y: 0 },
            extent,
        };
        let viewport = vk::Viewport {
            x: 0.0,
            y: 0.0,
            width: extent.width as f32,
            height: extent.height as f32,
            min_depth: 0.0,
            max_depth: 1.0,
        };
        let matrix = map.sun_view_proj.to_cols_array();
        let cmd = batch.cmd();
        let begin = vk::RenderPassBeginInfo::default()
            .render_pass(self.render_pass)
            .framebuffer(framebuffer)
            .render_area(area)
            .clear_values(&clear);
        // SAFETY: the batch is recording; every handle lives until it is done.
        unsafe {
            device.cmd_begin_render_pass(cmd, &begin, vk::SubpassContents::INLINE);
            device.cmd_set_viewport(cmd, 0, &[viewport]);
            device.cmd_set_scissor(cmd, 0, &[area]);
            device.cmd_bind_vertex_buffers(cmd, 0, &[vertices.buffer], &[0]);
            device.cmd_bind_index_buffer(cmd, indices.buffer, 0, vk::IndexType::UINT32);
            if map.enabled {
                device.cmd_bind_pipeline(cmd, vk::PipelineBindPoint::GRAPHICS, self.pipeline);
                let push = ShadowPush::new(matrix, None);
                device.cmd_push_constants(
                    cmd,
                    self.layout,
                    PUSH_STAGES,
                    0,
                    bytemuck::bytes_of(&push),
                );
                for c in casters(scene, list).filter(|c| !c.cutout) {
                    device.cmd_draw_indexed(cmd, c.index_count, 1, c.first_index, 0, 0);
                }
                let cutout_draws = casters(scene, list).filter(|c| c.cutout).zip(&sets);
                for (i, (c, &set)) in cutout_draws.enumerate() {
                    if i == 0 {
                        device.cmd_bind_pipeline(
                            cmd,
                            vk::PipelineBindPoint::GRAPHICS,
                            self.cutout_pipeline,
                        );
                    }
                    let m = &scene.materials[c.material as usize];
                    let push = ShadowPush::new(matrix, Some(m));
                    device.cmd_push_constants(
                        cmd,
                        self.layout,
                        PUSH_STAGES,
                        0,
                        bytemuck::bytes_of(&push),
                    );
                    device.cmd_bind_descriptor_sets(
                        cmd,
                        vk::PipelineBindPoint::GRAPHICS,
                        self.layout,
                        0,
                        &[set],
                        &[],
                    );
                    device.cmd_draw_indexed(cmd, c.index_count, 1, c.first_index, 0, 0);
                }
            }
            device.cmd_end_render_pass(cmd);
        }
        Ok(())
    }
}

impl Drop for ShadowPass {
    fn drop(&mut self) {
        let device = &self.ctx.device;
        // SAFETY: the last owner (the renderer, after its scene worker and
        // uploads finished) drops it, so nothing is in flight; null handles
        // from a failed `new` are ignored.
        unsafe {
            device.destroy_sampler(self.sampler, None);
            device.destroy_pipeline(self.pipeline, None);
            device.destroy_pipeline(self.cutout_pipeline, None);
            device.destroy_pipeline_layout(self.layout, None);
            device.destroy_descriptor_set_layout(self.set_layout, None);
            device.destroy_render_pass(self.render_pass, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{TextureSlot, UvTransform};

    mod shader {
        include!(concat!(env!("OUT_DIR"), "/shadow_layout.rs"));
    }

    #[test]
    fn push_block_matches_the_shader_and_carries_each_materials_cutoff() {
        assert_eq!(size_of::<ShadowPush>(), shader::PUSH_PUSH_SIZE);
        let matrix = Mat4::IDENTITY.to_cols_array();
        let mut m = Material::srgb(0x808080, 0.5);
        assert_eq!(cutout_threshold(&m), None, "opaque casts everywhere");
        m.alpha = AlphaMode::Mask { cutoff: 0.3 };
        m.base_color[3] = 0.9;
        m.base_color_texture = Some(TextureSlot {
            texture: 0,
            tex_coord: 1,
            transform: UvTransform {
                offset: [0.5, 0.0],
                rotation: 0.0,
                scale: [2.0, 1.0],
            },
        });
        let push = ShadowPush::new(matrix, Some(&m));
        assert_eq!(push.alpha, [0.9, 0.3, 1.0, 1.0]);
        assert_eq!(push.uv_rows[0], [2.0, 0.0, 0.5, 0.0]);
        m.alpha = AlphaMode::Blend;
        m.base_color_texture = None;
        let push = ShadowPush::new(matrix, Some(&m));
        assert_eq!(push.alpha, [0.9, BLEND_SHADOW_CUTOFF, 0.0, 0.0]);
        assert_eq!(ShadowPush::new(matrix, None).alpha[1], 0.0);
    }

    #[test]
    fn the_sun_frustum_holds_the_whole_box_and_looks_along_the_rays() {
        let (min, max) = (Vec3::new(-2.6, 0.0, -2.2), Vec3::new(2.6, 2.75, 2.1));
        let towards = Vec3::new(-0.35, 0.55, -0.76).normalize();
        let (m, texel) = sun_view_proj(towards, min, max);
        for i in 0..8 {
            let corner = Vec3::new(
                if i & 1 == 0 { min.x } else { max.x },
                if i & 2 == 0 { min.y } else { max.y },
                if i & 4 == 0 { min.z } else { max.z },
            );
            let c = m.project_point3(corner);
            assert!(
                c.x.abs() <= 1.0001 && c.y.abs() <= 1.0001 && (0.0..=1.0).contains(&c.z),
                "corner {corner} maps to {c}"
            );
        }
        // Nearer the sun means smaller depth; a shift across the rays does not change depth.
        let centre = (min + max) * 0.5;
        let near = m.project_point3(centre + towards);
        let far = m.project_point3(centre);
        assert!(near.z < far.z);
        let across = towards.cross(Vec3::Y).normalize();
        assert!((m.project_point3(centre + across).z - far.z).abs() < 1e-5);
        assert!(texel > 0.0 && texel < 0.005, "{texel} m per texel");
    }
}

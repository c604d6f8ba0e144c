//! Flat-coloured triangles drawn inside the stereo pass after the scene (the
//! kiosk's hint panel and countdown): depth-tested against the room, both eyes.
//!
//! The caller fills [`OverlayRenderer::vertices_mut`] each frame; the
//! renderer copies them into a host-visible buffer of the frame slot being
//! recorded (its fence has signalled, so the GPU is done with it). Buffers and
//! the vertex list are allocated once, at [`MAX_OVERLAY_VERTICES`].

use super::pipeline;
use std::sync::Arc;

use ash::vk;
use gpu_allocator::MemoryLocation;

use super::camera::EyeView;
use super::error::{RenderError, VkContext};
use super::gpu::{Gpu, GpuContext};
use super::memory::GpuBuffer;
use super::stereo::{FRAMES_IN_FLIGHT, StereoRenderer};

/// SPIR-V compiled from `shaders/overlay.wgsl` by `build.rs`.
const OVERLAY_SPV: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/overlay.spv"));

/// Vertices one frame can draw; more are dropped (with a warning once).
pub const MAX_OVERLAY_VERTICES: usize = 4096;

/// Two view-projection matrices: the shader's push block.
const PUSH_SIZE: u32 = 128;

/// One overlay vertex: room-space position, linear RGBA colour.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct OverlayVertex {
    /// Room space, metres.
    pub position: [f32; 3],
    /// Linear RGBA (alpha is ignored: the overlay is opaque).
    pub color: [f32; 4],
}

/// The overlay's pipeline and per-frame vertex buffers, made for one
/// [`StereoRenderer`]'s render pass and sample count.
pub struct OverlayRenderer {
    ctx: Arc<GpuContext>,
    pipeline_layout: vk::PipelineLayout,
    pipeline: vk::Pipeline,
    buffers: Vec<GpuBuffer>,
    vertices: Vec<OverlayVertex>,
    warned_full: bool,
}

impl OverlayRenderer {
    /// Creates the pipeline against `stereo`'s render pass.
    pub fn new(gpu: &Gpu, stereo: &StereoRenderer) -> Result<Self, RenderError> {
        let ctx = gpu.ctx.clone();
        let mut me = OverlayRenderer {
            ctx,
            pipeline_layout: vk::PipelineLayout::null(),
            pipeline: vk::Pipeline::null(),
            buffers: Vec::with_capacity(FRAMES_IN_FLIGHT),
            vertices: Vec::with_capacity(MAX_OVERLAY_VERTICES),
            warned_full: false,
        };
        let device = &me.ctx.device;
        let push = [vk::PushConstantRange::default()
            .stage_flags(vk::ShaderStageFlags::VERTEX)
            .offset(0)
            .size(PUSH_SIZE)];
        let info = vk::PipelineLayoutCreateInfo::default().push_constant_ranges(&push);
        // SAFETY: valid create info on a live device; on error `me` drops
        // and destroys what was made so far.
        me.pipeline_layout =
            unsafe { device.create_pipeline_layout(&info, None) }.vk("vkCreatePipelineLayout")?;
        me.pipeline = create_pipeline(
            device,
            stereo.render_pass(),
            stereo.sample_count(),
            me.pipeline_layout,
        )?;
        for _ in 0..FRAMES_IN_FLIGHT {
            let buffer = GpuBuffer::new(
                &me.ctx,
                "overlay vertices",
                (MAX_OVERLAY_VERTICES * size_of::<OverlayVertex>()) as u64,
                vk::BufferUsageFlags::VERTEX_BUFFER,
                MemoryLocation::CpuToGpu,
            )?;
            me.buffers.push(buffer);
        }
        Ok(me)
    }

    /// The vertices to draw from the next frame on (a triangle list). Its
    /// capacity is [`MAX_OVERLAY_VERTICES`]; clear and refill it, never grow it.
    pub fn vertices_mut(&mut self) -> &mut Vec<OverlayVertex> {
        &mut self.vertices
    }

    /// Copies this frame's vertices into slot `slot`'s buffer and records the
    /// draw. Called by [`StereoRenderer`] inside its render pass, once per
    /// pass, after the slot's fence has signalled. `first_eye` and
    /// `views_per_pass` say which eyes this pass draws.
    pub(crate) fn record(
        &mut self,
        cmd: vk::CommandBuffer,
        slot: usize,
        views: &[EyeView; 2],
        first_eye: u32,
        views_per_pass: u32,
    ) -> Result<(), RenderError> {
        let count = self.vertices.len().min(MAX_OVERLAY_VERTICES) / 3 * 3;
        if count < self.vertices.len() && !self.warned_full {
            tracing::warn!(
                given = self.vertices.len(),
                max = MAX_OVERLAY_VERTICES,
                "overlay vertices past the buffer are not drawn"
            );
            self.warned_full = true;
        }
        if count == 0 {
            return Ok(());
        }
        let Some(buffer) = self.buffers.get_mut(slot) else {
            return Err(RenderError::InvalidInput(format!(
                "overlay frame slot {slot} of {FRAMES_IN_FLIGHT}"
            )));
        };
        let bytes: &[u8] = bytemuck::cast_slice(&self.vertices[..count]);
        buffer.mapped()?[..bytes.len()].copy_from_slice(bytes);
        let eye = |i: u32| views[(first_eye + i.min(views_per_pass - 1)).min(1) as usize];
        let matrices = [eye(0), eye(1)].map(|v| v.view_projection().to_cols_array());
        let device = &self.ctx.device;
        // SAFETY: `cmd` is recording inside a pass compatible with the
        // pipeline's; the buffer lives as long as `self`, and the stereo
        // renderer waits for its frames before `self` can be dropped by it.
        unsafe {
            device.cmd_bind_pipeline(cmd, vk::PipelineBindPoint::GRAPHICS, self.pipeline);
            device.cmd_bind_vertex_buffers(cmd, 0, &[buffer.buffer], &[0]);
            device.cmd_push_constants(
                cmd,
                self.pipeline_layout,
                vk::ShaderStageFlags::VERTEX,
                0,
                bytemuck::cast_slice(&matrices),
            );
            device.cmd_draw(cmd, count as u32, 1, 0, 0);
        }
        Ok(())
    }
}

impl Drop for OverlayRenderer {
    fn drop(&mut self) {
        // SAFETY: frames that used the buffers must finish before they go;
        // the overlay is dropped rarely (end of a session), so idle is fine.
        unsafe {
            let _ = self.ctx.device.device_wait_idle();
        }
        for buffer in &mut self.buffers {
            buffer.destroy(&self.ctx);
        }
        let device = &self.ctx.device;
        // SAFETY: nothing uses them any more; null handles are ignored.
        unsafe {
            device.destroy_pipeline(self.pipeline, None);
            device.destroy_pipeline_layout(self.pipeline_layout, None);
        }
    }
}

fn create_pipeline(
    device: &ash::Device,
    render_pass: vk::RenderPass,
    samples: vk::SampleCountFlags,
    layout: vk::PipelineLayout,
) -> Result<vk::Pipeline, RenderError> {
    let module = pipeline::shader_module(device, OVERLAY_SPV, "overlay.spv")?;
    let stages = [
        vk::PipelineShaderStageCreateInfo::default()
            .stage(vk::ShaderStageFlags::VERTEX)
            .module(module)
            .name(c"vs_main"),
        vk::PipelineShaderStageCreateInfo::default()
            .stage(vk::ShaderStageFlags::FRAGMENT)
            .module(module)
            .name(c"fs_main"),
    ];
    let bindings = [vk::VertexInputBindingDescription::default()
        .binding(0)
        .stride(size_of::<OverlayVertex>() as u32)
        .input_rate(vk::VertexInputRate::VERTEX)];
    let attributes = [
        vk::VertexInputAttributeDescription::default()
            .location(0)
            .binding(0)
            .format(vk::Format::R32G32B32_SFLOAT)
            .offset(0),
        vk::VertexInputAttributeDescription::default()
            .location(1)
            .binding(0)
            .format(vk::Format::R32G32B32A32_SFLOAT)
            .offset(12),
    ];
    let vertex_input = vk::PipelineVertexInputStateCreateInfo::default()
        .vertex_binding_descriptions(&bindings)
        .vertex_attribute_descriptions(&attributes);
    let assembly = vk::PipelineInputAssemblyStateCreateInfo::default()
        .topology(vk::PrimitiveTopology::TRIANGLE_LIST);
    let viewport = vk::PipelineViewportStateCreateInfo::default()
        .viewport_count(1)
        .scissor_count(1);
    // No culling: panels are seen from either side as the visitor walks round.
    let raster = vk::PipelineRasterizationStateCreateInfo::default()
        .polygon_mode(vk::PolygonMode::FILL)
        .cull_mode(vk::CullModeFlags::NONE)
        .front_face(vk::FrontFace::COUNTER_CLOCKWISE)
        .line_width(1.0);
    let multisample =
        vk::PipelineMultisampleStateCreateInfo::default().rasterization_samples(samples);
    // Depth-tested against the room (furniture in front hides the panel);
    // the hint's layers are a few mm apart, so LESS_OR_EQUAL is not needed.
    let depth = vk::PipelineDepthStencilStateCreateInfo::default()
        .depth_test_enable(true)
        .depth_write_enable(true)
        .depth_compare_op(vk::CompareOp::LESS);
    let blend_attachments = [vk::PipelineColorBlendAttachmentState::default()
        .color_write_mask(vk::ColorComponentFlags::RGBA)];
    let blend = vk::PipelineColorBlendStateCreateInfo::default().attachments(&blend_attachments);
    let dynamic_states = [vk::DynamicState::VIEWPORT, vk::DynamicState::SCISSOR];
    let dynamic = vk::PipelineDynamicStateCreateInfo::default().dynamic_states(&dynamic_states);
    let info = vk::GraphicsPipelineCreateInfo::default()
        .stages(&stages)
        .vertex_input_state(&vertex_input)
        .input_assembly_state(&assembly)
        .viewport_state(&viewport)
        .rasterization_state(&raster)
        .multisample_state(&multisample)
        .depth_stencil_state(&depth)
        .color_blend_state(&blend)
        .dynamic_state(&dynamic)
        .layout(layout)
        .render_pass(render_pass)
        .subpass(0);
    pipeline::create_graphics_pipeline(device, &info, module)
}

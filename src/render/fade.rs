//! The transition fade: a fullscreen triangle per view, blended over the
//! scene and the overlay as the last draw of the stereo pass, so the fade
//! costs no pass of its own (one draw, a few hundred bytes of state).

use super::pipeline;
use std::sync::Arc;

use ash::vk;

use super::error::{RenderError, VkContext};
use super::gpu::{Gpu, GpuContext};
use super::stereo::StereoRenderer;

/// SPIR-V compiled from `shaders/fade.wgsl` by `build.rs`.
const FADE_SPV: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fade.spv"));

/// The shader's push block: one linear RGBA colour.
const PUSH_SIZE: u32 = 16;

/// The fade pipeline, made for one [`StereoRenderer`]'s pass and sample count.
pub struct FadeRenderer {
    ctx: Arc<GpuContext>,
    pipeline_layout: vk::PipelineLayout,
    pipeline: vk::Pipeline,
    /// Linear RGB of the fade colour.
    color: [f32; 3],
    /// 0 (nothing drawn) to 1 (the view is all `color`).
    amount: f32,
}

impl FadeRenderer {
    /// Creates the pipeline against `stereo`'s render pass; fades to `color`
    /// (linear RGB).
    pub fn new(gpu: &Gpu, stereo: &StereoRenderer, color: [f32; 3]) -> Result<Self, RenderError> {
        let mut me = FadeRenderer {
            ctx: gpu.ctx.clone(),
            pipeline_layout: vk::PipelineLayout::null(),
            pipeline: vk::Pipeline::null(),
            color,
            amount: 0.0,
        };
        let device = &me.ctx.device;
        let push = [vk::PushConstantRange::default()
            .stage_flags(vk::ShaderStageFlags::FRAGMENT)
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
        Ok(me)
    }

    /// Sets how much of the view the fade covers from the next frame on:
    /// 0 draws nothing, 1 covers it all (clamped to that range).
    pub fn set_amount(&mut self, amount: f32) {
        self.amount = if amount.is_finite() {
            amount.clamp(0.0, 1.0)
        } else {
            0.0
        };
    }

    /// The amount set last.
    pub fn amount(&self) -> f32 {
        self.amount
    }

    /// Records the fade draw inside the open pass (nothing when the amount
    /// is 0). Called by [`StereoRenderer`] after the scene and the overlay.
    pub(crate) fn record(&self, cmd: vk::CommandBuffer) {
        if self.amount <= 0.0 {
            return;
        }
        let [r, g, b] = self.color;
        let push = [r, g, b, self.amount];
        let device = &self.ctx.device;
        // SAFETY: `cmd` is recording inside a pass compatible with the
        // pipeline's; the pipeline lives as long as `self`.
        unsafe {
            device.cmd_bind_pipeline(cmd, vk::PipelineBindPoint::GRAPHICS, self.pipeline);
            device.cmd_push_constants(
                cmd,
                self.pipeline_layout,
                vk::ShaderStageFlags::FRAGMENT,
                0,
                bytemuck::cast_slice(&push),
            );
            device.cmd_draw(cmd, 3, 1, 0, 0);
        }
    }
}

impl Drop for FadeRenderer {
    fn drop(&mut self) {
        let device = &self.ctx.device;
        // SAFETY: frames recorded with the pipeline must finish first; the
        // fade is dropped rarely (end of a session), so idle is fine. Null
        // handles from a failed `new` are ignored.
        unsafe {
            let _ = device.device_wait_idle();
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
    let module = pipeline::shader_module(device, FADE_SPV, "fade.spv")?;
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
    let vertex_input = vk::PipelineVertexInputStateCreateInfo::default();
    let assembly = vk::PipelineInputAssemblyStateCreateInfo::default()
        .topology(vk::PrimitiveTopology::TRIANGLE_LIST);
    let viewport = vk::PipelineViewportStateCreateInfo::default()
        .viewport_count(1)
        .scissor_count(1);
    let raster = vk::PipelineRasterizationStateCreateInfo::default()
        .polygon_mode(vk::PolygonMode::FILL)
        .cull_mode(vk::CullModeFlags::NONE)
        .front_face(vk::FrontFace::COUNTER_CLOCKWISE)
        .line_width(1.0);
    let multisample =
        vk::PipelineMultisampleStateCreateInfo::default().rasterization_samples(samples);
    // Covers everything whatever its depth, and leaves the depth buffer as
    // the scene wrote it (the XR compositor reprojects with it).
    let depth = vk::PipelineDepthStencilStateCreateInfo::default()
        .depth_test_enable(false)
        .depth_write_enable(false);
    let blend_attachments = [vk::PipelineColorBlendAttachmentState::default()
        .blend_enable(true)
        .src_color_blend_factor(vk::BlendFactor::SRC_ALPHA)
        .dst_color_blend_factor(vk::BlendFactor::ONE_MINUS_SRC_ALPHA)
        .color_blend_op(vk::BlendOp::ADD)
        .src_alpha_blend_factor(vk::BlendFactor::ZERO)
        .dst_alpha_blend_factor(vk::BlendFactor::ONE)
        .alpha_blend_op(vk::BlendOp::ADD)
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

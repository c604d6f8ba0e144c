//! The multiview render pass and the room pipeline.

use std::io::Cursor;
use std::mem::offset_of;

use ash::vk;

use super::error::{RenderError, VkContext};
use crate::scene::Vertex;

/// SPIR-V compiled from `shaders/room.wgsl` by `build.rs`: textured, with
/// the alpha test (glTF MASK).
const ROOM_SPV: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/room.spv"));
/// The same without texture sampling, for untextured materials.
const ROOM_PLAIN_SPV: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/room_plain.spv"));
/// Textured, without the alpha test's `discard`, for opaque and blended
/// materials: a shader that can discard makes llvmpipe defer every depth
/// write of the draw until after shading.
const ROOM_OPAQUE_SPV: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/room_opaque.spv"));
/// Neither texture sampling nor the alpha test.
const ROOM_PLAIN_OPAQUE_SPV: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/room_plain_opaque.spv"));

/// Both eyes: views 0 and 1 render into array layers 0 and 1.
pub(crate) const VIEW_MASK: u32 = 0b11;
/// One eye per pass (the fallback for broken multiview drivers): view 0
/// renders into a single-layer view of the eye's layer.
pub(crate) const SINGLE_VIEW_MASK: u32 = 0b1;

/// Bytes of the push block (`DrawPush` in the shader): the eye of view 0
/// and the draw's lamps ([`super::draw_list::DrawLights`]).
pub(crate) const PUSH_SIZE: u32 = 16;
/// Stages that read the push block.
pub(crate) const PUSH_STAGES: vk::ShaderStageFlags = vk::ShaderStageFlags::from_raw(
    vk::ShaderStageFlags::VERTEX.as_raw() | vk::ShaderStageFlags::FRAGMENT.as_raw(),
);

/// One render pass, one subpass, multiview over both layers. Colour is
/// cleared and stored; depth is stored too, for XR_KHR_composition_layer_depth.
/// Both end in attachment-optimal layouts, which is what XR_KHR_vulkan_enable
/// requires of swapchain images released to the runtime.
pub(crate) fn create_render_pass(
    device: &ash::Device,
    color: vk::Format,
    depth: vk::Format,
    view_mask: u32,
) -> Result<vk::RenderPass, RenderError> {
    let attachments = [
        vk::AttachmentDescription::default()
            .format(color)
            .samples(vk::SampleCountFlags::TYPE_1)
            .load_op(vk::AttachmentLoadOp::CLEAR)
            .store_op(vk::AttachmentStoreOp::STORE)
            .stencil_load_op(vk::AttachmentLoadOp::DONT_CARE)
            .stencil_store_op(vk::AttachmentStoreOp::DONT_CARE)
            .initial_layout(vk::ImageLayout::UNDEFINED)
            .final_layout(vk::ImageLayout::COLOR_ATTACHMENT_OPTIMAL),
        vk::AttachmentDescription::default()
            .format(depth)
            .samples(vk::SampleCountFlags::TYPE_1)
            .load_op(vk::AttachmentLoadOp::CLEAR)
            .store_op(vk::AttachmentStoreOp::STORE)
            .stencil_load_op(vk::AttachmentLoadOp::DONT_CARE)
            .stencil_store_op(vk::AttachmentStoreOp::DONT_CARE)
            .initial_layout(vk::ImageLayout::UNDEFINED)
            .final_layout(vk::ImageLayout::DEPTH_STENCIL_ATTACHMENT_OPTIMAL),
    ];
    let color_ref = [vk::AttachmentReference::default()
        .attachment(0)
        .layout(vk::ImageLayout::COLOR_ATTACHMENT_OPTIMAL)];
    let depth_ref = vk::AttachmentReference::default()
        .attachment(1)
        .layout(vk::ImageLayout::DEPTH_STENCIL_ATTACHMENT_OPTIMAL);
    let subpasses = [vk::SubpassDescription::default()
        .pipeline_bind_point(vk::PipelineBindPoint::GRAPHICS)
        .color_attachments(&color_ref)
        .depth_stencil_attachment(&depth_ref)];
    // Earlier frames (or the runtime's reads, ordered by the XR swapchain
    // wait) must finish with an image before this pass clears it.
    let attachment_stages = vk::PipelineStageFlags::COLOR_ATTACHMENT_OUTPUT
        | vk::PipelineStageFlags::EARLY_FRAGMENT_TESTS
        | vk::PipelineStageFlags::LATE_FRAGMENT_TESTS;
    let attachment_writes =
        vk::AccessFlags::COLOR_ATTACHMENT_WRITE | vk::AccessFlags::DEPTH_STENCIL_ATTACHMENT_WRITE;
    let dependencies = [vk::SubpassDependency::default()
        .src_subpass(vk::SUBPASS_EXTERNAL)
        .dst_subpass(0)
        .src_stage_mask(attachment_stages)
        .dst_stage_mask(attachment_stages)
        .src_access_mask(attachment_writes)
        .dst_access_mask(
            attachment_writes
                | vk::AccessFlags::COLOR_ATTACHMENT_READ
                | vk::AccessFlags::DEPTH_STENCIL_ATTACHMENT_READ,
        )];
    let view_masks = [view_mask];
    // Both views see nearly the same geometry: a hint the driver may use.
    let correlation = [view_mask];
    let mut multiview = vk::RenderPassMultiviewCreateInfo::default()
        .view_masks(&view_masks)
        .correlation_masks(&correlation);
    let info = vk::RenderPassCreateInfo::default()
        .attachments(&attachments)
        .subpasses(&subpasses)
        .dependencies(&dependencies)
        .push_next(&mut multiview);
    // SAFETY: valid create info.
    unsafe { device.create_render_pass(&info, None) }.vk("vkCreateRenderPass")
}

/// Descriptor layout: one uniform block (the frame) for both stages.
pub(crate) fn create_set_layout(
    device: &ash::Device,
) -> Result<vk::DescriptorSetLayout, RenderError> {
    let bindings = [vk::DescriptorSetLayoutBinding::default()
        .binding(0)
        .descriptor_type(vk::DescriptorType::UNIFORM_BUFFER)
        .descriptor_count(1)
        .stage_flags(vk::ShaderStageFlags::VERTEX | vk::ShaderStageFlags::FRAGMENT)];
    let info = vk::DescriptorSetLayoutCreateInfo::default().bindings(&bindings);
    // SAFETY: valid create info.
    unsafe { device.create_descriptor_set_layout(&info, None) }.vk("vkCreateDescriptorSetLayout")
}

/// Descriptor layout of set 1, one per material: its uniform block, then the
/// five textures, then their five samplers (WGSL has no combined samplers).
pub(crate) fn create_material_set_layout(
    device: &ash::Device,
) -> Result<vk::DescriptorSetLayout, RenderError> {
    let slots = super::materials::SLOTS as u32;
    let mut bindings = vec![
        vk::DescriptorSetLayoutBinding::default()
            .binding(0)
            .descriptor_type(vk::DescriptorType::UNIFORM_BUFFER)
            .descriptor_count(1)
            .stage_flags(vk::ShaderStageFlags::VERTEX | vk::ShaderStageFlags::FRAGMENT),
    ];
    for i in 0..slots {
        bindings.push(
            vk::DescriptorSetLayoutBinding::default()
                .binding(1 + i)
                .descriptor_type(vk::DescriptorType::SAMPLED_IMAGE)
                .descriptor_count(1)
                .stage_flags(vk::ShaderStageFlags::FRAGMENT),
        );
        bindings.push(
            vk::DescriptorSetLayoutBinding::default()
                .binding(1 + slots + i)
                .descriptor_type(vk::DescriptorType::SAMPLER)
                .descriptor_count(1)
                .stage_flags(vk::ShaderStageFlags::FRAGMENT),
        );
    }
    // The scene's sun shadow map and its comparison sampler.
    bindings.push(
        vk::DescriptorSetLayoutBinding::default()
            .binding(SHADOW_BINDING)
            .descriptor_type(vk::DescriptorType::SAMPLED_IMAGE)
            .descriptor_count(1)
            .stage_flags(vk::ShaderStageFlags::FRAGMENT),
    );
    bindings.push(
        vk::DescriptorSetLayoutBinding::default()
            .binding(SHADOW_BINDING + 1)
            .descriptor_type(vk::DescriptorType::SAMPLER)
            .descriptor_count(1)
            .stage_flags(vk::ShaderStageFlags::FRAGMENT),
    );
    // The scene's irradiance probes.
    bindings.push(
        vk::DescriptorSetLayoutBinding::default()
            .binding(PROBE_BINDING)
            .descriptor_type(vk::DescriptorType::UNIFORM_BUFFER)
            .descriptor_count(1)
            .stage_flags(vk::ShaderStageFlags::FRAGMENT),
    );
    let info = vk::DescriptorSetLayoutCreateInfo::default().bindings(&bindings);
    // SAFETY: valid create info.
    unsafe { device.create_descriptor_set_layout(&info, None) }.vk("vkCreateDescriptorSetLayout")
}

/// Binding of the shadow map in the material set (its sampler follows).
pub(crate) const SHADOW_BINDING: u32 = 11;
/// Binding of the scene's irradiance probes in the material set.
pub(crate) const PROBE_BINDING: u32 = 13;

pub(crate) fn create_pipeline_layout(
    device: &ash::Device,
    frame_layout: vk::DescriptorSetLayout,
    material_layout: vk::DescriptorSetLayout,
) -> Result<vk::PipelineLayout, RenderError> {
    let sets = [frame_layout, material_layout];
    let push = [vk::PushConstantRange::default()
        .stage_flags(PUSH_STAGES)
        .offset(0)
        .size(PUSH_SIZE)];
    let info = vk::PipelineLayoutCreateInfo::default()
        .set_layouts(&sets)
        .push_constant_ranges(&push);
    // SAFETY: valid create info.
    unsafe { device.create_pipeline_layout(&info, None) }.vk("vkCreatePipelineLayout")
}

/// A material's glTF alpha mode, as far as the pipeline cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AlphaPipeline {
    /// Depth tested and written; the shader has no `discard`.
    Opaque,
    /// Like opaque, with the alpha test's `discard` (glTF MASK).
    Mask,
    /// Alpha-blended, depth tested but not written (glTF BLEND).
    Blend,
}

/// How a material is rasterised: one pipeline each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PipelineKind {
    /// Opaque, alpha-tested or blended.
    pub(crate) alpha: AlphaPipeline,
    /// Back faces drawn too (glTF doubleSided).
    pub(crate) double_sided: bool,
    /// The material samples textures (else the shader without sampling code).
    pub(crate) textured: bool,
}

impl PipelineKind {
    /// How many kinds there are.
    pub(crate) const COUNT: usize = 12;

    /// Every kind, in [`PipelineKind::index`] order.
    pub(crate) fn all() -> [PipelineKind; Self::COUNT] {
        std::array::from_fn(|i| PipelineKind {
            alpha: match i / 4 {
                0 => AlphaPipeline::Opaque,
                1 => AlphaPipeline::Mask,
                _ => AlphaPipeline::Blend,
            },
            double_sided: i & 2 != 0,
            textured: i & 1 != 0,
        })
    }

    /// Position in [`PipelineKind::all`].
    pub(crate) fn index(self) -> usize {
        let alpha = match self.alpha {
            AlphaPipeline::Opaque => 0,
            AlphaPipeline::Mask => 1,
            AlphaPipeline::Blend => 2,
        };
        alpha * 4 + usize::from(self.double_sided) * 2 + usize::from(self.textured)
    }

    fn blend(self) -> bool {
        self.alpha == AlphaPipeline::Blend
    }
}

fn vertex_attribute(
    location: u32,
    format: vk::Format,
    offset: usize,
) -> vk::VertexInputAttributeDescription {
    vk::VertexInputAttributeDescription::default()
        .location(location)
        .binding(0)
        .format(format)
        .offset(offset as u32)
}

pub(crate) fn create_pipeline(
    device: &ash::Device,
    render_pass: vk::RenderPass,
    layout: vk::PipelineLayout,
    kind: PipelineKind,
    samples: vk::SampleCountFlags,
) -> Result<vk::Pipeline, RenderError> {
    let spv = match (kind.textured, kind.alpha == AlphaPipeline::Mask) {
        (true, true) => ROOM_SPV,
        (false, true) => ROOM_PLAIN_SPV,
        (true, false) => ROOM_OPAQUE_SPV,
        (false, false) => ROOM_PLAIN_OPAQUE_SPV,
    };
    let module = shader_module(device, spv, "room.spv")?;
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
        .stride(size_of::<Vertex>() as u32)
        .input_rate(vk::VertexInputRate::VERTEX)];
    let attributes = [
        vertex_attribute(
            0,
            vk::Format::R32G32B32_SFLOAT,
            offset_of!(Vertex, position),
        ),
        vertex_attribute(1, vk::Format::R32G32B32_SFLOAT, offset_of!(Vertex, normal)),
        vertex_attribute(
            2,
            vk::Format::R32G32B32A32_SFLOAT,
            offset_of!(Vertex, tangent),
        ),
        vertex_attribute(3, vk::Format::R32G32_SFLOAT, offset_of!(Vertex, uv0)),
        vertex_attribute(4, vk::Format::R32G32_SFLOAT, offset_of!(Vertex, uv1)),
        vertex_attribute(
            5,
            vk::Format::R32G32B32A32_SFLOAT,
            offset_of!(Vertex, color),
        ),
    ];
    let vertex_input = vk::PipelineVertexInputStateCreateInfo::default()
        .vertex_binding_descriptions(&bindings)
        .vertex_attribute_descriptions(&attributes);
    let assembly = vk::PipelineInputAssemblyStateCreateInfo::default()
        .topology(vk::PrimitiveTopology::TRIANGLE_LIST);
    let viewport = vk::PipelineViewportStateCreateInfo::default()
        .viewport_count(1)
        .scissor_count(1);
    // Counter-clockwise front faces: the projection flips y for Vulkan's
    // y-down framebuffer, so world-space CCW triangles stay CCW on screen.
    let raster = vk::PipelineRasterizationStateCreateInfo::default()
        .polygon_mode(vk::PolygonMode::FILL)
        .cull_mode(if kind.double_sided {
            vk::CullModeFlags::NONE
        } else {
            vk::CullModeFlags::BACK
        })
        .front_face(vk::FrontFace::COUNTER_CLOCKWISE)
        .line_width(1.0);
    let multisample =
        vk::PipelineMultisampleStateCreateInfo::default().rasterization_samples(samples);
    // Blended surfaces are sorted back to front and must not hide each other
    // (or what is behind them) in the depth buffer.
    let depth = vk::PipelineDepthStencilStateCreateInfo::default()
        .depth_test_enable(true)
        .depth_write_enable(!kind.blend())
        .depth_compare_op(vk::CompareOp::LESS);
    // Straight (not premultiplied) alpha, as glTF's base colour alpha is;
    // destination alpha keeps coverage for a compositor.
    let blend_attachments = [vk::PipelineColorBlendAttachmentState::default()
        .blend_enable(kind.blend())
        .src_color_blend_factor(vk::BlendFactor::SRC_ALPHA)
        .dst_color_blend_factor(vk::BlendFactor::ONE_MINUS_SRC_ALPHA)
        .color_blend_op(vk::BlendOp::ADD)
        .src_alpha_blend_factor(vk::BlendFactor::ONE)
        .dst_alpha_blend_factor(vk::BlendFactor::ONE_MINUS_SRC_ALPHA)
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
    create_graphics_pipeline(device, &info, module)
}

/// The 4x MSAA variant of [`create_render_pass`]. Attachments: multisampled
/// colour and depth (transient, never stored), then the single-sample colour
/// and depth they resolve into (the target's). It draws into multisampled
/// colour and depth, and resolves both at the end of the subpass into the
/// target's images, colour by averaging and depth by taking sample 0 (the
/// one mode every VK_KHR_depth_stencil_resolve device supports). Final
/// layouts as in [`create_render_pass`].
pub(crate) fn create_msaa_render_pass(
    ctx: &super::gpu::GpuContext,
    color: vk::Format,
    depth: vk::Format,
    view_mask: u32,
) -> Result<vk::RenderPass, RenderError> {
    let samples = vk::SampleCountFlags::TYPE_4;
    let attachment = |format, samples, load, store, layout| {
        vk::AttachmentDescription2::default()
            .format(format)
            .samples(samples)
            .load_op(load)
            .store_op(store)
            .stencil_load_op(vk::AttachmentLoadOp::DONT_CARE)
            .stencil_store_op(vk::AttachmentStoreOp::DONT_CARE)
            .initial_layout(vk::ImageLayout::UNDEFINED)
            .final_layout(layout)
    };
    let (clear, dont_load) = (vk::AttachmentLoadOp::CLEAR, vk::AttachmentLoadOp::DONT_CARE);
    let (discard, store) = (
        vk::AttachmentStoreOp::DONT_CARE,
        vk::AttachmentStoreOp::STORE,
    );
    let color_layout = vk::ImageLayout::COLOR_ATTACHMENT_OPTIMAL;
    let depth_layout = vk::ImageLayout::DEPTH_STENCIL_ATTACHMENT_OPTIMAL;
    let one = vk::SampleCountFlags::TYPE_1;
    let attachments = [
        attachment(color, samples, clear, discard, color_layout),
        attachment(depth, samples, clear, discard, depth_layout),
        attachment(color, one, dont_load, store, color_layout),
        attachment(depth, one, dont_load, store, depth_layout),
    ];
    let reference = |index: u32, layout, aspect| {
        vk::AttachmentReference2::default()
            .attachment(index)
            .layout(layout)
            .aspect_mask(aspect)
    };
    let color_ref = [reference(0, color_layout, vk::ImageAspectFlags::COLOR)];
    let depth_ref = reference(1, depth_layout, vk::ImageAspectFlags::DEPTH);
    let resolve_ref = [reference(2, color_layout, vk::ImageAspectFlags::COLOR)];
    let depth_resolve_ref = reference(3, depth_layout, vk::ImageAspectFlags::DEPTH);
    let mut depth_resolve = vk::SubpassDescriptionDepthStencilResolve::default()
        .depth_resolve_mode(vk::ResolveModeFlags::SAMPLE_ZERO)
        .stencil_resolve_mode(vk::ResolveModeFlags::NONE)
        .depth_stencil_resolve_attachment(&depth_resolve_ref);
    let subpasses = [vk::SubpassDescription2::default()
        .pipeline_bind_point(vk::PipelineBindPoint::GRAPHICS)
        .view_mask(view_mask)
        .color_attachments(&color_ref)
        .resolve_attachments(&resolve_ref)
        .depth_stencil_attachment(&depth_ref)
        .push_next(&mut depth_resolve)];
    // As in `create_render_pass`; resolves write in the colour-output stage.
    let attachment_stages = vk::PipelineStageFlags::COLOR_ATTACHMENT_OUTPUT
        | vk::PipelineStageFlags::EARLY_FRAGMENT_TESTS
        | vk::PipelineStageFlags::LATE_FRAGMENT_TESTS;
    let attachment_writes =
        vk::AccessFlags::COLOR_ATTACHMENT_WRITE | vk::AccessFlags::DEPTH_STENCIL_ATTACHMENT_WRITE;
    let dependencies = [vk::SubpassDependency2::default()
        .src_subpass(vk::SUBPASS_EXTERNAL)
        .dst_subpass(0)
        .src_stage_mask(attachment_stages)
        .dst_stage_mask(attachment_stages)
        .src_access_mask(attachment_writes)
        .dst_access_mask(
            attachment_writes
                | vk::AccessFlags::COLOR_ATTACHMENT_READ
                | vk::AccessFlags::DEPTH_STENCIL_ATTACHMENT_READ,
        )];
    let correlation = [view_mask];
    let info = vk::RenderPassCreateInfo2::default()
        .attachments(&attachments)
        .subpasses(&subpasses)
        .dependencies(&dependencies)
        .correlated_view_masks(&correlation);
    let loader = ash::khr::create_renderpass2::Device::new(&ctx.instance, &ctx.device);
    // SAFETY: valid create info; the extensions were enabled with the device
    // (`GpuContext::msaa4`).
    unsafe { loader.create_render_pass2(&info, None) }.vk("vkCreateRenderPass2KHR")
}

/// A shader module from SPIR-V embedded at build time (validated by naga
/// there); `name` labels the error if the bytes are not SPIR-V words.
pub(crate) fn shader_module(
    device: &ash::Device,
    spv: &[u8],
    name: &str,
) -> Result<vk::ShaderModule, RenderError> {
    let code = ash::util::read_spv(&mut Cursor::new(spv))
        .map_err(|e| RenderError::InvalidInput(format!("embedded {name}: {e}")))?;
    let module_info = vk::ShaderModuleCreateInfo::default().code(&code);
    // SAFETY: SPIR-V validated by naga at build time.
    unsafe { device.create_shader_module(&module_info, None) }.vk("vkCreateShaderModule")
}

/// Creates one graphics pipeline from `info`, then destroys `module`, whose
/// code the pipeline no longer needs, whether creation succeeded or not.
pub(crate) fn create_graphics_pipeline(
    device: &ash::Device,
    info: &vk::GraphicsPipelineCreateInfo,
    module: vk::ShaderModule,
) -> Result<vk::Pipeline, RenderError> {
    // SAFETY: every object `info` refers to is alive.
    let result = unsafe {
        device.create_graphics_pipelines(
            vk::PipelineCache::null(),
            std::slice::from_ref(info),
            None,
        )
    };
    // SAFETY: no pipeline is being created from the module any more.
    unsafe { device.destroy_shader_module(module, None) };
    match result {
        Ok(pipelines) => Ok(pipelines[0]),
        Err((_, result)) => Err(RenderError::Vulkan {
            call: "vkCreateGraphicsPipelines",
            result,
        }),
    }
}

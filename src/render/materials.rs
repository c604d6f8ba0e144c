//! Materials on the GPU: one uniform block per material in one buffer, and
//! one descriptor set per material binding it with its five textures (or the
//! white and flat-normal defaults for empty slots), the scene's shadow map
//! and its irradiance probes.

use std::sync::Arc;

use ash::vk;
use gpu_allocator::MemoryLocation;

use super::error::{RenderError, VkContext};
use super::gpu::GpuContext;
use super::memory::{GpuBuffer, UploadBatch};
use super::pipeline::{PROBE_BINDING, SHADOW_BINDING};
use super::textures::{
    DEFAULT_NORMAL_FROM_END, DEFAULT_WHITE_FROM_END, GpuTexture, upload_textures,
};
use crate::scene::{AlphaMode, IrradianceProbe, MAX_PROBES, Material, Scene, TextureSlot};

/// Texture slots in binding order (bindings 1..=5, samplers 6..=10).
pub(crate) const SLOTS: usize = 5;

/// `Material` in `shaders/room.wgsl` (std140: every member 16-byte aligned).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub(crate) struct MaterialUniform {
    pub(crate) base_color: [f32; 4],
    /// rgb emissive, w normal scale.
    pub(crate) emissive: [f32; 4],
    /// roughness, metallic, occlusion strength, alpha cutoff.
    pub(crate) params: [f32; 4],
    /// pattern, alpha mode, uv1 bits, textured bits.
    pub(crate) flags: [u32; 4],
    /// Two rows of each slot's UV transform.
    pub(crate) uv: [[f32; 4]; 2 * SLOTS],
}

fn slots(m: &Material) -> [Option<&TextureSlot>; SLOTS] {
    [
        m.base_color_texture.as_ref(),
        m.metallic_roughness_texture.as_ref(),
        m.normal_texture.as_ref(),
        m.occlusion_texture.as_ref(),
        m.emissive_texture.as_ref(),
    ]
}

impl MaterialUniform {
    pub(crate) fn new(m: &Material) -> Self {
        let (alpha_mode, cutoff) = match m.alpha {
            AlphaMode::Opaque => (0, 0.0),
            AlphaMode::Mask { cutoff } => (1, cutoff),
            AlphaMode::Blend => (2, 0.0),
        };
        let mut u = MaterialUniform {
            base_color: m.base_color,
            emissive: [m.emissive[0], m.emissive[1], m.emissive[2], m.normal_scale],
            params: [m.roughness, m.metallic, m.occlusion_strength, cutoff],
            flags: [m.pattern as u32, alpha_mode, 0, 0],
            uv: [[0.0; 4]; 2 * SLOTS],
        };
        for (i, slot) in slots(m).into_iter().enumerate() {
            // Identity rows for empty slots keep the block well defined.
            let matrix = slot.map(|s| s.transform.matrix()).unwrap_or_default();
            u.uv[2 * i] = [matrix.x_axis.x, matrix.y_axis.x, matrix.z_axis.x, 0.0];
            u.uv[2 * i + 1] = [matrix.x_axis.y, matrix.y_axis.y, matrix.z_axis.y, 0.0];
            if let Some(s) = slot {
                u.flags[3] |= 1 << i;
                if s.tex_coord == 1 {
                    u.flags[2] |= 1 << i;
                }
            }
        }
        u
    }
}

/// One `Probe` of `shaders/room.wgsl`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub(crate) struct ProbeBlock {
    box_min: [f32; 4],
    box_max: [f32; 4],
    sh: [[f32; 4]; 9],
}

/// `Probes` in `shaders/room.wgsl`: 720 bytes, written once per scene.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub(crate) struct ProbeUniforms {
    /// x: probes in use.
    count: [u32; 4],
    probes: [ProbeBlock; MAX_PROBES],
}

impl ProbeUniforms {
    /// The first [`MAX_PROBES`] of `probes`.
    pub(crate) fn new(probes: &[IrradianceProbe]) -> Self {
        let mut u: ProbeUniforms = bytemuck::Zeroable::zeroed();
        let used = probes.len().min(MAX_PROBES);
        u.count[0] = used as u32;
        for (block, p) in u.probes.iter_mut().zip(probes) {
            block.box_min = p.min.extend(0.0).to_array();
            block.box_max = p.max.extend(0.0).to_array();
            for (c, rgb) in block.sh.iter_mut().zip(&p.sh) {
                *c = [rgb[0], rgb[1], rgb[2], 0.0];
            }
        }
        u
    }
}

/// A scene's materials and textures on the GPU.
pub(crate) struct GpuMaterials {
    buffer: GpuBuffer,
    /// The scene's [`ProbeUniforms`], bound in every material's set.
    probes: GpuBuffer,
    pool: vk::DescriptorPool,
    /// One per [`Scene::materials`] entry.
    pub(crate) sets: Vec<vk::DescriptorSet>,
    textures: Vec<GpuTexture>,
}

impl GpuMaterials {
    /// Uploads the textures and material blocks and writes one set per material.
    pub(crate) fn new(
        ctx: &Arc<GpuContext>,
        batch: &mut UploadBatch,
        set_layout: vk::DescriptorSetLayout,
        scene: &Scene,
        shadow: (vk::ImageView, vk::Sampler),
    ) -> Result<Self, RenderError> {
        let texture_count = scene.textures.len();
        for (i, m) in scene.materials.iter().enumerate() {
            if let Some(bad) = m
                .texture_slots()
                .find(|s| s.texture as usize >= texture_count)
            {
                return Err(RenderError::InvalidInput(format!(
                    "material {i} names texture {} of {texture_count}",
                    bad.texture
                )));
            }
        }
        let count = scene.materials.len().max(1);
        let stride =
            (size_of::<MaterialUniform>() as u64).next_multiple_of(ctx.min_uniform_alignment);
        let buffer = GpuBuffer::new(
            ctx,
            "material blocks",
            stride * count as u64,
            vk::BufferUsageFlags::UNIFORM_BUFFER,
            MemoryLocation::CpuToGpu,
        )?;
        let probes = GpuBuffer::new(
            ctx,
            "irradiance probes",
            size_of::<ProbeUniforms>() as u64,
            vk::BufferUsageFlags::UNIFORM_BUFFER,
            MemoryLocation::CpuToGpu,
        );
        let probes = match probes {
            Ok(p) => p,
            Err(e) => {
                let mut buffer = buffer;
                buffer.destroy(ctx);
                return Err(e);
            }
        };
        let mut me = GpuMaterials {
            buffer,
            probes,
            pool: vk::DescriptorPool::null(),
            sets: Vec::new(),
            textures: Vec::new(),
        };
        match me.fill(ctx, batch, set_layout, scene, stride, shadow) {
            Ok(()) => Ok(me),
            Err(e) => {
                me.destroy(ctx);
                Err(e)
            }
        }
    }

    fn fill(
        &mut self,
        ctx: &Arc<GpuContext>,
        batch: &mut UploadBatch,
        set_layout: vk::DescriptorSetLayout,
        scene: &Scene,
        stride: u64,
        (shadow_view, shadow_sampler): (vk::ImageView, vk::Sampler),
    ) -> Result<(), RenderError> {
        let mapped = self.buffer.mapped()?;
        for (i, m) in scene.materials.iter().enumerate() {
            let at = i * stride as usize;
            let block = MaterialUniform::new(m);
            mapped[at..at + size_of::<MaterialUniform>()]
                .copy_from_slice(bytemuck::bytes_of(&block));
        }
        let block = ProbeUniforms::new(&scene.probes);
        self.probes.mapped()?[..size_of::<ProbeUniforms>()]
            .copy_from_slice(bytemuck::bytes_of(&block));
        self.textures = upload_textures(ctx, batch, &scene.textures)?;
        let count = scene.materials.len().max(1) as u32;
        let sizes = [
            vk::DescriptorPoolSize::default()
                .ty(vk::DescriptorType::UNIFORM_BUFFER)
                .descriptor_count(count * 2),
            vk::DescriptorPoolSize::default()
                .ty(vk::DescriptorType::SAMPLED_IMAGE)
                .descriptor_count(count * (SLOTS as u32 + 1)),
            vk::DescriptorPoolSize::default()
                .ty(vk::DescriptorType::SAMPLER)
                .descriptor_count(count * (SLOTS as u32 + 1)),
        ];
        let info = vk::DescriptorPoolCreateInfo::default()
            .max_sets(count)
            .pool_sizes(&sizes);
        let device = &ctx.device;
        // SAFETY: valid create info on a live device.
        self.pool =
            unsafe { device.create_descriptor_pool(&info, None) }.vk("vkCreateDescriptorPool")?;
        let layouts = vec![set_layout; scene.materials.len()];
        if layouts.is_empty() {
            return Ok(());
        }
        let alloc = vk::DescriptorSetAllocateInfo::default()
            .descriptor_pool(self.pool)
            .set_layouts(&layouts);
        // SAFETY: the pool was sized for these sets.
        self.sets =
            unsafe { device.allocate_descriptor_sets(&alloc) }.vk("vkAllocateDescriptorSets")?;
        let n = self.textures.len();
        let (white, flat) = (n - DEFAULT_WHITE_FROM_END, n - DEFAULT_NORMAL_FROM_END);
        for (i, (m, &set)) in scene.materials.iter().zip(&self.sets).enumerate() {
            let buffer = [vk::DescriptorBufferInfo::default()
                .buffer(self.buffer.buffer)
                .offset(i as u64 * stride)
                .range(size_of::<MaterialUniform>() as u64)];
            let mut images = [vk::DescriptorImageInfo::default(); SLOTS];
            let mut samplers = [vk::DescriptorImageInfo::default(); SLOTS];
            for (k, slot) in slots(m).into_iter().enumerate() {
                let fallback = if k == 2 { flat } else { white };
                let t = &self.textures[slot.map_or(fallback, |s| s.texture as usize)];
                images[k] = vk::DescriptorImageInfo::default()
                    .image_view(t.view)
                    .image_layout(vk::ImageLayout::SHADER_READ_ONLY_OPTIMAL);
                samplers[k] = vk::DescriptorImageInfo::default().sampler(t.sampler);
            }
            let shadow_image = [vk::DescriptorImageInfo::default()
                .image_view(shadow_view)
                .image_layout(vk::ImageLayout::DEPTH_STENCIL_READ_ONLY_OPTIMAL)];
            let shadow_sampler = [vk::DescriptorImageInfo::default().sampler(shadow_sampler)];
            let probes = [vk::DescriptorBufferInfo::default()
                .buffer(self.probes.buffer)
                .offset(0)
                .range(size_of::<ProbeUniforms>() as u64)];
            let writes = [
                vk::WriteDescriptorSet::default()
                    .dst_set(set)
                    .dst_binding(PROBE_BINDING)
                    .descriptor_type(vk::DescriptorType::UNIFORM_BUFFER)
                    .buffer_info(&probes),
                vk::WriteDescriptorSet::default()
                    .dst_set(set)
                    .dst_binding(SHADOW_BINDING)
                    .descriptor_type(vk::DescriptorType::SAMPLED_IMAGE)
                    .image_info(&shadow_image),
                vk::WriteDescriptorSet::default()
                    .dst_set(set)
                    .dst_binding(SHADOW_BINDING + 1)
                    .descriptor_type(vk::DescriptorType::SAMPLER)
                    .image_info(&shadow_sampler),
                vk::WriteDescriptorSet::default()
                    .dst_set(set)
                    .dst_binding(0)
                    .descriptor_type(vk::DescriptorType::UNIFORM_BUFFER)
                    .buffer_info(&buffer),
                vk::WriteDescriptorSet::default()
                    .dst_set(set)
                    .dst_binding(1)
                    .descriptor_type(vk::DescriptorType::SAMPLED_IMAGE)
                    .image_info(&images),
                vk::WriteDescriptorSet::default()
                    .dst_set(set)
                    .dst_binding(1 + SLOTS as u32)
                    .descriptor_type(vk::DescriptorType::SAMPLER)
                    .image_info(&samplers),
            ];
            // SAFETY: the set, buffer, views and samplers are alive.
            unsafe { device.update_descriptor_sets(&writes, &[]) };
        }
        Ok(())
    }

    /// The view and sampler of `m`'s base colour texture (white when it has
    /// none), for the shadow pass's cut-outs; `m` is one of the scene's.
    pub(crate) fn base_texture(&self, m: &Material) -> (vk::ImageView, vk::Sampler) {
        let n = self.textures.len();
        let white = n.saturating_sub(DEFAULT_WHITE_FROM_END);
        let index = m
            .base_color_texture
            .as_ref()
            .map_or(white, |s| s.texture as usize);
        self.textures
            .get(index)
            .or(self.textures.get(white))
            .map_or((vk::ImageView::null(), vk::Sampler::null()), |t| {
                (t.view, t.sampler)
            })
    }

    /// Bytes of GPU memory the textures and material blocks hold.
    pub(crate) fn bytes(&self) -> u64 {
        self.buffer.bytes()
            + self.probes.bytes()
            + self.textures.iter().map(GpuTexture::bytes).sum::<u64>()
    }

    /// Frees everything; no frame may still use the scene.
    pub(crate) fn destroy(&mut self, ctx: &GpuContext) {
        // SAFETY: the caller waited for the frames; null pools are ignored.
        unsafe { ctx.device.destroy_descriptor_pool(self.pool, None) };
        self.pool = vk::DescriptorPool::null();
        self.sets.clear();
        for t in &mut self.textures {
            t.destroy(ctx);
        }
        self.textures.clear();
        self.buffer.destroy(ctx);
        self.probes.destroy(ctx);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::UvTransform;

    mod shader {
        include!(concat!(env!("OUT_DIR"), "/room_layout.rs"));
    }

    #[test]
    fn probe_block_matches_the_shader_and_keeps_four_probes() {
        assert_eq!(size_of::<ProbeUniforms>(), shader::UNIFORM_PROBES_SIZE);
        let probe = |x: f32| IrradianceProbe {
            min: glam::Vec3::new(x, 0.0, -2.0),
            max: glam::Vec3::new(x + 4.0, 2.7, 2.0),
            position: glam::Vec3::new(x + 2.0, 1.6, 0.0),
            sh: std::array::from_fn(|i| [i as f32, x, 1.0]),
        };
        let many: Vec<_> = (0..6).map(|i| probe(i as f32 * 5.0)).collect();
        let u = ProbeUniforms::new(&many);
        assert_eq!(u.count[0], 4);
        assert_eq!(u.probes[3].box_min, [15.0, 0.0, -2.0, 0.0]);
        assert_eq!(u.probes[2].sh[8], [8.0, 10.0, 1.0, 0.0]);
        assert_eq!(ProbeUniforms::new(&[]).count[0], 0);
    }

    #[test]
    fn material_blocks_carry_slots_transforms_and_alpha() {
        let mut m = Material::srgb(0xFFFFFF, 0.5);
        m.alpha = AlphaMode::Mask { cutoff: 0.3 };
        m.normal_texture = Some(TextureSlot {
            texture: 0,
            tex_coord: 1,
            transform: UvTransform {
                offset: [0.5, 0.25],
                rotation: 0.0,
                scale: [2.0, 3.0],
            },
        });
        let u = MaterialUniform::new(&m);
        assert_eq!(u.flags[1], 1, "mask");
        assert_eq!(u.params[3], 0.3);
        assert_eq!(u.flags[3], 1 << 2, "only the normal slot is textured");
        assert_eq!(u.flags[2], 1 << 2, "and it reads uv1");
        // u' = 2u + 0.5, v' = 3v + 0.25, as rows (a, b, c): a*u + b*v + c.
        assert_eq!(u.uv[4], [2.0, 0.0, 0.5, 0.0]);
        assert_eq!(u.uv[5], [0.0, 3.0, 0.25, 0.0]);
        assert_eq!(u.uv[0], [1.0, 0.0, 0.0, 0.0], "identity for empty slots");
    }
}

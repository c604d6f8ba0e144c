//! Buffers and images with their memory, and one-off command submission.

use std::sync::Arc;

use ash::vk;
use gpu_allocator::MemoryLocation;
use gpu_allocator::vulkan::{Allocation, AllocationCreateDesc, AllocationScheme};

use super::error::{RenderError, VkContext};
use super::gpu::GpuContext;

/// How long to wait for the GPU before calling it hung. A textured option at
/// 2 x 2064 x 2208 takes lavapipe several seconds on 2 loaded cores, and a test
/// frame with validation once passed 20 s at load 11: 60 s still ends a real hang.
pub(crate) const GPU_TIMEOUT_NS: u64 = 60_000_000_000;

/// A buffer and its memory.
pub(crate) struct GpuBuffer {
    pub(crate) buffer: vk::Buffer,
    allocation: Option<Allocation>,
    pub(crate) size: u64,
}

impl GpuBuffer {
    pub(crate) fn new(
        ctx: &GpuContext,
        what: &'static str,
        size: u64,
        usage: vk::BufferUsageFlags,
        location: MemoryLocation,
    ) -> Result<Self, RenderError> {
        let info = vk::BufferCreateInfo::default()
            .size(size.max(4))
            .usage(usage)
            .sharing_mode(vk::SharingMode::EXCLUSIVE);
        // SAFETY: valid create info on a live device.
        let buffer = unsafe { ctx.device.create_buffer(&info, None) }.vk("vkCreateBuffer")?;
        // SAFETY: `buffer` was just created on this device.
        let requirements = unsafe { ctx.device.get_buffer_memory_requirements(buffer) };
        let allocation = ctx.allocator().allocate(&AllocationCreateDesc {
            name: what,
            requirements,
            location,
            linear: true,
            allocation_scheme: AllocationScheme::GpuAllocatorManaged,
        });
        let allocation = match allocation {
            Ok(a) => a,
            Err(source) => {
                // SAFETY: unused and unbound.
                unsafe { ctx.device.destroy_buffer(buffer, None) };
                return Err(RenderError::Memory { what, source });
            }
        };
        let mut me = GpuBuffer {
            buffer,
            allocation: Some(allocation),
            size,
        };
        if let Some(a) = &me.allocation {
            // SAFETY: fresh allocation sized by the buffer's requirements.
            let bound = unsafe {
                ctx.device
                    .bind_buffer_memory(buffer, a.memory(), a.offset())
            };
            if let Err(result) = bound {
                me.destroy(ctx);
                return Err(RenderError::Vulkan {
                    call: "vkBindBufferMemory",
                    result,
                });
            }
        }
        Ok(me)
    }

    /// The host-visible bytes (buffers made with a CPU-side location).
    pub(crate) fn mapped(&mut self) -> Result<&mut [u8], RenderError> {
        let size = self.size as usize;
        self.allocation
            .as_mut()
            .and_then(|a| a.mapped_slice_mut())
            .map(|s| &mut s[..size])
            .ok_or_else(|| RenderError::Unsupported("host-visible memory mapping".into()))
    }

    /// The host-visible bytes, read-only.
    pub(crate) fn mapped_ref(&self) -> Result<&[u8], RenderError> {
        let size = self.size as usize;
        self.allocation
            .as_ref()
            .and_then(|a| a.mapped_slice())
            .map(|s| &s[..size])
            .ok_or_else(|| RenderError::Unsupported("host-visible memory mapping".into()))
    }

    /// Bytes of GPU memory the buffer holds (0 once destroyed).
    pub(crate) fn bytes(&self) -> u64 {
        self.allocation.as_ref().map_or(0, Allocation::size)
    }

    /// Frees the buffer; the GPU must be done with it.
    pub(crate) fn destroy(&mut self, ctx: &GpuContext) {
        if let Some(a) = self.allocation.take() {
            // SAFETY: the caller guarantees the GPU no longer uses the buffer.
            unsafe { ctx.device.destroy_buffer(self.buffer, None) };
            let _ = ctx.allocator().free(a);
        }
    }
}

/// Format, size, layers, mips and samples of an image.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ImageShape {
    pub(crate) format: vk::Format,
    pub(crate) extent: vk::Extent2D,
    pub(crate) layers: u32,
    pub(crate) mip_levels: u32,
    pub(crate) samples: vk::SampleCountFlags,
}

/// An image and its memory.
pub(crate) struct GpuImage {
    pub(crate) image: vk::Image,
    allocation: Option<Allocation>,
}

impl GpuImage {
    /// A 2D image with `layers` array layers, in device-local memory.
    pub(crate) fn new_2d_array(
        ctx: &GpuContext,
        what: &'static str,
        format: vk::Format,
        extent: vk::Extent2D,
        layers: u32,
        usage: vk::ImageUsageFlags,
    ) -> Result<Self, RenderError> {
        Self::new(
            ctx,
            what,
            ImageShape {
                format,
                extent,
                layers,
                mip_levels: 1,
                samples: vk::SampleCountFlags::TYPE_1,
            },
            usage,
        )
    }

    /// An image of any [`ImageShape`], in device-local memory.
    pub(crate) fn new(
        ctx: &GpuContext,
        what: &'static str,
        shape: ImageShape,
        usage: vk::ImageUsageFlags,
    ) -> Result<Self, RenderError> {
        let info = vk::ImageCreateInfo::default()
            .image_type(vk::ImageType::TYPE_2D)
            .format(shape.format)
            .extent(vk::Extent3D {
                width: shape.extent.width,
                height: shape.extent.height,
                depth: 1,
            })
            .mip_levels(shape.mip_levels)
            .array_layers(shape.layers)
            .samples(shape.samples)
            .tiling(vk::ImageTiling::OPTIMAL)
            .usage(usage)
            .sharing_mode(vk::SharingMode::EXCLUSIVE)
            .initial_layout(vk::ImageLayout::UNDEFINED);
        // SAFETY: valid create info.
        let image = unsafe { ctx.device.create_image(&info, None) }.vk("vkCreateImage")?;
        // SAFETY: `image` was just created.
        let requirements = unsafe { ctx.device.get_image_memory_requirements(image) };
        let allocation = ctx.allocator().allocate(&AllocationCreateDesc {
            name: what,
            requirements,
            location: MemoryLocation::GpuOnly,
            linear: false,
            allocation_scheme: AllocationScheme::GpuAllocatorManaged,
        });
        let allocation = match allocation {
            Ok(a) => a,
            Err(source) => {
                // SAFETY: unused.
                unsafe { ctx.device.destroy_image(image, None) };
                return Err(RenderError::Memory { what, source });
            }
        };
        // SAFETY: fresh allocation sized by the image's requirements.
        let bound = unsafe {
            ctx.device
                .bind_image_memory(image, allocation.memory(), allocation.offset())
        };
        let mut me = GpuImage {
            image,
            allocation: Some(allocation),
        };
        if let Err(result) = bound {
            me.destroy(ctx);
            return Err(RenderError::Vulkan {
                call: "vkBindImageMemory",
                result,
            });
        }
        Ok(me)
    }

    /// Bytes of GPU memory the image holds (0 once destroyed).
    pub(crate) fn bytes(&self) -> u64 {
        self.allocation.as_ref().map_or(0, Allocation::size)
    }

    /// Frees the image; the GPU must be done with it.
    pub(crate) fn destroy(&mut self, ctx: &GpuContext) {
        if let Some(a) = self.allocation.take() {
            // SAFETY: the caller guarantees the GPU no longer uses the image.
            unsafe { ctx.device.destroy_image(self.image, None) };
            let _ = ctx.allocator().free(a);
        }
    }
}

/// Records commands with `record`, submits them on the graphics queue and
/// waits for them (uploads and readback: not on the frame path).
pub(crate) fn submit_and_wait(
    ctx: &GpuContext,
    pool: vk::CommandPool,
    what: &'static str,
    record: impl FnOnce(vk::CommandBuffer),
) -> Result<(), RenderError> {
    let device = &ctx.device;
    let alloc = vk::CommandBufferAllocateInfo::default()
        .command_pool(pool)
        .level(vk::CommandBufferLevel::PRIMARY)
        .command_buffer_count(1);
    // SAFETY: `pool` belongs to this device and is used from one thread (`&mut` owner).
    let cmd = unsafe { device.allocate_command_buffers(&alloc) }.vk("vkAllocateCommandBuffers")?[0];
    // SAFETY: fresh fence.
    let fence = match unsafe { device.create_fence(&vk::FenceCreateInfo::default(), None) } {
        Ok(f) => f,
        Err(result) => {
            // SAFETY: never submitted.
            unsafe { device.free_command_buffers(pool, &[cmd]) };
            return Err(RenderError::Vulkan {
                call: "vkCreateFence",
                result,
            });
        }
    };
    let result = (|| {
        let begin = vk::CommandBufferBeginInfo::default()
            .flags(vk::CommandBufferUsageFlags::ONE_TIME_SUBMIT);
        // SAFETY: fresh command buffer.
        unsafe { device.begin_command_buffer(cmd, &begin) }.vk("vkBeginCommandBuffer")?;
        record(cmd);
        // SAFETY: recording was begun above.
        unsafe { device.end_command_buffer(cmd) }.vk("vkEndCommandBuffer")?;
        let cmds = [cmd];
        let submit = vk::SubmitInfo::default().command_buffers(&cmds);
        // SAFETY: the queue is used only by `&mut` owners of renderers on this thread.
        unsafe { device.queue_submit(ctx.queue, &[submit], fence) }.vk("vkQueueSubmit")?;
        wait_fence(device, fence, what)
    })();
    if result.is_ok() {
        // SAFETY: the work is complete.
        unsafe {
            device.destroy_fence(fence, None);
            device.free_command_buffers(pool, &[cmd]);
        }
    } else {
        // The work may still be queued: wait for the device before freeing.
        // SAFETY: as above once the device is idle.
        unsafe {
            let _ = device.device_wait_idle();
            device.destroy_fence(fence, None);
            device.free_command_buffers(pool, &[cmd]);
        }
    }
    result
}

/// Waits for `fence` with the GPU time limit; a timeout names `what` was waited for.
pub(crate) fn wait_fence(
    device: &ash::Device,
    fence: vk::Fence,
    what: &'static str,
) -> Result<(), RenderError> {
    // SAFETY: the fence belongs to this device.
    match unsafe { device.wait_for_fences(&[fence], true, GPU_TIMEOUT_NS) } {
        Ok(()) => Ok(()),
        Err(vk::Result::TIMEOUT) => Err(RenderError::Timeout {
            what,
            seconds: GPU_TIMEOUT_NS / 1_000_000_000,
        }),
        Err(result) => Err(RenderError::Vulkan {
            call: "vkWaitForFences",
            result,
        }),
    }
}

/// One upload's commands, recorded on any thread into command buffers of
/// the batch's own pool (command pools are externally synchronised, so each
/// batch has one), and submitted later by the thread that owns the queue:
/// XR_KHR_vulkan_enable2 leaves queue synchronisation to the app, and the
/// runtime submits on the same queue inside xrEndFrame. The staging buffers,
/// framebuffers and descriptor pools the commands use live until it is done.
///
/// A batch is a sequence of steps (command buffers), submitted one at a time:
/// on a device whose queue is the CPU (lavapipe) each step runs between two
/// frames, so splitting the work keeps any one frame from waiting for all of it.
pub(crate) struct UploadBatch {
    pub(crate) ctx: Arc<GpuContext>,
    pool: vk::CommandPool,
    /// One per step, recorded in order; the last one is being recorded.
    cmds: Vec<vk::CommandBuffer>,
    /// One per step.
    fences: Vec<vk::Fence>,
    staging: Vec<GpuBuffer>,
    framebuffers: Vec<vk::Framebuffer>,
    descriptor_pools: Vec<vk::DescriptorPool>,
    /// Steps submitted so far.
    submitted: usize,
    /// Whether every step was seen finished: the resources can go.
    done: bool,
}

impl UploadBatch {
    /// A new batch, recording its first step.
    pub(crate) fn begin(ctx: &Arc<GpuContext>) -> Result<Self, RenderError> {
        let mut me = UploadBatch {
            ctx: Arc::clone(ctx),
            pool: vk::CommandPool::null(),
            cmds: Vec::new(),
            fences: Vec::new(),
            staging: Vec::new(),
            framebuffers: Vec::new(),
            descriptor_pools: Vec::new(),
            submitted: 0,
            done: false,
        };
        let info = vk::CommandPoolCreateInfo::default()
            .queue_family_index(ctx.queue_family_index)
            .flags(vk::CommandPoolCreateFlags::TRANSIENT);
        // SAFETY: valid create info on a live device; on error `me` drops
        // and destroys what was made.
        me.pool =
            unsafe { ctx.device.create_command_pool(&info, None) }.vk("vkCreateCommandPool")?;
        me.add_step()?;
        Ok(me)
    }

    /// Starts recording a further step, submitted after the earlier ones
    /// have finished; [`cmd`](Self::cmd) records into it from now on.
    pub(crate) fn add_step(&mut self) -> Result<vk::CommandBuffer, RenderError> {
        let device = &self.ctx.device;
        let alloc = vk::CommandBufferAllocateInfo::default()
            .command_pool(self.pool)
            .level(vk::CommandBufferLevel::PRIMARY)
            .command_buffer_count(1);
        // SAFETY: the pool is this batch's, used by one thread at a time.
        let cmd =
            unsafe { device.allocate_command_buffers(&alloc) }.vk("vkAllocateCommandBuffers")?[0];
        self.cmds.push(cmd);
        // SAFETY: valid create info.
        let fence = unsafe { device.create_fence(&vk::FenceCreateInfo::default(), None) }
            .vk("vkCreateFence")?;
        self.fences.push(fence);
        let begin = vk::CommandBufferBeginInfo::default()
            .flags(vk::CommandBufferUsageFlags::ONE_TIME_SUBMIT);
        // SAFETY: a fresh command buffer of this batch's pool.
        unsafe { device.begin_command_buffer(cmd, &begin) }.vk("vkBeginCommandBuffer")?;
        Ok(cmd)
    }

    /// The command buffer being recorded (the last step's).
    pub(crate) fn cmd(&self) -> vk::CommandBuffer {
        self.cmds.last().copied().unwrap_or_default()
    }

    /// A host-visible staging buffer holding `bytes`, kept until the batch is done.
    pub(crate) fn stage(
        &mut self,
        what: &'static str,
        size: u64,
    ) -> Result<&mut GpuBuffer, RenderError> {
        let buffer = GpuBuffer::new(
            &self.ctx,
            what,
            size,
            vk::BufferUsageFlags::TRANSFER_SRC,
            MemoryLocation::CpuToGpu,
        )?;
        self.staging.push(buffer);
        Ok(self.staging.last_mut().expect("pushed above"))
    }

    /// Keeps `framebuffer` (used by the recorded commands) until the batch is done.
    pub(crate) fn keep_framebuffer(&mut self, framebuffer: vk::Framebuffer) {
        self.framebuffers.push(framebuffer);
    }

    /// Keeps `pool` (its sets are bound by the recorded commands) until the batch is done.
    pub(crate) fn keep_descriptor_pool(&mut self, pool: vk::DescriptorPool) {
        self.descriptor_pools.push(pool);
    }

    /// Ends and submits the next step on the queue, if the one before has
    /// finished (never blocks): call it once per frame. Only the thread that
    /// owns the queue may call it. True when a step was submitted.
    pub(crate) fn submit_next(&mut self) -> Result<bool, RenderError> {
        let i = self.submitted;
        if i >= self.cmds.len() || (i > 0 && !self.fence_signalled(i - 1)?) {
            return Ok(false);
        }
        self.submit_step(i)?;
        Ok(true)
    }

    fn submit_step(&mut self, i: usize) -> Result<(), RenderError> {
        let device = &self.ctx.device;
        // SAFETY: step `i` is recording; the caller owns the queue.
        unsafe {
            device
                .end_command_buffer(self.cmds[i])
                .vk("vkEndCommandBuffer")?;
            let cmds = [self.cmds[i]];
            let submit = vk::SubmitInfo::default().command_buffers(&cmds);
            device
                .queue_submit(self.ctx.queue, &[submit], self.fences[i])
                .vk("vkQueueSubmit")?;
        }
        self.submitted = i + 1;
        Ok(())
    }

    fn fence_signalled(&self, i: usize) -> Result<bool, RenderError> {
        // SAFETY: the fence belongs to this device.
        unsafe { self.ctx.device.get_fence_status(self.fences[i]) }.vk("vkGetFenceStatus")
    }

    /// Whether every step was submitted and has finished (never blocks);
    /// the staging memory is freed the first time it says so.
    pub(crate) fn is_done(&mut self) -> Result<bool, RenderError> {
        if !self.done && self.submitted == self.cmds.len() && self.submitted > 0 {
            let mut all = true;
            for i in 0..self.submitted {
                all &= self.fence_signalled(i)?;
            }
            if all {
                self.done = true;
                self.free_resources();
            }
        }
        Ok(self.done)
    }

    /// Submits the steps not yet submitted and waits for all of them (with
    /// the GPU time limit). Only the thread that owns the queue may call it.
    pub(crate) fn finish(&mut self, what: &'static str) -> Result<(), RenderError> {
        while self.submitted < self.cmds.len() {
            self.submit_step(self.submitted)?;
        }
        self.wait(what)
    }

    /// Waits for the steps submitted so far (with the GPU time limit).
    pub(crate) fn wait(&mut self, what: &'static str) -> Result<(), RenderError> {
        for i in 0..self.submitted {
            wait_fence(&self.ctx.device, self.fences[i], what)?;
        }
        if self.submitted == self.cmds.len() {
            self.done = true;
            self.free_resources();
        }
        Ok(())
    }

    fn free_resources(&mut self) {
        for mut buffer in self.staging.drain(..) {
            buffer.destroy(&self.ctx);
        }
        for framebuffer in self.framebuffers.drain(..) {
            // SAFETY: the commands that used it finished (or never ran).
            unsafe { self.ctx.device.destroy_framebuffer(framebuffer, None) };
        }
        for pool in self.descriptor_pools.drain(..) {
            // SAFETY: as above: no recorded command will bind its sets again.
            unsafe { self.ctx.device.destroy_descriptor_pool(pool, None) };
        }
    }
}

impl Drop for UploadBatch {
    fn drop(&mut self) {
        if self.submitted > 0 && !self.done && self.wait("an upload being dropped").is_err() {
            // SAFETY: nothing may be freed while the GPU could still read it.
            let _ = unsafe { self.ctx.device.device_wait_idle() };
        }
        // Steps never submitted are only freed with the pool.
        self.free_resources();
        let device = &self.ctx.device;
        // SAFETY: the submitted steps finished; null handles are ignored.
        unsafe {
            for &fence in &self.fences {
                device.destroy_fence(fence, None);
            }
            device.destroy_command_pool(self.pool, None);
        }
    }
}

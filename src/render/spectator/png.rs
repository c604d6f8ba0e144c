//! `--spectator-png DIR --every S`: the wearer's left eye as PNG files.
//!
//! Every S seconds the frame's left eye is scaled into an image of ours and
//! copied to a host-visible buffer, in a command buffer submitted right after
//! the frame. Frames later, when that submission's fence has signalled (polled,
//! never waited for), the pixels go to a worker thread that encodes and writes
//! the file. Nothing here blocks the frame loop: a capture that finds both
//! slots busy, or the worker behind, is skipped.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;

use ash::vk;
use gpu_allocator::MemoryLocation;

use super::blit;
use crate::render::error::{RenderError, VkContext};
use crate::render::gpu::{Gpu, GpuContext};
use crate::render::memory::{GpuBuffer, GpuImage};

/// Colour format of the captured image: 8-bit sRGB, as PNG stores it.
const CAPTURE_FORMAT: vk::Format = vk::Format::R8G8B8A8_SRGB;
/// Captures in flight: one being copied while the last is read back.
const SLOTS: usize = 2;
/// Frames waiting for the encoder; more are dropped rather than queued.
const ENCODE_QUEUE: usize = 2;

/// A finished capture on its way to the encoder.
struct Picture {
    number: u64,
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

struct Slot {
    cmd: vk::CommandBuffer,
    fence: vk::Fence,
    image: GpuImage,
    buffer: GpuBuffer,
    /// The picture number being copied, until the fence signals.
    pending: Option<u64>,
}

/// Writes the wearer's left eye to `DIR/spectator-NNNNNN.png` every few seconds.
pub struct PngSpectator {
    ctx: Arc<GpuContext>,
    pool: vk::CommandPool,
    slots: Vec<Slot>,
    eye_extent: vk::Extent2D,
    extent: vk::Extent2D,
    every_s: f64,
    next_at: f64,
    number: u64,
    to_worker: Option<SyncSender<Picture>>,
    worker: Option<JoinHandle<()>>,
}

impl PngSpectator {
    /// Captures of eyes of `eye_extent` (scaled to at most `max_width`),
    /// every `every_s` seconds, into `dir` (created if missing).
    pub fn new(
        gpu: &Gpu,
        dir: &Path,
        every_s: f64,
        eye_extent: vk::Extent2D,
        max_width: u32,
    ) -> Result<Self, RenderError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            RenderError::InvalidInput(format!("cannot create {}: {e}", dir.display()))
        })?;
        let ctx = gpu.ctx.clone();
        let info = vk::CommandPoolCreateInfo::default()
            .queue_family_index(ctx.queue_family_index)
            .flags(vk::CommandPoolCreateFlags::RESET_COMMAND_BUFFER);
        // SAFETY: valid create info on a live device.
        let pool =
            unsafe { ctx.device.create_command_pool(&info, None) }.vk("vkCreateCommandPool")?;
        let (to_worker, from_frames) = sync_channel(ENCODE_QUEUE);
        let mut me = PngSpectator {
            ctx,
            pool,
            slots: Vec::with_capacity(SLOTS),
            eye_extent,
            extent: blit::scaled(eye_extent, max_width),
            every_s,
            next_at: 0.0,
            number: 0,
            to_worker: Some(to_worker),
            worker: None,
        };
        for _ in 0..SLOTS {
            let slot = me.new_slot()?;
            me.slots.push(slot);
        }
        let dir = dir.to_path_buf();
        let worker = std::thread::Builder::new()
            .name("spectator-png".into())
            .spawn(move || encode_loop(&dir, &from_frames))
            .map_err(|e| RenderError::Platform(format!("cannot start the PNG encoder: {e}")))?;
        me.worker = Some(worker);
        tracing::info!(
            every_s,
            width = me.extent.width,
            height = me.extent.height,
            "spectator: writing the left eye as PNG files"
        );
        Ok(me)
    }

    fn new_slot(&self) -> Result<Slot, RenderError> {
        let device = &self.ctx.device;
        let alloc = vk::CommandBufferAllocateInfo::default()
            .command_pool(self.pool)
            .level(vk::CommandBufferLevel::PRIMARY)
            .command_buffer_count(1);
        // SAFETY: the pool is ours; freed with it.
        let cmd =
            unsafe { device.allocate_command_buffers(&alloc) }.vk("vkAllocateCommandBuffers")?[0];
        let mut image = GpuImage::new_2d_array(
            &self.ctx,
            "spectator capture",
            CAPTURE_FORMAT,
            self.extent,
            1,
            vk::ImageUsageFlags::TRANSFER_DST | vk::ImageUsageFlags::TRANSFER_SRC,
        )?;
        let bytes = self.extent.width as u64 * self.extent.height as u64 * 4;
        let buffer = GpuBuffer::new(
            &self.ctx,
            "spectator readback",
            bytes,
            vk::BufferUsageFlags::TRANSFER_DST,
            MemoryLocation::GpuToCpu,
        );
        let mut buffer = match buffer {
            Ok(b) => b,
            Err(e) => {
                image.destroy(&self.ctx);
                return Err(e);
            }
        };
        // SAFETY: plain create.
        match unsafe { device.create_fence(&vk::FenceCreateInfo::default(), None) } {
            Ok(fence) => Ok(Slot {
                cmd,
                fence,
                image,
                buffer,
                pending: None,
            }),
            Err(result) => {
                image.destroy(&self.ctx);
                buffer.destroy(&self.ctx);
                Err(RenderError::Vulkan {
                    call: "vkCreateFence",
                    result,
                })
            }
        }
    }

    /// Called after the stereo frame into `eye_image` was submitted and before
    /// the image goes back to the runtime: hands finished captures to the
    /// encoder and, when one is due, records and submits the next, scaling
    /// the top-left `drawn` part of the eye (what the frame drew) to the picture.
    pub fn frame(
        &mut self,
        eye_image: vk::Image,
        drawn: vk::Extent2D,
        now: f64,
    ) -> Result<(), RenderError> {
        self.collect()?;
        if now < self.next_at {
            return Ok(());
        }
        let Some(index) = self.slots.iter().position(|s| s.pending.is_none()) else {
            tracing::debug!("spectator: both captures still in flight; skipping one");
            return Ok(());
        };
        // Keep the cadence, but never try to catch up on missed captures.
        self.next_at = (self.next_at + self.every_s).max(now);
        self.number += 1;
        self.submit(index, eye_image, drawn)
    }

    fn submit(
        &mut self,
        index: usize,
        eye_image: vk::Image,
        drawn: vk::Extent2D,
    ) -> Result<(), RenderError> {
        let device = &self.ctx.device;
        let slot = &self.slots[index];
        let cmd = slot.cmd;
        // SAFETY: the slot is idle (its fence signalled and was collected).
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
        let capture = slot.image.image;
        blit::barrier(
            device,
            cmd,
            capture,
            blit::whole(),
            (
                vk::PipelineStageFlags::TRANSFER,
                vk::AccessFlags::empty(),
                vk::ImageLayout::UNDEFINED,
            ),
            (
                vk::PipelineStageFlags::TRANSFER,
                vk::AccessFlags::TRANSFER_WRITE,
                vk::ImageLayout::TRANSFER_DST_OPTIMAL,
            ),
        );
        blit::blit_left_eye(
            device,
            cmd,
            eye_image,
            blit::within(drawn, self.eye_extent),
            capture,
            self.extent,
        );
        blit::barrier(
            device,
            cmd,
            capture,
            blit::whole(),
            (
                vk::PipelineStageFlags::TRANSFER,
                vk::AccessFlags::TRANSFER_WRITE,
                vk::ImageLayout::TRANSFER_DST_OPTIMAL,
            ),
            (
                vk::PipelineStageFlags::TRANSFER,
                vk::AccessFlags::TRANSFER_READ,
                vk::ImageLayout::TRANSFER_SRC_OPTIMAL,
            ),
        );
        let region = vk::BufferImageCopy::default()
            .image_subresource(vk::ImageSubresourceLayers {
                aspect_mask: vk::ImageAspectFlags::COLOR,
                mip_level: 0,
                base_array_layer: 0,
                layer_count: 1,
            })
            .image_extent(vk::Extent3D {
                width: self.extent.width,
                height: self.extent.height,
                depth: 1,
            });
        let to_host = vk::BufferMemoryBarrier::default()
            .src_access_mask(vk::AccessFlags::TRANSFER_WRITE)
            .dst_access_mask(vk::AccessFlags::HOST_READ)
            .src_queue_family_index(vk::QUEUE_FAMILY_IGNORED)
            .dst_queue_family_index(vk::QUEUE_FAMILY_IGNORED)
            .buffer(slot.buffer.buffer)
            .offset(0)
            .size(vk::WHOLE_SIZE);
        // SAFETY: recording; every handle is alive; the queue is used from
        // the frame loop's thread only.
        unsafe {
            device.cmd_copy_image_to_buffer(
                cmd,
                capture,
                vk::ImageLayout::TRANSFER_SRC_OPTIMAL,
                slot.buffer.buffer,
                &[region],
            );
            device.cmd_pipeline_barrier(
                cmd,
                vk::PipelineStageFlags::TRANSFER,
                vk::PipelineStageFlags::HOST,
                vk::DependencyFlags::empty(),
                &[],
                &[to_host],
                &[],
            );
            device.end_command_buffer(cmd).vk("vkEndCommandBuffer")?;
            let cmds = [cmd];
            let submit = vk::SubmitInfo::default().command_buffers(&cmds);
            device
                .queue_submit(self.ctx.queue, &[submit], slot.fence)
                .vk("vkQueueSubmit")?;
        }
        self.slots[index].pending = Some(self.number);
        Ok(())
    }

    /// Sends every capture whose copy has finished to the encoder.
    fn collect(&mut self) -> Result<(), RenderError> {
        let device = &self.ctx.device;
        for slot in &mut self.slots {
            let Some(number) = slot.pending else {
                continue;
            };
            // SAFETY: a fence of this device; a status query never blocks.
            if !unsafe { device.get_fence_status(slot.fence) }.vk("vkGetFenceStatus")? {
                continue;
            }
            // SAFETY: signalled, so nothing uses it.
            unsafe { device.reset_fences(&[slot.fence]) }.vk("vkResetFences")?;
            slot.pending = None;
            let picture = Picture {
                number,
                width: self.extent.width,
                height: self.extent.height,
                // One allocation per picture (every few seconds), not per frame.
                rgba: slot.buffer.mapped_ref()?.to_vec(),
            };
            if let Some(to_worker) = &self.to_worker {
                match to_worker.try_send(picture) {
                    Ok(()) => {}
                    Err(TrySendError::Full(p)) => {
                        tracing::warn!(
                            number = p.number,
                            "spectator: encoder behind; picture dropped"
                        );
                    }
                    Err(TrySendError::Disconnected(_)) => {
                        tracing::warn!("spectator: the PNG encoder stopped; no more pictures");
                        self.to_worker = None;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Drop for PngSpectator {
    fn drop(&mut self) {
        let ctx = self.ctx.clone();
        let device = &ctx.device;
        let fences: Vec<vk::Fence> = self
            .slots
            .iter()
            .filter(|s| s.pending.is_some())
            .map(|s| s.fence)
            .collect();
        if !fences.is_empty() {
            // SAFETY: fences of this device; bounded wait so a hung device cannot hang exit.
            let _ = unsafe {
                device.wait_for_fences(&fences, true, crate::render::memory::GPU_TIMEOUT_NS)
            };
            let _ = self.collect();
        }
        // The worker finishes what it was given, then sees the channel closed.
        self.to_worker = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
        for slot in &mut self.slots {
            slot.image.destroy(&self.ctx);
            slot.buffer.destroy(&self.ctx);
            // SAFETY: nothing is in flight any more.
            unsafe { device.destroy_fence(slot.fence, None) };
        }
        // SAFETY: frees the command buffers with it.
        unsafe { device.destroy_command_pool(self.pool, None) };
    }
}

/// The encoder thread: writes each picture to a temporary name and renames it,
/// so a reader never sees half a file.
fn encode_loop(dir: &Path, pictures: &Receiver<Picture>) {
    let mut failed = false;
    while let Ok(p) = pictures.recv() {
        let path = dir.join(format!("spectator-{:06}.png", p.number));
        let temp: PathBuf = dir.join(format!(".spectator-{:06}.png.part", p.number));
        let result = image::RgbaImage::from_raw(p.width, p.height, p.rgba)
            .ok_or_else(|| "picture size mismatch".to_owned())
            .and_then(|img| {
                img.save_with_format(&temp, image::ImageFormat::Png)
                    .map_err(|e| e.to_string())
            })
            .and_then(|()| std::fs::rename(&temp, &path).map_err(|e| e.to_string()));
        match result {
            Ok(()) => tracing::debug!(path = %path.display(), "spectator picture written"),
            // Once: a full disk would otherwise log every few seconds all day.
            Err(e) if !failed => {
                tracing::error!(path = %path.display(), "spectator picture not written: {e}");
                failed = true;
            }
            Err(_) => {}
        }
    }
}

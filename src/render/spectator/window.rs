//! `--spectator`: a desktop window mirroring the wearer's left eye.
//!
//! An X11 window (on Wayland desktops through XWayland) with a Vulkan
//! swapchain on the renderer's device. Every frame, if the window has an
//! image free right now (acquire with timeout 0) and its previous copy is done
//! (fence polled, never waited for), the frame's left eye is blitted into it
//! by a command buffer submitted right after the frame, then presented in
//! MAILBOX or IMMEDIATE mode where offered. Otherwise the window simply skips
//! a frame: the headset never waits for it.

use std::ffi::CStr;
use std::sync::Arc;

use ash::vk;
use x11rb::connection::Connection;
use x11rb::protocol::Event;
use x11rb::protocol::xproto::{
    AtomEnum, ConnectionExt as _, CreateWindowAux, EventMask, PropMode, WindowClass,
};
use x11rb::wrapper::ConnectionExt as _;
use x11rb::xcb_ffi::XCBConnection;

use super::blit;
use crate::render::error::{RenderError, VkContext};
use crate::render::gpu::{Gpu, GpuContext, GpuExtensions};

/// The window's title, which tests look for.
pub const SPECTATOR_TITLE: &str = "roomwave spectator";

/// Copies in flight: one being presented while the next is recorded.
const SLOTS: usize = 2;

/// Why the window stopped; the session goes on without it.
#[derive(Debug, thiserror::Error)]
pub enum SpectatorWindowError {
    /// No X display (no `DISPLAY`, or the server refused).
    #[error("no X display ({0})")]
    NoDisplay(String),
    /// The X connection failed while the window was open.
    #[error("the X connection failed: {0}")]
    Connection(String),
    /// The viewer closed the window.
    #[error("the window was closed")]
    Closed,
    /// Vulkan refused the surface or swapchain.
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// An open connection to the X server, made before the GPU so that the GPU is
/// created with the surface extensions only when a window can be shown.
pub struct SpectatorDisplay {
    conn: XCBConnection,
    screen: usize,
}

impl SpectatorDisplay {
    /// Connects to `DISPLAY`.
    pub fn connect() -> Result<Self, SpectatorWindowError> {
        let (conn, screen) = XCBConnection::connect(None)
            .map_err(|e| SpectatorWindowError::NoDisplay(e.to_string()))?;
        Ok(SpectatorDisplay { conn, screen })
    }

    /// The extensions the GPU needs to present to an X window.
    pub fn extensions() -> GpuExtensions {
        GpuExtensions {
            instance: vec![ash::khr::surface::NAME, ash::khr::xcb_surface::NAME],
            device: vec![ash::khr::swapchain::NAME],
        }
    }

    /// Whether the Vulkan loader offers the instance extensions.
    pub fn vulkan_supports_it(entry: &ash::Entry) -> bool {
        // SAFETY: plain query on a loaded entry.
        let Ok(available) = (unsafe { entry.enumerate_instance_extension_properties(None) }) else {
            return false;
        };
        let has = |name: &CStr| {
            available
                .iter()
                .any(|e| e.extension_name_as_c_str().ok() == Some(name))
        };
        Self::extensions().instance.iter().all(|n| has(n))
    }
}

struct Slot {
    cmd: vk::CommandBuffer,
    fence: vk::Fence,
    acquired: vk::Semaphore,
}

/// The spectator window and its swapchain.
pub struct SpectatorWindow {
    ctx: Arc<GpuContext>,
    conn: XCBConnection,
    window: u32,
    wm_protocols: u32,
    wm_delete: u32,
    surface_fn: ash::khr::surface::Instance,
    swapchain_fn: ash::khr::swapchain::Device,
    surface: vk::SurfaceKHR,
    swapchain: vk::SwapchainKHR,
    images: Vec<vk::Image>,
    /// One per swapchain image: signalled by our copy, waited on by present.
    /// Per image, not per slot, because an image is re-acquired only after
    /// its presentation (and so that wait) is done.
    presentable: Vec<vk::Semaphore>,
    extent: vk::Extent2D,
    window_size: vk::Extent2D,
    stale: bool,
    pool: vk::CommandPool,
    slots: Vec<Slot>,
    next_slot: usize,
    eye_extent: vk::Extent2D,
}

impl SpectatorWindow {
    /// Opens a window on `display` sized for eyes of `eye_extent` (at most
    /// `max_width` wide), with a swapchain on `gpu`, which must have been
    /// created with [`SpectatorDisplay::extensions`].
    pub fn open(
        display: SpectatorDisplay,
        gpu: &Gpu,
        eye_extent: vk::Extent2D,
        max_width: u32,
    ) -> Result<Self, SpectatorWindowError> {
        let SpectatorDisplay { conn, screen } = display;
        let size = blit::scaled(eye_extent, max_width);
        let x = |e: x11rb::errors::ReplyOrIdError| SpectatorWindowError::Connection(e.to_string());
        let root = conn.setup().roots[screen].root;
        let window = conn.generate_id().map_err(x)?;
        let aux = CreateWindowAux::new().event_mask(EventMask::STRUCTURE_NOTIFY);
        let c = |e: x11rb::errors::ConnectionError| SpectatorWindowError::Connection(e.to_string());
        conn.create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            window,
            root,
            0,
            0,
            size.width.min(u16::MAX as u32) as u16,
            size.height.min(u16::MAX as u32) as u16,
            0,
            WindowClass::INPUT_OUTPUT,
            x11rb::COPY_FROM_PARENT,
            &aux,
        )
        .map_err(c)?;
        let atom = |name: &[u8]| -> Result<u32, SpectatorWindowError> {
            let reply = conn.intern_atom(false, name).map_err(c)?.reply();
            reply
                .map(|r| r.atom)
                .map_err(|e| SpectatorWindowError::Connection(e.to_string()))
        };
        let wm_protocols = atom(b"WM_PROTOCOLS")?;
        let wm_delete = atom(b"WM_DELETE_WINDOW")?;
        conn.change_property8(
            PropMode::REPLACE,
            window,
            AtomEnum::WM_NAME,
            AtomEnum::STRING,
            SPECTATOR_TITLE.as_bytes(),
        )
        .map_err(c)?;
        // Ask the window manager for a close message instead of killing our connection.
        conn.change_property32(
            PropMode::REPLACE,
            window,
            wm_protocols,
            AtomEnum::ATOM,
            &[wm_delete],
        )
        .map_err(c)?;
        conn.map_window(window).map_err(c)?;
        conn.flush().map_err(c)?;
        let ctx = gpu.ctx.clone();
        let surface_fn = ash::khr::surface::Instance::new(&ctx.entry, &ctx.instance);
        let swapchain_fn = ash::khr::swapchain::Device::new(&ctx.instance, &ctx.device);
        let mut me = SpectatorWindow {
            ctx,
            conn,
            window,
            wm_protocols,
            wm_delete,
            surface_fn,
            swapchain_fn,
            surface: vk::SurfaceKHR::null(),
            swapchain: vk::SwapchainKHR::null(),
            images: Vec::new(),
            presentable: Vec::new(),
            extent: vk::Extent2D::default(),
            window_size: size,
            stale: false,
            pool: vk::CommandPool::null(),
            slots: Vec::new(),
            next_slot: 0,
            eye_extent,
        };
        me.create_surface()?;
        me.create_slots()?;
        me.create_swapchain()?;
        tracing::info!(
            width = me.extent.width,
            height = me.extent.height,
            "spectator window open"
        );
        Ok(me)
    }

    fn create_surface(&mut self) -> Result<(), SpectatorWindowError> {
        let xcb = ash::khr::xcb_surface::Instance::new(&self.ctx.entry, &self.ctx.instance);
        let info = vk::XcbSurfaceCreateInfoKHR::default()
            .connection(self.conn.get_raw_xcb_connection())
            .window(self.window);
        // SAFETY: the connection and window outlive the surface (destroyed first in Drop).
        self.surface =
            unsafe { xcb.create_xcb_surface(&info, None) }.vk("vkCreateXcbSurfaceKHR")?;
        // SAFETY: plain query on our surface.
        let supported = unsafe {
            self.surface_fn.get_physical_device_surface_support(
                self.ctx.physical_device,
                self.ctx.queue_family_index,
                self.surface,
            )
        }
        .vk("vkGetPhysicalDeviceSurfaceSupportKHR")?;
        if !supported {
            return Err(RenderError::Unsupported(
                "presenting to the spectator window from the graphics queue".into(),
            )
            .into());
        }
        Ok(())
    }

    fn create_slots(&mut self) -> Result<(), SpectatorWindowError> {
        let device = &self.ctx.device;
        let info = vk::CommandPoolCreateInfo::default()
            .queue_family_index(self.ctx.queue_family_index)
            .flags(vk::CommandPoolCreateFlags::RESET_COMMAND_BUFFER);
        // SAFETY: valid create infos on a live device, here and below.
        self.pool = unsafe { device.create_command_pool(&info, None) }.vk("vkCreateCommandPool")?;
        let alloc = vk::CommandBufferAllocateInfo::default()
            .command_pool(self.pool)
            .level(vk::CommandBufferLevel::PRIMARY)
            .command_buffer_count(SLOTS as u32);
        let cmds =
            unsafe { device.allocate_command_buffers(&alloc) }.vk("vkAllocateCommandBuffers")?;
        for cmd in cmds {
            let signalled = vk::FenceCreateInfo::default().flags(vk::FenceCreateFlags::SIGNALED);
            let fence = unsafe { device.create_fence(&signalled, None) }.vk("vkCreateFence")?;
            let acquired = match unsafe { device.create_semaphore(&Default::default(), None) } {
                Ok(s) => s,
                Err(result) => {
                    unsafe { device.destroy_fence(fence, None) };
                    return Err(RenderError::Vulkan {
                        call: "vkCreateSemaphore",
                        result,
                    }
                    .into());
                }
            };
            self.slots.push(Slot {
                cmd,
                fence,
                acquired,
            });
        }
        Ok(())
    }

    /// (Re)creates the swapchain for the window's current size; our copies
    /// must be finished (callers wait for the slots' fences first).
    fn create_swapchain(&mut self) -> Result<(), SpectatorWindowError> {
        let (pdev, surface) = (self.ctx.physical_device, self.surface);
        // SAFETY: plain queries on our surface.
        let caps = unsafe {
            self.surface_fn
                .get_physical_device_surface_capabilities(pdev, surface)
        }
        .vk("vkGetPhysicalDeviceSurfaceCapabilitiesKHR")?;
        let formats = unsafe {
            self.surface_fn
                .get_physical_device_surface_formats(pdev, surface)
        }
        .vk("vkGetPhysicalDeviceSurfaceFormatsKHR")?;
        let modes = unsafe {
            self.surface_fn
                .get_physical_device_surface_present_modes(pdev, surface)
        }
        .vk("vkGetPhysicalDeviceSurfacePresentModesKHR")?;
        if !caps
            .supported_usage_flags
            .contains(vk::ImageUsageFlags::TRANSFER_DST)
        {
            return Err(RenderError::Unsupported("copying into window images".into()).into());
        }
        let format = pick_format(&formats)
            .ok_or_else(|| RenderError::Unsupported("any window surface format".into()))?;
        // Never FIFO where something else is offered: FIFO can make present wait
        // for the display, and the spectator must not hold up the headset.
        let mode = [vk::PresentModeKHR::MAILBOX, vk::PresentModeKHR::IMMEDIATE]
            .into_iter()
            .find(|m| modes.contains(m))
            .unwrap_or(vk::PresentModeKHR::FIFO);
        let extent = if caps.current_extent.width == u32::MAX {
            vk::Extent2D {
                width: self
                    .window_size
                    .width
                    .clamp(caps.min_image_extent.width, caps.max_image_extent.width),
                height: self
                    .window_size
                    .height
                    .clamp(caps.min_image_extent.height, caps.max_image_extent.height),
            }
        } else {
            caps.current_extent
        };
        self.destroy_images();
        if extent.width == 0 || extent.height == 0 {
            // Minimised: nothing to draw until it comes back.
            self.extent = extent;
            return Ok(());
        }
        let mut count = caps.min_image_count + 1;
        if caps.max_image_count > 0 {
            count = count.min(caps.max_image_count);
        }
        let old = self.swapchain;
        let info = vk::SwapchainCreateInfoKHR::default()
            .surface(surface)
            .min_image_count(count)
            .image_format(format.format)
            .image_color_space(format.color_space)
            .image_extent(extent)
            .image_array_layers(1)
            .image_usage(vk::ImageUsageFlags::TRANSFER_DST)
            .image_sharing_mode(vk::SharingMode::EXCLUSIVE)
            .pre_transform(caps.current_transform)
            .composite_alpha(vk::CompositeAlphaFlagsKHR::OPAQUE)
            .present_mode(mode)
            .clipped(true)
            .old_swapchain(old);
        // SAFETY: valid create info; the old swapchain is retired by this call.
        let created = unsafe { self.swapchain_fn.create_swapchain(&info, None) };
        // SAFETY: none of its images is in use (our fences were waited).
        unsafe { self.swapchain_fn.destroy_swapchain(old, None) };
        self.swapchain = vk::SwapchainKHR::null();
        self.swapchain = created.vk("vkCreateSwapchainKHR")?;
        self.images = unsafe { self.swapchain_fn.get_swapchain_images(self.swapchain) }
            .vk("vkGetSwapchainImagesKHR")?;
        for _ in 0..self.images.len() {
            // SAFETY: plain create.
            let s = unsafe { self.ctx.device.create_semaphore(&Default::default(), None) }
                .vk("vkCreateSemaphore")?;
            self.presentable.push(s);
        }
        self.extent = extent;
        tracing::debug!(?mode, ?format, ?extent, "spectator swapchain");
        Ok(())
    }

    fn destroy_images(&mut self) {
        for s in self.presentable.drain(..) {
            // SAFETY: presentation of every image finished before the
            // swapchain is recreated (fences waited, presents done on the queue).
            unsafe { self.ctx.device.destroy_semaphore(s, None) };
        }
        self.images.clear();
    }

    /// X events: a close request or a lost connection ends the window;
    /// a new size marks the swapchain stale.
    fn pump_events(&mut self) -> Result<(), SpectatorWindowError> {
        loop {
            let event = self
                .conn
                .poll_for_event()
                .map_err(|e| SpectatorWindowError::Connection(e.to_string()))?;
            match event {
                None => return Ok(()),
                Some(Event::ClientMessage(m))
                    if m.type_ == self.wm_protocols && m.data.as_data32()[0] == self.wm_delete =>
                {
                    return Err(SpectatorWindowError::Closed);
                }
                Some(Event::DestroyNotify(_)) => return Err(SpectatorWindowError::Closed),
                Some(Event::ConfigureNotify(c)) => {
                    let size = vk::Extent2D {
                        width: c.width as u32,
                        height: c.height as u32,
                    };
                    if size != self.window_size {
                        self.window_size = size;
                        self.stale = true;
                    }
                }
                Some(_) => {}
            }
        }
    }

    /// Mirrors the left eye of `eye_image` (just rendered, not yet released to
    /// the runtime) if the window can take it right now. An error means the
    /// window is gone or broken: drop it. `drawn` is the top-left part of the
    /// eye the frame drew, the part shown.
    pub fn frame(
        &mut self,
        eye_image: vk::Image,
        drawn: vk::Extent2D,
    ) -> Result<(), SpectatorWindowError> {
        self.pump_events()?;
        let device = &self.ctx.device;
        let slot = &self.slots[self.next_slot];
        // SAFETY: a status query never blocks.
        if !unsafe { device.get_fence_status(slot.fence) }.vk("vkGetFenceStatus")? {
            return Ok(());
        }
        if self.stale {
            self.wait_slots()?;
            self.create_swapchain()?;
            self.stale = false;
        }
        if self.images.is_empty() {
            return Ok(());
        }
        let slot = &self.slots[self.next_slot];
        // SAFETY: timeout 0: returns at once, with an image or NOT_READY.
        let acquired = unsafe {
            self.swapchain_fn.acquire_next_image(
                self.swapchain,
                0,
                slot.acquired,
                vk::Fence::null(),
            )
        };
        let index = match acquired {
            Ok((index, suboptimal)) => {
                self.stale |= suboptimal;
                index as usize
            }
            Err(vk::Result::NOT_READY | vk::Result::TIMEOUT) => return Ok(()),
            Err(vk::Result::ERROR_OUT_OF_DATE_KHR) => {
                self.stale = true;
                return Ok(());
            }
            Err(result) => {
                return Err(RenderError::Vulkan {
                    call: "vkAcquireNextImageKHR",
                    result,
                }
                .into());
            }
        };
        self.copy_and_present(eye_image, drawn, index)?;
        self.next_slot = (self.next_slot + 1) % SLOTS;
        Ok(())
    }

    fn copy_and_present(
        &mut self,
        eye_image: vk::Image,
        drawn: vk::Extent2D,
        index: usize,
    ) -> Result<(), SpectatorWindowError> {
        let device = &self.ctx.device;
        let slot = &self.slots[self.next_slot];
        let (cmd, target) = (slot.cmd, self.images[index]);
        // SAFETY: the slot's fence has signalled, so its command buffer is idle.
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
        let write = (
            vk::PipelineStageFlags::TRANSFER,
            vk::AccessFlags::TRANSFER_WRITE,
            vk::ImageLayout::TRANSFER_DST_OPTIMAL,
        );
        let acquired = (
            vk::PipelineStageFlags::TRANSFER,
            vk::AccessFlags::empty(),
            vk::ImageLayout::UNDEFINED,
        );
        blit::barrier(device, cmd, target, blit::whole(), acquired, write);
        // Black bars where the window's shape differs from the eye's.
        let black = vk::ClearColorValue {
            float32: [0.0, 0.0, 0.0, 1.0],
        };
        // SAFETY: recording; the image is in TRANSFER_DST_OPTIMAL.
        unsafe {
            device.cmd_clear_color_image(
                cmd,
                target,
                vk::ImageLayout::TRANSFER_DST_OPTIMAL,
                &black,
                &[blit::whole()],
            );
        }
        blit::barrier(device, cmd, target, blit::whole(), write, write);
        let source = blit::within(drawn, self.eye_extent);
        blit::blit_left_eye(device, cmd, eye_image, source, target, self.extent);
        let present = (
            vk::PipelineStageFlags::BOTTOM_OF_PIPE,
            vk::AccessFlags::empty(),
            vk::ImageLayout::PRESENT_SRC_KHR,
        );
        blit::barrier(device, cmd, target, blit::whole(), write, present);
        let waits = [slot.acquired];
        let stages = [vk::PipelineStageFlags::TRANSFER];
        let signals = [self.presentable[index]];
        let cmds = [cmd];
        let submit = vk::SubmitInfo::default()
            .wait_semaphores(&waits)
            .wait_dst_stage_mask(&stages)
            .command_buffers(&cmds)
            .signal_semaphores(&signals);
        // SAFETY: recording began above; the queue is used from the frame
        // loop's thread only.
        unsafe {
            device.end_command_buffer(cmd).vk("vkEndCommandBuffer")?;
            device.reset_fences(&[slot.fence]).vk("vkResetFences")?;
            device
                .queue_submit(self.ctx.queue, &[submit], slot.fence)
                .vk("vkQueueSubmit")?;
        }
        let swapchains = [self.swapchain];
        let indices = [index as u32];
        let info = vk::PresentInfoKHR::default()
            .wait_semaphores(&signals)
            .swapchains(&swapchains)
            .image_indices(&indices);
        // SAFETY: the image was acquired above and its copy submitted.
        match unsafe { self.swapchain_fn.queue_present(self.ctx.queue, &info) } {
            Ok(suboptimal) => self.stale |= suboptimal,
            Err(vk::Result::ERROR_OUT_OF_DATE_KHR) => self.stale = true,
            Err(result) => {
                return Err(RenderError::Vulkan {
                    call: "vkQueuePresentKHR",
                    result,
                }
                .into());
            }
        }
        Ok(())
    }

    fn wait_slots(&self) -> Result<(), RenderError> {
        let fences: Vec<vk::Fence> = self.slots.iter().map(|s| s.fence).collect();
        // SAFETY: our fences; bounded, so a hung device cannot hang us.
        unsafe {
            self.ctx
                .device
                .wait_for_fences(&fences, true, crate::render::memory::GPU_TIMEOUT_NS)
        }
        .vk("vkWaitForFences")?;
        // Presents signal nothing we can wait on: wait for the queue, so
        // their semaphore waits are done before semaphores are destroyed.
        // SAFETY: the queue is used from this thread only.
        unsafe { self.ctx.device.queue_wait_idle(self.ctx.queue) }.vk("vkQueueWaitIdle")
    }
}

fn pick_format(formats: &[vk::SurfaceFormatKHR]) -> Option<vk::SurfaceFormatKHR> {
    // sRGB like the eye images, so the blit keeps the colours as the wearer sees them.
    let srgb = [vk::Format::B8G8R8A8_SRGB, vk::Format::R8G8B8A8_SRGB];
    formats
        .iter()
        .find(|f| srgb.contains(&f.format))
        .or_else(|| formats.first())
        .copied()
}

impl Drop for SpectatorWindow {
    fn drop(&mut self) {
        if let Err(e) = self.wait_slots() {
            tracing::warn!("spectator window: {e}");
        }
        self.destroy_images();
        let device = &self.ctx.device;
        // SAFETY: nothing is in flight any more; null handles are ignored.
        unsafe {
            for slot in &self.slots {
                device.destroy_fence(slot.fence, None);
                device.destroy_semaphore(slot.acquired, None);
            }
            device.destroy_command_pool(self.pool, None);
            self.swapchain_fn.destroy_swapchain(self.swapchain, None);
            self.surface_fn.destroy_surface(self.surface, None);
        }
        let _ = self.conn.destroy_window(self.window);
        let _ = self.conn.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_an_srgb_surface_format() {
        let f = |format| vk::SurfaceFormatKHR {
            format,
            color_space: vk::ColorSpaceKHR::SRGB_NONLINEAR,
        };
        let offered = [f(vk::Format::B8G8R8A8_UNORM), f(vk::Format::B8G8R8A8_SRGB)];
        assert_eq!(pick_format(&offered), Some(offered[1]));
        assert_eq!(pick_format(&offered[..1]), Some(offered[0]));
        assert_eq!(pick_format(&[]), None);
    }
}

//! GPU time per stereo frame from timestamp queries: one pair per frame slot,
//! written at the start and the end of the frame's command buffer and read
//! once the slot's fence has signalled (so reading never waits).

use std::sync::Arc;

use ash::vk;

use super::error::{RenderError, VkContext};
use super::gpu::GpuContext;

/// What one recorded frame drew: draw calls and triangles (after culling).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameCounts {
    /// `vkCmdDraw*` calls recorded for the scene (both eyes; per-eye passes
    /// count each eye's draws).
    pub draw_calls: u32,
    /// Triangles those draws submit (a multiview draw's triangles count once,
    /// though the GPU rasterises them for both eyes).
    pub triangles: u64,
}

/// Queries per frame slot: the start stamp at `QUERIES_PER_SLOT * slot`, the
/// end stamp two further on, and one spare after each. Lavapipe in Mesa 25
/// writes a timestamp recorded outside a render pass into as many queries as
/// the *previous* multiview pass had views (its stale view mask), one past the
/// index asked for; with packed pairs that wrote past the pool's end and
/// crashed its queue thread (SIGSEGV in the simulator, measured). The spares
/// take that write; a correct driver never touches them.
const QUERIES_PER_SLOT: u32 = 4;
const END_OFFSET: u32 = 2;

/// Timestamp queries for `slots` frame slots.
pub(crate) struct FrameTimer {
    ctx: Arc<GpuContext>,
    pool: vk::QueryPool,
    /// Nanoseconds per timestamp tick (`timestampPeriod`).
    period_ns: f64,
    /// The bits of a timestamp the queue really writes.
    valid_mask: u64,
    /// Slots whose queries were written and not read yet.
    pending: Vec<bool>,
    /// GPU time of the latest frame read, milliseconds.
    last_ms: Option<f64>,
}

impl FrameTimer {
    /// Creates the queries, or `None` where the queue writes no timestamps.
    pub(crate) fn new(ctx: &Arc<GpuContext>, slots: usize) -> Result<Option<Self>, RenderError> {
        // SAFETY: the physical device belongs to this instance.
        let families = unsafe {
            ctx.instance
                .get_physical_device_queue_family_properties(ctx.physical_device)
        };
        let properties = unsafe {
            ctx.instance
                .get_physical_device_properties(ctx.physical_device)
        };
        let bits = families
            .get(ctx.queue_family_index as usize)
            .map_or(0, |f| f.timestamp_valid_bits);
        let period_ns = properties.limits.timestamp_period as f64;
        if bits == 0 || period_ns <= 0.0 {
            return Ok(None);
        }
        let info = vk::QueryPoolCreateInfo::default()
            .query_type(vk::QueryType::TIMESTAMP)
            .query_count(QUERIES_PER_SLOT * slots as u32);
        // SAFETY: valid create info on a live device.
        let pool = unsafe { ctx.device.create_query_pool(&info, None) }.vk("vkCreateQueryPool")?;
        Ok(Some(FrameTimer {
            ctx: ctx.clone(),
            pool,
            period_ns,
            valid_mask: if bits >= 64 {
                u64::MAX
            } else {
                (1u64 << bits) - 1
            },
            pending: vec![false; slots],
            last_ms: None,
        }))
    }

    /// Reads slot `slot`'s queries, when written; call after its fence signalled.
    pub(crate) fn collect(&mut self, slot: usize) {
        if !self.pending.get(slot).copied().unwrap_or(false) {
            return;
        }
        let first = QUERIES_PER_SLOT * slot as u32;
        let mut stamps = [0u64; 2];
        // Two reads of one query each: the spares between them may never be
        // written, and a range read would wait on them.
        let read = |query: u32, out: &mut u64| {
            // SAFETY: the queries were written by a finished submission.
            unsafe {
                self.ctx.device.get_query_pool_results(
                    self.pool,
                    query,
                    std::slice::from_mut(out),
                    vk::QueryResultFlags::TYPE_64,
                )
            }
            .is_ok()
        };
        let [start, end] = &mut stamps;
        let read = read(first, start) && read(first + END_OFFSET, end);
        self.pending[slot] = false;
        if read {
            let ticks = (stamps[1] & self.valid_mask).wrapping_sub(stamps[0] & self.valid_mask)
                & self.valid_mask;
            self.last_ms = Some(ticks as f64 * self.period_ns * 1e-6);
        }
    }

    /// Records the reset and the start stamp at the top of slot `slot`'s frame.
    pub(crate) fn begin(&self, cmd: vk::CommandBuffer, slot: usize) {
        let first = QUERIES_PER_SLOT * slot as u32;
        // SAFETY: `cmd` is recording, outside a render pass.
        unsafe {
            self.ctx
                .device
                .cmd_reset_query_pool(cmd, self.pool, first, QUERIES_PER_SLOT);
            self.ctx.device.cmd_write_timestamp(
                cmd,
                vk::PipelineStageFlags::TOP_OF_PIPE,
                self.pool,
                first,
            );
        }
    }

    /// Records the end stamp, after everything else of the frame.
    pub(crate) fn end(&mut self, cmd: vk::CommandBuffer, slot: usize) {
        // SAFETY: `cmd` is recording, outside a render pass.
        unsafe {
            self.ctx.device.cmd_write_timestamp(
                cmd,
                vk::PipelineStageFlags::BOTTOM_OF_PIPE,
                self.pool,
                QUERIES_PER_SLOT * slot as u32 + END_OFFSET,
            );
        }
        if let Some(p) = self.pending.get_mut(slot) {
            *p = true;
        }
    }

    /// GPU time of the latest frame read, milliseconds.
    pub(crate) fn last_ms(&self) -> Option<f64> {
        self.last_ms
    }
}

impl Drop for FrameTimer {
    fn drop(&mut self) {
        // SAFETY: the owner waits for its frames before dropping the timer.
        unsafe { self.ctx.device.destroy_query_pool(self.pool, None) };
    }
}

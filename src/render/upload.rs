//! Scenes made ready for the GPU off the frame thread.
//!
//! [`SceneStager`] turns a [`Scene`] into GPU buffers, images and descriptor
//! sets and records the copies, the sun's shadow map and a warm-up draw into
//! an [`UploadBatch`]: all of it on whatever thread calls it (creating Vulkan
//! objects is thread-safe on a device; each batch records in its own command
//! pool). Only the submission is left to the frame thread, which owns the
//! queue. [`SceneWorker`] runs the stager on a thread of its own behind
//! bounded channels, after asking a loader for the scene.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, TrySendError, sync_channel};
use std::thread::JoinHandle;
use std::time::Instant;

use ash::vk;

use super::camera::FrameUniforms;
use super::draw_list::DrawList;
use super::error::RenderError;
use super::gpu::GpuContext;
use super::materials::GpuMaterials;
use super::memory::{GpuBuffer, UploadBatch};
use super::shadow::ShadowPass;
use super::stereo::GpuScene;
use super::warm::WarmTarget;
use crate::scene::Scene;
use gpu_allocator::MemoryLocation;

/// Builds a scene on request: option `i`'s glTF models decoded and placed.
/// Runs on the worker thread; the error names the file and the problem.
pub type SceneLoader = Arc<dyn Fn(usize) -> Result<Scene, String> + Send + Sync>;

/// What a stager needs from the renderer: handles that are only read
/// (pipelines, layouts, the shadow pass) and the device.
#[derive(Clone)]
pub(crate) struct SceneStager {
    pub(crate) ctx: Arc<GpuContext>,
    pub(crate) shadow: Arc<ShadowPass>,
    pub(crate) material_set_layout: vk::DescriptorSetLayout,
    /// Draws each new scene once into a tiny target (see [`WarmTarget`]).
    pub(crate) warm: Option<Arc<WarmTarget>>,
}

/// A scene's GPU objects with the recorded (not yet submitted) commands that fill them.
pub(crate) struct StagedScene {
    scene: Option<GpuScene>,
    batch: Option<UploadBatch>,
}

impl StagedScene {
    /// The scene and its batch, for the frame thread to submit.
    pub(crate) fn into_parts(mut self) -> (GpuScene, UploadBatch) {
        match (self.scene.take(), self.batch.take()) {
            (Some(scene), Some(batch)) => (scene, batch),
            _ => unreachable!("both are set until into_parts or drop"),
        }
    }
}

impl Drop for StagedScene {
    fn drop(&mut self) {
        // Never submitted: nothing on the GPU reads the objects.
        if let (Some(mut scene), Some(batch)) = (self.scene.take(), self.batch.take()) {
            let ctx = Arc::clone(&batch.ctx);
            drop(batch);
            scene.destroy(&ctx);
        }
    }
}

impl SceneStager {
    /// Creates `scene`'s GPU objects and records their upload.
    pub(crate) fn stage(&self, scene: &Scene) -> Result<StagedScene, RenderError> {
        check_scene(scene)?;
        let mut batch = UploadBatch::begin(&self.ctx)?;
        let gpu = self.record(&mut batch, scene)?;
        Ok(StagedScene {
            scene: Some(gpu),
            batch: Some(batch),
        })
    }

    fn record(&self, batch: &mut UploadBatch, scene: &Scene) -> Result<GpuScene, RenderError> {
        let ctx = &self.ctx;
        let vertex_bytes: &[u8] = bytemuck::cast_slice(&scene.vertices);
        let index_bytes: &[u8] = bytemuck::cast_slice(&scene.indices);
        let (vlen, ilen) = (vertex_bytes.len() as u64, index_bytes.len() as u64);
        let staging = batch.stage("scene staging", vlen + ilen)?;
        let src = staging.buffer;
        let mapped = staging.mapped()?;
        mapped[..vertex_bytes.len()].copy_from_slice(vertex_bytes);
        mapped[vertex_bytes.len()..].copy_from_slice(index_bytes);
        let dst = vk::BufferUsageFlags::TRANSFER_DST;
        let mut vertices = GpuBuffer::new(
            ctx,
            "scene vertices",
            vlen,
            vk::BufferUsageFlags::VERTEX_BUFFER | dst,
            MemoryLocation::GpuOnly,
        )?;
        let mut indices = match GpuBuffer::new(
            ctx,
            "scene indices",
            ilen,
            vk::BufferUsageFlags::INDEX_BUFFER | dst,
            MemoryLocation::GpuOnly,
        ) {
            Ok(b) => b,
            Err(e) => {
                vertices.destroy(ctx);
                return Err(e);
            }
        };
        record_buffer_copies(ctx, batch.cmd(), src, (&vertices, &indices), vlen, ilen);
        let draws = DrawList::new(scene);
        // The map's image first (the material sets bind it), then the
        // materials (cut-out casters sample their base textures), then the map.
        let mut shadow = match self.shadow.new_map(scene, &draws) {
            Ok(s) => s,
            Err(e) => {
                vertices.destroy(ctx);
                indices.destroy(ctx);
                return Err(e);
            }
        };
        let materials = GpuMaterials::new(
            ctx,
            batch,
            self.material_set_layout,
            scene,
            (shadow.view, self.shadow.sampler),
        );
        let mut materials = match materials {
            Ok(m) => m,
            Err(e) => {
                vertices.destroy(ctx);
                indices.destroy(ctx);
                shadow.destroy(ctx);
                return Err(e);
            }
        };
        let drawn =
            self.shadow
                .draw_map(batch, scene, &draws, (&vertices, &indices), &shadow, |m| {
                    materials.base_texture(m)
                });
        if let Err(e) = drawn {
            vertices.destroy(ctx);
            indices.destroy(ctx);
            shadow.destroy(ctx);
            materials.destroy(ctx);
            return Err(e);
        }
        let mut uniforms = FrameUniforms::for_scene(scene);
        uniforms.sun_view_proj = shadow.sun_view_proj.to_cols_array();
        uniforms.shadow = [f32::from(u8::from(shadow.enabled)), shadow.texel, 0.0, 0.0];
        let mut gpu = GpuScene {
            vertices,
            indices,
            shadow,
            materials,
            draws,
            uniforms,
        };
        if let Some(warm) = &self.warm
            && let Err(e) = warm.record(batch, &mut gpu)
        {
            gpu.destroy(ctx);
            return Err(e);
        }
        Ok(gpu)
    }
}

/// Copies vertices and indices out of staging, then makes the copies
/// visible to vertex input: the shadow map drawn next in the batch, and
/// every later frame (a barrier's second scope spans later submissions).
fn record_buffer_copies(
    ctx: &GpuContext,
    cmd: vk::CommandBuffer,
    src: vk::Buffer,
    (vertices, indices): (&GpuBuffer, &GpuBuffer),
    vlen: u64,
    ilen: u64,
) {
    let device = &ctx.device;
    let copy = |src_offset, size| {
        [vk::BufferCopy {
            src_offset,
            dst_offset: 0,
            size,
        }]
    };
    let barrier = vk::MemoryBarrier::default()
        .src_access_mask(vk::AccessFlags::TRANSFER_WRITE)
        .dst_access_mask(vk::AccessFlags::VERTEX_ATTRIBUTE_READ | vk::AccessFlags::INDEX_READ);
    // SAFETY: the batch is recording; the buffers live until it is done.
    unsafe {
        device.cmd_copy_buffer(cmd, src, vertices.buffer, &copy(0, vlen));
        device.cmd_copy_buffer(cmd, src, indices.buffer, &copy(vlen, ilen));
        device.cmd_pipeline_barrier(
            cmd,
            vk::PipelineStageFlags::TRANSFER,
            vk::PipelineStageFlags::VERTEX_INPUT,
            vk::DependencyFlags::empty(),
            &[barrier],
            &[],
            &[],
        );
    }
}

/// Rejects scenes the GPU would read out of bounds.
pub(crate) fn check_scene(scene: &Scene) -> Result<(), RenderError> {
    if scene.vertices.is_empty() || scene.indices.is_empty() {
        return Err(RenderError::InvalidInput(
            "the scene has no geometry".into(),
        ));
    }
    let vertex_count = scene.vertices.len();
    if let Some(bad) = scene.indices.iter().find(|&&i| i as usize >= vertex_count) {
        return Err(RenderError::InvalidInput(format!(
            "index {bad} is past the last of {vertex_count} vertices"
        )));
    }
    for (n, d) in scene.draws.iter().enumerate() {
        let end = d.first_index as u64 + d.index_count as u64;
        if end > scene.indices.len() as u64 || d.material as usize >= scene.materials.len() {
            return Err(RenderError::InvalidInput(format!(
                "draw {n} reaches past the indices or names material {} of {}",
                d.material,
                scene.materials.len()
            )));
        }
    }
    Ok(())
}

/// One finished request: the key asked for and its staged scene, or why not.
pub(crate) type WorkerResult = (usize, Result<StagedScene, String>);

/// A thread that loads and stages one scene at a time. Both channels hold
/// one message: the frame thread asks again only after taking the answer,
/// so neither side ever waits and nothing queues up.
pub(crate) struct SceneWorker {
    requests: Option<SyncSender<usize>>,
    results: Receiver<WorkerResult>,
    thread: Option<JoinHandle<()>>,
    /// The key being worked on, to report if the thread dies.
    busy: Option<usize>,
}

impl SceneWorker {
    /// Starts the thread.
    pub(crate) fn spawn(stager: SceneStager, loader: SceneLoader) -> Result<Self, RenderError> {
        let (requests, incoming) = sync_channel::<usize>(1);
        let (outgoing, results) = sync_channel::<WorkerResult>(1);
        let thread = std::thread::Builder::new()
            .name("scene upload".into())
            .spawn(move || {
                for key in incoming {
                    let started = Instant::now();
                    let staged = loader(key).and_then(|scene| {
                        let loaded_ms = started.elapsed().as_secs_f64() * 1e3;
                        let staged = stager.stage(&scene).map_err(|e| e.to_string());
                        tracing::info!(
                            key,
                            loaded_ms,
                            staged_ms = started.elapsed().as_secs_f64() * 1e3 - loaded_ms,
                            "scene loaded and staged on the worker"
                        );
                        staged
                    });
                    if outgoing.send((key, staged)).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| {
                RenderError::InvalidInput(format!("cannot start the upload thread: {e}"))
            })?;
        Ok(SceneWorker {
            requests: Some(requests),
            results,
            thread: Some(thread),
            busy: None,
        })
    }

    /// Asks for `key`; false when a request is still being worked on.
    pub(crate) fn request(&mut self, key: usize) -> bool {
        if self.busy.is_some() {
            return false;
        }
        let Some(requests) = &self.requests else {
            return false;
        };
        match requests.try_send(key) {
            Ok(()) => {
                self.busy = Some(key);
                true
            }
            Err(TrySendError::Full(_)) => false,
            // The thread is gone: say so through `receive`.
            Err(TrySendError::Disconnected(_)) => {
                self.busy = Some(key);
                true
            }
        }
    }

    /// Whether a request is being worked on.
    pub(crate) fn is_busy(&self) -> bool {
        self.busy.is_some()
    }

    /// The finished request, if any (never blocks).
    pub(crate) fn receive(&mut self) -> Option<WorkerResult> {
        match self.results.try_recv() {
            Ok(result) => {
                self.busy = None;
                Some(result)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => self
                .busy
                .take()
                .map(|key| (key, Err("the scene upload thread stopped".to_string()))),
        }
    }
}

impl Drop for SceneWorker {
    fn drop(&mut self) {
        // Closing the request channel ends the thread's loop after its
        // present scene; a result it still sends is dropped (and destroyed) here.
        self.requests = None;
        while self.busy.is_some() {
            if self.results.recv().is_err() {
                break;
            }
            self.busy = None;
        }
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::warn!("the scene upload thread panicked");
        }
    }
}

//! One OpenXR session on one instance: resources, events and the frame loop.

use super::error::{XrError, XrResultExt};
use super::input::{Buttons, Hands, raw_pose};
use super::instance::{VIEW_TYPE, XrRuntime};
use super::lifecycle::{LifecycleAction, SessionPhase};
use super::spaces::WorldSpaces;
use super::swapchain::StereoSwapchains;
use super::views::locate_views;
use super::vulkan::XrVulkanFactory;
use super::{RunContext, SessionEnd};
use crate::app::{
    Command, HintInput, HintLayout, HintOverlay, PoseGuard, RawView, RenderScale, RoomPlacement,
    Shown, StationInput, Transition, scaled_size,
};
use crate::operator::OperatorCommand;
use crate::render::{
    EyeView, FadeRenderer, Fov, Gpu, GpuOptions, OverlayRenderer, OverlayVertex, ResidentScenes,
    SceneId, Spectator, SpectatorDisplay, StereoRenderer, connect_display, extensions_for,
};
use ash::vk::{self, Handle};
use openxr as xr;
use openxr::sys::Handle as _;
use std::time::{Duration, Instant};

/// Runs sessions on `rt` until the app should exit or the runtime is lost.
pub fn run_on_instance(rt: &XrRuntime, ctx: &mut RunContext<'_>) -> Result<SessionEnd, XrError> {
    let buttons = Buttons::new(&rt.instance)?;
    let display = if ctx.spectator_closed {
        None
    } else {
        connect_display(&ctx.options.spectator)
    };
    let gpu = Gpu::with_extensions(
        &XrVulkanFactory {
            instance: &rt.instance,
            system: rt.system,
        },
        &GpuOptions {
            validation: ctx.options.validation,
        },
        &extensions_for(display.as_ref()),
    )?;
    let result = run_session(rt, &gpu, &buttons, display, ctx);
    ctx.report
        .validation_messages
        .extend(gpu.validation_messages());
    result
}

fn run_session(
    rt: &XrRuntime,
    gpu: &Gpu,
    buttons: &Buttons,
    display: Option<SpectatorDisplay>,
    ctx: &mut RunContext<'_>,
) -> Result<SessionEnd, XrError> {
    // SAFETY: the handles are live and were created through this runtime.
    let (session, mut waiter, mut stream) = unsafe {
        rt.instance.create_session::<xr::Vulkan>(
            rt.system,
            &xr::vulkan::SessionCreateInfo {
                instance: gpu.instance().handle().as_raw() as _,
                physical_device: gpu.physical_device().as_raw() as _,
                device: gpu.device().handle().as_raw() as _,
                queue_family_index: gpu.queue_family_index(),
                queue_index: gpu.queue_index(),
            },
        )
    }
    .during("xrCreateSession")?;
    buttons.attach(&session)?;
    let hands = if rt.hand_tracking {
        Some(Hands::new(&session)?)
    } else {
        None
    };
    let spaces = WorldSpaces::new(&session, rt.enabled.ext_local_floor, ctx.room.clone())?;
    ctx.report.reference_space = Some(spaces.kind.name().to_owned());
    let mut swapchains = StereoSwapchains::new(rt, &session)?;
    let mut renderer = StereoRenderer::new(
        gpu,
        swapchains.color_format,
        swapchains.depth_format,
        swapchains.extent,
    )?;
    renderer.set_targets(
        gpu,
        &swapchains.color_images,
        swapchains
            .depth
            .as_ref()
            .map(|_| swapchains.depth_images.as_slice()),
    )?;
    // The bare house now; options on the worker, nearest first.
    let mut scenes = ResidentScenes::start(&mut renderer, gpu, ctx.scenes)?;
    let blend = blend_mode(rt)?;
    // The kiosk's hint floats in front of the play area's centre, where the
    // room is centred and a visitor starts.
    let (hint, overlay) = match ctx.station.as_deref() {
        Some(station) => (
            Some(HintOverlay::new(
                HintLayout::default(),
                station.countdown_s(),
            )),
            Some(OverlayRenderer::new(gpu, &renderer)?),
        ),
        None => (None, None),
    };
    let spectator = Spectator::new(gpu, &ctx.options.spectator, display, swapchains.extent);
    // Black, the comfortable choice: a bright fade colour flashes in a headset.
    let fade = FadeRenderer::new(gpu, &renderer, [0.0; 3])?;
    let transition = Transition::new(&ctx.options.transition, ctx.controller.shown());
    let mut frame = FrameLoop {
        rt,
        session: &session,
        hands: hands.as_ref(),
        buttons,
        spaces: &spaces,
        placement: spaces.placement,
        blend,
        hint,
        overlay,
        guard: PoseGuard::new(),
        raw_views: Vec::with_capacity(2),
        spectator,
        transition,
        fade,
        logged_waiting: false,
        render_scale: RenderScale::new(&ctx.options.render_scale),
    };
    draw_at_scale(&mut renderer, swapchains.extent, frame.render_scale.scale());
    let result = frame.run(
        &mut waiter,
        &mut stream,
        &mut swapchains,
        &mut renderer,
        gpu,
        &mut scenes,
        ctx,
    );
    ctx.report.residency.merge(scenes.report());
    renderer.wait_idle(gpu);
    ctx.spectator_closed |= frame.spectator.closed_by_viewer();
    drop(frame);
    // The renderer holds views of the swapchain images: it goes first.
    drop(renderer);
    drop(swapchains);
    result
}

/// Draws each eye into the top-left `scale` of its `full`-sized image.
fn draw_at_scale(renderer: &mut StereoRenderer, full: vk::Extent2D, scale: f32) {
    let (width, height) = scaled_size(full.width, full.height, scale);
    renderer.set_render_extent(vk::Extent2D { width, height });
}

fn blend_mode(rt: &XrRuntime) -> Result<xr::EnvironmentBlendMode, XrError> {
    let modes = rt
        .instance
        .enumerate_environment_blend_modes(rt.system, VIEW_TYPE)
        .during("xrEnumerateEnvironmentBlendModes")?;
    Ok(if modes.contains(&xr::EnvironmentBlendMode::OPAQUE) {
        xr::EnvironmentBlendMode::OPAQUE
    } else {
        *modes
            .first()
            .ok_or_else(|| XrError::Unsupported("no environment blend mode".into()))?
    })
}

struct FrameLoop<'a> {
    rt: &'a XrRuntime,
    session: &'a xr::Session<xr::Vulkan>,
    hands: Option<&'a Hands>,
    buttons: &'a Buttons,
    spaces: &'a WorldSpaces,
    /// Where the room is now; recomputed when the runtime recentres the play area.
    placement: RoomPlacement,
    blend: xr::EnvironmentBlendMode,
    /// The kiosk's in-scene hint and the overlay that draws it (kiosk mode only).
    hint: Option<HintOverlay>,
    overlay: Option<OverlayRenderer>,
    /// Nothing the runtime reports reaches the detector, renderer or audio without passing it.
    guard: PoseGuard,
    /// `xrLocateViews`' views as plain numbers, reused every frame.
    raw_views: Vec<RawView>,
    spectator: Spectator,
    /// Which option is drawn and how dark, while the decorator has moved on.
    transition: Transition,
    fade: FadeRenderer,
    /// Whether "not resident yet" was logged for the option wanted now.
    logged_waiting: bool,
    /// Dynamic resolution: how much of each eye's image is drawn.
    render_scale: RenderScale,
}

impl FrameLoop<'_> {
    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        waiter: &mut xr::FrameWaiter,
        stream: &mut xr::FrameStream<xr::Vulkan>,
        swapchains: &mut StereoSwapchains,
        renderer: &mut StereoRenderer,
        gpu: &Gpu,
        scenes: &mut ResidentScenes,
        ctx: &mut RunContext<'_>,
    ) -> Result<SessionEnd, XrError> {
        let mut events = xr::EventDataBuffer::new();
        let mut phase = SessionPhase::Unknown;
        let mut running = false;
        let mut exit_requested = false;
        let mut commands = Vec::with_capacity(4);
        let mut last_display: Option<xr::Time> = None;
        loop {
            while let Some(event) = self
                .rt
                .instance
                .poll_event(&mut events)
                .during("xrPollEvent")?
            {
                match event {
                    xr::Event::SessionStateChanged(e) => {
                        phase = SessionPhase::from(e.state());
                        ctx.report.state(phase.name(), ctx.now());
                        tracing::info!(state = phase.name(), "session state changed");
                        match phase.action() {
                            LifecycleAction::Begin => {
                                self.session.begin(VIEW_TYPE).during("xrBeginSession")?;
                                running = true;
                            }
                            LifecycleAction::End => {
                                self.session.end().during("xrEndSession")?;
                                running = false;
                                let now = ctx.now();
                                if let Some(audio) = ctx.audio.as_deref_mut() {
                                    audio.pause(now, ctx.report);
                                }
                            }
                            LifecycleAction::Exit => return Ok(SessionEnd::Exit),
                            LifecycleAction::Reconnect => return Ok(SessionEnd::Lost),
                            LifecycleAction::Continue => {}
                        }
                    }
                    xr::Event::InstanceLossPending(_) => return Ok(SessionEnd::Lost),
                    xr::Event::ReferenceSpaceChangePending(e) => {
                        tracing::info!(space = ?e.reference_space_type(), "the runtime is recentring the play area");
                        self.placement = self.spaces.placement_now(self.session);
                    }
                    xr::Event::UserPresenceChangedEXT(e) => {
                        tracing::info!(present = e.is_user_present(), "user presence changed");
                        ctx.user_present = Some(e.is_user_present());
                    }
                    _ => {}
                }
            }
            if !exit_requested && ctx.should_stop() {
                exit_requested = true;
                tracing::info!("ending the session (xrRequestExitSession)");
                match self.session.request_exit() {
                    Ok(()) => {}
                    Err(xr::sys::Result::ERROR_SESSION_NOT_RUNNING) => return Ok(SessionEnd::Exit),
                    Err(r) => return Err(XrError::call("xrRequestExitSession", r)),
                }
            }
            if !running {
                last_display = None;
                // Only events can move an idle session on; poll them calmly.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
            let state = waiter.wait().during("xrWaitFrame")?;
            let started = Instant::now();
            ctx.report.frames_missed += skipped_periods(last_display, &state);
            last_display = Some(state.predicted_display_time);
            stream.begin().during("xrBeginFrame")?;
            let head = self.update(phase, state.predicted_display_time, &mut commands, ctx)?;
            self.update_hint(head, ctx);
            let scene = self.choose_scene(renderer, scenes, ctx)?;
            if state.should_render {
                self.render(
                    stream,
                    swapchains,
                    renderer,
                    gpu,
                    scene,
                    (state.predicted_display_time, ctx.now()),
                )?;
                ctx.report.frames_rendered += 1;
                ctx.report.render_scale.record(self.render_scale.scale());
            } else {
                // The spec still wants every waited frame ended, with no layers.
                stream
                    .end(state.predicted_display_time, self.blend, &[])
                    .during("xrEndFrame")?;
            }
            ctx.report.frames_submitted += 1;
            ctx.report.pose_drops = self.guard.drops();
            let frame_ms = started.elapsed().as_secs_f64() * 1e3;
            ctx.frame_times.record(frame_ms);
            if state.should_render {
                self.follow_frame_time(frame_ms, &state, renderer, swapchains);
            }
        }
    }

    /// What this frame draws: the decorator's option once it is on the GPU
    /// (the previous one until then), through the fade; residency moves on
    /// between frames. An option that failed to load is skipped forward.
    fn choose_scene(
        &mut self,
        renderer: &mut StereoRenderer,
        scenes: &mut ResidentScenes,
        ctx: &mut RunContext<'_>,
    ) -> Result<SceneId, XrError> {
        let now = ctx.now();
        let from = self.transition.drawn();
        if let Some(instead) = scenes.replacement(ctx.controller.shown(), from) {
            ctx.controller
                .show(instead, now, "skipped: failed to load", ctx.report);
        }
        let wanted = ctx.controller.shown();
        let step = self
            .transition
            .update(wanted, scenes.is_resident(wanted), now);
        if step.waiting && !self.logged_waiting {
            tracing::info!(index = ?wanted.index(), "option not on the GPU yet: showing the previous one");
        }
        self.logged_waiting = step.waiting;
        self.fade.set_amount(step.fade);
        let fading = self.transition.fading();
        if let Some((index, problem)) = scenes.update(renderer, wanted, step.drawn, fading)? {
            ctx.report
                .error(format!("option {} skipped: {problem}", index + 1));
        }
        scenes
            .scene(step.drawn)
            .or_else(|| scenes.scene(Shown::Bare))
            .ok_or_else(|| {
                XrError::Render(crate::render::RenderError::InvalidInput(
                    "no scene to draw: the bare room is not uploaded".into(),
                ))
            })
    }

    /// Input for this frame: gestures and buttons only while FOCUSED.
    /// Returns the head in room space, when tracked.
    fn update(
        &mut self,
        phase: SessionPhase,
        time: xr::Time,
        commands: &mut Vec<Command>,
        ctx: &mut RunContext<'_>,
    ) -> Result<Option<(glam::Vec3, glam::Quat)>, XrError> {
        commands.clear();
        let now = ctx.now();
        if !phase.accepts_input() {
            ctx.controller.on_frame(None, commands, now, ctx.report);
            station(None, false, now, ctx);
            sound(None, now, ctx);
            return Ok(None);
        }
        self.buttons.poll(self.session, commands)?;
        let head = self
            .spaces
            .view
            .locate(&self.spaces.base, time)
            .during("xrLocateSpace(VIEW)")?;
        let (left, right) = match self.hands {
            Some(h) => h.locate(&self.spaces.base, time)?,
            None => (None, None),
        };
        let located = head.location_flags.contains(
            xr::SpaceLocationFlags::POSITION_VALID | xr::SpaceLocationFlags::ORIENTATION_VALID,
        );
        let checked = self.guard.tracking(
            time.as_nanos() as f64 * 1e-9,
            &raw_pose(&head.pose),
            located,
            left.as_ref(),
            right.as_ref(),
        );
        if let Some(frame) = &checked.frame {
            ctx.record(frame);
        }
        let changed: Option<Shown> =
            ctx.controller
                .on_frame(checked.frame.as_ref(), commands, now, ctx.report);
        if let Some(shown) = changed {
            tracing::info!(option = ctx.controller.shown_name(), index = ?shown.index(), "now showing");
        }
        let head = checked.head;
        let ears = head.map(|h| self.placement.pose_to_room(h.position, h.orientation));
        station(head.map(|h| h.position), true, now, ctx);
        sound(ears, now, ctx);
        Ok(ears)
    }

    /// Dynamic resolution: the frame's cost against the display period picks
    /// the next frames' scale. The cost is the loop's own time, which holds
    /// the wait for the frame slot two frames back, so a GPU-bound frame shows
    /// in it; the GPU time is used too where the renderer has it (the session
    /// does not turn timestamps on).
    fn follow_frame_time(
        &mut self,
        frame_ms: f64,
        state: &xr::FrameState,
        renderer: &mut StereoRenderer,
        swapchains: &StereoSwapchains,
    ) {
        let period_ms = state.predicted_display_period.as_nanos() as f64 * 1e-6;
        let cost = renderer
            .gpu_time_ms()
            .map_or(frame_ms, |gpu| gpu.max(frame_ms));
        if let Some(scale) = self.render_scale.update(cost, period_ms) {
            draw_at_scale(renderer, swapchains.extent, scale);
            let drawn = renderer.render_extent();
            tracing::info!(
                scale = %format_args!("{scale:.2}"),
                width = drawn.width,
                height = drawn.height,
                frame_ms = cost,
                period_ms,
                "render scale changed"
            );
        }
    }

    /// The kiosk hint for this frame, into the overlay's vertex list.
    fn update_hint(&mut self, head: Option<(glam::Vec3, glam::Quat)>, ctx: &mut RunContext<'_>) {
        let (Some(hint), Some(overlay), Some(station)) =
            (&mut self.hint, &mut self.overlay, ctx.station.as_deref())
        else {
            return;
        };
        let now = ctx.now();
        let input = HintInput {
            t: now,
            attract: !station.visiting(),
            remaining: station.remaining(now),
            head,
        };
        hint.update(&input, ctx.report);
        let out = overlay.vertices_mut();
        out.clear();
        out.extend(hint.vertices().iter().map(|v| OverlayVertex {
            position: v.position,
            color: v.color,
        }));
    }

    fn render(
        &mut self,
        stream: &mut xr::FrameStream<xr::Vulkan>,
        swapchains: &mut StereoSwapchains,
        renderer: &mut StereoRenderer,
        gpu: &Gpu,
        scene: SceneId,
        (time, now): (xr::Time, f64),
    ) -> Result<(), XrError> {
        // Fewer than two views is handled by the guard like garbage views.
        locate_views(
            self.session,
            VIEW_TYPE,
            time,
            &self.spaces.base,
            &mut self.raw_views,
        )?;
        let Some(checked) = self.guard.views(&self.raw_views) else {
            // No usable views yet: the spec still wants the frame ended.
            return stream.end(time, self.blend, &[]).during("xrEndFrame");
        };
        let eyes: [EyeView; 2] = std::array::from_fn(|i| {
            let v = checked[i];
            let (position, orientation) = self
                .placement
                .pose_to_room(v.pose.position, v.pose.orientation);
            EyeView {
                position,
                orientation,
                fov: Fov {
                    left: v.fov.left,
                    right: v.fov.right,
                    up: v.fov.up,
                    down: v.fov.down,
                },
            }
        });
        // The layer names the poses and fields of view the eyes were drawn with.
        let submitted: [(xr::Posef, xr::Fovf); 2] = std::array::from_fn(|i| {
            let v = checked[i];
            let (p, q) = (v.pose.position, v.pose.orientation);
            (
                xr::Posef {
                    position: xr::Vector3f {
                        x: p.x,
                        y: p.y,
                        z: p.z,
                    },
                    orientation: xr::Quaternionf {
                        x: q.x,
                        y: q.y,
                        z: q.z,
                        w: q.w,
                    },
                },
                xr::Fovf {
                    angle_left: v.fov.left,
                    angle_right: v.fov.right,
                    angle_up: v.fov.up,
                    angle_down: v.fov.down,
                },
            )
        });
        let index = swapchains.acquire()?;
        let drawn = renderer.render_layers(
            gpu,
            index,
            &eyes,
            scene,
            self.overlay.as_mut(),
            Some(&self.fade),
        );
        let extent = renderer.render_extent();
        if drawn.is_ok() {
            self.spectator
                .frame(swapchains.color_images[index], extent, now);
        }
        // Release even when drawing failed, so the swapchain stays usable.
        swapchains.release()?;
        drawn?;
        // The runtime scales the drawn rectangle up to the display.
        let rect = xr::Rect2Di {
            offset: xr::Offset2Di { x: 0, y: 0 },
            extent: xr::Extent2Di {
                width: extent.width as i32,
                height: extent.height as i32,
            },
        };
        let (near, far) = renderer.depth_range();
        let depth_infos: [xr::sys::CompositionLayerDepthInfoKHR; 2] =
            std::array::from_fn(|i| xr::sys::CompositionLayerDepthInfoKHR {
                ty: xr::sys::CompositionLayerDepthInfoKHR::TYPE,
                next: std::ptr::null(),
                sub_image: xr::sys::SwapchainSubImage {
                    swapchain: swapchains
                        .depth
                        .as_ref()
                        .map_or(xr::sys::Swapchain::from_raw(0), |d| d.as_raw()),
                    image_rect: rect,
                    image_array_index: i as u32,
                },
                min_depth: 0.0,
                max_depth: 1.0,
                near_z: near,
                far_z: far,
            });
        let projection_views: [xr::CompositionLayerProjectionView<xr::Vulkan>; 2] =
            std::array::from_fn(|i| {
                let view = xr::CompositionLayerProjectionView::new()
                    .pose(submitted[i].0)
                    .fov(submitted[i].1)
                    .sub_image(
                        xr::SwapchainSubImage::new()
                            .swapchain(&swapchains.color)
                            .image_array_index(i as u32)
                            .image_rect(rect),
                    );
                if swapchains.depth.is_none() {
                    return view;
                }
                let mut raw = view.into_raw();
                raw.next = &depth_infos[i] as *const _ as *const std::ffi::c_void;
                // SAFETY: `depth_infos` outlives `xrEndFrame` below, which is the only reader.
                unsafe { xr::CompositionLayerProjectionView::from_raw(raw) }
            });
        let layer = xr::CompositionLayerProjection::new()
            .space(&self.spaces.base)
            .views(&projection_views);
        stream.end(time, self.blend, &[&layer]).during("xrEndFrame")
    }
}

/// Display periods between the last paced frame and this one, beyond the one
/// expected: the runtime moved on without a frame from the app.
fn skipped_periods(last: Option<xr::Time>, state: &xr::FrameState) -> u64 {
    let period = state.predicted_display_period.as_nanos();
    match last {
        Some(last) if period > 0 => {
            let gap = state.predicted_display_time.as_nanos() - last.as_nanos();
            let periods = (gap + period / 2) / period;
            u64::try_from(periods - 1).unwrap_or(0)
        }
        _ => 0,
    }
}

/// Operator commands and kiosk rules, after the controller's own frame.
fn station(head: Option<glam::Vec3>, focused: bool, now: f64, ctx: &mut RunContext<'_>) {
    let mut ended = None;
    if let Some(operator) = ctx.operator {
        while let Some(command) = operator.try_command() {
            tracing::info!(?command, "operator");
            match (command, ctx.station.as_deref_mut()) {
                (OperatorCommand::Reset, Some(station)) => {
                    ended = station.reset(ctx.controller, now, ctx.report).or(ended);
                }
                (OperatorCommand::Reset, None) => {
                    ctx.controller
                        .show(Shown::Bare, now, "operator", ctx.report);
                }
                (OperatorCommand::Show(shown), _) => {
                    ctx.controller.show(shown, now, "operator", ctx.report);
                }
                (OperatorCommand::Pause(p), Some(station)) => station.set_paused(p),
                (OperatorCommand::Pause(_), None) => {}
            }
        }
    }
    if let Some(station) = ctx.station.as_deref_mut() {
        let input = StationInput {
            now,
            head,
            user_present: ctx.user_present,
            focused,
        };
        ended = station
            .on_frame(&input, ctx.controller, ctx.report)
            .or(ended);
    }
    if let (Some(visit), Some(log)) = (ended, ctx.visit_log.as_deref_mut()) {
        log(&visit);
    }
    if let Some(operator) = ctx.operator {
        let (visiting, paused) = ctx
            .station
            .as_deref()
            .map_or((false, false), |s| (s.visiting(), s.paused()));
        operator.publish(|s| {
            s.option = ctx.controller.shown().index().map_or(0, |i| i + 1);
            if s.shown != ctx.controller.shown_name() {
                s.shown = ctx.controller.shown_name().to_owned();
            }
            s.visiting = visiting;
            s.paused = paused;
            s.frames = ctx.report.frames_submitted;
            if s.runtime.is_none() {
                s.runtime.clone_from(&ctx.report.runtime);
            }
        });
    }
}

/// Hands this frame's cues, what is shown and the head (room space) to the audio.
fn sound(head: Option<(glam::Vec3, glam::Quat)>, now: f64, ctx: &mut RunContext<'_>) {
    if let Some(audio) = ctx.audio.as_deref_mut() {
        let (cues, shown) = (ctx.controller.cues(), ctx.controller.shown());
        audio.frame(cues, shown, head, now, ctx.report);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(t_ns: i64, period_ns: i64) -> xr::FrameState {
        xr::FrameState {
            predicted_display_time: xr::Time::from_nanos(t_ns),
            predicted_display_period: xr::Duration::from_nanos(period_ns),
            should_render: true,
        }
    }

    #[test]
    fn skipped_display_periods_count_as_missed_frames() {
        let p = 16_666_667;
        let last = Some(xr::Time::from_nanos(1_000_000_000));
        assert_eq!(skipped_periods(None, &state(2_000_000_000, p)), 0);
        // The next period, with a little jitter either way: nothing missed.
        assert_eq!(
            skipped_periods(last, &state(1_000_000_000 + p + 900_000, p)),
            0
        );
        assert_eq!(
            skipped_periods(last, &state(1_000_000_000 + p - 900_000, p)),
            0
        );
        // Two and four periods later: one and three frames missed.
        assert_eq!(skipped_periods(last, &state(1_000_000_000 + 2 * p, p)), 1);
        assert_eq!(skipped_periods(last, &state(1_000_000_000 + 4 * p, p)), 3);
        // A runtime that repeats a time or gives no period is not counted.
        assert_eq!(skipped_periods(last, &state(1_000_000_000, p)), 0);
        assert_eq!(skipped_periods(last, &state(1_100_000_000, 0)), 0);
    }
}

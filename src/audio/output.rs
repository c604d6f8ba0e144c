//! The only place that touches rodio: opens the sound device, runs [`RoomMix`]
//! as a rodio source on the device's thread, and feeds it from the frame loop
//! through bounded channels.
//!
//! The frame loop never waits on audio: it only `try_send`s small `Copy`
//! messages (no allocation, no lock); a full channel drops the message and counts it.

use super::config::AudioConfig;
use super::director::SoundDirector;
use super::mix::{AudioMessage, BLOCK_FRAMES, RoomMix, SoundBank};
use super::soundscape::Soundscape;
use super::spatial::Listener;
use crate::app::{Cue, SessionReport, Shown};
use glam::{Quat, Vec3};
use rodio::Source;
use std::num::NonZero;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::time::Duration;

/// Cue and ambience messages in flight: a frame sends at most a few; 32 covers
/// a quarter-second stall of the device thread at 90 Hz with room to spare.
const EVENT_CAPACITY: usize = 32;
/// Head poses in flight: only the newest matters, so a few suffice.
const LISTENER_CAPACITY: usize = 4;
/// The mix is stereo; rodio converts to the device's channel count.
const STEREO: NonZero<u16> = NonZero::<u16>::MIN.saturating_add(1);
/// Sample rate when the device does not impose one (offline mixing).
pub const DEFAULT_RATE: u32 = 48_000;

/// The sender side, owned by the frame loop.
struct MixLink {
    events: SyncSender<AudioMessage>,
    listener: SyncSender<Listener>,
}

/// [`RoomMix`] as a rodio source: stereo, endless, drained of messages once per block.
pub struct RoomMixSource {
    mix: RoomMix,
    events: Receiver<AudioMessage>,
    listener: Receiver<Listener>,
    block: Box<[f32]>,
    cursor: usize,
}

impl RoomMixSource {
    fn refill(&mut self) {
        let mut latest = None;
        while let Ok(l) = self.listener.try_recv() {
            latest = Some(l);
        }
        if let Some(l) = latest {
            self.mix.set_listener(l);
        }
        while let Ok(m) = self.events.try_recv() {
            self.mix.apply(m);
        }
        self.mix.render(&mut self.block);
        self.cursor = 0;
    }
}

impl Iterator for RoomMixSource {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.cursor == self.block.len() {
            self.refill();
        }
        let x = self.block[self.cursor];
        self.cursor += 1;
        Some(x)
    }
}

impl Source for RoomMixSource {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> rodio::ChannelCount {
        STEREO
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        NonZero::new(self.mix.rate()).unwrap_or(NonZero::<u32>::MIN)
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

/// Sound for a session: a director on the frame loop's side and, when a device
/// opened, a mixer playing on it. Without a device it still directs (and reports).
pub struct Audio {
    director: Option<SoundDirector>,
    link: Option<MixLink>,
    // Dropped last: dropping it stops the device stream.
    _sink: Option<rodio::MixerDeviceSink>,
    output: String,
    dropped_messages: u64,
}

impl Audio {
    /// Opens the default sound device. Never fails: with sound off there is no
    /// director, and with no device the app runs silently after one log line.
    pub fn open(config: &AudioConfig, mute: bool, soundscape: Soundscape) -> Audio {
        if mute || !config.enabled {
            let why = if mute {
                "muted (--mute)"
            } else {
                "off ([audio] enabled = false)"
            };
            tracing::info!("sound {why}");
            return Audio::silent(None, why.to_owned());
        }
        let director = SoundDirector::new(soundscape, config.crossfade_seconds);
        // The sounds are rendered at 48 kHz whatever the device runs at (rodio's
        // mixer converts), so that a device that is missing costs no synthesis.
        let opened = open_device(|| link(config, DEFAULT_RATE));
        match opened {
            Ok((sink, (link, source))) => {
                sink.mixer().add(source);
                let cfg = sink.config();
                let output = format!(
                    "default device, {} Hz, {} channels, {:?} (mixed at {DEFAULT_RATE} Hz)",
                    cfg.sample_rate(),
                    cfg.channel_count(),
                    cfg.sample_format(),
                );
                tracing::info!("sound on the {output}");
                Audio {
                    director: Some(director),
                    link: Some(link),
                    _sink: Some(sink),
                    output,
                    dropped_messages: 0,
                }
            }
            Err(why) => {
                tracing::warn!("no sound device ({why}); running without sound");
                Audio::silent(Some(director), format!("none: {why}"))
            }
        }
    }

    /// Sound mixed into the returned source instead of a device (at `rate`), for
    /// offline rendering, tests and benchmarks: the same path as [`Audio::open`]
    /// from the frame loop to the samples.
    pub fn offline(
        config: &AudioConfig,
        soundscape: Soundscape,
        rate: u32,
    ) -> (Audio, RoomMixSource) {
        let (link, source) = link(config, rate);
        let audio = Audio {
            director: Some(SoundDirector::new(soundscape, config.crossfade_seconds)),
            link: Some(link),
            _sink: None,
            output: format!("offline, {} Hz", source.mix.rate()),
            dropped_messages: 0,
        };
        (audio, source)
    }

    fn silent(director: Option<SoundDirector>, output: String) -> Audio {
        Audio {
            director,
            link: None,
            _sink: None,
            output,
            dropped_messages: 0,
        }
    }

    /// Where sound goes, for the report.
    pub fn output(&self) -> &str {
        &self.output
    }

    /// Whether a device (or an offline source) is playing.
    pub fn is_playing(&self) -> bool {
        self.link.is_some()
    }

    /// Messages dropped because the mixer fell behind.
    pub fn dropped_messages(&self) -> u64 {
        self.dropped_messages
    }

    /// One frame: this frame's cues, what is shown, and the head in room space
    /// (`None` when it was not located). Returns at once.
    pub fn frame(
        &mut self,
        cues: &[Cue],
        shown: Shown,
        head: Option<(Vec3, Quat)>,
        now: f64,
        report: &mut SessionReport,
    ) {
        let Some(director) = self.director.as_mut() else {
            return;
        };
        let mut dropped = 0;
        director.frame(cues, shown, now, report, |m| {
            if let Some(link) = &self.link
                && let Err(TrySendError::Full(_)) = link.events.try_send(m)
            {
                dropped += 1;
            }
        });
        if let (Some(link), Some((position, orientation))) = (&self.link, head) {
            // A full listener channel means the mixer has newer poses queued than it can use.
            let _ = link.listener.try_send(Listener {
                position,
                orientation,
            });
        }
        if dropped > 0 {
            if self.dropped_messages == 0 {
                tracing::warn!("the sound mixer is falling behind; cues are being dropped");
            }
            self.dropped_messages += dropped;
        }
    }

    /// The session stopped running or the runtime was lost, at `now`: the
    /// ambience fades out; the next [`frame`](Self::frame) brings it back.
    pub fn pause(&mut self, now: f64, report: &mut SessionReport) {
        let Some(director) = self.director.as_mut() else {
            return;
        };
        let mut dropped = 0;
        director.pause(now, report, |m| {
            if let Some(link) = &self.link
                && link.events.try_send(m).is_err()
            {
                dropped += 1;
            }
        });
        self.dropped_messages += dropped;
    }

    /// The session ended at `now`: reports every sound still playing as stopped.
    pub fn finish(&mut self, now: f64, report: &mut SessionReport) {
        if let Some(director) = self.director.as_mut() {
            director.finish(now, report);
        }
        report.audio_output = Some(self.output.clone());
        if self.dropped_messages > 0 {
            report.error(format!(
                "sound: {} messages to the mixer were dropped because it fell behind",
                self.dropped_messages
            ));
        }
    }
}

fn link(config: &AudioConfig, rate: u32) -> (MixLink, RoomMixSource) {
    let (events, events_rx) = sync_channel(EVENT_CAPACITY);
    let (listener, listener_rx) = sync_channel(LISTENER_CAPACITY);
    let bank = SoundBank::render(rate);
    let source = RoomMixSource {
        mix: RoomMix::new(bank, config.mix_settings()),
        events: events_rx,
        listener: listener_rx,
        block: vec![0.0; BLOCK_FRAMES * 2].into_boxed_slice(),
        cursor: BLOCK_FRAMES * 2,
    };
    (MixLink { events, listener }, source)
}

/// Logs stream errors from the device thread: the first, then one in a hundred,
/// because an overloaded machine reports an underrun on every callback.
fn device_error_logger() -> impl FnMut(rodio::cpal::Error) + Send + 'static {
    let mut count = 0u64;
    move |e| {
        count += 1;
        if count % 100 == 1 {
            tracing::warn!(errors_so_far = count, "sound device error: {e}");
        }
    }
}

/// Opens the default output device, with ALSA's own complaints (it prints to
/// stderr when there is no card) captured and logged at debug level instead.
/// `prepare` runs once the device is known to exist, before its stream starts.
fn open_device<T>(prepare: impl FnOnce() -> T) -> Result<(rodio::MixerDeviceSink, T), String> {
    #[cfg(target_os = "linux")]
    let alsa_errors = alsa::Output::local_error_handler().ok();
    let result = rodio::DeviceSinkBuilder::from_default_device()
        .map_err(|e| format!("default output: {e}"))
        .and_then(|builder| {
            let prepared = prepare();
            builder
                .with_error_callback(device_error_logger())
                .open_stream()
                .map(|sink| (sink, prepared))
                .map_err(|e| format!("default output: {e}"))
        });
    #[cfg(target_os = "linux")]
    let result = match alsa_errors {
        Some(errors) => {
            let text = errors.borrow().to_string();
            let text = text.trim();
            if !text.is_empty() {
                tracing::debug!(alsa = %text, "ALSA while opening the sound device");
            }
            // The first line is ALSA's own reason ("cannot find card '0'").
            match (result, text.lines().next()) {
                (Err(e), Some(first)) => Err(format!("{e}; ALSA: {first}")),
                (r, _) => r,
            }
        }
        None => result,
    };
    result.map(|(mut sink, prepared)| {
        sink.log_on_drop(false);
        (sink, prepared)
    })
}

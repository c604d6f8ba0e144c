//! The validation layer's messages, collected per `Gpu` (no global state).

use std::ffi::{CStr, c_void};
use std::sync::{Arc, Mutex};

use ash::vk;

/// Name of the Khronos validation layer.
pub(crate) const VALIDATION_LAYER: &CStr = c"VK_LAYER_KHRONOS_validation";

/// At most this many messages are kept: a broken frame loop can emit one per
/// call per frame, and memory must stay bounded. Later ones are only counted.
const MAX_KEPT: usize = 1000;

/// Messages from the validation layer and the loader.
#[derive(Default)]
pub(crate) struct MessageLog {
    kept: Vec<String>,
    dropped: usize,
}

impl MessageLog {
    fn push(&mut self, message: String) {
        if self.kept.len() < MAX_KEPT {
            self.kept.push(message);
        } else {
            self.dropped += 1;
        }
    }

    /// All kept messages, plus a line saying how many were dropped.
    pub(crate) fn snapshot(&self) -> Vec<String> {
        let mut out = self.kept.clone();
        if self.dropped > 0 {
            out.push(format!("... and {} more validation messages", self.dropped));
        }
        out
    }
}

/// Shared log; the messenger's user-data pointer points into this `Arc`.
pub(crate) type SharedLog = Arc<Mutex<MessageLog>>;

/// The messenger description: warnings and errors of every type (general,
/// validation, performance), delivered to [`on_message`] with `log` as user data.
///
/// The caller must keep `log` alive as long as the messenger (or the instance
/// this is chained into) exists.
pub(crate) fn messenger_info(log: &SharedLog) -> vk::DebugUtilsMessengerCreateInfoEXT<'static> {
    vk::DebugUtilsMessengerCreateInfoEXT::default()
        .message_severity(
            vk::DebugUtilsMessageSeverityFlagsEXT::WARNING
                | vk::DebugUtilsMessageSeverityFlagsEXT::ERROR,
        )
        .message_type(
            vk::DebugUtilsMessageTypeFlagsEXT::GENERAL
                | vk::DebugUtilsMessageTypeFlagsEXT::VALIDATION
                | vk::DebugUtilsMessageTypeFlagsEXT::PERFORMANCE,
        )
        .pfn_user_callback(Some(on_message))
        .user_data(Arc::as_ptr(log) as *mut c_void)
}

unsafe extern "system" fn on_message(
    severity: vk::DebugUtilsMessageSeverityFlagsEXT,
    types: vk::DebugUtilsMessageTypeFlagsEXT,
    data: *const vk::DebugUtilsMessengerCallbackDataEXT<'_>,
    user: *mut c_void,
) -> vk::Bool32 {
    if data.is_null() || user.is_null() {
        return vk::FALSE;
    }
    // SAFETY: `user` is `Arc::as_ptr` of the log, kept alive by the Gpu for
    // as long as the messenger exists; `data` is valid for this call.
    let (log, data) = unsafe { (&*(user as *const Mutex<MessageLog>), &*data) };
    let text = if data.p_message.is_null() {
        "(no message)".into()
    } else {
        // SAFETY: the layer passes a NUL-terminated string.
        unsafe { CStr::from_ptr(data.p_message) }.to_string_lossy()
    };
    let line = format!("{severity:?} {types:?}: {text}");
    tracing::warn!(target: "vulkan", "{line}");
    if let Ok(mut log) = log.lock() {
        log.push(line);
    }
    vk::FALSE
}

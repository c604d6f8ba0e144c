//! Termination signals, taken synchronously so the simulator can clean up.
//!
//! The signals are blocked (in every thread started afterwards, too) and polled
//! with `sigtimedwait`, so no handler and no global flag is needed. Children get
//! them unblocked again before `exec`.

use std::io;

/// Signals that end a run in order: Ctrl-C, `kill`, a closed terminal.
const HANDLED: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// The handled signals, blocked in the calling thread.
#[derive(Clone, Copy)]
pub struct TerminationSignals {
    set: libc::sigset_t,
}

impl TerminationSignals {
    /// The set of handled signals, changing nothing (for [`Self::unblock`] in a child).
    pub fn handled() -> Self {
        // SAFETY: sigset_t is plain data initialised by sigemptyset before use.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for s in HANDLED {
                libc::sigaddset(&mut set, s);
            }
            TerminationSignals { set }
        }
    }

    /// Blocks the handled signals in the calling thread (and threads it starts later).
    pub fn block() -> io::Result<Self> {
        let me = Self::handled();
        // SAFETY: valid set; a null old-set pointer is allowed.
        let rc = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &me.set, std::ptr::null_mut()) };
        if rc == 0 {
            Ok(me)
        } else {
            Err(io::Error::from_raw_os_error(rc))
        }
    }

    /// Takes one pending handled signal, if any, without waiting.
    pub fn take_pending(&self) -> Option<libc::c_int> {
        let zero = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: valid set and timeout; a null siginfo pointer is allowed.
        let s = unsafe { libc::sigtimedwait(&self.set, std::ptr::null_mut(), &zero) };
        (s > 0).then_some(s)
    }

    /// Fork-safe: unblocks the handled signals (for a child about to `exec`).
    pub fn unblock(&self) -> io::Result<()> {
        // SAFETY: valid set; sigprocmask is async-signal-safe.
        let rc = unsafe { libc::sigprocmask(libc::SIG_UNBLOCK, &self.set, std::ptr::null_mut()) };
        if rc == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blocked_signal_is_taken_not_delivered() {
        // A fresh thread so the test harness' own threads keep their masks.
        std::thread::spawn(|| {
            let sig = TerminationSignals::block().unwrap();
            assert_eq!(sig.take_pending(), None);
            // SAFETY: raising to this thread only, where SIGHUP is blocked.
            unsafe { libc::pthread_kill(libc::pthread_self(), libc::SIGHUP) };
            assert_eq!(sig.take_pending(), Some(libc::SIGHUP));
            assert_eq!(sig.take_pending(), None);
        })
        .join()
        .unwrap();
    }
}

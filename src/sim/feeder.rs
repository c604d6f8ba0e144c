//! Streams a [`VisitorPlan`] to Monado's remote driver over TCP.
//!
//! Monado serves one client at a time on port 4242, greets it with two full
//! packets, then takes packets back to back, the newest winning. Each call of
//! `xrLocateHandJointsEXT` rebuilds the joints from the latest packet with no
//! interpolation, so the rate must stay well above the app's frame rate:
//! 250 Hz was measured to put the app within 0.45 mm rms of the plan.

use std::fmt;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::error::{Result, SimError};
use super::monado::REMOTE_PORT;
use super::remote::{GREETING_SIZE, PACKET_SIZE, greeting_matches_v25};
use super::visitor::VisitorPlan;

/// Default packet rate, Hz.
pub const DEFAULT_RATE_HZ: f64 = 250.0;

/// What to stream, where, and for how long.
#[derive(Clone, Debug)]
pub struct FeedConfig {
    /// Monado's remote driver address.
    pub addr: SocketAddr,
    /// The visitor.
    pub plan: VisitorPlan,
    /// Packets per second.
    pub rate_hz: f64,
    /// Stop after this many seconds of script time; `None`: until stopped.
    pub seconds: Option<f64>,
    /// How long to wait for the first connection.
    pub connect_timeout: Duration,
}

impl FeedConfig {
    /// Streams `plan` to 127.0.0.1:4242 at 250 Hz.
    pub fn local(plan: VisitorPlan, seconds: Option<f64>) -> Self {
        FeedConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], REMOTE_PORT)),
            plan,
            rate_hz: DEFAULT_RATE_HZ,
            seconds,
            connect_timeout: Duration::from_secs(15),
        }
    }
}

/// What a feed did.
#[derive(Clone, Copy, Debug, Default)]
pub struct FeedStats {
    /// Packets sent.
    pub packets: u64,
    /// Connections made (more than 1 when Monado was restarted).
    pub connections: u32,
    /// Seconds from the first packet to the end.
    pub seconds: f64,
}

impl fmt::Display for FeedStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} packets in {:.1} s over {} connection(s)",
            self.packets, self.seconds, self.connections
        )
    }
}

/// CLOCK_MONOTONIC in seconds: the clock inside the chroot too, so an app can line up
/// what it saw with the schedule the feeder logs.
pub fn monotonic_now() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a valid timespec; CLOCK_MONOTONIC always exists on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn connect(
    addr: SocketAddr,
    deadline: Option<Instant>,
    stop: &AtomicBool,
) -> Result<Option<TcpStream>> {
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let last_err = match TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
            Ok(s) => return greet(s, addr).map(Some),
            Err(e) => e,
        };
        if deadline.is_some_and(|d| Instant::now() > d) {
            return Err(SimError::Feeder(format!(
                "cannot connect to {addr} ({last_err}); is monado-service running with the remote \
                 driver (roomwave sim run --driver remote)?"
            )));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn greet(mut s: TcpStream, addr: SocketAddr) -> Result<TcpStream> {
    let io = |what: &str, e: std::io::Error| SimError::Feeder(format!("{what} {addr}: {e}"));
    s.set_nodelay(true)
        .map_err(|e| io("set TCP_NODELAY on", e))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| io("set a read timeout on", e))?;
    let mut greeting = [0u8; GREETING_SIZE];
    s.read_exact(&mut greeting)
        .map_err(|e| io("no greeting (two state packets) from", e))?;
    if !greeting_matches_v25(&greeting) {
        tracing::warn!(
            "the greeting from {addr} does not decode to Monado 25's reset state: the remote \
             driver's wire layout may have changed"
        );
    }
    Ok(s)
}

fn log_schedule(plan: &VisitorPlan, t0_mono: f64) {
    tracing::info!(
        "visitor: script t0 monotonic={t0_mono:.6}, {} segments, {} s, yaw {} deg",
        plan.segments().len(),
        plan.total(),
        plan.yaw_deg()
    );
    for (i, (seg, start)) in plan.segments().iter().zip(plan.starts()).enumerate() {
        tracing::info!(
            "visitor: plan #{} {} t={:.3}..{:.3} s monotonic={:.6}..{:.6}",
            i + 1,
            seg.name,
            start,
            start + seg.seconds,
            t0_mono + start,
            t0_mono + start + seg.seconds
        );
    }
}

/// Streams until `seconds` of script time or until `stop` is set; reconnects when
/// Monado goes away (it may be restarted). `connected` is told once, at the first
/// connection. Blocks the calling thread.
pub fn feed(
    cfg: &FeedConfig,
    stop: &AtomicBool,
    connected: Option<mpsc::Sender<()>>,
) -> Result<FeedStats> {
    if !(cfg.rate_hz > 0.0 && cfg.rate_hz <= 10_000.0) {
        return Err(SimError::Feeder(format!(
            "rate must be in (0, 10000] Hz, got {}",
            cfg.rate_hz
        )));
    }
    let first_deadline = Instant::now() + cfg.connect_timeout;
    let Some(mut sock) = connect(cfg.addr, Some(first_deadline), stop)? else {
        return Ok(FeedStats::default());
    };
    if let Some(tx) = connected {
        let _ = tx.send(());
    }
    let mut stats = FeedStats {
        connections: 1,
        ..Default::default()
    };
    let period = Duration::from_secs_f64(1.0 / cfg.rate_hz);
    let t0 = Instant::now();
    log_schedule(&cfg.plan, monotonic_now());
    let mut buf = [0u8; PACKET_SIZE];
    let mut next = t0;
    let mut last_segment = usize::MAX;
    while !stop.load(Ordering::Relaxed) {
        let t = t0.elapsed().as_secs_f64();
        if cfg.seconds.is_some_and(|s| t >= s) {
            break;
        }
        let segment = cfg.plan.sample(t).segment;
        if segment != last_segment && t < cfg.plan.total() {
            let seg = &cfg.plan.segments()[segment];
            tracing::info!(
                "visitor: segment {} '{}' starts at t={t:.3} s",
                segment + 1,
                seg.name
            );
            last_segment = segment;
        }
        cfg.plan.packet(t).encode(&mut buf);
        if let Err(e) = sock.write_all(&buf) {
            tracing::warn!(
                "hand feeder: send failed ({e}); reconnecting to {}",
                cfg.addr
            );
            // Give up only when the feed's own time is over (Monado may take seconds to return).
            let end = cfg.seconds.map(|s| t0 + Duration::from_secs_f64(s));
            match connect(cfg.addr, end, stop) {
                Ok(Some(s)) => sock = s,
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!("{e}");
                    break;
                }
            }
            stats.connections += 1;
            tracing::info!("hand feeder: reconnected to {}", cfg.addr);
            continue;
        }
        stats.packets += 1;
        next += period;
        let now = Instant::now();
        if next > now {
            std::thread::sleep(next - now);
        } else if now - next > Duration::from_millis(100) {
            // Fell far behind (a stall): skip the missed ticks rather than burst them.
            next = now;
        }
    }
    stats.seconds = t0.elapsed().as_secs_f64();
    Ok(stats)
}

/// A feed running on its own thread.
pub struct FeederThread {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<Result<FeedStats>>,
}

impl FeederThread {
    /// Starts the feed and returns once it is connected (or failed to connect).
    pub fn start(cfg: FeedConfig) -> Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let flag = Arc::clone(&stop);
        let wait = cfg.connect_timeout + Duration::from_secs(10);
        let handle = std::thread::Builder::new()
            .name("hand-feeder".into())
            .spawn(move || feed(&cfg, &flag, Some(tx)))
            .map_err(|e| SimError::io("start the hand feeder thread", e))?;
        match rx.recv_timeout(wait) {
            Ok(()) => Ok(FeederThread { stop, handle }),
            Err(_) => {
                stop.store(true, Ordering::Relaxed);
                match handle.join() {
                    Ok(Err(e)) => Err(e),
                    _ => Err(SimError::Feeder("did not connect to Monado".into())),
                }
            }
        }
    }

    /// Stops the feed and returns what it did.
    pub fn stop(self) -> Result<FeedStats> {
        self.stop.store(true, Ordering::Relaxed);
        self.handle
            .join()
            .map_err(|_| SimError::Feeder("the feeder thread panicked".into()))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::remote::RemotePacket;
    use std::net::TcpListener;

    /// A stand-in for Monado's socket end: greets, then collects what arrives.
    #[test]
    fn feeds_greeted_packets_at_the_rate_and_reconnects() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let mut got = Vec::new();
            for _ in 0..2 {
                let (mut s, _) = listener.accept().unwrap();
                let mut reset = RemotePacket::default();
                reset.left.pose.position = crate::sim::remote::RESET_LEFT_GRIP;
                let mut one = [0u8; PACKET_SIZE];
                reset.encode(&mut one);
                s.write_all(&one).unwrap();
                s.write_all(&one).unwrap();
                let mut buf = vec![0u8; PACKET_SIZE * 50];
                s.read_exact(&mut buf).unwrap();
                got.push(buf);
                // dropping `s` makes the feeder reconnect
            }
            got
        });
        let plan = VisitorPlan::parse("rest:0.2,wave:1", 0.0).unwrap();
        let mut cfg = FeedConfig::local(plan, Some(0.6));
        cfg.addr = addr;
        let stop = AtomicBool::new(false);
        let stats = feed(&cfg, &stop, None).unwrap();
        let got = server.join().unwrap();
        assert_eq!(stats.connections, 2, "{stats}");
        // 0.6 s at 250 Hz is 150 packets; sleeping can only make it fewer.
        assert!(stats.packets >= 100 && stats.packets <= 151, "{stats}");
        for chunk in got[0].chunks_exact(PACKET_SIZE) {
            assert_eq!(&chunk[..8], b"mndrmt3\0");
            let p = RemotePacket::decode(chunk.try_into().unwrap());
            assert!(p.right.flags.active && p.right.flags.hand_tracking_active);
            assert!((p.head.position[1] - 1.6).abs() < 1e-6);
        }
    }

    #[test]
    fn no_server_is_a_clear_error() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let mut cfg = FeedConfig::local(VisitorPlan::parse("rest:1", 0.0).unwrap(), Some(1.0));
        cfg.addr = addr;
        cfg.connect_timeout = Duration::from_millis(300);
        let e = feed(&cfg, &AtomicBool::new(false), None).unwrap_err();
        assert!(e.to_string().contains("cannot connect"), "{e}");
    }
}

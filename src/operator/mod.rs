//! The operator's endpoint: plain HTTP on 127.0.0.1 only, so the person running
//! a demo station can reset it, skip to an option, pause it and see its status
//! from the machine's own browser or `curl`, without a headset or keyboard focus.
//!
//! | request | effect |
//! |---|---|
//! | `GET /status` | JSON: what is shown, visiting, paused, frames, runtime |
//! | `POST /reset` | end the visit, back to the bare room |
//! | `POST /option/N` | show option N (from 1; 0 = the bare room) |
//! | `POST /pause`, `POST /resume` | hold or release the kiosk rules |

use crate::app::Shown;
use serde::Serialize;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// What the operator asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperatorCommand {
    /// End the visit, back to the attract state.
    Reset,
    /// Show this at once.
    Show(Shown),
    /// Hold (true) or release (false) the kiosk rules.
    Pause(bool),
}

/// What `GET /status` reports, published by the frame loop now and then.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StationStatus {
    /// Name of what is shown.
    pub shown: String,
    /// Option number from 1, 0 for the bare room.
    pub option: usize,
    /// Whether a visitor is in.
    pub visiting: bool,
    /// Whether the kiosk rules are on hold.
    pub paused: bool,
    /// Frames submitted so far.
    pub frames: u64,
    /// The runtime, once connected.
    pub runtime: Option<String>,
    /// Session state.
    pub state: String,
}

/// Could not start the endpoint.
#[derive(Debug, thiserror::Error)]
#[error("cannot listen on 127.0.0.1:{port} for the operator: {reason}")]
pub struct OperatorError {
    /// The port.
    pub port: u16,
    /// Why.
    pub reason: String,
}

/// The frame loop's side: commands in, status out. Never blocks.
pub struct OperatorLink {
    commands: Receiver<OperatorCommand>,
    status: Arc<Mutex<StationStatus>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    /// The address actually bound (port 0 picks a free one).
    pub address: SocketAddr,
}

/// Commands queued beyond this are refused with 503: the frame loop drains the
/// queue every frame, so a full queue means it is stuck, and memory stays bounded.
const QUEUE: usize = 16;

impl OperatorLink {
    /// Listens on 127.0.0.1:`port` (never on other interfaces: a show floor's
    /// network is not the operator's).
    pub fn start(port: u16, option_count: usize) -> Result<OperatorLink, OperatorError> {
        let server =
            tiny_http::Server::http((Ipv4Addr::LOCALHOST, port)).map_err(|e| OperatorError {
                port,
                reason: e.to_string(),
            })?;
        let address = server.server_addr().to_ip().ok_or_else(|| OperatorError {
            port,
            reason: "not an IP socket".into(),
        })?;
        let server = Arc::new(server);
        let status = Arc::new(Mutex::new(StationStatus::default()));
        let (tx, commands) = sync_channel(QUEUE);
        let thread = {
            let (server, status) = (Arc::clone(&server), Arc::clone(&status));
            std::thread::Builder::new()
                .name("operator".into())
                .spawn(move || serve(&server, &tx, &status, option_count))
                .map_err(|e| OperatorError {
                    port,
                    reason: e.to_string(),
                })?
        };
        tracing::info!(%address, "operator endpoint listening (GET /status, POST /reset, /option/N, /pause, /resume)");
        Ok(OperatorLink {
            commands,
            status,
            server,
            thread: Some(thread),
            address,
        })
    }

    /// The next command, if any.
    pub fn try_command(&self) -> Option<OperatorCommand> {
        self.commands.try_recv().ok()
    }

    /// Publishes the status (skipped when the endpoint holds the lock right now).
    pub fn publish(&self, update: impl FnOnce(&mut StationStatus)) {
        if let Ok(mut s) = self.status.try_lock() {
            update(&mut s);
        }
    }
}

impl Drop for OperatorLink {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Parses a request into a command; `Err` is (status code, message).
pub fn parse(
    method: &str,
    path: &str,
    option_count: usize,
) -> Result<Option<OperatorCommand>, (u16, String)> {
    match (method, path) {
        ("GET", "/status") => Ok(None),
        ("POST", "/reset") => Ok(Some(OperatorCommand::Reset)),
        ("POST", "/pause") => Ok(Some(OperatorCommand::Pause(true))),
        ("POST", "/resume") => Ok(Some(OperatorCommand::Pause(false))),
        ("POST", p) if p.starts_with("/option/") => {
            let n: usize = p["/option/".len()..]
                .parse()
                .map_err(|_| (400, format!("{p}: expected /option/N with N a number")))?;
            match n {
                0 => Ok(Some(OperatorCommand::Show(Shown::Bare))),
                n if n <= option_count => Ok(Some(OperatorCommand::Show(Shown::Option(n - 1)))),
                n => Err((
                    404,
                    format!("option {n} does not exist: choose 0 to {option_count}"),
                )),
            }
        }
        _ => Err((
            404,
            format!("{method} {path}: try GET /status, POST /reset, /option/N, /pause, /resume"),
        )),
    }
}

fn serve(
    server: &tiny_http::Server,
    tx: &SyncSender<OperatorCommand>,
    status: &Mutex<StationStatus>,
    options: usize,
) {
    for request in server.incoming_requests() {
        let method = request.method().as_str().to_owned();
        let (code, body) = match parse(&method, request.url(), options) {
            Ok(None) => {
                let s = status.lock().map(|s| s.clone()).unwrap_or_default();
                (200, serde_json::to_string(&s).unwrap_or_default())
            }
            Ok(Some(command)) => match tx.try_send(command) {
                Ok(()) => (202, format!("{{\"accepted\":\"{command:?}\"}}")),
                Err(TrySendError::Full(_)) => (503, "{\"error\":\"busy\"}".to_owned()),
                Err(TrySendError::Disconnected(_)) => return,
            },
            Err((code, message)) => (code, serde_json::json!({ "error": message }).to_string()),
        };
        let response = tiny_http::Response::from_string(body).with_status_code(code);
        if let Err(e) = request.respond(response) {
            tracing::debug!("operator response failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::{IpAddr, TcpStream};

    #[test]
    fn parses_commands() {
        assert_eq!(parse("POST", "/reset", 3), Ok(Some(OperatorCommand::Reset)));
        assert_eq!(
            parse("POST", "/option/3", 3),
            Ok(Some(OperatorCommand::Show(Shown::Option(2))))
        );
        assert_eq!(
            parse("POST", "/option/0", 3),
            Ok(Some(OperatorCommand::Show(Shown::Bare)))
        );
        assert_eq!(parse("POST", "/option/4", 3).unwrap_err().0, 404);
        assert_eq!(parse("POST", "/option/x", 3).unwrap_err().0, 400);
        assert_eq!(parse("GET", "/reset", 3).unwrap_err().0, 404);
        assert_eq!(parse("GET", "/status", 3), Ok(None));
    }

    fn http(address: SocketAddr, request: &str) -> String {
        let mut s = TcpStream::connect(address).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn serves_status_and_queues_commands_on_loopback_only() {
        let link = OperatorLink::start(0, 3).unwrap();
        assert!(link.address.ip().is_loopback());
        link.publish(|s| s.shown = "Japandi".into());
        let status = http(link.address, "GET /status HTTP/1.0\r\n\r\n");
        assert!(
            status.starts_with("HTTP/1.0 200") && status.contains("\"shown\":\"Japandi\""),
            "{status}"
        );
        let reply = http(
            link.address,
            "POST /option/2 HTTP/1.0\r\nContent-Length: 0\r\n\r\n",
        );
        assert!(reply.contains("202"), "{reply}");
        assert_eq!(
            link.try_command(),
            Some(OperatorCommand::Show(Shown::Option(1)))
        );
        assert_eq!(link.try_command(), None);
        // Another address of this machine is refused: nothing listens there. Linux
        // routes all of 127/8 to this machine, so 127.0.0.2 always exists; a listener on
        // 0.0.0.0 (every interface) would answer there, one on 127.0.0.1 alone does not.
        let port = link.address.port();
        let other_loopback = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
        for ip in std::iter::once(other_loopback).chain(local_non_loopback_address()) {
            assert!(
                TcpStream::connect((ip, port)).is_err(),
                "the operator endpoint answers on {ip}"
            );
        }
    }

    #[test]
    fn the_other_address_probe_does_reach_a_listener_on_every_interface() {
        // The control for the test above: the same probe does see a socket bound to
        // 0.0.0.0, so its refusal there is the bind's doing, not the probe's.
        let any = std::net::TcpListener::bind((Ipv4Addr::UNSPECIFIED, 0)).unwrap();
        let port = any.local_addr().unwrap().port();
        assert!(TcpStream::connect((Ipv4Addr::new(127, 0, 0, 2), port)).is_ok());
    }

    /// A non-loopback address of this machine, when it has one (found by the
    /// route a UDP socket would take; no packet is sent).
    fn local_non_loopback_address() -> Option<IpAddr> {
        let probe = std::net::UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
        probe.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
        let ip = probe.local_addr().ok()?.ip();
        (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
    }
}

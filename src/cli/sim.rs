//! `roomwave sim`: prepare the simulator, run a command in it, or feed hands.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use roomwave::sim::feeder::{self, FeedConfig};
use roomwave::sim::monado::Driver;
use roomwave::sim::rootfs;
use roomwave::sim::session::{self, EXIT_SIM_FAILURE, RunSpec};
use roomwave::sim::visitor::VisitorPlan;

/// The hidden subcommand the outer `sim run` process re-executes itself with.
const INSIDE: &str = "__inside";

/// Subcommands of `roomwave sim`.
#[derive(clap::Subcommand)]
pub enum SimCommand {
    /// Build (or reuse) the simulator's root filesystem (Debian 13, Monado 25, lavapipe).
    Setup,
    /// Run a command inside the simulator with Monado running; exits with the command's
    /// status (124: time limit, 125: the simulator failed, 127: command not found).
    Run(RunArgs),
    /// Stream a scripted visitor to a running Monado remote driver.
    Feed(FeedArgs),
    /// Internal: the half of `sim run` that runs in the private namespaces.
    #[command(name = INSIDE, hide = true)]
    Inside,
}

/// Arguments of `roomwave sim run`.
#[derive(clap::Args)]
pub struct RunArgs {
    /// Monado driver: `simulated` (no hands) or `remote` (hands fed over TCP 4242).
    #[arg(long, value_enum, default_value = "simulated")]
    driver: Driver,
    /// Visitor script to feed, e.g. `rest:2,wave:3,rest:2` (implies --driver remote).
    #[arg(long, value_name = "SCRIPT")]
    feed: Option<String>,
    /// Turn the visitor this many degrees about the vertical (positive = left).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    yaw: f64,
    /// Time limit for the command, seconds.
    #[arg(long, default_value_t = 300.0)]
    timeout: f64,
    /// Kill monado-service with SIGKILL at these seconds after the command starts, and
    /// start a fresh one 2 s later each time.
    #[arg(long, value_name = "S[,S..]", value_delimiter = ',')]
    restart_monado_at: Vec<f64>,
    /// Keep Monado's log in this file (by default it is kept only on failure).
    #[arg(long)]
    log: Option<PathBuf>,
    /// Also bind this host directory into the simulator at the same path (repeatable).
    /// The current directory and the command's own directory are always bound.
    #[arg(long, value_name = "DIR")]
    bind: Vec<PathBuf>,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "CMD")]
    command: Vec<String>,
}

/// Arguments of `roomwave sim feed`.
#[derive(clap::Args)]
pub struct FeedArgs {
    /// Visitor script, e.g. `rest:2,wave:3,rest:2`.
    #[arg(long, value_name = "SCRIPT")]
    script: String,
    /// Monado's remote driver port on 127.0.0.1.
    #[arg(long, default_value_t = 4242)]
    port: u16,
    /// Stream for this long (default: the script's length).
    #[arg(long)]
    seconds: Option<f64>,
    /// Turn the visitor this many degrees about the vertical (positive = left).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    yaw: f64,
    /// Packets per second.
    #[arg(long, default_value_t = feeder::DEFAULT_RATE_HZ)]
    rate: f64,
}

/// Runs the command.
pub fn main(cmd: SimCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        SimCommand::Setup => {
            let report = rootfs::ensure(&rootfs::RootfsConfig::from_env())?;
            println!("roomwave sim setup: {report}");
            Ok(ExitCode::SUCCESS)
        }
        SimCommand::Run(a) => Ok(run(a)),
        SimCommand::Feed(a) => feed(a),
        SimCommand::Inside => Ok(inside()),
    }
}

fn code(c: i32) -> ExitCode {
    ExitCode::from(u8::try_from(c).unwrap_or(EXIT_SIM_FAILURE as u8))
}

fn run(a: RunArgs) -> ExitCode {
    let result = (|| -> anyhow::Result<i32> {
        let mut spec = RunSpec::new(a.command)?;
        spec.driver = if a.feed.is_some() {
            Driver::Remote
        } else {
            a.driver
        };
        spec.feed = a.feed;
        spec.yaw_deg = a.yaw;
        spec.timeout_s = a.timeout;
        spec.restart_monado_at = a.restart_monado_at;
        spec.log = a.log;
        spec.binds = a.bind;
        if let Ok(extra) = std::env::var("ROOMWAVE_SIM_MONADO_ENV") {
            for pair in extra.split_whitespace() {
                let (k, v) = pair.split_once('=').with_context(|| {
                    format!("ROOMWAVE_SIM_MONADO_ENV: '{pair}' is not VAR=value")
                })?;
                spec.monado_env.push((k.into(), v.into()));
            }
        }
        let exe = std::env::current_exe().context("cannot find the roomwave executable")?;
        Ok(session::launch(spec, &exe, &["sim", INSIDE])?)
    })();
    match result {
        Ok(c) => code(c),
        Err(e) => {
            eprintln!("roomwave sim run: error: {e:#}");
            code(EXIT_SIM_FAILURE)
        }
    }
}

fn inside() -> ExitCode {
    match session::spec_from_env().and_then(|spec| session::run_inside(&spec)) {
        Ok(c) => code(c),
        Err(e) => {
            eprintln!("roomwave sim run: error: {e}");
            code(EXIT_SIM_FAILURE)
        }
    }
}

fn feed(a: FeedArgs) -> anyhow::Result<ExitCode> {
    let plan = VisitorPlan::parse(&a.script, a.yaw)?;
    for w in plan.warnings() {
        tracing::warn!("{w}");
    }
    let seconds = a.seconds.unwrap_or(plan.total());
    anyhow::ensure!(
        seconds > 0.0 && seconds <= 7.0 * 86400.0,
        "--seconds must be between 0 and a week (604800), got {seconds}"
    );
    let mut cfg = FeedConfig::local(plan, Some(seconds));
    cfg.addr.set_port(a.port);
    cfg.rate_hz = a.rate;
    let stats = feeder::feed(&cfg, &AtomicBool::new(false), None)?;
    println!("roomwave sim feed: {stats}");
    Ok(ExitCode::SUCCESS)
}

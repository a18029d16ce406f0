//! The hidden `cidrplan __verify-helper` commands that verify runs inside its namespaces
//! (through `ip netns exec`): a TCP echo server that answers with its name and the source
//! address it saw, the probe that connects to it, and a `/proc/sys` writer.
//!
//! Every helper is bounded: probes by their timeouts, servers by a lifetime cap, and both
//! by their parent (they exit as soon as the verify process that started them is gone).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use clap::Subcommand;

use crate::failure::Failure;
use crate::Outcome;

/// First word of every echo reply, so a probe knows it met one of ours.
pub(crate) const GREETING: &str = "cidrplan-verify";
/// Longest a server lives, whatever happens to its parent.
const SERVER_LIFETIME: Duration = Duration::from_secs(600);

/// Helpers verify runs inside the replica's namespaces.
#[derive(Subcommand, Debug)]
pub(crate) enum Helper {
    /// Listen on 0.0.0.0:PORT; answer every connection with `cidrplan-verify SEEN LABEL`.
    Serve {
        /// TCP port.
        #[arg(long)]
        port: u16,
        /// Name to answer with.
        #[arg(long)]
        label: String,
    },
    /// Connect to ADDR and print `reached SEEN LABEL`, `refused`, `timeout` or `error MSG`.
    Probe {
        /// IPv4 address and port.
        addr: SocketAddrV4,
        /// Connect and read timeout, in milliseconds.
        #[arg(long, default_value_t = 1000)]
        timeout_ms: u64,
    },
    /// Write KEY=VALUE settings under /proc/sys (dots are path separators).
    Sysctl {
        /// Settings such as net.ipv4.ip_forward=1.
        settings: Vec<String>,
    },
}

/// Runs a helper.
pub(crate) fn run(helper: Helper, out: &mut dyn Write) -> Result<Outcome, Failure> {
    match helper {
        Helper::Serve { port, label } => serve(port, &label, out),
        Helper::Probe { addr, timeout_ms } => {
            let timeout = Duration::from_millis(timeout_ms.clamp(10, 10_000));
            // The attempt runs on its own thread so that the probe can give up as soon as
            // verify is gone (interrupted), instead of waiting out its timeouts.
            let parent = std::os::unix::process::parent_id();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = tx.send(probe(addr, timeout));
            });
            loop {
                match rx.recv_timeout(Duration::from_millis(50)) {
                    Ok(line) => {
                        writeln!(out, "{line}")?;
                        return Ok(Outcome::Clean);
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout)
                        if std::os::unix::process::parent_id() == parent => {}
                    Err(_) => return Ok(Outcome::Clean),
                }
            }
        }
        Helper::Sysctl { settings } => {
            for setting in &settings {
                let (key, value) = crate::commands::split_pair("sysctl", setting)?;
                if key.contains("..") || key.contains('/') {
                    return Err(Failure::new("invalid_input", format!("sysctl {key:?}")));
                }
                let path = format!("/proc/sys/{}", key.replace('.', "/"));
                std::fs::write(&path, value).map_err(|e| Failure::io(&path, &e))?;
            }
            Ok(Outcome::Clean)
        }
    }
}

fn serve(port: u16, label: &str, out: &mut dyn Write) -> Result<Outcome, Failure> {
    let listener = TcpListener::bind(("0.0.0.0", port))
        .map_err(|e| Failure::io(&format!("listen 0.0.0.0:{port}"), &e))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Failure::io("listener", &e))?;
    writeln!(out, "ready")?;
    out.flush()?;
    let parent = std::os::unix::process::parent_id();
    let started = Instant::now();
    while started.elapsed() < SERVER_LIFETIME && std::os::unix::process::parent_id() == parent {
        match listener.accept() {
            Ok((mut stream, peer)) => {
                let seen = match peer {
                    SocketAddr::V4(v4) => v4.ip().to_string(),
                    SocketAddr::V6(v6) => v6.ip().to_string(),
                };
                let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                let _ = writeln!(stream, "{GREETING} {seen} {label}");
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    Ok(Outcome::Clean)
}

/// One bounded connection attempt, described as a line.
fn probe(addr: SocketAddrV4, timeout: Duration) -> String {
    let mut stream = match TcpStream::connect_timeout(&SocketAddr::V4(addr), timeout) {
        Ok(s) => s,
        Err(e) => {
            return match e.kind() {
                std::io::ErrorKind::ConnectionRefused => "refused".to_string(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                    "timeout".to_string()
                }
                _ => format!("error {e}"),
            }
        }
    };
    let _ = stream.set_read_timeout(Some(timeout));
    let mut line = String::new();
    let mut reader = BufReader::new((&mut stream).take(512));
    match reader.read_line(&mut line) {
        Ok(_) => {
            let mut words = line.trim().splitn(3, ' ');
            match (words.next(), words.next(), words.next()) {
                (Some(GREETING), Some(seen), Some(label)) => format!("reached {seen} {label}"),
                _ => format!("error unexpected reply {:?}", line.trim()),
            }
        }
        Err(e) => format!("error reading: {e}"),
    }
}

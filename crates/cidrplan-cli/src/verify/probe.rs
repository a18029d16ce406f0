//! Running the probes: each is one `ip netns exec SRC cidrplan __verify-helper probe ADDR`
//! with connect and read timeouts, run a batch at a time in parallel, and judged against
//! what its claim expects.

use std::fmt;
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::claims::{Expect, Probe};

/// Probes in flight at once.
const PARALLEL: usize = 16;

/// What a probe saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Observed {
    /// An echo server answered.
    Reached {
        /// The source address it saw.
        seen: Ipv4Addr,
        /// Its label.
        host: String,
    },
    /// Connection refused (a host answered, nobody listens).
    Refused,
    /// No answer within the timeout.
    Timeout,
    /// Any other failure (network unreachable, ...).
    Error(String),
    /// The replica has no address for this probe (e.g. no gateway, no mapping).
    NoAddress,
    /// Not run (`--dry-run`).
    NotRun,
}

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Observed::Reached { seen, host } => write!(f, "{host} answered, saw {seen}"),
            Observed::Refused => f.write_str("refused"),
            Observed::Timeout => f.write_str("no answer (timeout)"),
            Observed::Error(e) => write!(f, "no answer ({e})"),
            Observed::NoAddress => f.write_str("no such address in the plan"),
            Observed::NotRun => f.write_str("not run"),
        }
    }
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expect::Reach {
                host,
                seen: Some(seen),
            } => write!(f, "{host} answers, saw {seen}"),
            Expect::Reach { host, seen: None } => {
                write!(f, "{host} answers, saw a mapped address (none planned)")
            }
            Expect::NotReach { host } => write!(f, "{host} does not answer"),
        }
    }
}

/// Whether `observed` is what `expect` asks for.
pub(crate) fn passes(expect: &Expect, observed: &Observed) -> bool {
    match (expect, observed) {
        (Expect::Reach { host, seen }, Observed::Reached { seen: s, host: h }) => {
            h == host && seen.as_ref() == Some(s)
        }
        (Expect::Reach { .. }, _) => false,
        (Expect::NotReach { .. }, Observed::NotRun) => false,
        (Expect::NotReach { host }, Observed::Reached { host: h, .. }) => h != host,
        (Expect::NotReach { .. }, _) => true,
    }
}

/// Runs every probe; results in the same order.
pub(crate) fn run_all(probes: &[&Probe], exe: &Path, timeout: Duration) -> Vec<Observed> {
    let mut results = Vec::with_capacity(probes.len());
    for batch in probes.chunks(PARALLEL) {
        let batch_results: Vec<Observed> = std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .iter()
                .map(|p| scope.spawn(move || run_one(p, exe, timeout)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Observed::Error("probe thread failed".into()))
                })
                .collect()
        });
        results.extend(batch_results);
    }
    results
}

fn run_one(probe: &Probe, exe: &Path, timeout: Duration) -> Observed {
    let Some(dst) = probe.dst else {
        return Observed::NoAddress;
    };
    let millis = timeout.as_millis().to_string();
    let child = Command::new("ip")
        .args(["netns", "exec", &probe.src_ns])
        .arg(exe)
        .args([
            "__verify-helper",
            "probe",
            &dst.to_string(),
            "--timeout-ms",
            &millis,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return Observed::Error(format!("could not start probe: {e}")),
    };
    // Connect and read are each bounded by `timeout`; allow for process start-up.
    let limit = timeout * 3 + Duration::from_secs(2);
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Observed::Timeout;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Observed::Error(e.to_string()),
        }
    }
    let output = match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => return Observed::Error(e.to_string()),
    };
    let text = String::from_utf8_lossy(&output.stdout);
    parse(text.trim()).unwrap_or_else(|| {
        Observed::Error(format!(
            "probe failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    })
}

/// Reads the probe helper's one-line answer.
fn parse(line: &str) -> Option<Observed> {
    let mut words = line.splitn(3, ' ');
    match words.next()? {
        "reached" => {
            let seen = words.next()?.parse().ok()?;
            let host = words.next()?.to_string();
            Some(Observed::Reached { seen, host })
        }
        "refused" => Some(Observed::Refused),
        "timeout" => Some(Observed::Timeout),
        "error" => Some(Observed::Error(words.collect::<Vec<_>>().join(" "))),
        _ => None,
    }
}

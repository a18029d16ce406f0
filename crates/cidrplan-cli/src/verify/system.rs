//! Applying a replica to the machine: privilege and tool checks, namespaces, veth pairs
//! created directly inside them (the root namespace never holds one), per-namespace
//! `ip -batch` scripts, sysctls, nftables rulesets and the echo servers.
//!
//! Every command either names a replica namespace (`ip -n NS`, `ip netns exec NS`) or
//! only adds and deletes namespaces of this run: nothing is configured in the root
//! namespace.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::cleanup::Guard;
use super::topology::{Replica, ECHO_PORT};
use crate::failure::Failure;

/// Longest any setup command may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// Fails with a clear message (exit 2) unless we are root with `ip` and `nft` at hand.
pub(crate) fn check_environment() -> Result<(), Failure> {
    match effective_uid() {
        Some(0) => {}
        Some(uid) => {
            return Err(Failure::new(
                "not_root",
                format!(
                    "verify builds network namespaces and needs root (effective uid {uid}); \
                     run it with sudo, or use --dry-run to see the replica and probes"
                ),
            ))
        }
        None => {
            return Err(Failure::new(
                "not_root",
                "verify needs root and could not read the effective uid from /proc/self/status",
            ))
        }
    }
    for (tool, arg, package) in [("ip", "-V", "iproute2"), ("nft", "--version", "nftables")] {
        let ok = Command::new(tool)
            .arg(arg)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err(Failure::new(
                "missing_tool",
                format!("verify needs `{tool}` (package {package}); install it and retry"),
            ));
        }
    }
    Ok(())
}

fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Runs `program args` with `input` on stdin, bounded by [`COMMAND_TIMEOUT`].
pub(crate) fn run_input(program: &str, args: &[&str], input: &str) -> std::io::Result<Output> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes())?;
    }
    let started = Instant::now();
    loop {
        if child.try_wait()?.is_some() {
            return child.wait_with_output();
        }
        if started.elapsed() > COMMAND_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("{program} took longer than {COMMAND_TIMEOUT:?}"),
            ));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr)
        .trim()
        .replace('\n', "; ")
}

/// A setup step that must succeed.
fn must(what: &str, result: std::io::Result<Output>) -> Result<(), Failure> {
    match result {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(Failure::new(
            "setup_failed",
            format!("{what}: {}", stderr_of(&o)),
        )),
        Err(e) => Err(Failure::new("setup_failed", format!("{what}: {e}"))),
    }
}

/// A step that may fail because the plan is wrong (e.g. two routes for one range): its
/// errors become notes of the report, and the probes show the consequences.
fn may(what: &str, result: std::io::Result<Output>, notes: &mut Vec<String>) {
    match result {
        Ok(o) if o.status.success() && o.stderr.is_empty() => {}
        Ok(o) => notes.push(format!("{what}: {}", stderr_of(&o))),
        Err(e) => notes.push(format!("{what}: {e}")),
    }
}

/// Builds the replica; returns the notes of steps the plan made fail.
pub(crate) fn apply(replica: &Replica, guard: &Guard, exe: &Path) -> Result<Vec<String>, Failure> {
    let exe_text = exe.to_string_lossy().to_string();
    let mut notes = Vec::new();
    {
        let mut registry = guard.lock();
        registry.add_namespaces(replica.namespaces.iter().map(|n| n.name.clone()));
        let script: String = replica
            .namespaces
            .iter()
            .map(|n| format!("netns add {}\n", n.name))
            .collect();
        must(
            "creating network namespaces",
            run_input("ip", &["-batch", "-"], &script),
        )?;
        let script: String = replica
            .veths
            .iter()
            .map(|v| {
                format!(
                    "link add {} netns {} type veth peer name {} netns {}\n",
                    v.a.1, v.a.0, v.b.1, v.b.0
                )
            })
            .collect();
        must(
            "creating veth pairs",
            run_input("ip", &["-batch", "-"], &script),
        )?;
    }
    for ns in &replica.namespaces {
        let _registry = guard.lock();
        let script = ns.ip.join("\n") + "\n";
        let before = notes.len();
        may(
            &format!("{} (ip)", ns.name),
            run_input("ip", &["-n", &ns.name, "-force", "-batch", "-"], &script),
            &mut notes,
        );
        if let Some(note) = notes.get_mut(before) {
            *note = name_failed_lines(note, &ns.ip);
        }
        if !ns.sysctls.is_empty() {
            let mut args = vec![
                "netns",
                "exec",
                &ns.name,
                &exe_text,
                "__verify-helper",
                "sysctl",
            ];
            args.extend(ns.sysctls.iter().map(String::as_str));
            must(&format!("{} (sysctl)", ns.name), run_input("ip", &args, ""))?;
        }
        for (what, rules) in &ns.nft {
            may(
                &format!("{} (nft, {what})", ns.name),
                run_input("ip", &["netns", "exec", &ns.name, "nft", "-f", "-"], rules),
                &mut notes,
            );
        }
    }
    let port = ECHO_PORT.to_string();
    for host in replica.servers() {
        let mut registry = guard.lock();
        let mut child = Command::new("ip")
            .args([
                "netns",
                "exec",
                &host.ns,
                &exe_text,
                "__verify-helper",
                "serve",
            ])
            .args(["--port", &port, &format!("--label={}", host.label)])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                Failure::new("setup_failed", format!("echo server in {}: {e}", host.ns))
            })?;
        let stdout = child.stdout.take();
        registry.add_server(child);
        let mut line = String::new();
        if let Some(stdout) = stdout {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        if line.trim() != "ready" {
            return Err(Failure::new(
                "setup_failed",
                format!("echo server {} in {} did not start", host.label, host.ns),
            ));
        }
    }
    Ok(notes)
}

/// `ip -batch` reports failures as "Command failed -:N"; name the command instead.
fn name_failed_lines(note: &str, lines: &[String]) -> String {
    let mut failed = Vec::new();
    for part in note.split("Command failed -:").skip(1) {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        if let Some(line) = digits
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| lines.get(i))
        {
            failed.push(format!("`ip {line}`"));
        }
    }
    if failed.is_empty() {
        return note.to_string();
    }
    let reason = note
        .split(';')
        .next()
        .and_then(|first| first.split_once(": ").map(|(_, r)| r.trim().to_string()))
        .unwrap_or_default();
    let head = note.split(" (ip)").next().unwrap_or(note);
    format!("{head}: {} failed ({reason})", failed.join(", "))
}

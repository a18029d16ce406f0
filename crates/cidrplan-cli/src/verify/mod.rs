//! `cidrplan verify`: builds a small replica of a plan with Linux network namespaces and
//! checks every claim of its reachability matrix with real TCP connections.
//!
//! The replica's nodes are configured from the exported configuration, not from the
//! plan's fields: the chosen CNI's masquerade rule, the mapped model's `node-nat` ruleset
//! and the isolated model's NetworkPolicies, each read by its documented semantics.
//!
//! One file per job: [`input`] reads the plan, [`exports`] gets the export texts (given or
//! rendered) and cuts them into clusters' parts, [`plan_file`] rebuilds a plan file as the
//! core's plan to render them from, [`cni`], [`node_nat`] and [`policy`] read each format
//! into rules (pure evaluators and the nftables the nodes load), [`config`] assembles each
//! cluster's node configuration, [`predict`] says where the exports contradict a claim, [`topology`] lays the replica out as
//! data, [`claims`] turns reachability rows into probes, [`system`] creates the replica,
//! [`probe`] runs the probes, [`report`] prints the outcome, [`cleanup`] removes
//! everything (also on Ctrl-C), and [`helper`] holds the hidden in-namespace helpers.

#[cfg(test)]
mod agreement;
mod claims;
mod cleanup;
mod cni;
mod config;
mod exports;
mod helper;
mod input;
mod node_nat;
mod plan_file;
mod policy;
mod predict;
mod probe;
mod report;
mod system;
mod topology;

use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::time::{Duration, Instant};

use clap::Args;

pub(crate) use helper::Helper;

use crate::cli::{model_parser, Common};
use crate::failure::Failure;
use crate::spec::InputFormat;
use crate::Outcome;
use cidrplan::k8s::ModelChoice;

/// Arguments of `cidrplan verify`.
#[derive(Args, Debug, Clone)]
pub(crate) struct VerifyArgs {
    /// A plan as `cidrplan plan --json` writes it (verified as it stands), or a plan
    /// request in JSON, YAML or TOML (planned first). Without PLAN: the built-in example.
    pub(crate) plan: Option<String>,
    /// The syntax of PLAN when its extension does not say.
    #[arg(long, value_enum)]
    pub(crate) input_format: Option<InputFormat>,
    /// Plan a request (or the built-in example) with this model.
    #[arg(long, value_parser = model_parser())]
    pub(crate) model: Option<ModelChoice>,
    /// The address of an allocation a plan file's claims name, as NAME=CIDR (repeatable).
    #[arg(long = "allocation", value_name = "NAME=CIDR")]
    pub(crate) allocations: Vec<String>,
    /// A pool of the network, where the replica's "network" host is placed (repeatable).
    #[arg(long = "pool", value_name = "CIDR")]
    pub(crate) pools: Vec<String>,
    /// Connect and read timeout of each probe, in milliseconds.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(50..=10_000))]
    pub(crate) timeout_ms: u64,
    /// Print the replica and its probes without creating anything (needs no root).
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// The CNI whose exported masquerade configuration the nodes apply.
    #[arg(long, value_enum, default_value = "ip-masq-agent")]
    pub(crate) cni: exports::CniArg,
    /// An export to use instead of rendering it from the plan, as FILE (its format
    /// recognised from its content) or FORMAT=FILE: ip-masq-agent, calico, cilium,
    /// node-nat or policy (repeatable).
    #[arg(long = "export", value_name = "[FORMAT=]FILE")]
    pub(crate) exports: Vec<String>,
}

/// Runs `cidrplan verify`.
pub(crate) fn run(
    args: &VerifyArgs,
    common: &Common,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    let started = Instant::now();
    let subject = input::read(args)?;
    let given = exports::read_args(&args.exports)?;
    let config = config::configure(&subject, args.cni, given)?;
    let run_id = new_run_id();
    let replica = topology::build(&subject, &config, &run_id)?;
    let claims = claims::derive(&replica, &subject.plan.reachability)?;
    let exports_say = predict::contradictions(&replica, &config, &claims);
    let skipped = subject
        .plan
        .reachability
        .iter()
        .filter(|r| r.is_ipv6())
        .count();
    let probes: Vec<&claims::Probe> = claims.iter().flat_map(|c| &c.probes).collect();
    let mut report = report::Report {
        run_id: run_id.clone(),
        model: subject.plan.model.clone(),
        source: subject.origin.clone(),
        cni: config.cni.kind().name(),
        exports: config.used.clone(),
        config_notes: config.notes.clone(),
        claims_skipped_ipv6: skipped,
        passed: false,
        probed: false,
        claims_total: claims.len(),
        claims_failed: 0,
        probes_total: probes.len(),
        namespaces: replica.namespaces.len(),
        setup_ms: 0,
        probe_ms: 0,
        total_ms: 0,
        notes: Vec::new(),
        claims: Vec::new(),
    };

    if args.dry_run {
        report.claims = report::claim_reports(&claims, &[], &exports_say);
        if common.json {
            let value = serde_json::json!({ "report": report, "replica": replica_json(&replica) });
            crate::commands::write_json(out, &value)?;
        } else {
            report::write_table(&report, out)?;
            write_replica(&replica, out)?;
        }
        return Ok(Outcome::Clean);
    }

    system::check_environment()?;
    let exe = std::env::current_exe()
        .map_err(|e| Failure::new("setup_failed", format!("locating the cidrplan binary: {e}")))?;
    let guard = cleanup::Guard::new(&run_id);
    let setup_started = Instant::now();
    report.notes = system::apply(&replica, &guard, &exe)?;
    report.setup_ms = setup_started.elapsed().as_millis();
    let probe_started = Instant::now();
    let observed = probe::run_all(&probes, &exe, Duration::from_millis(args.timeout_ms));
    report.probe_ms = probe_started.elapsed().as_millis();
    let leftovers = guard.teardown();
    drop(guard);
    if !leftovers.is_empty() {
        return Err(Failure::new(
            "cleanup_failed",
            format!("could not remove namespaces {}", leftovers.join(", ")),
        ));
    }
    report.claims = report::claim_reports(&claims, &observed, &exports_say);
    report.probed = true;
    report.claims_failed = report.claims.iter().filter(|c| !c.passed).count();
    report.passed = report.claims_failed == 0;
    report.total_ms = started.elapsed().as_millis();
    if common.json {
        crate::commands::write_json(out, &report)?;
    } else {
        report::write_table(&report, out)?;
    }
    Ok(if report.passed {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// Runs a hidden helper (inside a replica namespace).
pub(crate) fn helper(helper: Helper, out: &mut dyn Write) -> Result<Outcome, Failure> {
    helper::run(helper, out)
}

/// `cpv-` and 6 hex digits: short enough for namespace names, distinct across runs.
fn new_run_id() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    if let Ok(since) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(since.as_nanos());
    }
    format!("cpv-{:06x}", hasher.finish() & 0xff_ffff)
}

fn replica_json(replica: &topology::Replica) -> serde_json::Value {
    let namespaces: Vec<serde_json::Value> = replica
        .namespaces
        .iter()
        .map(|n| {
            serde_json::json!({
                "name": n.name, "ip": n.ip, "sysctls": n.sysctls,
                "nft": n.nft.iter().map(|(what, text)| serde_json::json!({"what": what, "text": text})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let veths: Vec<serde_json::Value> = replica
        .veths
        .iter()
        .map(|v| serde_json::json!({ "a": [v.a.0, v.a.1], "b": [v.b.0, v.b.1] }))
        .collect();
    let servers: Vec<serde_json::Value> = replica
        .servers()
        .iter()
        .map(|h| serde_json::json!({ "label": h.label, "namespace": h.ns, "ip": h.ip.to_string() }))
        .collect();
    serde_json::json!({
        "run_id": replica.run_id,
        "router": replica.router,
        "namespaces": namespaces,
        "veths": veths,
        "echo_servers": servers,
    })
}

fn write_replica(replica: &topology::Replica, out: &mut dyn Write) -> Result<(), Failure> {
    writeln!(out, "\nreplica (would be created)")?;
    for v in &replica.veths {
        writeln!(out, "  veth {}:{} <-> {}:{}", v.a.0, v.a.1, v.b.0, v.b.1)?;
    }
    for n in &replica.namespaces {
        writeln!(out, "  netns {}", n.name)?;
        for line in &n.ip {
            writeln!(out, "    ip {line}")?;
        }
        for s in &n.sysctls {
            writeln!(out, "    sysctl {s}")?;
        }
        for (what, nft) in &n.nft {
            writeln!(out, "    nft ({what})")?;
            for line in nft.lines() {
                writeln!(out, "    nft| {line}")?;
            }
        }
    }
    Ok(())
}

//! The report: every claim with its probes, expected against observed, as a table or as
//! JSON (`--json`).

use std::io::Write;

use serde::Serialize;

use super::claims::Claim;
use super::config::Used;
use super::probe::{passes, Observed};
use crate::failure::Failure;
use crate::table::Table;

/// The JSON report.
#[derive(Debug, Serialize)]
pub(crate) struct Report {
    /// The run id every namespace name started with.
    pub(crate) run_id: String,
    /// The plan's model.
    pub(crate) model: String,
    /// Where the plan came from.
    pub(crate) source: String,
    /// The CNI whose exported masquerade rule the nodes applied.
    pub(crate) cni: &'static str,
    /// The exports the nodes were configured from.
    pub(crate) exports: Vec<Used>,
    /// What reading the exports had to say (a cluster without a part, a forced render).
    pub(crate) config_notes: Vec<String>,
    /// IPv6 rows of the matrix, not replicated.
    pub(crate) claims_skipped_ipv6: usize,
    /// `true` when every claim held (always `false` for a dry run).
    pub(crate) passed: bool,
    /// Whether probes were run (`false` with `--dry-run`).
    pub(crate) probed: bool,
    /// Number of claims.
    pub(crate) claims_total: usize,
    /// Claims whose probes did not all pass.
    pub(crate) claims_failed: usize,
    /// Number of probes.
    pub(crate) probes_total: usize,
    /// Namespaces the replica had.
    pub(crate) namespaces: usize,
    /// Milliseconds spent building the replica.
    pub(crate) setup_ms: u128,
    /// Milliseconds spent probing.
    pub(crate) probe_ms: u128,
    /// Milliseconds in all, teardown included.
    pub(crate) total_ms: u128,
    /// Setup steps the plan made fail (e.g. two routes for one range).
    pub(crate) notes: Vec<String>,
    /// Every claim.
    pub(crate) claims: Vec<ClaimReport>,
}

/// One claim.
#[derive(Debug, Serialize)]
pub(crate) struct ClaimReport {
    /// `from` of the row.
    pub(crate) from: String,
    /// `to` of the row.
    pub(crate) to: String,
    /// `how` of the row.
    pub(crate) how: &'static str,
    /// Whether every probe passed.
    pub(crate) passed: bool,
    /// What the exports' rules say when they contradict the claim (before any probe).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) exports_say: Option<String>,
    /// Its probes.
    pub(crate) probes: Vec<ProbeReport>,
}

/// One probe.
#[derive(Debug, Serialize)]
pub(crate) struct ProbeReport {
    /// The sending host.
    pub(crate) source: String,
    /// Where it connected (`-` when the plan gives no address).
    pub(crate) target: String,
    /// Which address of the target: `direct`, `mapped` or `gateway`.
    pub(crate) via: &'static str,
    /// What the claim expects.
    pub(crate) expected: String,
    /// What happened.
    pub(crate) observed: String,
    /// Whether they agree.
    pub(crate) passed: bool,
}

/// Pairs claims with observations (in probe order) and with what the exports say.
pub(crate) fn claim_reports(
    claims: &[Claim],
    observed: &[Observed],
    exports_say: &[Option<String>],
) -> Vec<ClaimReport> {
    let mut results = observed.iter();
    claims
        .iter()
        .zip(exports_say.iter().chain(std::iter::repeat(&None)))
        .map(|(claim, says)| {
            let probes: Vec<ProbeReport> = claim
                .probes
                .iter()
                .map(|p| {
                    let seen = results.next().cloned().unwrap_or(Observed::NotRun);
                    ProbeReport {
                        source: p.src_label.clone(),
                        target: p.dst.map_or("-".into(), |d| d.to_string()),
                        via: p.via,
                        expected: p.expect.to_string(),
                        observed: seen.to_string(),
                        passed: passes(&p.expect, &seen),
                    }
                })
                .collect();
            ClaimReport {
                from: claim.from.clone(),
                to: claim.to.clone(),
                how: claim.how.as_str(),
                passed: !probes.is_empty() && probes.iter().all(|p| p.passed),
                exports_say: says.clone(),
                probes,
            }
        })
        .collect()
}

/// Writes the report as a table with a summary.
pub(crate) fn write_table(report: &Report, out: &mut dyn Write) -> Result<(), Failure> {
    let exports: Vec<String> = report
        .exports
        .iter()
        .map(|e| format!("{} {}", e.format, e.source))
        .collect();
    writeln!(
        out,
        "verify: {} plan from {}, CNI {} (exports: {}), replica {} ({} namespaces)",
        report.model,
        report.source,
        report.cni,
        exports.join(", "),
        report.run_id,
        report.namespaces
    )?;
    for note in &report.config_notes {
        writeln!(out, "note: {note}")?;
    }
    if report.claims_skipped_ipv6 > 0 {
        writeln!(
            out,
            "note: {} IPv6 claims not replicated (verify replicates IPv4)",
            report.claims_skipped_ipv6
        )?;
    }
    writeln!(out)?;
    let mut table = Table::new(&[
        "FROM", "TO", "HOW", "PROBE", "EXPECTED", "OBSERVED", "RESULT",
    ]);
    for claim in &report.claims {
        for (i, p) in claim.probes.iter().enumerate() {
            let (from, to, how) = if i == 0 {
                (claim.from.clone(), claim.to.clone(), claim.how.to_string())
            } else {
                (String::new(), String::new(), String::new())
            };
            table.row(vec![
                from,
                to,
                how,
                format!("{} -> {} ({})", p.source, p.target, p.via),
                p.expected.clone(),
                p.observed.clone(),
                if !report.probed {
                    "-".into()
                } else if p.passed {
                    "pass".into()
                } else {
                    "FAIL".into()
                },
            ]);
        }
    }
    table.write(out)?;
    if !report.notes.is_empty() {
        writeln!(out, "\nsetup notes (steps the plan made fail)")?;
        for note in &report.notes {
            writeln!(out, "  {note}")?;
        }
    }
    writeln!(out)?;
    if !report.probed {
        for claim in &report.claims {
            if let Some(says) = &claim.exports_say {
                writeln!(
                    out,
                    "exports contradict: {} -> {} ({}): {says}",
                    claim.from, claim.to, claim.how
                )?;
            }
        }
        writeln!(
            out,
            "dry run: {} claims, {} probes; nothing was created",
            report.claims_total, report.probes_total
        )?;
        return Ok(());
    }
    for claim in &report.claims {
        let named = format!("{} -> {} ({})", claim.from, claim.to, claim.how);
        match (&claim.exports_say, claim.passed) {
            (None, true) => {}
            (None, false) => writeln!(out, "FAILED: {named}")?,
            (Some(says), false) => writeln!(out, "FAILED: {named}: {says}")?,
            (Some(says), true) => writeln!(out, "note: {named} held although {says}")?,
        }
    }
    writeln!(
        out,
        "{} claims: {} held, {} failed ({} probes); setup {:.1} s, probes {:.1} s, total {:.1} s; replica removed",
        report.claims_total,
        report.claims_total - report.claims_failed,
        report.claims_failed,
        report.probes_total,
        secs(report.setup_ms),
        secs(report.probe_ms),
        secs(report.total_ms),
    )?;
    Ok(())
}

fn secs(ms: u128) -> f64 {
    // Report figures only; precision beyond 0.1 s is not needed.
    u32::try_from(ms).map_or(f64::MAX, f64::from) / 1000.0
}

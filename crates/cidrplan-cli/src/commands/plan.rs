//! `plan`, `recommend` and `lint`.

use std::io::Write;

use cidrplan::export::{render, render_forced, ExportFormat};
use cidrplan::k8s::{self, ModelChoice, Plan, PlanRequest, Recommendation, Warning};

use super::write_json;
use crate::cli::{Common, SpecArgs};
use crate::failure::Failure;
use crate::input::origin;
use crate::spec::{read_plan, read_spec};
use crate::table::Table;
use crate::Outcome;

/// The request from FILE (or the built-in example), with `--model` applied.
fn request(spec: &SpecArgs) -> Result<PlanRequest, Failure> {
    let mut request = match spec.file.as_deref() {
        None => k8s::example(),
        Some(file) => read_spec(Some(file), spec.input_format)?,
    };
    if let Some(model) = spec.model {
        request.model = model;
    }
    Ok(request)
}

fn source(spec: &SpecArgs) -> String {
    match spec.file.as_deref() {
        None => "the built-in example".to_string(),
        file => origin(file),
    }
}

pub(crate) fn plan(
    spec: &SpecArgs,
    format: Option<ExportFormat>,
    force: bool,
    previous: Option<&str>,
    release: &[String],
    common: &Common,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    let request = request(spec)?;
    let options = k8s::PlanOptions {
        previous: previous.map(read_plan).transpose()?,
        release: release.to_vec(),
    };
    let plan = k8s::plan_owned(request, &options).map_err(|e| {
        // Errors about the previous plan or the released names name their own input.
        let origin = match e.to_string() {
            m if m.contains("previous.") => origin(previous),
            m if m.contains("release[") => "--release".to_string(),
            _ => source(spec),
        };
        Failure::at(&origin, &e)
    })?;
    if let Some(format) = format {
        let text = if force {
            render_forced(&plan, format)
        } else {
            render(&plan, format).map_err(|e| Failure::at(&source(spec), &e))?
        };
        out.write_all(text.as_bytes())?;
    } else if common.json {
        write_json(out, &plan)?;
    } else {
        write_plan(&plan, &plan.request, out)?;
    }
    Ok(Outcome::Clean)
}

pub(crate) fn recommend(
    spec: &SpecArgs,
    common: &Common,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    let request = request(spec)?;
    let recommendation = k8s::recommend(&request).map_err(|e| Failure::at(&source(spec), &e))?;
    if common.json {
        write_json(out, &recommendation)?;
    } else {
        write_recommendation(&recommendation, out)?;
    }
    Ok(Outcome::Clean)
}

/// `cidrplan lint`: the request's warnings; with `--strict`, exit 1 on any warning whose
/// code is not in `allow` (accepted warnings are still listed, as accepted).
pub(crate) fn lint(
    spec: &SpecArgs,
    strict: bool,
    allow: &[String],
    common: &Common,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    if let Some(unknown) = allow
        .iter()
        .find(|code| !k8s::WARNING_CODES.contains(&code.as_str()))
    {
        return Err(Failure::new(
            "invalid_argument",
            format!(
                "--allow {unknown}: no warning has this code; the codes are {}",
                k8s::WARNING_CODES.join(", ")
            ),
        ));
    }
    let request = request(spec)?;
    let warnings = k8s::lint(&request).map_err(|e| Failure::at(&source(spec), &e))?;
    let allowed = |w: &Warning| allow.iter().any(|code| code == w.code);
    let (accepted, open): (Vec<Warning>, Vec<Warning>) = warnings.into_iter().partition(allowed);
    let unmatched: Vec<&String> = allow
        .iter()
        .filter(|code| !accepted.iter().any(|w| w.code == code.as_str()))
        .collect();
    if common.json {
        write_json(
            out,
            &serde_json::json!({ "warnings": open, "accepted": accepted, "unmatched_allow": unmatched }),
        )?;
    } else {
        if open.is_empty() {
            writeln!(out, "no warnings in {}", source(spec))?;
        } else {
            write_warnings(&open, out)?;
        }
        if !accepted.is_empty() {
            let mut distinct: Vec<&str> = accepted.iter().map(|w| w.code).collect();
            distinct.sort_unstable();
            distinct.dedup();
            writeln!(
                out,
                "accepted with --allow: {} warning{} ({})",
                accepted.len(),
                if accepted.len() == 1 { "" } else { "s" },
                distinct.join(", ")
            )?;
        }
        for code in &unmatched {
            writeln!(out, "--allow {code} matched no warning")?;
        }
    }
    Ok(if strict && !open.is_empty() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// `cidrplan diff OLD NEW`: the changes as a table or the wire format; exit 1 when an
/// existing range moved or shrank, or a mesh id or Cilium name changed.
pub(crate) fn diff(
    old: &str,
    new: &str,
    common: &Common,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    let report = k8s::diff(&read_plan(old)?, &read_plan(new)?).map_err(|e| {
        // The error's path says which side: `old.clusters[1].name`.
        let origin = if e.to_string().contains("new.") {
            new
        } else {
            old
        };
        Failure::at(origin, &e)
    })?;
    if common.json {
        write_json(out, &report)?;
    } else if report.changes.is_empty() {
        writeln!(
            out,
            "no changes: {} clusters keep every range",
            report.kept.len()
        )?;
    } else {
        let mut table = Table::new(&["CLUSTER", "RANGE", "CHANGE", "OLD", "NEW"]);
        for c in &report.changes {
            table.row(vec![
                c.cluster.clone(),
                c.range.to_string(),
                c.change.to_string(),
                c.old.clone().unwrap_or_else(|| "-".into()),
                c.new.clone().unwrap_or_else(|| "-".into()),
            ]);
        }
        table.write(out)?;
        writeln!(
            out,
            "{} clusters unchanged{}",
            report.kept.len(),
            if report.breaking {
                "; breaking: an existing range moved or shrank, or a mesh id or Cilium name changed"
            } else {
                ""
            }
        )?;
    }
    Ok(if report.breaking {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn write_plan(plan: &Plan, request: &PlanRequest, out: &mut dyn Write) -> Result<(), Failure> {
    let how_chosen = match request.model {
        ModelChoice::Auto => "recommended",
        _ => "requested",
    };
    writeln!(out, "model: {} ({how_chosen})\n", plan.model)?;

    let dual = plan
        .clusters
        .iter()
        .any(|c| c.pod_cidr_v6.is_some_and(|v6| v6 != c.pod_cidr));
    let mapped = plan.clusters.iter().any(|c| c.external_pod_cidr.is_some());
    let mut headers = vec![
        "CLUSTER",
        "POD CIDR",
        "NODE MASK",
        "SERVICE CIDR",
        "NODE SUBNET",
    ];
    if mapped {
        headers.push("EXTERNAL POD CIDR");
    }
    if dual {
        headers.extend(["POD CIDR V6", "SERVICE CIDR V6"]);
    }
    headers.extend(["EGRESS", "INGRESS"]);
    let mut clusters = Table::new(&headers);
    for c in &plan.clusters {
        let mut row = vec![
            c.name.clone(),
            c.pod_cidr.to_string(),
            format!("/{}", c.node_pod_mask),
            c.service_cidr.to_string(),
            c.node_subnet.to_string(),
        ];
        if mapped {
            row.push(c.external_pod_cidr.map_or("-".into(), |p| p.to_string()));
        }
        if dual {
            row.push(c.pod_cidr_v6.map_or("-".into(), |p| p.to_string()));
            row.push(c.service_cidr_v6.map_or("-".into(), |p| p.to_string()));
        }
        row.extend([
            c.egress.as_str().to_string(),
            c.ingress.as_str().to_string(),
        ]);
        clusters.row(row);
    }
    clusters.write(out)?;

    let grown: Vec<_> = plan
        .clusters
        .iter()
        .flat_map(|c| c.growth.iter().map(move |g| (c, g)))
        .collect();
    if !grown.is_empty() {
        writeln!(out, "\ngrowth (kept clusters that needed more room)")?;
        let mut table = Table::new(&["CLUSTER", "RANGE", "HOW", "FROM", "TO", "REASON"]);
        for (c, g) in grown {
            table.row(vec![
                c.name.clone(),
                g.range.to_string(),
                g.how.to_string(),
                g.from.to_string(),
                g.to.map_or("-".into(), |p| p.to_string()),
                g.reason.clone(),
            ]);
        }
        table.write(out)?;
    }
    if !plan.retained.is_empty() {
        writeln!(
            out,
            "\nretained (no longer requested; reserved until --release NAME)"
        )?;
        let mut table = Table::new(&["CLUSTER", "POD CIDR", "SERVICE CIDR", "NODE SUBNET"]);
        for c in &plan.retained {
            table.row(vec![
                c.name.clone(),
                c.pod_cidr.to_string(),
                c.service_cidr.to_string(),
                c.node_subnet.to_string(),
            ]);
        }
        table.write(out)?;
    }

    if !plan.holes.is_empty() {
        writeln!(out, "\nholes (ranges reused by several clusters)")?;
        let mut holes = Table::new(&["CIDR", "KIND", "CLUSTERS", "SHADOWS"]);
        for h in &plan.holes {
            let shadows: Vec<String> = h
                .shadows
                .iter()
                .map(|s| format!("{} {}", s.name, s.cidr))
                .collect();
            holes.row(vec![
                h.cidr.to_string(),
                h.kind.to_string(),
                h.clusters.join(", "),
                if shadows.is_empty() {
                    "-".into()
                } else {
                    shadows.join(", ")
                },
            ]);
        }
        holes.write(out)?;
    }

    writeln!(out, "\nreachability")?;
    let mut reach = Table::new(&["FROM", "TO", "HOW"]);
    for r in &plan.reachability {
        reach.row(vec![
            r.from.clone(),
            r.to.clone(),
            r.how.as_str().to_string(),
        ]);
    }
    reach.write(out)?;

    writeln!(out, "\nheadroom")?;
    let mut headroom = Table::new(&[
        "CLUSTER",
        "NODES",
        "NODE CAPACITY",
        "MORE NODES",
        "BINDING LIMIT",
    ]);
    for h in &plan.headroom.clusters {
        headroom.row(vec![
            h.name.clone(),
            h.nodes.to_string(),
            h.node_capacity.to_string(),
            h.more_nodes.to_string(),
            h.binding.to_string(),
        ]);
    }
    headroom.write(out)?;
    writeln!(
        out,
        "{} more clusters like {} fit (binding limit: {})",
        plan.headroom.more_clusters, plan.headroom.template, plan.headroom.more_clusters_binding
    )?;

    if !plan.rules.is_empty() {
        writeln!(out, "\ncloud rules applied")?;
        let mut rules = Table::new(&["RULE", "RANGE", "CLUSTERS", "MESSAGE"]);
        for r in &plan.rules {
            rules.row(vec![
                r.code.to_string(),
                r.range.to_string(),
                r.clusters.join(","),
                r.message.clone(),
            ]);
        }
        rules.write(out)?;
    }
    if !plan.warnings.is_empty() {
        writeln!(out)?;
        write_warnings(&plan.warnings, out)?;
    }
    if let Some(top) = plan.ranking.first() {
        writeln!(out, "\nranking")?;
        for (i, m) in plan.ranking.iter().enumerate() {
            writeln!(
                out,
                "  {}. {} (score {}{})",
                i + 1,
                m.model,
                m.score,
                if m.feasible { "" } else { ", infeasible" }
            )?;
        }
        writeln!(
            out,
            "run `cidrplan recommend` for the reasons; top: {}",
            top.model
        )?;
    }
    Ok(())
}

fn write_recommendation(rec: &Recommendation, out: &mut dyn Write) -> Result<(), Failure> {
    match rec.recommended {
        Some(model) => writeln!(out, "recommended: {model}")?,
        None => writeln!(out, "no model fits the address space")?,
    }
    let ip_space = match rec.ip_space {
        k8s::IpSpace::Plentiful => "plentiful",
        k8s::IpSpace::Scarce => "scarce",
    };
    let judged = if rec.ip_space_judged {
        " (judged from the free space)"
    } else {
        ""
    };
    writeln!(out, "ip space: {ip_space}{judged}\n")?;
    let mut table = Table::new(&["RANK", "MODEL", "SCORE", "FEASIBLE"]);
    for (i, m) in rec.ranking.iter().enumerate() {
        table.row(vec![
            (i + 1).to_string(),
            m.model.to_string(),
            m.score.to_string(),
            if m.feasible {
                "yes".into()
            } else {
                "no".into()
            },
        ]);
    }
    table.write(out)?;
    for m in &rec.ranking {
        writeln!(out, "\n{} ({})", m.model, m.score)?;
        for r in &m.reasons {
            writeln!(out, "  {:+3}  {}: {}", r.effect, r.criterion, r.text)?;
        }
    }
    Ok(())
}

fn write_warnings(warnings: &[Warning], out: &mut dyn Write) -> Result<(), Failure> {
    let mut table = Table::new(&["WARNING", "MESSAGE"]);
    for w in warnings {
        table.row(vec![w.code.to_string(), w.message.clone()]);
    }
    table.write(out)?;
    Ok(())
}

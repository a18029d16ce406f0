//! `import`: inventories in, a plan request fragment out.

use std::io::Write;

use cidrplan::import::{Format, Fragment};

use super::write_json;
use crate::cli::Common;
use crate::failure::Failure;
use crate::imports::read_sources;
use crate::Outcome;

/// The fragment a plan request takes as is: `network` and `clusters`.
#[derive(serde::Serialize)]
struct RequestPart<'a> {
    network: &'a cidrplan::import::FragmentNetwork,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    clusters: &'a [cidrplan::k8s::ClusterSpec],
}

pub(crate) fn import(
    files: &[String],
    from: Option<&str>,
    toml: bool,
    common: &Common,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    let format = match from {
        Some(name) => Format::parse_arg(name)?,
        None => None,
    };
    let sources: Vec<(String, Option<Format>)> =
        files.iter().map(|f| (f.clone(), format)).collect();
    let fragment = read_sources(&sources, true)?;
    report(&fragment);
    if common.json {
        write_json(out, &fragment)?;
        return Ok(Outcome::Clean);
    }
    let part = RequestPart {
        network: &fragment.network,
        clusters: &fragment.clusters,
    };
    let comment = comments(&fragment, "#");
    out.write_all(comment.as_bytes())?;
    let text = if toml {
        toml::to_string(&part)
            .map_err(|e| Failure::new("io_error", format!("writing TOML: {e}")))?
    } else {
        serde_yaml_ng::to_string(&part)
            .map_err(|e| Failure::new("io_error", format!("writing YAML: {e}")))?
    };
    out.write_all(text.as_bytes())?;
    Ok(Outcome::Clean)
}

/// The import's report as comment lines: sources, skipped entries, overlaps, clusters not
/// kept.
fn comments(f: &Fragment, mark: &str) -> String {
    let mut s = String::new();
    for src in &f.sources {
        s.push_str(&format!(
            "{mark} {} ({}): {} ranges, {} clusters, {} skipped\n",
            src.source, src.format, src.ranges, src.clusters, src.skipped
        ));
    }
    for k in &f.skipped {
        s.push_str(&format!("{mark} skipped {}: {}\n", k.origin, k.reason));
    }
    for o in &f.overlaps {
        s.push_str(&format!(
            "{mark} overlap{}: {} {} ({}) {} {} {} ({})\n",
            if o.refused_by_source {
                " (its source would have refused it)"
            } else {
                ""
            },
            o.a,
            o.a_cidr,
            o.a_origin,
            o.relation,
            o.b,
            o.b_cidr,
            o.b_origin
        ));
    }
    for w in &f.warnings {
        s.push_str(&format!("{mark} warning: {}\n", w.message));
    }
    if f.overlaps_total > f.overlaps.len() as u64 {
        s.push_str(&format!(
            "{mark} ... {} overlaps in all\n",
            f.overlaps_total
        ));
    }
    s
}

/// A one-line summary on stderr, so a redirected output still says what was left out.
fn report(f: &Fragment) {
    let refused = f.overlaps.iter().filter(|o| o.refused_by_source).count();
    eprintln!(
        "cidrplan import: {} pools, {} allocations, {} kept clusters from {} sources; {} skipped; {} overlaps ({} its source would have refused)",
        f.network.pools.len(),
        f.network.allocations.len(),
        f.clusters.len(),
        f.sources.len(),
        f.skipped.len(),
        f.overlaps_total,
        refused
    );
    for w in &f.warnings {
        eprintln!("cidrplan import: warning: {}", w.message);
    }
}

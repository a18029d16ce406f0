//! `overlaps`, `aggregate` and `exclude`.

use std::io::Write;

use cidrplan::wire::{self, AggregateOutput, ExcludeOutput};
use cidrplan::{NamedPrefix, OverlapOptions, ParseMode, Prefix};

use super::{split_pair, write_json};
use crate::cli::Common;
use crate::failure::Failure;
use crate::input::{origin, read_lines};
use crate::table::Table;
use crate::Outcome;

fn mode(common: &Common) -> ParseMode {
    if common.lenient {
        ParseMode::Lenient
    } else {
        ParseMode::Strict
    }
}

pub(crate) fn overlaps(
    file: Option<&str>,
    expected: &[String],
    max_listed: Option<usize>,
    common: &Common,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    let lines = read_lines(file, mode(common))?;
    let items: Vec<NamedPrefix> = lines
        .into_iter()
        .map(|l| NamedPrefix::new(l.name, l.prefix))
        .collect();
    let mut options = OverlapOptions::default();
    for pair in expected {
        let (parent, child) = split_pair("--expected", pair)?;
        options
            .expected
            .push((parent.to_string(), child.to_string()));
    }
    if let Some(max) = max_listed {
        options.max_listed = max;
    }
    let report = cidrplan::overlaps(&items, &options);
    let output = wire::overlaps_output(&items, &report);
    if common.json {
        write_json(out, &output)?;
    } else {
        let mut table = Table::new(&["A", "A CIDR", "B", "B CIDR", "RELATION"]);
        for o in &output.overlaps {
            table.row(vec![
                o.a.clone(),
                o.a_cidr.clone(),
                o.b.clone(),
                o.b_cidr.clone(),
                o.relation.as_str().to_string(),
            ]);
        }
        if table.is_empty() {
            writeln!(out, "no overlaps among {} prefixes", items.len())?;
        } else {
            table.write(out)?;
            if output.truncated {
                writeln!(
                    out,
                    "... {} overlapping pairs in all; {} listed (raise --max-listed to see more)",
                    output.total,
                    output.overlaps.len()
                )?;
            }
        }
    }
    Ok(if report.total > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn write_prefixes(out: &mut dyn Write, prefixes: &[String]) -> Result<(), Failure> {
    for p in prefixes {
        writeln!(out, "{p}")?;
    }
    Ok(())
}

pub(crate) fn aggregate(
    file: Option<&str>,
    common: &Common,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    let prefixes: Vec<Prefix> = read_lines(file, mode(common))?
        .into_iter()
        .map(|l| l.prefix)
        .collect();
    let output = AggregateOutput {
        prefixes: cidrplan::aggregate(&prefixes)
            .iter()
            .map(ToString::to_string)
            .collect(),
    };
    if common.json {
        write_json(out, &output)?;
    } else {
        write_prefixes(out, &output.prefixes)?;
    }
    Ok(Outcome::Clean)
}

pub(crate) fn exclude(
    parent: &str,
    file: Option<&str>,
    common: &Common,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    let parent = Prefix::parse_with(parent, mode(common)).map_err(|e| Failure::at("PARENT", &e))?;
    let used: Vec<Prefix> = read_lines(file, mode(common))?
        .into_iter()
        .map(|l| l.prefix)
        .collect();
    let free = cidrplan::exclude(parent, &used).map_err(|e| Failure::at(&origin(file), &e))?;
    let output = ExcludeOutput {
        free: free.iter().map(ToString::to_string).collect(),
    };
    if common.json {
        write_json(out, &output)?;
    } else {
        write_prefixes(out, &output.free)?;
    }
    Ok(Outcome::Clean)
}

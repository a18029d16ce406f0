//! `overlaps`, `aggregate` and `exclude`.

use std::io::Write;

use cidrplan::wire::{AggregateOutput, ExcludeOutput};
use cidrplan::{NamedPrefix, OverlapOptions, OverlapReport, ParseMode, Prefix};

use super::{split_pair, write_json};
use crate::cli::Common;
use crate::failure::Failure;
use crate::input::{origin, read_lines};
use crate::table::Table;
use crate::Outcome;

fn mode(common: &Common) -> ParseMode {
    ParseMode::from_lenient(common.lenient)
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
    if common.json {
        write_json(
            out,
            &OverlapsView {
                items: &items,
                report: &report,
            },
        )?;
    } else if report.overlaps.is_empty() {
        writeln!(out, "no overlaps among {} prefixes", items.len())?;
    } else {
        write_overlap_table(&items, &report, out)?;
    }
    Ok(if report.total > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// The wire form of an overlap report, serialized straight from the parsed items so a
/// million pairs cost no per-pair allocation (same shape as `wire::OverlapsOutput`).
struct OverlapsView<'a> {
    items: &'a [NamedPrefix],
    report: &'a OverlapReport,
}

impl serde::Serialize for OverlapsView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct Pairs<'a>(&'a OverlapsView<'a>);
        struct Pair<'a>(&'a NamedPrefix, &'a NamedPrefix, &'static str);
        impl serde::Serialize for Pairs<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(Some(self.0.report.overlaps.len()))?;
                for o in &self.0.report.overlaps {
                    seq.serialize_element(&Pair(
                        &self.0.items[o.a],
                        &self.0.items[o.b],
                        o.relation.as_str(),
                    ))?;
                }
                seq.end()
            }
        }
        impl serde::Serialize for Pair<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(5))?;
                map.serialize_entry("a", &self.0.name)?;
                map.serialize_entry("a_cidr", &Display(&self.0.prefix))?;
                map.serialize_entry("b", &self.1.name)?;
                map.serialize_entry("b_cidr", &Display(&self.1.prefix))?;
                map.serialize_entry("relation", self.2)?;
                map.end()
            }
        }
        struct Display<'a>(&'a Prefix);
        impl serde::Serialize for Display<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self.0)
            }
        }
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("overlaps", &Pairs(self))?;
        map.serialize_entry("total", &self.report.total)?;
        map.serialize_entry("truncated", &self.report.truncated)?;
        map.end()
    }
}

/// The overlap table, written row by row: widths come from a first pass over the pairs.
fn write_overlap_table(
    items: &[NamedPrefix],
    report: &OverlapReport,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let mut cidr_text: Vec<Option<String>> = vec![None; items.len()];
    let mut widths = [1usize, 6, 1, 6];
    for o in &report.overlaps {
        for (slot, index) in [(0, o.a), (2, o.b)] {
            let text = cidr_text[index].get_or_insert_with(|| items[index].prefix.to_string());
            widths[slot + 1] = widths[slot + 1].max(text.len());
            widths[slot] = widths[slot].max(crate::table::display_width(&items[index].name));
        }
    }
    let mut table = Table::new(&["A", "A CIDR", "B", "B CIDR", "RELATION"]);
    table.set_min_widths(&widths);
    table.write_header(out)?;
    for o in &report.overlaps {
        let cell = |i: usize| cidr_text[i].as_deref().unwrap_or_default();
        table.write_row(
            out,
            &[
                &items[o.a].name,
                cell(o.a),
                &items[o.b].name,
                cell(o.b),
                o.relation.as_str(),
            ],
        )?;
    }
    if report.truncated {
        writeln!(
            out,
            "... {} overlapping pairs in all; {} listed (raise --max-listed to see more)",
            report.total,
            report.overlaps.len()
        )?;
    }
    Ok(())
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

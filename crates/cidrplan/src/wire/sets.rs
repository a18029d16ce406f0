//! Wire forms of `overlaps`, `aggregate` and `exclude`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::named_list::{FromMapEntry, NamedList};
use super::parse_all;
use crate::error::Result;
use crate::limits::DEFAULT_MAX_LISTED_OVERLAPS;
use crate::overlaps::{NamedPrefix, OverlapOptions, OverlapReport, Relation};
use crate::prefix::{ParseMode, Prefix};

/// One item of `overlaps`: a bare CIDR (named by itself), a `[name, cidr]` pair, or
/// `{"name", "cidr"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemEntry {
    /// `"10.0.0.0/8"`.
    Cidr(String),
    /// `["dc", "10.0.0.0/8"]`.
    Pair(String, String),
    /// `{"name": "dc", "cidr": "10.0.0.0/8"}`.
    Named {
        /// The name.
        name: String,
        /// The CIDR.
        cidr: String,
    },
}

impl FromMapEntry<'_> for ItemEntry {
    type Value = String;
    fn from_entry(name: String, cidr: String) -> Self {
        ItemEntry::Pair(name, cidr)
    }
}

/// Input of [`overlaps`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OverlapsInput {
    /// The prefixes: a list of CIDRs, of `[name, cidr]` pairs, or a mapping name -> cidr.
    pub items: NamedList<ItemEntry>,
    /// Declared `[parent, child]` name pairs that are not findings.
    #[serde(default)]
    pub expected: Vec<(String, String)>,
    /// Most pairs to list (all are counted); default 1,000,000.
    #[serde(default)]
    pub max_listed: Option<u64>,
    /// Mask host bits instead of rejecting them.
    #[serde(default)]
    pub lenient: bool,
}

/// One overlapping pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OverlapEntry {
    /// Name of the first item (in input order).
    pub a: String,
    /// Its CIDR.
    pub a_cidr: String,
    /// Name of the second item.
    pub b: String,
    /// Its CIDR.
    pub b_cidr: String,
    /// `equal`, `contains` (a contains b) or `within` (a within b).
    pub relation: Relation,
}

/// Output of [`overlaps`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OverlapsOutput {
    /// The listed pairs in sweep order: by the contained prefix (as a routing table sorts),
    /// then its containers from the outermost in.
    pub overlaps: Vec<OverlapEntry>,
    /// How many unexpected pairs overlap (listed or not).
    pub total: u64,
    /// Whether some pairs were counted but not listed.
    pub truncated: bool,
}

/// Every overlapping pair among the items.
pub fn overlaps(input: &OverlapsInput) -> Result<OverlapsOutput> {
    super::check_count(input.items.0.len())?;
    let parse_mode = ParseMode::from_lenient(input.lenient);
    let items = input
        .items
        .0
        .iter()
        .map(|entry| {
            let (name, cidr) = match entry {
                ItemEntry::Cidr(cidr) => (cidr.trim().to_string(), cidr),
                ItemEntry::Pair(name, cidr) | ItemEntry::Named { name, cidr } => {
                    (name.clone(), cidr)
                }
            };
            Ok(NamedPrefix::new(
                name,
                Prefix::parse_with(cidr, parse_mode)?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let options = OverlapOptions {
        expected: input.expected.clone(),
        max_listed: input.max_listed.map_or(DEFAULT_MAX_LISTED_OVERLAPS, |m| {
            usize::try_from(m).unwrap_or(usize::MAX)
        }),
    };
    let report = crate::overlaps::overlaps(&items, &options);
    Ok(overlaps_output(&items, &report))
}

/// The wire form of an overlap report over `items`.
pub fn overlaps_output(items: &[NamedPrefix], report: &OverlapReport) -> OverlapsOutput {
    let overlaps = report
        .overlaps
        .iter()
        .map(|o| OverlapEntry {
            a: items[o.a].name.clone(),
            a_cidr: items[o.a].prefix.to_string(),
            b: items[o.b].name.clone(),
            b_cidr: items[o.b].prefix.to_string(),
            relation: o.relation,
        })
        .collect();
    OverlapsOutput {
        overlaps,
        total: report.total,
        truncated: report.truncated,
    }
}

/// Input of [`aggregate`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AggregateInput {
    /// CIDRs of either family.
    pub prefixes: Vec<String>,
    /// Mask host bits instead of rejecting them.
    #[serde(default)]
    pub lenient: bool,
}

/// Output of [`aggregate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AggregateOutput {
    /// The minimal CIDR cover of the union: ascending, IPv4 before IPv6.
    pub prefixes: Vec<String>,
}

/// The minimal CIDR cover of the union of the prefixes.
pub fn aggregate(input: &AggregateInput) -> Result<AggregateOutput> {
    let prefixes = parse_all(&input.prefixes, input.lenient)?;
    Ok(AggregateOutput {
        prefixes: crate::ops::aggregate(&prefixes)
            .iter()
            .map(ToString::to_string)
            .collect(),
    })
}

/// Input of [`exclude`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExcludeInput {
    /// The range to take space from.
    pub parent: String,
    /// What is already used.
    #[serde(default)]
    pub used: Vec<String>,
    /// Mask host bits instead of rejecting them.
    #[serde(default)]
    pub lenient: bool,
}

/// Output of [`exclude`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExcludeOutput {
    /// The free space of `parent`: minimal CIDRs, ascending.
    pub free: Vec<String>,
}

/// The parent minus the used prefixes.
pub fn exclude(input: &ExcludeInput) -> Result<ExcludeOutput> {
    let parent = Prefix::parse_with(&input.parent, ParseMode::from_lenient(input.lenient))?;
    let used = parse_all(&input.used, input.lenient)?;
    Ok(ExcludeOutput {
        free: crate::ops::exclude(parent, &used)?
            .iter()
            .map(ToString::to_string)
            .collect(),
    })
}

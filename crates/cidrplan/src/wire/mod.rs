//! The JSON wire format shared by the CLI (`--json`), the npm package and the Python module.
//!
//! Each operation is one function taking a deserialized input and returning a serializable
//! output, so every surface gives the same answer for the same input. Shapes follow the
//! product brief: snake_case keys, CIDRs as strings, address counts as decimal strings
//! (IPv6 counts exceed 2^53, the largest integer JavaScript holds exactly).
//!
//! ```
//! use cidrplan::wire;
//! let input: wire::AggregateInput = serde_json::from_str(r#"{"prefixes": ["10.0.0.0/25", "10.0.0.128/25"]}"#).unwrap();
//! let output = wire::aggregate(&input)?;
//! assert_eq!(serde_json::to_string(&output).unwrap(), r#"{"prefixes":["10.0.0.0/24"]}"#);
//! # Ok::<(), cidrplan::Error>(())
//! ```

mod carve;
mod entry_de;
#[cfg(feature = "import")]
mod import;
mod named_list;
mod sets;

/// `parts` with `separator` between each two: `[String]::join`, kept as a function for the
/// npm binding, which names it (it goes with that binding's own JSON writer).
pub fn join(parts: &[alloc::string::String], separator: &str) -> alloc::string::String {
    parts.join(separator)
}

/// A count written in decimal as the wire format writes counts: the `u128`'s own `{}`
/// (kept for the npm binding's JSON writer, which names it).
#[derive(Clone, Copy, Debug)]
pub struct Decimal(pub u128);

impl core::fmt::Display for Decimal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.fmt(f)
    }
}

pub use carve::{
    carve, CarveOutput, CarveWireInput, PoolFreeOutput, RequestEntry, SizeScalar, SizeValue,
    WireAllocation,
};
#[cfg(feature = "import")]
pub use import::import_allocations;
pub use named_list::{without_entry, FromMapEntry, NamedList};

/// Planning speaks the wire format natively: its request and results are the serde types
/// of [`crate::k8s`], re-exported here so every operation has one entry module.
pub use crate::k8s::{lint, plan, recommend, Plan, PlanRequest, Recommendation};
pub use sets::{
    aggregate, exclude, overlaps, overlaps_output, AggregateInput, AggregateOutput, ExcludeInput,
    ExcludeOutput, ItemEntry, OverlapEntry, OverlapsInput, OverlapsOutput,
};

use alloc::format;
use alloc::vec::Vec;

/// The input of a re-plan: the request, the previous plan (a plan's JSON, whose derived
/// keys are skipped) and the clusters of it to release.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReplanInput {
    /// The plan request.
    pub spec: crate::k8s::PlanRequest,
    /// The previous plan, if any.
    #[serde(default)]
    pub previous: Option<crate::k8s::PreviousPlan>,
    /// Names of the previous plan's clusters to release.
    #[serde(default)]
    pub release: Vec<alloc::string::String>,
}

/// Plans `input.spec` as a re-plan of `input.previous` ([`crate::k8s::plan_with`]).
pub fn replan(input: &ReplanInput) -> Result<crate::k8s::Plan> {
    crate::k8s::plan_with(
        &input.spec,
        &crate::k8s::PlanOptions {
            previous: input.previous.clone(),
            release: input.release.clone(),
        },
    )
}

/// The input of a diff: two plans (their JSON, derived keys skipped).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DiffInput {
    /// The older plan.
    pub old: crate::k8s::PreviousPlan,
    /// The newer plan.
    pub new: crate::k8s::PreviousPlan,
}

/// What changed from `input.old` to `input.new` ([`crate::k8s::diff`]).
pub fn diff(input: &DiffInput) -> Result<crate::k8s::PlanDiff> {
    crate::k8s::diff(&input.old, &input.new)
}

use crate::error::{Error, Result};
use crate::prefix::{ParseMode, Prefix};

fn parse_all(texts: &[alloc::string::String], lenient: bool) -> Result<Vec<Prefix>> {
    check_count(texts.len())?;
    texts
        .iter()
        .map(|t| Prefix::parse_with(t, ParseMode::from_lenient(lenient)))
        .collect()
}

/// Parses newline-separated prefixes (the bulk form of a list, one prefix per line, as the
/// npm package passes a list of strings across the boundary): the same prefixes, or the same
/// error, as a list of those strings.
pub fn parse_lines(text: &[u8], lenient: bool) -> Result<Vec<Prefix>> {
    use crate::limits::MAX_PREFIXES;
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let line_count = || text.iter().filter(|&&b| b == b'\n').count() + 1;
    // The text is the UTF-8 of strings (TextEncoder never writes anything else); bytes that
    // are not UTF-8 are refused as such rather than repaired.
    let parse = |line: &[u8]| match crate::prefix_text::canonical_ipv4(line) {
        Some(prefix) => Ok(prefix),
        None => match core::str::from_utf8(line) {
            Ok(text) => Prefix::parse_with(text, ParseMode::from_lenient(lenient)),
            Err(_) => Err(Error::InvalidPrefix {
                input: alloc::string::String::from("(bytes)"),
                reason: "not UTF-8 text",
            }),
        },
    };
    // About one prefix per 12 bytes of IPv4 text; the vector grows if there are more.
    let mut prefixes = Vec::with_capacity((text.len() / 12 + 1).min(MAX_PREFIXES));
    let mut start = 0;
    loop {
        // An index scan rather than `for end in 0..=len`: the npm module is built for size,
        // and there the range iterator's `next` stays a call per byte (a third of the time
        // of `aggregate` on 10^5 IPv4 prefixes, in a profile).
        let mut end = start;
        while end < text.len() && text[end] != b'\n' {
            end += 1;
        }
        if prefixes.len() == MAX_PREFIXES {
            check_count(line_count())?;
        }
        match parse(&text[start..end]) {
            Ok(prefix) => prefixes.push(prefix),
            // A list over the limit is refused before any of its prefixes is read.
            Err(error) => return Err(check_count(line_count()).err().unwrap_or(error)),
        }
        if end == text.len() {
            return Ok(prefixes);
        }
        start = end + 1;
    }
}

/// The canonical text of `prefixes`, one per line: the way back of [`parse_lines`].
pub fn join_lines(prefixes: &[Prefix]) -> alloc::string::String {
    let mut text = alloc::string::String::with_capacity(prefixes.len() * 20);
    for (i, prefix) in prefixes.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(crate::prefix_text::PrefixText::of(prefix).as_str());
    }
    text
}

fn check_count(count: usize) -> Result<()> {
    use crate::limits::MAX_PREFIXES;
    if count > MAX_PREFIXES {
        return Err(crate::Error::limit(
            "prefixes",
            MAX_PREFIXES as u128,
            count as u128,
        ));
    }
    Ok(())
}

fn field_name(list: &str, index: usize) -> alloc::string::String {
    format!("{list}[{index}]")
}

/// Plans `request` and renders the plan in `format` (a name of
/// [`crate::export::ExportFormat::ALL`]); a plan whose ranges collide fails with
/// `collision` unless `force` is set.
///
/// ```
/// let text = cidrplan::wire::export(&cidrplan::k8s::example(), "ip-masq-agent", false)?;
/// assert!(text.contains("nonMasqueradeCIDRs"));
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn export(
    request: &crate::k8s::PlanRequest,
    format: &str,
    force: bool,
) -> Result<alloc::string::String> {
    let format: crate::export::ExportFormat = format.parse()?;
    let plan = crate::k8s::plan(request)?;
    if force {
        Ok(crate::export::render_forced(&plan, format))
    } else {
        crate::export::render(&plan, format)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::{String, ToString};

    #[test]
    fn lines_read_as_the_list_of_their_strings_reads() {
        for list in [
            &["10.0.0.0/8", "2001:db8::/32", "10.1.0.0/16"][..],
            &[" 10.0.0.0/8 ", "::ffff:10.0.0.0/104", "10.1.0.0/016"],
            &["10.0.0.1/8"],
            &["10.0.0.0/8", "nonsense"],
            &["ü/8"],
        ] {
            let strings: Vec<String> = list.iter().map(|s| String::from(*s)).collect();
            let text = join(&strings, "\n");
            for lenient in [false, true] {
                let lines = parse_lines(text.as_bytes(), lenient).map_err(|e| e.to_string());
                let all = parse_all(&strings, lenient).map_err(|e| e.to_string());
                assert_eq!(lines, all, "{list:?}");
            }
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_an_invalid_prefix() {
        let e = parse_lines(b"10.0.0.0/8\n\xff\xfe/8", false).unwrap_err();
        assert_eq!(e.code(), "invalid_prefix");
        assert!(e.to_string().contains("not UTF-8"), "{e}");
    }
}

//! The trailing `options` argument of the functions: the wire format's optional fields that
//! do not have a positional argument of their own. Derived, so an unknown key is an error
//! naming it, as everywhere else.

use serde::Deserialize;

/// The options of `aggregate`, `exclude` and `carve`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ParseOptions {
    /// Mask host bits (`10.0.0.1/8` -> `10.0.0.0/8`) instead of rejecting them.
    #[serde(default)]
    pub(crate) lenient: bool,
}

/// The options of `overlaps`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OverlapsOptions {
    /// `[parent, child]` name pairs that are intended and not reported.
    #[serde(default)]
    pub(crate) expected: Vec<(String, String)>,
    /// List at most this many pairs (all are counted).
    #[serde(default)]
    pub(crate) max_listed: Option<u64>,
    /// Mask host bits instead of rejecting them.
    #[serde(default)]
    pub(crate) lenient: bool,
}

/// The options of `exportConfig`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExportOptions {
    /// Render even when the plan's ranges collide.
    #[serde(default)]
    pub(crate) force: bool,
}

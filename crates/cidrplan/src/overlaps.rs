//! The overlap report: every pair of named prefixes that share an address.

use alloc::collections::BTreeSet;
use alloc::string::String;
use alloc::vec::Vec;

use crate::limits::DEFAULT_MAX_LISTED_OVERLAPS;
use crate::prefix::Prefix;

/// A prefix with the name it is known by (a datacenter, a VPN, a cluster's pod range…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPrefix {
    /// The name.
    pub name: String,
    /// The prefix.
    pub prefix: Prefix,
}

impl NamedPrefix {
    /// Names a prefix.
    pub fn new(name: impl Into<String>, prefix: Prefix) -> Self {
        NamedPrefix {
            name: name.into(),
            prefix,
        }
    }
}

/// How the first prefix of an overlapping pair relates to the second.
///
/// Two CIDR prefixes that overlap always nest, so these three cases are all there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Relation {
    /// Both are the same prefix.
    Equal,
    /// `a` contains `b`.
    Contains,
    /// `a` lies within `b`.
    Within,
}

impl Relation {
    /// `"equal"`, `"contains"` or `"within"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Relation::Equal => "equal",
            Relation::Contains => "contains",
            Relation::Within => "within",
        }
    }
}

/// One overlapping pair, by input position (`a < b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Overlap {
    /// Index of the first prefix in the input.
    pub a: usize,
    /// Index of the second prefix in the input.
    pub b: usize,
    /// How `a` relates to `b`.
    pub relation: Relation,
}

/// Options of [`overlaps`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlapOptions {
    /// Declared `(parent, child)` name pairs: a child inside its declared parent is expected
    /// (a subnet inside its site, say) and not reported.
    pub expected: Vec<(String, String)>,
    /// Most pairs listed; every pair is still counted in [`OverlapReport::total`].
    pub max_listed: usize,
}

impl Default for OverlapOptions {
    fn default() -> Self {
        OverlapOptions {
            expected: Vec::new(),
            max_listed: DEFAULT_MAX_LISTED_OVERLAPS,
        }
    }
}

/// The result of [`overlaps`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OverlapReport {
    /// The listed pairs, ordered by `(a, b)` (when truncated: the first found in address order).
    pub overlaps: Vec<Overlap>,
    /// Number of unexpected overlapping pairs, listed or not.
    pub total: u64,
    /// Number of pairs skipped because they were declared expected.
    pub expected: u64,
    /// Whether `total` exceeds what was listed.
    pub truncated: bool,
}

/// Every overlapping pair among `items`, in O(n log n + k).
///
/// Prefixes are sorted by address and swept with a stack of the prefixes that contain the
/// current one, so each pair is found once and no pair is compared that does not overlap.
/// IPv4 and IPv6 prefixes never overlap each other (IPv4-mapped IPv6 is IPv6).
///
/// ```
/// use cidrplan::{overlaps, NamedPrefix, OverlapOptions, Relation};
/// let items = [
///     NamedPrefix::new("network", "10.0.0.0/8".parse()?),
///     NamedPrefix::new("other", "10.128.1.1/32".parse()?),
///     NamedPrefix::new("vpn", "192.168.0.0/16".parse()?),
///     NamedPrefix::new("dc", "10.128.0.0/16".parse()?),
/// ];
/// let report = overlaps(&items, &OverlapOptions::default());
/// let found: Vec<_> = report.overlaps.iter().map(|o| (o.a, o.b, o.relation)).collect();
/// assert_eq!(found, [(0, 1, Relation::Contains), (0, 3, Relation::Contains), (1, 3, Relation::Within)]);
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn overlaps(items: &[NamedPrefix], options: &OverlapOptions) -> OverlapReport {
    let expected: BTreeSet<(&str, &str)> = options
        .expected
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();

    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_unstable_by_key(|&i| (items[i].prefix, i));

    let mut report = OverlapReport::default();
    let mut stack: Vec<usize> = Vec::new();
    for &current in &order {
        let prefix = items[current].prefix;
        while let Some(&top) = stack.last() {
            if items[top].prefix.overlaps(&prefix) {
                break;
            }
            stack.pop();
        }
        // Every prefix on the stack contains `current` (the stack is a chain of containment).
        if expected.is_empty() && report.overlaps.len() >= options.max_listed {
            report.total += stack.len() as u64;
        } else {
            for &outer in &stack {
                let is_expected = !expected.is_empty()
                    && expected
                        .contains(&(items[outer].name.as_str(), items[current].name.as_str()));
                if is_expected {
                    report.expected += 1;
                    continue;
                }
                report.total += 1;
                if report.overlaps.len() < options.max_listed {
                    report.overlaps.push(pair(items, outer, current));
                }
            }
        }
        stack.push(current);
    }
    report.truncated = report.total > report.overlaps.len() as u64;
    report.overlaps.sort_unstable();
    report
}

/// The pair of `outer` (which contains `inner`) and `inner`, oriented by input order.
fn pair(items: &[NamedPrefix], outer: usize, inner: usize) -> Overlap {
    let relation_outer_first = if items[outer].prefix == items[inner].prefix {
        Relation::Equal
    } else {
        Relation::Contains
    };
    if outer < inner {
        Overlap {
            a: outer,
            b: inner,
            relation: relation_outer_first,
        }
    } else {
        Overlap {
            a: inner,
            b: outer,
            relation: match relation_outer_first {
                Relation::Equal => Relation::Equal,
                _ => Relation::Within,
            },
        }
    }
}

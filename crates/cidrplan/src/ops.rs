//! Aggregation and exclusion over prefix lists.

use alloc::string::ToString;
use alloc::vec::Vec;

use crate::addr_set::AddrSet;
use crate::error::{Error, Result};
use crate::prefix::Prefix;

/// The minimal list of CIDRs covering the union of `prefixes`: ascending, IPv4 before IPv6.
///
/// Overlapping, duplicate and adjacent prefixes merge; O(n log n).
///
/// ```
/// use cidrplan::{aggregate, Prefix};
/// let p = |s: &str| s.parse::<Prefix>().unwrap();
/// let out = aggregate(&[p("10.0.1.0/24"), p("10.0.0.0/24"), p("10.0.0.0/25"), p("::/1"), p("8000::/1")]);
/// assert_eq!(out, vec![p("10.0.0.0/23"), p("::/0")]);
/// ```
pub fn aggregate(prefixes: &[Prefix]) -> Vec<Prefix> {
    AddrSet::from_prefixes(prefixes).to_prefixes()
}

/// The free space of `parent` once `used` is taken out: minimal CIDRs, ascending.
///
/// Parts of `used` outside `parent` are ignored; a `used` prefix of the other family is
/// an [`Error::MixedFamilies`].
///
/// ```
/// use cidrplan::{exclude, Prefix};
/// let p = |s: &str| s.parse::<Prefix>().unwrap();
/// let free = exclude(p("10.0.0.0/24"), &[p("10.0.0.64/26")])?;
/// assert_eq!(free, vec![p("10.0.0.0/26"), p("10.0.0.128/25")]);
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn exclude(parent: Prefix, used: &[Prefix]) -> Result<Vec<Prefix>> {
    if let Some(other) = used.iter().find(|u| u.family() != parent.family()) {
        return Err(Error::MixedFamilies {
            first: parent.to_string(),
            second: other.to_string(),
        });
    }
    let whole = AddrSet::from_prefixes(&[parent]);
    Ok(whole
        .difference(&AddrSet::from_prefixes(used))
        .to_prefixes())
}

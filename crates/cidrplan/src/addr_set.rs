//! Address sets that hold both families at once.

use alloc::vec::Vec;

use crate::count::AddrCount;
use crate::interval_set::IntervalSet;
use crate::prefix::{Family, Prefix};

/// A set of IPv4 and IPv6 addresses, kept apart by family.
///
/// ```
/// use cidrplan::{AddrSet, Family, Prefix};
/// let p = |s: &str| s.parse::<Prefix>().unwrap();
/// let network = AddrSet::from_prefixes(&[p("10.0.0.0/8")]);
/// let used = AddrSet::from_prefixes(&[p("10.0.0.0/9"), p("10.128.1.1/32")]);
/// let free = network.difference(&used);
/// assert_eq!(free.count(Family::V4).to_u128(), Some((1 << 23) - 1));
/// assert_eq!(free.to_prefixes()[0], p("10.128.0.0/24"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddrSet {
    v4: IntervalSet<u32>,
    v6: IntervalSet<u128>,
}

impl AddrSet {
    /// The empty set.
    pub const fn new() -> Self {
        AddrSet {
            v4: IntervalSet::new(),
            v6: IntervalSet::new(),
        }
    }

    /// The union of the prefixes, in O(n log n).
    pub fn from_prefixes(prefixes: &[Prefix]) -> Self {
        // IPv4 ranges pack into one u64 (first, last) so the sort is a plain integer sort,
        // the dominant cost of aggregating a large list.
        let mut v4: Vec<u64> = Vec::with_capacity(prefixes.len());
        let mut v6 = Vec::new();
        for p in prefixes {
            match p.family() {
                Family::V4 => v4.push(((p.first() as u64) << 32) | (p.last() as u64)),
                Family::V6 => v6.push((p.first(), p.last())),
            }
        }
        crate::radix::sort_u64(&mut v4);
        AddrSet {
            v4: IntervalSet::from_sorted_ranges(
                v4.into_iter().map(|k| ((k >> 32) as u32, k as u32)),
            ),
            v6: IntervalSet::from_ranges(v6),
        }
    }

    /// The IPv4 part.
    pub fn v4(&self) -> &IntervalSet<u32> {
        &self.v4
    }

    /// The IPv6 part.
    pub fn v6(&self) -> &IntervalSet<u128> {
        &self.v6
    }

    /// Whether the set holds no address.
    pub fn is_empty(&self) -> bool {
        self.v4.is_empty() && self.v6.is_empty()
    }

    /// Adds a prefix.
    pub fn insert(&mut self, prefix: Prefix) {
        match prefix.family() {
            Family::V4 => self.v4.insert(prefix.first() as u32, prefix.last() as u32),
            Family::V6 => self.v6.insert(prefix.first(), prefix.last()),
        }
    }

    /// Addresses in either set.
    pub fn union(&self, other: &AddrSet) -> AddrSet {
        AddrSet {
            v4: self.v4.union(&other.v4),
            v6: self.v6.union(&other.v6),
        }
    }

    /// Addresses in both sets.
    pub fn intersection(&self, other: &AddrSet) -> AddrSet {
        AddrSet {
            v4: self.v4.intersection(&other.v4),
            v6: self.v6.intersection(&other.v6),
        }
    }

    /// Addresses in `self` but not in `other`.
    pub fn difference(&self, other: &AddrSet) -> AddrSet {
        AddrSet {
            v4: self.v4.difference(&other.v4),
            v6: self.v6.difference(&other.v6),
        }
    }

    /// Whether every address of `prefix` is in the set.
    pub fn contains_prefix(&self, prefix: &Prefix) -> bool {
        match prefix.family() {
            Family::V4 => self
                .v4
                .contains_range(prefix.first() as u32, prefix.last() as u32),
            Family::V6 => self.v6.contains_range(prefix.first(), prefix.last()),
        }
    }

    /// Whether any address of `prefix` is in the set.
    pub fn overlaps_prefix(&self, prefix: &Prefix) -> bool {
        match prefix.family() {
            Family::V4 => self
                .v4
                .overlaps_range(prefix.first() as u32, prefix.last() as u32),
            Family::V6 => self.v6.overlaps_range(prefix.first(), prefix.last()),
        }
    }

    /// Number of addresses of one family in the set.
    pub fn count(&self, family: Family) -> AddrCount {
        match family {
            Family::V4 => self.v4.count(),
            Family::V6 => self.v6.count(),
        }
    }

    /// The minimal CIDR cover of the set: ascending, IPv4 before IPv6.
    pub fn to_prefixes(&self) -> Vec<Prefix> {
        let mut out: Vec<Prefix> = self
            .v4
            .to_blocks()
            .into_iter()
            .map(|(first, len)| Prefix::from_parts(Family::V4, u128::from(first), len))
            .collect();
        out.extend(
            self.v6
                .to_blocks()
                .into_iter()
                .map(|(first, len)| Prefix::from_parts(Family::V6, first, len)),
        );
        out
    }

    /// The largest aligned block of the set that lies inside `within` (lowest on ties).
    pub fn largest_block_within(&self, within: &Prefix) -> Option<Prefix> {
        let clipped = self.intersection(&AddrSet::from_prefixes(core::slice::from_ref(within)));
        clipped
            .to_prefixes()
            .into_iter()
            .min_by_key(|p| (p.len(), p.first()))
    }
}

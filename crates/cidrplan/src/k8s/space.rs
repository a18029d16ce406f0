//! Measuring and searching free address space: the few questions planning asks of
//! [`AddrSet`], answered from its ranges or its minimal CIDR cover so the cost follows the number of
//! blocks, never the number of addresses.

use alloc::string::String;
use alloc::vec::Vec;

use crate::prefix::host_mask;
use crate::{AddrSet, Family, Prefix};

/// The lowest aligned `/len` of `family` lying entirely inside `set`.
///
/// Every aligned block inside a set lies inside one of its maximal ranges, so the first
/// range whose lowest aligned start leaves room for the block holds the answer. The ranges
/// are read in place: a set of 10^6 scattered hosts is not turned into prefixes per look.
pub(crate) fn lowest_block(set: &AddrSet, family: Family, len: u8) -> Option<Prefix> {
    if len > family.bits() {
        return None;
    }
    let host = u32::from(family.bits() - len);
    // The block's size less one; 2^128 - 1 for an IPv6 /0.
    let low = 1u128.checked_shl(host).map_or(u128::MAX, |size| size - 1);
    let first = ranges(set, family).find_map(|(first, last)| {
        let start = first.checked_add(low)? & !low;
        (start.checked_add(low)? <= last).then_some(start)
    })?;
    Prefix::new(family, first, len).ok()
}

/// How many disjoint aligned `/len` blocks of `family` fit inside `set`, saturating.
pub(crate) fn count_blocks(set: &AddrSet, family: Family, len: u8) -> u128 {
    let mut total = 0u128;
    for (first, last) in ranges(set, family) {
        crate::interval_set::for_each_block(u32::from(family.bits()), first, last, |_, l| {
            if l <= len {
                let blocks = 1u128.checked_shl(u32::from(len - l)).unwrap_or(u128::MAX);
                total = total.saturating_add(blocks);
            }
        });
    }
    total
}

/// The maximal ranges of `family` in `set`, ascending, as `(first, last)`.
fn ranges(set: &AddrSet, family: Family) -> impl Iterator<Item = (u128, u128)> + '_ {
    let v4 = match family {
        Family::V4 => set.v4().ranges(),
        Family::V6 => &[],
    };
    let v6 = match family {
        Family::V4 => &[],
        Family::V6 => set.v6().ranges(),
    };
    v4.iter()
        .map(|&(a, b)| (u128::from(a), u128::from(b)))
        .chain(v6.iter().copied())
}

/// Addresses in a `/len` of `family`, saturating at `u128::MAX` for an IPv6 `/0`.
pub(crate) fn block_size(family: Family, len: u8) -> u128 {
    let bits = u32::from(family.bits().saturating_sub(len));
    1u128.checked_shl(bits).unwrap_or(u128::MAX)
}

/// `1234567` as `"1,234,567"`: the numbers in reasons are read by people.
pub(crate) fn grouped(n: u128) -> String {
    let digits = alloc::format!("{n}");
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Named prefixes sorted for overlap queries: which allocations touch a range.
///
/// Allocations may nest, so a running maximum of last addresses bounds the backward scan;
/// a query costs O(log n + k) for k answers in the common case of disjoint allocations.
pub(crate) struct OverlapIndex {
    // (first, last, family, original index), sorted by (family, first, last).
    entries: Vec<(Family, u128, u128, usize)>,
    running_last: Vec<u128>,
}

impl OverlapIndex {
    /// Indexes `prefixes`, remembering their positions.
    pub(crate) fn new<'a>(prefixes: impl IntoIterator<Item = &'a Prefix>) -> Self {
        // Per family, (first, host bits << 64 | index) pairs sort like (first, last, index):
        // a prefix's last address grows with its host bits.
        let mut keys: [Vec<(u128, u128)>; 2] = [Vec::new(), Vec::new()];
        for (i, p) in prefixes.into_iter().enumerate() {
            let host_bits = p.family().bits() - p.len();
            let family = usize::from(p.family() == Family::V6);
            keys[family].push((p.first(), (u128::from(host_bits) << 64) | i as u128));
        }
        let mut entries = Vec::with_capacity(keys[0].len() + keys[1].len());
        for (family, mut keys) in [Family::V4, Family::V6].into_iter().zip(keys) {
            // Keys are unique (they carry the index), so a stable sort orders them the same;
            // in the size-tuned wasm build it is a merge sort where the unstable one is a heapsort.
            keys.sort();
            entries.extend(keys.into_iter().map(|(first, rest)| {
                let host_bits = (rest >> 64) as u8;
                let last = first | host_mask(family, family.bits() - host_bits);
                (family, first, last, rest as u64 as usize)
            }));
        }
        let mut running_last = Vec::with_capacity(entries.len());
        let mut previous: Option<(Family, u128)> = None;
        for &(family, _, last, _) in &entries {
            let value = match previous {
                Some((f, max)) if f == family => max.max(last),
                _ => last,
            };
            previous = Some((family, value));
            running_last.push(value);
        }
        OverlapIndex {
            entries,
            running_last,
        }
    }

    /// Positions of the indexed prefixes overlapping `query`, ascending.
    pub(crate) fn overlapping(&self, query: &Prefix) -> Vec<usize> {
        let family = query.family();
        let (first, last) = (query.first(), query.last());
        // Entries of this family starting at or before the query's last address.
        let end = self
            .entries
            .partition_point(|&(f, start, _, _)| (f, start) <= (family, last));
        let mut hits = Vec::new();
        let mut i = end;
        while i > 0 {
            i -= 1;
            let (f, _, entry_last, index) = self.entries[i];
            if f != family || self.running_last[i] < first {
                break;
            }
            if entry_last >= first {
                hits.push(index);
            }
        }
        hits.sort_unstable();
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Prefix {
        s.parse().unwrap()
    }

    #[test]
    fn lowest_block_skips_fragments() {
        let set = AddrSet::from_prefixes(&[p("10.0.0.0/8")])
            .difference(&AddrSet::from_prefixes(&[p("10.0.0.1/32")]));
        assert_eq!(lowest_block(&set, Family::V4, 16), Some(p("10.1.0.0/16")));
        assert_eq!(lowest_block(&set, Family::V4, 7), None);
    }

    #[test]
    fn counts_blocks_without_enumerating() {
        let set = AddrSet::from_prefixes(&[p("10.0.0.0/8"), p("::/0")]);
        assert_eq!(count_blocks(&set, Family::V4, 16), 256);
        assert_eq!(count_blocks(&set, Family::V6, 128), u128::MAX);
    }

    #[test]
    fn groups_digits() {
        assert_eq!(grouped(1_048_576), "1,048,576");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn index_finds_nested_overlaps() {
        let all = [
            p("10.0.0.0/8"),
            p("10.1.0.0/16"),
            p("10.2.0.0/16"),
            p("::/0"),
        ];
        let index = OverlapIndex::new(&all);
        assert_eq!(index.overlapping(&p("10.1.2.0/24")), [0, 1]);
        assert_eq!(index.overlapping(&p("11.0.0.0/8")), Vec::<usize>::new());
        assert_eq!(index.overlapping(&p("2001:db8::/32")), [3]);
    }
}

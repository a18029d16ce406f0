//! Sorted, disjoint sets of address intervals.

use alloc::vec::Vec;

use crate::bits::Bits;
use crate::count::AddrCount;

/// A set of addresses stored as sorted, disjoint, non-adjacent inclusive intervals.
///
/// Every operation works on interval bounds: its cost depends on the number of intervals,
/// never on the number of addresses.
///
/// ```
/// use cidrplan::IntervalSet;
/// let a = IntervalSet::<u32>::from_ranges([(0, 9), (20, 29)]);
/// let b = IntervalSet::<u32>::from_ranges([(5, 24)]);
/// assert_eq!(a.intersection(&b).ranges(), &[(5, 9), (20, 24)]);
/// assert_eq!(a.difference(&b).ranges(), &[(0, 4), (25, 29)]);
/// assert_eq!(a.union(&b).count().to_u128(), Some(30));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct IntervalSet<A: Bits> {
    ranges: Vec<(A, A)>,
}

impl<A: Bits> IntervalSet<A> {
    /// The empty set.
    pub const fn new() -> Self {
        IntervalSet { ranges: Vec::new() }
    }

    /// The set of every address of the width.
    pub fn full() -> Self {
        IntervalSet {
            ranges: alloc::vec![(A::ZERO, A::MAX)],
        }
    }

    /// Builds a set from inclusive ranges in any order; overlapping and adjacent ranges
    /// merge, and ranges with `first > last` are ignored.
    pub fn from_ranges(ranges: impl IntoIterator<Item = (A, A)>) -> Self {
        let ranges = ranges.into_iter().filter(|(a, b)| a <= b);
        // One shared integer sort per width instead of a sort of `(A, A)` per width.
        if A::BITS <= 32 {
            let mut keys: Vec<u64> = ranges
                .map(|(a, b)| ((a.to_u128() as u64) << 32) | b.to_u128() as u64)
                .collect();
            crate::radix::sort_u64(&mut keys);
            Self::from_sorted_ranges(keys.into_iter().map(|k| {
                (
                    A::from_u128(u128::from(k >> 32)),
                    A::from_u128(u128::from(k as u32)),
                )
            }))
        } else {
            let mut keys: Vec<(u128, u128)> =
                ranges.map(|(a, b)| (a.to_u128(), b.to_u128())).collect();
            // Stable: in the size-tuned WebAssembly build (std's `optimize_for_size`) the
            // unstable sort is a heapsort, about twice as slow here as the merge sort.
            keys.sort();
            Self::from_sorted_ranges(
                keys.into_iter()
                    .map(|(a, b)| (A::from_u128(a), A::from_u128(b))),
            )
        }
    }

    /// Builds a set from ranges already sorted by `(first, last)`, merging as it goes.
    pub(crate) fn from_sorted_ranges(sorted: impl Iterator<Item = (A, A)>) -> Self {
        let mut ranges: Vec<(A, A)> = Vec::new();
        for (start, end) in sorted {
            if let Some(last) = ranges.last_mut() {
                let touches = match last.1.checked_inc() {
                    Some(next) => start <= next,
                    None => true,
                };
                if touches {
                    if end > last.1 {
                        last.1 = end;
                    }
                    continue;
                }
            }
            ranges.push((start, end));
        }
        IntervalSet { ranges }
    }

    /// The intervals, sorted and disjoint.
    pub fn ranges(&self) -> &[(A, A)] {
        &self.ranges
    }

    /// Whether the set holds no address.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Adds one inclusive range.
    pub fn insert(&mut self, first: A, last: A) {
        if first > last {
            return;
        }
        *self = self.union(&IntervalSet {
            ranges: alloc::vec![(first, last)],
        });
    }

    /// Number of addresses in the set.
    pub fn count(&self) -> AddrCount {
        self.ranges.iter().fold(AddrCount::ZERO, |sum, (a, b)| {
            sum + AddrCount::from_range(a.to_u128(), b.to_u128())
        })
    }

    /// Addresses in either set.
    pub fn union(&self, other: &Self) -> Self {
        // Both sets are sorted, disjoint and apart (no two touch), so the intervals of the
        // larger one that lie between two of the smaller one are copied as a block: a
        // union of 10^6 allocations with a few planned ranges costs one copy, not 10^6
        // comparisons.
        let (large, small) = if self.ranges.len() >= other.ranges.len() {
            (&self.ranges, &other.ranges)
        } else {
            (&other.ranges, &self.ranges)
        };
        let mut merged: Vec<(A, A)> = Vec::with_capacity(large.len() + small.len());
        let mut i = 0;
        for &interval in small.iter() {
            let end = i + large[i..].partition_point(|r| r.0 < interval.0);
            Self::push_run(&mut merged, &large[i..end]);
            Self::push_touching(&mut merged, interval);
            i = end;
        }
        Self::push_run(&mut merged, &large[i..]);
        IntervalSet { ranges: merged }
    }

    /// Appends `run` (sorted, disjoint, apart, starting at or after `out`'s last start),
    /// merging the intervals that touch `out`'s last one and copying the rest.
    fn push_run(out: &mut Vec<(A, A)>, run: &[(A, A)]) {
        let mut k = 0;
        while let (Some(&next), Some(&last)) = (run.get(k), out.last()) {
            if !Self::touches(last, next) {
                break;
            }
            Self::push_touching(out, next);
            k += 1;
        }
        out.extend_from_slice(&run[k..]);
    }

    /// Whether `next` (starting at or after `last`'s start) overlaps or adjoins `last`.
    fn touches(last: (A, A), next: (A, A)) -> bool {
        match last.1.checked_inc() {
            Some(after) => next.0 <= after,
            None => true,
        }
    }

    /// Appends `next` (starting at or after `out`'s last start), merged into the last
    /// interval where they touch.
    fn push_touching(out: &mut Vec<(A, A)>, next: (A, A)) {
        if let Some(last) = out.last_mut() {
            if Self::touches(*last, next) {
                if next.1 > last.1 {
                    last.1 = next.1;
                }
                return;
            }
        }
        out.push(next);
    }

    /// Addresses in both sets.
    pub fn intersection(&self, other: &Self) -> Self {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < self.ranges.len() && j < other.ranges.len() {
            let (a0, a1) = self.ranges[i];
            let (b0, b1) = other.ranges[j];
            let lo = if a0 > b0 { a0 } else { b0 };
            let hi = if a1 < b1 { a1 } else { b1 };
            if lo <= hi {
                out.push((lo, hi));
            }
            if a1 < b1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        IntervalSet { ranges: out }
    }

    /// Addresses in `self` but not in `other`.
    pub fn difference(&self, other: &Self) -> Self {
        let mut out = Vec::new();
        let mut j = 0;
        for &(start, end) in &self.ranges {
            let mut cursor = Some(start);
            // Skip subtrahend intervals entirely below this one.
            while j < other.ranges.len() && other.ranges[j].1 < start {
                j += 1;
            }
            let mut k = j;
            while let Some(cur) = cursor {
                if cur > end {
                    break;
                }
                match other.ranges.get(k) {
                    Some(&(b0, b1)) if b0 <= end => {
                        if b0 > cur {
                            // b0 > cur >= 0, so b0 - 1 exists.
                            if let Some(before) = b0.checked_dec() {
                                out.push((cur, before));
                            }
                        }
                        cursor = if b1 >= cur {
                            b1.checked_inc()
                        } else {
                            Some(cur)
                        };
                        k += 1;
                    }
                    _ => {
                        out.push((cur, end));
                        cursor = None;
                    }
                }
            }
            // The last subtrahend interval may reach into the next range of self.
            j = k.saturating_sub(1);
        }
        IntervalSet { ranges: out }
    }

    /// Addresses of `[first, last]` not in the set.
    pub fn complement_within(&self, first: A, last: A) -> Self {
        IntervalSet {
            ranges: alloc::vec![(first, last)],
        }
        .difference(self)
    }

    /// Whether every address of `[first, last]` is in the set.
    pub fn contains_range(&self, first: A, last: A) -> bool {
        match self.index_at_or_before(first) {
            Some(i) => {
                let (a, b) = self.ranges[i];
                a <= first && last <= b
            }
            None => false,
        }
    }

    /// Whether any address of `[first, last]` is in the set.
    pub fn overlaps_range(&self, first: A, last: A) -> bool {
        if let Some(i) = self.index_at_or_before(first) {
            if self.ranges[i].1 >= first {
                return true;
            }
        }
        // The first interval starting after `first`.
        let next = self.ranges.partition_point(|r| r.0 <= first);
        self.ranges.get(next).is_some_and(|r| r.0 <= last)
    }

    /// Whether `other` is a subset of `self`.
    pub fn is_superset(&self, other: &Self) -> bool {
        other.difference(self).is_empty()
    }

    /// Index of the last interval starting at or before `addr`.
    fn index_at_or_before(&self, addr: A) -> Option<usize> {
        self.ranges.partition_point(|r| r.0 <= addr).checked_sub(1)
    }

    /// The minimal list of aligned blocks covering the set, ascending, as `(first, len)`
    /// where `len` is the prefix length.
    pub fn to_blocks(&self) -> Vec<(A, u8)> {
        let mut out = Vec::with_capacity(self.ranges.len());
        for &(start, end) in &self.ranges {
            push_blocks::<A>(start.to_u128(), end.to_u128(), &mut out);
        }
        out
    }
}

/// Appends the greedy (and minimal) aligned decomposition of `[start, end]`.
pub(crate) fn push_blocks<A: Bits>(start: u128, end: u128, out: &mut Vec<(A, u8)>) {
    for_each_block(u32::from(A::BITS), start, end, |first, len| {
        out.push((A::from_u128(first), len));
    });
}

/// Calls `emit(first, len)` for each block of the greedy (and minimal) aligned
/// decomposition of `[start, end]` in a `width`-bit address space, lowest first.
pub(crate) fn for_each_block(width: u32, start: u128, end: u128, mut emit: impl FnMut(u128, u8)) {
    let mut cur = start;
    loop {
        // Largest block aligned at `cur`...
        let align = if cur == 0 {
            width
        } else {
            cur.trailing_zeros().min(width)
        };
        // ...that does not pass `end`: span = end - cur + 1 may be 2^128.
        let span_minus_one = end - cur;
        let fit = if span_minus_one == u128::MAX {
            128
        } else {
            127 - (span_minus_one + 1).leading_zeros()
        };
        let host_bits = align.min(fit).min(width);
        emit(cur, (width - host_bits) as u8);
        let block_last = if host_bits >= 128 {
            u128::MAX
        } else {
            cur + ((1u128 << host_bits) - 1)
        };
        if block_last >= end {
            break;
        }
        cur = block_last + 1;
    }
}

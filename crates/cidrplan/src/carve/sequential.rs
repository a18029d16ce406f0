//! Terraform `cidrsubnets` placement: each request starts after the previous one.

use alloc::vec::Vec;

/// A cursor that walks the pools in order and never goes back to fill a gap.
///
/// Terraform's `cidrsubnets` places each subnet at the first address after the previous
/// one, aligned up to the subnet's own size; cidrplan does the same and additionally skips
/// over blocked (reserved or pinned) ranges instead of overlapping them.
pub(crate) struct SequentialCursor<'a> {
    bits: u8,
    pools: &'a [(u128, u128)],
    blocked: &'a [(u128, u128)],
    pool_index: usize,
    cursor: u128,
    /// Free addresses jumped over by alignment, as ranges (blocked parts removed later).
    pub(crate) gaps: Vec<(u128, u128)>,
}

impl<'a> SequentialCursor<'a> {
    /// `pools` in the caller's order; `blocked` sorted, disjoint.
    pub(crate) fn new(bits: u8, pools: &'a [(u128, u128)], blocked: &'a [(u128, u128)]) -> Self {
        SequentialCursor {
            bits,
            pools,
            blocked,
            pool_index: 0,
            cursor: pools.first().map_or(0, |p| p.0),
            gaps: Vec::new(),
        }
    }

    /// Places a `/len` and returns its first address, or `None` when no pool has room
    /// after the cursor.
    pub(crate) fn place(&mut self, len: u8) -> Option<u128> {
        let host_bits = u32::from(self.bits - len);
        let mask = if host_bits >= 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        };
        while let Some(&(pool_first, pool_last)) = self.pools.get(self.pool_index) {
            let start = self.cursor.max(pool_first);
            let candidate = match align_up(start, mask) {
                Some(c) => c,
                None => {
                    self.next_pool();
                    continue;
                }
            };
            let candidate_last = candidate | mask;
            if candidate < pool_first || candidate_last > pool_last {
                self.next_pool();
                continue;
            }
            if let Some(block_last) = self.first_blocked_in(candidate, candidate_last) {
                match block_last.checked_add(1) {
                    Some(next) if next <= pool_last => self.cursor = next,
                    _ => self.next_pool(),
                }
                continue;
            }
            if candidate > start {
                self.gaps.push((start, candidate - 1));
            }
            self.cursor = candidate_last.wrapping_add(1);
            if candidate_last == pool_last {
                // The pool is full; the next request starts in the next pool.
                self.next_pool();
            }
            return Some(candidate);
        }
        None
    }

    /// Where the cursor stands: `(pool index, address)`.
    pub(crate) fn position(&self) -> (usize, u128) {
        (self.pool_index, self.cursor)
    }

    /// The ranges ahead of `position`: the rest of its pool, then every later pool.
    pub(crate) fn reachable_from(&self, position: (usize, u128)) -> Vec<(u128, u128)> {
        let (pool_index, cursor) = position;
        let ahead = self.pools.get(pool_index..).unwrap_or_default();
        ahead
            .iter()
            .enumerate()
            .filter_map(|(k, &(first, last))| {
                let start = if k == 0 { cursor.max(first) } else { first };
                (start <= last).then_some((start, last))
            })
            .collect()
    }

    fn next_pool(&mut self) {
        self.pool_index += 1;
        if let Some(&(first, _)) = self.pools.get(self.pool_index) {
            self.cursor = first;
        }
    }

    /// Last address of the highest blocked range overlapping `[first, last]`, if any.
    fn first_blocked_in(&self, first: u128, last: u128) -> Option<u128> {
        // Blocked ranges are disjoint and sorted: those overlapping form a contiguous run.
        let start = self.blocked.partition_point(|b| b.1 < first);
        let end = self.blocked.partition_point(|b| b.0 <= last);
        if start < end {
            Some(self.blocked[end - 1].1)
        } else {
            None
        }
    }
}

fn align_up(value: u128, mask: u128) -> Option<u128> {
    if value & mask == 0 {
        Some(value)
    } else {
        (value | mask).checked_add(1)
    }
}

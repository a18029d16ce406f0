//! Free space as maximal aligned blocks, indexed by prefix length.

use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use core::cmp::Reverse;

/// Free space of one family as a partition into maximal aligned blocks.
///
/// Blocks are kept per prefix length so first-fit and best-fit each cost at most one
/// look at the lowest block of each length (≤ 129), whatever the amount of free space.
/// Blocks are only ever taken lowest-first within a length, so each length is a min-heap
/// (O(1) to look at the lowest, O(log n) to take it or add a buddy).
/// Invariant: every aligned block of free space inside one pool lies inside exactly one
/// stored block, because a stored block's parent is never entirely free inside one pool (it
/// was split to serve an allocation, or it reaches outside the free space or across a pool
/// boundary).
pub(crate) struct FreeBlocks {
    bits: u8,
    by_len: Vec<BinaryHeap<Reverse<u128>>>,
}

impl FreeBlocks {
    /// Indexes blocks given as `(first, len)`, each maximal and aligned.
    pub(crate) fn new(bits: u8, blocks: impl IntoIterator<Item = (u128, u8)>) -> Self {
        let mut by_len: Vec<BinaryHeap<Reverse<u128>>> =
            (0..=bits).map(|_| BinaryHeap::new()).collect();
        for (first, len) in blocks {
            by_len[usize::from(len)].push(Reverse(first));
        }
        FreeBlocks { bits, by_len }
    }

    /// Lowest-addressed free block with room for a `/len`: `(first, block_len)`.
    pub(crate) fn lowest_fit(&self, len: u8) -> Option<(u128, u8)> {
        (0..=len)
            .filter_map(|l| {
                self.by_len[usize::from(l)]
                    .peek()
                    .map(|&Reverse(first)| (first, l))
            })
            .min()
    }

    /// Smallest free block with room for a `/len`, lowest address among equals.
    pub(crate) fn smallest_fit(&self, len: u8) -> Option<(u128, u8)> {
        (0..=len).rev().find_map(|l| {
            self.by_len[usize::from(l)]
                .peek()
                .map(|&Reverse(first)| (first, l))
        })
    }

    /// The largest free block, lowest address among equals.
    pub(crate) fn largest(&self) -> Option<(u128, u8)> {
        self.smallest_fit_from_top()
    }

    fn smallest_fit_from_top(&self) -> Option<(u128, u8)> {
        (0..=self.bits).find_map(|l| {
            self.by_len[usize::from(l)]
                .peek()
                .map(|&Reverse(first)| (first, l))
        })
    }

    /// Takes a `/len` at the start of the free block `(first, block_len)`, the lowest free
    /// block of its length (as the lookups above return); the rest of the block goes back
    /// as one buddy per level between the two lengths.
    pub(crate) fn take(&mut self, first: u128, block_len: u8, len: u8) {
        let taken = self.by_len[usize::from(block_len)].pop();
        debug_assert_eq!(taken, Some(Reverse(first)));
        for level in (block_len + 1)..=len {
            let size_shift = u32::from(self.bits - level);
            // level > block_len >= 0, so the shift is below 128.
            let buddy = first + (1u128 << size_shift);
            self.by_len[usize::from(level)].push(Reverse(buddy));
        }
    }
}

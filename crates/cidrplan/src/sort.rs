//! Compact sorting: a handful of sorts the whole crate shares.
//!
//! Every call of `sort*` over a new element type or key closure compiles a whole new copy
//! of the standard library's sort (several kilobytes of WebAssembly each). Instead:
//!
//! - hot paths (address sets, overlaps, carving: up to millions of elements) pack their
//!   keys into primitives and use [`sort_u64`] or [`sort_u128_pairs`];
//! - cold paths (the Kubernetes layer: small inputs, or one pass over the allocations)
//!   use [`sort_by`] / [`sort_by_key`], which sort a list of positions with one type-erased
//!   comparator through a single stable sort, then apply the permutation in place.

use alloc::vec::Vec;
use core::cmp::Ordering;

/// Sorts integers ascending.
#[inline(never)]
pub(crate) fn sort_u64(keys: &mut [u64]) {
    crate::radix::sort_u64(keys);
}

/// Sorts pairs of integers ascending, by the first then the second.
#[inline(never)]
pub(crate) fn sort_u128_pairs(keys: &mut [(u128, u128)]) {
    keys.sort_unstable();
}

/// Stable sort by a comparator: equal elements keep their order.
pub(crate) fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order = positions_sorted(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(&mut order, &mut |a, b| items.swap(a, b));
}

/// Sorts positions ascending (small lists: one shared comparator for all of them).
pub(crate) fn sort_usizes(items: &mut [usize]) {
    sort_by(items, |a, b| a.cmp(b));
}

/// Stable sort by a key: equal keys keep their order.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// For each position `i < n`, the first position holding an element equal to the one at
/// `i` (`i` itself for a first occurrence).
pub(crate) fn first_equal(
    n: usize,
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) -> Vec<usize> {
    let order = positions_sorted(n, compare);
    let mut first: Vec<usize> = (0..n).collect();
    // Stable: within a run of equal elements positions ascend, so the run's head is the
    // first occurrence.
    let mut head = 0;
    for k in 1..order.len() {
        if compare(order[head], order[k]) == Ordering::Equal {
            first[order[k]] = order[head];
        } else {
            head = k;
        }
    }
    first
}

/// Positions `0..n` stably sorted by `compare`.
#[inline(never)]
fn positions_sorted(n: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges a sequence so that position `k` receives the element that was at `order[k]`,
/// one cycle at a time, through `swap`. Consumes `order`.
#[inline(never)]
fn permute(order: &mut [usize], swap: &mut dyn FnMut(usize, usize)) {
    for start in 0..order.len() {
        let mut at = start;
        // `order[at] == at` marks a position already final.
        loop {
            let from = order[at];
            order[at] = at;
            if from == start || from == at {
                break;
            }
            swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn sort_by_is_stable_and_applies_the_permutation() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e'), (2, 'f')];
        let mut expected = v.clone();
        expected.sort_by_key(|p| p.0);
        sort_by_key(&mut v, |p| p.0);
        assert_eq!(v, expected);
    }

    #[test]
    fn sort_by_matches_std_on_many_shapes() {
        let mut seed = 7u64;
        for n in 0..200usize {
            let mut v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|p| core::cmp::Reverse(p.0));
            sort_by(&mut v, |a, b| b.0.cmp(&a.0));
            assert_eq!(v, expected);
            let first = first_equal(n, &mut |a, b| v[a].0.cmp(&v[b].0));
            for (i, &f) in first.iter().enumerate() {
                let want = (0..n).find(|&j| v[j].0 == v[i].0).unwrap();
                assert_eq!(f, want);
            }
        }
    }
}

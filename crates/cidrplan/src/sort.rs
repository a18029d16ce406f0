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
    merge_sort(keys, &mut |a, b| a < b);
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
    merge_sort(&mut order, &mut |&a, &b| compare(a, b) == Ordering::Less);
    order
}

/// Runs this long are sorted by insertion before merging starts.
const RUN: usize = 16;

/// Stable bottom-up merge sort: runs of [`RUN`] sorted by insertion, then merged pairwise,
/// back and forth between `items` and one scratch copy. Its two copies (address pairs and
/// positions) take about a kilobyte of WebAssembly, where the standard library's sorts take
/// several each; it stays O(n log n) on any input and linear on sorted input, the common
/// case for address lists.
fn merge_sort<T: Copy>(items: &mut [T], less: &mut impl FnMut(&T, &T) -> bool) {
    let n = items.len();
    for run in items.chunks_mut(RUN) {
        for i in 1..run.len() {
            let item = run[i];
            let mut j = i;
            while j > 0 && less(&item, &run[j - 1]) {
                run[j] = run[j - 1];
                j -= 1;
            }
            run[j] = item;
        }
    }
    if n <= RUN {
        return;
    }
    let mut scratch: Vec<T> = items.to_vec();
    let mut sorted_in_scratch = false;
    let mut width = RUN;
    while width < n {
        let (from, to): (&[T], &mut [T]) = if sorted_in_scratch {
            (&scratch, items)
        } else {
            (items, &mut scratch)
        };
        let mut start = 0;
        while start < n {
            let mid = n.min(start + width);
            let end = n.min(start + 2 * width);
            merge(
                &from[start..mid],
                &from[mid..end],
                &mut to[start..end],
                less,
            );
            start = end;
        }
        sorted_in_scratch = !sorted_in_scratch;
        width *= 2;
    }
    if sorted_in_scratch {
        items.copy_from_slice(&scratch);
    }
}

/// Merges two sorted runs into `out` (as long as both); on ties the left run's item first.
fn merge<T: Copy>(left: &[T], right: &[T], out: &mut [T], less: &mut impl FnMut(&T, &T) -> bool) {
    // Runs already in order (sorted input) are copied whole.
    if let (Some(last), Some(first)) = (left.last(), right.first()) {
        if !less(first, last) {
            out[..left.len()].copy_from_slice(left);
            out[left.len()..].copy_from_slice(right);
            return;
        }
    }
    let (mut i, mut j) = (0, 0);
    for slot in out.iter_mut() {
        let take_right = i == left.len() || (j < right.len() && less(&right[j], &left[i]));
        if take_right {
            *slot = right[j];
            j += 1;
        } else {
            *slot = left[i];
            i += 1;
        }
    }
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
    fn merge_sort_matches_std_on_pairs_of_every_shape() {
        let mut seed = 11u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed >> 33
        };
        for n in [0usize, 1, 2, 15, 16, 17, 31, 32, 33, 100, 257, 1000, 4099] {
            for shape in 0..4 {
                let mut v: Vec<(u128, u128)> = (0..n)
                    .map(|i| match shape {
                        0 => (u128::from(next() % 8), u128::from(next() % 4)),
                        1 => (i as u128, u128::from(next())),
                        2 => ((n - i) as u128, 0),
                        _ => (u128::from(next()) << 64, u128::MAX - u128::from(next())),
                    })
                    .collect();
                let mut expected = v.clone();
                expected.sort_unstable();
                sort_u128_pairs(&mut v);
                assert_eq!(v, expected, "n = {n}, shape {shape}");
            }
        }
    }

    #[test]
    fn sort_by_matches_std_on_many_shapes() {
        let mut seed = 7u64;
        for n in (0..200usize).chain([511, 1500]) {
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

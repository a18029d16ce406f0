//! Sorting helpers: the first occurrence of each element among equals.
//!
//! Sorts themselves are the standard library's (`sort`, `sort_by`, `sort_unstable`), except
//! for large lists of packed 64-bit keys, which go through the radix sort of
//! [`crate::radix`] because a benchmark shows it pays (see that module).

use alloc::vec::Vec;
use core::cmp::Ordering;

/// For each position `i < n`, the first position holding an element equal to the one at
/// `i` (`i` itself for a first occurrence).
pub(crate) fn first_equal(
    n: usize,
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| compare(a, b));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_equal_names_the_first_occurrence() {
        let mut seed = 7u64;
        for n in (0..200usize).chain([511, 1500]) {
            let v: Vec<u8> = (0..n)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 60) as u8
                })
                .collect();
            let first = first_equal(n, &mut |a, b| v[a].cmp(&v[b]));
            for (i, &f) in first.iter().enumerate() {
                let want = (0..n).find(|&j| v[j] == v[i]).unwrap();
                assert_eq!(f, want);
            }
        }
    }
}

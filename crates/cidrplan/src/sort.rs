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

/// [`first_equal`] for strings, where equal means the same text: positions are grouped by
/// a hash of their text first, so only strings of one hash are compared (10^6 distinct
/// allocation names cost one integer sort, not 20 million string comparisons).
pub(crate) fn first_equal_str<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
    let names: Vec<&str> = names.into_iter().collect();
    let mut keys: Vec<(u64, usize)> = names
        .iter()
        .enumerate()
        .map(|(i, s)| (fnv1a(s.as_bytes()), i))
        .collect();
    keys.sort_unstable();
    let mut first: Vec<usize> = (0..names.len()).collect();
    let mut start = 0;
    while start < keys.len() {
        let hash = keys[start].0;
        let end = start + keys[start..].partition_point(|k| k.0 == hash);
        if end - start > 1 {
            // Positions ascend within the group, and the sort is stable: each run of equal
            // strings starts at its first occurrence.
            let mut group: Vec<usize> = keys[start..end].iter().map(|k| k.1).collect();
            group.sort_by(|&a, &b| names[a].cmp(names[b]));
            let mut head = 0;
            for k in 1..group.len() {
                if names[group[head]] == names[group[k]] {
                    first[group[k]] = group[head];
                } else {
                    head = k;
                }
            }
        }
        start = end;
    }
    first
}

/// The 64-bit FNV-1a hash of `bytes`.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for &b in bytes {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_equal_str_is_first_equal() {
        let mut seed = 11u64;
        for n in (0..100usize).chain([700, 2000]) {
            let v: Vec<alloc::string::String> = (0..n)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // Short names over a small alphabet: many repeats, some empty.
                    let len = (seed >> 62) as usize;
                    (0..len)
                        .map(|k| char::from(b'a' + ((seed >> (20 + 4 * k)) & 3) as u8))
                        .collect()
                })
                .collect();
            let want = first_equal(n, &mut |a, b| v[a].cmp(&v[b]));
            assert_eq!(first_equal_str(v.iter().map(|s| s.as_str())), want);
        }
    }

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

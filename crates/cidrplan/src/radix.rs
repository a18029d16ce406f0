//! Radix sort of 64-bit keys: the sort behind every large address list.
//!
//! Address sets, the overlap sweep and aggregation sort up to millions of packed keys.
//! A least-significant-digit radix sort does that in a fixed number of linear passes, with
//! no comparison closure: it is several times faster than a comparison sort in
//! WebAssembly built for size (where the comparator is not inlined) and faster natively
//! too. Passes whose byte is the same in every key (the `10.` of a `10.0.0.0/8` plan)
//! are skipped.

use alloc::vec;

/// Below this many keys an insertion sort is quicker than counting.
const SMALL: usize = 32;

/// Sorts `keys` ascending.
pub(crate) fn sort_u64(keys: &mut [u64]) {
    if keys.len() <= SMALL {
        insertion_sort(keys);
        return;
    }
    // One pass counts every byte position at once.
    let mut counts = vec![[0usize; 256]; 8];
    for &key in keys.iter() {
        for (byte, count) in counts.iter_mut().enumerate() {
            count[(key >> (8 * byte)) as usize & 0xff] += 1;
        }
    }
    let mut scratch = vec![0u64; keys.len()];
    let mut sorted_in_scratch = false;
    for (byte, count) in counts.iter_mut().enumerate() {
        if count.contains(&keys.len()) {
            continue; // every key has the same byte here: the pass would not move anything
        }
        let mut next = 0;
        for slot in count.iter_mut() {
            let here = *slot;
            *slot = next;
            next += here;
        }
        let shift = 8 * byte;
        let (from, to): (&[u64], &mut [u64]) = if sorted_in_scratch {
            (&scratch, keys)
        } else {
            (keys, &mut scratch)
        };
        for &key in from {
            let digit = (key >> shift) as usize & 0xff;
            to[count[digit]] = key;
            count[digit] += 1;
        }
        sorted_in_scratch = !sorted_in_scratch;
    }
    if sorted_in_scratch {
        keys.copy_from_slice(&scratch);
    }
}

fn insertion_sort(keys: &mut [u64]) {
    for i in 1..keys.len() {
        let key = keys[i];
        let mut j = i;
        while j > 0 && keys[j - 1] > key {
            keys[j] = keys[j - 1];
            j -= 1;
        }
        keys[j] = key;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn sorts_like_the_standard_sort() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for n in [0, 1, 2, 31, 32, 33, 100, 1000, 5000] {
            for mask in [u64::MAX, 0xff, 0xff00_0000_00ff, 0x0a00_0000_ffff_ffff, 0] {
                let mut keys: Vec<u64> = (0..n).map(|_| next() & mask).collect();
                let mut expected = keys.clone();
                expected.sort_unstable();
                sort_u64(&mut keys);
                assert_eq!(keys, expected, "n={n} mask={mask:#x}");
            }
        }
    }
}

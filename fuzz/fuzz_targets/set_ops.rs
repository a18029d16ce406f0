//! Set operations against a brute-force model: prefixes live in a 256-address window of
//! each family, where the model enumerates every address; the engine never enumerates.
#![no_main]

use cidrplan::{
    aggregate, exclude, overlaps, AddrSet, Family, NamedPrefix, OverlapOptions, Prefix, Relation,
};
use cidrplan_fuzz::{check_error, window_base, window_prefix, Bytes};
use libfuzzer_sys::fuzz_target;

const FAMILIES: [Family; 2] = [Family::V4, Family::V6];

/// One bit per address of both windows: IPv4 at 0..256, IPv6 at 256..512.
type Model = [bool; 512];

fn slot(family: Family) -> usize {
    match family {
        Family::V4 => 0,
        Family::V6 => 256,
    }
}

fn model_of(prefixes: &[Prefix]) -> Model {
    let mut m = [false; 512];
    for p in prefixes {
        let base = window_base(p.family());
        for a in p.first()..=p.last() {
            m[slot(p.family()) + (a - base) as usize] = true;
        }
    }
    m
}

/// The unique minimal CIDR cover, by recursive halving of each window.
fn cover(m: &Model, family: Family, offset: usize, host_bits: u8, out: &mut Vec<Prefix>) {
    let size = 1usize << host_bits;
    let cells = &m[slot(family) + offset..slot(family) + offset + size];
    let inside = cells.iter().filter(|&&b| b).count();
    if inside == 0 {
        return;
    }
    if inside == size {
        let first = window_base(family) + offset as u128;
        out.push(Prefix::new(family, first, family.bits() - host_bits).unwrap());
        return;
    }
    cover(m, family, offset, host_bits - 1, out);
    cover(m, family, offset + size / 2, host_bits - 1, out);
}

fn minimal(m: &Model) -> Vec<Prefix> {
    let mut out = Vec::new();
    for family in FAMILIES {
        cover(m, family, 0, 8, &mut out);
    }
    out
}

fn list(bytes: &mut Bytes<'_>, max: u8) -> Vec<Prefix> {
    let n = bytes.below(max);
    (0..n)
        .map(|_| {
            let family = FAMILIES[usize::from(bytes.u8() & 1)];
            window_prefix(bytes, family)
        })
        .collect()
}

fn count_in(m: &Model, family: Family) -> u128 {
    m[slot(family)..slot(family) + 256]
        .iter()
        .filter(|&&b| b)
        .count() as u128
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes::new(data);
    let a = list(&mut bytes, 24);
    let b = list(&mut bytes, 24);
    let (ma, mb) = (model_of(&a), model_of(&b));

    // aggregate: the minimal cover of the union, already aggregated when fed back.
    let agg = aggregate(&a);
    assert_eq!(agg, minimal(&ma), "aggregate {a:?}");
    assert_eq!(aggregate(&agg), agg);

    // AddrSet algebra, cell by cell.
    let (sa, sb) = (AddrSet::from_prefixes(&a), AddrSet::from_prefixes(&b));
    let combine = |f: fn(bool, bool) -> bool| -> Model {
        let mut m = [false; 512];
        for i in 0..512 {
            m[i] = f(ma[i], mb[i]);
        }
        m
    };
    let union = combine(|x, y| x || y);
    let inter = combine(|x, y| x && y);
    let diff = combine(|x, y| x && !y);
    assert_eq!(sa.union(&sb).to_prefixes(), minimal(&union));
    assert_eq!(sa.intersection(&sb).to_prefixes(), minimal(&inter));
    assert_eq!(sa.difference(&sb).to_prefixes(), minimal(&diff));
    for family in FAMILIES {
        assert_eq!(sa.count(family).to_u128(), Some(count_in(&ma, family)));
    }
    for p in &b {
        let cells = &ma[slot(p.family())..slot(p.family()) + 256];
        let base = window_base(p.family());
        let range = (p.first() - base) as usize..=(p.last() - base) as usize;
        let all = cells[range.clone()].iter().all(|&x| x);
        let any = cells[range].iter().any(|&x| x);
        assert_eq!(sa.contains_prefix(p), all, "contains {p}");
        assert_eq!(sa.overlaps_prefix(p), any, "overlaps {p}");
        let largest = sa.largest_block_within(p);
        match largest {
            None => assert!(!any),
            Some(block) => {
                assert!(p.contains(&block) && sa.contains_prefix(&block));
                let model_best = minimal(&combine_with(&ma, p))
                    .into_iter()
                    .min_by_key(|q| (q.len(), q.first()));
                assert_eq!(Some(block), model_best, "largest block of {a:?} in {p}");
            }
        }
    }

    // exclude: parent minus used, or mixed_families.
    if let Some(&parent) = b.first() {
        match exclude(parent, &a) {
            Ok(free) => {
                assert!(a.iter().all(|u| u.family() == parent.family()));
                let mut m = model_of(&[parent]);
                for (cell, used) in m.iter_mut().zip(ma.iter()) {
                    *cell = *cell && !used;
                }
                assert_eq!(free, minimal(&m), "exclude {a:?} from {parent}");
            }
            Err(e) => {
                check_error(&e);
                assert_eq!(e.code(), "mixed_families");
                assert!(a.iter().any(|u| u.family() != parent.family()));
            }
        }
    }

    // overlaps: every pair counted, at most max_listed listed, relations right.
    let items: Vec<NamedPrefix> = a
        .iter()
        .enumerate()
        .map(|(i, p)| NamedPrefix::new(format!("n{i}"), *p))
        .collect();
    let max_listed = usize::from(bytes.u8() % 64);
    let report = overlaps(
        &items,
        &OverlapOptions {
            max_listed,
            ..OverlapOptions::default()
        },
    );
    let mut expected = Vec::new();
    for i in 0..a.len() {
        for j in i + 1..a.len() {
            let (x, y) = (a[i], a[j]);
            if x.overlaps(&y) {
                let relation = if x == y {
                    Relation::Equal
                } else if x.contains(&y) {
                    Relation::Contains
                } else {
                    Relation::Within
                };
                expected.push((i, j, relation));
            }
        }
    }
    assert_eq!(
        report.total,
        expected.len() as u64,
        "overlap count of {a:?}"
    );
    assert_eq!(report.truncated, expected.len() > max_listed);
    assert_eq!(report.overlaps.len(), expected.len().min(max_listed));
    for o in &report.overlaps {
        assert!(expected.contains(&(o.a, o.b, o.relation)), "{o:?} in {a:?}");
    }
});

/// The model of `m` restricted to `p`.
fn combine_with(m: &Model, p: &Prefix) -> Model {
    let mut out = model_of(&[*p]);
    for (cell, inside) in out.iter_mut().zip(m.iter()) {
        *cell = *cell && *inside;
    }
    out
}

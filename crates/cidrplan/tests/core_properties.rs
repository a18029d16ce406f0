//! Property tests of the CIDR engine against brute-force models.
//!
//! The models enumerate addresses, so inputs live in a small window (a /24 of IPv4 or a
//! /120 of IPv6, 256 addresses) where enumeration is cheap; the engine never enumerates.

use std::collections::BTreeSet;

use cidrplan::{
    aggregate, carve, exclude, overlaps, CarveInput, CarveRequest, Family, NamedPrefix,
    OverlapOptions, Prefix, Relation, RequestSize, Strategy as Placement,
};
use proptest::prelude::*;

const V4_BASE: u128 = 0x0A00_0000; // 10.0.0.0
const V6_BASE: u128 = 0x2001_0db8 << 96; // 2001:db8::

fn base(family: Family) -> u128 {
    match family {
        Family::V4 => V4_BASE,
        Family::V6 => V6_BASE,
    }
}

/// A prefix inside the 256-address window of `family`.
fn window_prefix(family: Family) -> impl Strategy<Value = Prefix> {
    (0u8..=8, any::<u8>()).prop_map(move |(host_bits, offset)| {
        let len = family.bits() - host_bits;
        let aligned = u128::from(offset) & !((1u128 << host_bits) - 1);
        Prefix::new(family, base(family) + aligned, len).unwrap()
    })
}

fn family() -> impl Strategy<Value = Family> {
    prop_oneof![Just(Family::V4), Just(Family::V6)]
}

fn addresses(prefixes: &[Prefix]) -> BTreeSet<(Family, u128)> {
    let mut set = BTreeSet::new();
    for p in prefixes {
        for a in p.first()..=p.last() {
            set.insert((p.family(), a));
        }
    }
    set
}

/// The unique minimal CIDR cover of a set, by recursive halving of each family's window.
fn model_cover(
    set: &BTreeSet<(Family, u128)>,
    family: Family,
    first: u128,
    host_bits: u8,
    out: &mut Vec<Prefix>,
) {
    let last = first + (1u128 << host_bits) - 1;
    let inside = set.range((family, first)..=(family, last)).count() as u128;
    if inside == 0 {
        return;
    }
    if inside == last - first + 1 {
        out.push(Prefix::new(family, first, family.bits() - host_bits).unwrap());
        return;
    }
    let half = 1u128 << (host_bits - 1);
    model_cover(set, family, first, host_bits - 1, out);
    model_cover(set, family, first + half, host_bits - 1, out);
}

fn model_minimal(set: &BTreeSet<(Family, u128)>) -> Vec<Prefix> {
    let mut out = Vec::new();
    for family in [Family::V4, Family::V6] {
        model_cover(set, family, base(family), 8, &mut out);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn aggregate_equals_the_minimal_cover_of_the_union(
        v4 in prop::collection::vec(window_prefix(Family::V4), 0..12),
        v6 in prop::collection::vec(window_prefix(Family::V6), 0..12),
    ) {
        let mut all = v6.clone();
        all.extend(v4);
        let expected = model_minimal(&addresses(&all));
        prop_assert_eq!(aggregate(&all), expected);
    }

    #[test]
    fn exclude_equals_parent_minus_used(
        fam in family(),
        parent_bits in 0u8..=8,
        used in prop::collection::vec((0u8..=8, any::<u8>()), 0..10),
    ) {
        let parent = Prefix::new(fam, base(fam), fam.bits() - parent_bits).unwrap();
        let used: Vec<Prefix> = used
            .into_iter()
            .map(|(hb, off)| Prefix::new(fam, base(fam) + (u128::from(off) & !((1u128 << hb) - 1)), fam.bits() - hb).unwrap())
            .collect();
        let parent_set = addresses(&[parent]);
        let used_set = addresses(&used);
        let free: BTreeSet<_> = parent_set.difference(&used_set).copied().collect();
        let got = exclude(parent, &used).unwrap();
        prop_assert_eq!(&got, &model_minimal(&free));
        prop_assert!(got.windows(2).all(|w| w[0] < w[1]), "ascending");
    }

    #[test]
    fn overlap_report_equals_the_pairwise_check(
        prefixes in prop::collection::vec(prop_oneof![window_prefix(Family::V4), window_prefix(Family::V6)], 0..24),
    ) {
        let items: Vec<NamedPrefix> = prefixes.iter().enumerate().map(|(i, p)| NamedPrefix::new(format!("n{i}"), *p)).collect();
        // Sweep order: by the contained prefix (then input position), containers outermost first.
        let key = |i: usize| (items[i].prefix, i);
        let mut found = Vec::new();
        for a in 0..items.len() {
            for b in a + 1..items.len() {
                let (pa, pb) = (items[a].prefix, items[b].prefix);
                let shared = addresses(&[pa]).intersection(&addresses(&[pb])).count() > 0;
                if shared {
                    let relation = if pa == pb { Relation::Equal } else if pa.contains(&pb) { Relation::Contains } else { Relation::Within };
                    let (outer, inner) = if key(a) < key(b) { (a, b) } else { (b, a) };
                    found.push(((key(inner), key(outer)), (a, b, relation)));
                }
            }
        }
        found.sort();
        let expected: Vec<_> = found.into_iter().map(|(_, pair)| pair).collect();
        let report = overlaps(&items, &OverlapOptions::default());
        let got: Vec<_> = report.overlaps.iter().map(|o| (o.a, o.b, o.relation)).collect();
        prop_assert_eq!(report.total as usize, expected.len());
        prop_assert!(!report.truncated);
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn truncated_reports_count_every_pair(copies in 1usize..40, max_listed in 0usize..10) {
        let p: Prefix = "10.0.0.0/8".parse().unwrap();
        let items: Vec<NamedPrefix> = (0..copies).map(|i| NamedPrefix::new(format!("n{i}"), p)).collect();
        let report = overlaps(&items, &OverlapOptions { max_listed, ..OverlapOptions::default() });
        let pairs = (copies * (copies - 1) / 2) as u64;
        prop_assert_eq!(report.total, pairs);
        prop_assert_eq!(report.overlaps.len() as u64, pairs.min(max_listed as u64));
        prop_assert_eq!(report.truncated, pairs > max_listed as u64);
    }
}

/// Free addresses of a carve problem relative to the window base: the index of the pool
/// each free address belongs to (an allocation must lie inside one pool), `None` if taken.
fn free_map(fam: Family, pools: &[Prefix], reserved: &[Prefix]) -> [Option<usize>; 256] {
    let mut map = [None; 256];
    for (index, pool) in pools.iter().enumerate() {
        for a in addresses(&[*pool]) {
            map[(a.1 - base(fam)) as usize] = Some(index);
        }
    }
    for a in addresses(reserved) {
        map[(a.1 - base(fam)) as usize] = None;
    }
    map
}

/// Whether the `size` addresses from `start` are free and inside a single pool.
fn fits(free: &[Option<usize>; 256], start: usize, size: usize) -> bool {
    let block = &free[start..start + size];
    block[0].is_some() && block.iter().all(|&pool| pool == block[0])
}

/// Whether the blocks (host bits) can all be placed, aligned and disjoint, in `free`.
fn packing_exists(free: &mut [Option<usize>; 256], sizes: &[u8]) -> bool {
    let Some((&first, rest)) = sizes.split_first() else {
        return true;
    };
    let size = 1usize << first;
    for start in (0..256).step_by(size) {
        if fits(free, start, size) {
            let pool = free[start];
            free[start..start + size].iter_mut().for_each(|f| *f = None);
            let ok = packing_exists(free, rest);
            free[start..start + size].iter_mut().for_each(|f| *f = pool);
            if ok {
                return true;
            }
        }
    }
    false
}

fn carve_problem() -> impl Strategy<Value = (Family, Vec<Prefix>, Vec<Prefix>, Vec<u8>)> {
    family().prop_flat_map(|fam| {
        (
            Just(fam),
            prop_oneof![
                prop::collection::vec(window_prefix(fam), 1..3).prop_map(|pools| {
                    // Overlapping pools are rejected; keep the first of each nested pair.
                    let mut disjoint: Vec<Prefix> = Vec::new();
                    for p in pools {
                        if disjoint.iter().all(|q| !q.overlaps(&p)) {
                            disjoint.push(p);
                        }
                    }
                    disjoint
                }),
                // Two touching pools: the halves of one block, in either order. Their
                // union is a block, yet nothing may be placed across the two.
                (
                    window_prefix(fam).prop_filter("splits", |p| p.host_bits() >= 1),
                    any::<bool>()
                )
                    .prop_map(move |(whole, swap)| {
                        let half = 1u128 << (whole.host_bits() - 1);
                        let low = Prefix::new(fam, whole.first(), whole.len() + 1).unwrap();
                        let high = Prefix::new(fam, whole.first() + half, whole.len() + 1).unwrap();
                        if swap {
                            vec![high, low]
                        } else {
                            vec![low, high]
                        }
                    }),
                // Three touching pools of unequal sizes: a half and the two quarters of the
                // other half, in either order.
                (
                    window_prefix(fam).prop_filter("splits twice", |p| p.host_bits() >= 2),
                    any::<bool>()
                )
                    .prop_map(move |(whole, swap)| {
                        let half = 1u128 << (whole.host_bits() - 1);
                        let quarter = half >> 1;
                        let piece = |offset: u128, len: u8| {
                            Prefix::new(fam, whole.first() + offset, len).unwrap()
                        };
                        let (halves, quarters) = (whole.len() + 1, whole.len() + 2);
                        if swap {
                            vec![
                                piece(0, quarters),
                                piece(quarter, quarters),
                                piece(half, halves),
                            ]
                        } else {
                            vec![
                                piece(half + quarter, quarters),
                                piece(0, halves),
                                piece(half, quarters),
                            ]
                        }
                    }),
            ],
            prop::collection::vec(
                window_prefix(fam).prop_filter("small", move |p| p.host_bits() <= 4),
                0..4,
            ),
            prop::collection::vec(0u8..=5, 1..7),
        )
    })
}

fn run(
    fam: Family,
    pools: &[Prefix],
    reserved: &[Prefix],
    host_bits: &[u8],
    strategy: Placement,
) -> Result<Vec<Prefix>, cidrplan::Error> {
    let requests = host_bits
        .iter()
        .enumerate()
        .map(|(i, hb)| CarveRequest::new(format!("r{i}"), RequestSize::Len(fam.bits() - hb)))
        .collect();
    let result = carve(&CarveInput {
        pools: pools.to_vec(),
        requests,
        reserved: reserved.to_vec(),
        strategy,
    })?;
    Ok(result.allocations.iter().map(|a| a.prefix).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn carved_ranges_are_aligned_inside_disjoint_and_clear_of_reserved(
        (fam, pools, reserved, sizes) in carve_problem(),
        strategy in prop_oneof![Just(Placement::FirstFit), Just(Placement::BestFit), Just(Placement::Sequential)],
    ) {
        let Ok(placed) = run(fam, &pools, &reserved, &sizes, strategy) else { return Ok(()) };
        prop_assert_eq!(placed.len(), sizes.len());
        for (i, p) in placed.iter().enumerate() {
            prop_assert_eq!(p.host_bits(), sizes[i]);
            prop_assert_eq!(p.first() & ((1u128 << p.host_bits()) - 1), 0, "aligned");
            prop_assert!(pools.iter().any(|pool| pool.contains(p)), "{} inside a pool", p);
            prop_assert!(reserved.iter().all(|r| !r.overlaps(p)), "{} clear of reserved", p);
            for q in &placed[i + 1..] {
                prop_assert!(!p.overlaps(q), "{} and {} disjoint", p, q);
            }
        }
    }

    #[test]
    fn best_fit_succeeds_whenever_a_packing_exists((fam, pools, reserved, sizes) in carve_problem()) {
        let mut free = free_map(fam, &pools, &reserved);
        let mut sorted = sizes.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        let possible = packing_exists(&mut free, &sorted);
        let got = run(fam, &pools, &reserved, &sizes, Placement::BestFit);
        prop_assert_eq!(got.is_ok(), possible, "best-fit {:?} vs packing exists {}", got, possible);
        if let Err(e) = got {
            prop_assert_eq!(e.code(), "space_exhausted");
        }
    }

    #[test]
    fn first_fit_takes_the_lowest_free_aligned_block((fam, pools, reserved, sizes) in carve_problem()) {
        let mut free = free_map(fam, &pools, &reserved);
        let mut expected = Vec::new();
        for &hb in &sizes {
            let size = 1usize << hb;
            let spot = (0..256).step_by(size).find(|&s| fits(&free, s, size));
            match spot {
                Some(s) => {
                    free[s..s + size].iter_mut().for_each(|f| *f = None);
                    expected.push(Prefix::new(fam, base(fam) + s as u128, fam.bits() - hb).unwrap());
                }
                None => break,
            }
        }
        match run(fam, &pools, &reserved, &sizes, Placement::FirstFit) {
            Ok(placed) => prop_assert_eq!(placed, expected),
            Err(e) => {
                prop_assert_eq!(e.code(), "space_exhausted");
                prop_assert!(expected.len() < sizes.len());
            }
        }
    }

    #[test]
    fn carving_is_deterministic((fam, pools, reserved, sizes) in carve_problem()) {
        for strategy in Placement::ALL {
            let a = run(fam, &pools, &reserved, &sizes, strategy);
            let b = run(fam, &pools, &reserved, &sizes, strategy);
            prop_assert_eq!(a, b);
        }
    }
}

#[test]
fn overlapping_pools_are_an_error_naming_both() {
    let pools = vec![
        "10.0.0.0/8".parse().unwrap(),
        "10.1.0.0/16".parse().unwrap(),
    ];
    let err = carve(&CarveInput {
        pools,
        requests: vec![CarveRequest::new("a", RequestSize::Len(24))],
        reserved: vec![],
        strategy: Placement::Sequential,
    })
    .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(
        err.to_string().contains("10.0.0.0/8 and 10.1.0.0/16"),
        "{err}"
    );
}

/// An address whose 16-bit groups are often zero, so every "::" placement comes up.
fn sparse_v6() -> impl Strategy<Value = u128> {
    proptest::collection::vec(prop_oneof![Just(0u16), Just(0xffff), any::<u16>()], 8).prop_map(
        |groups| {
            groups
                .iter()
                .fold(0u128, |acc, &g| (acc << 16) | u128::from(g))
        },
    )
}

/// Text shaped like an IPv4 or IPv6 prefix, canonical or nearly so (leading zeros, host
/// bits, odd groupings, missing parts, spaces), to drive the fast readers and the general
/// parser.
fn prefix_like_text() -> impl Strategy<Value = String> {
    let v4_part = prop_oneof![
        (0u16..=300).prop_map(|n| n.to_string()),
        (0u16..=99).prop_map(|n| format!("0{n}")),
        Just(String::new()),
    ];
    let v4 = proptest::collection::vec(v4_part, 1..=5).prop_map(|parts| parts.join("."));
    let v6_part = prop_oneof![
        Just(String::new()),
        Just("0".to_string()),
        Just("ffff".to_string()),
        Just("0DB8".to_string()),
        Just("12345".to_string()),
        Just("1.2.3.4".to_string()),
        any::<u16>().prop_map(|g| format!("{g:x}")),
    ];
    let v6 = proptest::collection::vec(v6_part, 1..=10).prop_map(|parts| parts.join(":"));
    let len = prop_oneof![
        (0u16..=140).prop_map(|n| n.to_string()),
        Just("064".to_string()),
        Just(String::new()),
        Just("+8".to_string()),
    ];
    (
        prop_oneof![v4, v6],
        proptest::option::of(len),
        any::<bool>(),
    )
        .prop_map(|(addr, len, space)| {
            let mut text = addr;
            if let Some(len) = len {
                text.push('/');
                text.push_str(&len);
            }
            if space {
                text.push(' ');
            }
            text
        })
}

/// What the documented rules say `text` parses to: std's address parser, a decimal length
/// no longer than the family's, no host bits set. The engine's fast readers must agree.
fn model_parse(text: &str) -> Option<(u128, u32)> {
    let text = text.trim();
    let (addr, len) = match text.split_once('/') {
        Some((addr, len)) => (addr, Some(len)),
        None => (text, None),
    };
    let (addr, bits) = match addr.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(a) => (u128::from(u32::from(a)), 32u32),
        std::net::IpAddr::V6(a) => (u128::from(a), 128u32),
    };
    let len = match len {
        None => bits,
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            digits.parse::<u32>().ok().filter(|l| *l <= bits)?
        }
        Some(_) => return None,
    };
    let host = u128::MAX.checked_shr(128 - (bits - len)).unwrap_or(0);
    (addr & host == 0).then_some((addr, len))
}

proptest! {
    #[test]
    fn prefix_text_is_std_display(addr in sparse_v6(), v4 in any::<u32>(), len in 0u8..=128) {
        let v6 = Prefix::new(Family::V6, addr & !(u128::MAX.checked_shr(u32::from(len)).unwrap_or(0)), len).unwrap();
        prop_assert_eq!(v6.to_string(), format!("{}/{}", std::net::Ipv6Addr::from(v6.first()), len));
        let len4 = len % 33;
        let v4 = Prefix::new(Family::V4, u128::from(v4 & !(u32::MAX.checked_shr(u32::from(len4)).unwrap_or(0))), len4).unwrap();
        prop_assert_eq!(v4.to_string(), format!("{}/{}", std::net::Ipv4Addr::from(v4.first() as u32), len4));
        prop_assert_eq!(Prefix::parse(&v4.to_string()).unwrap(), v4);
        prop_assert_eq!(Prefix::parse(&v6.to_string()).unwrap(), v6);
    }

    #[test]
    fn parsing_matches_the_address_parser(text in prefix_like_text()) {
        let ours = Prefix::parse(&text).ok().map(|p| (p.first(), u32::from(p.len())));
        prop_assert_eq!(ours, model_parse(&text), "{:?}", text);
    }
}

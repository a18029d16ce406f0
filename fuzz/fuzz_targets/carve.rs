//! Carving: never panics; a result places every request once, at its size, aligned, inside
//! a pool, clear of reserved ranges and of every other allocation; an error has a
//! documented code. Pools range from a /0 down to small blocks, requests down to /128.
#![no_main]

use cidrplan::{carve, CarveInput, CarveRequest, Family, Prefix, RequestSize, Strategy};
use cidrplan_fuzz::{check_error, window_base, Bytes};
use libfuzzer_sys::fuzz_target;

const STRATEGIES: [Strategy; 3] = [Strategy::FirstFit, Strategy::BestFit, Strategy::Sequential];

/// A prefix of `family` near the window (so pools, reserved ranges and pins meet), of any
/// length: short lengths cover the whole family, up to a `/0`.
fn prefix(bytes: &mut Bytes<'_>, family: Family) -> Prefix {
    let len = bytes.u8() % (family.bits() + 1);
    let host_bits = family.bits() - len;
    let offset = u128::from(bytes.u16()) << u32::from(bytes.below(4) * 8);
    let first = (window_base(family) + offset) & family.max_addr();
    let mask = if host_bits >= 128 {
        0
    } else {
        !((1u128 << host_bits) - 1)
    };
    Prefix::new(family, first & mask, len).expect("aligned by construction")
}

/// The other half of `p`'s parent (`None` for a `/0`).
fn buddy(p: &Prefix) -> Option<Prefix> {
    let host_bits = p.host_bits();
    if p.len() == 0 {
        return None;
    }
    Prefix::new(p.family(), p.first() ^ (1u128 << host_bits), p.len()).ok()
}

fn size(bytes: &mut Bytes<'_>, family: Family) -> RequestSize {
    match bytes.below(4) {
        0 => RequestSize::Count(u128::from(bytes.u16())),
        1 => RequestSize::Count(1u128 << (bytes.u8() % 130).min(127)),
        // Longest lengths most often: many tiny requests in big pools.
        2 => RequestSize::Len(family.bits() - bytes.u8() % 8),
        _ => RequestSize::Len(bytes.u8() % (family.bits() + 2)),
    }
}

fn expected_len(size: RequestSize, family: Family) -> Option<u8> {
    match size {
        RequestSize::Len(len) => Some(len),
        RequestSize::Count(0) => None,
        RequestSize::Count(c) => {
            let host_bits = 128 - (c - 1).leading_zeros();
            family.bits().checked_sub(host_bits as u8)
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes::new(data);
    let family = if bytes.u8() & 1 == 0 {
        Family::V4
    } else {
        Family::V6
    };
    let strategy = STRATEGIES[usize::from(bytes.below(3))];
    let mut pools: Vec<Prefix> = Vec::new();
    for _ in 0..1 + bytes.below(3) {
        // Now and then a pool touching the last one, of its size (its buddy) or twice it
        // (its parent's buddy): touching pools must not merge into one.
        let touching = match (pools.last(), bytes.u8() % 8) {
            (Some(last), 0 | 1) => buddy(last),
            (Some(last), 2) => last.parent().as_ref().and_then(buddy),
            _ => None,
        };
        let pool = touching.unwrap_or_else(|| prefix(&mut bytes, family));
        pools.push(pool);
    }
    let reserved: Vec<Prefix> = (0..bytes.below(4))
        .map(|_| prefix(&mut bytes, family))
        .collect();
    let n = bytes.below(24);
    let mut requests = Vec::new();
    for i in 0..n {
        let name = format!("r{i}");
        if bytes.u8() % 8 == 0 {
            requests.push(CarveRequest::pinned(name, prefix(&mut bytes, family)));
        } else {
            requests.push(CarveRequest::new(name, size(&mut bytes, family)));
        }
    }
    // A few hundred identical tiny requests now and then: the engine must not slow down.
    if bytes.u8() == 0xA5 {
        for i in 0..256 {
            requests.push(CarveRequest::new(
                format!("bulk{i}"),
                RequestSize::Len(family.bits()),
            ));
        }
    }
    let input = CarveInput {
        pools: pools.clone(),
        requests: requests.clone(),
        reserved: reserved.clone(),
        strategy,
    };
    let result = match carve(&input) {
        Ok(result) => result,
        Err(e) => {
            check_error(&e);
            return;
        }
    };
    assert_eq!(result.allocations.len(), requests.len());
    for (allocation, request) in result.allocations.iter().zip(&requests) {
        let p = allocation.prefix;
        assert_eq!(allocation.name, request.name, "request order");
        assert_eq!(p.family(), family);
        assert_eq!(
            Prefix::new(family, p.first(), p.len()).ok(),
            Some(p),
            "aligned"
        );
        assert_eq!(allocation.addresses, p.size());
        // Inside a single pool, pinned or not: touching pools do not merge.
        assert!(
            pools.iter().any(|pool| pool.contains(&p)),
            "{p} not inside one pool"
        );
        match request.pinned {
            Some(pin) => assert_eq!(p, pin, "pinned {}", request.name),
            None => {
                assert_eq!(
                    Some(p.len()),
                    expected_len(request.size, family),
                    "{}",
                    request.name
                );
                assert!(
                    !reserved.iter().any(|r| r.overlaps(&p)),
                    "{p} on a reserved range"
                );
            }
        }
    }
    for (i, x) in result.allocations.iter().enumerate() {
        for y in &result.allocations[i + 1..] {
            assert!(
                !x.prefix.overlaps(&y.prefix),
                "{} and {} overlap",
                x.name,
                y.name
            );
        }
    }
    for free in &result.pools {
        if let Some(block) = free.largest_free {
            assert!(free.pool.contains(&block), "{block} outside {}", free.pool);
        }
    }
    // Placement is a function of the input.
    let again = carve(&input).expect("carving the same input again succeeds");
    assert_eq!(again.allocations, result.allocations);
});

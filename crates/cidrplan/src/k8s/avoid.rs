//! Placement that steers clear of known defaults (`vendor_defaults.rs`): a range goes on a
//! block that collides with no known default whenever such a free block exists, and on a
//! colliding one only when none does.
//!
//! First-fit places requests one after another, lowest address first, so "whenever such a
//! block exists" is judged at each request's turn: the placement equals placing request
//! after request, each on the lowest free block clear of the defaults, else on the lowest
//! free block. It is computed with one carve when nothing collides (the common case) and
//! two more per range that cannot avoid a default, except that once no clear block of a
//! size is left, every later range of that size or larger goes straight to the lowest free
//! block (clear space only shrinks), consecutive ones in one carve.

use alloc::vec::Vec;

use crate::{
    carve::carve_around, AddrSet, CarveInput, CarveRequest, Error, Prefix, RequestSize, Result,
    Strategy,
};

/// Where first-fit placed each request, and which requests could not avoid `avoid`.
pub(crate) struct Avoided {
    /// One block per request, in request order.
    pub(crate) blocks: Vec<Prefix>,
    /// Positions of the requests placed on a block overlapping `avoid`, ascending.
    pub(crate) colliding: Vec<usize>,
}

/// First-fit of `requests` (never pinned) in `pools` around `reserved` and `blocked` (the
/// network's allocations, kept as one set so 10^6 of them are not listed per carve), each
/// request clear of `avoid` when a free block of its size clear of it exists at its turn.
///
/// Errors as [`carve`] does when a request fits nowhere at all.
pub(crate) fn first_fit_avoiding(
    pools: &[Prefix],
    requests: &[CarveRequest],
    reserved: &[Prefix],
    blocked: &AddrSet,
    avoid: &AddrSet,
) -> Result<Avoided> {
    let avoid: Vec<Prefix> = AddrSet::from_prefixes(pools)
        .intersection(avoid)
        .to_prefixes();
    let run = |requests: &[CarveRequest], reserved: &[Prefix]| {
        carve_around(
            &CarveInput {
                pools: pools.to_vec(),
                requests: requests.to_vec(),
                reserved: reserved.to_vec(),
                strategy: Strategy::FirstFit,
            },
            blocked,
        )
        .map(|r| {
            r.allocations
                .into_iter()
                .map(|a| a.prefix)
                .collect::<Vec<_>>()
        })
    };
    let mut out = Avoided {
        blocks: Vec::with_capacity(requests.len()),
        colliding: Vec::new(),
    };
    if avoid.is_empty() {
        out.blocks = run(requests, reserved)?;
        return Ok(out);
    }
    let mut taken: Vec<Prefix> = reserved.to_vec();
    // Clear space only shrinks: once no clear block of some size is left, none of that
    // size or larger will be, so such requests go straight to the lowest free block.
    let mut largest_failed: Option<u8> = None;
    let known_to_collide = |r: &CarveRequest, failed: Option<u8>| match (r.size, failed) {
        (RequestSize::Len(len), Some(failed)) => len <= failed,
        _ => false,
    };
    let mut start = 0;
    while start < requests.len() {
        let known = requests[start..]
            .iter()
            .take_while(|r| known_to_collide(r, largest_failed))
            .count();
        if known > 0 {
            let blocks = run(&requests[start..start + known], &taken)?;
            taken.extend(blocks.iter().copied());
            out.blocks.extend(blocks);
            out.colliding.extend(start..start + known);
            start += known;
            continue;
        }
        let rest = &requests[start..];
        let mut clear_of: Vec<Prefix> = taken.clone();
        clear_of.extend(avoid.iter().copied());
        let failed = match run(rest, &clear_of) {
            Ok(blocks) => {
                out.blocks.extend(blocks);
                return Ok(out);
            }
            Err(e) => {
                let at = match &e {
                    Error::SpaceExhausted { request, .. } => {
                        rest.iter().position(|r| &r.name == request)
                    }
                    _ => None,
                };
                at.ok_or(e)?
            }
        };
        // First-fit is sequential: the requests before the one that failed were placed as
        // they were in the failed run.
        if failed > 0 {
            let before = run(&rest[..failed], &clear_of)?;
            taken.extend(before.iter().copied());
            out.blocks.extend(before);
        }
        // The one that failed goes on the lowest free block, defaults or not.
        let index = start + failed;
        let block = run(&requests[index..=index], &taken)?;
        taken.extend(block.iter().copied());
        out.blocks.extend(block);
        out.colliding.push(index);
        if let RequestSize::Len(len) = requests[index].size {
            largest_failed = Some(largest_failed.map_or(len, |f| f.max(len)));
        }
        start = index + 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Prefix {
        s.parse().unwrap()
    }

    fn requests(lens: &[u8]) -> Vec<CarveRequest> {
        lens.iter()
            .enumerate()
            .map(|(i, &len)| CarveRequest::new(alloc::format!("r{i}"), RequestSize::Len(len)))
            .collect()
    }

    #[test]
    fn avoids_while_it_can_then_collides_in_order() {
        let avoid = AddrSet::from_prefixes(&[p("10.0.0.0/16"), p("10.2.0.0/16")]);
        let got = first_fit_avoiding(
            &[p("10.0.0.0/14")],
            &requests(&[16, 16, 16, 24]),
            &[],
            &AddrSet::new(),
            &avoid,
        )
        .unwrap();
        // 10.1 and 10.3 are clear; the third /16 must collide (lowest: 10.0.0.0/16); the /24
        // then has no clear block left and takes the lowest free one, in 10.2.0.0/16.
        assert_eq!(
            got.blocks,
            [
                p("10.1.0.0/16"),
                p("10.3.0.0/16"),
                p("10.0.0.0/16"),
                p("10.2.0.0/24")
            ]
        );
        assert_eq!(got.colliding, [2, 3]);
    }

    #[test]
    fn a_request_that_fits_nowhere_is_the_carve_error() {
        let avoid = AddrSet::from_prefixes(&[p("10.0.0.0/16")]);
        let got = first_fit_avoiding(
            &[p("10.0.0.0/15")],
            &requests(&[16, 16, 16]),
            &[],
            &AddrSet::new(),
            &avoid,
        );
        assert_eq!(got.err().map(|e| e.code()), Some("space_exhausted"));
    }
}

//! Carving named requests out of pools, around reserved and pinned ranges.

mod free_blocks;
mod sequential;

use crate::text::quoted;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use crate::addr_set::AddrSet;
use crate::count::AddrCount;
use crate::error::{Error, Result};
use crate::interval_set::{for_each_block, IntervalSet};
use crate::limits::{MAX_NAME_LEN, MAX_PREFIXES, MAX_REQUESTS};
use crate::overlaps::{overlaps, NamedPrefix, OverlapOptions};
use crate::prefix::{Family, Prefix};

use free_blocks::FreeBlocks;
use sequential::SequentialCursor;

/// How big a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestSize {
    /// A prefix length, `/LEN`.
    Len(u8),
    /// At least this many addresses; rounded up to a power of two.
    Count(u128),
}

impl RequestSize {
    /// Parses `"/20"` (a prefix length) or `"1581"` (an address count).
    pub fn parse(text: &str) -> Result<RequestSize> {
        let text = text.trim();
        // Sizes are short: a long one is echoed cut down, so a hostile input cannot make a
        // message as long as itself.
        let shown = crate::prefix::shorten(text);
        let bad = || {
            Error::invalid_input(
                "size",
                format!("{} is neither /LEN nor an address count", quoted(&shown)),
            )
        };
        if let Some(len) = text.strip_prefix('/') {
            if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let value = crate::text::length(len);
            if value > 128 {
                return Err(Error::PrefixTooLong {
                    input: shown,
                    len: value,
                    max: 128,
                });
            }
            return Ok(RequestSize::Len(value as u8));
        }
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        crate::text::decimal(text)
            .map(RequestSize::Count)
            .ok_or_else(|| {
                Error::invalid_input(
                    "size",
                    format!("{} is more addresses than any family holds", quoted(&shown)),
                )
            })
    }

    /// The prefix length that holds this size in `family`, checking it fits the family.
    pub fn prefix_len(&self, family: Family, name: &str) -> Result<u8> {
        let bits = family.bits();
        match *self {
            RequestSize::Len(len) if len <= bits => Ok(len),
            RequestSize::Len(len) => Err(Error::PrefixTooLong {
                input: format!("{name}=/{len}"),
                len: u32::from(len),
                max: bits,
            }),
            RequestSize::Count(0) => Err(Error::InvalidRequest {
                name: name.to_string(),
                reason: "asks for zero addresses".to_string(),
            }),
            RequestSize::Count(count) => {
                // ceil(log2(count)) host bits.
                let host_bits = 128 - (count - 1).leading_zeros();
                if host_bits > u32::from(bits) {
                    return Err(Error::InvalidRequest {
                        name: name.to_string(),
                        reason: format!(
                            "{} addresses is more than the whole {family} space",
                            count
                        ),
                    });
                }
                Ok(bits - host_bits as u8)
            }
        }
    }
}

impl fmt::Display for RequestSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestSize::Len(len) => write!(f, "/{len}"),
            RequestSize::Count(count) => count.fmt(f),
        }
    }
}

/// One named request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarveRequest {
    /// Unique name, reported back with the allocation.
    pub name: String,
    /// How big it must be.
    pub size: RequestSize,
    /// A prefix it must get exactly ("cluster-a is 10.4.0.0/14"), validated and honoured.
    pub pinned: Option<Prefix>,
}

impl CarveRequest {
    /// A request of the given size.
    pub fn new(name: impl Into<String>, size: RequestSize) -> Self {
        CarveRequest {
            name: name.into(),
            size,
            pinned: None,
        }
    }

    /// A request pinned to a prefix.
    pub fn pinned(name: impl Into<String>, prefix: Prefix) -> Self {
        CarveRequest {
            name: name.into(),
            size: RequestSize::Len(prefix.len()),
            pinned: Some(prefix),
        }
    }
}

/// Where carving places each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Strategy {
    /// Each request, in order, at the lowest free aligned address.
    FirstFit,
    /// The smallest free block that fits; the batch is placed largest first (ties in
    /// request order), which succeeds whenever any packing exists.
    #[default]
    BestFit,
    /// Terraform `cidrsubnets` placement: in request order, each after the previous one,
    /// never going back to fill a gap; reserved and pinned ranges are skipped.
    Sequential,
}

impl Strategy {
    /// Every strategy, in the order the docs list them.
    pub const ALL: [Strategy; 3] = [Strategy::FirstFit, Strategy::BestFit, Strategy::Sequential];

    /// `"first-fit"`, `"best-fit"` or `"sequential"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Strategy::FirstFit => "first-fit",
            Strategy::BestFit => "best-fit",
            Strategy::Sequential => "sequential",
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Strategy {
    type Err = Error;
    fn from_str(text: &str) -> Result<Strategy> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "first-fit" => Ok(Strategy::FirstFit),
            "best-fit" => Ok(Strategy::BestFit),
            "sequential" => Ok(Strategy::Sequential),
            _ => Err(Error::invalid_input(
                "strategy",
                format!("{} is not first-fit, best-fit or sequential", quoted(text)),
            )),
        }
    }
}

/// Everything [`carve`] needs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CarveInput {
    /// Where to carve from, all of one family; with `sequential`, used in this order.
    /// Every allocation lies inside one pool: touching pools are not merged.
    pub pools: Vec<Prefix>,
    /// What to carve, in order.
    pub requests: Vec<CarveRequest>,
    /// Ranges never to hand out.
    pub reserved: Vec<Prefix>,
    /// Placement strategy.
    pub strategy: Strategy,
}

/// One placed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    /// The request's name.
    pub name: String,
    /// Where it was placed.
    pub prefix: Prefix,
    /// How many addresses it holds.
    pub addresses: AddrCount,
}

/// What is left of one pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolFree {
    /// The pool.
    pub pool: Prefix,
    /// Free addresses left in it.
    pub free: AddrCount,
    /// Its largest free aligned block, if any.
    pub largest_free: Option<Prefix>,
}

/// The result of [`carve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarveResult {
    /// One allocation per request, in request order.
    pub allocations: Vec<Allocation>,
    /// Addresses handed out beyond what count requests asked for (rounding up to a power
    /// of two).
    pub lost_to_rounding: AddrCount,
    /// Free addresses that `sequential` jumped over to align a block and will never fill
    /// (always zero for `first-fit` and `best-fit`, whose gaps stay in `free_total`).
    pub lost_to_alignment: AddrCount,
    /// Free addresses left in all pools (gaps skipped by `sequential` included).
    pub free_total: AddrCount,
    /// Free space per pool, in pool order.
    pub pools: Vec<PoolFree>,
}

/// Allocates `requests` inside `pools`, around `reserved` and pinned ranges.
///
/// Deterministic: the same input always gives the same output. Work is O((n + m) log(n + m))
/// for n requests and m pool/reserved prefixes, whatever the sizes involved.
///
/// ```
/// use cidrplan::{carve, CarveInput, CarveRequest, RequestSize, Strategy};
///
/// // Terraform: cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)
/// let request = |name: &str, len| CarveRequest::new(name, RequestSize::Len(len));
/// let result = carve(&CarveInput {
///     pools: vec!["10.1.0.0/16".parse()?],
///     requests: vec![request("a", 20), request("b", 20), request("c", 24), request("d", 20)],
///     reserved: vec![],
///     strategy: Strategy::Sequential,
/// })?;
/// let cidrs: Vec<String> = result.allocations.iter().map(|a| a.prefix.to_string()).collect();
/// assert_eq!(cidrs, ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]);
///
/// // best-fit fills the gap sequential leaves behind 10.1.32.0/24.
/// let result = carve(&CarveInput { strategy: Strategy::BestFit, ..CarveInput {
///     pools: vec!["10.1.0.0/16".parse()?],
///     requests: vec![request("a", 20), request("b", 20), request("c", 24), request("d", 20)],
///     reserved: vec![],
///     strategy: Strategy::Sequential,
/// }})?;
/// assert_eq!(result.allocations[3].prefix.to_string(), "10.1.32.0/20");
/// assert_eq!(result.allocations[2].prefix.to_string(), "10.1.48.0/24");
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn carve(input: &CarveInput) -> Result<CarveResult> {
    carve_with(input, None)
}

/// [`carve`] around `blocked` as well as `input.reserved`: the planner passes the space
/// its allocations block as the set it already holds, instead of as a list of prefixes
/// carving would sort into the same set again (10^6 scattered hosts cost a second per
/// model). No request may be pinned: pins are checked against `input.reserved` only.
pub(crate) fn carve_around(input: &CarveInput, blocked: &AddrSet) -> Result<CarveResult> {
    debug_assert!(input.requests.iter().all(|r| r.pinned.is_none()));
    carve_with(input, Some(blocked))
}

fn carve_with(input: &CarveInput, blocked: Option<&AddrSet>) -> Result<CarveResult> {
    let family = check_families(input)?;
    let bits = family.bits();
    let lens = request_lengths(input, family)?;

    let pool_set = AddrSet::from_prefixes(&input.pools);
    let mut reserved_set = AddrSet::from_prefixes(&input.reserved);
    if let Some(blocked) = blocked {
        reserved_set = reserved_set.union(blocked);
    }
    let pinned = check_pins(input, &pool_set)?;
    let blocked_set = reserved_set.union(&AddrSet::from_prefixes(&pinned));
    let free_set = pool_set.difference(&blocked_set);

    let mut placed: Vec<Option<Prefix>> = input.requests.iter().map(|r| r.pinned).collect();
    let mut gaps = Vec::new();
    let to_place: Vec<usize> = (0..input.requests.len())
        .filter(|&i| placed[i].is_none())
        .collect();

    match input.strategy {
        Strategy::FirstFit | Strategy::BestFit => {
            // Blocks smaller than every request never serve one: only the largest of
            // them is kept, for the error that names the largest free block.
            let smallest = to_place.iter().map(|&i| lens[i]).max();
            let mut blocks =
                FreeBlocks::new(bits, blocks_within_pools(&free_set, &input.pools, smallest));
            let mut order = to_place;
            if input.strategy == Strategy::BestFit {
                // By (length, position): positions are unique, so an unstable integer
                // sort of packed keys gives the stable order.
                let mut keys: Vec<u64> = order
                    .iter()
                    .map(|&i| (u64::from(lens[i]) << 56) | i as u64)
                    .collect();
                crate::radix::sort_u64(&mut keys);
                order = keys
                    .into_iter()
                    .map(|k| (k & ((1 << 56) - 1)) as usize)
                    .collect();
            }
            for i in order {
                let fit = match input.strategy {
                    Strategy::FirstFit => blocks.lowest_fit(lens[i]),
                    _ => blocks.smallest_fit(lens[i]),
                };
                let Some((first, block_len)) = fit else {
                    let largest = blocks
                        .largest()
                        .map(|(f, l)| Prefix::from_parts(family, f, l));
                    return Err(exhausted(&input.requests[i], lens[i], largest, None));
                };
                blocks.take(first, block_len, lens[i]);
                placed[i] = Some(Prefix::from_parts(family, first, lens[i]));
            }
        }
        Strategy::Sequential => {
            let pools: Vec<(u128, u128)> =
                input.pools.iter().map(|p| (p.first(), p.last())).collect();
            let blocked = ranges_of(&blocked_set, family);
            let mut cursor = SequentialCursor::new(bits, &pools, &blocked);
            for i in to_place {
                let position = cursor.position();
                let Some(first) = cursor.place(lens[i]) else {
                    // The largest block sequential could still place, at or after where this
                    // request started looking, and the largest in the gaps behind it.
                    let reachable = interval_addr_set(family, cursor.reachable_from(position));
                    let ahead =
                        largest_block(&free_set.intersection(&reachable), &input.pools, family);
                    let placed_set = AddrSet::from_prefixes(
                        &placed.iter().flatten().copied().collect::<Vec<_>>(),
                    );
                    let behind = free_set.difference(&reachable).difference(&placed_set);
                    let skipped = largest_block(&behind, &input.pools, family);
                    return Err(exhausted(&input.requests[i], lens[i], ahead, skipped));
                };
                placed[i] = Some(Prefix::from_parts(family, first, lens[i]));
            }
            gaps = cursor.gaps;
        }
    }

    let allocations: Vec<Allocation> = input
        .requests
        .iter()
        .zip(placed)
        .filter_map(|(request, prefix)| {
            prefix.map(|prefix| Allocation {
                name: request.name.clone(),
                prefix,
                addresses: prefix.size(),
            })
        })
        .collect();
    Ok(summarize(
        input,
        family,
        allocations,
        &free_set,
        &blocked_set,
        gaps,
    ))
}

fn summarize(
    input: &CarveInput,
    family: Family,
    allocations: Vec<Allocation>,
    free_set: &AddrSet,
    blocked_set: &AddrSet,
    gaps: Vec<(u128, u128)>,
) -> CarveResult {
    let mut lost_to_rounding = AddrCount::ZERO;
    for (request, allocation) in input.requests.iter().zip(&allocations) {
        if let RequestSize::Count(count) = request.size {
            lost_to_rounding += allocation.addresses.saturating_sub(AddrCount::from(count));
        }
    }
    let newly_placed: Vec<Prefix> = allocations
        .iter()
        .zip(&input.requests)
        .filter(|(_, r)| r.pinned.is_none())
        .map(|(a, _)| a.prefix)
        .collect();
    let left = free_set.difference(&AddrSet::from_prefixes(&newly_placed));
    let gap_set = interval_addr_set(family, gaps).difference(blocked_set);
    // Free ranges are sorted and disjoint, so each pool's share is found by one binary
    // search instead of intersecting the whole free set once per pool.
    let left_ranges = ranges_of(&left, family);
    let pools = input
        .pools
        .iter()
        .map(|&pool| pool_free(pool, &left_ranges))
        .collect();
    CarveResult {
        allocations,
        lost_to_rounding,
        lost_to_alignment: gap_set.count(family),
        free_total: left.count(family),
        pools,
    }
}

/// Free addresses and the largest free block of `pool`, from sorted disjoint free ranges.
fn pool_free(pool: Prefix, left: &[(u128, u128)]) -> PoolFree {
    let family = pool.family();
    let mut free = AddrCount::ZERO;
    let mut largest: Option<(u8, u128)> = None;
    for (first, last) in ranges_in(pool, left) {
        free += AddrCount::from_range(first, last);
        // A range smaller than the largest block so far holds no block as large: 10^6
        // small gaps between allocations are counted, not cut into blocks.
        if largest.is_some_and(|(len, _)| last - first < block_span(family.bits(), len)) {
            continue;
        }
        for_each_block(u32::from(family.bits()), first, last, |block_first, len| {
            if largest.is_none_or(|best| (len, block_first) < best) {
                largest = Some((len, block_first));
            }
        });
    }
    PoolFree {
        pool,
        free,
        largest_free: largest.map(|(len, first)| Prefix::from_parts(family, first, len)),
    }
}

fn check_families(input: &CarveInput) -> Result<Family> {
    let Some(first_pool) = input.pools.first() else {
        return Err(Error::invalid_input("pools", "at least one pool is needed"));
    };
    if input.pools.len() + input.reserved.len() > MAX_PREFIXES {
        return Err(Error::limit(
            "pools and reserved prefixes",
            MAX_PREFIXES as u128,
            (input.pools.len() + input.reserved.len()) as u128,
        ));
    }
    if input.requests.len() > MAX_REQUESTS {
        return Err(Error::limit(
            "requests",
            MAX_REQUESTS as u128,
            input.requests.len() as u128,
        ));
    }
    let family = first_pool.family();
    let named_pools: Vec<NamedPrefix> = input
        .pools
        .iter()
        .map(|p| NamedPrefix::new(String::new(), *p))
        .collect();
    let first_clash = overlaps(
        &named_pools,
        &OverlapOptions {
            max_listed: 1,
            ..OverlapOptions::default()
        },
    );
    if let Some(clash) = first_clash.overlaps.first() {
        return Err(Error::invalid_input(
            "pools",
            format!(
                "pools {} and {} overlap; list each range once",
                input.pools[clash.a], input.pools[clash.b]
            ),
        ));
    }
    let others = input
        .pools
        .iter()
        .chain(&input.reserved)
        .chain(input.requests.iter().filter_map(|r| r.pinned.as_ref()));
    if let Some(other) = others.into_iter().find(|p| p.family() != family) {
        return Err(Error::MixedFamilies {
            first: first_pool.to_string(),
            second: other.to_string(),
        });
    }
    Ok(family)
}

fn request_lengths(input: &CarveInput, family: Family) -> Result<Vec<u8>> {
    // Each request's first namesake (itself for a first use of its name), among the
    // requests before the first name rejected below: the loop never gets further, and no
    // overlong name is ever compared.
    let requests = &input.requests;
    let checked = requests
        .iter()
        .position(|r| r.name.is_empty() || r.name.len() > MAX_NAME_LEN)
        .unwrap_or(requests.len());
    let first_named =
        crate::sort::first_equal(checked, &mut |a, b| requests[a].name.cmp(&requests[b].name));
    let mut lens = Vec::with_capacity(input.requests.len());
    for (index, request) in input.requests.iter().enumerate() {
        let name = request.name.as_str();
        if name.is_empty() {
            return Err(Error::invalid_input(
                format!("requests[{index}]"),
                "a request needs a name",
            ));
        }
        if name.len() > MAX_NAME_LEN {
            return Err(Error::limit(
                "bytes in a request name",
                MAX_NAME_LEN as u128,
                name.len() as u128,
            ));
        }
        if first_named[index] != index {
            return Err(Error::InvalidRequest {
                name: crate::prefix::shorten(name),
                reason: "the name is used by an earlier request".to_string(),
            });
        }
        let len = request.size.prefix_len(family, name)?;
        if let Some(pin) = request.pinned {
            if pin.len() != len {
                return Err(Error::PinnedConflict {
                    name: name.to_string(),
                    cidr: pin.to_string(),
                    reason: format!("its size asks for /{len}"),
                });
            }
        }
        lens.push(len);
    }
    Ok(lens)
}

/// Pins inside the pools, clear of reserved ranges and of each other.
fn check_pins(input: &CarveInput, pool_set: &AddrSet) -> Result<Vec<Prefix>> {
    let mut pins = Vec::new();
    let mut named = Vec::new();
    for request in &input.requests {
        let Some(pin) = request.pinned else { continue };
        if !input.pools.iter().any(|pool| pool.contains(&pin)) {
            let reason = if pool_set.contains_prefix(&pin) {
                "it spans more than one pool"
            } else {
                "it is not inside any pool"
            };
            return Err(Error::PinnedConflict {
                name: request.name.clone(),
                cidr: pin.to_string(),
                reason: reason.to_string(),
            });
        }
        pins.push(pin);
        named.push(NamedPrefix::new(request.name.clone(), pin));
    }
    if pins.is_empty() {
        return Ok(pins);
    }
    let reserved_set = AddrSet::from_prefixes(&input.reserved);
    for pin in &named {
        if reserved_set.overlaps_prefix(&pin.prefix) {
            let reserved = input.reserved.iter().find(|r| r.overlaps(&pin.prefix));
            return Err(Error::PinnedConflict {
                name: pin.name.clone(),
                cidr: pin.prefix.to_string(),
                reason: format!(
                    "it overlaps reserved {}",
                    reserved.map_or_else(String::new, |r| r.to_string())
                ),
            });
        }
    }
    let options = OverlapOptions {
        max_listed: 1,
        ..OverlapOptions::default()
    };
    if let Some(clash) = overlaps(&named, &options).overlaps.first() {
        let (pin, other) = (&named[clash.a], &named[clash.b]);
        return Err(Error::PinnedConflict {
            name: pin.name.clone(),
            cidr: pin.prefix.to_string(),
            reason: format!(
                "it overlaps pinned {} ({})",
                quoted(&other.name),
                other.prefix
            ),
        });
    }
    Ok(pins)
}

fn exhausted(
    request: &CarveRequest,
    len: u8,
    largest: Option<Prefix>,
    skipped_free: Option<Prefix>,
) -> Error {
    let requested = match request.size {
        RequestSize::Len(_) => format!("/{len}"),
        RequestSize::Count(count) => format!("{count} addresses, /{len}"),
    };
    Error::SpaceExhausted {
        request: request.name.clone(),
        requested,
        largest_free: largest.map(|p| p.to_string()),
        skipped_free: skipped_free.map(|p| p.to_string()),
    }
}

/// The largest free block of `set` that stays inside one pool, lowest among equals.
fn largest_block(set: &AddrSet, pools: &[Prefix], family: Family) -> Option<Prefix> {
    blocks_within_pools(set, pools, None)
        .into_iter()
        .min_by_key(|&(first, len)| (len, first))
        .map(|(first, len)| Prefix::from_parts(family, first, len))
}

/// The free space of `free` (inside the pools) as maximal aligned blocks, none reaching
/// from one pool into the next: two touching pools, such as `10.0.0.0/25` and
/// `10.0.0.128/25`, merge into one range of the set, yet an allocation must lie inside a
/// single pool (a cloud network's address blocks stay separate even when they touch).
///
/// With `longest` set, blocks longer than `/longest` (too small for any request) are left
/// out but for the largest of them (lowest among equals), so the largest block stays known.
fn blocks_within_pools(free: &AddrSet, pools: &[Prefix], longest: Option<u8>) -> Vec<(u128, u8)> {
    let Some(family) = pools.first().map(Prefix::family) else {
        return Vec::new();
    };
    let free = ranges_of(free, family);
    let longest = longest.unwrap_or(family.bits());
    let mut blocks = Vec::new();
    let mut largest_small: Option<(u128, u8)> = None;
    // `carve` refuses overlapping pools, so each free address is walked once.
    for &pool in pools {
        for (first, last) in ranges_in(pool, &free) {
            // A range smaller than the largest small block so far holds no block that is
            // kept or larger: 10^6 small gaps between allocations are skipped, not cut.
            if largest_small.is_some_and(|(_, len)| last - first < block_span(family.bits(), len)) {
                continue;
            }
            for_each_block(u32::from(family.bits()), first, last, |f, l| {
                if l <= longest {
                    blocks.push((f, l));
                } else if largest_small.is_none_or(|(sf, sl)| (l, f) < (sl, sf)) {
                    largest_small = Some((f, l));
                }
            });
        }
    }
    blocks.extend(largest_small);
    blocks
}

/// Addresses in a block of length `len` less one (`u128::MAX` for a whole IPv6 space), so
/// that `last - first < block_span(..)` says a range is smaller than the block.
fn block_span(bits: u8, len: u8) -> u128 {
    match 1u128.checked_shl(u32::from(bits.saturating_sub(len))) {
        Some(size) => size - 1,
        None => u128::MAX,
    }
}

/// The parts of sorted, disjoint `ranges` inside `pool`, found by one binary search.
fn ranges_in(pool: Prefix, ranges: &[(u128, u128)]) -> impl Iterator<Item = (u128, u128)> + '_ {
    let start = ranges.partition_point(|r| r.1 < pool.first());
    ranges[start..]
        .iter()
        .take_while(move |r| r.0 <= pool.last())
        .map(move |&(first, last)| (first.max(pool.first()), last.min(pool.last())))
}

fn ranges_of(set: &AddrSet, family: Family) -> Vec<(u128, u128)> {
    match family {
        Family::V4 => set
            .v4()
            .ranges()
            .iter()
            .map(|&(a, b)| (u128::from(a), u128::from(b)))
            .collect(),
        Family::V6 => set.v6().ranges().to_vec(),
    }
}

fn interval_addr_set(family: Family, ranges: Vec<(u128, u128)>) -> AddrSet {
    let prefixes: Vec<Prefix> = match family {
        Family::V4 => {
            IntervalSet::<u32>::from_ranges(ranges.into_iter().map(|(a, b)| (a as u32, b as u32)))
                .to_blocks()
                .into_iter()
                .map(|(f, l)| Prefix::from_parts(family, u128::from(f), l))
                .collect()
        }
        Family::V6 => IntervalSet::<u128>::from_ranges(ranges)
            .to_blocks()
            .into_iter()
            .map(|(f, l)| Prefix::from_parts(family, f, l))
            .collect(),
    };
    AddrSet::from_prefixes(&prefixes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn input(names: &[&str]) -> CarveInput {
        CarveInput {
            pools: vec!["10.0.0.0/8".parse().unwrap()],
            requests: names
                .iter()
                .map(|n| CarveRequest::new(*n, RequestSize::Len(24)))
                .collect(),
            reserved: vec![],
            strategy: Strategy::BestFit,
        }
    }

    fn error(names: &[&str]) -> String {
        carve(&input(names)).unwrap_err().to_string()
    }

    #[test]
    fn the_first_reused_name_in_request_order_is_the_error() {
        assert!(carve(&input(&["a", "b", "c"])).is_ok());
        let reused = |names: &[&str]| match carve(&input(names)) {
            Err(Error::InvalidRequest { name, .. }) => name,
            other => panic!("{other:?}"),
        };
        assert_eq!(reused(&["b", "a", "c", "a", "b"]), "a");
        assert_eq!(reused(&["b", "a", "c", "b", "a"]), "b");
        assert_eq!(reused(&["a", "a", "a"]), "a");
    }

    #[test]
    fn name_errors_keep_their_request_order() {
        let long = "n".repeat(MAX_NAME_LEN + 1);
        // A reused name before an empty or overlong one is reported, and the other way round.
        assert!(error(&["a", "a", ""]).contains("earlier request"));
        assert!(error(&["a", "", "a"]).contains("needs a name"));
        assert!(error(&["a", "a", &long]).contains("earlier request"));
        assert!(!error(&["a", &long, "a", &long]).contains("earlier request"));
    }
}

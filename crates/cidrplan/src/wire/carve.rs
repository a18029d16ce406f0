//! Wire form of `carve`.

use crate::text::quoted;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::named_list::{FromMapEntry, NamedList};
use super::{field_name, parse_all};
use crate::carve::{CarveInput, CarveRequest, RequestSize, Strategy};
use crate::count::AddrCount;
use crate::error::{Error, Result};
use crate::prefix::{ParseMode, Prefix};

/// A request's size: `"/20"`, an address count (`1581` or `"1581"`), or
/// `{"size": ..., "pinned": "10.4.0.0/14"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SizeValue {
    /// An address count as a number.
    Count(u64),
    /// `"/LEN"` or a decimal address count.
    Text(String),
    /// A size with an optional pin (the size may be omitted when pinned).
    Detailed {
        /// `"/LEN"` or a count; defaults to the pinned prefix's length.
        size: Option<SizeScalar>,
        /// The exact prefix this request must get.
        pinned: Option<String>,
    },
}

/// A size without a pin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SizeScalar {
    /// An address count as a number.
    Count(u64),
    /// `"/LEN"` or a decimal address count.
    Text(String),
}

/// One request: `[name, size]` or `{"name", "size", "pinned"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestEntry {
    /// `["pods-a", "/16"]`.
    Pair(String, SizeValue),
    /// `{"name": "pods-a", "size": "/16", "pinned": null}`.
    Named {
        /// The request's name.
        name: String,
        /// Its size (may be omitted when pinned).
        size: Option<SizeScalar>,
        /// The exact prefix it must get.
        pinned: Option<String>,
    },
}

impl FromMapEntry<'_> for RequestEntry {
    type Value = SizeValue;
    fn from_entry(name: String, size: SizeValue) -> Self {
        RequestEntry::Pair(name, size)
    }
}

fn default_strategy() -> String {
    Strategy::BestFit.as_str().to_string()
}

/// Input of [`carve`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CarveWireInput {
    /// Pools to carve from, all of one family.
    pub pools: Vec<String>,
    /// Requests: a list of `[name, size]` pairs or a mapping name -> size.
    pub requests: NamedList<RequestEntry>,
    /// Ranges never to hand out.
    #[serde(default)]
    pub reserved: Vec<String>,
    /// `first-fit`, `best-fit` (default) or `sequential`.
    #[serde(default = "default_strategy")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::strategy"))]
    pub strategy: String,
    /// Mask host bits instead of rejecting them.
    #[serde(default)]
    pub lenient: bool,
}

/// One allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WireAllocation {
    /// The request's name.
    pub name: String,
    /// The prefix it got.
    pub cidr: String,
    /// How many addresses that is (decimal string).
    pub addresses: AddrCount,
}

/// Free space left in one pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PoolFreeOutput {
    /// The pool.
    pub pool: String,
    /// Free addresses left (decimal string).
    pub free: AddrCount,
    /// Largest free aligned block, or null.
    pub largest_free: Option<String>,
}

/// Output of [`carve`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CarveOutput {
    /// One allocation per request, in request order.
    pub allocations: Vec<WireAllocation>,
    /// The strategy used.
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::strategy"))]
    pub strategy: String,
    /// Addresses beyond what count requests asked for.
    pub lost_to_rounding: AddrCount,
    /// Free addresses `sequential` jumped over and will never fill.
    pub lost_to_alignment: AddrCount,
    /// Free addresses left in all pools.
    pub free_total: AddrCount,
    /// Free space per pool.
    pub pools: Vec<PoolFreeOutput>,
}

fn scalar_size(scalar: &SizeScalar) -> Result<RequestSize> {
    match scalar {
        SizeScalar::Count(count) => Ok(RequestSize::Count(u128::from(*count))),
        SizeScalar::Text(text) => RequestSize::parse(text),
    }
}

fn request(index: usize, entry: &RequestEntry, lenient: bool) -> Result<CarveRequest> {
    let (name, size, pinned) = match entry {
        RequestEntry::Pair(name, SizeValue::Count(count)) => {
            (name, Some(SizeScalar::Count(*count)), None)
        }
        RequestEntry::Pair(name, SizeValue::Text(text)) => {
            (name, Some(SizeScalar::Text(text.clone())), None)
        }
        RequestEntry::Pair(name, SizeValue::Detailed { size, pinned }) => {
            (name, size.clone(), pinned.as_ref())
        }
        RequestEntry::Named { name, size, pinned } => (name, size.clone(), pinned.as_ref()),
    };
    let pinned = pinned
        .map(|p| Prefix::parse_with(p, ParseMode::from_lenient(lenient)))
        .transpose()?;
    let size = match (size, pinned) {
        (Some(size), _) => scalar_size(&size)?,
        (None, Some(pin)) => RequestSize::Len(pin.len()),
        (None, None) => {
            return Err(Error::invalid_input(
                field_name("requests", index),
                format!(
                    "request {} needs a size (\"/LEN\" or an address count) or a pinned prefix",
                    quoted(name)
                ),
            ))
        }
    };
    Ok(CarveRequest {
        name: name.clone(),
        size,
        pinned,
    })
}

/// Carves the requests out of the pools.
pub fn carve(input: &CarveWireInput) -> Result<CarveOutput> {
    let strategy: Strategy = input.strategy.parse()?;
    let requests = input
        .requests
        .0
        .iter()
        .enumerate()
        .map(|(i, entry)| request(i, entry, input.lenient))
        .collect::<Result<Vec<_>>>()?;
    let core_input = CarveInput {
        pools: parse_all(&input.pools, input.lenient)?,
        requests,
        reserved: parse_all(&input.reserved, input.lenient)?,
        strategy,
    };
    let result = crate::carve::carve(&core_input)?;
    Ok(CarveOutput {
        allocations: result
            .allocations
            .into_iter()
            .map(|a| WireAllocation {
                name: a.name,
                cidr: a.prefix.to_string(),
                addresses: a.addresses,
            })
            .collect(),
        strategy: strategy.as_str().to_string(),
        lost_to_rounding: result.lost_to_rounding,
        lost_to_alignment: result.lost_to_alignment,
        free_total: result.free_total,
        pools: result
            .pools
            .into_iter()
            .map(|p| PoolFreeOutput {
                pool: p.pool.to_string(),
                free: p.free,
                largest_free: p.largest_free.map(|b| b.to_string()),
            })
            .collect(),
    })
}

//! # cidrplan
//!
//! Plan IP address space for Kubernetes clusters inside an existing network.
//!
//! The crate is `#![no_std]` + `alloc`: it runs in controllers, IPAM services, WebAssembly
//! and embedded targets alike. It has two layers:
//!
//! - a general CIDR engine for IPv4 and IPv6: strict [`Prefix`] parsing, exact address sets
//!   ([`AddrSet`], [`IntervalSet`]), [`aggregate`], [`exclude`], an O(n log n + k)
//!   [`overlaps`] report and [`carve`] (first-fit, best-fit and Terraform-compatible
//!   sequential placement around reserved and pinned ranges);
//! - Kubernetes planning (module `k8s`): sizing, the five network models, reachability and a
//!   reasoned recommendation.
//!
//! ```
//! use cidrplan::{aggregate, exclude, Prefix};
//!
//! let a: Prefix = "10.0.0.0/25".parse()?;
//! let b: Prefix = "10.0.0.128/25".parse()?;
//! assert_eq!(aggregate(&[a, b]), vec!["10.0.0.0/24".parse::<Prefix>()?]);
//!
//! let free = exclude("10.0.0.0/24".parse()?, &[a])?;
//! assert_eq!(free, vec![b]);
//! # Ok::<(), cidrplan::Error>(())
//! ```
//!
//! Work and memory grow with the size of the input, never with an address count: carving a
//! million /32s out of a /8 is fine, and an IPv6 `/0` is as cheap as a `/64`.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod addr_set;
mod bits;
mod carve;
mod count;
mod error;
pub mod export;
#[cfg(feature = "import")]
pub mod import;
mod interval_set;
pub mod k8s;
mod label;
pub mod limits;
mod ops;
mod overlaps;
mod prefix;
mod prefix_text;
mod radix;
#[cfg(feature = "schema")]
pub mod schema;
mod sort;
mod text;

#[cfg(feature = "serde")]
pub mod wire;

/// The README's Rust example, run as a doctest (`cargo test --doc`), so it cannot drift.
#[cfg(doctest)]
#[allow(rustdoc::invalid_codeblock_attributes)] // ```yaml file=NAME: a page convention
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

pub use addr_set::AddrSet;
pub use bits::Bits;
pub use carve::{
    carve, Allocation, CarveInput, CarveRequest, CarveResult, PoolFree, RequestSize, Strategy,
};
pub use count::AddrCount;
pub use error::{Error, Result};
pub use interval_set::IntervalSet;
pub use ops::{aggregate, exclude};
pub use overlaps::{overlaps, NamedPrefix, Overlap, OverlapOptions, OverlapReport, Relation};
pub use prefix::{Family, ParseMode, Prefix};

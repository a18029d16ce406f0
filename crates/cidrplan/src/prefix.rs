//! CIDR prefixes of either family, parsed strictly.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use core::str::FromStr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use crate::count::AddrCount;
use crate::error::{Error, Result};
use crate::limits::MAX_PREFIX_TEXT;
use crate::prefix_text::{canonical_ipv4, plain_ipv6, PrefixText};

/// An address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Family {
    /// IPv4: 32-bit addresses.
    #[cfg_attr(feature = "serde", serde(rename = "ipv4"))]
    V4,
    /// IPv6: 128-bit addresses.
    #[cfg_attr(feature = "serde", serde(rename = "ipv6"))]
    V6,
}

impl Family {
    /// Number of address bits: 32 or 128.
    #[inline(always)]
    pub const fn bits(self) -> u8 {
        match self {
            Family::V4 => 32,
            Family::V6 => 128,
        }
    }

    /// The largest address of the family as a `u128`.
    #[inline(always)]
    pub const fn max_addr(self) -> u128 {
        match self {
            Family::V4 => u32::MAX as u128,
            Family::V6 => u128::MAX,
        }
    }

    /// `"ipv4"` or `"ipv6"`.
    pub const fn name(self) -> &'static str {
        match self {
            Family::V4 => "ipv4",
            Family::V6 => "ipv6",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How to treat an address with bits set below its mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParseMode {
    /// `10.0.0.1/8` is an error ([`Error::HostBitsSet`]) suggesting `10.0.0.0/8`.
    #[default]
    Strict,
    /// `10.0.0.1/8` is read as `10.0.0.0/8`.
    Lenient,
}

impl ParseMode {
    /// The mode the wire format's `lenient` flag (and the CLI's `--lenient`) asks for.
    pub const fn from_lenient(lenient: bool) -> ParseMode {
        if lenient {
            ParseMode::Lenient
        } else {
            ParseMode::Strict
        }
    }
}

/// An IPv4 or IPv6 CIDR prefix with no host bits set.
///
/// Prefixes order by family (IPv4 first), then by first address, then shorter prefix first,
/// so a sorted list reads like a routing table.
///
/// ```
/// use cidrplan::{Family, ParseMode, Prefix};
///
/// let p: Prefix = "10.0.0.0/8".parse()?;
/// assert_eq!((p.family(), p.len()), (Family::V4, 8));
/// assert!(p.contains(&"10.128.1.1".parse()?)); // a bare address is a /32
///
/// let err = Prefix::parse("10.0.0.1/8").unwrap_err();
/// assert_eq!(err.code(), "host_bits_set");
/// assert_eq!(err.to_string(), r#"host bits set in "10.0.0.1/8": did you mean 10.0.0.0/8?"#);
/// assert_eq!(Prefix::parse_with("10.0.0.1/8", ParseMode::Lenient)?, p);
/// # Ok::<(), cidrplan::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Prefix {
    family: Family,
    first: u128,
    len: u8,
}

impl Prefix {
    /// Parses `ADDRESS/LEN` (or a bare address, read as a host prefix) strictly.
    pub fn parse(text: &str) -> Result<Prefix> {
        Prefix::parse_with(text, ParseMode::Strict)
    }

    /// Parses `ADDRESS/LEN` (or a bare address) in the given mode.
    pub fn parse_with(text: &str, mode: ParseMode) -> Result<Prefix> {
        // The common spellings first, without the general parser's overhead; whatever
        // they do not accept is parsed (and rejected) below.
        if let Some(prefix) =
            canonical_ipv4(text.as_bytes()).or_else(|| plain_ipv6(text.as_bytes()))
        {
            return Ok(prefix);
        }
        let trimmed = text.trim();
        let invalid = |reason: &'static str| Error::InvalidPrefix {
            input: shorten(text),
            reason,
        };
        if trimmed.is_empty() {
            return Err(invalid("empty"));
        }
        if trimmed.len() > MAX_PREFIX_TEXT {
            return Err(invalid("too long to be a prefix"));
        }
        let (addr_text, len_text) = match trimmed.split_once('/') {
            Some((addr, len)) => (addr, Some(len)),
            None => (trimmed, None),
        };
        let (family, first) = address(addr_text).ok_or_else(|| {
            invalid(if addr_text.contains(':') {
                "not an IPv6 address"
            } else {
                "not an IPv4 or IPv6 address"
            })
        })?;
        let max = family.bits();
        let len = match len_text {
            None => max,
            Some(digits) => {
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(invalid("the prefix length must be a number after '/'"));
                }
                let value = crate::text::length(digits);
                if value > u32::from(max) {
                    return Err(Error::PrefixTooLong {
                        input: shorten(text),
                        len: value,
                        max,
                    });
                }
                value as u8
            }
        };
        let masked = Prefix::from_parts(family, first & !host_mask(family, len), len);
        if masked.first != first && mode == ParseMode::Strict {
            return Err(Error::HostBitsSet {
                input: shorten(text),
                suggested: masked.to_string(),
            });
        }
        Ok(masked)
    }

    /// The prefix of `family` starting at `first` (IPv4 as the low 32 bits) with length `len`.
    ///
    /// Fails if `len` is too long for the family, `first` is outside it, or host bits are set.
    pub fn new(family: Family, first: u128, len: u8) -> Result<Prefix> {
        if len > family.bits() {
            return Err(Error::PrefixTooLong {
                input: format!("{}/{}", family, len),
                len: u32::from(len),
                max: family.bits(),
            });
        }
        if first > family.max_addr() {
            return Err(Error::InvalidPrefix {
                input: format!("{first:#x}/{len}"),
                reason: "address outside the family",
            });
        }
        let prefix = Prefix { family, first, len };
        if first & prefix.host_mask() != 0 {
            let masked = Prefix {
                first: first & !prefix.host_mask(),
                ..prefix
            };
            return Err(Error::HostBitsSet {
                // The address as given, host bits and all, spelled as every prefix is.
                input: PrefixText::of(&prefix).as_str().into(),
                suggested: masked.to_string(),
            });
        }
        Ok(prefix)
    }

    /// Like [`Prefix::new`] for callers that already guarantee alignment and range.
    pub(crate) const fn from_parts(family: Family, first: u128, len: u8) -> Prefix {
        Prefix { family, first, len }
    }

    /// Converts an `ipnet` network, masking host bits.
    pub fn from_ipnet(net: IpNet) -> Prefix {
        let net = net.trunc();
        match net {
            IpNet::V4(n) => Prefix {
                family: Family::V4,
                first: u128::from(u32::from(n.network())),
                len: n.prefix_len(),
            },
            IpNet::V6(n) => Prefix {
                family: Family::V6,
                first: u128::from(n.network()),
                len: n.prefix_len(),
            },
        }
    }

    /// This prefix as an `ipnet` network.
    pub fn to_ipnet(&self) -> IpNet {
        match self.family {
            Family::V4 => IpNet::V4(
                Ipv4Net::new(Ipv4Addr::from(self.first as u32), self.len)
                    .unwrap_or_else(|_| Ipv4Net::default()),
            ),
            Family::V6 => IpNet::V6(
                Ipv6Net::new(Ipv6Addr::from(self.first), self.len)
                    .unwrap_or_else(|_| Ipv6Net::default()),
            ),
        }
    }

    /// The address family.
    #[inline(always)]
    pub const fn family(&self) -> Family {
        self.family
    }

    /// The prefix length.
    #[allow(clippy::len_without_is_empty)]
    #[inline(always)]
    pub const fn len(&self) -> u8 {
        self.len
    }

    /// The longest prefix length of the family: 32 or 128.
    pub const fn max_len(&self) -> u8 {
        self.family.bits()
    }

    /// The first (network) address as a `u128`; IPv4 addresses occupy the low 32 bits.
    #[inline(always)]
    pub const fn first(&self) -> u128 {
        self.first
    }

    /// The last address as a `u128`.
    #[inline(always)]
    pub const fn last(&self) -> u128 {
        self.first | self.host_mask()
    }

    /// The network address.
    pub fn network(&self) -> IpAddr {
        addr_to_ip(self.family, self.first)
    }

    /// The number of addresses, `2^(max_len - len)`.
    pub fn size(&self) -> AddrCount {
        AddrCount::power_of_two(u32::from(self.max_len() - self.len))
    }

    /// Number of host bits: `max_len - len`.
    pub const fn host_bits(&self) -> u8 {
        self.max_len() - self.len
    }

    /// Whether `other` lies entirely inside this prefix (a prefix contains itself).
    pub fn contains(&self, other: &Prefix) -> bool {
        self.family == other.family
            && self.len <= other.len
            && self.first <= other.first
            && other.last() <= self.last()
    }

    /// Whether the two prefixes share at least one address.
    pub fn overlaps(&self, other: &Prefix) -> bool {
        self.family == other.family && self.first <= other.last() && other.first <= self.last()
    }

    /// The enclosing prefix one bit shorter, or `None` for a `/0`.
    pub fn parent(&self) -> Option<Prefix> {
        if self.len == 0 {
            return None;
        }
        let len = self.len - 1;
        let host = host_mask(self.family, len);
        Some(Prefix {
            family: self.family,
            first: self.first & !host,
            len,
        })
    }

    #[inline(always)]
    const fn host_mask(&self) -> u128 {
        host_mask(self.family, self.len)
    }
}

/// Bits below the mask of a `/len` in `family`, as a `u128`.
#[inline(always)]
pub(crate) const fn host_mask(family: Family, len: u8) -> u128 {
    // IPv4 masks are computed in 32 bits: 128-bit shifts are library calls in WebAssembly.
    let mask = match family {
        Family::V4 => match u32::MAX.checked_shr(len as u32) {
            Some(mask) => Some(mask as u128),
            None => None,
        },
        Family::V6 => u128::MAX.checked_shr(len as u32),
    };
    match mask {
        Some(mask) => mask,
        None => 0,
    }
}

pub(crate) fn addr_to_ip(family: Family, addr: u128) -> IpAddr {
    match family {
        Family::V4 => IpAddr::V4(Ipv4Addr::from(addr as u32)),
        Family::V6 => IpAddr::V6(Ipv6Addr::from(addr)),
    }
}

/// Keeps error messages readable when the input is huge.
pub(crate) fn shorten(text: &str) -> String {
    const KEEP: usize = 80;
    if text.len() <= KEEP {
        return text.to_string();
    }
    let mut end = KEEP;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(PrefixText::of(self).as_str())
    }
}

impl FromStr for Prefix {
    type Err = Error;
    fn from_str(text: &str) -> Result<Prefix> {
        Prefix::parse(text)
    }
}

impl From<IpNet> for Prefix {
    fn from(net: IpNet) -> Self {
        Prefix::from_ipnet(net)
    }
}

impl From<Prefix> for IpNet {
    fn from(p: Prefix) -> Self {
        p.to_ipnet()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Prefix {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Prefix {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Prefix;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a CIDR prefix such as \"10.0.0.0/8\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> core::result::Result<Prefix, E> {
                Prefix::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}

/// An IP address as `core::net` reads it: the family and the address (IPv4 as 0..2^32).
pub(crate) fn address(text: &str) -> Option<(Family, u128)> {
    match text.parse::<core::net::IpAddr>().ok()? {
        core::net::IpAddr::V4(a) => Some((Family::V4, u128::from(u32::from(a)))),
        core::net::IpAddr::V6(a) => Some((Family::V6, u128::from(a))),
    }
}

//! Exact address counts, up to and including 2^128.

use core::fmt;
use core::ops::{Add, AddAssign};

/// An exact number of addresses, from 0 to 2^128 inclusive.
///
/// `u128` stops one short of the size of the whole IPv6 space, so the count carries one
/// more bit. Counts are computed from interval bounds, never by enumerating addresses.
///
/// ```
/// use cidrplan::{AddrCount, Prefix};
/// let all: Prefix = "::/0".parse()?;
/// assert_eq!(all.size().to_string(), "340282366920938463463374607431768211456");
/// assert_eq!(all.size().to_u128(), None);
/// assert_eq!("10.0.0.0/8".parse::<Prefix>()?.size(), AddrCount::from(16_777_216u128));
/// # Ok::<(), cidrplan::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct AddrCount {
    // Field order matters for the derived ordering: the carry bit is the most significant.
    full: bool,
    low: u128,
}

impl AddrCount {
    /// Zero addresses.
    pub const ZERO: AddrCount = AddrCount {
        full: false,
        low: 0,
    };
    /// 2^128 addresses: the whole IPv6 space.
    pub const ALL_IPV6: AddrCount = AddrCount { full: true, low: 0 };

    /// The count of addresses in `[first, last]` (inclusive bounds).
    pub fn from_range(first: u128, last: u128) -> AddrCount {
        debug_assert!(first <= last);
        let span = last - first;
        match span.checked_add(1) {
            Some(low) => AddrCount { full: false, low },
            None => AddrCount::ALL_IPV6,
        }
    }

    /// `2^bits` addresses (`bits` <= 128).
    pub fn power_of_two(bits: u32) -> AddrCount {
        if bits >= 128 {
            AddrCount::ALL_IPV6
        } else {
            AddrCount {
                full: false,
                low: 1u128 << bits,
            }
        }
    }

    /// The count as a `u128`, or `None` for 2^128.
    pub fn to_u128(self) -> Option<u128> {
        if self.full {
            None
        } else {
            Some(self.low)
        }
    }

    /// The count as a `u128`, saturating at `u128::MAX`.
    pub fn saturating_u128(self) -> u128 {
        self.to_u128().unwrap_or(u128::MAX)
    }

    /// The count as an `f64` (approximate above 2^53).
    pub fn as_f64(self) -> f64 {
        if self.full {
            // 2^128 exactly.
            340_282_366_920_938_463_463_374_607_431_768_211_456.0
        } else {
            self.low as f64
        }
    }

    /// Whether the count is zero.
    pub fn is_zero(self) -> bool {
        !self.full && self.low == 0
    }

    /// Subtraction that stops at zero.
    pub fn saturating_sub(self, other: AddrCount) -> AddrCount {
        if other >= self {
            return AddrCount::ZERO;
        }
        let (low, borrow) = self.low.overflowing_sub(other.low);
        AddrCount {
            full: self.full && !borrow && !other.full,
            low,
        }
    }
}

impl From<u128> for AddrCount {
    fn from(low: u128) -> Self {
        AddrCount { full: false, low }
    }
}

impl From<u64> for AddrCount {
    fn from(low: u64) -> Self {
        AddrCount {
            full: false,
            low: u128::from(low),
        }
    }
}

impl Add for AddrCount {
    type Output = AddrCount;
    /// Adds, saturating at 2^128 (no set of addresses is larger).
    fn add(self, rhs: AddrCount) -> AddrCount {
        if self.full || rhs.full {
            return AddrCount::ALL_IPV6;
        }
        match self.low.checked_add(rhs.low) {
            Some(low) => AddrCount { full: false, low },
            None => AddrCount::ALL_IPV6,
        }
    }
}

impl AddAssign for AddrCount {
    fn add_assign(&mut self, rhs: AddrCount) {
        *self = *self + rhs;
    }
}

impl fmt::Display for AddrCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.full {
            f.write_str("340282366920938463463374607431768211456")
        } else {
            self.low.fmt(f)
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for AddrCount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

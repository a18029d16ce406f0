//! The unsigned integer widths an address set can be built over.

use core::fmt::Debug;
use core::hash::Hash;

mod sealed {
    pub trait Sealed {}
    impl Sealed for u32 {}
    impl Sealed for u128 {}
}

/// An address width: `u32` for IPv4, `u128` for IPv6.
///
/// Sealed: the engine relies on exactly these two widths.
pub trait Bits: Copy + Ord + Eq + Hash + Debug + Default + sealed::Sealed {
    /// Number of bits (32 or 128).
    const BITS: u8;
    /// The lowest address.
    const ZERO: Self;
    /// The highest address.
    const MAX: Self;
    /// Widens to `u128`.
    fn to_u128(self) -> u128;
    /// Narrows from `u128`, keeping the low bits.
    fn from_u128(value: u128) -> Self;
    /// `self + 1`, or `None` at the top of the space.
    fn checked_inc(self) -> Option<Self>;
    /// `self - 1`, or `None` at zero.
    fn checked_dec(self) -> Option<Self>;
}

impl Bits for u32 {
    const BITS: u8 = 32;
    const ZERO: Self = 0;
    const MAX: Self = u32::MAX;
    fn to_u128(self) -> u128 {
        u128::from(self)
    }
    fn from_u128(value: u128) -> Self {
        value as u32
    }
    fn checked_inc(self) -> Option<Self> {
        self.checked_add(1)
    }
    fn checked_dec(self) -> Option<Self> {
        self.checked_sub(1)
    }
}

impl Bits for u128 {
    const BITS: u8 = 128;
    const ZERO: Self = 0;
    const MAX: Self = u128::MAX;
    fn to_u128(self) -> u128 {
        self
    }
    fn from_u128(value: u128) -> Self {
        value
    }
    fn checked_inc(self) -> Option<Self> {
        self.checked_add(1)
    }
    fn checked_dec(self) -> Option<Self> {
        self.checked_sub(1)
    }
}

//! Small text helpers in place of the standard library's generic ones (`[String]::join`,
//! `str::parse` of integers), each of whose copies costs the npm module hundreds of bytes
//! for a few short messages and numbers.

use alloc::string::String;
use core::fmt;

/// A `u128` written in decimal as `{}` writes it (width and fill included), without core's
/// 128-bit formatting: that is a kilobyte and a half of WebAssembly, and address counts are
/// the crate's only numbers past 64 bits. Counts below 2^64 use 64-bit division.
#[derive(Clone, Copy)]
pub struct Decimal(pub u128);

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut digits = [0u8; 39];
        let mut at = digits.len();
        let mut wide = self.0;
        // The digits past 64 bits first, 19 at a time, so the rest divides as a u64.
        let mut narrow = loop {
            if let Ok(narrow) = u64::try_from(wide) {
                break narrow;
            }
            let mut low = (wide % 10_000_000_000_000_000_000) as u64;
            wide /= 10_000_000_000_000_000_000;
            for _ in 0..19 {
                at -= 1;
                digits[at] = b'0' + (low % 10) as u8;
                low /= 10;
            }
        };
        loop {
            at -= 1;
            digits[at] = b'0' + (narrow % 10) as u8;
            narrow /= 10;
            if narrow == 0 {
                break;
            }
        }
        f.pad_integral(true, "", core::str::from_utf8(&digits[at..]).unwrap_or("0"))
    }
}

/// The value of `digits` (ASCII decimal digits, nothing else), or `None` when it is empty,
/// holds anything else or is larger than `u128` holds.
pub fn decimal(digits: &str) -> Option<u128> {
    if digits.is_empty() {
        return None;
    }
    digits.bytes().try_fold(0u128, |value, b| {
        if !b.is_ascii_digit() {
            return None;
        }
        value.checked_mul(10)?.checked_add(u128::from(b - b'0'))
    })
}

/// A prefix length as written after a `/` (digits, which callers check), or `u32::MAX`
/// when it is past `u32`, so that it is reported as too long rather than as malformed.
pub(crate) fn length(digits: &str) -> u32 {
    decimal(digits).map_or(u32::MAX, |v| u32::try_from(v).unwrap_or(u32::MAX))
}

/// `parts` with `separator` between each two.
pub fn join(parts: &[String], separator: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_reads_as_parse_does() {
        use alloc::string::ToString;
        let max = u128::MAX.to_string();
        let past = alloc::format!("{max}0");
        for other in ["+1", "-1", "1a", " 1", "1 ", "١"] {
            assert_eq!(decimal(other), None, "{other}");
        }
        for digits in [
            "",
            "0",
            "007",
            "32",
            "340282366920938463463374607431768211455",
            "340282366920938463463374607431768211456",
            &max,
            &past,
        ] {
            assert_eq!(decimal(digits), digits.parse::<u128>().ok(), "{digits}");
        }
    }

    #[test]
    fn decimal_writes_as_core_does() {
        use alloc::format;
        let mut n = 1u128;
        let mut cases = alloc::vec![
            0,
            9,
            10,
            u128::from(u64::MAX),
            u128::from(u64::MAX) + 1,
            u128::MAX
        ];
        for _ in 0..130 {
            cases.push(n);
            cases.push(n - 1);
            n = n.wrapping_mul(3).wrapping_add(7);
        }
        for n in cases {
            assert_eq!(format!("{}", Decimal(n)), format!("{n}"));
            assert_eq!(format!("{:>45}", Decimal(n)), format!("{n:>45}"));
            assert_eq!(format!("{:<3}|", Decimal(n)), format!("{n:<3}|"));
        }
    }

    #[test]
    fn joins_as_the_standard_library_does() {
        let parts = [String::from("a"), String::new(), String::from("b c")];
        for n in 0..=parts.len() {
            assert_eq!(join(&parts[..n], "; "), parts[..n].join("; "));
        }
    }
}

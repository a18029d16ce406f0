//! Small text helpers in place of the standard library's generic ones (`[String]::join`,
//! `str::parse` of integers), each of whose copies costs the npm module hundreds of bytes
//! for a few short messages and numbers.

use alloc::string::String;

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
    fn joins_as_the_standard_library_does() {
        let parts = [String::from("a"), String::new(), String::from("b c")];
        for n in 0..=parts.len() {
            assert_eq!(join(&parts[..n], "; "), parts[..n].join("; "));
        }
    }
}

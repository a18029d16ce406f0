//! Text helpers for messages and outputs: quoting user-supplied text, and reading the
//! digits of a length or count.
//!
//! Numbers are written with `{}` and lists joined with `[String]::join`; this module holds
//! only what the standard library does not say the same way.

use alloc::format;
use alloc::string::String;

/// `text` as a double-quoted scalar that is valid JSON and valid YAML: quotes, backslashes
/// and control characters are escaped, so a name can never end a document or add a key.
///
/// ```
/// use cidrplan::export::quoted;
/// assert_eq!(quoted("a\"b\n---"), r#""a\"b\n---""#);
/// ```
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // C0, DEL, C1 and the Unicode line separators: YAML parsers treat some as
            // breaks, so they always travel escaped.
            c if (c as u32) < 0x20
                || (0x7f..=0x9f).contains(&(c as u32))
                || c == '\u{2028}'
                || c == '\u{2029}'
                || c == '\u{feff}' =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The value of `digits` (ASCII decimal digits, nothing else), or `None` when it is empty,
/// holds anything else (`str::parse` also takes a leading `+`) or is larger than `u128`
/// holds.
pub(crate) fn decimal(digits: &str) -> Option<u128> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A prefix length as written after a `/` (digits, which callers check), or `u32::MAX`
/// when it is past `u32`, so that it is reported as too long rather than as malformed.
pub(crate) fn length(digits: &str) -> u32 {
    decimal(digits).map_or(u32::MAX, |v| u32::try_from(v).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_reads_digits_only() {
        use alloc::string::ToString;
        let max = u128::MAX.to_string();
        let past = alloc::format!("{max}0");
        for other in ["+1", "-1", "1a", " 1", "1 ", "١", ""] {
            assert_eq!(decimal(other), None, "{other}");
        }
        for digits in ["0", "007", "32", &max, &past] {
            assert_eq!(decimal(digits), digits.parse::<u128>().ok(), "{digits}");
        }
    }
}

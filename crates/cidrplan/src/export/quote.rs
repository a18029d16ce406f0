//! Writing user-supplied text safely into YAML, JSON and Kubernetes names.

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

/// A DNS label (RFC 1123: lowercase letters, digits and `-`, at most 63, starting and
/// ending alphanumeric) made from `name`, for Kubernetes `metadata.name`; `fallback` when
/// nothing usable is left.
///
/// ```
/// use cidrplan::export::dns_label;
/// assert_eq!(dns_label("Cluster A_1", "c0"), "cluster-a-1");
/// assert_eq!(dns_label("<img>", "c0"), "img");
/// assert_eq!(dns_label("東京", "cluster-0"), "cluster-0");
/// ```
pub fn dns_label(name: &str, fallback: &str) -> String {
    let mut label = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            label.push(c);
        } else if !label.ends_with('-') && !label.is_empty() {
            label.push('-');
        }
        if label.len() >= 63 {
            break;
        }
    }
    let label = label.trim_matches('-');
    if label.is_empty() {
        String::from(fallback)
    } else {
        String::from(label)
    }
}

//! Kubernetes names made from user-supplied text.

use alloc::string::String;

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

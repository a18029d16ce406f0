//! Lists of named values that arrive as a mapping or as a list of pairs.

use crate::text::quoted;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

use alloc::string::ToString;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Entries that may be written as `{"a": v, "b": w}` (order kept) or as a list whose
/// elements `E` say how one entry looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedList<E>(pub Vec<E>);

/// Builds a list entry from a mapping's key and value.
pub trait FromMapEntry<'de>: Sized {
    /// The mapping's value type.
    type Value: Deserialize<'de>;
    /// Combines a key and its value.
    fn from_entry(name: String, value: Self::Value) -> Self;
}

impl<'de, E> Deserialize<'de> for NamedList<E>
where
    E: Deserialize<'de> + FromMapEntry<'de>,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ListVisitor<E>(PhantomData<E>);
        impl<'de, E> Visitor<'de> for ListVisitor<E>
        where
            E: Deserialize<'de> + FromMapEntry<'de>,
        {
            type Value = NamedList<E>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list or a mapping of name to value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                loop {
                    match seq.next_element::<E>() {
                        Ok(Some(entry)) => out.push(entry),
                        Ok(None) => return Ok(NamedList(out)),
                        Err(e) => return Err(de::Error::custom(located(Entry::At(out.len()), &e))),
                    }
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1 << 16));
                while let Some(name) = map.next_key::<String>()? {
                    let value = map
                        .next_value::<E::Value>()
                        .map_err(|e| de::Error::custom(located(Entry::Named(&name), &e)))?;
                    out.push(E::from_entry(name, value));
                }
                Ok(NamedList(out))
            }
        }
        d.deserialize_any(ListVisitor(PhantomData))
    }
}

/// Which entry of a list failed.
enum Entry<'a> {
    /// The entry at this position of a list.
    At(usize),
    /// The value of this key of a mapping.
    Named(&'a str),
}

/// `entry 3: ...` or `entry "b": ...`: an entry's error named by where it is, without the
/// position a text format appends (`... at line 1 column 40`, as the error naming the
/// entry gets the format's position of its own) or the `Error: ` that JavaScript's
/// `String(err)` puts before a message. Not generic, so one copy serves every list.
fn located(entry: Entry<'_>, error: &dyn fmt::Display) -> String {
    let text = error.to_string();
    let message = strip_position(&text);
    let message = message.strip_prefix("Error: ").unwrap_or(message);
    match entry {
        Entry::At(index) => alloc::format!("entry {index}: {message}"),
        Entry::Named(name) => {
            alloc::format!("entry {}: {message}", quoted(&crate::prefix::shorten(name)))
        }
    }
}

/// A list entry's error without the `entry 3: ` or `entry "b": ` prefix [`NamedList`] puts
/// before it, for callers that name the entry by a path of their own (`requests[3]`,
/// `requests.b`). Other messages are returned whole.
pub fn without_entry(message: &str) -> &str {
    let Some(rest) = message.strip_prefix("entry ") else {
        return message;
    };
    let after = if let Some(quoted) = rest.strip_prefix('"') {
        // A quoted key: skip to its closing quote, past escaped characters.
        let mut chars = quoted.char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    end = Some(i + 1);
                    break;
                }
                _ => {}
            }
        }
        end.map(|end| &quoted[end..])
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        (digits > 0).then(|| &rest[digits..])
    };
    after
        .and_then(|after| after.strip_prefix(": "))
        .unwrap_or(message)
}

/// `text` without a trailing ` at line N column M`.
fn strip_position(text: &str) -> &str {
    // Byte comparisons rather than `str` pattern searches, which would add a substring
    // searcher to the WebAssembly module for this one message.
    const AT_LINE: &[u8] = b" at line ";
    let bytes = text.as_bytes();
    let Some(at) = bytes.windows(AT_LINE.len()).rposition(|w| w == AT_LINE) else {
        return text;
    };
    let mut words = bytes[at + AT_LINE.len()..].split(|&b| b == b' ');
    let is_number =
        |w: Option<&[u8]>| w.is_some_and(|w| !w.is_empty() && w.iter().all(u8::is_ascii_digit));
    let positioned = is_number(words.next())
        && words.next() == Some(b"column".as_slice())
        && is_number(words.next())
        && words.next().is_none();
    if positioned {
        &text[..at]
    } else {
        text
    }
}

impl<E> Default for NamedList<E> {
    fn default() -> Self {
        NamedList(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{ItemEntry, RequestEntry};
    use alloc::string::ToString;

    fn error<E>(json: &str) -> String
    where
        E: for<'de> Deserialize<'de> + for<'de> FromMapEntry<'de> + fmt::Debug,
    {
        serde_json::from_str::<NamedList<E>>(json)
            .expect_err(json)
            .to_string()
    }

    #[test]
    fn a_bad_entry_is_named_by_its_position_or_its_key() {
        let message = error::<RequestEntry>(r#"[["a", "/8"], ["b", true]]"#);
        assert!(
            message.starts_with("entry 1: invalid type: boolean `true`, expected a request size"),
            "{message}"
        );
        // One position, the outer one: the entry's own was dropped.
        assert_eq!(message.matches(" at line ").count(), 1, "{message}");

        let message = error::<RequestEntry>(r#"{"a": "/8", "b": -3}"#);
        assert!(
            message.starts_with(r#"entry "b": -3 is not an address count"#),
            "{message}"
        );

        let message = error::<ItemEntry>(r#"["10.0.0.0/8", ["dc"]]"#);
        assert!(
            message.starts_with("entry 1: invalid length 1"),
            "{message}"
        );
    }

    #[test]
    fn only_a_trailing_position_is_stripped() {
        assert_eq!(strip_position("bad at line 1 column 40"), "bad");
        assert_eq!(strip_position("bad"), "bad");
        assert_eq!(
            strip_position("bad at line one column 40"),
            "bad at line one column 40"
        );
        assert_eq!(
            strip_position("bad at line 1 column 40 x"),
            "bad at line 1 column 40 x"
        );
        assert_eq!(
            strip_position("bad at line  column 4"),
            "bad at line  column 4"
        );
    }

    #[test]
    fn without_entry_drops_only_the_entry_prefix() {
        assert_eq!(without_entry("entry 3: bad size"), "bad size");
        assert_eq!(without_entry(r#"entry "b": bad size"#), "bad size");
        assert_eq!(without_entry(r#"entry "a\"b": bad"#), "bad");
        assert_eq!(without_entry("entry : bad"), "entry : bad");
        assert_eq!(without_entry("entry 3 bad"), "entry 3 bad");
        assert_eq!(without_entry(r#"entry "open: bad"#), r#"entry "open: bad"#);
        assert_eq!(without_entry("bad size"), "bad size");
        // What the lists write comes back off exactly.
        let message = error::<RequestEntry>(r#"{"a": "/8", "b": -3}"#);
        assert!(without_entry(&message).starts_with("-3 is not an address count"));
    }
}

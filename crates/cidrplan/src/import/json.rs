//! The JSON document the importers read: serde_json's parser, into a tree that borrows its
//! strings from the text where they hold no escapes and keeps each object's entries in one
//! sorted list. serde_json's own `Value` gave every object a B-tree node of its own: for
//! 10^5 kubectl nodes or 10^6 NetBox prefixes, building and freeing those nodes was most
//! of an import's time and memory. Lookups, iteration order (by key) and duplicate keys
//! (the last one wins) behave as with serde_json's `Value`.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

/// A JSON value whose strings borrow from the text `'a`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as serde_json reads it.
    Number(Number),
    /// A string.
    String(Cow<'a, str>),
    /// A list.
    Array(Vec<Value<'a>>),
    /// An object.
    Object(Map<'a>),
}

/// Objects of up to this many keys are searched in order rather than by halving.
const SCAN_MAX: usize = 8;

/// An object's entries, sorted by key, one per key.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Map<'a> {
    entries: Vec<(Cow<'a, str>, Value<'a>)>,
}

impl<'a> Map<'a> {
    /// The value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Value<'a>> {
        // Most objects hold a handful of keys, where comparing lengths first beats halving.
        if self.entries.len() <= SCAN_MAX {
            return self
                .entries
                .iter()
                .find(|(k, _)| k.as_ref() == key)
                .map(|(_, v)| v);
        }
        self.entries
            .binary_search_by(|(k, _)| k.as_ref().cmp(key))
            .ok()
            .and_then(|i| self.entries.get(i))
            .map(|(_, v)| v)
    }

    /// Whether `key` is there.
    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The entries in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Value<'a>)> {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

impl<'a> Value<'a> {
    /// The value of `key` where this is an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Object(map) => map.get(key),
            _ => None,
        }
    }

    /// The string, where this is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The list, where this is one.
    pub(crate) fn as_array(&self) -> Option<&Vec<Value<'a>>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// Whether this is an object.
    pub(crate) fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// Whether this is a list.
    pub(crate) fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// The value at a JSON pointer (`/a/b/0`), as serde_json's `Value::pointer` finds it.
    pub(crate) fn pointer(&self, pointer: &str) -> Option<&Value<'a>> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |v, token| {
            let token = token.replace("~1", "/").replace("~0", "~");
            match v {
                Value::Object(map) => map.get(&token),
                Value::Array(items) => {
                    if token.starts_with('+') || (token.len() > 1 && token.starts_with('0')) {
                        return None;
                    }
                    token.parse::<usize>().ok().and_then(|i| items.get(i))
                }
                _ => None,
            }
        })
    }

    /// The same value as serde_json's `Value` (for printing it as JSON).
    fn to_serde(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(String::from(s.as_ref())),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_serde).collect())
            }
            Value::Object(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| (String::from(k), v.to_serde()))
                    .collect(),
            ),
        }
    }
}

/// Compact JSON, as serde_json prints its `Value`.
impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            other => write!(f, "{}", other.to_serde()),
        }
    }
}

/// A string that borrows from the text where it can.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(String::from(v))))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

impl<'de> Deserialize<'de> for Value<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value<'de>, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value<'de>, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value<'de>, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(String::from(v))))
    }

    fn visit_string<E>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v)))
    }

    fn visit_none<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value<'de>, D::Error> {
        Deserialize::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value<'de>, A::Error> {
        let mut entries: Vec<(Cow<'de, str>, Value<'de>)> = Vec::new();
        while let Some(Text(key)) = access.next_key()? {
            let value = access.next_value()?;
            entries.push((key, value));
        }
        // Sorted by key, stably, and of each key the last entry kept: a map's behaviour.
        if !entries.is_sorted_by(|a, b| a.0 < b.0) {
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut deduped: Vec<(Cow<'de, str>, Value<'de>)> = Vec::with_capacity(entries.len());
            for entry in entries {
                match deduped.last_mut() {
                    Some(last) if last.0 == entry.0 => *last = entry,
                    _ => deduped.push(entry),
                }
            }
            entries = deduped;
        }
        Ok(Value::Object(Map { entries }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every behaviour the importers rely on matches serde_json's `Value`: lookups,
    /// pointers, key order, duplicate keys, numbers, escapes and printing (keys sorted).
    #[test]
    fn reads_as_serde_json_does() {
        let texts = [
            r#"{"b": 1, "a": [true, null, 2.5, -3], "c": {"x": "y\"z", "x": "last"}}"#,
            r#"{"z": {"y": [{"x": 1}]}, "a~b": 2, "a/b": 3, "": 4, "m": 18446744073709551615}"#,
            r#"[1, "two", {"three": 3e2}, [], {}]"#,
            r#""\u00e9t\u00e9""#,
            r#"{"k9": 9, "k1": 1, "k2": 2, "k3": 3, "k4": 4, "k5": 5, "k6": 6, "k7": 7, "k8": 8, "k0": 0, "k1": 11}"#,
        ];
        for text in texts {
            let ours: Value<'_> = serde_json::from_str(text).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours.to_serde(), theirs, "{text}");
            // Printed keys are sorted, as serde_json prints without its `preserve_order`
            // feature (which another workspace member may switch on): compare what the
            // text says, not the order serde_json happens to print it in.
            let printed: serde_json::Value =
                serde_json::from_str(&alloc::format!("{ours}")).unwrap();
            assert_eq!(printed, theirs, "{text}");
            for pointer in [
                "", "/a", "/a/0", "/a/2", "/a/9", "/a/01", "/c/x", "/z/y/0/x", "/a~0b", "/a~1b",
                "/", "/2/three", "/0", "x", "/k1", "/k9", "/k0",
            ] {
                assert_eq!(
                    ours.pointer(pointer).map(Value::to_serde),
                    theirs.pointer(pointer).cloned(),
                    "{text} {pointer}"
                );
            }
            if let (Value::Object(a), serde_json::Value::Object(b)) = (&ours, &theirs) {
                // Keys in byte order, as serde_json keeps them without `preserve_order`.
                let mut keys: alloc::vec::Vec<&str> = b.keys().map(String::as_str).collect();
                keys.sort_unstable();
                assert!(a.iter().map(|(k, _)| k).eq(keys));
            }
        }
    }

    #[test]
    fn borrows_strings_without_escapes() {
        let v: Value<'_> =
            serde_json::from_str(r#"{"plain": "10.0.0.0/8", "esc": "a\nb"}"#).unwrap();
        assert!(matches!(
            v.get("plain"),
            Some(Value::String(Cow::Borrowed(_)))
        ));
        assert_eq!(v.get("esc").and_then(Value::as_str), Some("a\nb"));
    }
}

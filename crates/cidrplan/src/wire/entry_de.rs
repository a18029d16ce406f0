//! Readers of the entry shapes that may be written several ways (a request as a pair or an
//! object, a size as text or a number, an item as a bare CIDR, a pair or an object).
//!
//! Each reader looks at what it is given and says what it expected, so a bad entry reads
//! `invalid type: boolean `true`, expected a request size: "/LEN", an address count or
//! {"size", "pinned"}` rather than serde's untagged "did not match any variant". They also
//! spare the module serde's buffered untagged-enum machinery.

use alloc::string::{String, ToString};
use core::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::carve::{RequestEntry, SizeScalar, SizeValue};
use super::sets::ItemEntry;

/// 2^53: from here on a floating-point number no longer holds every integer, so a count
/// that arrives as one (any JavaScript number past `Number.MAX_SAFE_INTEGER`, a JSON number
/// written with a fraction or past u64) may already have been rounded.
const FIRST_INEXACT_FLOAT: f64 = 9_007_199_254_740_992.0;

/// Reads a size; `detailed` admits the `{"size", "pinned"}` form.
struct SizeVisitor {
    detailed: bool,
}

impl SizeVisitor {
    fn count<E: de::Error>(count: u64) -> Result<SizeValue, E> {
        Ok(SizeValue::Count(count))
    }
}

impl<'de> Visitor<'de> for SizeVisitor {
    type Value = SizeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detailed {
            f.write_str(r#"a request size: "/LEN", an address count or {"size", "pinned"}"#)
        } else {
            f.write_str(r#"a request size: "/LEN" or an address count"#)
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<SizeValue, E> {
        Self::count(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<SizeValue, E> {
        match u64::try_from(v) {
            Ok(count) => Self::count(count),
            Err(_) => Err(E::custom(format_args!(
                "{v} is not an address count: counts cannot be negative"
            ))),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<SizeValue, E> {
        match u64::try_from(v) {
            Ok(count) => Self::count(count),
            Err(_) => Ok(SizeValue::Text(v.to_string())),
        }
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<SizeValue, E> {
        match u128::try_from(v) {
            Ok(count) => self.visit_u128(count),
            Err(_) => Err(E::custom(format_args!(
                "{v} is not an address count: counts cannot be negative"
            ))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<SizeValue, E> {
        // The value itself is not quoted: formatting floats would cost the WebAssembly
        // module kilobytes, and the message says what is wrong without it.
        let whole = v == (v as u64) as f64;
        if !v.is_finite() {
            Err(E::custom("an address count must be a finite number"))
        } else if v < 0.0 {
            Err(E::custom("an address count cannot be negative"))
        } else if v >= FIRST_INEXACT_FLOAT {
            Err(E::custom(
                "an address count of 2^53 or more loses precision as a number: \
                 write it as a decimal string, such as \"18446744073709551616\"",
            ))
        } else if !whole {
            Err(E::custom(
                "an address count must be a whole number (or use \"/LEN\")",
            ))
        } else {
            Self::count(v as u64)
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<SizeValue, E> {
        Ok(SizeValue::Text(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<SizeValue, E> {
        Ok(SizeValue::Text(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SizeValue, A::Error> {
        if !self.detailed {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        let mut size = None;
        let mut pinned = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "size" => set_once(&mut size, "size", map.next_value::<Option<SizeScalar>>()?)?,
                "pinned" => set_once(&mut pinned, "pinned", map.next_value::<Option<String>>()?)?,
                other => return Err(de::Error::unknown_field(other, &["size", "pinned"])),
            }
        }
        Ok(SizeValue::Detailed {
            size: size.flatten(),
            pinned: pinned.flatten(),
        })
    }
}

/// Stores a field's value, refusing a second one.
fn set_once<T, E: de::Error>(slot: &mut Option<T>, field: &'static str, value: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(field));
    }
    *slot = Some(value);
    Ok(())
}

/// Reads the two elements of a `[first, second]` pair, refusing fewer or more.
fn read_pair<'de, A, X, Y>(mut seq: A, expected: &dyn de::Expected) -> Result<(X, Y), A::Error>
where
    A: SeqAccess<'de>,
    X: Deserialize<'de>,
    Y: Deserialize<'de>,
{
    let first = seq
        .next_element::<X>()?
        .ok_or_else(|| de::Error::invalid_length(0, expected))?;
    let second = seq
        .next_element::<Y>()?
        .ok_or_else(|| de::Error::invalid_length(1, expected))?;
    let mut extra = 0;
    while seq.next_element::<IgnoredAny>()?.is_some() {
        extra += 1;
    }
    if extra > 0 {
        return Err(de::Error::invalid_length(2 + extra, expected));
    }
    Ok((first, second))
}

impl<'de> Deserialize<'de> for SizeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SizeVisitor { detailed: true })
    }
}

impl<'de> Deserialize<'de> for SizeScalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(SizeVisitor { detailed: false })? {
            SizeValue::Count(count) => Ok(SizeScalar::Count(count)),
            SizeValue::Text(text) => Ok(SizeScalar::Text(text)),
            // Never reached: the visitor refuses maps without `detailed`.
            SizeValue::Detailed { .. } => Err(de::Error::invalid_type(
                de::Unexpected::Map,
                &"a request size",
            )),
        }
    }
}

struct RequestVisitor;

impl<'de> Visitor<'de> for RequestVisitor {
    type Value = RequestEntry;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"a request: [name, size] or {"name", "size", "pinned"}"#)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RequestEntry, A::Error> {
        let (name, size) = read_pair(seq, &self)?;
        Ok(RequestEntry::Pair(name, size))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RequestEntry, A::Error> {
        let mut name = None;
        let mut size = None;
        let mut pinned = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "name" => set_once(&mut name, "name", map.next_value::<String>()?)?,
                "size" => set_once(&mut size, "size", map.next_value::<Option<SizeScalar>>()?)?,
                "pinned" => set_once(&mut pinned, "pinned", map.next_value::<Option<String>>()?)?,
                other => return Err(de::Error::unknown_field(other, &["name", "size", "pinned"])),
            }
        }
        Ok(RequestEntry::Named {
            name: name.ok_or_else(|| de::Error::missing_field("name"))?,
            size: size.flatten(),
            pinned: pinned.flatten(),
        })
    }
}

impl<'de> Deserialize<'de> for RequestEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RequestVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = ItemEntry;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"a prefix: "CIDR", [name, cidr] or {"name", "cidr"}"#)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ItemEntry, E> {
        Ok(ItemEntry::Cidr(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<ItemEntry, E> {
        Ok(ItemEntry::Cidr(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<ItemEntry, A::Error> {
        let (name, cidr) = read_pair(seq, &self)?;
        Ok(ItemEntry::Pair(name, cidr))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ItemEntry, A::Error> {
        let mut name = None;
        let mut cidr = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "name" => set_once(&mut name, "name", map.next_value::<String>()?)?,
                "cidr" => set_once(&mut cidr, "cidr", map.next_value::<String>()?)?,
                other => return Err(de::Error::unknown_field(other, &["name", "cidr"])),
            }
        }
        Ok(ItemEntry::Named {
            name: name.ok_or_else(|| de::Error::missing_field("name"))?,
            cidr: cidr.ok_or_else(|| de::Error::missing_field("cidr"))?,
        })
    }
}

impl<'de> Deserialize<'de> for ItemEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ItemVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    fn request(json: &str) -> Result<RequestEntry, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    fn item(json: &str) -> Result<ItemEntry, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn requests_read_in_every_documented_shape() {
        let text = |s: &str| SizeValue::Text(s.to_string());
        assert_eq!(
            request(r#"["a", "/20"]"#),
            Ok(RequestEntry::Pair("a".into(), text("/20")))
        );
        assert_eq!(
            request(r#"["a", 1581]"#),
            Ok(RequestEntry::Pair("a".into(), SizeValue::Count(1581)))
        );
        assert_eq!(
            request(r#"["a", 1581.0]"#),
            Ok(RequestEntry::Pair("a".into(), SizeValue::Count(1581)))
        );
        assert_eq!(
            request(r#"["a", 1e15]"#),
            Ok(RequestEntry::Pair(
                "a".into(),
                SizeValue::Count(1_000_000_000_000_000)
            ))
        );
        assert_eq!(
            request(r#"["a", {"pinned": "10.4.0.0/14"}]"#),
            Ok(RequestEntry::Pair(
                "a".into(),
                SizeValue::Detailed {
                    size: None,
                    pinned: Some("10.4.0.0/14".into())
                }
            ))
        );
        assert_eq!(
            request(r#"{"name": "a", "size": "1581", "pinned": null}"#),
            Ok(RequestEntry::Named {
                name: "a".into(),
                size: Some(SizeScalar::Text("1581".into())),
                pinned: None
            })
        );
    }

    #[test]
    fn bad_requests_say_what_was_expected() {
        let cases = vec![
            (r#"["a", true]"#, "expected a request size"),
            (r#"["a", -3]"#, "-3 is not an address count"),
            (r#"["a", 1.5]"#, "must be a whole number"),
            (
                r#"["a", 18446744073709551616]"#,
                "write it as a decimal string",
            ),
            (r#"["a"]"#, "invalid length 1"),
            (r#"["a", "/8", "x"]"#, "invalid length 3"),
            (r#"{"name": "a", "szie": "/8"}"#, "unknown field `szie`"),
            (r#"{"size": "/8"}"#, "missing field `name`"),
            (r#"{"name": "a", "name": "b"}"#, "duplicate field `name`"),
            (
                r#"["a", {"size": {"size": "/8"}}]"#,
                "expected a request size",
            ),
            (
                r#"7"#,
                r#"expected a request: [name, size] or {"name", "size", "pinned"}"#,
            ),
        ];
        for (json, wanted) in cases {
            let error = request(json).expect_err(json);
            assert!(error.contains(wanted), "{json}: {error}");
        }
    }

    #[test]
    fn items_read_as_cidr_pair_or_object() {
        assert_eq!(
            item(r#""10.0.0.0/8""#),
            Ok(ItemEntry::Cidr("10.0.0.0/8".into()))
        );
        assert_eq!(
            item(r#"["dc", "10.0.0.0/8"]"#),
            Ok(ItemEntry::Pair("dc".into(), "10.0.0.0/8".into()))
        );
        assert_eq!(
            item(r#"{"cidr": "10.0.0.0/8", "name": "dc"}"#),
            Ok(ItemEntry::Named {
                name: "dc".into(),
                cidr: "10.0.0.0/8".into()
            })
        );
        for (json, wanted) in [
            (
                "3",
                r#"expected a prefix: "CIDR", [name, cidr] or {"name", "cidr"}"#,
            ),
            (r#"{"name": "dc"}"#, "missing field `cidr`"),
            (
                r#"{"name": "dc", "cidr": "10.0.0.0/8", "x": 1}"#,
                "unknown field `x`",
            ),
            (r#"["dc"]"#, "invalid length 1"),
        ] {
            let error = item(json).expect_err(json);
            assert!(error.contains(wanted), "{json}: {error}");
        }
    }
}

//! Lists of named values that arrive as a mapping or as a list of pairs.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

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
                while let Some(entry) = seq.next_element::<E>()? {
                    out.push(entry);
                }
                Ok(NamedList(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1 << 16));
                while let Some((name, value)) = map.next_entry::<String, E::Value>()? {
                    out.push(E::from_entry(name, value));
                }
                Ok(NamedList(out))
            }
        }
        d.deserialize_any(ListVisitor(PhantomData))
    }
}

impl<E> Default for NamedList<E> {
    fn default() -> Self {
        NamedList(Vec::new())
    }
}

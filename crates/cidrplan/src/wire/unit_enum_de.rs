//! One reader for every enum the wire writes as a bare name (`"gcp"`, `"dual"`, `"none"`).
//!
//! A derived `Deserialize` compiles a visitor and a variant identifier of its own for each
//! enum, and each one again for every format: about a kilobyte of WebAssembly an enum. This
//! reader is shared: it follows the derived code's protocol (`deserialize_enum`, then the
//! variant's identifier, then `unit_variant`) and words every error as the derived code
//! does, so the CLI, Python and npm read the same text the same way. An enum gives its
//! name and its variants' wire names, and maps the index it gets back to a variant.

use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, VariantAccess, Visitor};

/// Reads an enum written as one of `names`; returns the index of the name read.
pub(crate) fn read_unit_enum<'de, D: Deserializer<'de>>(
    deserializer: D,
    enum_name: &'static str,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    deserializer.deserialize_enum(enum_name, names, UnitEnum { enum_name, names })
}

/// Implements `Deserialize` for a unit-only enum through [`read_unit_enum`]:
/// `deserialize_unit_enum!(Cloud { Generic = "generic", Gcp = "gcp" })`. The names must be
/// the ones its `Serialize` writes (each enum's tests read every variant back).
macro_rules! deserialize_unit_enum {
    ($ty:ident { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const VARIANTS: &[$ty] = &[$($ty::$variant),+];
                $crate::wire::unit_enum_de::read_unit_enum(
                    deserializer,
                    stringify!($ty),
                    &[$($name),+],
                )
                .map(|index| VARIANTS[index])
            }
        }
    };
}
pub(crate) use deserialize_unit_enum;

/// The enum being read: its name (for "expected enum Cloud") and its variants' names.
#[derive(Clone, Copy)]
struct UnitEnum {
    enum_name: &'static str,
    names: &'static [&'static str],
}

impl<'de> Visitor<'de> for UnitEnum {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "enum {}", self.enum_name)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<usize, A::Error> {
        let (index, variant) = data.variant_seed(VariantName(self.names))?;
        variant.unit_variant()?;
        Ok(index)
    }
}

/// Reads a variant's identifier: its name, or its index as binary formats write it.
#[derive(Clone, Copy)]
struct VariantName(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for VariantName {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for VariantName {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        match usize::try_from(v) {
            Ok(index) if index < self.0.len() => Ok(index),
            _ => Err(E::invalid_value(
                de::Unexpected::Unsigned(v),
                &IndexBelow(self.0.len()),
            )),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        match self.0.iter().position(|name| *name == v) {
            Some(index) => Ok(index),
            None => Err(E::unknown_variant(v, self.0)),
        }
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<usize, E> {
        match self.0.iter().position(|name| name.as_bytes() == v) {
            Some(index) => Ok(index),
            None => Err(E::unknown_variant(
                &alloc::string::String::from_utf8_lossy(v),
                self.0,
            )),
        }
    }
}

/// What a variant index must be: "variant index 0 <= i < 4", as derived code says.
struct IndexBelow(usize);

impl de::Expected for IndexBelow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "variant index 0 <= i < {}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;
    use serde::Deserialize;

    use crate::k8s::{
        Cloud, ClusterFamily, Exposure, Footprint, Integration, IpSpace, ModelChoice,
    };

    /// What derived code makes of the same enums: the reader must word everything alike.
    mod derived {
        use serde::Deserialize;

        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Cloud {
            Generic,
            Gcp,
            Aws,
            Azure,
        }

        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Integration {
            #[serde(rename = "none")]
            Unneeded,
            Some,
            High,
        }
    }

    /// The result of reading `json` as `T`, as text: the value's Debug or the error.
    fn read<T: for<'de> Deserialize<'de> + core::fmt::Debug>(json: &str) -> String {
        match serde_json::from_str::<T>(json) {
            Ok(value) => alloc::format!("{value:?}"),
            Err(e) => e.to_string(),
        }
    }

    const INPUTS: [&str; 12] = [
        r#""gcp""#,
        r#""none""#,
        r#""high""#,
        r#""Gcp""#,
        r#""""#,
        "3",
        "1",
        "-1",
        "null",
        "true",
        "[]",
        r#"{"gcp": null}"#,
    ];

    #[test]
    fn every_input_reads_and_fails_as_with_derived_code() {
        for json in INPUTS {
            assert_eq!(read::<Cloud>(json), read::<derived::Cloud>(json), "{json}");
            assert_eq!(
                read::<Integration>(json),
                read::<derived::Integration>(json),
                "{json}"
            );
        }
    }

    /// Every variant's wire name, as serialized, reads back as that variant.
    fn round_trips<T>(all: &[T])
    where
        T: serde::Serialize + for<'de> Deserialize<'de> + PartialEq + core::fmt::Debug,
    {
        let names: Vec<String> = all
            .iter()
            .map(|v| serde_json::to_string(v).unwrap())
            .collect();
        for (variant, name) in all.iter().zip(&names) {
            assert_eq!(&serde_json::from_str::<T>(name).unwrap(), variant, "{name}");
        }
    }

    #[test]
    fn every_variant_reads_back_from_its_own_name() {
        round_trips(&[Cloud::Generic, Cloud::Gcp, Cloud::Aws, Cloud::Azure]);
        round_trips(&[
            ClusterFamily::Ipv4,
            ClusterFamily::Ipv6,
            ClusterFamily::Dual,
        ]);
        round_trips(&[Integration::Unneeded, Integration::Some, Integration::High]);
        round_trips(&[IpSpace::Plentiful, IpSpace::Scarce]);
        round_trips(&[Footprint::Small, Footprint::Large]);
        round_trips(&[Exposure::Few, Exposure::Many]);
        round_trips(&[
            ModelChoice::Auto,
            ModelChoice::Flat,
            ModelChoice::Island,
            ModelChoice::Isolated,
            ModelChoice::Mapped,
            ModelChoice::Archipelago,
        ]);
    }
}

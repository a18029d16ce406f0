//! Where a value sits in a document, for errors and origins, and the readers that name it
//! when a value is wrong.

use alloc::format;
use alloc::string::{String, ToString};

use core::fmt;

use super::json::Value;

use crate::error::{Error, Result};
use crate::prefix::{ParseMode, Prefix};

/// One step into a document.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seg<'a> {
    /// The document itself.
    Root,
    /// An object key.
    Key(&'a str),
    /// A list position.
    Index(usize),
}

/// A path into a document, kept on the stack: built for every entry, written out only for
/// an origin or an error.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Seg<'a>,
}

impl<'a> Path<'a> {
    /// The document.
    pub(crate) const ROOT: Path<'static> = Path {
        parent: None,
        seg: Seg::Root,
    };

    /// `responses.200`, where an Azure REST specification example keeps its response.
    pub(crate) const RESPONSES_200: Path<'static> = Path {
        parent: Some(&Path {
            parent: Some(&Path::ROOT),
            seg: Seg::Key("responses"),
        }),
        seg: Seg::Key("200"),
    };

    /// The value under `key`.
    pub(crate) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Seg::Key(key),
        }
    }

    /// The value at list position `index`.
    pub(crate) fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Seg::Index(index),
        }
    }

    fn write(&self, f: &mut fmt::Formatter<'_>) -> Result<bool, fmt::Error> {
        let wrote = match self.parent {
            Some(parent) => parent.write(f)?,
            None => false,
        };
        match self.seg {
            Seg::Root => Ok(wrote),
            Seg::Key(k) => {
                let plain = !k.is_empty()
                    && k.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                match (plain, wrote) {
                    (true, true) => write!(f, ".{k}")?,
                    (true, false) => f.write_str(k)?,
                    (false, _) => write!(f, "[{}]", crate::text::quoted(k))?,
                }
                Ok(true)
            }
            Seg::Index(i) => {
                write!(f, "[{i}]")?;
                Ok(true)
            }
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.write(f)? {
            f.write_str("(document)")?;
        }
        Ok(())
    }
}

/// The longest stretch of a value an error quotes.
const QUOTE_MAX: usize = 80;

/// A value as an error quotes it: JSON text, shortened.
pub(crate) fn quote(value: &Value) -> String {
    let text = match value {
        Value::String(s) => crate::text::quoted(s),
        Value::Object(_) => String::from("an object"),
        Value::Array(_) => String::from("a list"),
        other => other.to_string(),
    };
    if text.len() <= QUOTE_MAX {
        return text;
    }
    let mut end = QUOTE_MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// Names the document (the file, where the caller gave one) and the path.
pub(crate) fn at(source: &str, path: &dyn fmt::Display) -> String {
    if source.is_empty() {
        path.to_string()
    } else {
        format!("{source} at {path}")
    }
}

/// An error at `path` of `source`.
pub(crate) fn bad(source: &str, path: &dyn fmt::Display, message: impl Into<String>) -> Error {
    Error::invalid_input(at(source, path), message)
}

/// The value under `keys` in turn, as `Value::pointer` finds it for keys that are not list
/// positions, without splitting and unescaping a pointer for every entry.
pub(crate) fn dig<'v>(value: &'v Value<'v>, keys: &[&str]) -> Option<&'v Value<'v>> {
    keys.iter().try_fold(value, |v, k| v.get(k))
}

/// The string under `key`, if it is there and a non-empty string.
pub(crate) fn str_of<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    match value.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        _ => None,
    }
}

/// The list under `key`, or an empty one where it is absent or `null`; an error where it
/// is something else.
pub(crate) fn list_of<'v>(
    value: &'v Value<'v>,
    key: &'v str,
    source: &str,
    path: &Path<'_>,
) -> Result<&'v [Value<'v>]> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(bad(
            source,
            &path.key(key),
            format!("expected a list, found {}", quote(other)),
        )),
    }
}

/// Reads a CIDR strictly: a string, a valid prefix, no host bits. `host` also takes a bare
/// address as a host prefix (/32 or /128), as `ip route` writes local routes.
pub(crate) fn cidr(
    value: &Value,
    source: &str,
    path: &dyn fmt::Display,
    host: bool,
) -> Result<Prefix> {
    let Value::String(text) = value else {
        return Err(bad(
            source,
            path,
            format!("expected a CIDR string, found {}", quote(value)),
        ));
    };
    let trimmed = text.trim();
    if host && !trimmed.contains('/') {
        if let Some((family, first)) = crate::prefix::address(trimmed) {
            return Prefix::new(family, first, family.bits());
        }
    }
    match Prefix::parse(trimmed) {
        Ok(p) => Ok(p),
        Err(Error::HostBitsSet { .. }) => {
            let masked = Prefix::parse_with(trimmed, ParseMode::Lenient)
                .map(|p| p.to_string())
                .unwrap_or_default();
            Err(bad(
                source,
                path,
                format!(
                    "{} has host bits set (the network is {masked})",
                    quote(value)
                ),
            ))
        }
        Err(e) => Err(bad(
            source,
            path,
            format!("{} is not a CIDR ({e})", quote(value)),
        )),
    }
}

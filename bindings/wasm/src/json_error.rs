//! The error of [`crate::json_read`] and [`crate::json_write`]: a message, and where in
//! the argument it arose.
//!
//! serde's own rendering of an unexpected value prints floating-point numbers with Rust's
//! float formatting, which would link kilobytes of formatting code into the module. This
//! error writes every other kind of value as serde does and leaves a placeholder for a
//! number, which the reader replaces with the number's own JSON text.

use std::fmt;

use serde::de::{self, Expected, Unexpected};

/// Stands for the number being read; replaced by its JSON text (see [`Error::quote_number`]).
const NUMBER_PLACEHOLDER: char = '\0';

/// A message and, once known, the path of the value that caused it. Boxed, so the
/// `Result`s the serde code passes around stay one word wide: every read of every field
/// moves one, and wider errors cost the module kilobytes.
#[derive(Debug)]
pub(crate) struct Error(Box<Detail>);

/// What an [`Error`] holds.
#[derive(Debug)]
pub(crate) struct Detail {
    /// What is wrong.
    pub(crate) message: String,
    /// Where: `[1].size`, `.clusters[0].nodes`, empty for the argument itself; `None`
    /// until the reader gives it one.
    pub(crate) path: Option<String>,
}

impl Error {
    /// An error with no path yet.
    #[inline(never)]
    pub(crate) fn new(message: String) -> Self {
        Error(Box::new(Detail {
            message,
            path: None,
        }))
    }

    /// The message and path.
    pub(crate) fn detail(&self) -> &Detail {
        &self.0
    }

    /// Sets the path, unless the error already has one (from a deeper value).
    pub(crate) fn locate(mut self, path: &str) -> Self {
        if self.0.path.is_none() {
            self.0.path = Some(String::from(path));
        }
        self
    }

    /// Replaces the number placeholder of the message with `text`, the number as written.
    pub(crate) fn quote_number(mut self, text: &str) -> Self {
        // A byte scan: a `str` pattern search would link a substring searcher.
        let message = &mut self.0.message;
        if let Some(at) = message.bytes().position(|b| b == NUMBER_PLACEHOLDER as u8) {
            // Rebuilt rather than `replace_range`, which links a splice for one use.
            let mut quoted = String::with_capacity(message.len() + text.len());
            quoted.push_str(&message[..at]);
            quoted.push_str(text);
            quoted.push_str(&message[at + 1..]);
            *message = quoted;
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {}

/// Writes what serde's `Display` for [`Unexpected`] writes (and what serde_json writes for
/// null), so the CLI, Python and npm word an error alike; a floating-point number gets the
/// placeholder.
fn describe(unexpected: &Unexpected<'_>) -> String {
    match *unexpected {
        Unexpected::Bool(b) => format!("boolean `{b}`"),
        Unexpected::Unsigned(n) => format!("integer `{n}`"),
        Unexpected::Signed(n) => format!("integer `{n}`"),
        Unexpected::Float(_) => format!("floating point `{NUMBER_PLACEHOLDER}`"),
        Unexpected::Char(c) => format!("character `{c}`"),
        Unexpected::Str(s) => format!("string {}", cidrplan::export::quoted(s)),
        Unexpected::Unit => String::from("null"),
        Unexpected::Option => String::from("Option value"),
        Unexpected::Seq => String::from("sequence"),
        Unexpected::Map => String::from("map"),
        Unexpected::Other(other) => String::from(other),
        _ => String::from("value"),
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::new(message.to_string())
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Error::new(format!(
            "invalid type: {}, expected {expected}",
            describe(&unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Error::new(format!(
            "invalid value: {}, expected {expected}",
            describe(&unexpected)
        ))
    }
}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::new(message.to_string())
    }
}

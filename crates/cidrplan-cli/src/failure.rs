//! Errors as the CLI reports them: a stable code and a message naming the input.

use std::fmt::Display;

/// A failed command, reported on stderr with exit code 2.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl Failure {
    /// A failure with a code of the core's vocabulary.
    pub(crate) fn new(code: &'static str, message: impl Display) -> Self {
        Failure {
            code,
            message: message.to_string(),
        }
    }

    /// The core error, prefixed with where it came from (`hosts.txt:3`).
    pub(crate) fn at(origin: &str, err: &cidrplan::Error) -> Self {
        Failure::new(err.code(), format!("{origin}: {err}"))
    }

    /// An I/O failure on a named file.
    pub(crate) fn io(origin: &str, err: &std::io::Error) -> Self {
        Failure::new("io_error", format!("{origin}: {err}"))
    }
}

impl From<cidrplan::Error> for Failure {
    fn from(err: cidrplan::Error) -> Self {
        Failure::new(err.code(), err)
    }
}

/// Output to stdout failed (a closed pipe, a full disk).
impl From<std::io::Error> for Failure {
    fn from(err: std::io::Error) -> Self {
        Failure::new("io_error", format!("writing output: {err}"))
    }
}

impl From<serde_json::Error> for Failure {
    fn from(err: serde_json::Error) -> Self {
        Failure::new("io_error", format!("writing output: {err}"))
    }
}

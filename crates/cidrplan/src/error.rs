//! The one error type of the crate.

use crate::text::quoted;
use alloc::string::String;
use core::fmt;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong, with the offending input named.
///
/// Each variant has a stable snake_case [`code`](Error::code) that the CLI, the npm package
/// and the Python module expose unchanged; messages are short, lowercase and name the input.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Text that is not a CIDR prefix at all.
    InvalidPrefix {
        /// The text as given.
        input: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A prefix whose address has bits set below the mask, such as `10.0.0.1/8`.
    HostBitsSet {
        /// The text as given.
        input: String,
        /// The masked prefix the input probably meant.
        suggested: String,
    },
    /// IPv4 and IPv6 prefixes were combined where one family is required.
    MixedFamilies {
        /// The first prefix (or family) seen.
        first: String,
        /// The prefix of the other family.
        second: String,
    },
    /// A prefix length longer than the family allows (`/33` for IPv4, `/129` for IPv6).
    PrefixTooLong {
        /// The text or request that carried the length.
        input: String,
        /// The length asked for.
        len: u32,
        /// The longest length of the family.
        max: u8,
    },
    /// A request does not fit in the free space that is left.
    SpaceExhausted {
        /// Name of the request that could not be placed.
        request: String,
        /// Its size, as `/LEN` (and the address count it came from, if any).
        requested: String,
        /// The largest free block that was left, if any (for `sequential`: the largest at
        /// or after its position, as it never goes back).
        largest_free: Option<String>,
        /// For `sequential`: the largest free block in the gaps it skipped, if any (it
        /// never goes back to them; best-fit and first-fit would).
        skipped_free: Option<String>,
    },
    /// A pinned allocation is outside every pool, overlaps a reserved range or another pin.
    PinnedConflict {
        /// Name of the pinned request.
        name: String,
        /// The pinned prefix.
        cidr: String,
        /// What it conflicts with.
        reason: String,
    },
    /// An input is larger than the documented limits of [`crate::limits`].
    LimitExceeded {
        /// What was counted.
        what: &'static str,
        /// The limit.
        limit: u128,
        /// What the input asked for.
        actual: u128,
    },
    /// A carve request that makes no sense on its own (zero addresses, duplicate name…).
    InvalidRequest {
        /// Name of the request.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An argument or wire-format field that is malformed (unknown strategy, wrong shape…).
    InvalidInput {
        /// The field or argument, e.g. `strategy` or `requests[2]`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// A Kubernetes plan request that is inconsistent or out of range.
    InvalidSpec {
        /// The field path, e.g. `clusters[1].max_pods_per_node`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// A network model that cannot be planned in the address space given.
    Infeasible {
        /// The model asked for.
        model: String,
        /// Why it does not fit, with the numbers.
        reason: String,
    },
    /// A plan whose ranges collide was asked for configuration: the configuration would
    /// not do what the plan says, so it is refused unless forced.
    Collision {
        /// The first collision, naming both sides.
        message: String,
        /// How many more collisions the plan has.
        more: usize,
    },
}

impl Error {
    /// Every code [`Error::code`] can return, for bindings that test each one.
    pub const ALL_CODES: &'static [&'static str] = &[
        "invalid_prefix",
        "host_bits_set",
        "mixed_families",
        "prefix_too_long",
        "space_exhausted",
        "pinned_conflict",
        "limit_exceeded",
        "invalid_request",
        "invalid_input",
        "invalid_spec",
        "infeasible",
        "collision",
    ];

    /// The stable snake_case code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidPrefix { .. } => "invalid_prefix",
            Error::HostBitsSet { .. } => "host_bits_set",
            Error::MixedFamilies { .. } => "mixed_families",
            Error::PrefixTooLong { .. } => "prefix_too_long",
            Error::SpaceExhausted { .. } => "space_exhausted",
            Error::PinnedConflict { .. } => "pinned_conflict",
            Error::LimitExceeded { .. } => "limit_exceeded",
            Error::InvalidRequest { .. } => "invalid_request",
            Error::InvalidInput { .. } => "invalid_input",
            Error::InvalidSpec { .. } => "invalid_spec",
            Error::Infeasible { .. } => "infeasible",
            Error::Collision { .. } => "collision",
        }
    }

    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::InvalidSpec`].
    pub fn invalid_spec(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidSpec {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::LimitExceeded`].
    pub fn limit(what: &'static str, limit: u128, actual: u128) -> Self {
        Error::LimitExceeded {
            what,
            limit,
            actual,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidPrefix { input, reason } => {
                write!(f, "invalid prefix {}: {reason}", quoted(input))
            }
            Error::HostBitsSet { input, suggested } => {
                write!(
                    f,
                    "host bits set in {}: did you mean {suggested}?",
                    quoted(input)
                )
            }
            Error::MixedFamilies { first, second } => write!(
                f,
                "mixed address families: {first} and {second} are not the same family"
            ),
            Error::PrefixTooLong { input, len, max } => {
                write!(
                    f,
                    "prefix length /{len} in {} is longer than /{max}",
                    quoted(input)
                )
            }
            Error::SpaceExhausted {
                request,
                requested,
                largest_free,
                skipped_free,
            } => {
                match largest_free {
                    Some(block) => write!(
                        f,
                        "no room for {} ({requested}): the largest free block is {block}",
                        quoted(request)
                    )?,
                    None => write!(
                        f,
                        "no room for {} ({requested}): no free space left",
                        quoted(request)
                    )?,
                }
                match skipped_free {
                    Some(block) => write!(
                        f,
                        " (sequential never goes back to the gaps it skipped; the largest \
                         is {block})"
                    ),
                    None => Ok(()),
                }
            }
            Error::PinnedConflict { name, cidr, reason } => {
                write!(f, "pinned {} at {cidr} conflicts: {reason}", quoted(name))
            }
            Error::LimitExceeded {
                what,
                limit,
                actual,
            } => write!(
                f,
                "too many {what}: {} exceeds the limit of {}",
                actual, limit
            ),
            Error::InvalidRequest { name, reason } => {
                write!(f, "invalid request {}: {reason}", quoted(name))
            }
            Error::InvalidInput { field, message } => write!(f, "invalid {field}: {message}"),
            Error::InvalidSpec { field, message } => write!(f, "invalid {field}: {message}"),
            Error::Infeasible { model, reason } => {
                write!(f, "the {model} model does not fit: {reason}")
            }
            Error::Collision { message, more } => {
                write!(f, "ranges collide: {message}")?;
                if *more > 0 {
                    write!(f, " (and {} more)", more)?;
                }
                f.write_str("; no configuration is written for a colliding plan unless forced")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

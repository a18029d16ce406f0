//! Documented input limits.
//!
//! Every operation checks its input against these before doing work, so hostile input
//! gets [`Error::LimitExceeded`](crate::Error::LimitExceeded) instead of a hang or an
//! allocation blow-up. They are far above what a real network needs.
//!
//! The Kubernetes planner adds its own ([`MAX_CLUSTERS`](crate::k8s::MAX_CLUSTERS)) and
//! bounds the outputs that could outgrow their input: overlap pairs are all counted but at
//! most [`DEFAULT_MAX_LISTED_OVERLAPS`] listed (configurable), reachability rows
//! ([`MAX_ALLOCATION_ROWS`](crate::k8s::MAX_ALLOCATION_ROWS)), collision warnings
//! ([`MAX_COLLISION_WARNINGS`](crate::k8s::MAX_COLLISION_WARNINGS)) and node mappings
//! ([`MAX_LISTED_NODE_MAPPINGS_PER_PLAN`](crate::k8s::MAX_LISTED_NODE_MAPPINGS_PER_PLAN)),
//! each with a flag or a warning saying what was left out. `docs/limits.md` in the
//! repository lists every limit, what happens past it and the tests that hold it.

/// Most prefixes (items, used ranges, reserved ranges, pools) one call accepts.
pub const MAX_PREFIXES: usize = 10_000_000;
/// Most carve requests one call accepts.
pub const MAX_REQUESTS: usize = 2_000_000;
/// Longest name (of a request, allocation or cluster) in bytes.
pub const MAX_NAME_LEN: usize = 256;
/// Most overlapping pairs an overlap report lists by default (all are counted).
pub const DEFAULT_MAX_LISTED_OVERLAPS: usize = 1_000_000;
/// Longest text accepted as a prefix, in bytes.
pub const MAX_PREFIX_TEXT: usize = 64;

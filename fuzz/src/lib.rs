//! Helpers shared by the fuzz targets: a byte cursor that turns fuzz input into small
//! structured values, the check that an error carries a documented code, and the guard
//! that keeps JSON input within the sizes the targets are meant to explore.

use cidrplan::{Error, Family, Prefix};

/// Reads structured values from the fuzzer's bytes; past the end every read yields 0, so
/// any input decodes to something.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// A cursor over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }

    /// Whether every byte was consumed.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next byte.
    pub fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    /// The next two bytes, little-endian.
    pub fn u16(&mut self) -> u16 {
        u16::from(self.u8()) | (u16::from(self.u8()) << 8)
    }

    /// A value in `0..n` (n > 0).
    pub fn below(&mut self, n: u8) -> u8 {
        self.u8() % n
    }
}

/// IPv4 10.0.0.0 and IPv6 2001:db8:: as the engine numbers addresses.
pub fn window_base(family: Family) -> u128 {
    match family {
        Family::V4 => 0x0A00_0000,
        Family::V6 => 0x2001_0db8 << 96,
    }
}

/// A prefix inside the 256-address window of `family` (small enough to enumerate).
pub fn window_prefix(bytes: &mut Bytes<'_>, family: Family) -> Prefix {
    let host_bits = bytes.below(9);
    let offset = u128::from(bytes.u8()) & !((1u128 << host_bits) - 1);
    Prefix::new(
        family,
        window_base(family) + offset,
        family.bits() - host_bits,
    )
    .expect("aligned by construction")
}

/// Panics unless `error` has one of the documented codes and a non-empty message.
pub fn check_error(error: &Error) {
    let code = error.code();
    assert!(
        Error::ALL_CODES.contains(&code),
        "undocumented error code {code:?}: {error}"
    );
    assert!(!error.to_string().is_empty(), "empty message for {code}");
}

/// Deepest nesting of JSON arrays/objects the plan target explores. serde_json stops at 128
/// by itself; the targets stay far below so the fuzzer spends its time on meaningful shapes.
pub const MAX_JSON_DEPTH: usize = 32;
/// Largest JSON document the plan target explores, in bytes.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// Whether `data` is small and shallow enough to hand to serde_json (strings are skipped,
/// so brackets inside names do not count).
pub fn json_within_guard(data: &[u8]) -> bool {
    if data.len() > MAX_JSON_BYTES {
        return false;
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in data {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

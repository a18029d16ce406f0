//! Prefix text without `core::fmt`: the canonical spelling of a prefix, and fast readers for
//! the most common inputs, canonical IPv4 (`10.1.0.0/16`) and plain IPv6 (`2001:db8::/32`).
//!
//! Bulk operations turn hundreds of thousands of prefixes into text and back; going through
//! `core::fmt` and the general address parser (`core::net`'s) costs more than the set
//! algebra itself; the benchmark `kept` (`cargo bench -p cidrplan --bench kept`) measures
//! each against the standard route, and `docs/ARCHITECTURE.md` gives the figures. The
//! spelling written here is exactly what `core::net`'s `Display` gives (RFC 5952 for IPv6,
//! with IPv4-mapped addresses as `::ffff:a.b.c.d`); the property tests check it against
//! `std` on random addresses, and the readers against `std`'s address parser.

use crate::prefix::{Family, Prefix};

/// Longest text of a prefix: a full IPv6 address (39 characters) and `/128`.
const CAPACITY: usize = 44;

/// The canonical text of one prefix, on the stack.
pub(crate) struct PrefixText {
    bytes: [u8; CAPACITY],
    len: usize,
}

impl PrefixText {
    /// The text of `prefix`: `10.0.0.0/8`, `2001:db8::/32`.
    pub(crate) fn of(prefix: &Prefix) -> PrefixText {
        let mut text = PrefixText {
            bytes: [0; CAPACITY],
            len: 0,
        };
        match prefix.family() {
            Family::V4 => text.ipv4(prefix.first() as u32),
            Family::V6 => text.ipv6(prefix.first()),
        }
        text.push(b'/');
        text.decimal(prefix.len());
        text
    }

    /// The text as a `str` (always ASCII).
    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }

    fn push(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    fn decimal(&mut self, value: u8) {
        if value >= 100 {
            self.push(b'0' + value / 100);
        }
        if value >= 10 {
            self.push(b'0' + value / 10 % 10);
        }
        self.push(b'0' + value % 10);
    }

    fn ipv4(&mut self, addr: u32) {
        for (i, octet) in addr.to_be_bytes().into_iter().enumerate() {
            if i > 0 {
                self.push(b'.');
            }
            self.decimal(octet);
        }
    }

    /// Lowercase hexadecimal without leading zeros.
    fn hex(&mut self, value: u16) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut started = false;
        for shift in [12u32, 8, 4, 0] {
            let digit = (value >> shift) & 0xf;
            if digit != 0 || started || shift == 0 {
                started = true;
                self.push(DIGITS[usize::from(digit as u8)]);
            }
        }
    }

    fn ipv6(&mut self, addr: u128) {
        let mut groups = [0u16; 8];
        for (i, group) in groups.iter_mut().enumerate() {
            *group = (addr >> (112 - 16 * i)) as u16;
        }
        if groups[..5] == [0; 5] && groups[5] == 0xffff {
            for &b in b"::ffff:" {
                self.push(b);
            }
            self.ipv4(addr as u32);
            return;
        }
        // The first longest run of two or more zero groups becomes "::".
        let (mut best_start, mut best_len) = (0usize, 0usize);
        let mut i = 0;
        while i < 8 {
            if groups[i] == 0 {
                let start = i;
                while i < 8 && groups[i] == 0 {
                    i += 1;
                }
                if i - start > best_len {
                    (best_start, best_len) = (start, i - start);
                }
            } else {
                i += 1;
            }
        }
        if best_len < 2 {
            self.groups(&groups);
        } else {
            self.groups(&groups[..best_start]);
            self.push(b':');
            self.push(b':');
            self.groups(&groups[best_start + best_len..]);
        }
    }

    fn groups(&mut self, groups: &[u16]) {
        for (i, &group) in groups.iter().enumerate() {
            if i > 0 {
                self.push(b':');
            }
            self.hex(group);
        }
    }
}

/// Reads `a.b.c.d/len` written canonically: decimal octets without leading zeros, a length
/// of 0–32 without a leading zero, no spaces, no host bits set. Anything else (`None`) is
/// left to the general parser, which accepts or rejects it with the precise error.
#[inline]
pub(crate) fn canonical_ipv4(text: &[u8]) -> Option<Prefix> {
    // One pass: `value` is the number being read, `parts` how many numbers came before it
    // (four octets, then the length after the slash).
    let mut addr: u32 = 0;
    let mut value: u32 = 0;
    let mut digits = 0u32;
    let mut parts = 0u32;
    for &b in text {
        if b.is_ascii_digit() {
            if digits == 1 && value == 0 {
                return None; // a leading zero
            }
            value = value * 10 + u32::from(b - b'0');
            digits += 1;
            if digits > 3 {
                return None;
            }
        } else {
            let expected = if parts < 3 { b'.' } else { b'/' };
            if b != expected || parts > 3 || digits == 0 || value > 255 {
                return None;
            }
            addr = (addr << 8) | value;
            parts += 1;
            value = 0;
            digits = 0;
        }
    }
    if parts != 4 || digits == 0 || value > 32 {
        return None;
    }
    let host_mask = u32::MAX.checked_shr(value).unwrap_or(0);
    if addr & host_mask != 0 {
        return None;
    }
    Some(Prefix::from_parts(
        Family::V4,
        u128::from(addr),
        value as u8,
    ))
}

/// Reads `address/len` for an IPv6 address written in hexadecimal groups (`2001:db8::/32`,
/// any case, with or without leading zeros or `::`, perhaps ending in four octets), a
/// length of 0–128 without a leading zero, and no host bits set. Anything else — zone ids,
/// spaces, errors — is `None`, left to the general parser.
#[inline]
pub(crate) fn plain_ipv6(text: &[u8]) -> Option<Prefix> {
    let slash = text.iter().rposition(|&b| b == b'/')?;
    let addr = ipv6_groups(&text[..slash])?;
    let mut pos = slash + 1;
    let len = number(text, &mut pos, 128)?;
    if pos != text.len() {
        return None;
    }
    let host_mask = u128::MAX.checked_shr(len).unwrap_or(0);
    if addr & host_mask != 0 {
        return None;
    }
    Some(Prefix::from_parts(Family::V6, addr, len as u8))
}

/// Four decimal octets, `a.b.c.d`, each without a leading zero.
fn ipv4_address(text: &[u8]) -> Option<u32> {
    let mut pos = 0;
    let mut addr = 0u32;
    for octet in 0..4 {
        if octet > 0 {
            if text.get(pos) != Some(&b'.') {
                return None;
            }
            pos += 1;
        }
        addr = (addr << 8) | number(text, &mut pos, 255)?;
    }
    (pos == text.len()).then_some(addr)
}

/// An IPv6 address of eight groups, or fewer around one `::`, where four octets at the end
/// (`::ffff:10.0.0.1`) stand for the last two groups.
fn ipv6_groups(text: &[u8]) -> Option<u128> {
    let mut head: u128 = 0; // groups before "::", or all of them
    let mut head_len = 0u32;
    let mut tail: u128 = 0; // groups after "::"
    let mut tail_len = 0u32;
    let mut gap = false;
    let mut pos = 0;
    if text.starts_with(b"::") {
        gap = true;
        pos = 2;
    }
    while pos < text.len() {
        let start = pos;
        let mut group: u128 = 0;
        while pos < text.len() && pos - start < 4 {
            let digit = match text[pos] {
                b @ b'0'..=b'9' => b - b'0',
                b @ b'a'..=b'f' => b - b'a' + 10,
                b @ b'A'..=b'F' => b - b'A' + 10,
                _ => break,
            };
            group = (group << 4) | u128::from(digit);
            pos += 1;
        }
        if pos == start {
            return None;
        }
        // Stopped at a dot: the rest is four octets, the last two groups.
        let (group, width) = if text.get(pos) == Some(&b'.') {
            pos = text.len();
            (u128::from(ipv4_address(&text[start..])?), 2)
        } else {
            (group, 1)
        };
        if gap {
            tail = (tail << (16 * width)) | group;
            tail_len += width;
        } else {
            head = (head << (16 * width)) | group;
            head_len += width;
        }
        if head_len + tail_len > 8 {
            return None;
        }
        if pos == text.len() {
            break;
        }
        if text[pos] != b':' {
            return None;
        }
        pos += 1;
        if text.get(pos) == Some(&b':') {
            if gap {
                return None;
            }
            gap = true;
            pos += 1;
        } else if pos == text.len() {
            return None; // a single trailing colon
        }
    }
    let groups = head_len + tail_len;
    if gap && groups < 8 {
        // head fills the top groups, tail the bottom ones, zeros between.
        let head = head.checked_shl(16 * (8 - head_len)).unwrap_or(0);
        Some(head | tail)
    } else if !gap && groups == 8 {
        Some(head)
    } else {
        None
    }
}

/// A decimal number at `text[*pos..]` of one to three digits, no leading zero, at most `max`.
#[inline(always)]
fn number(text: &[u8], pos: &mut usize, max: u32) -> Option<u32> {
    let start = *pos;
    let mut value: u32 = 0;
    while let Some(&b) = text.get(*pos) {
        if !b.is_ascii_digit() || *pos - start == 3 {
            break;
        }
        value = value * 10 + u32::from(b - b'0');
        *pos += 1;
    }
    let digits = *pos - start;
    let leading_zero = digits > 1 && text[start] == b'0';
    (digits > 0 && !leading_zero && value <= max).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::{String, ToString};
    use core::net::{Ipv4Addr, Ipv6Addr};

    fn v6(addr: Ipv6Addr) -> String {
        let p = Prefix::from_parts(Family::V6, u128::from(addr), 128);
        PrefixText::of(&p).as_str().to_string()
    }

    #[test]
    fn ipv6_spellings_match_std() {
        for text in [
            "::",
            "::1",
            "1::",
            "2001:db8::",
            "2001:db8:0:0:1:0:0:1",
            "2001:0:0:1:0:0:0:1",
            "0:0:1::",
            "::ffff:10.0.0.1",
            "::ffff:0:1",
            "ffff::",
            "1:2:3:4:5:6:7:8",
            "1:0:3:4:5:6:7:8",
            "::1.2.3.4",
            "64:ff9b::10.0.0.1",
        ] {
            let addr: Ipv6Addr = text.parse().unwrap();
            assert_eq!(v6(addr), format!("{addr}/128"), "{text}");
        }
    }

    /// The fast readers' address reading, which must agree with `core::net` wherever
    /// they accept: eight groups (or fewer around `::`), four octets.
    fn address(text: &[u8]) -> Option<(Family, u128)> {
        if text.contains(&b':') {
            ipv6_groups(text).map(|addr| (Family::V6, addr))
        } else {
            ipv4_address(text).map(|addr| (Family::V4, u128::from(addr)))
        }
    }

    /// What `core::net` makes of `text`.
    fn std_address(text: &str) -> Option<(Family, u128)> {
        match text.parse::<core::net::IpAddr>().ok()? {
            core::net::IpAddr::V4(a) => Some((Family::V4, u128::from(u32::from(a)))),
            core::net::IpAddr::V6(a) => Some((Family::V6, u128::from(a))),
        }
    }

    #[test]
    fn addresses_read_as_core_net_reads_them() {
        for text in [
            "0.0.0.0",
            "10.0.0.1",
            "255.255.255.255",
            "256.0.0.1",
            "01.0.0.1",
            "00.0.0.1",
            "1.2.3",
            "1.2.3.4.5",
            "1.2.3.4.",
            ".1.2.3.4",
            "1..2.3",
            "1.2.3.0004",
            "::",
            ":::",
            "::1",
            "1::",
            ":1::",
            "1::2::3",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::",
            "1:2:3:4:5:6:7:8::",
            "::1:2:3:4:5:6:7",
            "::1:2:3:4:5:6:7:8",
            "12345::",
            "0001:0db8::",
            "ABCD:ef01::",
            "g::",
            "::ffff:10.0.0.1",
            "::10.0.0.1",
            "1:2:3:4:5:6:10.0.0.1",
            "1:2:3:4:5:6:7:10.0.0.1",
            "1::2:3:4:5:6:10.0.0.1",
            "1::2:3:4:5:10.0.0.1",
            "::ffff:10.0.0.1:1",
            "::ffff:10.0.0",
            "::ffff:010.0.0.1",
            "::a.0.0.1",
            "::1a.0.0.1",
            "::1234.0.0.1",
            "10.0.0.1::",
            "",
            ":",
            "1:",
            "1:2",
        ] {
            assert_eq!(address(text.as_bytes()), std_address(text), "{text:?}");
        }
    }

    #[test]
    fn generated_addresses_read_as_core_net_reads_them() {
        // Texts from the characters addresses are made of, biased toward the shapes of
        // real ones, from a fixed seed.
        const PIECES: [&str; 16] = [
            "0", "1", "9", "25", "255", "256", "01", "ff", "FFFF", "12345", ":", "::", ".", "a",
            "10.0.0.1", "0:0",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200_000 {
            let mut text = String::new();
            for _ in 0..(next() % 12) {
                text.push_str(PIECES[(next() % 16) as usize]);
            }
            assert_eq!(address(text.as_bytes()), std_address(&text), "{text:?}");
        }
    }

    #[test]
    fn canonical_ipv4_accepts_only_canonical_text() {
        let p = canonical_ipv4(b"10.1.0.0/16").unwrap();
        assert_eq!(
            (p.first(), p.len()),
            (u128::from(u32::from(Ipv4Addr::new(10, 1, 0, 0))), 16)
        );
        assert_eq!(canonical_ipv4(b"0.0.0.0/0").unwrap().len(), 0);
        assert_eq!(canonical_ipv4(b"255.255.255.255/32").unwrap().len(), 32);
        for text in [
            "10.1.0.0/08",
            "010.1.0.0/16",
            "10.1.0.1/16",
            "10.1.0.0/33",
            "10.1.0.0",
            "10.1.0.0/",
            " 10.1.0.0/16",
            "10.1.0.0/16 ",
            "256.1.0.0/16",
            "10.1.0/16",
            "10.1.0.0.0/16",
            "1000.1.0.0/16",
            "10.1.0.0/160",
            "10..0.0/16",
        ] {
            assert!(canonical_ipv4(text.as_bytes()).is_none(), "{text}");
        }
    }
}

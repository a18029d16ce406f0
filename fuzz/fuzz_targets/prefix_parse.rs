//! Prefix parsing: never panics; what parses prints back to itself; lenient parsing agrees
//! with strict parsing on text whose host bits are clear; `Prefix::new` agrees with parsing;
//! a bare address is read exactly as the standard library's parser reads it.
#![no_main]

use cidrplan::{Family, ParseMode, Prefix};
use cidrplan_fuzz::{check_error, Bytes};
use libfuzzer_sys::fuzz_target;

/// The crate reads addresses itself (the npm module leaves `core::net`'s parser out): a bare
/// address must be accepted, and read, exactly when `std::net` accepts it.
fn check_address_against_std(text: &str) {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.contains('/') || trimmed.len() > 64 {
        return;
    }
    let ours = Prefix::parse_with(text, ParseMode::Lenient)
        .ok()
        .map(|p| (p.family(), p.first(), p.len() == p.max_len()));
    let theirs = trimmed.parse::<std::net::IpAddr>().ok().map(|a| match a {
        std::net::IpAddr::V4(a) => (Family::V4, u128::from(u32::from(a)), true),
        std::net::IpAddr::V6(a) => (Family::V6, u128::from(a), true),
    });
    assert_eq!(ours, theirs, "address {text:?}");
}

fn check_text(text: &str) {
    check_address_against_std(text);
    let strict = Prefix::parse_with(text, ParseMode::Strict);
    let lenient = Prefix::parse_with(text, ParseMode::Lenient);
    match (&strict, &lenient) {
        (Ok(s), Ok(l)) => assert_eq!(s, l, "strict and lenient disagree on {text:?}"),
        (Err(e), Ok(l)) => {
            // Lenient masks host bits; that is the only thing strict may reject it for.
            assert_eq!(e.code(), "host_bits_set", "{text:?}: {e}");
            let masked = Prefix::parse(&l.to_string()).expect("a masked prefix parses strictly");
            assert_eq!(&masked, l);
        }
        (Ok(s), Err(e)) => panic!("strict accepts {text:?} as {s} but lenient fails: {e}"),
        (Err(s), Err(l)) => {
            check_error(s);
            check_error(l);
            assert_eq!(s.code(), l.code(), "{text:?}");
        }
    }
    if let Ok(p) = lenient {
        let shown = p.to_string();
        let back = Prefix::parse(&shown).unwrap_or_else(|e| panic!("{shown:?} from {text:?}: {e}"));
        assert_eq!(back, p, "display round trip of {text:?}");
        assert_eq!(back.to_string(), shown);
        assert!(p.first() <= p.last());
        assert!(p.len() <= p.max_len());
        let rebuilt = Prefix::new(p.family(), p.first(), p.len()).expect("own parts rebuild");
        assert_eq!(rebuilt, p);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check_text(text);
    }
    // The same bytes as numbers: Prefix::new either builds a prefix that prints and parses
    // back to itself, or refuses with a documented code.
    let mut bytes = Bytes::new(data);
    let family = if bytes.u8() & 1 == 0 {
        Family::V4
    } else {
        Family::V6
    };
    let len = bytes.u8();
    let mut first = 0u128;
    for _ in 0..16 {
        first = (first << 8) | u128::from(bytes.u8());
    }
    if family == Family::V4 && bytes.u8() & 1 == 0 {
        first &= 0xFFFF_FFFF;
    }
    match Prefix::new(family, first, len) {
        Ok(p) => {
            assert_eq!(Prefix::parse(&p.to_string()).expect("prints parseably"), p);
            check_text(&p.to_string());
        }
        Err(e) => check_error(&e),
    }
});

//! The JSON reader and writer against serde_json, the reader the CLI and Python use: the
//! shared vectors read the same way (or fail alike), outputs write the same values, and
//! numbers and strings in every form `JSON.stringify` makes read as JavaScript means them.

use std::fs;
use std::path::{Path, PathBuf};

use cidrplan::k8s::{PlanRequest, SizingRequest};
use cidrplan::wire;
use proptest::prelude::*;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::json_read::from_text;
use crate::json_write::to_text;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

/// Every `(file, op, input)` of the shared vectors, the input as JSON text.
fn vector_inputs() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(vectors_dir()).expect("tests/vectors") {
        let path = entry.expect("vector file").path();
        let file = path.file_stem().unwrap().to_string_lossy().into_owned();
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        for case in cases {
            let op = case
                .get("op")
                .and_then(|v| v.as_str())
                .unwrap_or(&file)
                .to_string();
            out.push((file.clone(), op, case["input"].to_string()));
        }
    }
    assert!(out.len() > 100, "only {} vector inputs", out.len());
    out
}

/// Reads `text` as `T` with both readers; `Debug` of the value, or `Err` on failure.
fn both<T: for<'a> Deserialize<'a> + std::fmt::Debug>(text: &str) -> (String, String) {
    let ours = from_text::<T>(text).map(|v| format!("{v:?}"));
    let theirs = serde_json::from_str::<T>(text).map(|v| format!("{v:?}"));
    (
        ours.unwrap_or_else(|_| String::from("Err")),
        theirs.unwrap_or_else(|_| String::from("Err")),
    )
}

#[test]
fn every_vector_input_reads_as_serde_json_reads_it() {
    for (file, op, text) in vector_inputs() {
        let (ours, theirs) = match op.as_str() {
            "aggregate" => both::<wire::AggregateInput>(&text),
            "exclude" => both::<wire::ExcludeInput>(&text),
            "overlaps" => both::<wire::OverlapsInput>(&text),
            "carve" => both::<wire::CarveWireInput>(&text),
            "plan" | "recommend" => both::<PlanRequest>(&text),
            "sizing" => both::<SizingRequest>(&text),
            // The previous plan is read by derived code through the package's Deserializer.
            "replan" => both::<wire::ReplanInput>(&text),
            "diff" => both::<wire::DiffInput>(&text),
            other => panic!("{file}: unknown op {other}"),
        };
        assert_eq!(ours, theirs, "{file} ({op}): {text}");
    }
}

#[test]
fn plan_outputs_write_the_values_serde_json_writes() {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&fs::read_to_string(vectors_dir().join("plan.json")).unwrap())
            .unwrap();
    let mut written = 0;
    for case in cases {
        let Ok(request) = serde_json::from_value::<PlanRequest>(case["input"].clone()) else {
            continue;
        };
        let Ok(plan) = cidrplan::k8s::plan(&request) else {
            continue;
        };
        let ours: serde_json::Value = serde_json::from_str(&to_text(&plan).unwrap()).unwrap();
        assert_eq!(
            ours,
            serde_json::to_value(&plan).unwrap(),
            "{}",
            case["name"]
        );
        let ranking = cidrplan::k8s::recommend(&request).unwrap();
        let ours: serde_json::Value = serde_json::from_str(&to_text(&ranking).unwrap()).unwrap();
        assert_eq!(ours, serde_json::to_value(&ranking).unwrap());
        written += 1;
    }
    assert!(written > 10);
    let example = to_text(&cidrplan::k8s::example()).unwrap();
    assert_eq!(
        from_text::<PlanRequest>(&example).unwrap(),
        cidrplan::k8s::example()
    );
}

/// What a number reads as.
#[derive(Debug, PartialEq)]
enum Seen {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

struct SeenVisitor;

impl<'de> Visitor<'de> for SeenVisitor {
    type Value = Seen;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a number")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seen, E> {
        Ok(Seen::Unsigned(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seen, E> {
        Ok(Seen::Signed(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Seen, E> {
        Ok(Seen::Float(v))
    }
}

impl<'de> Deserialize<'de> for Seen {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SeenVisitor)
    }
}

fn seen(text: &str) -> Seen {
    from_text::<Seen>(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn integers_javascript_holds_exactly_read_as_integers() {
    assert_eq!(seen("0"), Seen::Unsigned(0));
    assert_eq!(seen("-0"), Seen::Unsigned(0));
    assert_eq!(seen("1581"), Seen::Unsigned(1581));
    assert_eq!(seen("1581.000"), Seen::Unsigned(1581));
    assert_eq!(seen("1e3"), Seen::Unsigned(1000));
    assert_eq!(seen("15.81e2"), Seen::Unsigned(1581));
    assert_eq!(seen("1.0000000000000000000000"), Seen::Unsigned(1));
    assert_eq!(seen("-3"), Seen::Signed(-3));
    assert_eq!(seen("9007199254740991"), Seen::Unsigned((1 << 53) - 1));
    assert_eq!(seen("-9007199254740991"), Seen::Signed(1 - (1 << 53)));
    // 2^53 and past: a double, as in JavaScript, where they may already be rounded.
    assert_eq!(
        seen("9007199254740992"),
        Seen::Float(9_007_199_254_740_992.0)
    );
    assert_eq!(
        seen("18446744073709552000"),
        Seen::Float(18_446_744_073_709_552_000.0)
    );
    assert_eq!(seen("1e21"), Seen::Float(1e21));
}

#[test]
fn numbers_with_a_fraction_read_as_doubles_that_are_not_whole() {
    assert_eq!(seen("1.5"), Seen::Float(1.5));
    assert_eq!(seen("-0.25"), Seen::Float(-0.25));
    assert_eq!(seen("5e-1"), Seen::Float(0.5));
    // The nearest double below 4097: an estimate may round it up to 4097 itself.
    let Seen::Float(x) = seen("4096.9999999999995") else {
        panic!("not a double")
    };
    assert!(x.fract() != 0.0 && (x - 4097.0).abs() < 1e-9, "{x}");
    // Past a double's range, as JavaScript reads them: 0 and Infinity.
    assert_eq!(seen("1e-400"), Seen::Float(0.0));
    assert_eq!(seen("1e400"), Seen::Float(f64::INFINITY));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any double, written as Rust writes it (as `JSON.stringify` would, up to exponent
    /// form), reads as an integer exactly when JavaScript holds it as a safe integer, and
    /// otherwise as a double within rounding of it, whole exactly when it is whole.
    #[test]
    fn doubles_read_as_javascript_means_them(x in any::<f64>().prop_filter("finite", |x| x.is_finite()), exp_form in any::<bool>()) {
        let text = if exp_form { format!("{x:e}") } else { format!("{x}") };
        let safe = x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_991.0;
        match seen(&text) {
            Seen::Unsigned(n) => prop_assert!(safe && x >= 0.0 && n as f64 == x.abs(), "{text}"),
            Seen::Signed(n) => prop_assert!(safe && x < 0.0 && n as f64 == x, "{text}"),
            Seen::Float(y) => {
                prop_assert!(!safe, "{text} read as a double");
                prop_assert_eq!(y.fract() == 0.0, x.fract() == 0.0, "{} read as {}", text, y);
                let scale = x.abs().max(f64::MIN_POSITIVE);
                prop_assert!(((y - x) / scale).abs() < 1e-14 || x.abs() < 1e-300, "{} read as {}", text, y);
            }
        }
    }

    /// Any string survives being written by serde_json and read back, escapes and all.
    #[test]
    fn strings_read_back_whole(s in any::<String>()) {
        let text = serde_json::to_string(&s).unwrap();
        prop_assert_eq!(from_text::<String>(&text).unwrap(), s.clone());
        let ours = to_text(&s).unwrap();
        prop_assert_eq!(serde_json::from_str::<String>(&ours).unwrap(), s);
    }
}

#[test]
fn escapes_and_surrogates() {
    let read = |t: &str| from_text::<String>(t).map_err(|e| e.to_string());
    assert_eq!(
        read(r#""a\"b\\c\/d\b\f\n\r\t""#).unwrap(),
        "a\"b\\c/d\u{8}\u{c}\n\r\t"
    );
    assert_eq!(read(r#""\u00e9\ud83d\ude00""#).unwrap(), "é😀");
    // JSON.stringify escapes a lone surrogate: it is not text, and is refused by name.
    assert!(read(r#""\ud83d""#)
        .unwrap_err()
        .contains("lone UTF-16 surrogate"));
    assert!(read(r#""\ude00x""#)
        .unwrap_err()
        .contains("lone UTF-16 surrogate"));
    assert!(read(r#""\u12""#).is_err());
    assert!(read(r#""abc"#).is_err());
}

#[test]
fn errors_carry_the_path_of_the_value_that_failed() {
    let path = |text: &str| {
        let e = from_text::<PlanRequest>(text).unwrap_err();
        let d = e.detail();
        (d.path.clone().unwrap_or_default(), d.message.clone())
    };
    let (p, m) = path(
        r#"{"network":{"pools":["10.0.0.0/8"]},"clusters":[{"name":"a","nodes":3},{"name":"b","nodes":"x"}]}"#,
    );
    assert_eq!(p, ".clusters[1].nodes");
    assert_eq!(m, r#"invalid type: string "x", expected u32"#);
    let (p, m) = path(r#"{"network":{"pools":["10.0.0.0/8"]},"clustrs":[]}"#);
    assert_eq!(p, ".clustrs");
    assert!(m.starts_with("unknown field `clustrs`"), "{m}");
    let (p, m) =
        path(r#"{"network":{"pools":["10.0.0.0/8"]},"clusters":[{"name":"a","nodes":2.5}]}"#);
    assert_eq!(
        (p.as_str(), m.as_str()),
        (
            ".clusters[0].nodes",
            "invalid type: floating point `2.5`, expected u32"
        )
    );
    let (p, m) =
        path(r#"{"network":{"pools":["10.0.0.0/8"]},"clusters":[{"name":"a","nodes":null}]}"#);
    assert_eq!(
        (p.as_str(), m.as_str()),
        (".clusters[0].nodes", "invalid type: null, expected u32")
    );
    let (p, _) = path(r#"[1]"#);
    assert_eq!(p, "");
    // A list entry: the core names it in the message too; the path says it exactly.
    let e = from_text::<wire::CarveWireInput>(
        r#"{"pools":["10.0.0.0/8"],"requests":{"a":"/9","b":-3}}"#,
    )
    .unwrap_err();
    assert_eq!(e.detail().path.as_deref(), Some(".requests.b"));
    assert_eq!(
        wire::without_entry(&e.detail().message),
        "-3 is not an address count: counts cannot be negative"
    );
}

#[test]
fn malformed_or_overdeep_text_is_an_error_not_a_crash() {
    for text in [
        "",
        "[",
        "[1,]",
        "{\"a\"}",
        "{\"a\":1,}",
        "nul",
        "[1 2]",
        "\"x\" y",
        "-",
        "{1:2}",
    ] {
        assert!(
            from_text::<serde_json::Value>(text).is_err(),
            "{text:?} was read"
        );
    }
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = from_text::<serde_json::Value>(&deep).unwrap_err();
    assert!(e.to_string().contains("nested deeper than"), "{e}");
    // A field nobody reads is skipped, under the same bound.
    #[derive(Deserialize, Debug)]
    struct Loose {
        #[allow(dead_code)]
        a: u8,
    }
    let skipped = format!(
        r#"{{"a":3,"x":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(from_text::<Loose>(&skipped)
        .unwrap_err()
        .to_string()
        .contains("nested deeper than"));
    assert!(from_text::<Loose>(r#"{"a":3,"x":[{"y":[1,"z",null]},{}]}"#).is_ok());
}

#[test]
fn outputs_refuse_what_javascript_cannot_hold() {
    assert_eq!(to_text(&((1u64 << 53) - 1)).unwrap(), "9007199254740991");
    assert!(to_text(&(1u64 << 53))
        .unwrap_err()
        .to_string()
        .contains("can't be represented"));
    assert_eq!(to_text(&-5i64).unwrap(), "-5");
    assert!(to_text(&1.5f64).is_err());
    assert_eq!(to_text(&"\u{1}\"\\\n").unwrap(), r#""\u0001\"\\\n""#);
    assert_eq!(to_text(&(None::<u8>, vec![true])).unwrap(), "[null,[true]]");
}

/// Whether two values are the same as JavaScript sees them: every number a double, and a
/// double that is not a safe integer only as close as the reader needs it (it is refused
/// or tested for wholeness, never kept), within 1e-14 of the exact one.
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || ((x - y) / x.abs().max(y.abs())).abs() < 1e-14
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Any JSON value `JSON.stringify` could make: safe integers, finite doubles, any text.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-(1i64 << 53) + 1..(1i64 << 53)).prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Whatever serde_json writes, the reader reads back to the same value.
    #[test]
    fn any_json_value_reads_back(value in json_value()) {
        let text = serde_json::to_string(&value).unwrap();
        let ours: serde_json::Value = from_text(&text).unwrap();
        prop_assert!(same(&ours, &value), "{} read as {}", text, ours);
    }

    /// Damaged text never panics, and the reader accepts exactly what serde_json accepts,
    /// with the same value (except numbers past a double, which JavaScript reads as
    /// Infinity and serde_json refuses).
    #[test]
    fn damaged_json_is_read_as_serde_json_reads_it(
        value in json_value(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..3u8, prop::sample::select(
            vec!['[', ']', '{', '}', '"', ',', ':', '0', '1', '-', '.', 'e', '+', '\\', 'u', 'n', ' ', '\u{1}', 'é'],
        )), 1..4),
    ) {
        let mut chars: Vec<char> = serde_json::to_string(&value).unwrap().chars().collect();
        for (at, kind, c) in edits {
            let i = at.index(chars.len() + 1);
            match kind {
                0 => chars.insert(i, c),
                1 if i < chars.len() => { chars.remove(i); }
                _ if i < chars.len() => chars[i] = c,
                _ => chars.push(c),
            }
        }
        let text: String = chars.into_iter().collect();
        let ours = from_text::<serde_json::Value>(&text);
        let theirs = serde_json::from_str::<serde_json::Value>(&text);
        match (ours, theirs) {
            (Ok(a), Ok(b)) => prop_assert!(same(&a, &b), "{}: {} and {}", text, a, b),
            (Err(_), Err(_)) => {}
            (Ok(_), Err(e)) => prop_assert!(e.to_string().contains("out of range"), "{} read; serde_json: {}", text, e),
            (Err(e), Ok(_)) => prop_assert!(false, "{} refused: {}", text, e),
        }
    }
}

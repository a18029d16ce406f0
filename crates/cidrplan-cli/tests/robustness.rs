//! Hostile input at the CLI boundary (docs/limits.md): deeply nested or malformed documents
//! in every syntax, huge lines, invalid UTF-8 and inputs past the limits all end in exit 2
//! with a coded message of bounded size, never a crash; huge overlap reports are counted,
//! not listed.

use assert_cmd::Command;
use serde_json::Value;

fn cidrplan() -> Command {
    let mut cmd = Command::cargo_bin("cidrplan").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cidrplan-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs the command, expecting exit 2 and `error[code]` on stderr; returns stderr.
fn fails_with(cmd: &mut Command, code: &str) -> String {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("error[{code}]")),
        "expected {code}: {stderr}"
    );
    stderr
}

#[test]
fn deeply_nested_documents_are_invalid_input_in_every_syntax() {
    let depth = 100_000;
    let cases = [
        (
            "deep.json",
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            "deep-field.json",
            format!(r#"{{"network": {{"pools": {}"#, "[".repeat(depth)),
        ),
        (
            "deep-object.json",
            format!(r#"{{"clusters": {}"#, r#"{"a":"#.repeat(depth)),
        ),
        (
            "deep.yaml",
            format!("network: {}{}", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            "deep-block.yaml",
            (0..2_000)
                .map(|i| format!("{}- \n", "  ".repeat(i)))
                .collect(),
        ),
        (
            "deep.toml",
            format!("network = {}{}", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            "deep-table.toml",
            format!("network = {}{}", "{a=".repeat(depth), "}".repeat(depth)),
        ),
    ];
    for (name, text) in cases {
        let path = temp_file(name, text.as_bytes());
        fails_with(cidrplan().args(["plan"]).arg(&path), "invalid_input");
        fails_with(
            cidrplan().args(["recommend", "--json"]).arg(&path),
            "invalid_input",
        );
    }
    // The same on stdin.
    fails_with(
        cidrplan()
            .args(["plan", "-", "--json"])
            .write_stdin("[".repeat(depth)),
        "invalid_input",
    );
}

#[test]
fn invalid_utf8_and_nul_bytes_are_errors() {
    let path = temp_file("binary.json", b"\xff\xfe\x00{}");
    let out = cidrplan().arg("plan").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = cidrplan()
        .arg("aggregate")
        .write_stdin(&b"10.0.0.0/8\n\xff\xfe\n"[..])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    fails_with(
        cidrplan().arg("aggregate").write_stdin("10.0.0.0/8\x00\n"),
        "invalid_prefix",
    );
}

#[test]
fn a_huge_line_gets_a_short_message() {
    let line = "1".repeat(1 << 20);
    let stderr = fails_with(
        cidrplan().arg("aggregate").write_stdin(format!("{line}\n")),
        "invalid_prefix",
    );
    assert!(stderr.len() < 1_000, "{} bytes of message", stderr.len());
    let stderr = fails_with(
        cidrplan()
            .args(["overlaps"])
            .write_stdin(format!("name {line}\n")),
        "invalid_prefix",
    );
    assert!(stderr.len() < 1_000, "{} bytes of message", stderr.len());
}

#[test]
fn limits_exit_2_with_limit_exceeded() {
    let clusters: Vec<Value> = (0..501)
        .map(|i| serde_json::json!({"name": format!("c{i}"), "nodes": 1}))
        .collect();
    let spec = serde_json::json!({"network": {"pools": ["10.0.0.0/8"]}, "clusters": clusters});
    fails_with(
        cidrplan()
            .args(["recommend", "-", "--json"])
            .write_stdin(spec.to_string()),
        "limit_exceeded",
    );
    let long = "n".repeat(257);
    fails_with(
        cidrplan().args(["carve", "10.0.0.0/8", "-r", &format!("{long}=/24")]),
        "limit_exceeded",
    );
}

#[test]
fn a_hundred_thousand_identical_lines_are_counted_not_listed() {
    let n: u64 = 100_000;
    let input = "net 10.0.0.0/8\n".repeat(n as usize);
    let out = cidrplan()
        .args(["overlaps", "--json", "--max-listed", "5"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "findings exit 1");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["total"], n * (n - 1) / 2);
    assert_eq!(report["overlaps"].as_array().unwrap().len(), 5);
    assert_eq!(report["truncated"], true);
}

#[test]
fn yaml_brackets_in_quotes_and_comments_do_not_count_as_nesting() {
    let brackets = "[".repeat(200);
    let yaml = format!(
        "# {brackets}\nnetwork:\n  pools: [10.0.0.0/8]  # {brackets}\nclusters:\n  \
         - {{name: \"{brackets}\", nodes: 2}}\n  - {{name: '{brackets}{{', nodes: 2}}\n"
    );
    let path = temp_file("quoted.yaml", yaml.as_bytes());
    let out = cidrplan()
        .args(["plan", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["clusters"][0]["name"], brackets);
    // Flow nesting past 128 levels is refused before the YAML parser sees it.
    let deep = format!("network: {}{}\n", "[".repeat(129), "]".repeat(129));
    let path = temp_file("deep129.yaml", deep.as_bytes());
    let stderr = fails_with(cidrplan().arg("plan").arg(&path), "invalid_input");
    assert!(stderr.contains("nest deeper than 128"), "{stderr}");
}

#[test]
fn a_huge_line_in_a_plan_request_gets_a_short_message_with_its_position() {
    // Parsers quote the input: toml the whole offending line (and a caret under every
    // character of the token), every format a bad string value or an unknown key. One
    // 100 KB line made messages of 100 KB to 400 KB.
    let x = "x".repeat(100_000);
    let cases = [
        (
            "long-line.toml",
            format!("network = {{ pools = [\"10.0.0.0/8\", \"{x}\" \n"),
            "line 1, column 100038",
        ),
        (
            "long-value.toml",
            format!(
                "network = {{ pools = [\"10.0.0.0/8\"] }}\n\
                 clusters = [{{ name = \"a\", nodes = \"{x}\" }}]\n"
            ),
            "line 2, column 35",
        ),
        ("long-key.toml", format!("{x} = 1\n"), "line 1, column 1"),
        (
            "long-line.yaml",
            format!("network: {{pools: [10.0.0.0/8]}}\n{x}: 1\n"),
            "line 2 column 100001",
        ),
        (
            "long-value.yaml",
            format!("network: {{pools: [10.0.0.0/8]}}\nclusters: [{{name: a, nodes: \"{x}\"}}]\n"),
            "line 2 column 29",
        ),
        (
            "long-key.yaml",
            format!("network: {{pools: [10.0.0.0/8], {x}\n"),
            "line 1 column 32",
        ),
        (
            "long-line.json",
            format!(r#"{{"network": {{"pools": ["10.0.0.0/8" {x}"#),
            "line 1 column 37",
        ),
        (
            "long-value.json",
            format!(
                r#"{{"network": {{"pools": ["10.0.0.0/8"]}}, "clusters": [{{"name": "a", "nodes": "{x}"}}]}}"#
            ),
            "line 1 column 100077",
        ),
        (
            "long-key.json",
            format!(r#"{{"{x}": 1}}"#),
            "line 1 column 100003",
        ),
    ];
    for (name, text, position) in cases {
        let path = temp_file(name, text.as_bytes());
        let stderr = fails_with(cidrplan().arg("plan").arg(&path), "invalid_input");
        assert!(
            stderr.len() < 1_000,
            "{name}: {} bytes of message",
            stderr.len()
        );
        assert!(stderr.contains(name), "{name}: {stderr}");
        assert!(stderr.contains(position), "{name}: {stderr}");
        assert!(
            stderr.contains('\u{2026}') || !stderr.contains(&x[..200]),
            "{name}: {stderr}"
        );
        // Each line: the origin (the temporary file's path), a path of at most 100 characters
        // and a message line of at most 200.
        let origin = path.display().to_string().len();
        assert!(
            stderr
                .lines()
                .all(|line| line.chars().count() <= 350 + origin),
            "{name}: {stderr}"
        );
    }
}

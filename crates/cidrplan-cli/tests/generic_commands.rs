//! The built binary, run as a user or a pipeline would: `overlaps`, `aggregate`,
//! `exclude` and `carve`, with their exit codes and messages.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn cidrplan() -> Command {
    let mut cmd = Command::cargo_bin("cidrplan").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("valid JSON on stdout")
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cidrplan-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn overlaps_reads_named_lines_with_comments_and_exits_1_on_findings() {
    let input = "# the talk's network\nnetwork 10.0.0.0/8\nOther: 10.128.1.1\n\nvpn 192.168.0.0/16  # elsewhere\n";
    let out = cidrplan()
        .args(["overlaps", "--json"])
        .write_stdin(input)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    assert_eq!(json["total"], 1);
    assert_eq!(
        json["overlaps"][0],
        serde_json::json!({"a": "network", "a_cidr": "10.0.0.0/8", "b": "Other", "b_cidr": "10.128.1.1/32", "relation": "contains"})
    );
}

#[test]
fn overlaps_without_findings_exits_0_with_a_readable_line() {
    cidrplan()
        .arg("overlaps")
        .write_stdin("10.0.0.0/24\n10.0.1.0/24\n")
        .assert()
        .code(0)
        .stdout("no overlaps among 2 prefixes\n");
}

#[test]
fn overlaps_table_is_aligned() {
    cidrplan()
        .arg("overlaps")
        .write_stdin("a 10.0.0.0/8\nlonger-name 10.0.0.0/8\n")
        .assert()
        .code(1)
        .stdout("A  A CIDR      B            B CIDR      RELATION\na  10.0.0.0/8  longer-name  10.0.0.0/8  equal\n");
}

#[test]
fn overlaps_expected_pairs_and_bounded_listing() {
    let file = temp_file("expected.txt", "dc 10.0.0.0/8\nrack 10.1.0.0/16\n");
    cidrplan()
        .args(["overlaps", "--expected", "dc=rack"])
        .arg(&file)
        .assert()
        .code(0);
    let out = cidrplan()
        .args(["overlaps", "--json", "--max-listed", "2"])
        .write_stdin("10.0.0.0/8\n10.0.0.0/8\n10.0.0.0/8\n10.0.0.0/8\n")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    assert_eq!(
        (json["total"].as_u64(), json["truncated"].as_bool()),
        (Some(6), Some(true))
    );
    assert_eq!(json["overlaps"].as_array().unwrap().len(), 2);
}

#[test]
fn aggregate_prints_the_minimal_cover_ipv4_first() {
    cidrplan()
        .arg("aggregate")
        .write_stdin("2001:db8:8000::/33\n10.0.0.128/25\n2001:db8::/33\n10.0.0.0/25\n")
        .assert()
        .code(0)
        .stdout("10.0.0.0/24\n2001:db8::/32\n");
}

#[test]
fn aggregate_json_and_lenient() {
    let out = cidrplan()
        .args(["aggregate", "--json", "--lenient"])
        .write_stdin("10.0.0.1/8\n")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        json_of(&out),
        serde_json::json!({"prefixes": ["10.0.0.0/8"]})
    );
}

#[test]
fn exclude_reads_used_from_a_file() {
    let file = temp_file("used.txt", "other 10.128.1.1\n");
    let out = cidrplan()
        .args(["exclude", "10.0.0.0/8", "--json"])
        .arg(&file)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let free = json_of(&out)["free"].as_array().unwrap().clone();
    assert_eq!(free.first().unwrap(), "10.0.0.0/9");
    assert_eq!(free.len(), 24); // as Python's ipaddress computes (tests/vectors/exclude.json)
}

#[test]
fn carve_sequential_matches_terraform() {
    let out = cidrplan()
        .args([
            "carve",
            "10.1.0.0/16",
            "-r",
            "a=/20",
            "-r",
            "b=/20",
            "-r",
            "c=/24",
            "-r",
            "d=/20",
            "--strategy",
            "sequential",
            "--json",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    let cidrs: Vec<&str> = json["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["cidr"].as_str().unwrap())
        .collect();
    assert_eq!(
        cidrs,
        [
            "10.1.0.0/20",
            "10.1.16.0/20",
            "10.1.32.0/24",
            "10.1.48.0/20"
        ]
    );
    assert_eq!(json["lost_to_alignment"], "3840");
}

#[test]
fn carve_counts_pins_and_reserved() {
    let out = cidrplan()
        .args([
            "carve",
            "10.0.0.0/8",
            "--pin",
            "cluster-a=10.4.0.0/14",
            "-r",
            "cluster-b=/14",
            "-r",
            "nodes=1581",
            "--reserve",
            "10.0.0.0/14",
            "--json",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    let cidrs: Vec<(&str, &str)> = json["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["cidr"].as_str().unwrap()))
        .collect();
    assert_eq!(
        cidrs,
        [
            ("cluster-a", "10.4.0.0/14"),
            ("cluster-b", "10.8.0.0/14"),
            ("nodes", "10.12.0.0/21")
        ]
    );
    assert_eq!(json["lost_to_rounding"], "467");
}

#[test]
fn bad_input_exits_2_naming_file_line_and_value() {
    let file = temp_file("bad.txt", "10.0.0.0/8\n# fine\n10.0.0.256/24\n");
    cidrplan()
        .arg("aggregate")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("bad.txt:3")
                .and(predicate::str::contains("\"10.0.0.256/24\""))
                .and(predicate::str::contains("invalid_prefix")),
        );
    cidrplan()
        .arg("overlaps")
        .write_stdin("10.0.0.1/8\n")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("<stdin>:1")
                .and(predicate::str::contains("did you mean 10.0.0.0/8")),
        );
}

#[test]
fn unreadable_file_and_bad_usage_exit_2() {
    cidrplan()
        .args(["aggregate", "/nonexistent/prefixes.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/prefixes.txt"));
    cidrplan()
        .args(["carve", "10.0.0.0/8", "-r", "a"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NAME=VALUE"));
    cidrplan()
        .args([
            "carve",
            "10.0.0.0/8",
            "-r",
            "a=/24",
            "--strategy",
            "worst-fit",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("worst-fit"));
    cidrplan().args(["frobnicate"]).assert().code(2);
    cidrplan()
        .args(["exclude", "10.0.0.0/8"])
        .write_stdin("2001:db8::/32\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mixed_families"));
}

#[test]
fn carve_reports_exhaustion_with_the_largest_free_block() {
    cidrplan()
        .args(["carve", "10.0.0.0/24", "-r", "a=/23"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("space_exhausted").and(predicate::str::contains(
                "largest free block is 10.0.0.0/24",
            )),
        );
}

#[test]
fn empty_input_is_fine() {
    cidrplan()
        .arg("aggregate")
        .write_stdin("")
        .assert()
        .code(0)
        .stdout("");
    cidrplan()
        .args(["overlaps", "--json"])
        .write_stdin("# nothing\n")
        .assert()
        .code(0);
}

#[test]
fn help_has_examples() {
    cidrplan()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Examples:"));
    for sub in ["overlaps", "aggregate", "exclude", "carve"] {
        cidrplan()
            .args([sub, "--help"])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("Example"));
    }
}

//! `cidrplan import`, run as a pipeline would: files and stdin (`-`), the fragment as JSON
//! and YAML, and errors that name the input.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn cidrplan() -> Command {
    let mut cmd = Command::cargo_bin("cidrplan").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

const ROUTES: &str = r#"[{"dst": "10.1.0.0/16", "dev": "eth0"}, {"dst": "default", "gateway": "10.0.0.1", "dev": "eth0"}]"#;

#[test]
fn stdin_is_read_as_a_source_named_stdin() {
    let out = cidrplan()
        .args(["import", "-", "--from", "ip-route", "--json"])
        .write_stdin(ROUTES)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["network"]["allocations"][0]["cidr"], "10.1.0.0/16");
    assert_eq!(
        v["network"]["allocations"][0]["origin"],
        "ip-route <stdin> [0]"
    );
    assert_eq!(v["sources"][0]["source"], "<stdin>");
    assert_eq!(v["skipped"][0]["reason"], "default route");
}

#[test]
fn the_shape_is_recognised_and_yaml_is_the_default() {
    cidrplan()
        .args(["import", "-"])
        .write_stdin(ROUTES)
        .assert()
        .success()
        .stdout(predicate::str::contains("# <stdin> (ip-route): 1 ranges"))
        .stdout(predicate::str::contains("cidr: 10.1.0.0/16"));
}

#[test]
fn bad_stdin_is_named_with_the_path_and_the_value() {
    cidrplan()
        .args(["import", "-"])
        .write_stdin(r#"{"Subnets": [{"SubnetId": "s-1", "CidrBlock": "10.0.1.1/24"}]}"#)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            r#"<stdin> at Subnets[0].CidrBlock: "10.0.1.1/24" has host bits set"#,
        ));
}

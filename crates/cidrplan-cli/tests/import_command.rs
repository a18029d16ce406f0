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

/// The JSON `cidrplan ARGS` prints, `input` on stdin; the command must succeed.
fn json_from_stdin(args: &[&str], input: &str) -> Value {
    let out = cidrplan()
        .args(args)
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("JSON")
}

#[test]
fn stdin_is_read_as_a_source_named_stdin() {
    let v = json_from_stdin(&["import", "-", "--from", "ip-route", "--json"], ROUTES);
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

const NODES: &str = r#"{"kind": "List", "items": [
  {"kind": "Node", "metadata": {"name": "n0"}, "spec": {"podCIDR": "10.1.0.0/24"}, "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.10"}]}},
  {"kind": "Node", "metadata": {"name": "n1"}, "spec": {"podCIDR": "10.1.1.0/24"}, "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.11"}]}}]}"#;

#[test]
fn nodes_alone_say_the_cluster_cidr_is_unknown_on_every_channel() {
    let unknown = "cluster \"kubernetes\" is not kept: its pod_cidr, service_cidr are unknown";
    // YAML: a comment, no kept cluster, the observed ranges as allocations; stderr: a line.
    cidrplan()
        .args(["import", "-", "--from", "kubectl-nodes"])
        .write_stdin(NODES)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("# warning: {unknown}")))
        .stdout(predicate::str::contains("kubeadm-config"))
        .stdout(predicate::str::contains("clusters:").not())
        .stdout(predicate::str::contains("cidr: 10.1.1.0/24"))
        .stderr(predicate::str::contains(format!(
            "cidrplan import: warning: {unknown}"
        )));
    // --json: the warnings field.
    let v = json_from_stdin(&["import", "-", "--json"], NODES);
    assert_eq!(v["warnings"][0]["cluster"], "kubernetes");
    assert_eq!(
        v["warnings"][0]["unknown"],
        serde_json::json!(["pod_cidr", "service_cidr"])
    );
    assert_eq!(v["clusters"], serde_json::json!([]));
    // A plan naming the nodes in network.import says it too, and plans only the new cluster.
    let dir = std::env::temp_dir().join(format!("cidrplan-import-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("nodes.json"), NODES).unwrap();
    let request = dir.join("request.yaml");
    std::fs::write(
        &request,
        "network:\n  pools: [10.0.0.0/8]\n  import:\n    - {from: kubectl-nodes, file: nodes.json}\n\
         clusters:\n  - {name: new1, nodes: 3}\n",
    )
    .unwrap();
    let out = cidrplan()
        .args(["plan", request.to_str().unwrap(), "--json"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "network.import: warning: {unknown}"
        )))
        .get_output()
        .stdout
        .clone();
    std::fs::remove_dir_all(&dir).ok();
    let plan: Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(plan["clusters"].as_array().map(Vec::len), Some(1));
}

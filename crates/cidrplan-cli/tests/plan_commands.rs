//! `plan`, `recommend`, `lint` and the exports, run through the built binary. Every export
//! is parsed back (YAML or JSON) and checked against the plan; insta snapshots keep the
//! formats stable (`cargo insta review` after an intended change).

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn cidrplan() -> Command {
    let mut cmd = Command::cargo_bin("cidrplan").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    let out = cidrplan()
        .args(args)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("utf-8 output")
}

fn json_of(args: &[&str]) -> Value {
    serde_json::from_str(&stdout_of(args)).expect("valid JSON")
}

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("cidrplan-plan-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// Every YAML document of a multi-document stream.
fn yaml_documents(text: &str) -> Vec<serde_yaml_ng::Value> {
    use serde::Deserialize;
    serde_yaml_ng::Deserializer::from_str(text)
        .map(|doc| serde_yaml_ng::Value::deserialize(doc).expect("valid YAML document"))
        .collect()
}

#[test]
fn plan_without_a_file_plans_the_talks_example_flat() {
    let plan = json_of(&["plan", "--json"]);
    assert_eq!(plan["model"], "flat");
    let pods: Vec<&str> = plan["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["pod_cidr"].as_str().unwrap())
        .collect();
    assert_eq!(pods, ["10.1.0.0/16", "10.2.0.0/16"]);
    assert_eq!(plan["clusters"][0]["node_pod_mask"], 24);
    for key in ["ranking", "holes", "reachability", "warnings", "headroom"] {
        assert!(plan.get(key).is_some(), "plan has {key}");
    }
}

#[test]
fn model_override_plans_the_example_as_an_island() {
    let plan = json_of(&["plan", "--model", "island", "--json"]);
    assert_eq!(plan["model"], "island");
    let pods: Vec<&str> = plan["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["pod_cidr"].as_str().unwrap())
        .collect();
    assert_eq!(pods, ["10.1.0.0/16", "10.1.0.0/16"]);
    assert_eq!(plan["clusters"][0]["egress"], "snat");
    assert!(
        !plan["holes"].as_array().unwrap().is_empty(),
        "the shared range is a hole"
    );
}

#[test]
fn plan_table_is_readable() {
    let text = stdout_of(&["plan"]);
    assert!(text.starts_with("model: flat (recommended)\n"), "{text}");
    assert!(text.contains("cluster-1  10.1.0.0/16  /24"), "{text}");
    assert!(text.contains("reachability") && text.contains("headroom"));
}

#[test]
fn plan_table_lists_the_cloud_rules_applied() {
    let path = temp_file(
        "eks.yaml",
        "network:\n  cloud: aws\n  cni: custom_networking\n  pools: [10.20.0.0/16]\n  \
         node_pools: [10.20.0.0/16]\n  pod_pools: [100.64.0.0/10]\n  \
         service_pools: [172.16.0.0/12]\nclusters:\n  - {name: prod, nodes: 10, services: 100}\n",
    );
    let text = stdout_of(&["plan", &path]);
    assert!(text.contains("cloud rules applied"), "{text}");
    let row = text
        .lines()
        .find(|l| l.starts_with("eks_service_cidr_private "))
        .unwrap_or_default();
    let cells: Vec<&str> = row.split_whitespace().take(3).collect();
    assert_eq!(
        cells,
        ["eks_service_cidr_private", "172.16.0.0/24", "prod"],
        "{text}"
    );
    let plan = json_of(&["plan", &path, "--json"]);
    assert_eq!(plan["rules"][0]["code"], "eks_custom_networking_subnets");
    assert_eq!(plan["rules"][1]["code"], "eks_service_cidr_outside_vpc");
    // The generic example applies no cloud rule: no section, no key.
    assert!(!stdout_of(&["plan"]).contains("cloud rules applied"));
    assert!(json_of(&["plan", "--json"]).get("rules").is_none());
}

#[test]
fn recommend_ranks_every_model_with_reasons() {
    let rec = json_of(&["recommend", "--json"]);
    let ranking = rec["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 5);
    assert_eq!(ranking[0]["model"], "flat");
    assert!(ranking
        .iter()
        .all(|m| !m["reasons"].as_array().unwrap().is_empty()));
    let table = stdout_of(&["recommend"]);
    assert!(
        table.contains("RANK  MODEL") && table.contains("recommended: flat"),
        "{table}"
    );
}

const YAML_SPEC: &str = "\
network:
  pools: [10.0.0.0/8]
  allocations:
    - {name: datacenter, cidr: 10.0.0.0/9, reachable: true}
clusters:
  - {name: east, nodes: 10, max_nodes: 100, max_pods_per_node: 30}
  - {name: west, nodes: 10, max_nodes: 100, max_pods_per_node: 30}
requirements:
  ip_space: scarce
  network_programmable: false
  integration: some
";

const TOML_SPEC: &str = r#"
model = "island"
[network]
pools = ["10.0.0.0/8"]
[[clusters]]
name = "a"
nodes = 3
"#;

#[test]
fn yaml_and_toml_files_by_extension_and_by_flag() {
    let yaml = temp_file("spec.yaml", YAML_SPEC);
    let plan = json_of(&["plan", &yaml, "--json"]);
    assert_eq!(
        plan["model"], "island",
        "scarce + unprogrammable + some integration"
    );
    assert_eq!(
        plan["clusters"][0]["node_pod_mask"], 26,
        "30 pods per node -> /26 (GKE table)"
    );
    let toml = temp_file("spec.toml", TOML_SPEC);
    assert_eq!(json_of(&["plan", &toml, "--json"])["model"], "island");
    let no_extension = temp_file("spec", YAML_SPEC);
    assert_eq!(
        json_of(&["plan", &no_extension, "--input-format", "yaml", "--json"])["model"],
        "island"
    );
    let stdin_json =
        serde_json::to_string(&serde_yaml_ng::from_str::<Value>(YAML_SPEC).unwrap()).unwrap();
    let out = cidrplan()
        .args(["recommend", "-", "--json"])
        .write_stdin(stdin_json)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        serde_json::from_slice::<Value>(&out).unwrap()["ranking"][0]["model"],
        "island"
    );
}

#[test]
fn unknown_field_names_the_file_and_field() {
    let file = temp_file(
        "typo.yaml",
        "network:\n  pools: [10.0.0.0/8]\nclusters:\n  - {name: a, nodes: 2, max_pod: 30}\n",
    );
    cidrplan().args(["plan", &file]).assert().code(2).stderr(
        predicate::str::contains("typo.yaml")
            .and(predicate::str::contains("clusters[0]"))
            .and(predicate::str::contains("max_pod")),
    );
}

#[test]
fn malformed_cidr_in_a_plan_names_the_value() {
    let file = temp_file(
        "bad.json",
        r#"{"network": {"pools": ["10.0.0.1/8"]}, "clusters": [{"name": "a", "nodes": 2}]}"#,
    );
    cidrplan()
        .args(["plan", &file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.json").and(predicate::str::contains("10.0.0.1/8")));
}

#[test]
fn empty_and_unreadable_inputs_exit_2() {
    let empty = temp_file("empty.json", "  \n");
    cidrplan()
        .args(["plan", &empty])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty plan request"));
    cidrplan()
        .args(["plan", "/nonexistent/plan.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/plan.yaml"));
    cidrplan()
        .args(["plan", "--model", "hub-and-spoke"])
        .assert()
        .code(2);
    cidrplan()
        .args(["plan", "--format", "terraform-hcl"])
        .assert()
        .code(2);
}

#[test]
fn lint_strict_exits_1_on_warnings() {
    let out = cidrplan()
        .args(["lint", "--json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let warnings = serde_json::from_slice::<Value>(&out).unwrap()["warnings"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        !warnings.is_empty(),
        "the example sits in Cilium's default 10.0.0.0/8"
    );
    assert!(warnings
        .iter()
        .all(|w| w["code"].is_string() && w["message"].is_string()));
    cidrplan()
        .args(["lint", "--strict"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("vendor_default_overlap"));
}

#[test]
fn lint_allow_accepts_known_warnings_by_code_refuses_unknown_codes_and_names_one_that_matched_nothing(
) {
    // The example's only warnings are vendor defaults: accepted, --strict passes.
    cidrplan()
        .args(["lint", "--strict", "--allow", "vendor_default_overlap"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("accepted with --allow:"))
        .stdout(predicate::str::contains("(vendor_default_overlap)"));
    // A code no warning has (a typo) is refused, naming it and the codes there are.
    cidrplan()
        .args([
            "lint",
            "--strict",
            "--allow",
            "vendor_default_overlaps,cluster_overlap",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--allow vendor_default_overlaps: no warning has this code",
        ))
        .stderr(predicate::str::contains("vendor_default_unavoidable"));
    // A real code that matches nothing here is named and accepts nothing.
    cidrplan()
        .args([
            "lint",
            "--strict",
            "--allow",
            "vendor_default_overlap,cluster_overlap",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "--allow cluster_overlap matched no warning",
        ));
    let out = cidrplan()
        .args(["lint", "--json", "--allow", "vendor_default_overlap"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["warnings"].as_array().unwrap().len(), 0);
    assert!(!report["accepted"].as_array().unwrap().is_empty());
    assert_eq!(report["unmatched_allow"].as_array().unwrap().len(), 0);
}

#[test]
fn kubeadm_export_parses_back_with_the_plans_values() {
    let plan = json_of(&["plan", "--json"]);
    let text = stdout_of(&["plan", "--format", "kubeadm"]);
    let docs = yaml_documents(&text);
    assert_eq!(docs.len(), 2);
    for (doc, cluster) in docs.iter().zip(plan["clusters"].as_array().unwrap()) {
        assert_eq!(doc["kind"], "ClusterConfiguration");
        assert_eq!(doc["clusterName"].as_str(), cluster["name"].as_str());
        assert_eq!(
            doc["networking"]["podSubnet"].as_str(),
            cluster["pod_cidr"].as_str()
        );
        assert_eq!(
            doc["networking"]["serviceSubnet"].as_str(),
            cluster["service_cidr"].as_str()
        );
        // kubeadm checks the pod subnet against -ipv4/-ipv6 only, never the plain flag.
        assert_eq!(
            doc["controllerManager"]["extraArgs"][0]["name"],
            "node-cidr-mask-size-ipv4"
        );
        assert_eq!(doc["controllerManager"]["extraArgs"][0]["value"], "24");
    }
    insta::assert_snapshot!("kubeadm", text);
}

#[test]
fn kcm_flags_export_carries_the_plans_ranges() {
    let text = stdout_of(&["plan", "--format", "kcm-flags"]);
    assert!(text.contains("--cluster-cidr=10.1.0.0/16\n--node-cidr-mask-size-ipv4=24\n"));
    assert!(text.contains("--cluster-cidr=10.2.0.0/16\n"));
    insta::assert_snapshot!("kcm_flags", text);
}

#[test]
fn calico_export_sets_block_size_nat_and_encapsulation_by_model() {
    let flat = yaml_documents(&stdout_of(&["plan", "--format", "calico"]));
    assert_eq!(flat[0]["spec"]["cidr"], "10.1.0.0/16");
    assert_eq!(flat[0]["spec"]["blockSize"], 24);
    // Flat pods keep their address toward the network and masquerade toward the internet:
    // natOutgoing on, and the rest of the network as disabled pools natOutgoing skips.
    assert_eq!(flat[0]["spec"]["natOutgoing"], true);
    assert_eq!(flat[0]["spec"]["vxlanMode"], "Never");
    let no_nat: Vec<&str> = flat
        .iter()
        .take_while(|d| d["spec"]["cidr"] != "10.2.0.0/16" || d["spec"]["disabled"] == true)
        .filter(|d| d["spec"]["disabled"] == true)
        .map(|d| d["spec"]["cidr"].as_str().unwrap())
        .collect();
    assert_eq!(no_nat.len(), 8, "{no_nat:?}");
    assert_eq!(no_nat[0], "10.0.0.0/16");
    assert_eq!(no_nat[7], "10.128.0.0/9");
    let island_text = stdout_of(&["plan", "--model", "island", "--format", "calico"]);
    let island = yaml_documents(&island_text);
    assert_eq!(island[1]["spec"]["cidr"], "10.1.0.0/16");
    assert_eq!(island[1]["spec"]["natOutgoing"], true);
    assert_eq!(island[1]["spec"]["vxlanMode"], "Always");
    insta::assert_snapshot!("calico_island", island_text);
}

#[test]
fn cilium_export_sets_pool_routing_and_masquerade() {
    let text = stdout_of(&["plan", "--format", "cilium"]);
    let docs = yaml_documents(&text);
    let ipam = &docs[1]["ipam"]["operator"];
    assert_eq!(ipam["clusterPoolIPv4PodCIDRList"][0], "10.2.0.0/16");
    assert_eq!(ipam["clusterPoolIPv4MaskSize"], 24);
    assert_eq!(docs[1]["routingMode"], "native");
    // Masquerade on, except toward the routed network.
    assert_eq!(docs[1]["enableIPv4Masquerade"], true);
    assert_eq!(docs[1]["ipv4NativeRoutingCIDR"], "10.0.0.0/8");
    assert_eq!(docs[1]["cluster"]["id"], 2);
    let island = yaml_documents(&stdout_of(&[
        "plan", "--model", "island", "--format", "cilium",
    ]));
    assert_eq!(island[0]["routingMode"], "tunnel");
    assert_eq!(island[0]["enableIPv4Masquerade"], true);
    insta::assert_snapshot!("cilium_flat", text);
}

#[test]
fn ip_masq_agent_export_switches_between_flat_and_island() {
    let config_of = |model: &str| {
        let docs = yaml_documents(&stdout_of(&[
            "plan",
            "--model",
            model,
            "--format",
            "ip-masq-agent",
        ]));
        let config: serde_yaml_ng::Value =
            serde_yaml_ng::from_str(docs[0]["data"]["config"].as_str().unwrap()).unwrap();
        config["nonMasqueradeCIDRs"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        config_of("flat"),
        ["10.0.0.0/8"],
        "flat: do not masquerade to the whole network"
    );
    assert_eq!(
        config_of("island"),
        ["10.1.0.0/16"],
        "island: masquerade everything outside the pod range"
    );
    insta::assert_snapshot!(
        "ip_masq_agent_island",
        stdout_of(&["plan", "--model", "island", "--format", "ip-masq-agent"])
    );
}

#[test]
fn tfvars_export_is_json_keyed_by_cluster() {
    let text = stdout_of(&["plan", "--model", "mapped", "--format", "tfvars"]);
    let vars: Value = serde_json::from_str(&text).expect("tfvars is JSON");
    let plan = json_of(&["plan", "--model", "mapped", "--json"]);
    assert_eq!(vars["network_model"], "mapped");
    for cluster in plan["clusters"].as_array().unwrap() {
        let name = cluster["name"].as_str().unwrap();
        for key in [
            "pod_cidr",
            "service_cidr",
            "node_subnet",
            "external_pod_cidr",
            "node_pod_mask",
        ] {
            assert_eq!(vars["clusters"][name][key], cluster[key], "{name}.{key}");
        }
    }
    insta::assert_snapshot!("tfvars_mapped", text);
}

#[test]
fn hostile_cluster_names_never_break_an_export() {
    let name = "x\"\n---\nkind: Secret\n<img src=x onerror=alert(1)> \u{2028}東京\\";
    let spec = serde_json::json!({
        "network": {"pools": ["10.0.0.0/8"]},
        "clusters": [{"name": name, "nodes": 2}],
    });
    let file = temp_file("hostile.json", &spec.to_string());
    // Calico adds a disabled pool per block of the network outside the pod range.
    for (format, kind, count) in [
        ("kubeadm", "ClusterConfiguration", Some(1)),
        ("calico", "IPPool", None),
        ("cilium", "", Some(1)),
        ("ip-masq-agent", "ConfigMap", Some(1)),
    ] {
        let docs = yaml_documents(&stdout_of(&["plan", &file, "--format", format]));
        if let Some(count) = count {
            assert_eq!(docs.len(), count, "{format}: no injected documents");
        }
        for doc in &docs {
            assert_eq!(doc["kind"].as_str().unwrap_or(""), kind, "{format}");
        }
    }
    let cilium = yaml_documents(&stdout_of(&["plan", &file, "--format", "cilium"]));
    assert_eq!(
        cilium[0]["cluster"]["name"],
        "x-kind-secret-img-src-x-onerror"
    );
    let kubeadm = yaml_documents(&stdout_of(&["plan", &file, "--format", "kubeadm"]));
    assert_eq!(
        kubeadm[0]["clusterName"].as_str(),
        Some(name),
        "the name round-trips"
    );
    let calico = yaml_documents(&stdout_of(&["plan", &file, "--format", "calico"]));
    let label = calico[0]["metadata"]["name"].as_str().unwrap();
    assert!(
        label
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "{label}"
    );
    let vars: Value =
        serde_json::from_str(&stdout_of(&["plan", &file, "--format", "tfvars"])).unwrap();
    assert!(
        vars["clusters"].get(name).is_some(),
        "tfvars key round-trips"
    );
}

#[test]
fn a_plan_file_is_the_lock_file_of_the_next_plan_and_diff_guards_it() {
    let first = stdout_of(&["plan", "--model", "flat", "--json"]);
    let plan_file = temp_file("lock-first.json", &first);
    // The plan carries its request, so it stands alone.
    let value: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(value["request"]["clusters"][0]["name"], "cluster-1");
    // Re-planned with itself, the same bytes.
    let again = stdout_of(&[
        "plan",
        "--model",
        "flat",
        "--json",
        "--previous",
        &plan_file,
    ]);
    assert_eq!(again, first);
    cidrplan()
        .args(["diff", &plan_file, &plan_file])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no changes"));
    // A range moved by hand: diff exits 1 and says so.
    let moved = first.replacen("\"10.1.0.0/16\"", "\"10.9.0.0/16\"", 1);
    let moved_file = temp_file("lock-moved.json", &moved);
    let report = cidrplan()
        .args(["diff", &plan_file, &moved_file, "--json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&report).unwrap();
    assert_eq!(report["breaking"], true);
    assert_eq!(report["changes"][0]["change"], "moved");
    // A bad previous plan names the file and the path.
    let broken = temp_file(
        "lock-broken.json",
        r#"{"model": "flat", "clusters": [{"name": 3}]}"#,
    );
    cidrplan()
        .args(["plan", "--previous", &broken])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("lock-broken.json")
                .and(predicate::str::contains("clusters[0].name")),
        );
    // An unknown release is refused by name.
    cidrplan()
        .args(["plan", "--previous", &plan_file, "--release", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("release[0]"));
}

/// The review's fleet: reordering the request keeps every Cilium id, a swapped id is a
/// breaking diff (exit 1), and a bad recorded id names the file, path and value.
#[test]
fn cilium_ids_survive_a_reordered_request_and_diff_guards_them() {
    let fleet = "network:\n  pools: [10.0.0.0/8]\nclusters:\n  \
                 - {name: east, nodes: 20, max_nodes: 200}\n  \
                 - {name: west, nodes: 20, max_nodes: 200}\n";
    let fleet_file = temp_file("mesh-fleet.yaml", fleet);
    let first = stdout_of(&["plan", &fleet_file, "--json"]);
    let plan_file = temp_file("mesh-plan.json", &first);
    let reordered = temp_file(
        "mesh-fleet-reordered.yaml",
        &fleet
            .replace("east", "EAST")
            .replace("west", "east")
            .replace("EAST", "west"),
    );
    let cilium = stdout_of(&[
        "plan",
        &reordered,
        "--previous",
        &plan_file,
        "--format",
        "cilium",
    ]);
    let ids: Vec<(String, i64)> = yaml_documents(&cilium)
        .iter()
        .map(|d| {
            (
                d["cluster"]["name"].as_str().unwrap().to_string(),
                d["cluster"]["id"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ids, [("west".into(), 2), ("east".into(), 1)]);
    let next = stdout_of(&["plan", &reordered, "--previous", &plan_file, "--json"]);
    let next_file = temp_file("mesh-next.json", &next);
    cidrplan()
        .args(["diff", &plan_file, &next_file])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no changes"));
    // Ids swapped by hand: breaking.
    let swapped = first
        .replacen("\"mesh_id\": 1", "\"mesh_id\": 9", 1)
        .replacen("\"mesh_id\": 2", "\"mesh_id\": 1", 1)
        .replacen("\"mesh_id\": 9", "\"mesh_id\": 2", 1);
    assert_ne!(swapped, first);
    let swapped_file = temp_file("mesh-swapped.json", &swapped);
    cidrplan()
        .args(["diff", &plan_file, &swapped_file])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("mesh_id").and(predicate::str::contains("breaking")));
    let bad_file = temp_file(
        "mesh-bad.json",
        &first.replacen("\"mesh_id\": 2", "\"mesh_id\": 300", 1),
    );
    cidrplan()
        .args(["plan", &fleet_file, "--previous", &bad_file])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("mesh-bad.json")
                .and(predicate::str::contains("previous.clusters[1].mesh_id"))
                .and(predicate::str::contains("300")),
        );
}

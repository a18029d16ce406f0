//! `cidrplan verify`. Plan reading and claim derivation run everywhere through
//! `--dry-run`; the tests that build replicas need root, `ip` and `nft`, and skip (with a
//! message) without them. Those also check that the root namespace is left unchanged.

use std::process::Command as StdCommand;

use assert_cmd::Command;
use serde_json::Value;

const MODELS: [&str; 5] = ["flat", "island", "isolated", "mapped", "archipelago"];

fn cidrplan() -> Command {
    let mut cmd = Command::cargo_bin("cidrplan").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = cidrplan().args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("cidrplan-verify-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn plan_json(model: &str) -> Value {
    let (code, out, err) = run(&["plan", "--model", model, "--json"]);
    assert_eq!(code, 0, "{err}");
    json(&out)
}

fn workspace_file(rel: &str) -> String {
    format!("{}/../../{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn probes_of(claim: &Value) -> &Vec<Value> {
    claim["probes"].as_array().expect("probes")
}

fn claim<'a>(report: &'a Value, from: &str, to: &str) -> &'a Value {
    report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["from"] == from && c["to"] == to)
        .unwrap_or_else(|| panic!("claim {from} -> {to} in {report}"))
}

#[test]
fn dry_run_derives_a_probe_set_for_every_claim_of_every_model() {
    for model in MODELS {
        let (code, out, err) = run(&["verify", "--model", model, "--dry-run", "--json"]);
        assert_eq!(code, 0, "{model}: {err}");
        let value = json(&out);
        let report = &value["report"];
        let plan = plan_json(model);
        let rows = plan["reachability"].as_array().unwrap();
        assert_eq!(report["claims_total"], rows.len(), "{model}");
        assert_eq!(report["probed"], false);
        for row in rows {
            let c = claim(
                report,
                row["from"].as_str().unwrap(),
                row["to"].as_str().unwrap(),
            );
            assert_eq!(c["how"], row["how"]);
            assert!(!probes_of(c).is_empty(), "{model}: {c}");
        }
        // Replica: router, network host, internet host, the allocation, 2 clusters x
        // (2 nodes + 4 pods).
        let replica = &value["replica"];
        let names: Vec<&str> = replica["namespaces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), 16, "{model}: {names:?}");
        let run_id = replica["run_id"].as_str().unwrap();
        assert!(run_id.starts_with("cpv-") && run_id.len() == 10, "{run_id}");
        assert!(names.iter().all(|n| n.starts_with(&format!("{run_id}-"))));
        // Interface names fit the kernel's 15 characters.
        for v in replica["veths"].as_array().unwrap() {
            for side in ["a", "b"] {
                let name = v[side][1].as_str().unwrap();
                assert!(name.len() <= 15, "{name}");
                assert!(names.contains(&v[side][0].as_str().unwrap()));
            }
        }
    }
}

#[test]
fn island_claims_expect_snat_to_the_node_and_only_the_gateway_inward() {
    let (code, out, err) = run(&["verify", "--model", "island", "--dry-run", "--json"]);
    assert_eq!(code, 0, "{err}");
    let report = &json(&out)["report"];
    let egress = claim(report, "pod:cluster-1", "allocation:other");
    let first = &probes_of(egress)[0];
    assert_eq!(first["target"], "10.128.1.1:8077");
    assert_eq!(
        first["expected"],
        "allocation:other answers, saw 10.240.0.1"
    );
    let ingress = probes_of(claim(report, "network", "pod:cluster-1"));
    assert_eq!(ingress.len(), 2);
    assert_eq!(ingress[0]["via"], "direct");
    assert!(ingress[0]["expected"]
        .as_str()
        .unwrap()
        .ends_with("does not answer"));
    assert_eq!(ingress[1]["via"], "gateway");
    assert_eq!(ingress[1]["target"], "10.240.0.1:30080");
}

#[test]
fn flat_and_mapped_claims_expect_the_pod_and_the_mapped_address() {
    let (_, out, _) = run(&["verify", "--model", "flat", "--dry-run", "--json"]);
    let report = &json(&out)["report"];
    let p = &probes_of(claim(report, "pod:cluster-1", "pod:cluster-2"))[0];
    assert_eq!(p["target"], "10.2.1.2:8077");
    assert_eq!(p["expected"], "cluster-2/n1/p1 answers, saw 10.1.0.1");

    let (_, out, _) = run(&["verify", "--model", "mapped", "--dry-run", "--json"]);
    let report = &json(&out)["report"];
    let p = &probes_of(claim(report, "pod:cluster-1", "pod:cluster-2"))[1];
    assert_eq!(p["via"], "mapped");
    assert_eq!(p["target"], "10.3.1.2:8077");
    assert_eq!(p["expected"], "cluster-2/n1/p1 answers, saw 10.2.1.1");
}

#[test]
fn a_plan_file_is_read_as_it_stands_and_needs_allocation_addresses() {
    // `plan --json` carries the network it was made in (in its request), so its output
    // verifies as is.
    let file = temp_file(
        "island-plan-as-written.json",
        &plan_json("island").to_string(),
    );
    let (code, out, err) = run(&["verify", &file, "--dry-run", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["report"]["model"], "island");

    // Without that network, the allocations' addresses must come from flags.
    let mut bare = plan_json("island");
    assert!(
        bare.get("network").is_none(),
        "the network is listed once, in the request"
    );
    bare.as_object_mut().unwrap().remove("request");
    let file = temp_file("island-plan.json", &bare.to_string());
    let (code, _, err) = run(&["verify", &file, "--dry-run"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("allocation:other") && err.contains("--allocation"),
        "{err}"
    );

    let (code, out, err) = run(&[
        "verify",
        &file,
        "--allocation",
        "other=10.128.1.1/32",
        "--dry-run",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["report"]["model"], "island");

    // A `network` object in the plan works as well.
    let mut with_network = plan_json("island");
    with_network["network"] = serde_json::json!({
        "pools": ["10.0.0.0/8"],
        "allocations": [{"name": "other", "cidr": "10.128.1.1/32"}]
    });
    let file = temp_file("island-plan-network.json", &with_network.to_string());
    let (code, _, err) = run(&["verify", &file, "--dry-run"]);
    assert_eq!(code, 0, "{err}");

    // --model cannot re-plan a plan.
    let (code, _, err) = run(&["verify", &file, "--model", "flat", "--dry-run"]);
    assert_eq!(code, 2);
    assert!(err.contains("--model"), "{err}");
}

#[test]
fn a_request_file_is_planned_first() {
    let file = workspace_file("tests/verify/archipelago-groups.json");
    let (code, out, err) = run(&["verify", &file, "--dry-run", "--json"]);
    assert_eq!(code, 0, "{err}");
    let report = &json(&out)["report"];
    assert_eq!(report["model"], "archipelago");
    assert_eq!(claim(report, "pod:east-a", "pod:east-b")["how"], "direct");
    assert_eq!(claim(report, "pod:east-a", "pod:west-a")["how"], "gateway");
}

#[test]
fn bad_plans_exit_2_naming_the_problem() {
    let mut plan = plan_json("flat");
    plan["reachability"][0]["how"] = "teleport".into();
    let file = temp_file("bad-how.json", &plan.to_string());
    let (code, _, err) = run(&["verify", &file, "--dry-run"]);
    assert_eq!(code, 2);
    assert!(err.contains("reachability[0].how"), "{err}");

    let mut plan = plan_json("flat");
    plan["reachability"][0]["to"] = "pod:nowhere".into();
    let file = temp_file("bad-side.json", &plan.to_string());
    let (code, _, err) = run(&[
        "verify",
        &file,
        "--allocation",
        "other=10.128.1.1/32",
        "--dry-run",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("nowhere"), "{err}");

    let mut plan = plan_json("flat");
    plan["clusters"][0]["pod_cidr"] = "2001:db8::/48".into();
    let file = temp_file("v6.json", &plan.to_string());
    let (code, _, err) = run(&[
        "verify",
        &file,
        "--allocation",
        "other=10.128.1.1/32",
        "--dry-run",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("IPv4"), "{err}");

    let file = temp_file("empty.json", "  ");
    let (code, _, _) = run(&["verify", &file, "--dry-run"]);
    assert_eq!(code, 2);
    let (code, _, _) = run(&["verify", "/nonexistent/plan.json", "--dry-run"]);
    assert_eq!(code, 2);
}

fn export_text(model: &str, format: &str) -> String {
    let (code, out, err) = run(&["plan", "--model", model, "--format", format]);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn every_cni_renders_its_exports_and_the_report_names_them() {
    for (model, wanted) in [
        ("flat", &[][..]),
        ("mapped", &["node-nat"][..]),
        ("isolated", &["policy"][..]),
    ] {
        for cni in ["ip-masq-agent", "calico", "cilium"] {
            let (code, out, err) = run(&[
                "verify",
                "--model",
                model,
                "--cni",
                cni,
                "--dry-run",
                "--json",
            ]);
            assert_eq!(code, 0, "{model} {cni}: {err}");
            let report = &json(&out)["report"];
            assert_eq!(report["cni"], cni);
            let formats: Vec<&str> = report["exports"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["format"].as_str().unwrap())
                .collect();
            let mut expected = vec![cni];
            expected.extend(wanted);
            assert_eq!(formats, expected, "{model} {cni}");
            assert!(report["exports"][0]["source"] == "rendered");
            // The rendered exports agree with every claim.
            let claims = report["claims"].as_array().unwrap();
            assert!(
                claims.iter().all(|c| c.get("exports_say").is_none()),
                "{model} {cni}: {report:#}"
            );
            // The internet rows are claims, probed at the matrix's internet address.
            let internet = claim(report, "pod:cluster-1", "internet");
            assert_eq!(probes_of(internet)[0]["target"], "198.51.100.80:8077");
        }
    }
}

#[test]
fn an_inconsistent_export_is_named_before_any_probe() {
    // Calico for flat with natOutgoing off: the internet would see pod addresses.
    let text = export_text("flat", "calico").replacen("natOutgoing: true", "natOutgoing: false", 1);
    let file = temp_file("calico-no-nat.yaml", &text);
    let (code, out, err) = run(&[
        "verify",
        "--cni",
        "calico",
        "--export",
        &file,
        "--dry-run",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let report = &json(&out)["report"];
    assert_eq!(report["exports"][0]["source"], file.as_str());
    let says = claim(report, "pod:cluster-1", "internet")["exports_say"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(says.contains("calico export does not masquerade"), "{says}");
    assert!(claim(report, "pod:cluster-2", "internet")
        .get("exports_say")
        .is_none());
    let (_, out, _) = run(&["verify", "--cni", "calico", "--export", &file, "--dry-run"]);
    assert!(
        out.contains("exports contradict: pod:cluster-1 -> internet (snat)"),
        "{out}"
    );
}

#[test]
fn exports_are_recognised_or_named_and_bad_ones_exit_2() {
    let text = export_text("island", "cilium");
    let file = temp_file("values.yaml", &text);
    // Recognised from its content, or named.
    for arg in [file.clone(), format!("cilium={file}")] {
        let (code, out, err) = run(&[
            "verify",
            "--model",
            "island",
            "--cni",
            "cilium",
            "--export",
            &arg,
            "--dry-run",
            "--json",
        ]);
        assert_eq!(code, 0, "{arg}: {err}");
        assert_eq!(json(&out)["report"]["exports"][0]["source"], file.as_str());
    }
    // A file that is no export.
    let other = temp_file("other.yaml", "hello: world\n");
    let (code, _, err) = run(&["verify", "--export", &other, "--dry-run"]);
    assert_eq!(code, 2);
    assert!(err.contains("FORMAT=FILE"), "{err}");
    // An export the CNI itself would refuse: Cilium's ip-masq-agent without BPF masquerade.
    let refused = text.replace(
        "enableIPv4Masquerade: true\n",
        "enableIPv4Masquerade: true\nipMasqAgent:\n  enabled: true\n",
    );
    assert_ne!(refused, text);
    let refused = temp_file("refused.yaml", &refused);
    let (code, _, err) = run(&[
        "verify",
        "--model",
        "island",
        "--cni",
        "cilium",
        "--export",
        &refused,
        "--dry-run",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bpf.masquerade"), "{err}");
    // An export for another model's clusters: a part for a cluster the plan lacks.
    let renamed = temp_file(
        "renamed.yaml",
        &export_text("flat", "ip-masq-agent").replace("cluster-2", "cluster-9"),
    );
    let (code, out, err) = run(&["verify", "--export", &renamed, "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("no part for this cluster"), "{out}");
    assert!(
        out.contains("\"cluster-9\", which the plan does not have"),
        "{out}"
    );
}

#[test]
fn a_plan_file_renders_its_exports_from_the_file() {
    // The plan file's datapath, hand-edited: cluster-1 keeps its source toward its own
    // pods only, so every export of cluster-1 masquerades toward the network.
    let mut plan = plan_json("flat");
    plan["clusters"][0]["datapath"][0]["keep_source"] = serde_json::json!(["10.1.0.0/16"]);
    let file = temp_file("flat-edited-datapath.json", &plan.to_string());
    for cni in ["ip-masq-agent", "calico", "cilium"] {
        let (code, out, err) = run(&["verify", &file, "--cni", cni, "--dry-run", "--json"]);
        assert_eq!(code, 0, "{cni}: {err}");
        let report = &json(&out)["report"];
        let says = claim(report, "pod:cluster-1", "network")["exports_say"].to_string();
        assert!(says.contains("masquerades"), "{cni}: {says}");
    }
    // A plan file without datapath entries needs its exports given.
    let mut old = plan_json("island");
    for c in old["clusters"].as_array_mut().unwrap() {
        c.as_object_mut().unwrap().remove("datapath");
    }
    let file = temp_file("island-without-datapath.json", &old.to_string());
    let (code, _, err) = run(&["verify", &file, "--dry-run"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("datapath") && err.contains("--export"),
        "{err}"
    );
    let given = temp_file("island-agent.yaml", &export_text("island", "ip-masq-agent"));
    let (code, _, err) = run(&["verify", &file, "--export", &given, "--dry-run"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_one_node_cluster_in_a_slash_30_gets_one_node() {
    let request = r#"{"network": {"pools": ["10.0.0.0/16"]},
        "clusters": [{"name": "tiny", "nodes": 1}, {"name": "big", "nodes": 20}],
        "model": "flat"}"#;
    let file = temp_file("tiny.json", request);
    let (code, out, err) = run(&["verify", &file, "--dry-run", "--json"]);
    assert_eq!(code, 0, "{err}");
    let names: Vec<String> = json(&out)["replica"]["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.iter().filter(|n| n.ends_with("-c0n0")).count(), 1);
    assert!(!names.iter().any(|n| n.ends_with("-c0n1")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with("-c1n1")), "{names:?}");
}

#[test]
fn help_shows_an_example_and_the_helper_is_hidden() {
    let (code, out, _) = run(&["verify", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("cidrplan verify --model island"), "{out}");
    let (_, out, _) = run(&["--help"]);
    assert!(
        out.contains("verify") && !out.contains("__verify-helper"),
        "{out}"
    );
}

// ---- tests that build replicas (root, ip, nft) ----

fn can_build_replicas() -> bool {
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false);
    let tool = |t: &str, a: &str| {
        StdCommand::new(t)
            .arg(a)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let ok = root && tool("ip", "-V") && tool("nft", "--version");
    if !ok {
        eprintln!("skipped: needs root with ip and nft (scripts/test-verify.sh installs them)");
    }
    ok
}

fn root_state() -> String {
    let mut state = String::new();
    for args in [
        &["addr"][..],
        &["route", "show", "table", "all"][..],
        &["rule"][..],
        &["link"][..],
    ] {
        let out = StdCommand::new("ip").args(args).output().expect("ip runs");
        state.push_str(&String::from_utf8_lossy(&out.stdout));
    }
    state
}

fn namespaces() -> String {
    let out = StdCommand::new("ip")
        .args(["netns", "list"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn root_every_model_of_the_example_verifies_and_the_root_namespace_is_untouched() {
    if !can_build_replicas() {
        return;
    }
    let before = root_state();
    for (model, cni) in MODELS
        .iter()
        .flat_map(|m| ["ip-masq-agent", "calico", "cilium"].map(|c| (*m, c)))
    {
        let (code, out, err) = run(&["verify", "--model", model, "--cni", cni, "--json"]);
        let report = json(&out);
        assert_eq!(code, 0, "{model} {cni}: {err}\n{report:#}");
        assert_eq!(report["passed"], true);
        assert_eq!(report["claims_failed"], 0);
        let run_id = report["run_id"].as_str().unwrap();
        assert!(!namespaces().contains(run_id), "{run_id} left behind");
    }
    assert_eq!(before, root_state(), "the root namespace changed");
}

#[test]
fn root_a_shadowed_allocation_is_caught() {
    if !can_build_replicas() {
        return;
    }
    let mut plan = plan_json("island");
    plan["clusters"][0]["pod_cidr"] = "10.128.0.0/16".into();
    let file = temp_file("shadow.json", &plan.to_string());
    let (code, out, err) = run(&["verify", &file, "--allocation", "other=10.128.1.1/32"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("FAILED: pod:cluster-1 -> allocation:other (snat)"),
        "{out}"
    );
    assert!(!out.contains("FAILED: pod:cluster-2"), "{out}");
}

#[test]
fn root_a_flat_plan_with_a_missing_route_is_caught() {
    if !can_build_replicas() {
        return;
    }
    let mut plan = plan_json("flat");
    plan["clusters"][1]["pod_cidr"] = "10.1.0.0/16".into();
    let file = temp_file("missing-route.json", &plan.to_string());
    let (code, out, err) = run(&[
        "verify",
        &file,
        "--allocation",
        "other=10.128.1.1/32",
        "--json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let report = json(&out);
    assert_eq!(claim(&report, "network", "pod:cluster-2")["passed"], false);
    assert_eq!(claim(&report, "network", "pod:cluster-1")["passed"], true);
    assert!(report["notes"][0].as_str().unwrap().contains("route add"));
}

#[test]
fn root_a_false_negative_claim_is_caught() {
    if !can_build_replicas() {
        return;
    }
    let mut plan = plan_json("flat");
    let rows = plan["reachability"].as_array_mut().unwrap();
    let row = rows
        .iter_mut()
        .find(|r| r["from"] == "network" && r["to"] == "pod:cluster-1")
        .unwrap();
    row["how"] = "none".into();
    let file = temp_file("false-none.json", &plan.to_string());
    let (code, out, _) = run(&["verify", &file, "--allocation", "other=10.128.1.1/32"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAILED: network -> pod:cluster-1 (none)"),
        "{out}"
    );
}

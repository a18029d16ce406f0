//! A running cluster's Cilium `cluster.id` and `cluster.name` never change: the plan
//! records them, re-plans keep them whatever the order of the request, retained clusters
//! hold theirs, new clusters get free ones, and `diff` calls a change breaking.

use cidrplan::export::{render, ExportFormat};
use cidrplan::k8s::{
    diff, plan, plan_with, ClusterSpec, ModelChoice, Network, Plan, PlanOptions, PlanRequest,
    PreviousPlan,
};
use cidrplan::Prefix;

fn p(text: &str) -> Prefix {
    text.parse().unwrap()
}

fn cluster(name: &str) -> ClusterSpec {
    ClusterSpec {
        name: name.to_string(),
        nodes: 20,
        max_nodes: Some(200),
        ..ClusterSpec::default()
    }
}

fn fleet(names: &[&str], model: ModelChoice) -> PlanRequest {
    PlanRequest {
        network: Network {
            pools: vec![p("10.0.0.0/8")],
            ..Network::default()
        },
        clusters: names.iter().map(|n| cluster(n)).collect(),
        model,
        ..PlanRequest::default()
    }
}

fn replan(req: &PlanRequest, previous: impl Into<PreviousPlan>, release: &[&str]) -> Plan {
    plan_with(
        req,
        &PlanOptions {
            previous: Some(previous.into()),
            release: release.iter().map(|s| s.to_string()).collect(),
        },
    )
    .unwrap()
}

fn locked(plan: &Plan) -> PreviousPlan {
    PreviousPlan::from(plan)
}

/// `(plan name, Cilium name, mesh id)` of every cluster, in plan order.
fn ids(plan: &Plan) -> Vec<(String, String, Option<u16>)> {
    plan.clusters
        .iter()
        .map(|c| (c.name.clone(), c.cilium_name.clone(), c.mesh_id))
        .collect()
}

fn id_of(plan: &Plan, name: &str) -> Option<u16> {
    plan.clusters
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.mesh_id)
}

/// `(cluster.name, cluster.id)` of every document of the Cilium export.
fn cilium_ids(plan: &Plan) -> Vec<(String, Option<u16>)> {
    let text = render(plan, ExportFormat::Cilium).unwrap();
    text.split("\n---\n")
        .map(|doc| {
            let name = doc
                .lines()
                .find_map(|l| l.strip_prefix("  name: "))
                .unwrap()
                .trim_matches('"')
                .to_string();
            let id = doc
                .lines()
                .find_map(|l| l.strip_prefix("  id: "))
                .map(|v| v.parse().unwrap());
            (name, id)
        })
        .collect()
}

#[test]
fn a_first_plan_gives_ids_in_order_and_records_them() {
    let first = plan(&fleet(&["east", "west"], ModelChoice::Flat)).unwrap();
    assert_eq!(
        ids(&first),
        [
            ("east".into(), "east".into(), Some(1)),
            ("west".into(), "west".into(), Some(2))
        ]
    );
    assert_eq!(
        cilium_ids(&first),
        [("east".into(), Some(1)), ("west".into(), Some(2))]
    );
    let json = serde_json::to_value(&first).unwrap();
    assert_eq!(json["clusters"][1]["mesh_id"], 2);
    assert_eq!(json["clusters"][1]["cilium_name"], "west");
    let back: PreviousPlan = serde_json::from_value(json).unwrap();
    assert_eq!(back.clusters[1].mesh_id, Some(2));
    assert_eq!(back.clusters[1].cilium_name.as_deref(), Some("west"));
}

#[test]
fn reordering_the_request_keeps_every_id_and_name() {
    let first = plan(&fleet(&["east", "west"], ModelChoice::Flat)).unwrap();
    let next = replan(&fleet(&["west", "east"], ModelChoice::Flat), &first, &[]);
    assert_eq!(id_of(&next, "east"), Some(1));
    assert_eq!(id_of(&next, "west"), Some(2));
    assert_eq!(
        cilium_ids(&next),
        [("west".into(), Some(2)), ("east".into(), Some(1))]
    );
    let report = diff(&locked(&first), &locked(&next)).unwrap();
    assert!(report.changes.is_empty() && !report.breaking, "{report:?}");
}

#[test]
fn a_retained_cluster_holds_its_id_and_a_released_one_frees_it() {
    let first = plan(&fleet(&["east", "west"], ModelChoice::Flat)).unwrap();
    // east is removed (retained) and alpha added: alpha must not take east's 1.
    let second = replan(&fleet(&["west", "alpha"], ModelChoice::Flat), &first, &[]);
    assert_eq!(id_of(&second, "west"), Some(2));
    assert_eq!(id_of(&second, "alpha"), Some(3));
    assert_eq!(second.retained[0].name, "east");
    assert_eq!(second.retained[0].mesh_id, Some(1));
    assert_eq!(second.retained[0].cilium_name.as_deref(), Some("east"));
    // The retained cluster's id survives the plan file and the next re-plan.
    let json = serde_json::to_vec(&second).unwrap();
    let read: PreviousPlan = serde_json::from_slice(&json).unwrap();
    assert_eq!(read.retained[0].mesh_id, Some(1));
    let third = replan(
        &fleet(&["west", "alpha", "beta"], ModelChoice::Flat),
        read.clone(),
        &[],
    );
    assert_eq!(id_of(&third, "beta"), Some(4));
    // Released, east's id is free again.
    let fourth = replan(
        &fleet(&["west", "alpha", "beta", "gamma"], ModelChoice::Flat),
        &third,
        &["east"],
    );
    assert_eq!(id_of(&fourth, "gamma"), Some(1));
    assert_eq!(
        [2, 3, 4].map(|i| fourth.clusters[i - 2].mesh_id),
        [Some(2), Some(3), Some(4)]
    );
    // east requested again while retained: restored with its id.
    let back = replan(
        &fleet(&["west", "alpha", "east"], ModelChoice::Flat),
        read,
        &[],
    );
    assert_eq!(id_of(&back, "east"), Some(1));
}

#[test]
fn clashing_names_keep_their_suffixes_when_reordered() {
    let first = plan(&fleet(
        &["Prod Cluster #1", "prod-cluster-1"],
        ModelChoice::Flat,
    ))
    .unwrap();
    assert_eq!(
        cilium_ids(&first),
        [
            ("prod-cluster-1".into(), Some(1)),
            ("prod-cluster-1-2".into(), Some(2))
        ]
    );
    let next = replan(
        &fleet(&["prod-cluster-1", "Prod Cluster #1"], ModelChoice::Flat),
        &first,
        &[],
    );
    assert_eq!(
        cilium_ids(&next),
        [
            ("prod-cluster-1-2".into(), Some(2)),
            ("prod-cluster-1".into(), Some(1))
        ]
    );
    // A new cluster whose name clashes gets a name nobody holds.
    let more = replan(
        &fleet(
            &["prod-cluster-1", "Prod Cluster #1", "PROD cluster 1"],
            ModelChoice::Flat,
        ),
        &next,
        &[],
    );
    let names: Vec<String> = more
        .clusters
        .iter()
        .map(|c| c.cilium_name.clone())
        .collect();
    assert_eq!(
        names,
        ["prod-cluster-1-2", "prod-cluster-1", "prod-cluster-1-3"]
    );
}

#[test]
fn archipelago_numbers_each_group_and_keeps_them() {
    let grouped = |names: &[(&str, &str)]| {
        let mut req = fleet(
            &names.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            ModelChoice::Archipelago,
        );
        for (c, (_, g)) in req.clusters.iter_mut().zip(names) {
            c.group = Some(g.to_string());
            c.max_nodes = Some(20);
        }
        req
    };
    let first = plan(&grouped(&[
        ("a", "east"),
        ("b", "east"),
        ("x", "east"),
        ("c", "west"),
        ("d", "west"),
    ]))
    .unwrap();
    let got: Vec<Option<u16>> = first.clusters.iter().map(|c| c.mesh_id).collect();
    assert_eq!(got, [Some(1), Some(2), Some(3), Some(1), Some(2)]);
    // a is dropped (retained, holding 1 in east); reordered; e joins east, f a new group.
    let next = replan(
        &grouped(&[
            ("d", "west"),
            ("c", "west"),
            ("x", "east"),
            ("b", "east"),
            ("e", "east"),
            ("f", "north"),
        ]),
        &first,
        &[],
    );
    for (name, id) in [("b", 2), ("x", 3), ("c", 1), ("d", 2), ("e", 4), ("f", 1)] {
        assert_eq!(id_of(&next, name), Some(id), "{name}");
    }
    assert_eq!(next.retained[0].group.as_deref(), Some("east"));
    assert_eq!(next.retained[0].mesh_id, Some(1));
}

#[test]
fn models_without_a_mesh_record_names_only() {
    let first = plan(&fleet(&["east", "west"], ModelChoice::Island)).unwrap();
    assert!(first.clusters.iter().all(|c| c.mesh_id.is_none()));
    assert_eq!(first.clusters[1].cilium_name, "west");
    let text = render(&first, ExportFormat::Cilium).unwrap();
    assert!(!text.contains("  id: "), "{text}");
}

/// A plan file written before ids were recorded: its clusters had the ids of their
/// position, and a re-plan keeps exactly those.
fn without_identities(plan: &Plan) -> serde_json::Value {
    let mut json = serde_json::to_value(plan).unwrap();
    for list in ["clusters", "retained"] {
        if let Some(items) = json.get_mut(list).and_then(|l| l.as_array_mut()) {
            for c in items {
                let c = c.as_object_mut().unwrap();
                c.remove("mesh_id");
                c.remove("cilium_name");
            }
        }
    }
    json
}

#[test]
fn an_older_plan_file_gets_the_ids_its_exports_gave() {
    let first = plan(&fleet(
        &["east", "Prod Cluster #1", "prod-cluster-1"],
        ModelChoice::Flat,
    ))
    .unwrap();
    let old: PreviousPlan = serde_json::from_value(without_identities(&first)).unwrap();
    assert!(old.clusters.iter().all(|c| c.mesh_id.is_none()));
    let next = replan(
        &fleet(
            &["prod-cluster-1", "Prod Cluster #1", "east"],
            ModelChoice::Flat,
        ),
        old.clone(),
        &[],
    );
    assert_eq!(
        cilium_ids(&next),
        [
            ("prod-cluster-1-3".into(), Some(3)),
            ("prod-cluster-1".into(), Some(2)),
            ("east".into(), Some(1))
        ]
    );
    // The older file diffs empty against the recorded one.
    let report = diff(&old, &locked(&first)).unwrap();
    assert!(report.changes.is_empty(), "{report:?}");
    let report = diff(&old, &locked(&next)).unwrap();
    assert!(report.changes.is_empty(), "{report:?}");
}

#[test]
fn a_changed_id_or_name_is_a_breaking_change() {
    let first = plan(&fleet(&["east", "west"], ModelChoice::Flat)).unwrap();
    let old = locked(&first);
    let mut new = old.clone();
    new.clusters.swap(0, 1);
    new.clusters[0].mesh_id = Some(1);
    new.clusters[1].mesh_id = Some(2);
    let report = diff(&old, &new).unwrap();
    assert!(report.breaking, "{report:?}");
    let moved: Vec<(&str, &str, Option<&str>, Option<&str>)> = report
        .changes
        .iter()
        .map(|c| {
            (
                c.cluster.as_str(),
                c.range,
                c.old.as_deref(),
                c.new.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        moved,
        [
            ("east", "mesh_id", Some("1"), Some("2")),
            ("west", "mesh_id", Some("2"), Some("1"))
        ]
    );
    assert!(report.changes.iter().all(|c| c.change == "moved"));
    let mut renamed = old.clone();
    renamed.clusters[1].cilium_name = Some("west-2".into());
    let report = diff(&old, &renamed).unwrap();
    assert!(report.breaking);
    assert_eq!(report.changes[0].range, "cilium_name");
    assert_eq!(report.kept, ["east"]);
    // A new cluster lists its id and name among its added values.
    let grown = replan(
        &fleet(&["east", "west", "north"], ModelChoice::Flat),
        &first,
        &[],
    );
    let report = diff(&old, &locked(&grown)).unwrap();
    assert!(!report.breaking);
    let added: Vec<(&str, &str)> = report
        .changes
        .iter()
        .filter(|c| matches!(c.range, "mesh_id" | "cilium_name"))
        .map(|c| (c.range, c.new.as_deref().unwrap()))
        .collect();
    assert_eq!(added, [("mesh_id", "3"), ("cilium_name", "north")]);
}

#[test]
fn bad_recorded_ids_and_names_are_refused_with_path_and_value() {
    let first = plan(&fleet(&["east", "west"], ModelChoice::Flat)).unwrap();
    let req = fleet(&["east", "west"], ModelChoice::Flat);
    let refused = |edit: &dyn Fn(&mut PreviousPlan)| {
        let mut previous = locked(&first);
        edit(&mut previous);
        let options = PlanOptions {
            previous: Some(previous.clone()),
            release: vec![],
        };
        let e = plan_with(&req, &options).unwrap_err();
        assert_eq!(e.code(), "invalid_spec", "{e}");
        let d = diff(&previous, &previous).unwrap_err();
        assert_eq!(d.code(), "invalid_spec", "{d}");
        e.to_string()
    };
    for (id, why) in [(0, "outside 1..=255"), (256, "outside 1..=255")] {
        let m = refused(&|p| p.clusters[1].mesh_id = Some(id));
        assert!(
            m.contains("previous.clusters[1].mesh_id") && m.contains(&id.to_string()),
            "{m}"
        );
        assert!(m.contains(why), "{m}");
    }
    let m = refused(&|p| p.clusters[1].mesh_id = Some(1));
    assert!(
        m.contains("previous.clusters[1].mesh_id") && m.contains("previous.clusters[0]"),
        "{m}"
    );
    let m = refused(&|p| {
        let mut gone = p.clusters.remove(0);
        gone.name = "gone".into();
        gone.mesh_id = Some(2);
        gone.cilium_name = Some("gone".into());
        p.retained.push(gone);
    });
    assert!(m.contains("previous.retained[0].mesh_id"), "{m}");
    for bad in [
        "Default",
        "default",
        "-x",
        "x_y",
        "a234567890123456789012345678901234",
    ] {
        let m = refused(&|p| p.clusters[0].cilium_name = Some(bad.into()));
        assert!(
            m.contains("previous.clusters[0].cilium_name") && m.contains(bad),
            "{m}"
        );
    }
    let m = refused(&|p| p.clusters[1].cilium_name = Some("east".into()));
    assert!(m.contains("previous.clusters[1].cilium_name"), "{m}");
    let m = refused(&|p| {
        p.model = cidrplan::k8s::NetworkModel::Island;
    });
    assert!(m.contains("mesh_id") && m.contains("island"), "{m}");
}

#[test]
fn a_value_outside_u16_is_refused_by_the_reader() {
    let first = plan(&fleet(&["east"], ModelChoice::Flat)).unwrap();
    let mut json = serde_json::to_value(&first).unwrap();
    json["clusters"][0]["mesh_id"] = serde_json::json!(70000);
    assert!(serde_json::from_value::<PreviousPlan>(json.clone()).is_err());
    json["clusters"][0]["mesh_id"] = serde_json::json!("1");
    assert!(serde_json::from_value::<PreviousPlan>(json).is_err());
}

//! A plan is a lock file: a fleet re-planned with its previous plan never moves what
//! exists. Property tests over random sequences of edits, and scenarios that read like a
//! fleet's life.

use std::collections::{BTreeMap, BTreeSet};

use cidrplan::export::{render, ExportFormat};
use cidrplan::k8s::{
    diff, plan, plan_with, ClusterSpec, Layout, ModelChoice, Network, Plan, PlanOptions,
    PlanRequest, PreviousPlan, Requirements,
};
use cidrplan::Prefix;
use proptest::prelude::*;

fn p(text: &str) -> Prefix {
    text.parse().unwrap()
}

fn cluster(name: &str, max_nodes: u32) -> ClusterSpec {
    ClusterSpec {
        name: name.to_string(),
        nodes: 2,
        max_nodes: Some(max_nodes),
        ..ClusterSpec::default()
    }
}

fn request(clusters: Vec<ClusterSpec>, model: ModelChoice) -> PlanRequest {
    PlanRequest {
        network: Network {
            pools: vec![p("10.0.0.0/8")],
            ..Network::default()
        },
        clusters,
        model,
        ..PlanRequest::default()
    }
}

fn replan(req: &PlanRequest, previous: &Plan, release: &[String]) -> cidrplan::Result<Plan> {
    plan_with(
        req,
        &PlanOptions {
            previous: Some(PreviousPlan::from(previous)),
            release: release.to_vec(),
        },
    )
}

/// Every range of a plan that must be unique, with its owner: in flat every range; in the
/// shared models the IPv4 pod and service ranges are shared by design.
fn unique_ranges(plan: &Plan) -> Vec<(String, &'static str, Prefix)> {
    let shared = plan.model.reuses_pod_range();
    let locked = PreviousPlan::from(plan);
    let mut out = Vec::new();
    for c in locked.clusters.iter().chain(&locked.retained) {
        for (field, range) in c.ranges() {
            let is_shared = shared
                && range.family() == cidrplan::Family::V4
                && matches!(field, "pod_cidr" | "service_cidr");
            // An IPv6-only cluster lists its pod range twice (pod_cidr and pod_cidr_v6).
            let repeated = field == "pod_cidr_v6" && range == c.pod_cidr;
            if !(is_shared || repeated) {
                out.push((c.name.clone(), field, range));
            }
        }
    }
    out
}

fn assert_unique(plan: &Plan) {
    let ranges = unique_ranges(plan);
    for (i, a) in ranges.iter().enumerate() {
        for b in &ranges[i + 1..] {
            if !a.2.overlaps(&b.2) {
                continue;
            }
            // A cluster's growth reserve holds its own range.
            let own_reserve = a.0 == b.0 && (a.1 == "growth_reserve" || b.1 == "growth_reserve");
            assert!(own_reserve, "{a:?} overlaps {b:?}");
        }
    }
}

/// One edit of a fleet's request.
#[derive(Debug, Clone)]
enum Edit {
    Add(u32),
    SetMaxNodes(usize, u32),
    Remove(usize),
    Release(usize),
    Requirements(bool),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (1u32..700).prop_map(Edit::Add),
        3 => (0usize..16, 1u32..1100).prop_map(|(i, n)| Edit::SetMaxNodes(i, n)),
        1 => (0usize..16).prop_map(Edit::Remove),
        1 => (0usize..16).prop_map(Edit::Release),
        1 => any::<bool>().prop_map(Edit::Requirements),
    ]
}

/// Ranges of a cluster as the diff names them, for "the diff lists exactly the changes".
fn by_name(plan: &Plan) -> BTreeMap<String, cidrplan::k8s::LockedCluster> {
    PreviousPlan::from(plan)
        .clusters
        .into_iter()
        .map(|c| (c.name.clone(), c))
        .collect()
}

fn check_step(before: &Plan, after: &Plan, touched: &BTreeSet<String>) {
    assert_unique(after);
    let old = by_name(before);
    let new = by_name(after);
    // No kept range ever changes; a grown range contains the old one.
    for (name, was) in &old {
        let Some(now) = new.get(name) else { continue };
        assert_eq!(was.node_pod_mask, now.node_pod_mask, "{name}");
        assert_eq!(was.service_cidr, now.service_cidr, "{name}");
        assert_eq!(was.external_pod_cidr, now.external_pod_cidr, "{name}");
        assert!(
            now.pod_cidr.contains(&was.pod_cidr),
            "{name}: {was:?} -> {now:?}"
        );
        assert!(now.node_subnet.contains(&was.node_subnet), "{name}");
        for extra in &was.extra_pod_cidrs {
            assert!(now.extra_pod_cidrs.contains(extra), "{name}");
        }
        if was.pod_cidr != now.pod_cidr || was.node_subnet != now.node_subnet {
            let grown = after.clusters.iter().find(|c| &c.name == name).unwrap();
            assert!(
                grown.growth.iter().any(|g| g.how == "in_place"),
                "{name} changed without an in-place growth note"
            );
        }
    }
    assert_deployed_pools_unchanged(before, after);
    // Retained clusters keep their ranges exactly.
    for c in &after.retained {
        let was = old
            .get(&c.name)
            .or_else(|| before.retained.iter().find(|r| r.name == c.name));
        assert_eq!(Some(c), was, "retained {}", c.name);
    }
    // The diff lists exactly the clusters the edit touched, and nothing breaking.
    let report = diff(&PreviousPlan::from(before), &PreviousPlan::from(after)).unwrap();
    assert!(!report.breaking, "{report:?}");
    let changed: BTreeSet<String> = report.changes.iter().map(|c| c.cluster.clone()).collect();
    assert!(
        changed.is_subset(touched),
        "diff names {changed:?}, the edit touched {touched:?}"
    );
    for name in touched {
        // A touched cluster that needed nothing new (max_nodes lowered, a growth still
        // waiting for space) may be unchanged.
        let unchanged = old.contains_key(name) && old.get(name) == new.get(name);
        assert!(
            changed.contains(name) || unchanged,
            "{name} missing from {report:?}"
        );
    }
}

/// The pod pools each export names, as `name -> cidr` (Calico IPPools) and the ordered
/// `clusterPool...PodCIDRList` entries (Cilium), per cluster.
fn deployed_pools(plan: &Plan) -> (BTreeMap<String, String>, BTreeMap<String, Vec<String>>) {
    let value = |line: &str| {
        line.split_once(": ")
            .map(|(_, v)| v.trim_matches('"').to_owned())
    };
    let mut calico = BTreeMap::new();
    let mut name = None;
    for line in render(plan, ExportFormat::Calico).unwrap().lines() {
        if line.starts_with("  name: ") {
            name = value(line);
        } else if line.starts_with("  cidr: ") {
            calico.insert(name.take().unwrap(), value(line).unwrap());
        }
    }
    let mut cilium = BTreeMap::new();
    for (i, doc) in render(plan, ExportFormat::Cilium)
        .unwrap()
        .split("\n---\n")
        .enumerate()
    {
        let entries: Vec<String> = doc
            .lines()
            .skip_while(|l| !l.contains("PodCIDRList:"))
            .skip(1)
            .take_while(|l| l.starts_with("      - "))
            .map(|l| {
                l.trim_start_matches("      - ")
                    .trim_matches('"')
                    .to_owned()
            })
            .collect();
        cilium.insert(plan.clusters[i].name.clone(), entries);
    }
    (calico, cilium)
}

/// Calico refuses to change an IPPool's CIDR (the CRD's `self == oldSelf` rule on
/// `spec.cidr`) and Cilium's docs forbid changing an entry of the cluster pool's pod CIDR
/// list: a re-plan keeps every deployed pool as it is and only adds.
fn assert_deployed_pools_unchanged(before: &Plan, after: &Plan) {
    let (calico_before, cilium_before) = deployed_pools(before);
    let (calico_after, cilium_after) = deployed_pools(after);
    for (name, cidr) in &calico_before {
        if let Some(now) = calico_after.get(name) {
            assert_eq!(cidr, now, "Calico IPPool {name} changed its CIDR");
        }
    }
    for (cluster, entries) in &cilium_before {
        if let Some(now) = cilium_after.get(cluster) {
            assert!(
                now.starts_with(entries),
                "Cilium pod CIDR list of {cluster}: {entries:?} -> {now:?}"
            );
        }
    }
}

fn run_edits(model: ModelChoice, edits: Vec<Edit>) {
    let mut names = 0usize;
    let mut req = request(vec![cluster("c0", 100)], model);
    let mut current = plan(&req).expect("first plan");
    for e in edits {
        let mut next = req.clone();
        let mut release = Vec::new();
        let mut touched = BTreeSet::new();
        match e {
            Edit::Add(max) => {
                if next.clusters.len() >= 12 {
                    continue;
                }
                names += 1;
                let name = format!("c{names}");
                touched.insert(name.clone());
                next.clusters.push(cluster(&name, max.max(2)));
            }
            Edit::SetMaxNodes(i, max) => {
                let n = next.clusters.len();
                let c = &mut next.clusters[i % n];
                c.max_nodes = Some(max.max(c.nodes));
                touched.insert(c.name.clone());
            }
            Edit::Remove(i) => {
                if next.clusters.len() <= 1 {
                    continue;
                }
                let n = next.clusters.len();
                let gone = next.clusters.remove(i % n);
                touched.insert(gone.name);
            }
            Edit::Release(i) => {
                if current.retained.is_empty() {
                    continue;
                }
                let name = current.retained[i % current.retained.len()].name.clone();
                touched.insert(name.clone());
                release.push(name);
            }
            Edit::Requirements(scarce) => {
                next.requirements = Requirements {
                    ip_space: Some(if scarce {
                        cidrplan::k8s::IpSpace::Scarce
                    } else {
                        cidrplan::k8s::IpSpace::Plentiful
                    }),
                    ..Requirements::default()
                };
            }
        }
        // A growth the previous step could not make (`none`) is made as soon as space
        // frees up: those clusters may change too.
        let waiting: BTreeSet<String> = current
            .clusters
            .iter()
            .filter(|c| c.growth.iter().any(|g| g.how == "none"))
            .map(|c| c.name.clone())
            .collect();
        match replan(&next, &current, &release) {
            Ok(after) => {
                let touched = touched.union(&waiting).cloned().collect();
                check_step(&current, &after, &touched);
                // The same request and previous plan always give the same plan.
                let again = replan(&next, &current, &release).unwrap();
                assert_eq!(
                    serde_json::to_string(&after).unwrap(),
                    serde_json::to_string(&again).unwrap()
                );
                current = after;
                req = next;
            }
            Err(e) => assert_eq!(e.code(), "infeasible", "{e}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn flat_fleets_never_move(edits in prop::collection::vec(edit(), 1..14)) {
        run_edits(ModelChoice::Flat, edits);
    }

    #[test]
    fn auto_fleets_keep_their_model_and_ranges(edits in prop::collection::vec(edit(), 1..10)) {
        run_edits(ModelChoice::Auto, edits);
    }

    #[test]
    fn island_fleets_never_move(edits in prop::collection::vec(edit(), 1..10)) {
        run_edits(ModelChoice::Island, edits);
    }
}

#[test]
fn ten_clusters_added_one_by_one_equal_ten_at_once() {
    let all: Vec<ClusterSpec> = (0..10)
        .map(|i| cluster(&format!("c{i}"), 100 + 40 * i))
        .collect();
    let fleet = |n: usize| PlanRequest {
        layout: Layout::ByCluster,
        growth_reserve: Some(2),
        ..request(all[..n].to_vec(), ModelChoice::Flat)
    };
    let at_once = plan(&fleet(10)).unwrap();
    let mut current = plan(&fleet(1)).unwrap();
    for n in 2..=10 {
        current = replan(&fleet(n), &current, &[]).unwrap();
    }
    assert_eq!(
        PreviousPlan::from(&current).clusters,
        PreviousPlan::from(&at_once).clusters
    );
    assert_unique(&at_once);
}

#[test]
fn a_cluster_doubles_in_place_inside_its_reserve() {
    let mut a = cluster("a", 250);
    a.growth_reserve = Some(2);
    let first = plan(&request(
        vec![a.clone(), cluster("b", 250)],
        ModelChoice::Flat,
    ))
    .unwrap();
    assert_eq!(first.clusters[0].pod_cidr, p("10.2.0.0/16"));
    assert_eq!(first.clusters[0].growth_reserve[0], p("10.2.0.0/15"));
    // Headroom reports the growth the reserve allows in place.
    assert!(first.headroom.clusters[0].in_place_nodes >= 500);
    a.max_nodes = Some(500);
    let a_grown = a.clone();
    let second = replan(
        &request(vec![a, cluster("b", 250)], ModelChoice::Flat),
        &first,
        &[],
    )
    .unwrap();
    let grown = &second.clusters[0];
    assert_eq!(grown.pod_cidr, p("10.2.0.0/15"));
    assert_eq!(grown.growth[0].how, "in_place");
    // The deployed /16 stays a pool of its own; the block it grew by is added beside it,
    // and the next re-plan carries both forward.
    assert_eq!(grown.pod_cidr_parts, [p("10.2.0.0/16"), p("10.3.0.0/16")]);
    let calico = render(&second, ExportFormat::Calico).unwrap();
    assert!(
        calico.contains("name: \"a-ipv4\"\nspec:\n  cidr: \"10.2.0.0/16\""),
        "{calico}"
    );
    assert!(
        calico.contains("name: \"a-ipv4-grown-1\"\nspec:\n  cidr: \"10.3.0.0/16\""),
        "{calico}"
    );
    let cilium = render(&second, ExportFormat::Cilium).unwrap();
    assert!(
        cilium.contains("      - \"10.2.0.0/16\"\n      - \"10.3.0.0/16\"\n"),
        "{cilium}"
    );
    assert_deployed_pools_unchanged(&first, &second);
    let third = replan(
        &request(vec![a_grown.clone(), cluster("b", 250)], ModelChoice::Flat),
        &second,
        &[],
    )
    .unwrap();
    assert_eq!(third.clusters[0].pod_cidr_parts, grown.pod_cidr_parts);
    assert_eq!(second.clusters[1].pod_cidr, first.clusters[1].pod_cidr);
    let report = diff(&PreviousPlan::from(&first), &PreviousPlan::from(&second)).unwrap();
    assert!(report
        .changes
        .iter()
        .all(|c| c.cluster == "a" && c.change == "grown"));
    assert!(!report.breaking);
}

#[test]
fn a_cluster_that_cannot_grow_in_place_gets_a_second_range_with_the_reason() {
    let first = plan(&request(
        vec![cluster("a", 250), cluster("b", 250)],
        ModelChoice::Flat,
    ))
    .unwrap();
    let second = replan(
        &request(
            vec![cluster("a", 600), cluster("b", 250)],
            ModelChoice::Flat,
        ),
        &first,
        &[],
    )
    .unwrap();
    let a = &second.clusters[0];
    assert_eq!(a.pod_cidr, first.clusters[0].pod_cidr);
    assert_eq!(a.extra_pod_cidrs.len(), 1);
    let note = a.growth.iter().find(|g| g.how == "second_range").unwrap();
    assert!(
        note.reason.contains("cannot grow in place"),
        "{}",
        note.reason
    );
    assert!(note.carried_by.contains(&"cilium") && note.carried_by.contains(&"calico"));
    assert!(note.limits.iter().any(|l| l.contains("--cluster-cidr")));
    // The second range flows through the datapath into the exports.
    let extra = a.extra_pod_cidrs[0];
    assert_eq!(a.datapath[0].extra_pod_cidrs, vec![extra]);
    let text = extra.to_string();
    let cilium = render(&second, ExportFormat::Cilium).unwrap();
    assert!(cilium.contains(&format!("      - \"{text}\"")), "{cilium}");
    let calico = render(&second, ExportFormat::Calico).unwrap();
    assert!(calico.contains(&format!("cidr: \"{text}\"")), "{calico}");
    let kcm = render(&second, ExportFormat::KcmFlags).unwrap();
    assert!(kcm.contains("# limit: the second pod range"), "{kcm}");
    // Capacity counts the second range.
    assert!(second.headroom.clusters[0].node_capacity >= 253);
}

#[test]
fn a_removed_cluster_stays_reserved_until_released() {
    let first = plan(&request(
        vec![cluster("a", 250), cluster("b", 250)],
        ModelChoice::Flat,
    ))
    .unwrap();
    let only_b = request(
        vec![cluster("b", 250), cluster("c", 250)],
        ModelChoice::Flat,
    );
    let second = replan(&only_b, &first, &[]).unwrap();
    assert_eq!(second.retained[0].name, "a");
    assert!(second.warnings.iter().any(|w| w.code == "cluster_retained"));
    assert!(!second.clusters[1]
        .pod_cidr
        .overlaps(&first.clusters[0].pod_cidr));
    let third = replan(&only_b, &second, &["a".to_string()]).unwrap();
    assert!(third.retained.is_empty());
    assert_eq!(third.released, vec!["a".to_string()]);
}

#[test]
fn a_plan_is_its_own_fixed_point_and_diffs_empty_with_itself() {
    for model in [ModelChoice::Flat, ModelChoice::Island, ModelChoice::Mapped] {
        let req = request(vec![cluster("a", 250), cluster("b", 90)], model);
        let first = plan(&req).unwrap();
        let again = replan(&req, &first, &[]).unwrap();
        assert_eq!(
            serde_json::to_string(&first).unwrap(),
            serde_json::to_string(&again).unwrap(),
            "{model:?}"
        );
        let report = diff(&PreviousPlan::from(&first), &PreviousPlan::from(&first)).unwrap();
        assert!(report.changes.is_empty() && !report.breaking);
    }
}

#[test]
fn a_plan_file_carries_its_request_and_reads_back_as_a_previous_plan() {
    let req = request(vec![cluster("a", 250)], ModelChoice::Auto);
    let first = plan(&req).unwrap();
    let text = serde_json::to_string(&first).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let carried: PlanRequest = serde_json::from_value(value["request"].clone()).unwrap();
    assert_eq!(carried, req);
    let read: PreviousPlan = serde_json::from_str(&text).unwrap();
    assert_eq!(read, PreviousPlan::from(&first));
}

#[test]
fn a_model_other_than_the_previous_one_is_refused_by_name() {
    let first = plan(&request(vec![cluster("a", 250)], ModelChoice::Flat)).unwrap();
    let e = replan(
        &request(vec![cluster("a", 250)], ModelChoice::Island),
        &first,
        &[],
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_spec");
    assert!(e.to_string().contains("model"), "{e}");
    // Released, the cluster may be planned with another model.
    let island = replan(
        &request(vec![cluster("a", 250)], ModelChoice::Island),
        &first,
        &["a".to_string()],
    )
    .unwrap();
    assert_eq!(island.model.as_str(), "island");
}

#[test]
fn hostile_previous_plans_are_refused_with_their_path() {
    let req = request(vec![cluster("a", 250)], ModelChoice::Flat);
    let first = plan(&req).unwrap();
    let mut many = PreviousPlan::from(&first);
    let one = many.clusters[0].clone();
    many.clusters = (0..=cidrplan::k8s::MAX_PREVIOUS_CLUSTERS)
        .map(|i| cidrplan::k8s::LockedCluster {
            name: format!("x{i}"),
            ..one.clone()
        })
        .collect();
    let options = PlanOptions {
        previous: Some(many),
        release: vec![],
    };
    assert_eq!(
        plan_with(&req, &options).unwrap_err().code(),
        "limit_exceeded"
    );

    let mut wide = PreviousPlan::from(&first);
    wide.clusters[0].extra_pod_cidrs = vec![p("10.200.0.0/16"); 65];
    let options = PlanOptions {
        previous: Some(wide),
        release: vec![],
    };
    assert_eq!(
        plan_with(&req, &options).unwrap_err().code(),
        "limit_exceeded"
    );

    let mut bad = PreviousPlan::from(&first);
    bad.clusters[0].service_cidr = p("fd00::/112");
    let e = plan_with(
        &req,
        &PlanOptions {
            previous: Some(bad),
            release: vec![],
        },
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("previous.clusters[0].service_cidr"),
        "{e}"
    );

    // Deployed pieces of a pod range: inside it, disjoint, and covering it.
    let pod = first.clusters[0].pod_cidr;
    let halves = [
        Prefix::new(pod.family(), pod.first(), pod.len() + 1).unwrap(),
        Prefix::new(
            pod.family(),
            pod.first() + (1u128 << (pod.host_bits() - 1)),
            pod.len() + 1,
        )
        .unwrap(),
    ];
    for (parts, wanted) in [
        (
            vec![halves[0], p("10.250.0.0/16")],
            "pod_cidr_parts[1]: 10.250.0.0/16 is not inside",
        ),
        (vec![halves[0], halves[0]], "pod_cidr_parts[1]"),
        (vec![halves[0]], "pod_cidr_parts: the parts of"),
    ] {
        let mut bad = PreviousPlan::from(&first);
        bad.clusters[0].pod_cidr_parts = parts;
        let options = PlanOptions {
            previous: Some(bad),
            release: vec![],
        };
        let e = plan_with(&req, &options).unwrap_err();
        assert!(e.to_string().contains(wanted), "{e}");
    }
    let mut fine = PreviousPlan::from(&first);
    fine.clusters[0].pod_cidr_parts = halves.to_vec();
    let options = PlanOptions {
        previous: Some(fine),
        release: vec![],
    };
    assert_eq!(
        plan_with(&req, &options).unwrap().clusters[0].pod_cidr_parts,
        halves
    );

    // Kept ranges that collide with each other are linted, never a panic.
    let mut clash = PreviousPlan::from(
        &plan(&request(
            vec![cluster("a", 250), cluster("b", 250)],
            ModelChoice::Flat,
        ))
        .unwrap(),
    );
    clash.clusters[1].pod_cidr = clash.clusters[0].pod_cidr;
    let out = plan_with(
        &request(
            vec![cluster("a", 250), cluster("b", 250)],
            ModelChoice::Flat,
        ),
        &PlanOptions {
            previous: Some(clash),
            release: vec![],
        },
    )
    .unwrap();
    assert!(out.warnings.iter().any(|w| w.code == "cluster_overlap"));
}

#[test]
fn more_pods_per_node_keeps_the_node_mask_and_says_so() {
    let first = plan(&request(vec![cluster("a", 100)], ModelChoice::Flat)).unwrap();
    let mut busier = cluster("a", 100);
    busier.max_pods_per_node = Some(250);
    let second = replan(&request(vec![busier], ModelChoice::Flat), &first, &[]).unwrap();
    assert_eq!(
        second.clusters[0].node_pod_mask,
        first.clusters[0].node_pod_mask
    );
    assert_eq!(second.clusters[0].pod_cidr, first.clusters[0].pod_cidr);
    let w = second
        .warnings
        .iter()
        .find(|w| w.code == "node_pod_mask_kept")
        .expect("a warning");
    assert!(
        w.message.contains("/23") && w.message.contains("/24"),
        "{}",
        w.message
    );
}

#[test]
fn a_diff_refuses_a_plan_that_lists_a_name_twice() {
    let first = plan(&request(vec![cluster("a", 250)], ModelChoice::Flat)).unwrap();
    let mut twice = PreviousPlan::from(&first);
    twice.clusters.push(twice.clusters[0].clone());
    let e = diff(&PreviousPlan::from(&first), &twice).unwrap_err();
    assert_eq!(e.code(), "invalid_spec");
    assert!(e.to_string().contains("new.clusters[1].name"), "{e}");
}

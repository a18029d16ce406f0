//! The property test of the issue: over random plan requests, for every cluster, family
//! and destination class (own pods, other clusters' pods, the network, each allocation,
//! the internet), each CNI export's masquerade decision, evaluated by that CNI's rule,
//! equals what the reachability matrix claims. `direct` and `nat` rows must not be
//! masqueraded, `snat` rows must be; `nat` rows must also be mapped by the node-nat
//! export (and nothing else mapped); a `none` row of a cluster with NetworkPolicies must be
//! denied by them unless the destination lies in the cluster's own pod or service range
//! (shadowed: the traffic never leaves); a `network -> pod` row must be admitted by them
//! for the gateway pod (`gateway`) or every pod (`direct`). `gateway` rows between pods
//! decide nothing about the source's masquerade and are skipped.

use cidrplan::export::{render, ExportFormat};
use cidrplan::k8s::{
    self, AllocationSpec, ClusterFamily, ClusterPlan, ClusterSpec, Datapath, How, ModelChoice,
    Network, Plan, PlanRequest,
};
use cidrplan::{Family, Prefix};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};

use super::cni;
use super::exports::{split, CniArg, Part};
use super::node_nat::NodeNat;
use super::policy::{pod_labels, Party, Policies};

fn v4(a: u8, b: u8, c: u8, d: u8, len: u8) -> Prefix {
    Prefix::new(
        Family::V4,
        u128::from(u32::from_be_bytes([a, b, c, d])),
        len,
    )
    .expect("valid")
}

fn v6(text: &str) -> Prefix {
    Prefix::parse(text).expect("valid")
}

fn host(family: Family, value: u128) -> Prefix {
    Prefix::new(family, value, family.bits()).expect("a host prefix")
}

/// A pool: a whole private block, a random piece of 10/8 or 172.16/12, or public space.
fn pool() -> impl Strategy<Value = Prefix> {
    prop_oneof![
        Just(v4(10, 0, 0, 0, 8)),
        Just(v4(172, 16, 0, 0, 12)),
        Just(v4(192, 168, 0, 0, 16)),
        Just(v4(100, 64, 0, 0, 10)),
        Just(v4(23, 0, 0, 0, 12)),
        (0u8..=255, 12u8..=18).prop_map(|(b, len)| {
            let p = v4(10, b, 0, 0, 16);
            Prefix::new(Family::V4, p.first() & !((1u128 << (32 - len)) - 1), len).expect("valid")
        }),
        (16u8..=31, 14u8..=20).prop_map(|(b, len)| {
            let p = v4(172, b, 0, 0, 16);
            Prefix::new(Family::V4, p.first() & !((1u128 << (32 - len)) - 1), len).expect("valid")
        }),
    ]
}

fn model() -> impl Strategy<Value = ModelChoice> {
    prop_oneof![
        Just(ModelChoice::Flat),
        Just(ModelChoice::Island),
        Just(ModelChoice::Isolated),
        Just(ModelChoice::Mapped),
        Just(ModelChoice::Archipelago),
    ]
}

/// A random plan request (no pins): 1-3 pools (plus an IPv6 pool for dual and IPv6
/// clusters), up to 3 allocations inside or outside them, 1-4 clusters of random sizes,
/// groups and families (IPv4, dual-stack, IPv6).
pub(crate) fn request() -> impl Strategy<Value = PlanRequest> {
    let clusters = prop::collection::vec(
        (
            1u32..=60,
            prop::option::of(prop_oneof![Just(16u32), Just(64), Just(110), Just(250)]),
            prop::option::of(50u32..=3000),
            0usize..3,
            prop_oneof![
                7 => Just(ClusterFamily::Ipv4),
                2 => Just(ClusterFamily::Dual),
                1 => Just(ClusterFamily::Ipv6),
            ],
            prop::option::of(0u32..=300),
        ),
        1..=4,
    );
    let allocations = prop::collection::vec((any::<u32>(), 16u8..=32, any::<bool>()), 0..=3);
    (
        model(),
        prop::collection::vec(pool(), 1..=3),
        allocations,
        clusters,
    )
        .prop_map(|(model, mut pools, allocations, clusters)| {
            pools.sort();
            pools.dedup_by(|a, b| a.overlaps(b));
            if clusters.iter().any(|c| c.4 != ClusterFamily::Ipv4) {
                pools.push(v6("fd00::/8"));
            }
            let allocations = allocations
                .into_iter()
                .enumerate()
                .map(|(i, (seed, len, reachable))| {
                    // Mostly inside a pool, sometimes anywhere in 10/8.
                    let base = pools.get(seed as usize % pools.len()).copied();
                    let base = base
                        .filter(|p| p.family() == Family::V4 && seed % 4 != 0)
                        .unwrap_or(v4(10, 0, 0, 0, 8));
                    let len = len.max(base.len());
                    let span = 1u128 << (32 - u32::from(base.len()));
                    let offset = u128::from(seed) % span;
                    let first = (base.first() + offset) & !((1u128 << (32 - u32::from(len))) - 1);
                    AllocationSpec {
                        name: format!("a{i}"),
                        cidr: Prefix::new(Family::V4, first, len).expect("valid"),
                        reachable,
                        origin: None,
                        labels: Default::default(),
                    }
                })
                .collect();
            let clusters = clusters
                .into_iter()
                .enumerate()
                .map(
                    |(i, (nodes, max_pods, services, group, family, extra))| ClusterSpec {
                        name: format!("c{i}"),
                        nodes,
                        max_nodes: extra.map(|e| nodes + e),
                        max_pods_per_node: max_pods,
                        services,
                        group: Some(format!("g{group}")),
                        family,
                        ..ClusterSpec::default()
                    },
                )
                .collect();
            PlanRequest {
                network: Network {
                    pools,
                    allocations,
                    ..Network::default()
                },
                clusters,
                model,
                ..PlanRequest::default()
            }
        })
}

/// The ranges a plan places, per family.
fn planned(plan: &Plan, family: Family) -> Vec<Prefix> {
    let mut out = Vec::new();
    for c in &plan.clusters {
        out.extend(
            [
                Some(c.pod_cidr),
                Some(c.service_cidr),
                Some(c.node_subnet),
                c.external_pod_cidr,
                c.pod_cidr_v6,
                c.service_cidr_v6,
            ]
            .into_iter()
            .flatten()
            .filter(|p| p.family() == family),
        );
    }
    out
}

/// "The network": the first pool address no planned range or allocation holds.
fn network_address(plan: &Plan, family: Family) -> Option<Prefix> {
    let mut used = planned(plan, family);
    used.extend(plan.request.network.allocations.iter().map(|a| a.cidr));
    let used = cidrplan::AddrSet::from_prefixes(&used);
    let pools: Vec<Prefix> = plan
        .request
        .network
        .pools
        .iter()
        .filter(|p| p.family() == family)
        .copied()
        .collect();
    let free = cidrplan::AddrSet::from_prefixes(&pools).difference(&used);
    free.to_prefixes().first().map(|p| host(family, p.first()))
}

/// "The internet": outside the pools, the planned ranges and private space.
fn internet_address(plan: &Plan, family: Family) -> Option<Prefix> {
    let candidates: Vec<Prefix> = match family {
        Family::V4 => ["198.51.100.80", "203.0.113.80", "192.0.2.80", "1.1.1.1"]
            .iter()
            .map(|a| Prefix::parse(a).expect("valid"))
            .collect(),
        Family::V6 => ["3fff::80", "2001:db8:ffff::80", "100::80"]
            .iter()
            .map(|a| Prefix::parse(a).expect("valid"))
            .collect(),
    };
    let mut taken = planned(plan, family);
    taken.extend(
        plan.request
            .network
            .pools
            .iter()
            .filter(|p| p.family() == family),
    );
    candidates
        .into_iter()
        .find(|c| !taken.iter().any(|t| t.overlaps(c)))
}

/// The address a row's destination is probed at, as the matrix means it.
fn destination(plan: &Plan, dp: &Datapath, to: &str, how: How) -> Option<Prefix> {
    let family = dp.family;
    if to == "network" {
        return network_address(plan, family);
    }
    if to == "internet" {
        return internet_address(plan, family);
    }
    if let Some(name) = to.strip_prefix("allocation:") {
        let a = plan
            .request
            .network
            .allocations
            .iter()
            .find(|a| a.name == name)?;
        return Some(host(family, a.cidr.first()));
    }
    let name = to.strip_prefix("pod:")?;
    let theirs = plan
        .clusters
        .iter()
        .find(|c| c.name == name)?
        .datapath
        .iter()
        .find(|d| d.family == family)?;
    let range = match (how, theirs.external_pod_cidr) {
        (How::Nat, Some(external)) => external,
        _ => theirs.pod_cidr,
    };
    // A pod address: the second of the range (the first of a per-node range is the node's).
    Some(host(
        family,
        range.first() + u128::from(range.host_bits() > 0),
    ))
}

/// Counts of what one plan checked.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Checked {
    /// Masquerade decisions compared (rows times CNIs, own pods included).
    pub(crate) decisions: usize,
    /// node-nat decisions compared.
    pub(crate) mappings: usize,
    /// Policy decisions compared.
    pub(crate) policies: usize,
}

fn fail(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}

fn parts(plan: &Plan, format: ExportFormat) -> Result<Vec<Part>, TestCaseError> {
    let text = render(plan, format).map_err(|e| fail(format!("{format}: {e}")))?;
    split(&text).map_err(|e| fail(format!("{format}: {e}")))
}

fn part<'a>(parts: &'a [Part], c: &ClusterPlan, format: &str) -> Result<&'a Part, TestCaseError> {
    parts
        .iter()
        .find(|p| p.cluster == c.name)
        .ok_or_else(|| fail(format!("{format}: no part for cluster {}", c.name)))
}

/// Checks every export of `plan` against its matrix.
pub(crate) fn check(plan: &Plan) -> Result<Checked, TestCaseError> {
    let mut checked = Checked::default();
    let model = plan.model.as_str();
    let nat_parts = parts(plan, ExportFormat::NodeNat)?;
    let policy_parts = parts(plan, ExportFormat::Policy)?;
    for (cni, format) in [
        (CniArg::IpMasqAgent, ExportFormat::IpMasqAgent),
        (CniArg::Calico, ExportFormat::Calico),
        (CniArg::Cilium, ExportFormat::Cilium),
    ] {
        let cni_parts = parts(plan, format)?;
        for c in &plan.clusters {
            let cni_part = part(&cni_parts, c, format.as_str())?;
            let nat = NodeNat::parse(part(&nat_parts, c, "node-nat")?)
                .map_err(|e| fail(format!("node-nat {}: {e}", c.name)))?;
            let policy_part = part(&policy_parts, c, "policy")?;
            let policy = if policy_part.text.contains("kind: NetworkPolicy") {
                Some(
                    Policies::parse(policy_part)
                        .map_err(|e| fail(format!("policy {}: {e}", c.name)))?,
                )
            } else {
                None
            };
            for dp in &c.datapath {
                let family = dp.family;
                let rule = cni::rule(cni, cni_part, family).map_err(|e| {
                    fail(format!(
                        "{model} {format} {} {family}: the CNI refuses it: {e}",
                        c.name
                    ))
                })?;
                let src = host(
                    family,
                    dp.pod_cidr.first() + u128::from(dp.pod_cidr.host_bits() > 0),
                );
                let said = |what: &str, to: &str, dst: &Prefix, how: &str| {
                    fail(format!(
                        "{model}, {format} export, cluster {} {family}: pod {src} -> {to} ({dst}): \
                         the matrix says {how}, the export {what}\nexport part:\n{}",
                        c.name, cni_part.text
                    ))
                };
                // Own pods: always the pod's own address.
                let own = host(family, dp.pod_cidr.last());
                checked.decisions += 1;
                if rule.masquerades(&src, &own) {
                    return Err(said("masquerades it", "own pods", &own, "direct"));
                }
                let pod = format!("pod:{}", c.name);
                for row in plan
                    .reachability
                    .iter()
                    .filter(|r| r.family == family && r.from == pod)
                {
                    let Some(dst) = destination(plan, dp, &row.to, row.how) else {
                        continue;
                    };
                    let masq = rule.masquerades(&src, &dst);
                    let mapped = if family == Family::V4 {
                        nat.snat(&src, &dst)
                    } else {
                        None
                    };
                    match row.how {
                        How::Direct | How::Nat => {
                            checked.decisions += 1;
                            if masq {
                                return Err(said(
                                    "masquerades it",
                                    &row.to,
                                    &dst,
                                    row.how.as_str(),
                                ));
                            }
                        }
                        How::Snat => {
                            checked.decisions += 1;
                            if !masq {
                                return Err(said("does not masquerade it", &row.to, &dst, "snat"));
                            }
                        }
                        How::None | How::Gateway => {}
                    }
                    if family == Family::V4 && cni == CniArg::IpMasqAgent {
                        match row.how {
                            How::Nat => {
                                checked.mappings += 1;
                                let want = dp.external_pod_cidr.map(|e| {
                                    host(family, e.first() + (src.first() - dp.pod_cidr.first()))
                                });
                                if mapped.is_none() || mapped != want {
                                    return Err(fail(format!(
                                        "{model}, node-nat export, cluster {}: pod {src} -> {} ({dst}): \
                                         the matrix says nat (as {want:?}), the export maps it to {mapped:?}\n{}",
                                        c.name, row.to, nat.ruleset
                                    )));
                                }
                            }
                            How::Direct | How::Snat => {
                                checked.mappings += 1;
                                if let Some(m) = mapped {
                                    return Err(fail(format!(
                                        "{model}, node-nat export, cluster {}: pod {src} -> {} ({dst}): \
                                         the matrix says {}, the export maps it to {m}",
                                        c.name,
                                        row.to,
                                        row.how.as_str()
                                    )));
                                }
                            }
                            _ => {}
                        }
                    }
                    if let (Some(policy), How::None) = (&policy, row.how) {
                        let shadowed = [
                            Some(c.pod_cidr),
                            Some(c.service_cidr),
                            c.pod_cidr_v6,
                            c.service_cidr_v6,
                        ]
                        .into_iter()
                        .flatten()
                        .any(|r| r.contains(&dst));
                        let party = Party {
                            addr: &dst,
                            pod: None,
                        };
                        checked.policies += 1;
                        if !shadowed && policy.egress_allowed(&pod_labels(false), party, 8077) {
                            return Err(fail(format!(
                                "{model}, policy export, cluster {} {family}: pod -> {} ({dst}): \
                                 the matrix says none, the policies allow it\n{}",
                                c.name, row.to, policy_part.text
                            )));
                        }
                    }
                }
                // The network toward the pods, through the policies.
                if let (Some(policy), Some(from)) = (&policy, network_address(plan, family)) {
                    for row in plan
                        .reachability
                        .iter()
                        .filter(|r| r.family == family && r.from == "network" && r.to == pod)
                    {
                        let party = Party {
                            addr: &from,
                            pod: None,
                        };
                        let (gateway, plain) = (
                            policy.ingress_allowed(&pod_labels(true), party, 8077),
                            policy.ingress_allowed(&pod_labels(false), party, 8077),
                        );
                        checked.policies += 1;
                        let ok = match row.how {
                            How::Gateway => gateway,
                            How::Direct | How::Nat => plain,
                            How::None => !gateway && !plain,
                            How::Snat => true,
                        };
                        if !ok {
                            return Err(fail(format!(
                                "{model}, policy export, cluster {} {family}: network ({from}) -> pods: \
                                 the matrix says {}, the policies admit it: gateway pod {gateway}, other pods {plain}",
                                c.name,
                                row.how.as_str()
                            )));
                        }
                    }
                }
            }
        }
    }
    Ok(checked)
}

/// How many random requests the property test plans (`CIDRPLAN_AGREEMENT_CASES`
/// overrides, for a longer run).
fn cases() -> u32 {
    std::env::var("CIDRPLAN_AGREEMENT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512)
}

#[test]
fn every_cni_export_masquerades_as_the_matrix_claims() {
    let mut runner = TestRunner::new(RunnerConfig {
        cases: cases(),
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let planned = std::cell::Cell::new(0usize);
    let with_v6 = std::cell::Cell::new(0usize);
    let totals = std::cell::Cell::new(Checked::default());
    let models = std::cell::RefCell::new(std::collections::BTreeMap::<&str, usize>::new());
    let result = runner.run(&request(), |req| {
        let Ok(plan) = k8s::plan(&req) else {
            return Ok(()); // infeasible or invalid: nothing is claimed
        };
        if plan
            .warnings
            .iter()
            .any(|w| cidrplan::export::COLLISION_CODES.contains(&w.code))
        {
            return Ok(()); // a colliding plan renders no export
        }
        let checked = check(&plan)?;
        planned.set(planned.get() + 1);
        if plan
            .clusters
            .iter()
            .any(|c| c.datapath.iter().any(|d| d.family == Family::V6))
        {
            with_v6.set(with_v6.get() + 1);
        }
        *models.borrow_mut().entry(plan.model.as_str()).or_default() += 1;
        let mut t = totals.get();
        t.decisions += checked.decisions;
        t.mappings += checked.mappings;
        t.policies += checked.policies;
        totals.set(t);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let t = totals.get();
    eprintln!(
        "agreement: {} cases, {} planned ({} with IPv6), by model {:?}; {} masquerade, {} node-nat and {} policy decisions compared",
        cases(),
        planned.get(),
        with_v6.get(),
        models.borrow(),
        t.decisions,
        t.mappings,
        t.policies
    );
    assert!(
        planned.get() * 2 >= cases() as usize,
        "too few random requests could be planned: {} of {}",
        planned.get(),
        cases()
    );
    assert_eq!(
        models.borrow().len(),
        5,
        "every model planned: {:?}",
        models.borrow()
    );
}

#[test]
fn the_example_agrees_under_every_model() {
    for model in [
        ModelChoice::Flat,
        ModelChoice::Island,
        ModelChoice::Isolated,
        ModelChoice::Mapped,
        ModelChoice::Archipelago,
    ] {
        let plan = k8s::plan(&PlanRequest {
            model,
            ..k8s::example()
        })
        .expect("the example plans");
        let checked = check(&plan).unwrap_or_else(|e| panic!("{model:?}: {e}"));
        assert!(checked.decisions > 0);
    }
}

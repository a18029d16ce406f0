//! What the exports say a pod's packet gets, before any packet is sent: the same rules the
//! nodes load, evaluated by the pure evaluators. A claim the exports contradict is named
//! with the rule that contradicts it, so a failed probe comes with its reason (and a
//! replica that disagreed with its own rules would show as a claim that passed while the
//! exports say otherwise).

use std::net::Ipv4Addr;

use cidrplan::Prefix;

use super::claims::Claim;
use super::config::{Config, NodeConfig};
use super::input::How;
use super::policy::{pod_labels, Party};
use super::topology::{Replica, ECHO_PORT};

/// What a node does with a pod's new connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Treatment {
    /// A NetworkPolicy drops it.
    Dropped,
    /// The node-nat ruleset maps the source to this address.
    Mapped(Prefix),
    /// The CNI masquerades it as the node.
    Masqueraded,
    /// It leaves with the pod's own address.
    Kept,
}

fn host(ip: Ipv4Addr) -> Prefix {
    Prefix::parse(&ip.to_string()).expect("an IPv4 address is a prefix")
}

/// What `config` does with a connection from pod `src` (a gateway pod or not) to
/// `dst:port` leaving the node (the destination is not a pod of the cluster).
pub(crate) fn treat(
    config: &NodeConfig,
    src: &Prefix,
    gateway: bool,
    dst: &Prefix,
    port: u16,
) -> Treatment {
    if let Some(policy) = &config.policy {
        let party = Party {
            addr: dst,
            pod: None,
        };
        if !policy.egress_allowed(&pod_labels(gateway), party, port) {
            return Treatment::Dropped;
        }
    }
    // The CNI's chain runs first (see the topology's node rules).
    if config.masq.masquerades(src, dst) {
        return Treatment::Masqueraded;
    }
    if let Some(mapped) = config.nat.as_ref().and_then(|n| n.snat(src, dst)) {
        return Treatment::Mapped(mapped);
    }
    Treatment::Kept
}

/// For each claim, what the exports say when they contradict it (`None`: they agree, or
/// the claim is not one a pod's own node decides).
pub(crate) fn contradictions(
    replica: &Replica,
    config: &Config,
    claims: &[Claim],
) -> Vec<Option<String>> {
    claims
        .iter()
        .map(|claim| contradiction(replica, config, claim))
        .collect()
}

fn contradiction(replica: &Replica, config: &Config, claim: &Claim) -> Option<String> {
    if !claim.from.starts_with("pod:") {
        return inbound(replica, config, claim);
    }
    let name = claim.from.strip_prefix("pod:")?;
    let index = replica.clusters.iter().position(|c| c.name == name)?;
    let cluster = replica.clusters.get(index)?;
    let node_config = config.clusters.get(index)?;
    let want = match claim.how {
        How::Direct => "keep the pod's address",
        How::Snat => "masquerade as the node",
        How::Nat => "map the pod's address",
        How::None | How::Gateway => return None,
    };
    for probe in claim.probes.iter().filter(|p| p.via != "gateway") {
        let dst = probe.dst?;
        let sender = cluster
            .nodes
            .iter()
            .flat_map(|n| &n.pods)
            .find(|p| p.ns == probe.src_ns)?;
        let gateway = cluster
            .gateway
            .as_ref()
            .is_some_and(|g| g.backend == sender.label);
        let (src, to) = (host(sender.ip), host(*dst.ip()));
        let got = treat(node_config, &src, gateway, &to, dst.port());
        let agrees = matches!(
            (claim.how, &got),
            (How::Direct, Treatment::Kept)
                | (How::Snat, Treatment::Masqueraded)
                | (How::Nat, Treatment::Mapped(_))
        );
        if !agrees {
            let what = match got {
                Treatment::Dropped => "the policy export drops it".to_string(),
                Treatment::Mapped(a) => format!("the node-nat export maps it to {a}"),
                Treatment::Masqueraded => {
                    format!("the {} export masquerades it", config.cni.kind())
                }
                Treatment::Kept => format!(
                    "the exports keep the pod's address (the {} export does not masquerade it{})",
                    config.cni.kind(),
                    if node_config.nat.is_some() {
                        ", node-nat does not map it"
                    } else {
                        ""
                    }
                ),
            };
            return Some(format!(
                "the claim says {want} from {} to {}; {what}",
                sender.ip,
                dst.ip()
            ));
        }
    }
    None
}

/// A claim from a host to a cluster's pods: the target's node-nat must map the external
/// address to the pod (`nat`), and its policies must admit the host (`direct`, and the
/// gateway pod for `gateway`).
fn inbound(replica: &Replica, config: &Config, claim: &Claim) -> Option<String> {
    let name = claim.to.strip_prefix("pod:")?;
    let index = replica.clusters.iter().position(|c| c.name == name)?;
    let cluster = replica.clusters.get(index)?;
    let node_config = config.clusters.get(index)?;
    let pods = || cluster.nodes.iter().flat_map(|n| &n.pods);
    for probe in &claim.probes {
        let (Some(dst), Some(sender)) = (
            probe.dst,
            replica.servers().into_iter().find(|h| h.ns == probe.src_ns),
        ) else {
            continue;
        };
        let src = host(sender.ip);
        let admits = |gateway: bool| {
            node_config.policy.as_ref().is_none_or(|p| {
                let party = Party {
                    addr: &src,
                    pod: None,
                };
                p.ingress_allowed(&pod_labels(gateway), party, ECHO_PORT)
            })
        };
        match (claim.how, probe.via) {
            (How::Nat, "mapped") => {
                let target = pods().find(|p| p.external_ip == Some(*dst.ip()))?;
                let to = node_config
                    .nat
                    .as_ref()
                    .and_then(|n| n.dnat(&src, &host(*dst.ip())));
                if to != Some(host(target.ip)) {
                    return Some(format!(
                        "the claim says {} reaches {} at {}; the node-nat export {}",
                        sender.ip,
                        target.ip,
                        dst.ip(),
                        match to {
                            Some(other) => format!("maps it to {other}"),
                            None => "does not map it".to_string(),
                        }
                    ));
                }
            }
            (How::Direct, "direct") => {
                let target = pods().find(|p| p.ip == *dst.ip())?;
                if !admits(false) {
                    return Some(format!(
                        "the claim says {} reaches {}; the policy export does not admit it",
                        sender.ip, target.ip
                    ));
                }
            }
            (How::Gateway, "gateway") => {
                let backend = cluster.gateway.as_ref()?;
                let pod = pods().find(|p| p.label == backend.backend)?;
                if !admits(true) {
                    return Some(format!(
                        "the claim says {} reaches the gateway pod {}; the policy export does not admit it",
                        sender.ip, pod.ip
                    ));
                }
            }
            _ => {}
        }
    }
    None
}

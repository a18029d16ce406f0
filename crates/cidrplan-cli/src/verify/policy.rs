//! Kubernetes NetworkPolicies (the isolated model's `policy` export), read by the API's
//! documented semantics and turned into the nftables filter rules of the replica's nodes.
//!
//! A pod is isolated for a direction when some policy selecting it lists that direction in
//! `policyTypes` (absent: `Ingress`, plus `Egress` when the policy has egress rules);
//! an isolated pod's new connections in that direction are allowed when a rule of some
//! policy selecting it matches: a rule without `to`/`from` matches every peer; an `ipBlock`
//! peer matches its CIDR less its `except`s; a selector peer matches the cluster's pods
//! whose labels (and namespace's labels) it selects. `ports` restrict a rule to TCP ports.
//! Replies of allowed connections always pass.
//!
//! The replica has one namespace, `default`, labelled
//! `kubernetes.io/metadata.name: default`, and every policy applies to it whatever its
//! `metadata.namespace` (the export's policies are applied in every namespace). The
//! replica's gateway backend pod carries `cidrplan.io/gateway: "true"`; other pods carry
//! no label.

use std::collections::BTreeMap;

use cidrplan::{Family, Prefix};
use serde_yaml_ng::Value;

use super::cni::{set, Invalid};
use super::exports::{documents, Part};

/// A pod's (or namespace's) labels.
pub(crate) type Labels = BTreeMap<String, String>;

/// The label of the replica's gateway pods.
pub(crate) const GATEWAY_LABEL: (&str, &str) = ("cidrplan.io/gateway", "true");

/// The labels of the replica's only namespace.
pub(crate) fn namespace_labels() -> Labels {
    Labels::from([(
        "kubernetes.io/metadata.name".to_string(),
        "default".to_string(),
    )])
}

/// The labels of a replica pod.
pub(crate) fn pod_labels(gateway: bool) -> Labels {
    if gateway {
        Labels::from([(GATEWAY_LABEL.0.to_string(), GATEWAY_LABEL.1.to_string())])
    } else {
        Labels::new()
    }
}

/// A label selector: `matchLabels` and `matchExpressions`, all of which must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Selector {
    labels: Vec<(String, String)>,
    expressions: Vec<(String, String, Vec<String>)>,
}

impl Selector {
    fn parse(value: Option<&Value>, what: &str) -> Result<Selector, Invalid> {
        let mut out = Selector::default();
        let Some(value) = value.filter(|v| !v.is_null()) else {
            return Ok(out);
        };
        if let Some(map) = value.get("matchLabels").and_then(Value::as_mapping) {
            for (k, v) in map {
                match (k.as_str(), v.as_str()) {
                    (Some(k), Some(v)) => out.labels.push((k.to_string(), v.to_string())),
                    _ => {
                        return Err(Invalid(format!(
                            "{what}.matchLabels: {k:?}: {v:?} is not a string pair"
                        )))
                    }
                }
            }
        }
        if let Some(list) = value.get("matchExpressions").and_then(Value::as_sequence) {
            for e in list {
                let key = e.get("key").and_then(Value::as_str);
                let op = e.get("operator").and_then(Value::as_str);
                let values: Vec<String> = e
                    .get("values")
                    .and_then(Value::as_sequence)
                    .map(|v| {
                        v.iter()
                            .filter_map(|s| s.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                match (key, op) {
                    (Some(k), Some(op @ ("In" | "NotIn" | "Exists" | "DoesNotExist"))) => {
                        out.expressions
                            .push((k.to_string(), op.to_string(), values));
                    }
                    _ => {
                        return Err(Invalid(format!(
                            "{what}.matchExpressions: {e:?} is not a selector requirement"
                        )))
                    }
                }
            }
        }
        Ok(out)
    }

    /// Whether it selects everything.
    fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.expressions.is_empty()
    }

    /// Whether it selects an object with `labels`.
    pub(crate) fn matches(&self, labels: &Labels) -> bool {
        self.labels
            .iter()
            .all(|(k, v)| labels.get(k).is_some_and(|x| x == v))
            && self.expressions.iter().all(|(k, op, values)| {
                let value = labels.get(k);
                match op.as_str() {
                    "In" => value.is_some_and(|v| values.contains(v)),
                    "NotIn" => value.is_none_or(|v| !values.contains(v)),
                    "Exists" => value.is_some(),
                    _ => value.is_none(),
                }
            })
    }
}

/// A peer of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Peer {
    /// `ipBlock`: the CIDR less the exceptions.
    Block { cidr: Prefix, except: Vec<Prefix> },
    /// `namespaceSelector` and/or `podSelector`: pods of the cluster.
    Pods {
        namespaces: Selector,
        pods: Selector,
    },
}

/// A TCP port or range a rule is restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ports {
    first: u16,
    last: u16,
}

/// One ingress or egress rule.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    /// `None`: every peer.
    peers: Option<Vec<Peer>>,
    /// `None`: every port.
    ports: Option<Vec<Ports>>,
}

/// One NetworkPolicy.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Policy {
    name: String,
    selector: Selector,
    /// `Some` when it isolates ingress: the rules.
    ingress: Option<Vec<Rule>>,
    /// `Some` when it isolates egress: the rules.
    egress: Option<Vec<Rule>>,
}

/// One side of a connection as the rules see it: its address and, for a pod of the
/// cluster, its labels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Party<'a> {
    /// Its address (a host prefix).
    pub(crate) addr: &'a Prefix,
    /// Its labels when it is a pod of the cluster.
    pub(crate) pod: Option<&'a Labels>,
}

/// A cluster's NetworkPolicies.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Policies {
    items: Vec<Policy>,
}

/// A pod of the cluster in the replica, for the rules a node loads.
#[derive(Debug, Clone)]
pub(crate) struct ReplicaPod {
    /// Its veth on the node (`p0`), when it lives on the node being configured.
    pub(crate) iface: Option<String>,
    /// Its address.
    pub(crate) ip: Prefix,
    /// Its labels.
    pub(crate) labels: Labels,
}

impl Policies {
    /// Reads the NetworkPolicy documents of an export part.
    pub(crate) fn parse(part: &Part) -> Result<Policies, Invalid> {
        let mut items = Vec::new();
        for doc in documents(part).map_err(Invalid)? {
            if doc.get("kind").and_then(Value::as_str) != Some("NetworkPolicy") {
                continue;
            }
            items.push(policy(&doc)?);
        }
        if items.is_empty() {
            return Err(Invalid("no NetworkPolicy".into()));
        }
        Ok(Policies { items })
    }

    fn selecting<'a>(&'a self, pod: &'a Labels) -> impl Iterator<Item = &'a Policy> + 'a {
        self.items.iter().filter(move |p| p.selector.matches(pod))
    }

    /// Whether pod `pod` may open a TCP connection to `dst`, port `port`.
    pub(crate) fn egress_allowed(&self, pod: &Labels, dst: Party<'_>, port: u16) -> bool {
        allowed(self.selecting(pod).map(|p| p.egress.as_ref()), dst, port)
    }

    /// Whether `src` may open a TCP connection to pod `pod`, port `port`.
    pub(crate) fn ingress_allowed(&self, pod: &Labels, src: Party<'_>, port: u16) -> bool {
        allowed(self.selecting(pod).map(|p| p.ingress.as_ref()), src, port)
    }

    /// The nftables chains (of a `filter` table) a node loads: a `forward` base chain that
    /// passes replies and sends new connections of each of `pods` with an `iface` (the
    /// node's own) through its egress and ingress chains, which `return` what a rule
    /// allows and drop the rest. `pod_range` stands for every pod of the cluster.
    pub(crate) fn nft_chains(&self, pods: &[ReplicaPod], pod_range: Prefix) -> String {
        let mut base = vec!["ct state established,related accept".to_string()];
        let mut chains = String::new();
        for (i, pod) in pods.iter().enumerate() {
            let Some(iface) = &pod.iface else { continue };
            for (direction, dir_word, addr_word) in [
                ("egress", "iifname", "daddr"),
                ("ingress", "oifname", "saddr"),
            ] {
                let rules: Vec<Option<&Vec<Rule>>> = self
                    .selecting(&pod.labels)
                    .map(|p| match direction {
                        "egress" => p.egress.as_ref(),
                        _ => p.ingress.as_ref(),
                    })
                    .collect();
                if rules.iter().all(Option::is_none) {
                    continue;
                }
                let name = format!("{direction}_{i}");
                base.push(format!("{dir_word} \"{iface}\" jump {name}"));
                chains.push_str(&format!("  chain {name} {{\n"));
                for rule in rules.into_iter().flatten().flatten() {
                    for line in rule_lines(rule, addr_word, pods, pod_range) {
                        let sep = if line.is_empty() { "" } else { " " };
                        chains.push_str(&format!("    {line}{sep}return\n"));
                    }
                }
                chains.push_str("    drop\n  }\n");
            }
        }
        let mut text = String::from(
            "  chain forward {\n    type filter hook forward priority filter; policy accept;\n",
        );
        for line in base {
            text.push_str(&format!("    {line}\n"));
        }
        text.push_str("  }\n");
        text.push_str(&chains);
        text
    }
}

/// Whether some rule of the policies selecting a pod allows the peer (a pod no policy
/// isolates in that direction is allowed everything).
fn allowed<'a>(
    rule_lists: impl Iterator<Item = Option<&'a Vec<Rule>>>,
    peer: Party<'_>,
    port: u16,
) -> bool {
    let mut isolated = false;
    for rules in rule_lists.flatten() {
        isolated = true;
        if rules.iter().any(|r| rule_matches(r, peer, port)) {
            return true;
        }
    }
    !isolated
}

fn rule_matches(rule: &Rule, peer: Party<'_>, port: u16) -> bool {
    let port_ok = rule
        .ports
        .as_ref()
        .is_none_or(|ps| ps.iter().any(|p| p.first <= port && port <= p.last));
    let peer_ok = rule.peers.as_ref().is_none_or(|peers| {
        peers.iter().any(|p| match p {
            Peer::Block { cidr, except } => {
                cidr.contains(peer.addr) && !except.iter().any(|e| e.contains(peer.addr))
            }
            Peer::Pods { namespaces, pods } => peer.pod.is_some_and(|labels| {
                namespaces.matches(&namespace_labels()) && pods.matches(labels)
            }),
        })
    });
    port_ok && peer_ok
}

/// The nftables matches of one rule (each line allows what it matches), IPv4 only.
fn rule_lines(rule: &Rule, addr_word: &str, pods: &[ReplicaPod], pod_range: Prefix) -> Vec<String> {
    let ports = match &rule.ports {
        None => String::new(),
        Some(ps) if ps.is_empty() => String::new(),
        Some(ps) => {
            let items: Vec<String> = ps
                .iter()
                .map(|p| {
                    if p.first == p.last {
                        p.first.to_string()
                    } else {
                        format!("{}-{}", p.first, p.last)
                    }
                })
                .collect();
            format!(" meta l4proto tcp th dport {{ {} }}", items.join(", "))
        }
    };
    let Some(peers) = &rule.peers else {
        // Every peer: only the ports (if any) restrict it.
        return vec![ports.trim_start().to_string()];
    };
    let mut out = Vec::new();
    for peer in peers {
        match peer {
            Peer::Block { cidr, except } => {
                if cidr.family() != Family::V4 {
                    continue;
                }
                let mut line = format!("ip {addr_word} {cidr}");
                let except: Vec<Prefix> = except
                    .iter()
                    .filter(|e| e.family() == Family::V4)
                    .copied()
                    .collect();
                if !except.is_empty() {
                    line.push_str(&format!(" ip {addr_word} != {}", set(&except)));
                }
                out.push(line + &ports);
            }
            Peer::Pods {
                namespaces,
                pods: selector,
            } => {
                if !namespaces.matches(&namespace_labels()) {
                    continue;
                }
                if selector.is_empty() {
                    out.push(format!("ip {addr_word} {pod_range}{ports}"));
                    continue;
                }
                let chosen: Vec<Prefix> = pods
                    .iter()
                    .filter(|p| selector.matches(&p.labels))
                    .map(|p| p.ip)
                    .collect();
                if !chosen.is_empty() {
                    out.push(format!("ip {addr_word} {}{ports}", set(&chosen)));
                }
            }
        }
    }
    out
}

fn policy(doc: &Value) -> Result<Policy, Invalid> {
    let name = doc
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("(unnamed)")
        .to_string();
    let what = format!("NetworkPolicy {name}");
    let spec = doc
        .get("spec")
        .ok_or_else(|| Invalid(format!("{what}: no spec")))?;
    let selector = Selector::parse(spec.get("podSelector"), &format!("{what} podSelector"))?;
    let types: Vec<String> = match spec.get("policyTypes") {
        Some(Value::Sequence(list)) => list
            .iter()
            .map(|t| {
                t.as_str()
                    .filter(|t| *t == "Ingress" || *t == "Egress")
                    .map(String::from)
                    .ok_or_else(|| Invalid(format!("{what} policyTypes: {t:?}")))
            })
            .collect::<Result<_, _>>()?,
        None | Some(Value::Null) => {
            let mut t = vec!["Ingress".to_string()];
            if spec.get("egress").is_some() {
                t.push("Egress".into());
            }
            t
        }
        Some(other) => return Err(Invalid(format!("{what} policyTypes: {other:?}"))),
    };
    let rules = |key: &str, peers_key: &str| -> Result<Option<Vec<Rule>>, Invalid> {
        let wanted = if key == "ingress" {
            "Ingress"
        } else {
            "Egress"
        };
        if !types.iter().any(|t| t == wanted) {
            return Ok(None);
        }
        let list = match spec.get(key) {
            None | Some(Value::Null) => return Ok(Some(Vec::new())),
            Some(Value::Sequence(list)) => list,
            Some(other) => return Err(Invalid(format!("{what} {key}: {other:?} is not a list"))),
        };
        list.iter()
            .enumerate()
            .map(|(i, r)| rule(r, peers_key, &format!("{what} {key}[{i}]")))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    };
    Ok(Policy {
        ingress: rules("ingress", "from")?,
        egress: rules("egress", "to")?,
        name,
        selector,
    })
}

fn rule(value: &Value, peers_key: &str, what: &str) -> Result<Rule, Invalid> {
    let peers = match value.get(peers_key) {
        None | Some(Value::Null) => None,
        Some(Value::Sequence(list)) if list.is_empty() => None,
        Some(Value::Sequence(list)) => Some(
            list.iter()
                .enumerate()
                .map(|(i, p)| peer(p, &format!("{what}.{peers_key}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(other) => {
            return Err(Invalid(format!(
                "{what}.{peers_key}: {other:?} is not a list"
            )))
        }
    };
    let ports = match value.get("ports") {
        None | Some(Value::Null) => None,
        Some(Value::Sequence(list)) if list.is_empty() => None,
        Some(Value::Sequence(list)) => {
            let mut out = Vec::new();
            for (i, p) in list.iter().enumerate() {
                let protocol = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
                let Some(first) = p.get("port").and_then(Value::as_u64) else {
                    return Err(Invalid(format!(
                        "{what}.ports[{i}]: only numbered ports are replicated"
                    )));
                };
                let last = p.get("endPort").and_then(Value::as_u64).unwrap_or(first);
                if protocol != "TCP" {
                    continue;
                }
                let first = u16::try_from(first)
                    .map_err(|_| Invalid(format!("{what}.ports[{i}]: port {first}")))?;
                let last = u16::try_from(last)
                    .map_err(|_| Invalid(format!("{what}.ports[{i}]: endPort {last}")))?;
                out.push(Ports { first, last });
            }
            Some(out)
        }
        Some(other) => return Err(Invalid(format!("{what}.ports: {other:?} is not a list"))),
    };
    Ok(Rule { peers, ports })
}

fn peer(value: &Value, what: &str) -> Result<Peer, Invalid> {
    if let Some(block) = value.get("ipBlock") {
        let cidr_of = |v: &Value, w: &str| -> Result<Prefix, Invalid> {
            let text = v
                .as_str()
                .ok_or_else(|| Invalid(format!("{w}: {v:?} is not a CIDR string")))?;
            Prefix::parse(text.trim()).map_err(|e| Invalid(format!("{w}: {e}")))
        };
        let cidr = cidr_of(
            block.get("cidr").unwrap_or(&Value::Null),
            &format!("{what}.ipBlock.cidr"),
        )?;
        let except = match block.get("except") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(list)) => list
                .iter()
                .map(|e| cidr_of(e, &format!("{what}.ipBlock.except")))
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(Invalid(format!(
                    "{what}.ipBlock.except: {other:?} is not a list"
                )))
            }
        };
        return Ok(Peer::Block { cidr, except });
    }
    let namespaces = value.get("namespaceSelector");
    let pods = value.get("podSelector");
    if namespaces.is_none() && pods.is_none() {
        return Err(Invalid(format!(
            "{what}: a peer needs ipBlock, namespaceSelector or podSelector"
        )));
    }
    Ok(Peer::Pods {
        namespaces: Selector::parse(namespaces, &format!("{what}.namespaceSelector"))?,
        pods: Selector::parse(pods, &format!("{what}.podSelector"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const ISOLATE: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: cidrplan-isolate\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.0.0.0/16\n        - ipBlock:\n            cidr: 10.96.0.0/20\n        - ipBlock:\n            cidr: 10.240.0.0/24\n        - namespaceSelector: {}\n  ingress:\n    - from:\n        - ipBlock:\n            cidr: 10.0.0.0/16\n        - ipBlock:\n            cidr: 10.240.0.0/24\n        - namespaceSelector: {}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: cidrplan-gateway\nspec:\n  podSelector:\n    matchLabels:\n      cidrplan.io/gateway: \"true\"\n  policyTypes: [Ingress]\n  ingress:\n    - {}\n";

    fn p(text: &str) -> Prefix {
        Prefix::parse(text).unwrap()
    }

    fn host(addr: &Prefix) -> Party<'_> {
        Party { addr, pod: None }
    }

    fn policies(text: &str) -> Policies {
        Policies::parse(&Part {
            cluster: "c".into(),
            text: text.into(),
        })
        .unwrap()
    }

    #[test]
    fn isolation_allows_only_the_listed_blocks_and_gateways_take_anyone() {
        let pol = policies(ISOLATE);
        let plain = pod_labels(false);
        let gateway = pod_labels(true);
        let (network, node, other_pod) = (p("10.1.16.1"), p("10.240.0.9"), p("10.0.2.2"));
        assert!(!pol.egress_allowed(&plain, host(&network), 8077));
        assert!(pol.egress_allowed(&plain, host(&node), 8077));
        assert!(pol.egress_allowed(&gateway, host(&other_pod), 8077));
        assert!(!pol.ingress_allowed(&plain, host(&network), 8077));
        assert!(pol.ingress_allowed(&gateway, host(&network), 8077));
        assert!(pol.ingress_allowed(&plain, host(&other_pod), 8077));
        let outside = p("172.16.0.1");
        let labels = Labels::new();
        let as_pod = Party {
            addr: &outside,
            pod: Some(&labels),
        };
        assert!(
            pol.egress_allowed(&plain, as_pod, 8077),
            "namespaceSelector: {{}} peers are the cluster's pods"
        );
    }

    #[test]
    fn nft_chains_return_what_rules_allow_and_drop_the_rest() {
        let pol = policies(ISOLATE);
        let pods = vec![
            ReplicaPod {
                iface: Some("p0".into()),
                ip: p("10.0.0.1"),
                labels: pod_labels(true),
            },
            ReplicaPod {
                iface: None,
                ip: p("10.0.1.1"),
                labels: pod_labels(false),
            },
        ];
        let text = pol.nft_chains(&pods, p("10.0.0.0/16"));
        assert!(text.contains("iifname \"p0\" jump egress_0"), "{text}");
        assert!(text.contains("oifname \"p0\" jump ingress_0"), "{text}");
        assert!(
            text.contains("    ip daddr 10.96.0.0/20 return\n"),
            "{text}"
        );
        assert!(
            text.contains("  chain ingress_0 {\n    ip saddr 10.0.0.0/16 return\n"),
            "{text}"
        );
        assert!(text.contains("    return\n    drop\n"), "{text}");
        assert!(
            !text.contains("_1"),
            "pods of other nodes get no chains: {text}"
        );
    }

    #[test]
    fn ports_except_and_default_policy_types() {
        let text = "kind: NetworkPolicy\nmetadata:\n  name: x\nspec:\n  podSelector: {}\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n            except: [10.1.0.0/16]\n      ports:\n        - port: 8077\n";
        let pol = policies(text);
        let plain = pod_labels(false);
        let (a, b) = (p("10.2.0.1"), p("10.1.0.1"));
        assert!(pol.egress_allowed(&plain, host(&a), 8077));
        assert!(!pol.egress_allowed(&plain, host(&a), 30080));
        assert!(!pol.egress_allowed(&plain, host(&b), 8077));
        assert!(
            !pol.ingress_allowed(&plain, host(&a), 8077),
            "Ingress is implied"
        );
    }
}

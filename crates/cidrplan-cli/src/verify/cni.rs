//! Each CNI's masquerade rule, read from its export by that CNI's documented semantics.
//!
//! A [`MasqRule`] is what one cluster's nodes do with pod traffic of one family: which
//! sources it applies to, which destinations keep the source, and whether anything is
//! masqueraded at all. [`MasqRule::masquerades`] answers for one packet (pure, so the
//! rules are tested without root), and [`MasqRule::nft`] writes the rule the replica's
//! nodes load.
//!
//! - **ip-masq-agent** (kubernetes-sigs): every packet leaving the node to a destination
//!   outside `nonMasqueradeCIDRs` is masqueraded (without the key: RFC 1918); link-local
//!   destinations keep the source unless `masqLinkLocal` (`masqLinkLocalIPv6`) is true. The
//!   agent refuses a config with more CIDRs than `cidrLimit` (64 by default) or a CIDR
//!   with host bits set. IPv6 entries are read as the agent reads them with `--enable-ipv6`
//!   (without the flag it refuses the whole config: [`preconditions`] names it).
//! - **Calico**: traffic from a pool with `natOutgoing: true` is masqueraded toward
//!   destinations outside every IP pool (enabled or disabled), Felix's
//!   `cali-nat-outgoing` rule.
//! - **Cilium** (Helm values, chart defaults for absent keys): nothing is masqueraded
//!   unless `enableIPvXMasquerade` (default true); then destinations inside
//!   `ipvXNativeRoutingCIDR` and the cluster-pool CIDR list keep the source, and with
//!   `ipMasqAgent.enabled` (which needs `bpf.masquerade: true`) so do its
//!   `nonMasqueradeCIDRs` (without the key: Cilium's default list) and link-local
//!   destinations unless `masqLinkLocal`. Native routing with masquerading and without
//!   ip-masq-agent needs a native-routing CIDR; Cilium refuses to start without one.
//!   `bpf.masquerade` needs BPF NodePort, set outside these values or not ([`preconditions`]).

use std::fmt;

use cidrplan::{aggregate, Family, Prefix};
use serde_yaml_ng::Value;

use super::exports::{documents, CniArg, Part};

/// A CNI export the CNI itself would refuse, or that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid(pub(crate) String);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One cluster's masquerade rule for one family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MasqRule {
    /// The family it decides.
    pub(crate) family: Family,
    /// Whether anything is masqueraded.
    pub(crate) enabled: bool,
    /// The sources it applies to (`None`: every packet leaving the node).
    pub(crate) sources: Option<Vec<Prefix>>,
    /// Destinations that keep the source. Minimal CIDRs, ascending.
    pub(crate) keep: Vec<Prefix>,
}

impl MasqRule {
    /// A rule that masquerades nothing (the export does not configure the cluster).
    pub(crate) fn never(family: Family) -> MasqRule {
        MasqRule {
            family,
            enabled: false,
            sources: Some(Vec::new()),
            keep: Vec::new(),
        }
    }

    /// Whether a packet from `src` to `dst` (host prefixes of this family) leaving the
    /// node is masqueraded as the node.
    pub(crate) fn masquerades(&self, src: &Prefix, dst: &Prefix) -> bool {
        self.enabled
            && src.family() == self.family
            && dst.family() == self.family
            && self
                .sources
                .as_ref()
                .is_none_or(|s| s.iter().any(|p| p.contains(src)))
            && !self.keep.iter().any(|p| p.contains(dst))
    }

    /// The nftables rule (a `nat` postrouting chain's) for packets leaving by `eth0`;
    /// `None` when nothing is masqueraded. IPv4 only (the replica is IPv4).
    pub(crate) fn nft(&self) -> Option<String> {
        if !self.enabled || self.family != Family::V4 {
            return None;
        }
        let mut rule = String::from("oifname \"eth0\"");
        if let Some(sources) = &self.sources {
            if sources.is_empty() {
                return None;
            }
            rule.push_str(&format!(" ip saddr {}", set(sources)));
        }
        if !self.keep.is_empty() {
            rule.push_str(&format!(" ip daddr != {}", set(&self.keep)));
        }
        rule.push_str(" masquerade");
        Some(rule)
    }
}

/// An nftables anonymous set of prefixes (aggregated, so no two elements overlap).
pub(crate) fn set(prefixes: &[Prefix]) -> String {
    let items: Vec<String> = aggregate(prefixes).iter().map(Prefix::to_string).collect();
    format!("{{ {} }}", items.join(", "))
}

/// The masquerade rule `cni`'s export `part` configures for `family`.
pub(crate) fn rule(cni: CniArg, part: &Part, family: Family) -> Result<MasqRule, Invalid> {
    let docs = documents(part).map_err(Invalid)?;
    match cni {
        CniArg::IpMasqAgent => ip_masq_agent(&docs, family),
        CniArg::Calico => calico(&docs, family),
        CniArg::Cilium => cilium(&docs, family),
    }
}

/// What the export needs from the rest of the installation to work as read here: a
/// setting outside the export that the CNI would otherwise refuse or ignore it without.
/// verify assumes each is met (the exports' comments ask for them) and says so.
pub(crate) fn preconditions(cni: CniArg, part: &Part) -> Result<Vec<String>, Invalid> {
    let docs = documents(part).map_err(Invalid)?;
    let mut out = Vec::new();
    match cni {
        CniArg::IpMasqAgent => {
            let config = ip_masq_agent_config(&docs)?;
            let listed = match config.get("nonMasqueradeCIDRs") {
                Some(v) => cidr_list(v, "nonMasqueradeCIDRs")?,
                None => Vec::new(),
            };
            if listed.iter().any(|p| p.family() == Family::V6) {
                out.push(
                    "ip-masq-agent must run with --enable-ipv6: without it the agent rejects the \
                     whole config (IPv4 entries included) because it lists IPv6 CIDRs"
                        .to_string(),
                );
            }
        }
        CniArg::Cilium => {
            if let Some(values) = docs
                .iter()
                .find(|d| d.is_mapping() && d.get("kind").is_none())
            {
                let bpf_masq = flag(
                    values.get("bpf").and_then(|b| b.get("masquerade")),
                    false,
                    "bpf.masquerade",
                )?;
                let kpr = match values.get("kubeProxyReplacement") {
                    Some(Value::Bool(b)) => *b,
                    Some(Value::String(s)) => s == "true" || s == "strict",
                    _ => false,
                };
                let node_port = flag(
                    values.get("nodePort").and_then(|n| n.get("enabled")),
                    false,
                    "nodePort.enabled",
                )?;
                if bpf_masq && !kpr && !node_port {
                    out.push(
                        "bpf.masquerade needs Cilium's BPF NodePort (kubeProxyReplacement: true or \
                         nodePort.enabled: true), which the export does not set; without it Cilium \
                         refuses to start (\"BPF masquerade requires NodePort\")"
                            .to_string(),
                    );
                }
            }
        }
        CniArg::Calico => {}
    }
    Ok(out)
}

/// A CIDR as the CNIs read one: aligned (no host bits), a length given.
fn cidr(value: &Value, what: &str) -> Result<Prefix, Invalid> {
    let text = value
        .as_str()
        .ok_or_else(|| Invalid(format!("{what}: {value:?} is not a CIDR string")))?;
    if !text.contains('/') {
        return Err(Invalid(format!("{what}: {text:?} has no prefix length")));
    }
    Prefix::parse(text.trim()).map_err(|e| Invalid(format!("{what}: {e}")))
}

fn cidr_list(value: &Value, what: &str) -> Result<Vec<Prefix>, Invalid> {
    match value {
        Value::Sequence(items) => items.iter().map(|v| cidr(v, what)).collect(),
        Value::Null => Ok(Vec::new()),
        other => Err(Invalid(format!("{what}: {other:?} is not a list"))),
    }
}

fn flag(value: Option<&Value>, default: bool, what: &str) -> Result<bool, Invalid> {
    match value {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(Invalid(format!("{what}: {other:?} is not true or false"))),
    }
}

fn of_family(prefixes: &[Prefix], family: Family) -> Vec<Prefix> {
    prefixes
        .iter()
        .filter(|p| p.family() == family)
        .copied()
        .collect()
}

fn link_local(family: Family) -> Prefix {
    match family {
        Family::V4 => Prefix::new(Family::V4, 0xa9fe_0000, 16),
        Family::V6 => Prefix::new(Family::V6, 0xfe80_u128 << 112, 10),
    }
    .expect("a valid prefix")
}

fn prefixes(list: &[&str]) -> Vec<Prefix> {
    list.iter().filter_map(|p| Prefix::parse(p).ok()).collect()
}

/// ip-masq-agent's default limit on `nonMasqueradeCIDRs`.
const IP_MASQ_AGENT_CIDR_LIMIT: usize = 64;

/// The agent's config: the ConfigMap's `data.config` text, read as YAML.
fn ip_masq_agent_config(docs: &[Value]) -> Result<Value, Invalid> {
    let map = docs
        .iter()
        .find(|d| {
            d.get("kind").and_then(Value::as_str) == Some("ConfigMap")
                && d.get("metadata")
                    .and_then(|m| m.get("name"))
                    .and_then(Value::as_str)
                    == Some("ip-masq-agent")
        })
        .ok_or_else(|| Invalid("no ConfigMap named ip-masq-agent".into()))?;
    match map.get("data").and_then(|d| d.get("config")) {
        None => Ok(Value::Null),
        Some(Value::String(text)) => serde_yaml_ng::from_str(text)
            .map_err(|e| Invalid(format!("data.config is not YAML: {e}"))),
        Some(other) => Err(Invalid(format!(
            "data.config: {other:?} is not the config text"
        ))),
    }
}

fn ip_masq_agent(docs: &[Value], family: Family) -> Result<MasqRule, Invalid> {
    let config = ip_masq_agent_config(docs)?;
    let listed = match config.get("nonMasqueradeCIDRs") {
        None => None,
        Some(v) => Some(cidr_list(v, "nonMasqueradeCIDRs")?),
    };
    let limit = match config.get("cidrLimit") {
        None | Some(Value::Null) => IP_MASQ_AGENT_CIDR_LIMIT,
        Some(v) => match v.as_u64() {
            Some(0) => IP_MASQ_AGENT_CIDR_LIMIT,
            Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
            None => return Err(Invalid(format!("cidrLimit: {v:?} is not a count"))),
        },
    };
    if let Some(list) = &listed {
        if list.len() > limit {
            return Err(Invalid(format!(
                "ip-masq-agent accepts up to {limit} nonMasqueradeCIDRs (cidrLimit), got {}",
                list.len()
            )));
        }
    }
    let mut keep = match &listed {
        Some(list) => of_family(list, family),
        None if family == Family::V4 => {
            prefixes(&["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])
        }
        None => Vec::new(),
    };
    let masq_link_local = match family {
        Family::V4 => flag(config.get("masqLinkLocal"), false, "masqLinkLocal")?,
        Family::V6 => flag(config.get("masqLinkLocalIPv6"), false, "masqLinkLocalIPv6")?,
    };
    if !masq_link_local {
        keep.push(link_local(family));
    }
    Ok(MasqRule {
        family,
        enabled: true,
        sources: None,
        keep: aggregate(&keep),
    })
}

fn calico(docs: &[Value], family: Family) -> Result<MasqRule, Invalid> {
    let mut all = Vec::new();
    let mut masq = Vec::new();
    for doc in docs
        .iter()
        .filter(|d| d.get("kind").and_then(Value::as_str) == Some("IPPool"))
    {
        let name = doc
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)");
        let spec = doc
            .get("spec")
            .ok_or_else(|| Invalid(format!("IPPool {name}: no spec")))?;
        let pool = cidr(
            spec.get("cidr").unwrap_or(&Value::Null),
            &format!("IPPool {name} spec.cidr"),
        )?;
        let nat = flag(
            spec.get("natOutgoing"),
            false,
            &format!("IPPool {name} spec.natOutgoing"),
        )?;
        flag(
            spec.get("disabled"),
            false,
            &format!("IPPool {name} spec.disabled"),
        )?;
        if pool.family() == family {
            all.push(pool);
            if nat {
                masq.push(pool);
            }
        }
    }
    Ok(MasqRule {
        family,
        enabled: !masq.is_empty(),
        sources: Some(aggregate(&masq)),
        keep: aggregate(&all),
    })
}

/// Cilium's ip-masq-agent list when its config gives none.
const CILIUM_DEFAULT_NON_MASQ: [&str; 11] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "240.0.0.0/4",
];

fn cilium(docs: &[Value], family: Family) -> Result<MasqRule, Invalid> {
    let values = docs
        .iter()
        .find(|d| d.is_mapping() && d.get("kind").is_none())
        .ok_or_else(|| Invalid("no Helm values document".into()))?;
    let (x, pool_key) = match family {
        Family::V4 => ("IPv4", "clusterPoolIPv4PodCIDRList"),
        Family::V6 => ("IPv6", "clusterPoolIPv6PodCIDRList"),
    };
    let enabled_key = format!("enable{x}Masquerade");
    let masquerade = flag(values.get(enabled_key.as_str()), true, &enabled_key)?;
    let native_key = format!("ipv{}NativeRoutingCIDR", &x[3..]);
    let native = match values.get(native_key.as_str()) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(v) => Some(cidr(v, &native_key)?),
    };
    let pods = match values
        .get("ipam")
        .and_then(|i| i.get("operator"))
        .and_then(|o| o.get(pool_key))
    {
        Some(v) => cidr_list(v, &format!("ipam.operator.{pool_key}"))?,
        None if family == Family::V4 => prefixes(&["10.0.0.0/8"]),
        None => prefixes(&["fd00::/104"]),
    };
    let agent = values.get("ipMasqAgent");
    let agent_on = flag(
        agent.and_then(|a| a.get("enabled")),
        false,
        "ipMasqAgent.enabled",
    )?;
    let bpf_masq = flag(
        values.get("bpf").and_then(|b| b.get("masquerade")),
        false,
        "bpf.masquerade",
    )?;
    let routing = values
        .get("routingMode")
        .and_then(Value::as_str)
        .unwrap_or("tunnel");
    if agent_on && !bpf_masq {
        return Err(Invalid(
            "ipMasqAgent.enabled needs bpf.masquerade: true (Cilium's ip-masq-agent is eBPF)"
                .into(),
        ));
    }
    if masquerade && routing == "native" && !agent_on && native.is_none() {
        return Err(Invalid(format!(
            "routingMode native with {enabled_key} needs {native_key}; Cilium refuses to start without it"
        )));
    }
    let mut keep: Vec<Prefix> = native.into_iter().collect();
    keep.extend(of_family(&pods, family));
    if agent_on {
        let config = agent.and_then(|a| a.get("config"));
        match config.and_then(|c| c.get("nonMasqueradeCIDRs")) {
            Some(v) => keep.extend(of_family(
                &cidr_list(v, "ipMasqAgent.config.nonMasqueradeCIDRs")?,
                family,
            )),
            None if family == Family::V4 => keep.extend(prefixes(&CILIUM_DEFAULT_NON_MASQ)),
            None => {}
        }
        let link_key = match family {
            Family::V4 => "masqLinkLocal",
            Family::V6 => "masqLinkLocalIPv6",
        };
        if !flag(
            config.and_then(|c| c.get(link_key)),
            false,
            &format!("ipMasqAgent.config.{link_key}"),
        )? {
            keep.push(link_local(family));
        }
    }
    Ok(MasqRule {
        family,
        enabled: masquerade,
        sources: Some(aggregate(&of_family(&pods, family))),
        keep: aggregate(&keep),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(text: &str) -> Part {
        Part {
            cluster: "c".into(),
            text: text.into(),
        }
    }

    fn p(text: &str) -> Prefix {
        Prefix::parse(text).unwrap()
    }

    fn masq(cni: CniArg, text: &str, dst: &str) -> bool {
        let src = p("10.0.1.2");
        rule(cni, &part(text), Family::V4)
            .unwrap()
            .masquerades(&src, &p(dst))
    }

    const AGENT: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ip-masq-agent\n  namespace: kube-system\ndata:\n  config: |\n    nonMasqueradeCIDRs:\n      - 10.0.0.0/16\n      - 10.128.0.0/9\n    masqLinkLocal: false\n";

    #[test]
    fn ip_masq_agent_masquerades_outside_its_list_and_keeps_link_local() {
        assert!(!masq(CniArg::IpMasqAgent, AGENT, "10.0.5.5"));
        assert!(!masq(CniArg::IpMasqAgent, AGENT, "10.200.0.1"));
        assert!(!masq(CniArg::IpMasqAgent, AGENT, "169.254.169.254"));
        assert!(masq(CniArg::IpMasqAgent, AGENT, "10.1.0.1"));
        assert!(masq(CniArg::IpMasqAgent, AGENT, "203.0.113.80"));
        let linked = AGENT.replace("masqLinkLocal: false", "masqLinkLocal: true");
        assert!(masq(CniArg::IpMasqAgent, &linked, "169.254.169.254"));
        let rule = rule(CniArg::IpMasqAgent, &part(AGENT), Family::V4).unwrap();
        assert_eq!(
            rule.nft().unwrap(),
            "oifname \"eth0\" ip daddr != { 10.0.0.0/16, 10.128.0.0/9, 169.254.0.0/16 } masquerade"
        );
    }

    #[test]
    fn ip_masq_agent_defaults_and_refusals() {
        let bare = "kind: ConfigMap\nmetadata:\n  name: ip-masq-agent\n";
        assert!(!masq(CniArg::IpMasqAgent, bare, "172.16.0.1"));
        assert!(masq(CniArg::IpMasqAgent, bare, "100.64.0.1"));
        let unaligned = AGENT.replace("10.0.0.0/16", "10.0.0.1/16");
        assert!(rule(CniArg::IpMasqAgent, &part(&unaligned), Family::V4).is_err());
        let mut many = String::from("kind: ConfigMap\nmetadata:\n  name: ip-masq-agent\ndata:\n  config: |\n    nonMasqueradeCIDRs:\n");
        for i in 0..65 {
            many.push_str(&format!("      - 10.{i}.0.0/16\n"));
        }
        let err = rule(CniArg::IpMasqAgent, &part(&many), Family::V4).unwrap_err();
        assert!(err.0.contains("up to 64"), "{err}");
        many.push_str("    cidrLimit: 65\n");
        assert!(rule(CniArg::IpMasqAgent, &part(&many), Family::V4).is_ok());
    }

    const CALICO: &str = "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: c-ipv4\nspec:\n  cidr: \"10.0.0.0/16\"\n  natOutgoing: true\n---\nkind: IPPool\nmetadata:\n  name: c-keep-0\nspec:\n  cidr: \"10.128.0.0/9\"\n  disabled: true\n  natOutgoing: false\n";

    #[test]
    fn calico_masquerades_from_nat_pools_toward_no_pool() {
        assert!(!masq(CniArg::Calico, CALICO, "10.0.3.3"));
        assert!(!masq(CniArg::Calico, CALICO, "10.130.0.1"));
        assert!(masq(CniArg::Calico, CALICO, "10.1.0.1"));
        assert!(masq(CniArg::Calico, CALICO, "203.0.113.80"));
        let off = CALICO.replacen("natOutgoing: true", "natOutgoing: false", 1);
        assert!(!masq(CniArg::Calico, &off, "203.0.113.80"));
        let r = rule(CniArg::Calico, &part(CALICO), Family::V4).unwrap();
        assert!(
            !r.masquerades(&p("10.7.0.1"), &p("203.0.113.80")),
            "not from a pool"
        );
        assert_eq!(
            r.nft().unwrap(),
            "oifname \"eth0\" ip saddr { 10.0.0.0/16 } ip daddr != { 10.0.0.0/16, 10.128.0.0/9 } masquerade"
        );
    }

    const CILIUM: &str = "cluster:\n  name: \"c\"\nipam:\n  mode: cluster-pool\n  operator:\n    clusterPoolIPv4PodCIDRList:\n      - \"10.0.0.0/16\"\nroutingMode: tunnel\nipv4NativeRoutingCIDR: \"10.0.0.0/8\"\nenableIPv4Masquerade: true\n";

    #[test]
    fn cilium_masquerades_outside_the_native_routing_cidr() {
        assert!(!masq(CniArg::Cilium, CILIUM, "10.99.0.1"));
        assert!(masq(CniArg::Cilium, CILIUM, "172.16.0.1"));
        let off = CILIUM.replace("enableIPv4Masquerade: true", "enableIPv4Masquerade: false");
        assert!(!masq(CniArg::Cilium, &off, "172.16.0.1"));
        let absent = CILIUM.replace("enableIPv4Masquerade: true\n", "");
        assert!(
            masq(CniArg::Cilium, &absent, "172.16.0.1"),
            "the chart's default"
        );
        let only_pods = CILIUM.replace("ipv4NativeRoutingCIDR: \"10.0.0.0/8\"\n", "");
        assert!(!masq(CniArg::Cilium, &only_pods, "10.0.9.9"));
        assert!(masq(CniArg::Cilium, &only_pods, "10.99.0.1"));
    }

    #[test]
    fn cilium_ip_masq_agent_adds_its_list_and_needs_bpf_masquerade() {
        let agent = format!(
            "{}ipMasqAgent:\n  enabled: true\n  config:\n    nonMasqueradeCIDRs:\n      - \"172.16.0.0/12\"\nbpf:\n  masquerade: true\n",
            CILIUM.replace("ipv4NativeRoutingCIDR: \"10.0.0.0/8\"\n", "")
        );
        assert!(!masq(CniArg::Cilium, &agent, "172.20.0.1"));
        assert!(!masq(CniArg::Cilium, &agent, "10.0.0.9"));
        assert!(!masq(CniArg::Cilium, &agent, "169.254.0.1"));
        assert!(masq(CniArg::Cilium, &agent, "10.99.0.1"));
        let no_bpf = agent.replace("masquerade: true", "masquerade: false");
        assert!(rule(CniArg::Cilium, &part(&no_bpf), Family::V4).is_err());
        let native = CILIUM
            .replace("routingMode: tunnel", "routingMode: native")
            .replace("ipv4NativeRoutingCIDR: \"10.0.0.0/8\"\n", "");
        assert!(rule(CniArg::Cilium, &part(&native), Family::V4).is_err());
    }

    #[test]
    fn settings_outside_the_export_are_named() {
        let agent = AGENT.replace(
            "      - 10.128.0.0/9\n",
            "      - 10.128.0.0/9\n      - fd00::/8\n",
        );
        let needed = preconditions(CniArg::IpMasqAgent, &part(&agent)).unwrap();
        assert!(needed[0].contains("--enable-ipv6"), "{needed:?}");
        assert!(preconditions(CniArg::IpMasqAgent, &part(AGENT))
            .unwrap()
            .is_empty());
        let bpf = format!("{CILIUM}bpf:\n  masquerade: true\n");
        let needed = preconditions(CniArg::Cilium, &part(&bpf)).unwrap();
        assert!(needed[0].contains("NodePort"), "{needed:?}");
        let kpr = format!("{bpf}kubeProxyReplacement: true\n");
        assert!(preconditions(CniArg::Cilium, &part(&kpr))
            .unwrap()
            .is_empty());
        let node_port = format!("{bpf}nodePort:\n  enabled: true\n");
        assert!(preconditions(CniArg::Cilium, &part(&node_port))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn ipv6_is_decided_per_family() {
        let agent = AGENT.replace(
            "      - 10.128.0.0/9\n",
            "      - 10.128.0.0/9\n      - fd00:1::/48\n",
        );
        let r = rule(CniArg::IpMasqAgent, &part(&agent), Family::V6).unwrap();
        let src = p("fd00:1::5");
        assert!(!r.masquerades(&src, &p("fd00:1:0:1::9")));
        assert!(!r.masquerades(&src, &p("fe80::1")));
        assert!(r.masquerades(&src, &p("2001:4860::8888")));
        assert!(r.nft().is_none(), "the replica is IPv4");
    }
}

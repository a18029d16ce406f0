//! The replica of a plan, as data: namespaces, veth pairs, addresses, routes and nftables
//! rulesets, decided here and applied by `system`. Nothing in this file touches the
//! machine, so the whole layout can be printed (`--dry-run`) and tested without root.
//!
//! Layout: one router namespace ("the main network") with a point-to-point veth to a host
//! for the network and one for each allocation a claim names; per cluster a bridge on the
//! router holding the node subnet, two node namespaces on it, and two pod namespaces
//! behind each node, addressed from that node's per-node range (node k owns the k-th
//! `/node_pod_mask` of the pod range). Routes follow each cluster's `ingress`,
//! `external_pod_cidr` and `group`; what the nodes do with pod traffic (masquerading,
//! the 1:1 mapping, policies) comes from the exports ([`super::config`]).

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;

use cidrplan::{Family, Prefix};

use super::config::{Config, NodeConfig};
use super::input::{How, Subject};
use super::policy::{pod_labels, ReplicaPod};
use crate::failure::Failure;

/// TCP port every echo server of the replica listens on.
pub(crate) const ECHO_PORT: u16 = 8077;
/// The NodePort of a cluster's gateway (on its first node, to that node's first pod).
pub(crate) const NODE_PORT: u16 = 30080;
/// Most clusters a replica is built for.
pub(crate) const MAX_CLUSTERS: usize = 8;
/// Most reachability rows verify checks (a plan of 8 clusters has at most a few hundred).
pub(crate) const MAX_CLAIMS: usize = 1_000;
/// Most allocation hosts a replica is built for.
pub(crate) const MAX_ALLOCATIONS: usize = 16;
/// Node and pod namespaces per cluster and node.
const NODES: u32 = 2;
const PODS: u32 = 2;
/// The next hop every pod and host uses: an address on the far end of its veth, as CNIs do.
const LINK_GATEWAY: &str = "169.254.1.1";
/// Where the "internet" host may sit: the first of the addresses the core's matrix takes
/// for "the internet" (documentation addresses, RFC 5737, then 1.1.1.1) that no pool,
/// plan range or allocation holds, so the probe targets the address the row was decided
/// for. The replica is wired to nothing outside itself: no packet to it leaves the machine.
const INTERNET: [Ipv4Addr; 4] = [
    Ipv4Addr::new(198, 51, 100, 80),
    Ipv4Addr::new(203, 0, 113, 80),
    Ipv4Addr::new(192, 0, 2, 80),
    Ipv4Addr::new(1, 1, 1, 1),
];

/// An IPv4 range as first address and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Net4 {
    /// First address.
    pub(crate) first: u32,
    /// Prefix length.
    pub(crate) len: u8,
}

impl Net4 {
    fn of(prefix: &Prefix, what: &str) -> Result<Net4, Failure> {
        if prefix.family() != Family::V4 {
            return Err(Failure::new(
                "invalid_input",
                format!("{what} {prefix}: verify replicates IPv4 ranges only"),
            ));
        }
        let first = u32::try_from(prefix.first())
            .map_err(|_| Failure::new("invalid_input", format!("{what} {prefix}: not IPv4")))?;
        Ok(Net4 {
            first,
            len: prefix.len(),
        })
    }

    /// Number of addresses, as u64 (a /0 has 2^32).
    pub(crate) fn size(self) -> u64 {
        1u64 << (32 - u32::from(self.len.min(32)))
    }

    /// The address `offset` past the first, if inside.
    pub(crate) fn nth(self, offset: u64) -> Option<Ipv4Addr> {
        if offset >= self.size() {
            return None;
        }
        let address = u64::from(self.first) + offset;
        u32::try_from(address).ok().map(Ipv4Addr::from)
    }

    /// The `k`-th sub-range of length `len`.
    fn sub(self, len: u8, k: u64) -> Option<Net4> {
        if len < self.len || len > 32 {
            return None;
        }
        let step = 1u64 << (32 - u32::from(len));
        let first = u64::from(self.first) + k.checked_mul(step)?;
        if first + step > u64::from(self.first) + self.size() {
            return None;
        }
        Some(Net4 {
            first: u32::try_from(first).ok()?,
            len,
        })
    }

    fn overlaps(self, other: Net4) -> bool {
        let (a0, a1) = (u64::from(self.first), u64::from(self.first) + self.size());
        let (b0, b1) = (
            u64::from(other.first),
            u64::from(other.first) + other.size(),
        );
        a0 < b1 && b0 < a1
    }
}

impl fmt::Display for Net4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.first), self.len)
    }
}

/// A network namespace and what to configure in it.
#[derive(Debug, Clone)]
pub(crate) struct Namespace {
    /// Full name (`cpv-<run>-<role>`).
    pub(crate) name: String,
    /// `ip -batch` lines, run inside it after the veth pairs exist.
    pub(crate) ip: Vec<String>,
    /// `/proc/sys` settings, `net.ipv4.ip_forward=1` style.
    pub(crate) sysctls: Vec<String>,
    /// nftables rulesets loaded with `nft -f`, one load each, in order: what each is
    /// (`node-nat export`, `cpv`) and its text.
    pub(crate) nft: Vec<(String, String)>,
}

/// A veth pair created directly inside two replica namespaces.
#[derive(Debug, Clone)]
pub(crate) struct Veth {
    /// One namespace and its end's name.
    pub(crate) a: (String, String),
    /// The other.
    pub(crate) b: (String, String),
}

/// A host with an echo server: the network host, an allocation host or a pod.
#[derive(Debug, Clone)]
pub(crate) struct Host {
    /// Name the echo server answers with (`network`, `allocation:other`, `cluster-1/n0/p1`).
    pub(crate) label: String,
    /// Its namespace.
    pub(crate) ns: String,
    /// Its address.
    pub(crate) ip: Ipv4Addr,
    /// Pods of the node its traffic leaves by, for SNAT expectations.
    pub(crate) node_ip: Option<Ipv4Addr>,
    /// Mapped pods: the address the network knows it by.
    pub(crate) external_ip: Option<Ipv4Addr>,
}

/// A node of the replica.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// Its namespace.
    pub(crate) ns: String,
    /// Its address in the node subnet.
    pub(crate) ip: Ipv4Addr,
    /// Its per-node pod range.
    pub(crate) range: Net4,
    /// Mapped: its external range.
    pub(crate) external: Option<Net4>,
    /// Its pods.
    pub(crate) pods: Vec<Host>,
}

/// The gateway the replica gives a cluster whose ingress is `gateway`.
#[derive(Debug, Clone)]
pub(crate) struct Gateway {
    /// The first node's address.
    pub(crate) ip: Ipv4Addr,
    /// The NodePort.
    pub(crate) port: u16,
    /// The pod behind it.
    pub(crate) backend: String,
}

/// A cluster of the replica.
#[derive(Debug, Clone)]
pub(crate) struct Cluster {
    /// Its name.
    pub(crate) name: String,
    /// Its egress, for the source address a gateway sees.
    pub(crate) egress: How,
    /// Its nodes.
    pub(crate) nodes: Vec<Node>,
    /// Its gateway, if its ingress is `gateway`.
    pub(crate) gateway: Option<Gateway>,
}

/// The whole replica.
#[derive(Debug, Clone)]
pub(crate) struct Replica {
    /// `cpv-<6 hex>`: the prefix of every namespace name.
    pub(crate) run_id: String,
    /// The router namespace.
    pub(crate) router: String,
    /// Every namespace, router first.
    pub(crate) namespaces: Vec<Namespace>,
    /// Every veth pair.
    pub(crate) veths: Vec<Veth>,
    /// The host standing for "the network".
    pub(crate) network: Host,
    /// The host standing for "the internet", when a claim names it.
    pub(crate) internet: Option<Host>,
    /// Allocation hosts by allocation name.
    pub(crate) allocations: BTreeMap<String, Host>,
    /// The clusters.
    pub(crate) clusters: Vec<Cluster>,
}

impl Replica {
    /// Every host that runs an echo server.
    pub(crate) fn servers(&self) -> Vec<&Host> {
        let mut hosts = vec![&self.network];
        hosts.extend(self.internet.as_ref());
        hosts.extend(self.allocations.values());
        for cluster in &self.clusters {
            for node in &cluster.nodes {
                hosts.extend(node.pods.iter());
            }
        }
        hosts
    }
}

/// Builds the replica of `subject`, its nodes configured by `config`, under `run_id`.
pub(crate) fn build(subject: &Subject, config: &Config, run_id: &str) -> Result<Replica, Failure> {
    let plan = &subject.plan;
    if plan.clusters.is_empty() {
        return Err(Failure::new(
            "invalid_input",
            format!("{}: the plan has no clusters", subject.origin),
        ));
    }
    if plan.reachability.len() > MAX_CLAIMS {
        return Err(Failure::new(
            "invalid_input",
            format!(
                "{}: {} reachability rows; verify checks at most {MAX_CLAIMS}",
                subject.origin,
                plan.reachability.len()
            ),
        ));
    }
    if plan.clusters.len() > MAX_CLUSTERS {
        return Err(Failure::new(
            "invalid_input",
            format!(
                "{}: {} clusters; verify builds replicas of at most {MAX_CLUSTERS}",
                subject.origin,
                plan.clusters.len()
            ),
        ));
    }
    let ns = |role: &str| format!("{run_id}-{role}");
    let router = ns("r");
    let mut router_ns = Namespace {
        name: router.clone(),
        ip: vec!["link set lo up".into()],
        sysctls: forwarding(),
        nft: Vec::new(),
    };
    let mut namespaces = Vec::new();
    let mut veths = Vec::new();

    // Hosts on point-to-point links to the router.
    let mut attach_host = |role: &str, port: &str, label: String, ip: Ipv4Addr, route: Net4| {
        let name = ns(role);
        veths.push(Veth {
            a: (router.clone(), port.to_string()),
            b: (name.clone(), "eth0".into()),
        });
        router_ns.ip.extend([
            format!("link set {port} up"),
            format!("addr add {LINK_GATEWAY}/32 dev {port}"),
            format!("route add {route} dev {port}"),
        ]);
        namespaces.push(Namespace {
            name: name.clone(),
            ip: endpoint_lines(ip),
            sysctls: Vec::new(),
            nft: Vec::new(),
        });
        Host {
            label,
            ns: name,
            ip,
            node_ip: None,
            external_ip: None,
        }
    };

    // Allocations a claim names, with their addresses.
    let mut wanted: Vec<String> = Vec::new();
    for row in &plan.reachability {
        for side in [&row.from, &row.to] {
            if let Some(name) = side.strip_prefix("allocation:") {
                if !wanted.iter().any(|w| w == name) {
                    wanted.push(name.to_string());
                }
            }
        }
    }
    if wanted.len() > MAX_ALLOCATIONS {
        return Err(Failure::new(
            "invalid_input",
            format!(
                "{}: the claims name {} allocations; verify builds replicas with at most {MAX_ALLOCATIONS}",
                subject.origin,
                wanted.len()
            ),
        ));
    }
    let mut used: Vec<Net4> = Vec::new();
    let mut allocations = BTreeMap::new();
    for (i, name) in wanted.iter().enumerate() {
        let Some(doc) = subject.network.allocations.iter().find(|a| &a.name == name) else {
            return Err(Failure::new(
                "invalid_input",
                format!(
                    "{}: a claim names allocation:{name}, but its address is unknown: pass \
                     --allocation {name}=CIDR or add the request's \"network\" object to the plan",
                    subject.origin
                ),
            ));
        };
        let range = Net4::of(&doc.cidr, &format!("allocation {name}"))?;
        used.push(range);
        let ip = host_address(range).ok_or_else(|| {
            Failure::new(
                "invalid_input",
                format!("allocation {name} {range}: no address"),
            )
        })?;
        let host = attach_host(
            &format!("a{i}"),
            &format!("ha{i}"),
            format!("allocation:{}", label_safe(name)),
            ip,
            range,
        );
        allocations.insert(name.clone(), host);
    }

    // Cluster ranges, for choosing the network host's address.
    let mut clusters_in = Vec::new();
    for c in &plan.clusters {
        let pod = Net4::of(&c.pod_cidr, &format!("cluster {} pod_cidr", c.name))?;
        let subnet = Net4::of(&c.node_subnet, &format!("cluster {} node_subnet", c.name))?;
        let external = match &c.external_pod_cidr {
            Some(p) => Some(Net4::of(
                p,
                &format!("cluster {} external_pod_cidr", c.name),
            )?),
            None => None,
        };
        used.extend([pod, subnet]);
        used.extend(external);
        if let Some(service) = &c.service_cidr {
            if let Ok(service) = Net4::of(service, "service_cidr") {
                used.push(service);
            }
        }
        clusters_in.push((c, pod, subnet, external));
    }
    let network_ip = network_address(subject, &used).ok_or_else(|| {
        Failure::new(
            "invalid_input",
            format!(
                "{}: no free address in the pools for the network host; pass --pool CIDR",
                subject.origin
            ),
        )
    })?;
    let network = attach_host(
        "net",
        "hnet",
        "network".into(),
        network_ip,
        Net4 {
            first: u32::from(network_ip),
            len: 32,
        },
    );
    let internet = if plan
        .reachability
        .iter()
        .any(|r| !r.is_ipv6() && (r.from == "internet" || r.to == "internet"))
    {
        let pools: Vec<Net4> = subject
            .network
            .pools
            .iter()
            .filter_map(|p| Net4::of(p, "pool").ok())
            .collect();
        let ip = INTERNET
            .into_iter()
            .find(|ip| {
                let host = Net4 {
                    first: u32::from(*ip),
                    len: 32,
                };
                !used.iter().chain(&pools).any(|u| u.overlaps(host))
            })
            .ok_or_else(|| {
                Failure::new(
                    "invalid_input",
                    format!(
                        "{}: the pools or the plan's ranges hold every address verify places \
                         the internet host at ({})",
                        subject.origin,
                        INTERNET.map(|a| a.to_string()).join(", ")
                    ),
                )
            })?;
        Some(attach_host(
            "inet",
            "hinet",
            "internet".into(),
            ip,
            Net4 {
                first: u32::from(ip),
                len: 32,
            },
        ))
    } else {
        None
    };

    // Archipelago groups: one routing table each on the router.
    let mut groups: Vec<&str> = Vec::new();
    for c in &plan.clusters {
        if let Some(g) = c.group.as_deref() {
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
    }

    let mut clusters = Vec::new();
    for (ci, (c, pod, subnet, external)) in clusters_in.into_iter().enumerate() {
        let what = format!("cluster {}", c.name);
        if subnet.len > 30 {
            return Err(Failure::new(
                "invalid_input",
                format!("{what} node_subnet {subnet}: a replica needs a /30 or larger"),
            ));
        }
        if c.node_pod_mask < pod.len || c.node_pod_mask > 32 {
            return Err(Failure::new(
                "invalid_input",
                format!(
                    "{what}: node_pod_mask /{} does not fit pod_cidr {pod}",
                    c.node_pod_mask
                ),
            ));
        }
        let capacity = 1u64 << (c.node_pod_mask - pod.len).min(32);
        // A /30 holds one node next to the router (its last usable address).
        let room = if subnet.len >= 30 {
            1
        } else {
            u64::from(NODES)
        };
        let node_count = room.min(capacity);
        let router_ip = subnet
            .nth(subnet.size() - 2)
            .ok_or_else(|| Failure::new("invalid_input", format!("{what}: node subnet")))?;
        let bridge = format!("bc{ci}");
        router_ns.ip.extend([
            format!("link add {bridge} type bridge"),
            format!("link set {bridge} up"),
            format!("addr add {router_ip}/{} dev {bridge}", subnet.len),
        ]);
        let table = c
            .group
            .as_deref()
            .and_then(|g| groups.iter().position(|x| *x == g))
            .map(|g| 100 + g);
        if let Some(table) = table {
            router_ns
                .ip
                .push(format!("rule add iif {bridge} lookup {table}"));
        }

        let mut nodes = Vec::new();
        for k in 0..node_count {
            let range = pod
                .sub(c.node_pod_mask, k)
                .ok_or_else(|| Failure::new("invalid_input", format!("{what}: node range")))?;
            let ip = subnet
                .nth(k + 1)
                .ok_or_else(|| Failure::new("invalid_input", format!("{what}: node address")))?;
            let node_external = node_external(c, external, k)?;
            nodes.push(Node {
                ns: ns(&format!("c{ci}n{k}")),
                ip,
                range,
                external: node_external,
                pods: Vec::new(),
            });
        }
        for (k, node) in nodes.iter_mut().enumerate() {
            let pods_here = if node.range.size() >= 4 {
                u64::from(PODS)
            } else {
                u64::from(PODS).min(node.range.size())
            };
            let skip = u64::from(node.range.size() >= 4);
            for j in 0..pods_here {
                let Some(ip) = node.range.nth(j + skip) else {
                    continue;
                };
                let external_ip = node
                    .external
                    .and_then(|e| e.nth(u64::from(u32::from(ip) - node.range.first)));
                node.pods.push(Host {
                    label: format!("{}/n{k}/p{j}", label_safe(&c.name)),
                    ns: format!("{}p{j}", node.ns),
                    ip,
                    node_ip: Some(node.ip),
                    external_ip,
                });
            }
        }
        let gateway = match (
            c.ingress,
            nodes.first().and_then(|n| n.pods.first().map(|p| (n, p))),
        ) {
            (How::Gateway, Some((node, backend))) => Some(Gateway {
                ip: node.ip,
                port: NODE_PORT,
                backend: backend.label.clone(),
            }),
            _ => None,
        };

        // Every pod of the cluster, its labels (the gateway's backend is a gateway pod).
        let backend = gateway.as_ref().map(|g| g.backend.clone());
        let cluster_pods: Vec<(usize, String, ReplicaPod)> = nodes
            .iter()
            .enumerate()
            .flat_map(|(k, n)| n.pods.iter().enumerate().map(move |(j, p)| (k, j, p)))
            .filter_map(|(k, j, p)| {
                let ip = Prefix::parse(&p.ip.to_string()).ok()?;
                let labels = pod_labels(backend.as_deref() == Some(p.label.as_str()));
                Some((
                    k,
                    format!("p{j}"),
                    ReplicaPod {
                        iface: None,
                        ip,
                        labels,
                    },
                ))
            })
            .collect();
        if config.clusters.len() <= ci {
            return Err(Failure::new(
                "internal_error",
                "a cluster without configuration",
            ));
        }
        for (k, node) in nodes.iter().enumerate() {
            let cluster_pods: Vec<ReplicaPod> = cluster_pods
                .iter()
                .map(|(on, iface, p)| ReplicaPod {
                    iface: (*on == k).then(|| iface.clone()),
                    ..p.clone()
                })
                .collect();
            let port = format!("c{ci}n{k}");
            veths.push(Veth {
                a: (router.clone(), port.clone()),
                b: (node.ns.clone(), "eth0".into()),
            });
            router_ns.ip.extend([
                format!("link set {port} master {bridge}"),
                format!("link set {port} up"),
            ]);
            match c.ingress {
                How::Direct => router_ns.ip.push(format!(
                    "route add {} via {} dev {bridge}",
                    node.range, node.ip
                )),
                How::Nat => {
                    if let Some(e) = node.external {
                        router_ns
                            .ip
                            .push(format!("route add {e} via {} dev {bridge}", node.ip));
                    }
                }
                _ => {}
            }
            if let Some(table) = table {
                router_ns.ip.push(format!(
                    "route add {} via {} dev {bridge} onlink table {table}",
                    node.range, node.ip
                ));
            }
            let mut lines = vec![
                "link set lo up".to_string(),
                "link set eth0 up".to_string(),
                format!("addr add {}/{} dev eth0", node.ip, subnet.len),
                format!("route add default via {router_ip} dev eth0"),
                format!("route add unreachable {pod}"),
            ];
            for (m, other) in nodes.iter().enumerate() {
                if m != k {
                    lines.push(format!(
                        "route add {} via {} dev eth0",
                        other.range, other.ip
                    ));
                }
            }
            for (j, p) in node.pods.iter().enumerate() {
                veths.push(Veth {
                    a: (node.ns.clone(), format!("p{j}")),
                    b: (p.ns.clone(), "eth0".into()),
                });
                lines.extend([
                    format!("link set p{j} up"),
                    format!("addr add {LINK_GATEWAY}/32 dev p{j}"),
                    format!("route add {}/32 dev p{j}", p.ip),
                ]);
            }
            let rules = node_rules(
                &config.clusters[ci],
                &cluster_pods,
                pod,
                node,
                k == 0,
                gateway.is_some(),
            );
            namespaces.push(Namespace {
                name: node.ns.clone(),
                ip: lines,
                sysctls: forwarding(),
                nft: rules,
            });
            for p in &node.pods {
                namespaces.push(Namespace {
                    name: p.ns.clone(),
                    ip: endpoint_lines(p.ip),
                    sysctls: Vec::new(),
                    nft: Vec::new(),
                });
            }
        }
        clusters.push(Cluster {
            name: c.name.clone(),
            egress: c.egress,
            nodes,
            gateway,
        });
    }
    namespaces.insert(0, router_ns);
    Ok(Replica {
        run_id: run_id.to_string(),
        router,
        namespaces,
        veths,
        network,
        internet,
        allocations,
        clusters,
    })
}

fn forwarding() -> Vec<String> {
    vec![
        "net.ipv4.ip_forward=1".into(),
        "net.ipv4.conf.all.rp_filter=0".into(),
        "net.ipv4.conf.default.rp_filter=0".into(),
    ]
}

/// A pod or host: its address on `eth0` and a default route to the far end of the veth.
fn endpoint_lines(ip: Ipv4Addr) -> Vec<String> {
    vec![
        "link set lo up".into(),
        "link set eth0 up".into(),
        format!("addr add {ip}/32 dev eth0"),
        format!("route add {LINK_GATEWAY} dev eth0 scope link"),
        format!("route add default via {LINK_GATEWAY} dev eth0"),
    ]
}

/// The address a host of `range` gets: the first usable one.
fn host_address(range: Net4) -> Option<Ipv4Addr> {
    if range.len >= 31 {
        range.nth(0)
    } else {
        range.nth(1)
    }
}

/// Node k's external range: from the plan's `node_mappings`, else by the mapped rule
/// (node k of the internal range is node k of the external range).
fn node_external(
    c: &super::input::ClusterDoc,
    external: Option<Net4>,
    k: u64,
) -> Result<Option<Net4>, Failure> {
    if let Some(m) = c.node_mappings.iter().find(|m| u64::from(m.node) == k) {
        let e = Net4::of(&m.external, &format!("cluster {} node_mappings", c.name))?;
        return Ok(Some(e));
    }
    Ok(external.and_then(|e| e.sub(c.node_pod_mask, k)))
}

/// The address standing for "the network": the first usable address of the pools that
/// no plan range or allocation uses. Without pools, the private block holding the first
/// node subnet.
fn network_address(subject: &Subject, used: &[Net4]) -> Option<Ipv4Addr> {
    let mut pools: Vec<Net4> = subject
        .network
        .pools
        .iter()
        .filter_map(|p| Net4::of(p, "pool").ok())
        .collect();
    if pools.is_empty() {
        // Flat clusters keep their source toward exactly the pools.
        pools = subject
            .plan
            .clusters
            .iter()
            .filter(|c| c.egress == How::Direct)
            .flat_map(|c| &c.non_masquerade_cidrs)
            .filter_map(|p| Net4::of(p, "pool").ok())
            .collect();
    }
    if pools.is_empty() {
        let subnet = subject
            .plan
            .clusters
            .first()
            .and_then(|c| Net4::of(&c.node_subnet, "node_subnet").ok())?;
        let private = [
            Net4 {
                first: 0x0a00_0000,
                len: 8,
            },
            Net4 {
                first: 0xac10_0000,
                len: 12,
            },
            Net4 {
                first: 0xc0a8_0000,
                len: 16,
            },
        ];
        pools.push(
            private
                .into_iter()
                .find(|p| p.overlaps(subnet) && p.len <= subnet.len)
                .unwrap_or(Net4 {
                    first: subnet.first & 0xff00_0000,
                    len: 8,
                }),
        );
    }
    for pool in pools {
        // Walk free /30 blocks; a bounded number of steps, jumping past used ranges.
        let mut cursor = u64::from(pool.first);
        let end = u64::from(pool.first) + pool.size();
        for _ in 0..4096 {
            if cursor + 4 > end {
                break;
            }
            let block = Net4 {
                first: u32::try_from(cursor).ok()?,
                len: 30,
            };
            match used
                .iter()
                .filter(|u| u.overlaps(block))
                .map(|u| u64::from(u.first) + u.size())
                .max()
            {
                Some(next) => cursor = next.max(cursor + 4),
                None => return block.nth(1),
            }
        }
    }
    None
}

/// The node's nftables rulesets: the cluster's `node-nat` part as the export gives it
/// (mapped), then a table `cpv` with the NodePort gateway (a DNAT on the first node), the
/// CNI's masquerade rule and the NetworkPolicies' filter chains (isolated).
///
/// The masquerade chain runs at priority `srcnat - 10`, before the node-nat table's
/// `srcnat` chain: NAT is decided by the first chain that translates a connection, so a
/// CNI export that masquerades what the mapping should translate shows in the probes.
fn node_rules(
    config: &NodeConfig,
    cluster_pods: &[ReplicaPod],
    pod: Net4,
    node: &Node,
    first: bool,
    gateway: bool,
) -> Vec<(String, String)> {
    let mut pre = Vec::new();
    let mut post = Vec::new();
    if gateway && first {
        if let Some(backend) = node.pods.first() {
            pre.push(format!(
                "ip daddr {} tcp dport {NODE_PORT} dnat to {}:{ECHO_PORT}",
                node.ip, backend.ip
            ));
        }
    }
    post.extend(config.masq.nft());
    let chain = |name: &str, hook: &str, kind: &str, priority: &str, rules: &[String]| {
        let mut text = format!(
            "  chain {name} {{\n    type {kind} hook {hook} priority {priority}; policy accept;\n"
        );
        for r in rules {
            text.push_str("    ");
            text.push_str(r);
            text.push('\n');
        }
        text.push_str("  }\n");
        text
    };
    let mut rulesets = Vec::new();
    if let Some(nat) = &config.nat {
        rulesets.push(("node-nat export".to_string(), nat.ruleset.clone()));
    }
    let mut text = String::from("table ip cpv {\n");
    text.push_str(&chain("prerouting", "prerouting", "nat", "dstnat", &pre));
    text.push_str(&chain(
        "postrouting",
        "postrouting",
        "nat",
        "srcnat - 10",
        &post,
    ));
    if let Some(policy) = &config.policy {
        let range = Prefix::parse(&pod.to_string()).ok();
        if let Some(range) = range {
            text.push_str(&policy.nft_chains(cluster_pods, range));
        }
    }
    text.push_str("}\n");
    rulesets.push(("cpv".to_string(), text));
    rulesets
}

/// A name as echo servers answer with it: one line, no spaces.
fn label_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

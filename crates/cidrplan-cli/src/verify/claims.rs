//! From the plan's reachability rows to probes: who connects to which address, and what
//! the echo server at the far end must (or must not) report.
//!
//! A positive claim names the host that must answer and the source address it must see:
//! `direct` the sender's own address, `snat` its node's address, `nat` its mapped
//! address. `gateway` is two probes: the pod's own address must NOT answer, the cluster's
//! NodePort must. `none` expects no answer from the target at any of its addresses.
//! "Answered by another host" (e.g. a pod of the sender's own cluster with the same
//! address) counts as not reaching the target.

use std::net::{Ipv4Addr, SocketAddrV4};

use super::input::{How, ReachDoc};
use super::topology::{Cluster, Host, Replica, ECHO_PORT};
use crate::failure::Failure;

/// What a probe must observe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expect {
    /// The echo server `host` answers and saw the connection come from `seen`
    /// (`None`: the plan gives no address the source could be seen as).
    Reach {
        /// Label of the host that must answer.
        host: String,
        /// The source address it must see.
        seen: Option<Ipv4Addr>,
    },
    /// `host` must not answer (another host or no answer at all is fine).
    NotReach {
        /// Label of the host that must stay unreachable.
        host: String,
    },
}

/// One connection attempt.
#[derive(Debug, Clone)]
pub(crate) struct Probe {
    /// Namespace it runs in.
    pub(crate) src_ns: String,
    /// Label of the sending host.
    pub(crate) src_label: String,
    /// Where it connects (`None`: the replica has no such address; the probe fails).
    pub(crate) dst: Option<SocketAddrV4>,
    /// Which address of the target: `direct`, `mapped` or `gateway`.
    pub(crate) via: &'static str,
    /// What must happen.
    pub(crate) expect: Expect,
}

/// One row of the reachability matrix and its probes.
#[derive(Debug, Clone)]
pub(crate) struct Claim {
    /// The row's `from`.
    pub(crate) from: String,
    /// The row's `to`.
    pub(crate) to: String,
    /// The row's `how`.
    pub(crate) how: How,
    /// Its probes; the claim holds when every one passes.
    pub(crate) probes: Vec<Probe>,
}

/// A side of a claim in the replica.
enum Side<'a> {
    Pods(&'a Cluster),
    Host(&'a Host),
}

fn side<'a>(replica: &'a Replica, name: &str) -> Result<Side<'a>, Failure> {
    if name == "network" {
        return Ok(Side::Host(&replica.network));
    }
    if name == "internet" {
        if let Some(host) = &replica.internet {
            return Ok(Side::Host(host));
        }
    }
    if let Some(cluster) = name.strip_prefix("pod:") {
        return replica
            .clusters
            .iter()
            .find(|c| c.name == cluster)
            .map(Side::Pods)
            .ok_or_else(|| {
                Failure::new(
                    "invalid_input",
                    format!("reachability names {name}, but the plan has no cluster {cluster:?}"),
                )
            });
    }
    if let Some(allocation) = name.strip_prefix("allocation:") {
        if let Some(host) = replica.allocations.get(allocation) {
            return Ok(Side::Host(host));
        }
    }
    Err(Failure::new(
        "invalid_input",
        format!(
            "reachability side {name:?}: expected pod:<cluster>, network, internet or allocation:<name>"
        ),
    ))
}

/// The senders of a side: the first pod of every node, or the host.
fn senders<'a>(side: &Side<'a>) -> Vec<&'a Host> {
    match side {
        Side::Host(h) => vec![h],
        Side::Pods(c) => c.nodes.iter().filter_map(|n| n.pods.first()).collect(),
    }
}

/// The address a sender is seen as under `how`.
fn seen_as(sender: &Host, how: How) -> Option<Ipv4Addr> {
    if sender.node_ip.is_none() {
        return Some(sender.ip);
    }
    match how {
        How::Snat => sender.node_ip,
        How::Nat => sender.external_ip,
        _ => Some(sender.ip),
    }
}

/// Derives the probes of every IPv4 claim (IPv6 rows are not replicated).
pub(crate) fn derive(replica: &Replica, rows: &[ReachDoc]) -> Result<Vec<Claim>, Failure> {
    let mut claims = Vec::with_capacity(rows.len());
    for row in rows.iter().filter(|r| !r.is_ipv6()) {
        let from = side(replica, &row.from)?;
        let to = side(replica, &row.to)?;
        // The target: for pods, the last pod of the last node (so per-node routing counts).
        let target: &Host = match &to {
            Side::Host(h) => h,
            Side::Pods(c) => c.nodes.last().and_then(|n| n.pods.last()).ok_or_else(|| {
                Failure::new("invalid_input", format!("cluster {}: no pods", c.name))
            })?,
        };
        let gateway = match &to {
            Side::Pods(c) => c.gateway.as_ref(),
            Side::Host(_) => None,
        };
        let direct = Some(SocketAddrV4::new(target.ip, ECHO_PORT));
        let mapped = target
            .external_ip
            .map(|ip| SocketAddrV4::new(ip, ECHO_PORT));
        let mut probes = Vec::new();
        for sender in senders(&from) {
            let probe = |dst: Option<SocketAddrV4>, via: &'static str, expect: Expect| Probe {
                src_ns: sender.ns.clone(),
                src_label: sender.label.clone(),
                dst,
                via,
                expect,
            };
            let reach = |seen| Expect::Reach {
                host: target.label.clone(),
                seen,
            };
            let not_reach = |host: &str| Expect::NotReach {
                host: host.to_string(),
            };
            match row.how {
                How::Direct | How::Snat => {
                    probes.push(probe(direct, "direct", reach(seen_as(sender, row.how))));
                }
                How::Nat => {
                    let (dst, via) = match &to {
                        Side::Pods(_) => (mapped, "mapped"),
                        Side::Host(_) => (direct, "direct"),
                    };
                    probes.push(probe(dst, via, reach(seen_as(sender, How::Nat))));
                }
                How::Gateway => {
                    probes.push(probe(direct, "direct", not_reach(&target.label)));
                    let (dst, host) = match gateway {
                        Some(g) => (Some(SocketAddrV4::new(g.ip, g.port)), g.backend.clone()),
                        None => (None, target.label.clone()),
                    };
                    let egress = match &from {
                        Side::Pods(c) => c.egress,
                        Side::Host(_) => How::Direct,
                    };
                    probes.push(probe(
                        dst,
                        "gateway",
                        Expect::Reach {
                            host,
                            seen: seen_as(sender, egress),
                        },
                    ));
                }
                How::None => {
                    probes.push(probe(direct, "direct", not_reach(&target.label)));
                    if mapped.is_some() {
                        probes.push(probe(mapped, "mapped", not_reach(&target.label)));
                    }
                    if let Some(g) = gateway {
                        probes.push(probe(
                            Some(SocketAddrV4::new(g.ip, g.port)),
                            "gateway",
                            not_reach(&g.backend),
                        ));
                    }
                }
            }
        }
        claims.push(Claim {
            from: row.from.clone(),
            to: row.to.clone(),
            how: row.how,
            probes,
        });
    }
    Ok(claims)
}

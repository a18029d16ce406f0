//! A validated request with every default applied and every size computed: what all the
//! planners share. Validation errors name the offending field.

use crate::text::quoted;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::OnceCell;

use super::lock::{reserve_bits, Lock};
use super::request::{ClusterFamily, ClusterSpec, PlanRequest, RangeKind};
use super::sizing::{
    cluster_pod_len, ClusterSizing, MAX_NODE_MASK_DIFFERENCE, MAX_SERVICE_HOST_BITS,
};
use crate::limits::{MAX_NAME_LEN, MAX_PREFIXES};
use crate::{AddrSet, Error, Family, Prefix, Result};

/// Most clusters one request may plan: beyond any fleet planned as one, and it keeps the
/// cluster-to-cluster reachability matrix (quadratic in clusters) under 250,000 rows.
pub const MAX_CLUSTERS: usize = 500;

/// Most pools times clusters one request may plan. In flat and mapped plans (and for IPv6
/// in every model) each cluster's `non_masquerade_cidrs`, and so its ip-masq-agent
/// ConfigMap, lists the pools: 20,000 pools and 100 clusters made 2 million entries (44 MB
/// of ConfigMaps) from a request of 400 KB. A million allows one cluster in a million pools
/// or 500 clusters in 2,000.
pub const MAX_POOLS_TIMES_CLUSTERS: usize = 1_000_000;

/// The request, checked and resolved.
pub(crate) struct Context<'a> {
    pub(crate) req: &'a PlanRequest,
    pub(crate) sizings: Vec<ClusterSizing>,
    pub(crate) pools_v4: Vec<Prefix>,
    pub(crate) pools_v6: Vec<Prefix>,
    /// Union of all allocations.
    pub(crate) allocated: AddrSet,
    /// Union of the allocations pods must reach.
    pub(crate) reachable: AddrSet,
    /// Union of every pinned range of every cluster.
    pub(crate) pinned: AddrSet,
    /// Archipelago groups in order of first appearance: (name, cluster indices).
    pub(crate) groups: Vec<(String, Vec<usize>)>,
    /// Per cluster: the bits of growth its new unique ranges are placed with room for.
    pub(crate) reserve_bits: Vec<u8>,
    /// The previous plan's ranges, matched to the clusters (empty when there is none).
    pub(crate) lock: Lock,
    /// Per kind of range ([`RangeKind`] order Node, Pod, Service) and family (IPv4,
    /// IPv6): the space its ranges may take, the kind's pools less what the cloud's rules
    /// keep out.
    pub(crate) spaces: [[Vec<Prefix>; 2]; 3],
    /// Per family: the space the network routes, `pools` with the node and pod pools
    /// (pod pools only when pods live in the network, not behind an AKS overlay).
    pub(crate) routed: [Vec<Prefix>; 2],
    /// Sets every model's draft needs, computed on first use.
    cache: Cache,
}

/// Sets derived from a [`Context`] that every model's draft needs: with 10^6 allocations
/// each is a pass over a million intervals, once per plan instead of once per model.
#[derive(Default)]
struct Cache {
    /// `allocated` and `pinned`.
    blocked: OnceCell<AddrSet>,
    /// `reachable` and `pinned`.
    blocked_reachable: OnceCell<AddrSet>,
    /// Per kind of range: its IPv4 space less `blocked`.
    free_v4: [OnceCell<AddrSet>; 3],
    /// Per kind of range: its IPv4 space less `blocked_reachable`.
    unshadowed_v4: [OnceCell<AddrSet>; 3],
}

impl<'a> Context<'a> {
    /// Validates `req` and computes every size.
    pub(crate) fn new(req: &'a PlanRequest) -> Result<Context<'a>> {
        let network = &req.network;
        if network.pools.is_empty() {
            return Err(Error::invalid_spec(
                "network.pools",
                "at least one pool is needed, e.g. [\"10.0.0.0/8\"]",
            ));
        }
        let listed_prefixes = network.pools.len()
            + network.node_pools.len()
            + network.pod_pools.len()
            + network.service_pools.len()
            + network.allocations.len();
        if listed_prefixes > MAX_PREFIXES {
            return Err(Error::limit(
                "pools and allocations",
                MAX_PREFIXES as u128,
                listed_prefixes as u128,
            ));
        }
        check_disjoint(&network.pools, "network.pools")?;
        super::cloud::check_cni(network.cloud, network.cni)?;
        for kind in RangeKind::ALL {
            let own = match kind {
                RangeKind::Node => &network.node_pools,
                RangeKind::Pod => &network.pod_pools,
                RangeKind::Service => &network.service_pools,
            };
            check_disjoint(own, kind.field())?;
        }
        if req.clusters.is_empty() {
            return Err(Error::invalid_spec(
                "clusters",
                "at least one cluster is needed",
            ));
        }
        if req.clusters.len() > MAX_CLUSTERS {
            return Err(Error::limit(
                "clusters",
                MAX_CLUSTERS as u128,
                req.clusters.len() as u128,
            ));
        }
        let listed = network.pools.len().saturating_mul(req.clusters.len());
        if listed > MAX_POOLS_TIMES_CLUSTERS {
            return Err(Error::limit(
                "pools times clusters (each cluster lists the pools it need not masquerade)",
                MAX_POOLS_TIMES_CLUSTERS as u128,
                listed as u128,
            ));
        }
        // Each name's first holder, for duplicate names, among the names before the first
        // one check_name rejects: the loop never gets further, and no overlong name is
        // ever compared.
        let allocations = &network.allocations;
        let checked = checked_names(allocations.iter().map(|a| a.name.as_str()));
        let first_named =
            crate::sort::first_equal_str(allocations[..checked].iter().map(|a| a.name.as_str()));
        for (i, a) in network.allocations.iter().enumerate() {
            let first = first_named.get(i).copied().unwrap_or(i);
            if first == i && checked_names(core::iter::once(a.name.as_str())) == 1 {
                continue; // the field is named only for an error: 10^6 names are common
            }
            let field = format!("network.allocations[{i}].name");
            check_name(&a.name, &field, "bytes in an allocation name")?;
            if first != i {
                return Err(Error::invalid_spec(
                    field,
                    format!(
                        "{} is also the name of allocations[{first}]",
                        quoted(&a.name)
                    ),
                ));
            }
        }
        let clusters = &req.clusters;
        let checked = checked_names(clusters.iter().map(|c| c.name.as_str()));
        let first_named =
            crate::sort::first_equal(checked, &mut |a, b| clusters[a].name.cmp(&clusters[b].name));
        let mut sizings = Vec::with_capacity(req.clusters.len());
        let mut pinned = Vec::new();
        let default_bits = match req.growth_reserve {
            Some(factor) => reserve_bits(factor, "growth_reserve")?,
            None => 0,
        };
        let mut bits = Vec::with_capacity(req.clusters.len());
        for (i, cluster) in req.clusters.iter().enumerate() {
            let field = format!("clusters[{i}].name");
            check_name(&cluster.name, &field, "bytes in a cluster name")?;
            let first = first_named[i];
            if first != i {
                return Err(Error::invalid_spec(
                    field,
                    format!(
                        "{} is also the name of clusters[{first}]",
                        quoted(&cluster.name)
                    ),
                ));
            }
            if let Some(group) = &cluster.group {
                check_name(
                    group,
                    &format!("clusters[{i}].group"),
                    "bytes in a group name",
                )?;
            }
            let pins = [
                ("pod_cidr", cluster.pod_cidr, Family::V4),
                ("service_cidr", cluster.service_cidr, Family::V4),
                ("pod_cidr_v6", cluster.pod_cidr_v6, Family::V6),
                ("service_cidr_v6", cluster.service_cidr_v6, Family::V6),
            ];
            for (name, pin, family) in pins {
                let Some(pin) = pin else { continue };
                let field = format!("clusters[{i}].{name}");
                let wanted = match family {
                    Family::V4 => cluster.family.has_v4(),
                    Family::V6 => cluster.family.has_v6(),
                };
                if pin.family() != family {
                    let hint = match family {
                        Family::V4 => "use pod_cidr_v6 / service_cidr_v6 for IPv6 ranges",
                        Family::V6 => "use pod_cidr / service_cidr for IPv4 ranges",
                    };
                    return Err(Error::invalid_spec(
                        field,
                        format!("{pin} is {}; {hint}", pin.family()),
                    ));
                }
                if !wanted {
                    return Err(Error::invalid_spec(
                        field,
                        format!("the cluster's family is {}", family_name(cluster.family)),
                    ));
                }
                if name.starts_with("service_cidr") && pin.host_bits() > MAX_SERVICE_HOST_BITS {
                    return Err(Error::invalid_spec(
                        field,
                        format!(
                            "{pin} has {} host bits; the API server refuses a service range of \
                             more than {MAX_SERVICE_HOST_BITS} (IPv4 /12, IPv6 /108)",
                            pin.host_bits()
                        ),
                    ));
                }
                pinned.push(pin);
            }
            let sizing = ClusterSizing::of(cluster, i, network)?;
            if cluster.existing {
                check_existing(cluster, i, sizing.pods_in_node_subnet)?;
            }
            if let Some(subnet) = cluster.node_subnet {
                if subnet.family() != sizing.node_family {
                    return Err(Error::invalid_spec(
                        format!("clusters[{i}].node_subnet"),
                        format!(
                            "{subnet} is {}; the nodes of a {} cluster need {}",
                            subnet.family(),
                            family_name(cluster.family),
                            sizing.node_family
                        ),
                    ));
                }
                pinned.push(subnet);
            }
            sizings.push(sizing);
            bits.push(match cluster.growth_reserve {
                Some(factor) => reserve_bits(factor, &format!("clusters[{i}].growth_reserve"))?,
                None => default_bits,
            });
        }

        let pools_v4: Vec<Prefix> = network
            .pools
            .iter()
            .copied()
            .filter(|p| p.family() == Family::V4)
            .collect();
        let pools_v6: Vec<Prefix> = network
            .pools
            .iter()
            .copied()
            .filter(|p| p.family() == Family::V6)
            .collect();
        let spaces = RangeKind::ALL_BY_INDEX.map(|kind| {
            let limit = super::cloud::limited_to(network.cloud, kind);
            let excluded = super::cloud::excluded(network.cloud, network.cni, kind, &network.vpc());
            [Family::V4, Family::V6].map(|family| {
                let mut set = AddrSet::from_prefixes(&network.pools_for_family(kind, family));
                if let (Family::V4, Some(limit)) = (family, &limit) {
                    set = set.intersection(limit);
                }
                set.difference(&excluded).to_prefixes()
            })
        });
        let routed = [Family::V4, Family::V6].map(|family| {
            let mut listed: Vec<Prefix> = network.pools.clone();
            listed.extend(network.node_pools.iter().copied());
            if !network.cni.pods_outside_network() {
                listed.extend(network.pod_pools.iter().copied());
            }
            listed.retain(|p| p.family() == family);
            AddrSet::from_prefixes(&listed).to_prefixes()
        });
        for (i, cluster) in req.clusters.iter().enumerate() {
            if cluster.family.has_v4() && pools_v4.is_empty() {
                return Err(Error::invalid_spec(
                    "network.pools",
                    format!(
                        "cluster {} (clusters[{i}]) needs IPv4 ranges but no pool is IPv4",
                        quoted(&cluster.name)
                    ),
                ));
            }
            if cluster.family.has_v6() && pools_v6.is_empty() {
                return Err(Error::invalid_spec(
                    "network.pools",
                    format!(
                        "cluster {} (clusters[{i}]) needs IPv6 ranges but no pool is IPv6",
                        quoted(&cluster.name)
                    ),
                ));
            }
        }

        let all: Vec<Prefix> = network.allocations.iter().map(|a| a.cidr).collect();
        let allocated = AddrSet::from_prefixes(&all);
        // Allocations are reachable unless marked otherwise: then the set is the same one.
        let reachable = if network.allocations.iter().all(|a| a.reachable) {
            allocated.clone()
        } else {
            let listed: Vec<Prefix> = network
                .allocations
                .iter()
                .filter(|a| a.reachable)
                .map(|a| a.cidr)
                .collect();
            AddrSet::from_prefixes(&listed)
        };

        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        // A cluster without a group is a group of one, named after it; a cluster named
        // like an explicit group joins it, which is what such a name suggests. Groups are
        // numbered in order of first appearance.
        let group_name = |i: usize| {
            let cluster = &req.clusters[i];
            cluster.group.as_deref().unwrap_or(cluster.name.as_str())
        };
        let first_in_group = crate::sort::first_equal(req.clusters.len(), &mut |a, b| {
            group_name(a).cmp(group_name(b))
        });
        let mut group_at: Vec<usize> = Vec::with_capacity(req.clusters.len());
        for (i, &first) in first_in_group.iter().enumerate() {
            if first == i {
                group_at.push(groups.len());
                groups.push((String::from(group_name(i)), alloc::vec![i]));
            } else {
                let g = group_at[first];
                group_at.push(g);
                groups[g].1.push(i);
            }
        }

        Ok(Context {
            req,
            sizings,
            pools_v4,
            pools_v6,
            allocated,
            reachable,
            pinned: AddrSet::from_prefixes(&pinned),
            groups,
            reserve_bits: bits,
            lock: Lock {
                kept: alloc::vec![None; req.clusters.len()],
                ..Lock::default()
            },
            spaces,
            routed,
            cache: Cache::default(),
        })
        .and_then(|ctx| {
            super::cloud::check_pins(&ctx)?;
            Ok(ctx)
        })
    }

    /// The space the network routes in `family` (see [`Context::routed`]'s field).
    pub(crate) fn routed(&self, family: Family) -> &[Prefix] {
        &self.routed[usize::from(family == Family::V6)]
    }

    /// The space ranges of `kind` and `family` may take: the kind's pools less what the
    /// cloud's rules keep out (`docs/clouds.md`).
    pub(crate) fn space(&self, kind: RangeKind, family: Family) -> &[Prefix] {
        &self.spaces[kind as usize][usize::from(family == Family::V6)]
    }

    /// `set` less what the cloud's rules keep ranges of `kind` out of (IPv4 limits apply
    /// to IPv4 addresses only).
    pub(crate) fn restrict(&self, kind: RangeKind, set: AddrSet) -> AddrSet {
        let network = &self.req.network;
        let mut set = set;
        if let Some(limit) = super::cloud::limited_to(network.cloud, kind) {
            let v6 = set.intersection(&AddrSet::from_prefixes(&[Prefix::from_parts(
                Family::V6,
                0,
                0,
            )]));
            set = set.intersection(&limit).union(&v6);
        }
        set.difference(&super::cloud::excluded(
            network.cloud,
            network.cni,
            kind,
            &network.vpc(),
        ))
    }

    /// Every kind's space of `family` together: where any planned range may lie.
    pub(crate) fn any_space(&self, family: Family) -> AddrSet {
        RangeKind::ALL.iter().fold(AddrSet::new(), |set, &kind| {
            set.union(&AddrSet::from_prefixes(self.space(kind, family)))
        })
    }

    /// The space of `kind` and `family` named for a sentence, like [`Context::pool_names`].
    pub(crate) fn space_names(&self, kind: RangeKind, family: Family) -> String {
        if self.space(kind, family) == self.pools(family) {
            return self.pool_names(family);
        }
        let shown = names(self.space(kind, family));
        if shown.is_empty() {
            format!("no space ({} less the cloud's rules)", kind.field())
        } else {
            shown
        }
    }

    /// This context with the previous plan's ranges: each kept cluster keeps its per-node
    /// masks (a node's range cannot change under a running cluster), so its pod range
    /// lengths are what its masks need for its `max_nodes` now.
    pub(crate) fn locked(&self, lock: Lock) -> Result<Context<'a>> {
        let mut sizings = self.sizings.clone();
        for (i, kept) in lock.kept.iter().enumerate() {
            let (Some(kept), Some(sizing)) = (kept, sizings.get_mut(i)) else {
                continue;
            };
            let family = self.req.clusters.get(i).map(|c| c.family);
            for (has, name, is_v6) in [
                (kept.pod_v4().is_some(), "IPv4", false),
                (kept.pod_v6().is_some(), "IPv6", true),
            ] {
                let wanted = family.is_some_and(|f| if is_v6 { f.has_v6() } else { f.has_v4() });
                if has && !wanted {
                    return Err(Error::invalid_spec(
                        format!("clusters[{i}].family"),
                        format!(
                            "the previous plan gives cluster {} {name} ranges, which cannot be                              dropped while it is kept; release it to plan it anew",
                            quoted(&kept.name)
                        ),
                    ));
                }
            }
            if let Some(spec) = self.req.clusters.get(i) {
                let pins = [
                    ("pod_cidr", spec.pod_cidr, kept.pod_v4()),
                    ("service_cidr", spec.service_cidr, kept.service_v4()),
                    ("node_subnet", spec.node_subnet, Some(kept.node_subnet)),
                    ("pod_cidr_v6", spec.pod_cidr_v6, kept.pod_v6()),
                    ("service_cidr_v6", spec.service_cidr_v6, kept.service_v6()),
                ];
                for (field, pin, kept_range) in pins {
                    if let (Some(pin), Some(kept_range)) = (pin, kept_range) {
                        if pin != kept_range {
                            return Err(Error::invalid_spec(
                                format!("clusters[{i}].{field}"),
                                format!(
                                    "{pin} differs from {kept_range}, which the previous plan \
                                     gives cluster {}; release it to move it",
                                    quoted(&kept.name)
                                ),
                            ));
                        }
                    }
                }
            }
            let pod_len = |mask: u8| {
                cluster_pod_len(mask, sizing.max_nodes)
                    .unwrap_or(mask.saturating_sub(MAX_NODE_MASK_DIFFERENCE))
            };
            if kept.pod_v4().is_some() && !sizing.pods_in_node_subnet {
                sizing.node_pod_mask = Some(kept.node_pod_mask);
                sizing.pod_len = Some(pod_len(kept.node_pod_mask));
            }
            if kept.pod_v6().is_some() {
                let mask = match kept.pod_v4() {
                    Some(_) => kept.node_pod_mask_v6.unwrap_or(64),
                    None => kept.node_pod_mask,
                };
                sizing.node_pod_mask_v6 = Some(mask);
                sizing.pod_len_v6 = Some(pod_len(mask));
            }
        }
        Ok(Context {
            req: self.req,
            sizings,
            pools_v4: self.pools_v4.clone(),
            pools_v6: self.pools_v6.clone(),
            allocated: self.allocated.clone(),
            reachable: self.reachable.clone(),
            pinned: self.pinned.clone(),
            groups: self.groups.clone(),
            reserve_bits: self.reserve_bits.clone(),
            lock,
            spaces: self.spaces.clone(),
            routed: self.routed.clone(),
            cache: Cache::default(),
        })
    }

    /// Every allocation and pinned range: what no new range may take.
    pub(crate) fn blocked(&self) -> &AddrSet {
        self.cache
            .blocked
            .get_or_init(|| self.allocated.union(&self.pinned))
    }

    /// Every allocation pods must reach and every pinned range: what no shared range may
    /// shadow.
    pub(crate) fn blocked_reachable(&self) -> &AddrSet {
        self.cache.blocked_reachable.get_or_init(|| {
            if self.reachable == self.allocated {
                self.blocked().clone()
            } else {
                self.reachable.union(&self.pinned)
            }
        })
    }

    /// The IPv4 space of `kind` less [`Context::blocked`].
    pub(crate) fn free_v4(&self, kind: RangeKind) -> &AddrSet {
        self.cache.free_v4[kind as usize].get_or_init(|| {
            AddrSet::from_prefixes(self.space(kind, Family::V4)).difference(self.blocked())
        })
    }

    /// The IPv4 space of `kind` less [`Context::blocked_reachable`].
    pub(crate) fn unshadowed_v4(&self, kind: RangeKind) -> &AddrSet {
        self.cache.unshadowed_v4[kind as usize].get_or_init(|| {
            if self.reachable == self.allocated {
                self.free_v4(kind).clone()
            } else {
                AddrSet::from_prefixes(self.space(kind, Family::V4))
                    .difference(self.blocked_reachable())
            }
        })
    }

    /// The pools of `family`.
    pub(crate) fn pools(&self, family: Family) -> &[Prefix] {
        match family {
            Family::V4 => &self.pools_v4,
            Family::V6 => &self.pools_v6,
        }
    }

    /// The group index of each cluster.
    pub(crate) fn group_of(&self) -> Vec<usize> {
        let mut of = alloc::vec![0; self.req.clusters.len()];
        for (g, (_, members)) in self.groups.iter().enumerate() {
            for &m in members {
                if let Some(slot) = of.get_mut(m) {
                    *slot = g;
                }
            }
        }
        of
    }

    /// Pools of `family` named for a sentence: "10.0.0.0/8" or "10.0.0.0/8, 172.16.0.0/12".
    pub(crate) fn pool_names(&self, family: Family) -> String {
        // Messages name a few pools, not all: with thousands of pools every reason and
        // warning would repeat the whole list.
        names(self.pools(family))
    }
}

/// Prefixes named for a sentence; messages name a few, not all.
fn names(pools: &[Prefix]) -> String {
    const SHOWN: usize = 8;
    let mut out = String::new();
    for (i, p) in pools.iter().take(SHOWN).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&format!("{p}"));
    }
    if pools.len() > SHOWN {
        out.push_str(&format!(" and {} more pools", pools.len() - SHOWN));
    }
    out
}

/// Overlapping pools would count space twice; sorted, any overlap shows between
/// neighbours because prefixes either nest or are disjoint.
fn check_disjoint(list: &[Prefix], field: &str) -> Result<()> {
    let mut pools: Vec<(Prefix, usize)> = list.iter().copied().zip(0..).collect();
    pools.sort();
    for pair in pools.windows(2) {
        if let [(a, i), (b, j)] = pair {
            if a.overlaps(b) {
                let (first, second) = if i < j {
                    ((a, i), (b, j))
                } else {
                    ((b, j), (a, i))
                };
                return Err(Error::invalid_spec(
                    format!("{field}[{}]", second.1),
                    format!(
                        "{} overlaps {field}[{}] {}; list each range once",
                        second.0, first.1, first.0
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A name is needed, and one longer than [`MAX_NAME_LEN`] is a limit, as in carving.
/// How many names come before the first one [`check_name`] rejects.
fn checked_names<'n>(mut names: impl ExactSizeIterator<Item = &'n str>) -> usize {
    let all = names.len();
    names
        .position(|name| name.is_empty() || name.len() > MAX_NAME_LEN)
        .unwrap_or(all)
}

fn check_name(name: &str, field: &str, what: &'static str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::invalid_spec(field, "a name is needed"));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(Error::limit(what, MAX_NAME_LEN as u128, name.len() as u128));
    }
    Ok(())
}

fn family_name(family: ClusterFamily) -> &'static str {
    match family {
        ClusterFamily::Ipv4 => "ipv4",
        ClusterFamily::Ipv6 => "ipv6",
        ClusterFamily::Dual => "dual",
    }
}

/// A cluster that runs already (`existing`) has every range its family needs pinned: the
/// planner never invents a range for it, so a missing one is an error naming the field
/// and where its value is found.
fn check_existing(cluster: &ClusterSpec, i: usize, pods_in_node_subnet: bool) -> Result<()> {
    let v4 = cluster.family.has_v4();
    let v6 = cluster.family.has_v6();
    let needed = [
        (
            "pod_cidr",
            v4 && !pods_in_node_subnet,
            cluster.pod_cidr.is_some(),
            "its cluster CIDR (kube-controller-manager --cluster-cidr, kubeadm's podSubnet: \
             import the kubeadm-config ConfigMap); the nodes' pod ranges are only part of it",
        ),
        (
            "service_cidr",
            v4,
            cluster.service_cidr.is_some(),
            "its service range (kube-apiserver --service-cluster-ip-range, kubeadm's \
             serviceSubnet: import the kubeadm-config ConfigMap)",
        ),
        (
            "pod_cidr_v6",
            v6,
            cluster.pod_cidr_v6.is_some(),
            "its IPv6 cluster CIDR (kube-controller-manager --cluster-cidr)",
        ),
        (
            "service_cidr_v6",
            v6,
            cluster.service_cidr_v6.is_some(),
            "its IPv6 service range (kube-apiserver --service-cluster-ip-range)",
        ),
        (
            "node_subnet",
            true,
            cluster.node_subnet.is_some(),
            "a prefix holding every node's InternalIP (import `kubectl get nodes -o json`)",
        ),
    ];
    match needed.iter().find(|(_, need, has, _)| *need && !*has) {
        None => Ok(()),
        Some((field, _, _, what)) => Err(Error::invalid_spec(
            format!("clusters[{i}].{field}"),
            format!(
                "cluster {} exists (existing: true), so its ranges are pinned, never planned; \
                 pin {field}: {what}",
                quoted(&cluster.name)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::{AllocationSpec, ClusterSpec, Network};
    use alloc::string::ToString;
    use alloc::vec;

    fn request(allocations: &[&str], clusters: &[(&str, Option<&str>)]) -> PlanRequest {
        PlanRequest {
            network: Network {
                pools: vec!["10.0.0.0/8".parse().unwrap()],
                allocations: allocations
                    .iter()
                    .enumerate()
                    .map(|(i, name)| AllocationSpec {
                        name: name.to_string(),
                        cidr: Prefix::new(Family::V4, 0x0a00_0000 + ((i as u128) << 8), 24)
                            .unwrap(),
                        reachable: true,
                        origin: None,
                        labels: Default::default(),
                    })
                    .collect(),
                ..Network::default()
            },
            clusters: clusters
                .iter()
                .map(|(name, group)| ClusterSpec {
                    name: name.to_string(),
                    nodes: 3,
                    group: group.map(String::from),
                    ..ClusterSpec::default()
                })
                .collect(),
            ..PlanRequest::default()
        }
    }

    fn error(req: &PlanRequest) -> String {
        match Context::new(req) {
            Ok(_) => panic!("accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_reused_name_names_its_first_holder() {
        let c = [("c", None)];
        let e = error(&request(&["x", "y", "z", "y", "x"], &c));
        assert!(
            e.contains("allocations[3]") && e.contains("\"y\" is also the name of allocations[1]"),
            "{e}"
        );
        let e = error(&request(&["x"], &[("a", None), ("b", None), ("a", None)]));
        assert!(
            e.contains("clusters[2]") && e.contains("\"a\" is also the name of clusters[0]"),
            "{e}"
        );
        let long = "n".repeat(MAX_NAME_LEN + 1);
        let e = error(&request(&["x", &long, "x"], &c));
        assert!(e.contains("allocation name"), "{e}");
    }

    #[test]
    fn groups_come_in_order_of_first_appearance() {
        let req = request(
            &[],
            &[
                ("a", Some("g2")),
                ("b", None),
                ("c", Some("g1")),
                ("d", Some("g2")),
                ("g1", None),
            ],
        );
        let ctx = Context::new(&req).unwrap();
        let groups: Vec<(&str, &[usize])> = ctx
            .groups
            .iter()
            .map(|(n, m)| (n.as_str(), m.as_slice()))
            .collect();
        assert_eq!(
            groups,
            [("g2", &[0, 3][..]), ("b", &[1][..]), ("g1", &[2, 4][..])]
        );
    }
}

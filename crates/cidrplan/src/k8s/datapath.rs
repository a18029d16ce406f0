//! What a cluster's nodes do with pod traffic, decided once per cluster and family.
//!
//! Every export renders a [`Datapath`] and the reachability matrix is read from it, so no
//! two exports, and no export and the matrix, can disagree (see `docs/datapath.md`).

use alloc::vec::Vec;

use super::context::Context;
use super::draft::{Draft, PlacedRanges};
use super::model::NetworkModel;
use super::reachability::How;
use crate::{aggregate, AddrSet, Family, Prefix};

/// How pod traffic crosses between nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Routing {
    /// The network routes each node's pod range: packets carry pod addresses.
    Native,
    /// Pod traffic between nodes is encapsulated (VXLAN); the network never sees pod
    /// addresses.
    Tunnel,
}

impl Routing {
    /// The wire name (`"native"`, `"tunnel"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Routing::Native => "native",
            Routing::Tunnel => "tunnel",
        }
    }
}

/// One cluster's treatment of pod traffic for one family: the single decision every
/// export renders and the reachability matrix is read from.
///
/// A destination is treated, in this order: outside `allowed_egress` (when set): `none`;
/// inside `keep_source`: `direct`; inside `mapped_toward`: `nat`; else `otherwise`
/// ([`Datapath::egress_to`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Datapath {
    /// The family this entry decides.
    pub family: Family,
    /// The cluster's pod range of this family.
    pub pod_cidr: Prefix,
    /// Further pod ranges of this family (a cluster that outgrew its pod range): pods in
    /// them are the cluster's own, treated as `pod_cidr` is.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub extra_pod_cidrs: Vec<Prefix>,
    /// Destinations pods reach with their own address (no NAT): the own pod range and
    /// what the network routes to pods. Minimal CIDRs, ascending.
    pub keep_source: Vec<Prefix>,
    /// Mapped only: the range the pod range is mapped to, offset for offset.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub external_pod_cidr: Option<Prefix>,
    /// Mapped only: destinations that see pods at their mapped address. Minimal CIDRs.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub mapped_toward: Vec<Prefix>,
    /// Every other destination, the internet included: `snat` (masquerade as the node),
    /// `direct` (a globally routable pod range) or `none`.
    pub otherwise: How,
    /// Isolated only: the only destinations pods may open connections to.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub allowed_egress: Option<Vec<Prefix>>,
    /// Isolated only: the only sources that may open connections to pods (gateway pods,
    /// labelled `cidrplan.io/gateway: "true"`, accept connections from anywhere).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub allowed_ingress: Option<Vec<Prefix>>,
    /// Whether the network routes pod ranges or pods are tunnelled between nodes.
    pub routing: Routing,
    /// How the network reaches the pods.
    pub ingress: How,
}

impl Datapath {
    /// How pod traffic to `address` (of this family) leaves the cluster.
    ///
    /// ```
    /// use cidrplan::k8s::{example, plan, How};
    /// let plan = plan(&example())?;
    /// let dp = &plan.clusters[0].datapath[0];
    /// assert_eq!(dp.egress_to(0x0a80_0101), How::Direct); // 10.128.1.1, in the network
    /// assert_eq!(dp.egress_to(0x0808_0808), How::Snat); // 8.8.8.8, the internet
    /// # Ok::<(), cidrplan::Error>(())
    /// ```
    pub fn egress_to(&self, address: u128) -> How {
        if let Some(allowed) = &self.allowed_egress {
            if !within(allowed, address) {
                return How::None;
            }
        }
        if within(&self.keep_source, address) {
            How::Direct
        } else if within(&self.mapped_toward, address) {
            How::Nat
        } else {
            self.otherwise
        }
    }

    /// Destinations the CNI must not masquerade: `keep_source` and `mapped_toward` (the
    /// mapping translates those), or the whole family when nothing is masqueraded.
    /// Minimal CIDRs, ascending: ip-masq-agent's `nonMasqueradeCIDRs`.
    pub fn no_masquerade(&self) -> Vec<Prefix> {
        if self.otherwise != How::Snat {
            // Length 0 at address 0 is always a valid prefix.
            return Prefix::new(self.family, 0, 0).into_iter().collect();
        }
        let mut all = self.keep_source.clone();
        all.extend(self.mapped_toward.iter().copied());
        aggregate(&all)
    }

    /// Whether pod traffic to some destinations is masqueraded as the node.
    pub fn masquerades(&self) -> bool {
        self.otherwise == How::Snat
    }

    /// The no-masquerade destinations outside the pod range itself: what a CNI that
    /// masquerades toward "anything not in a pool" (Calico) must be told separately.
    pub fn no_masquerade_beyond_pods(&self) -> Vec<Prefix> {
        if !self.masquerades() {
            return Vec::new();
        }
        AddrSet::from_prefixes(&self.no_masquerade())
            .difference(&AddrSet::from_prefixes(&self.pod_cidrs()))
            .to_prefixes()
    }

    /// Every pod range of this family: `pod_cidr`, then `extra_pod_cidrs`.
    pub fn pod_cidrs(&self) -> Vec<Prefix> {
        let mut all = alloc::vec![self.pod_cidr];
        all.extend(self.extra_pod_cidrs.iter().copied());
        all
    }
}

/// Whether `address` lies in `sorted`, a list of disjoint prefixes in ascending order.
fn within(sorted: &[Prefix], address: u128) -> bool {
    let after = sorted.partition_point(|p| p.first() <= address);
    after
        .checked_sub(1)
        .and_then(|i| sorted.get(i))
        .is_some_and(|p| p.last() >= address)
}

/// IANA's special-purpose IPv4 blocks that are not globally reachable (RFC 6890 and its
/// registry): a pod range inside one is masqueraded toward the internet.
const NOT_GLOBAL_V4: [(u128, u8); 13] = [
    (0x0000_0000, 8),  // "this network"
    (0x0a00_0000, 8),  // RFC 1918
    (0x6440_0000, 10), // RFC 6598 shared address space
    (0x7f00_0000, 8),  // loopback
    (0xa9fe_0000, 16), // link-local
    (0xac10_0000, 12), // RFC 1918
    (0xc000_0000, 24), // IETF protocol assignments
    (0xc000_0200, 24), // TEST-NET-1
    (0xc0a8_0000, 16), // RFC 1918
    (0xc612_0000, 15), // benchmarking
    (0xc633_6400, 24), // TEST-NET-2
    (0xcb00_7100, 24), // TEST-NET-3
    (0xf000_0000, 4),  // class E (and broadcast)
];

/// Whether `range` lies in globally routable unicast space (IPv6: inside 2000::/3 and
/// outside the documentation ranges 2001:db8::/32 and 3fff::/20).
pub(crate) fn globally_routable(range: &Prefix) -> bool {
    match range.family() {
        Family::V4 => !NOT_GLOBAL_V4.iter().any(|&(first, len)| {
            Prefix::new(Family::V4, first, len).is_ok_and(|block| block.overlaps(range))
        }),
        Family::V6 => {
            let global = Prefix::new(Family::V6, 0x2000_u128 << 112, 3);
            let documentation = [
                Prefix::new(Family::V6, 0x2001_0db8_u128 << 96, 32),
                Prefix::new(Family::V6, 0x3fff_u128 << 112, 20),
            ];
            global.is_ok_and(|g| g.contains(range))
                && !documentation.iter().flatten().any(|d| d.overlaps(range))
        }
    }
}

/// The decisions of cluster `i` of `draft`, IPv4 first.
pub(crate) fn decide(ctx: &Context<'_>, draft: &Draft, i: usize) -> Vec<Datapath> {
    let Some(placed) = draft.clusters.get(i) else {
        return Vec::new();
    };
    let group_of = ctx.group_of();
    // The cloud routes every node's pod range (vpc_native, overlay, kubenet): nothing is
    // tunnelled, whatever the model says about reaching pods from outside.
    let cloud_routes = ctx.req.network.cni.routes_node_ranges();
    let mut out = Vec::new();
    for (family, pod, service) in [
        (Family::V4, placed.pod, placed.service),
        (Family::V6, placed.pod_v6, placed.service_v6),
    ] {
        let Some(pod) = pod else { continue };
        let model = draft.model;
        let isolated = model == NetworkModel::Isolated;
        let pools = ctx.routed(family);
        let extras: Vec<Prefix> = placed
            .extra_pods
            .iter()
            .copied()
            .filter(|p| p.family() == family)
            .collect();
        let mut keep = alloc::vec![pod];
        keep.extend(extras.iter().copied());
        let mut toward = Vec::new();
        let mut external = None;
        let (routing, ingress);
        if family == Family::V6 {
            // IPv6 ranges are unique in every model: routed as they are, except where
            // the model allows no integration at all.
            if !isolated {
                keep.extend(pools.iter().copied());
            }
            routing = if isolated && !cloud_routes {
                Routing::Tunnel
            } else {
                Routing::Native
            };
            ingress = if isolated { How::Gateway } else { How::Direct };
        } else {
            match model {
                NetworkModel::Flat => keep.extend(pools.iter().copied()),
                NetworkModel::Archipelago => {
                    let mine = group_of.get(i);
                    for (j, other) in draft.clusters.iter().enumerate() {
                        if group_of.get(j) == mine {
                            keep.extend(other.pod);
                        }
                    }
                }
                NetworkModel::Mapped => {
                    external = placed.external;
                    toward = AddrSet::from_prefixes(pools)
                        .difference(&AddrSet::from_prefixes(&[pod]))
                        .to_prefixes();
                }
                NetworkModel::Island | NetworkModel::Isolated => {}
            }
            routing = match model {
                NetworkModel::Flat | NetworkModel::Archipelago => Routing::Native,
                _ if cloud_routes => Routing::Native,
                _ => Routing::Tunnel,
            };
            ingress = match model {
                NetworkModel::Flat => How::Direct,
                NetworkModel::Mapped => How::Nat,
                _ => How::Gateway,
            };
        }
        // A globally routable pod range keeps its address toward the internet only where
        // the network routes it back: IPv4 flat, and IPv6 (unique in every model). A reused
        // range (island, mapped, archipelago) is masqueraded whatever space it is in.
        let routed_back = family == Family::V6 || model == NetworkModel::Flat;
        let otherwise = if isolated {
            How::None
        } else if routed_back && globally_routable(&pod) {
            How::Direct
        } else {
            How::Snat
        };
        let (allowed_egress, allowed_ingress) = if isolated {
            let subnet = placed.node_subnet.filter(|s| s.family() == family);
            let mut egress: Vec<Prefix> =
                [Some(pod), service, subnet].into_iter().flatten().collect();
            egress.extend(extras.iter().copied());
            egress = aggregate(&egress);
            let mut ingress_from: Vec<Prefix> = [Some(pod), subnet].into_iter().flatten().collect();
            ingress_from.extend(extras.iter().copied());
            let ingress_from = aggregate(&ingress_from);
            (Some(egress), Some(ingress_from))
        } else {
            (None, None)
        };
        out.push(Datapath {
            family,
            pod_cidr: pod,
            extra_pod_cidrs: extras,
            keep_source: aggregate(&keep),
            external_pod_cidr: external,
            mapped_toward: toward,
            otherwise,
            allowed_egress,
            allowed_ingress,
            routing,
            ingress,
        });
    }
    out
}

/// The addresses standing for "the network" and "the internet" in each family, found once
/// per plan (the sets behind them hold every allocation).
pub(crate) struct Landmarks {
    network: [Option<u128>; 2],
    internet: [Option<u128>; 2],
}

impl Landmarks {
    /// "The network": the first address of the pools that no planned range and no
    /// allocation uses (else the first pool's first address). "The internet": outside the
    /// pools and every planned range (a documentation address when free, so no real host
    /// is ever named).
    pub(crate) fn of(ctx: &Context<'_>, draft: &Draft) -> Landmarks {
        let planned: Vec<Prefix> = draft.clusters.iter().flat_map(ranges).collect();
        let planned = AddrSet::from_prefixes(&planned);
        let used = ctx.allocated.union(&planned);
        let network = [Family::V4, Family::V6].map(|family| {
            let pools = ctx.pools(family);
            let free = AddrSet::from_prefixes(pools).difference(&used);
            let first_free = match family {
                Family::V4 => free.v4().ranges().first().map(|&(a, _)| u128::from(a)),
                Family::V6 => free.v6().ranges().first().map(|&(a, _)| a),
            };
            first_free.or_else(|| pools.first().map(Prefix::first))
        });
        let internet = [Family::V4, Family::V6].map(|family| {
            let candidates: &[u128] = match family {
                Family::V4 => &[0xc633_6450, 0xcb00_7150, 0xc000_0250, 0x0101_0101],
                Family::V6 => &[
                    0x3fff_u128 << 112 | 0x80,
                    0x2001_0db8_ffff_u128 << 80 | 0x80,
                    0x0100_u128 << 112 | 0x80,
                ],
            };
            let pools = AddrSet::from_prefixes(ctx.pools(family));
            candidates.iter().copied().find(|&a| {
                Prefix::new(family, a, family.bits())
                    .is_ok_and(|p| !pools.overlaps_prefix(&p) && !planned.overlaps_prefix(&p))
            })
        });
        Landmarks { network, internet }
    }

    /// The address standing for "the network" in `family`.
    pub(crate) fn network(&self, family: Family) -> Option<u128> {
        self.network[usize::from(family == Family::V6)]
    }

    /// The address standing for "the internet" in `family`.
    pub(crate) fn internet(&self, family: Family) -> Option<u128> {
        self.internet[usize::from(family == Family::V6)]
    }
}

fn ranges(placed: &PlacedRanges) -> impl Iterator<Item = Prefix> + '_ {
    placed.all_ranges()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Prefix {
        text.parse().unwrap()
    }

    #[test]
    fn private_and_documentation_ranges_are_not_global() {
        for text in [
            "10.1.0.0/16",
            "100.64.0.0/16",
            "240.0.0.0/8",
            "192.168.1.0/24",
            "fd00::/48",
            "2001:db8::/48",
        ] {
            assert!(!globally_routable(&p(text)), "{text}");
        }
        for text in ["34.118.0.0/16", "8.8.8.0/24", "2600:1f00::/40"] {
            assert!(globally_routable(&p(text)), "{text}");
        }
    }

    #[test]
    fn within_finds_the_enclosing_prefix() {
        let list = [p("10.0.0.0/16"), p("10.2.0.0/16")];
        assert!(within(&list, 0x0a00_0001));
        assert!(!within(&list, 0x0a01_0001));
        assert!(within(&list, 0x0a02_ffff));
        assert!(!within(&list, 0x0900_0000));
        assert!(!within(&[], 0));
    }
}

//! Ranges that Kubernetes distributions, clouds and CNIs use when nobody configures them,
//! and that collide with enterprise networks in practice (see `DESIGN.md`; each entry's
//! source is listed in `docs/placement.md`).

use alloc::vec::Vec;

use crate::{AddrSet, Family, Prefix};

/// A range some product takes by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VendorDefault {
    /// Who uses it and for what, e.g. `"kubeadm default service range"`.
    pub what: &'static str,
    /// The range.
    pub prefix: Prefix,
}

const fn v4(what: &'static str, [a, b, c, d]: [u8; 4], len: u8) -> VendorDefault {
    VendorDefault {
        what,
        prefix: Prefix::from_parts(Family::V4, u32::from_be_bytes([a, b, c, d]) as u128, len),
    }
}

/// The table (sources in docs/placement.md): the product brief's list, then the entries
/// issue 16 added.
pub const VENDOR_DEFAULTS: &[VendorDefault] = &[
    v4("kubeadm default service range", [10, 96, 0, 0], 12),
    v4(
        "Flannel and many CNIs' default pod range",
        [10, 244, 0, 0],
        16,
    ),
    v4("Cilium default cluster-pool range", [10, 0, 0, 0], 8),
    v4("AKS default service range", [10, 0, 0, 0], 16),
    v4("AKS reserved range", [172, 30, 0, 0], 16),
    v4("AKS reserved range", [172, 31, 0, 0], 16),
    v4("AKS reserved link-local range", [169, 254, 0, 0], 16),
    v4("AKS reserved documentation range", [192, 0, 2, 0], 24),
    v4("EKS default service range", [10, 100, 0, 0], 16),
    v4("EKS alternate default service range", [172, 20, 0, 0], 16),
    v4("GKE default service range", [34, 118, 224, 0], 20),
    v4("OpenShift default cluster network", [10, 128, 0, 0], 14),
    v4("OpenShift default service network", [172, 30, 0, 0], 16),
    v4(
        "OVN-Kubernetes (OpenShift) transit switch subnet",
        [100, 88, 0, 0],
        16,
    ),
    v4("Calico default IP pool", [192, 168, 0, 0], 16),
    v4("kops default non-masquerade range", [100, 64, 0, 0], 10),
    v4("Submariner Globalnet default range", [242, 0, 0, 0], 8),
    v4("Docker default bridge range", [172, 17, 0, 0], 16),
    v4(
        "OVN-Kubernetes (OpenShift) join subnet",
        [100, 64, 0, 0],
        16,
    ),
    v4("k3s and RKE2 default pod range", [10, 42, 0, 0], 16),
    v4("k3s and RKE2 default service range", [10, 43, 0, 0], 16),
];

/// The known defaults placement steers clear of in `pools`: every default, except inside a
/// pool it covers whole (Cilium's 10.0.0.0/8 on a 10.0.0.0/8 network, kops' 100.64.0.0/10
/// on RFC 6598 space), where no placement could avoid it and the pool's one lint warning
/// says so.
pub(crate) fn avoidable_in(pools: &[Prefix]) -> AddrSet {
    let mut out = AddrSet::new();
    for d in VENDOR_DEFAULTS {
        let covered: Vec<Prefix> = pools
            .iter()
            .copied()
            .filter(|pool| d.prefix.contains(pool))
            .collect();
        let part =
            AddrSet::from_prefixes(&[d.prefix]).difference(&AddrSet::from_prefixes(&covered));
        out = out.union(&part);
    }
    out
}

/// The defaults `range` overlaps, for messages: `"the Docker default bridge range
/// 172.17.0.0/16"`, several joined by "and".
pub(crate) fn describe_overlapping(range: &Prefix) -> alloc::string::String {
    let hits: Vec<alloc::string::String> = VENDOR_DEFAULTS
        .iter()
        .filter(|d| d.prefix.overlaps(range))
        .map(|d| alloc::format!("the {} {}", d.what, d.prefix))
        .collect();
    hits.join(" and ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Prefix {
        s.parse().unwrap()
    }

    #[test]
    fn a_default_covering_a_pool_is_not_avoided_inside_it() {
        let avoid = avoidable_in(&[p("10.0.0.0/8")]);
        // Cilium's 10.0.0.0/8 covers the pool: the rest of 10/8 stays usable...
        assert!(!avoid.contains_prefix(&p("10.2.0.0/16")));
        // ...but the smaller defaults inside it are avoided.
        assert!(avoid.contains_prefix(&p("10.96.0.0/12")));
        assert!(avoid.contains_prefix(&p("10.0.0.0/16")));
        // RFC 6598: kops' /10 covers the space, OVN-Kubernetes' /16s do not.
        let avoid = avoidable_in(&[p("100.64.0.0/10")]);
        assert!(avoid.contains_prefix(&p("100.64.0.0/16")));
        assert!(avoid.contains_prefix(&p("100.88.0.0/16")));
        assert!(!avoid.contains_prefix(&p("100.65.0.0/16")));
        assert!(avoid.contains_prefix(&p("172.17.0.0/16")));
    }

    #[test]
    fn every_default_is_an_aligned_prefix() {
        for d in VENDOR_DEFAULTS {
            let p = d.prefix;
            assert_eq!(
                Prefix::new(Family::V4, p.first(), p.len()),
                Ok(p),
                "{}",
                d.what
            );
        }
    }
}

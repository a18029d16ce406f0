//! Ranges that Kubernetes distributions, clouds and CNIs use when nobody configures them,
//! and that collide with enterprise networks in practice (see `DESIGN.md`).

use crate::{Family, Prefix};

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

/// The table, in the order of `DESIGN.md`.
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
        "OpenShift OVN-Kubernetes internal range",
        [100, 88, 0, 0],
        16,
    ),
    v4("Calico default IP pool", [192, 168, 0, 0], 16),
    v4("kops default non-masquerade range", [100, 64, 0, 0], 10),
    v4("Submariner Globalnet default range", [242, 0, 0, 0], 8),
];

#[cfg(test)]
mod tests {
    use super::*;

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

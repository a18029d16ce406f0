//! Generated documents of every shape import back exactly the ranges they were made from;
//! merging is order-independent; hostile inputs fail with named errors, never panic.

use cidrplan::import::{import, merge, Format, Inventory};
use cidrplan::{Family, Prefix};
use proptest::prelude::*;
use serde_json::json;

fn prefix() -> impl Strategy<Value = Prefix> {
    prop_oneof![
        (any::<u32>(), 8u8..=32).prop_map(|(a, len)| {
            let host = 32 - u32::from(len);
            let first = if host == 32 { 0 } else { (a >> host) << host };
            Prefix::new(Family::V4, u128::from(first), len).unwrap()
        }),
        (any::<u64>(), 16u8..=64).prop_map(|(a, len)| {
            let host = 64 - u32::from(len);
            let top = if host == 64 { 0 } else { (a >> host) << host };
            Prefix::new(Family::V6, u128::from(top) << 64, len).unwrap()
        }),
    ]
}

/// A document of `format` holding `ranges`, each named `r<i>`.
fn document(format: Format, ranges: &[Prefix]) -> String {
    let named = || {
        ranges
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("r{i}"), p.to_string()))
    };
    let v = match format {
        Format::AwsSubnets => json!({"Subnets": named().map(|(n, c)| {
            let p: Prefix = c.parse().unwrap();
            if p.family() == Family::V4 {
                json!({"SubnetId": n, "VpcId": "vpc-1", "CidrBlock": c, "Tags": [{"Key": "Name", "Value": n}]})
            } else {
                json!({"SubnetId": n, "VpcId": "vpc-1", "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": c, "Ipv6CidrBlockState": {"State": "associated"}}]})
            }
        }).collect::<Vec<_>>()}),
        Format::AwsVpcs => json!({"Vpcs": named().map(|(n, c)| json!({"VpcId": n,
            "CidrBlockAssociationSet": [{"CidrBlock": c, "CidrBlockState": {"State": "associated"}}]})).collect::<Vec<_>>()}),
        Format::GcpSubnets => json!(named()
            .map(|(n, c)| json!({"name": n, "ipCidrRange": c,
            "network": "https://x/networks/default"}))
            .collect::<Vec<_>>()),
        Format::AzureVnets => {
            json!({"value": [{"name": "v", "properties": {"addressSpace": {"addressPrefixes": []},
            "subnets": named().map(|(n, c)| json!({"name": n, "properties": {"addressPrefix": c}})).collect::<Vec<_>>()}}]})
        }
        Format::NetboxPrefixes => {
            json!({"count": ranges.len(), "next": null, "results": named().map(|(n, c)|
            json!({"prefix": c, "status": {"value": "active"}, "description": n})).collect::<Vec<_>>()})
        }
        Format::NetboxCsv => {
            let mut s = String::from("prefix,status,description\n");
            for (n, c) in named() {
                s.push_str(&format!("{c},Active,\"{n}\"\n"));
            }
            return s;
        }
        Format::Terraform => {
            json!({"format_version": "1.2", "planned_values": {"root_module": {"resources": [],
            "child_modules": [{"resources": named().map(|(n, c)| {
                let key = if c.contains(':') { "ipv6_cidr_block" } else { "cidr_block" };
                json!({"address": format!("module.m.aws_subnet.{n}"), "mode": "managed", "type": "aws_subnet",
                       "name": n, "values": {key: c, "tags": {"Name": n}}})
            }).collect::<Vec<_>>()}]}}})
        }
        Format::IpRoute => json!(named()
            .map(|(_, c)| json!({"dst": c, "dev": "eth0", "flags": []}))
            .collect::<Vec<_>>()),
        _ => unreachable!(),
    };
    v.to_string()
}

const SHAPES: &[Format] = &[
    Format::AwsSubnets,
    Format::AwsVpcs,
    Format::GcpSubnets,
    Format::AzureVnets,
    Format::NetboxPrefixes,
    Format::NetboxCsv,
    Format::Terraform,
    Format::IpRoute,
];

/// Ranges that no importer skips (loopback, link-local and multicast routes are skipped).
fn ordinary(p: &Prefix) -> bool {
    [
        "127.0.0.0/8",
        "169.254.0.0/16",
        "fe80::/10",
        "::1/128",
        "224.0.0.0/4",
        "ff00::/8",
    ]
    .iter()
    .all(|s| !s.parse::<Prefix>().unwrap().overlaps(p))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_shape_imports_back_exactly(
        ranges in proptest::collection::vec(prefix().prop_filter("ordinary", ordinary), 0..20),
        shape in 0..SHAPES.len(),
    ) {
        let format = SHAPES[shape];
        let text = document(format, &ranges);
        // Named and recognised alike (an empty list is ambiguous and needs the name).
        for named in [Some(format), None] {
            if named.is_none() && ranges.is_empty() {
                continue;
            }
            let inv = import(named, &text, "gen").unwrap();
            prop_assert_eq!(inv.format, format);
            let got: Vec<Prefix> = inv.ranges.iter().map(|r| r.cidr).collect();
            prop_assert_eq!(&got, &ranges);
            if format != Format::IpRoute && format != Format::AwsVpcs {
                let names: Vec<String> = inv.ranges.iter().map(|r| r.name.clone()).collect();
                let want: Vec<String> = (0..ranges.len()).map(|i| format!("r{i}")).collect();
                prop_assert!(names.iter().zip(&want).all(|(n, w)| n.ends_with(w.as_str())), "{:?}", names);
            }
            // The generated VNet has no address space of its own, which is listed as skipped.
            prop_assert_eq!(inv.skipped.len(), usize::from(format == Format::AzureVnets));
        }
    }

    #[test]
    fn merging_is_order_independent(
        ranges in proptest::collection::vec(prefix().prop_filter("ordinary", ordinary), 0..30),
        split in proptest::collection::vec((0..SHAPES.len(), 0usize..30), 1..5),
        seed in any::<u64>(),
    ) {
        let mut inventories: Vec<Inventory> = Vec::new();
        let mut at = 0;
        for (k, (shape, n)) in split.iter().enumerate() {
            let end = (at + n).min(ranges.len());
            let part = &ranges[at..end];
            at = end;
            let format = SHAPES[*shape];
            inventories.push(import(Some(format), &document(format, part), &format!("s{k}")).unwrap());
        }
        let a = merge(&inventories);
        let mut shuffled = inventories.clone();
        let len = shuffled.len();
        let mut s = seed;
        for i in (1..len).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let b = merge(&shuffled);
        prop_assert_eq!(&a.network, &b.network);
        prop_assert_eq!(&a.clusters, &b.clusters);
        prop_assert_eq!(&a.ranges, &b.ranges);
        prop_assert_eq!(&a.skipped, &b.skipped);
        prop_assert_eq!(&a.overlaps, &b.overlaps);
        // One allocation per distinct CIDR in use.
        let mut distinct: Vec<Prefix> = a.ranges.iter().filter(|r| r.kind != cidrplan::import::RangeKind::Network).map(|r| r.cidr).collect();
        distinct.sort();
        distinct.dedup();
        prop_assert_eq!(a.network.allocations.len(), distinct.len());
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}", shape in 0..SHAPES.len()) {
        let _ = import(None, &text, "x");
        let _ = import(Some(SHAPES[shape]), &text, "x");
    }
}

fn err(format: Option<Format>, text: &str) -> String {
    import(format, text, "inv.json").unwrap_err().to_string()
}

#[test]
fn errors_name_the_file_the_path_and_the_value() {
    let e = err(
        None,
        r#"{"Subnets": [{"SubnetId": "s-1", "CidrBlock": "10.0.1.0/24"}, {"SubnetId": "s-2", "CidrBlock": "10.0.1.1/24"}]}"#,
    );
    assert_eq!(
        e,
        r#"invalid inv.json at Subnets[1].CidrBlock: "10.0.1.1/24" has host bits set (the network is 10.0.1.0/24)"#
    );
    let e = err(None, r#"{"Subnets": [{"SubnetId": "s-9"}]}"#);
    assert_eq!(
        e,
        r#"invalid inv.json at Subnets[0]: subnet "s-9" has no CidrBlock and no associated IPv6 block"#
    );
    let e = err(None, r#"{"hello": 1}"#);
    assert!(
        e.starts_with(
            "invalid inv.json: unknown shape (an object no importer knows); name the format"
        ),
        "{e}"
    );
    let e = err(None, "[]");
    assert!(e.contains("unknown shape (an empty list)"), "{e}");
    let e = err(Some(Format::IpRoute), r#"[{"dst": "10.0.0.0/33"}]"#);
    assert!(
        e.starts_with(r#"invalid inv.json at [0].dst: "10.0.0.0/33" is not a CIDR"#),
        "{e}"
    );
    let e = err(None, "{\"Vpcs\": [");
    assert!(e.starts_with("invalid inv.json: not valid JSON"), "{e}");
    let e = err(
        Some(Format::NetboxCsv),
        "prefix,status\n10.0.0.0/8,active\n10.1.0.1/16,active\n",
    );
    assert_eq!(
        e,
        r#"invalid inv.json at row 3: "10.1.0.1/16" has host bits set (the network is 10.1.0.0/16)"#
    );
    let e = err(
        Some(Format::GcpSubnets),
        r#"[{"name": "x", "secondaryIpRanges": [{"rangeName": "a"}]}]"#,
    );
    assert_eq!(
        e,
        "invalid inv.json at [0].secondaryIpRanges[0]: a secondary range without an ipCidrRange"
    );
    assert_eq!(import(None, "x", "f").unwrap_err().code(), "invalid_input");
}

#[test]
fn hostile_inputs_fail_cleanly() {
    // Deep nesting: serde_json's recursion limit, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(import(None, &deep, "deep").is_err());
    let deep_tf = format!(
        r#"{{"format_version":"1","values":{{"root_module":{}}}}}"#,
        (0..100).fold(String::from("{}"), |m, _| format!(
            r#"{{"child_modules":[{m}]}}"#
        ))
    );
    assert!(import(None, &deep_tf, "tf").is_err());
    // Huge CSV field and odd quoting.
    let csv = format!("prefix,description\n10.0.0.0/8,\"{}\n", "x".repeat(1 << 20));
    let inv = import(Some(Format::NetboxCsv), &csv, "big.csv").unwrap();
    assert_eq!(inv.ranges.len(), 1);
    // Wrong types everywhere.
    for text in [
        r#"{"Subnets": 3}"#,
        r#"{"Vpcs": [{"CidrBlockAssociationSet": {"a": 1}}]}"#,
        r#"{"results": "x"}"#,
        r#"{"kind": "NodeList", "items": [{"kind": "Node", "spec": {"podCIDRs": "10.0.0.0/24"}}]}"#,
        r#"{"kind": "ConfigMap", "data": {"ClusterConfiguration": 7}}"#,
        r#"[{"dst": 5}]"#,
        r#"{"value": [{"properties": {"subnets": [{"properties": {}}]}}]}"#,
    ] {
        let e = import(None, text, "h").unwrap_err();
        assert_eq!(e.code(), "invalid_input", "{text}: {e}");
    }
}

#[test]
fn kubeadm_config_pins_the_cluster_and_dual_stack_is_read() {
    let cm = r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kubeadm-config"},
      "data": {"ClusterConfiguration": "apiVersion: kubeadm.k8s.io/v1beta3\nclusterName: prod\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: \"10.244.0.0/16,fd00:10:244::/56\"\n  serviceSubnet: 10.96.0.0/12 # kubeadm default\n"}}"#;
    let inv = import(None, cm, "cm.json").unwrap();
    assert_eq!(inv.format, Format::KubeadmConfig);
    let c = &inv.clusters[0];
    assert_eq!(c.name, "prod");
    assert!(c.existing);
    assert_eq!(c.pod_cidr.unwrap().to_string(), "10.244.0.0/16");
    assert_eq!(c.pod_cidr_v6.unwrap().to_string(), "fd00:10:244::/56");
    assert_eq!(c.service_cidr.unwrap().to_string(), "10.96.0.0/12");
    // Merged alone, the dual cluster lacks its IPv6 service range and its node subnet: it
    // is not kept, and its ranges are allocations of the cluster.
    let f = merge(&[inv]);
    assert!(f.clusters.is_empty());
    assert_eq!(f.warnings[0].unknown, ["service_cidr_v6", "node_subnet"]);
    assert!(
        f.warnings[0].message.contains("kubectl get nodes -o json"),
        "{}",
        f.warnings[0].message
    );
    assert_eq!(f.network.allocations.len(), 3);
    assert!(f
        .network
        .allocations
        .iter()
        .all(|a| a.labels.get("cluster").map(String::as_str) == Some("prod")));
}

#[test]
fn nodes_and_kubeadm_of_one_cluster_meet() {
    let nodes = r#"{"kind": "List", "items": [
      {"kind": "Node", "metadata": {"name": "a"}, "spec": {"podCIDR": "10.244.0.0/24"}, "status": {"capacity": {"pods": "110"}, "addresses": [{"type": "InternalIP", "address": "10.0.0.10"}]}},
      {"kind": "Node", "metadata": {"name": "b"}, "spec": {"podCIDRs": ["10.244.1.0/24", "fd00::/64"]}, "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.11"}, {"type": "Hostname", "address": "b"}]}}]}"#;
    let cm = r#"{"kind": "ConfigMap", "data": {"ClusterConfiguration": "networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n"}}"#;
    let a = import(None, nodes, "nodes.json").unwrap();
    let b = import(None, cm, "cm.json").unwrap();
    let f = merge(&[a, b]);
    assert_eq!(f.clusters.len(), 1);
    let c = &f.clusters[0];
    assert_eq!((c.name.as_str(), c.nodes), ("kubernetes", 2));
    assert!(c.existing);
    assert_eq!(c.pod_cidr.unwrap().to_string(), "10.244.0.0/16");
    assert_eq!(c.service_cidr.unwrap().to_string(), "10.96.0.0/12");
    // The node subnet holds the nodes' InternalIPs; the nodes' ranges never stand for the
    // cluster CIDR, so the IPv4-only ConfigMap leaves node b's IPv6 range an allocation.
    assert_eq!(c.node_subnet.unwrap().to_string(), "10.0.0.10/31");
    assert_eq!(c.pod_cidr_v6, None);
    let allocs: Vec<String> = f
        .network
        .allocations
        .iter()
        .map(|a| format!("{} {}", a.name, a.cidr))
        .collect();
    assert_eq!(allocs, ["b pods fd00::/64"]);
    assert!(f.warnings.is_empty(), "{:?}", f.warnings);
}

#[test]
fn disassociated_blocks_are_skipped_and_named() {
    let vpcs = r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "CidrBlockAssociationSet": [
        {"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}},
        {"CidrBlock": "10.9.0.0/16", "CidrBlockState": {"State": "disassociated"}}],
      "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600::/56", "Ipv6CidrBlockState": {"State": "disassociating"}}]}]}"#;
    let inv = import(None, vpcs, "v.json").unwrap();
    assert_eq!(inv.ranges.len(), 1);
    let skipped: Vec<String> = inv
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.origin, s.reason))
        .collect();
    assert_eq!(
        skipped,
        [
            "aws-vpcs v.json Vpcs[0].CidrBlockAssociationSet[1]: state disassociated",
            "aws-vpcs v.json Vpcs[0].Ipv6CidrBlockAssociationSet[0]: state disassociating",
        ]
    );
}

//! Importing 10^5 subnets (target: under 1 s native) in every shape that lists many: AWS
//! subnets and VPCs, Google Cloud subnets, an Azure VNet, NetBox JSON and CSV, a kubectl
//! node list, a `terraform show -json` plan and `ip -j route`, each recognised, read and
//! merged into a plan request fragment. (kubeadm-config holds one cluster, not a list.)
//!
//! `cargo bench -p cidrplan --bench import` (add `-- --quick` for a fast pass).

use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

use cidrplan::import::{import, merge_owned, Format};
use criterion::{criterion_group, criterion_main, Criterion};

const N: u32 = 100_000;

/// The i-th /28 of 10.0.0.0/8.
fn cidr(i: u32) -> String {
    let a = (10u32 << 24) | (i << 4);
    format!(
        "{}.{}.{}.{}/28",
        a >> 24,
        (a >> 16) & 255,
        (a >> 8) & 255,
        a & 255
    )
}

fn aws() -> String {
    let mut s = String::from("{\"Subnets\": [");
    for i in 0..N {
        if i > 0 {
            s.push(',');
        }
        write!(
            s,
            r#"{{"AvailabilityZone": "us-east-1a", "AvailableIpAddressCount": 11, "CidrBlock": "{}", "DefaultForAz": false, "MapPublicIpOnLaunch": false, "State": "available", "SubnetId": "subnet-{i:08x}", "VpcId": "vpc-{:04x}", "OwnerId": "111122223333", "AssignIpv6AddressOnCreation": false, "Ipv6CidrBlockAssociationSet": [], "Tags": [{{"Key": "Name", "Value": "subnet {i}"}}], "SubnetArn": "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-{i:08x}"}}"#,
            cidr(i),
            i / 200
        )
        .unwrap();
    }
    s.push_str("]}");
    s
}

fn netbox_csv() -> String {
    let mut s = String::from("Prefix,Status,VRF,Tenant,Site,VLAN,Role,Description\n");
    for i in 0..N {
        writeln!(
            s,
            "{},Active,,tenant-{},site-{},,,prefix {i}",
            cidr(i),
            i % 7,
            i % 13
        )
        .unwrap();
    }
    s
}

fn terraform() -> String {
    let mut s =
        String::from(r#"{"format_version":"1.2","planned_values":{"root_module":{"resources":["#);
    for i in 0..N {
        if i > 0 {
            s.push(',');
        }
        write!(
            s,
            r#"{{"address":"aws_subnet.s[{i}]","mode":"managed","type":"aws_subnet","name":"s","index":{i},"values":{{"cidr_block":"{}","vpc_id":"vpc-1","tags":{{"Name":"s{i}"}}}}}}"#,
            cidr(i)
        )
        .unwrap();
    }
    s.push_str("]}}}");
    s
}

/// A JSON list of `N` entries, `item(i)` each, inside `head` .. `tail`.
fn list(head: &str, tail: &str, item: impl Fn(u32) -> String) -> String {
    let mut s = String::from(head);
    for i in 0..N {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&item(i));
    }
    s.push_str(tail);
    s
}

fn aws_vpcs() -> String {
    list(r#"{"Vpcs": ["#, "]}", |i| {
        format!(
            r#"{{"CidrBlock": "{c}", "DhcpOptionsId": "dopt-1", "State": "available", "VpcId": "vpc-{i:08x}", "OwnerId": "111122223333", "InstanceTenancy": "default", "CidrBlockAssociationSet": [{{"AssociationId": "vpc-cidr-assoc-{i:08x}", "CidrBlock": "{c}", "CidrBlockState": {{"State": "associated"}}}}], "IsDefault": false, "Tags": [{{"Key": "Name", "Value": "vpc {i}"}}]}}"#,
            c = cidr(i)
        )
    })
}

fn gcp() -> String {
    list(
        r#"{"kind": "compute#subnetworkList", "items": ["#,
        "]}",
        |i| {
            format!(
                r#"{{"kind": "compute#subnetwork", "id": "{i}", "name": "subnet-{i}", "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/n{}", "ipCidrRange": "{}", "gatewayAddress": "10.0.0.1", "region": "https://www.googleapis.com/compute/v1/projects/p/regions/us-east1", "privateIpGoogleAccess": false, "stackType": "IPV4_ONLY", "fingerprint": "abc="}}"#,
                i / 200,
                cidr(i)
            )
        },
    )
}

fn azure() -> String {
    let subnets = list("", "", |i| {
        format!(
            r#"{{"name": "subnet-{i}", "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/subnet-{i}", "properties": {{"addressPrefix": "{}", "provisioningState": "Succeeded", "privateEndpointNetworkPolicies": "Disabled"}}}}"#,
            cidr(i)
        )
    });
    format!(
        r#"{{"value": [{{"name": "v", "location": "westeurope", "properties": {{"addressSpace": {{"addressPrefixes": ["10.0.0.0/8"]}}, "subnets": [{subnets}]}}}}]}}"#
    )
}

fn netbox_json() -> String {
    list(
        r#"{"count": 100000, "next": null, "previous": null, "results": ["#,
        "]}",
        |i| {
            format!(
                r#"{{"id": {i}, "url": "https://netbox/api/ipam/prefixes/{i}/", "family": {{"value": 4, "label": "IPv4"}}, "prefix": "{}", "vrf": null, "tenant": {{"id": 3, "name": "t{}"}}, "status": {{"value": "active", "label": "Active"}}, "role": null, "is_pool": false, "description": "prefix {i}", "tags": []}}"#,
                cidr(i),
                i % 7
            )
        },
    )
}

fn ip_route() -> String {
    list("[", "]", |i| {
        format!(
            r#"{{"dst": "{}", "gateway": "10.0.0.1", "dev": "eth0", "protocol": "static", "flags": []}}"#,
            cidr(i)
        )
    })
}

fn kubectl() -> String {
    list(
        r#"{"apiVersion": "v1", "kind": "List", "items": ["#,
        "]}",
        |i| {
            let a = (10u32 << 24) | (i << 4) | 1;
            format!(
                r#"{{"apiVersion": "v1", "kind": "Node", "metadata": {{"name": "node-{i}", "labels": {{"kubernetes.io/os": "linux"}}}}, "spec": {{"podCIDR": "{c}", "podCIDRs": ["{c}"]}}, "status": {{"addresses": [{{"type": "InternalIP", "address": "{}.{}.{}.{}"}}, {{"type": "Hostname", "address": "node-{i}"}}], "capacity": {{"pods": "110"}}}}}}"#,
                a >> 24,
                (a >> 16) & 255,
                (a >> 8) & 255,
                a & 255,
                c = cidr(i + N)
            )
        },
    )
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("import_1e5_subnets");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    // (name, format, text, allocations the fragment lists): VPC blocks become pools, and a
    // node list alone keeps no cluster (its cluster CIDR is unknown): each node's address
    // and pod range is an allocation.
    for (name, format, text, allocations) in [
        ("aws-subnets", Format::AwsSubnets, aws(), N),
        ("aws-vpcs", Format::AwsVpcs, aws_vpcs(), 0),
        ("gcp-subnets", Format::GcpSubnets, gcp(), N),
        ("azure-vnets", Format::AzureVnets, azure(), N),
        ("netbox-prefixes", Format::NetboxPrefixes, netbox_json(), N),
        ("netbox-csv", Format::NetboxCsv, netbox_csv(), N),
        ("kubectl-nodes", Format::KubectlNodes, kubectl(), 2 * N),
        ("terraform", Format::Terraform, terraform(), N),
        ("ip-route", Format::IpRoute, ip_route(), N),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let inv = import(None, black_box(&text), "bench").unwrap();
                assert_eq!(inv.format, format);
                let fragment = merge_owned(vec![inv]);
                assert_eq!(fragment.network.allocations.len(), allocations as usize);
                fragment
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

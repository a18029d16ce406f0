//! Importing 10^5 subnets (target: under 1 s native): an `aws ec2 describe-subnets`
//! document, a NetBox CSV export and a `terraform show -json` plan of that many, each read
//! and merged into a plan request fragment.
//!
//! `cargo bench -p cidrplan --bench import` (add `-- --quick` for a fast pass).

use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

use cidrplan::import::{import, merge, Format};
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

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("import_1e5_subnets");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for (name, format, text) in [
        ("aws-subnets", Format::AwsSubnets, aws()),
        ("netbox-csv", Format::NetboxCsv, netbox_csv()),
        ("terraform", Format::Terraform, terraform()),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let inv = import(None, black_box(&text), "bench").unwrap();
                assert_eq!(inv.format, format);
                let fragment = merge(&[inv]);
                assert_eq!(fragment.network.allocations.len(), N as usize);
                fragment
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Every inventory sample in `../shared/fixtures/inventory/` (upstream data, never copied
//! here) imports to exactly the ranges, clusters, skipped entries and overlaps listed
//! below, including the quirks its SOURCES.md lists.

use std::path::PathBuf;

use cidrplan::import::{import, merge, Format, Fragment, Inventory};
use cidrplan::Family;

fn fixtures() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/inventory");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "\n*** SKIPPED: {} is absent; the inventory fixture tests did not run ***\n",
            dir.display()
        );
        None
    }
}

fn read(dir: &std::path::Path, file: &str) -> (Inventory, Fragment) {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let inv = import(None, &text, file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let frag = merge(std::slice::from_ref(&inv));
    (inv, frag)
}

/// `kind cidr name` of every range, in document order.
fn ranges(inv: &Inventory) -> Vec<String> {
    inv.ranges
        .iter()
        .map(|r| {
            let kind = serde_json::to_value(r.kind).unwrap();
            format!("{} {} {}", kind.as_str().unwrap(), r.cidr, r.name)
        })
        .collect()
}

/// `a relation b refused` of every overlap.
fn overlaps(frag: &Fragment) -> Vec<String> {
    frag.overlaps
        .iter()
        .map(|o| {
            format!(
                "{} {} {} {}",
                o.a_cidr, o.relation, o.b_cidr, o.refused_by_source
            )
        })
        .collect()
}

/// `name nodes pod service node_subnet max_pods` of every kept cluster.
fn clusters(frag: &Fragment) -> Vec<String> {
    let s = |p: Option<cidrplan::Prefix>| p.map_or("-".to_string(), |p| p.to_string());
    frag.clusters
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {} {} {}",
                c.name,
                c.nodes,
                s(c.pod_cidr),
                s(c.service_cidr),
                s(c.node_subnet),
                c.max_pods_per_node
                    .map_or("-".to_string(), |n| n.to_string())
            )
        })
        .collect()
}

struct Case {
    file: &'static str,
    format: Format,
    ranges: &'static [&'static str],
    clusters: &'static [&'static str],
    skipped: usize,
    overlaps: &'static [&'static str],
    pools: &'static [&'static str],
    allocations: usize,
}

const CASES: &[Case] = &[
    // The IPv6-only subnet has no CidrBlock key at all, and is a lone {"Subnet": ..}.
    Case {
        file: "aws/create-subnet.ipv6-only.cli-doc-example.json",
        format: Format::AwsSubnets,
        ranges: &["subnet 2600:1f13:cfe:3660::/64 my-ipv6-only-subnet"],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &[],
        allocations: 1,
    },
    // 2016: uppercase ASSOCIATED states; two subnets of different VPCs share 10.0.1.0/24
    // (an overlap, but not one a single VPC would have refused).
    Case {
        file: "aws/describe-subnets.cli-doc-example.2016-ipv6.json",
        format: Format::AwsSubnets,
        ranges: &[
            "subnet 10.0.1.0/24 subnet-9d4a7b6c",
            "subnet 10.0.1.0/24 subnet-4204d234",
            "subnet 2001:db8:1234:a101::/64 subnet-4204d234",
        ],
        clusters: &[],
        skipped: 0,
        overlaps: &["10.0.1.0/24 equal 10.0.1.0/24 false"],
        pools: &[],
        allocations: 2,
    },
    Case {
        file: "aws/describe-subnets.cli-doc-example.json",
        format: Format::AwsSubnets,
        ranges: &["subnet 172.31.80.0/20 MySubnet"],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &[],
        allocations: 1,
    },
    // Placebo wrapper {"status_code", "data"}; two VPCs each with a 10.0.0.0/24.
    Case {
        file: "aws/describe-subnets.placebo-recorded.json",
        format: Format::AwsSubnets,
        ranges: &[
            "subnet 10.0.1.0/24 Private subnet1",
            "subnet 172.31.48.0/20 Default-48",
            "subnet 172.31.16.0/20 subnet-efbcccb7",
            "subnet 192.168.0.0/19 eksctl-sanjay-cluster/SubnetPublicUSEAST1C",
            "subnet 10.0.0.0/24 implied",
            "subnet 10.205.0.0/20 testing-subnet",
            "subnet 172.31.32.0/20 subnet-e3b194de",
            "subnet 10.0.0.0/24 Public subnet1",
            "subnet 10.0.2.0/24 Private Subnet2",
            "subnet 192.168.64.0/19 eksctl-sanjay-cluster/SubnetPrivateUSEAST1C",
            "subnet 172.31.0.0/20 subnet-914763e7",
        ],
        clusters: &[],
        skipped: 0,
        overlaps: &["10.0.0.0/24 equal 10.0.0.0/24 false"],
        pools: &[],
        allocations: 10,
    },
    // The VPC CidrBlock 198.168.0.0/24 is a public range (a typo of the docs), kept as is.
    Case {
        file: "aws/describe-vpcs.cli-doc-example.2016-ipv6.json",
        format: Format::AwsVpcs,
        ranges: &[
            "network 10.0.0.0/16 MyVPC",
            "network 10.50.0.0/16 vpc-b61106d4",
            "network 198.168.0.0/24 vpc-a45db1c0",
            "network 2001:db8:1234:8800::/56 vpc-a45db1c0",
        ],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &[
            "10.0.0.0/16",
            "10.50.0.0/16",
            "198.168.0.0/24",
            "2001:db8:1234:8800::/56",
        ],
        allocations: 0,
    },
    Case {
        file: "aws/describe-vpcs.cli-doc-example.json",
        format: Format::AwsVpcs,
        ranges: &[
            "network 30.1.0.0/16 Not Shared",
            "network 10.0.0.0/16 Shared VPC",
        ],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &["10.0.0.0/16", "30.1.0.0/16"],
        allocations: 0,
    },
    // One VPC with an IPv6 association; the other three have no IPv6 key at all.
    Case {
        file: "aws/describe-vpcs.placebo-recorded.ipv6.json",
        format: Format::AwsVpcs,
        ranges: &[
            "network 10.0.42.0/24 FancyTestVPC",
            "network 10.0.0.0/16 IpV6",
            "network 2600:1f18:2466:4b00::/56 IpV6",
            "network 10.205.0.0/18 testing-vpc",
            "network 172.31.0.0/16 FlowLogTest",
        ],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &[
            "10.0.0.0/16",
            "10.205.0.0/18",
            "172.31.0.0/16",
            "2600:1f18:2466:4b00::/56",
        ],
        allocations: 0,
    },
    // Two CidrBlockAssociationSet entries: primary and secondary (pools aggregate).
    Case {
        file: "aws/describe-vpcs.placebo-recorded.secondary-cidr.json",
        format: Format::AwsVpcs,
        ranges: &["network 10.0.0.0/16 DemoVPC", "network 10.1.0.0/16 DemoVPC"],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &["10.0.0.0/15"],
        allocations: 0,
    },
    // ARM REST body (fields under properties), CRLF line endings.
    Case {
        file: "azure/rest-virtualnetwork-get.azure-cli-recording.json",
        format: Format::AzureVnets,
        ranges: &[
            "network 10.0.0.0/16 vnet1",
            "subnet 10.0.0.0/24 vnet1/default",
        ],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &["10.0.0.0/16"],
        allocations: 1,
    },
    // REST spec example: {"parameters", "responses": {"200": {"body": {"value": [..]}}}}.
    Case {
        file: "azure/rest-virtualnetworks-list.api-spec-example.json",
        format: Format::AzureVnets,
        ranges: &[
            "network 10.0.0.0/8 vnet1",
            "subnet 10.0.0.0/24 vnet1/test-1",
            "network 10.0.0.0/16 vnet2",
        ],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &["10.0.0.0/8"],
        allocations: 1,
    },
    // Flight wrapper {"headers", "body"}; only us-central1 has secondary ranges, GKE's.
    Case {
        file: "gcp/compute-subnetworks-aggregatedList.recorded.json",
        format: Format::GcpSubnets,
        ranges: &[],
        clusters: &["dev 1 10.52.0.0/14 10.0.0.0/20 10.128.0.0/20 -"],
        skipped: 0,
        overlaps: &[],
        pools: &[],
        allocations: 17,
    },
    Case {
        file: "gcp/gcloud-subnets-list.gke-secondary-ranges.json",
        format: Format::GcpSubnets,
        ranges: &[
            "subnet 10.0.0.0/24 gkenode",
            "services 10.144.0.0/20 gke-my-first-cluster-1-services-ece0bc06",
            "pods 10.140.0.0/14 gke-my-first-cluster-1-pods-ece0bc06",
        ],
        clusters: &["my-first-cluster-1 1 10.140.0.0/14 10.144.0.0/20 10.0.0.0/24 -"],
        skipped: 0,
        overlaps: &[],
        pools: &[],
        allocations: 0,
    },
    Case {
        file: "iproute2/ip-j-6-route.json",
        format: Format::IpRoute,
        ranges: &[
            "route 2001:db8:10::/64 dev eth0",
            "route fd00:10:244::/64 via 2001:db8:10::16 dev eth0",
            "route fd00:10:244:1::/64 dev cni0",
        ],
        clusters: &[],
        skipped: 7, // six link-local fe80::/64, one default
        overlaps: &[],
        pools: &[],
        allocations: 3,
    },
    Case {
        file: "iproute2/ip-j-route-table-all.json",
        format: Format::IpRoute,
        ranges: &[
            "route 10.20.0.0/20 dev eth0",
            "route 10.96.0.0/12 blackhole",
            "route 10.244.0.0/24 via 10.20.0.16 dev eth0",
            "route 10.244.1.0/24 dev cni0",
            "route 10.244.2.0/24 via 10.20.0.17 dev eth0",
            "route 172.16.0.0/12 via 192.168.100.1 dev eth1",
            "route 192.168.100.0/24 dev eth1",
            "route 2001:db8:10::/64 dev eth0",
            "route fd00:10:244::/64 via 2001:db8:10::16 dev eth0",
            "route fd00:10:244:1::/64 dev cni0",
        ],
        clusters: &[],
        // 2 default, 7 local, 4 broadcast, 6 link-local, 6 multicast, 1 local 127/8
        skipped: 26,
        overlaps: &[],
        pools: &[],
        allocations: 10,
    },
    Case {
        file: "iproute2/ip-j-route.json",
        format: Format::IpRoute,
        ranges: &[
            "route 10.20.0.0/20 dev eth0",
            "route 10.96.0.0/12 blackhole",
            "route 10.244.0.0/24 via 10.20.0.16 dev eth0",
            "route 10.244.1.0/24 dev cni0",
            "route 10.244.2.0/24 via 10.20.0.17 dev eth0",
            "route 172.16.0.0/12 via 192.168.100.1 dev eth1",
            "route 192.168.100.0/24 dev eth1",
        ],
        clusters: &[],
        skipped: 1,
        overlaps: &[],
        pools: &[],
        allocations: 7,
    },
    // Nodes alone keep no cluster (their pod ranges are part of a cluster CIDR they do not
    // say, a warning says so): every range observed is an allocation.
    Case {
        file: "kubernetes/node.kind-control-plane.kubescape-fixture.json",
        format: Format::KubectlNodes,
        ranges: &[
            "pods 10.244.0.0/24 attack-chain-6-control-plane pods",
            "node 172.18.0.2/32 attack-chain-6-control-plane",
        ],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &[],
        allocations: 2,
    },
    Case {
        file: "kubernetes/node.minikube.kubescape-fixture.json",
        format: Format::KubectlNodes,
        ranges: &[
            "pods 10.244.0.0/24 minikube pods",
            "node 192.168.49.2/32 minikube",
        ],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &[],
        allocations: 2,
    },
    // OpenShift (OVN) nodes: no podCIDR; apiVersion and kind stripped.
    Case {
        file: "kubernetes/node.openshift-gce-master.insights-sample.json",
        format: Format::KubectlNodes,
        ranges: &["node 10.0.0.3/32 ci-ln-ywdpkbt-f76d1-vw6lz-master-0"],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &[],
        allocations: 1,
    },
    Case {
        file: "kubernetes/node.openshift-gce-worker.insights-sample.json",
        format: Format::KubectlNodes,
        ranges: &["node 10.0.32.2/32 ci-ln-ywdpkbt-f76d1-vw6lz-worker-b-tdhq6"],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &[],
        allocations: 1,
    },
    // EKS NodeList: no podCIDR (VPC CNI); duckboat-02 is a hand-made copy with the same IP.
    Case {
        file: "kubernetes/nodelist.eks.honeycomb-fixture.json",
        format: Format::KubectlNodes,
        ranges: &[
            "node 10.9.150.105/32 duckboat-01",
            "node 10.9.150.105/32 duckboat-02",
        ],
        clusters: &[],
        skipped: 0,
        overlaps: &["10.9.150.105/32 equal 10.9.150.105/32 true"],
        pools: &[],
        allocations: 1,
    },
    Case {
        file: "netbox/prefix-create-response.docs-example.v4.json",
        format: Format::NetboxPrefixes,
        ranges: &["prefix 192.0.2.0/24 192.0.2.0/24"],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &[],
        allocations: 1,
    },
    // NetBox 4: status "container" -> network space, not an allocation.
    Case {
        file: "netbox/prefix-detail.docs-example.v4.json",
        format: Format::NetboxPrefixes,
        ranges: &["network 192.0.2.0/24 Example prefix"],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &["192.0.2.0/24"],
        allocations: 0,
    },
    // NetBox 2.0 list: integer family and status (1 = active), `site` not `scope`.
    Case {
        file: "netbox/prefixes-list.pynetbox-fixture.netbox-v2.0.json",
        format: Format::NetboxPrefixes,
        ranges: &[
            "prefix 10.0.255.0/24 10.0.255.0/24",
            "prefix 10.1.1.0/24 10.1.1.0/24",
        ],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &[],
        allocations: 2,
    },
    // Terraform 1.9 plan: the data sources live in prior_state.
    Case {
        file: "terraform/show-json-plan.tf1.9.prior_state-data-aws_vpc-subnet.checkov-fixture.json",
        format: Format::Terraform,
        ranges: &[
            "subnet 10.213.220.0/24 dev-vpc",
            "network 10.213.220.0/22 data.aws_vpc.sandbox",
        ],
        clusters: &[],
        skipped: 0,
        overlaps: &[],
        pools: &["10.213.220.0/22"],
        allocations: 1,
    },
];

#[test]
fn every_fixture_imports_exactly() {
    let Some(dir) = fixtures() else { return };
    let mut failures = Vec::new();
    for case in CASES {
        let (inv, frag) = read(&dir, case.file);
        assert_eq!(inv.format, case.format, "{}", case.file);
        if !case.ranges.is_empty() && ranges(&inv) != case.ranges {
            failures.push(format!("{}: ranges {:?}", case.file, ranges(&inv)));
            continue;
        }
        assert_eq!(clusters(&frag), case.clusters, "{}", case.file);
        assert_eq!(
            inv.skipped.len(),
            case.skipped,
            "{}: {:?}",
            case.file,
            inv.skipped
        );
        assert_eq!(overlaps(&frag), case.overlaps, "{}", case.file);
        let pools: Vec<String> = frag.network.pools.iter().map(|p| p.to_string()).collect();
        assert_eq!(pools, case.pools, "{}", case.file);
        assert_eq!(
            frag.network.allocations.len(),
            case.allocations,
            "{}",
            case.file
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_file_in_the_folder_has_a_case() {
    let Some(dir) = fixtures() else { return };
    let mut files = Vec::new();
    for sub in std::fs::read_dir(&dir).unwrap() {
        let sub = sub.unwrap().path();
        if sub.is_dir() {
            for f in std::fs::read_dir(&sub).unwrap() {
                let f = f.unwrap().path();
                files.push(
                    f.strip_prefix(&dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    files.sort();
    for f in &files {
        assert!(
            CASES.iter().any(|c| c.file == f),
            "{f} has no expected import"
        );
    }
}

#[test]
fn aggregated_list_has_17_plain_subnets_and_gke_ranges_of_dev() {
    let Some(dir) = fixtures() else { return };
    let (inv, frag) = read(&dir, "gcp/compute-subnetworks-aggregatedList.recorded.json");
    assert_eq!(inv.ranges.len(), 20);
    let subnets = inv.ranges.iter().filter(|r| r.name == "default").count();
    assert_eq!(subnets, 18);
    // Every auto-mode /20 is within 10.128.0.0/9.
    let auto: cidrplan::Prefix = "10.128.0.0/9".parse().unwrap();
    assert!(frag
        .network
        .allocations
        .iter()
        .all(|a| auto.contains(&a.cidr)));
    assert!(frag.network.allocations.iter().all(|a| a.cidr.len() == 20));
    let origin = frag.network.allocations[0].origin.as_deref().unwrap();
    assert!(
        origin.starts_with(
            "gcp-subnets gcp/compute-subnetworks-aggregatedList.recorded.json body.items["
        ),
        "{origin}"
    );
}

#[test]
fn families_and_labels_are_kept() {
    let Some(dir) = fixtures() else { return };
    let (inv, _) = read(&dir, "aws/describe-vpcs.placebo-recorded.ipv6.json");
    let v6: Vec<_> = inv
        .ranges
        .iter()
        .filter(|r| r.cidr.family() == Family::V6)
        .collect();
    assert_eq!(v6.len(), 1);
    let (_, frag) = read(
        &dir,
        "netbox/prefixes-list.pynetbox-fixture.netbox-v2.0.json",
    );
    let labels = &frag.network.allocations[0].labels;
    assert_eq!(labels.get("status").map(String::as_str), Some("active"));
    assert_eq!(labels.get("role").map(String::as_str), Some("Lab Network"));
    assert_eq!(labels.get("site").map(String::as_str), Some("TEST1"));
}

#[test]
fn all_fixtures_merge_in_any_order() {
    let Some(dir) = fixtures() else { return };
    let invs: Vec<Inventory> = CASES.iter().map(|c| read(&dir, c.file).0).collect();
    let forward = merge(&invs);
    let mut reversed = invs.clone();
    reversed.reverse();
    let backward = merge(&reversed);
    assert_eq!(forward.network, backward.network);
    assert_eq!(forward.clusters, backward.clusters);
    assert_eq!(forward.ranges, backward.ranges);
    assert_eq!(forward.overlaps, backward.overlaps);
    assert_eq!(forward.skipped, backward.skipped);
}

#[test]
fn imported_names_are_unique_so_every_fixture_plans() {
    // Inventories repeat names (`dev eth0` on many routes, one `Name` tag per zone): a plan
    // refuses two allocations of one name, so the fragment names each uniquely.
    let Some(dir) = fixtures() else { return };
    for case in CASES {
        let (_, frag) = read(&dir, case.file);
        let mut names: Vec<&str> = frag
            .network
            .allocations
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(
            names.len(),
            before,
            "{}: repeated allocation names",
            case.file
        );

        let mut request = cidrplan::k8s::example();
        frag.apply_to(&mut request);
        if let Err(e) = cidrplan::k8s::plan(&request) {
            assert_ne!(e.code(), "invalid_spec", "{}: {e}", case.file);
        }
    }
}

#[test]
fn an_imported_name_the_request_already_uses_gets_its_cidr() {
    let text = r#"[{"dst":"10.200.0.0/24","dev":"eth0"},{"dst":"10.201.0.0/24","dev":"eth1"}]"#;
    let inv = import(Some(Format::IpRoute), text, "routes.json").unwrap();
    let frag = merge(std::slice::from_ref(&inv));
    let mut request = cidrplan::k8s::example();
    let taken = request.network.allocations[0].name.clone();
    let mut frag = frag;
    frag.network.allocations[0].name = taken.clone();
    frag.apply_to(&mut request);
    let names: Vec<&str> = request
        .network
        .allocations
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert!(names.contains(&taken.as_str()));
    assert!(
        names.contains(&format!("{taken} (10.200.0.0/24)").as_str()),
        "{names:?}"
    );
    assert!(cidrplan::k8s::plan(&request).is_ok());
}

//! Each export renders the plan's one decision per cluster and family, by the upstream
//! tool's own rule, and a colliding plan renders nothing unless forced. The upstream
//! schemas themselves are checked by `tests/upstream/check_exports.py`.

use cidrplan::export::{render, render_forced, ExportFormat};
use cidrplan::k8s::{
    example, plan, AllocationSpec, ClusterFamily, ClusterSpec, How, ModelChoice, Network,
    NetworkModel, Plan, PlanRequest,
};
use cidrplan::Prefix;

fn p(text: &str) -> Prefix {
    text.parse().expect("valid prefix")
}

fn request(pools: &[&str], clusters: Vec<ClusterSpec>, model: ModelChoice) -> PlanRequest {
    PlanRequest {
        network: Network {
            pools: pools.iter().map(|t| p(t)).collect(),
            ..Network::default()
        },
        clusters,
        model,
        ..PlanRequest::default()
    }
}

fn cluster(name: &str) -> ClusterSpec {
    ClusterSpec {
        name: name.into(),
        nodes: 2,
        ..ClusterSpec::default()
    }
}

fn rendered(plan: &Plan, format: ExportFormat) -> String {
    render(plan, format).expect("no collision")
}

fn example_as(model: ModelChoice) -> Plan {
    let mut req = example();
    req.model = model;
    plan(&req).expect("the example plans under every model")
}

#[test]
fn flat_masquerades_toward_the_internet_only_in_every_cni() {
    let plan = example_as(ModelChoice::Flat);
    let dp = &plan.clusters[0].datapath[0];
    assert_eq!(dp.otherwise, How::Snat);
    assert_eq!(dp.keep_source, [p("10.0.0.0/8")]);
    let cilium = rendered(&plan, ExportFormat::Cilium);
    assert!(cilium.contains("enableIPv4Masquerade: true\n"), "{cilium}");
    assert!(cilium.contains("ipv4NativeRoutingCIDR: \"10.0.0.0/8\"\n"));
    let calico = rendered(&plan, ExportFormat::Calico);
    assert!(calico.contains("natOutgoing: true\n"));
    assert!(calico.contains("cidr: \"10.128.0.0/9\"\n  blockSize: 26\n  disabled: true\n"));
    let agent = rendered(&plan, ExportFormat::IpMasqAgent);
    assert!(agent.contains("nonMasqueradeCIDRs:\n      - 10.0.0.0/8\n"));
}

#[test]
fn two_pools_use_ciliums_ip_masq_agent_never_a_catch_all_cidr() {
    let req = request(
        &["10.0.0.0/8", "172.16.0.0/12"],
        vec![cluster("a"), cluster("b")],
        ModelChoice::Flat,
    );
    let plan = plan(&req).unwrap();
    let cilium = rendered(&plan, ExportFormat::Cilium);
    assert!(!cilium.contains("0.0.0.0/0"), "{cilium}");
    assert!(!cilium.contains("NativeRoutingCIDR"), "{cilium}");
    assert!(cilium.contains(
        "ipMasqAgent:\n  enabled: true\n  config:\n    nonMasqueradeCIDRs:\n      - \"10.0.0.0/8\"\n      - \"172.16.0.0/12\"\n"
    ), "{cilium}");
    assert!(cilium.contains("bpf:\n  masquerade: true\n"));
}

#[test]
fn mapped_exports_carry_the_mapping_and_keep_the_cnis_off_it() {
    let plan = example_as(ModelChoice::Mapped);
    let c = &plan.clusters[1];
    let dp = &c.datapath[0];
    assert_eq!(dp.external_pod_cidr, Some(p("10.3.0.0/16")));
    assert!(dp.mapped_toward.contains(&p("10.128.0.0/9")));
    let nat = rendered(&plan, ExportFormat::NodeNat);
    assert!(nat.contains(
        "ip daddr 10.3.0.0/16 dnat ip prefix to ip daddr map { 10.3.0.0/16 : 10.1.0.0/16 }"
    ));
    assert!(nat.contains("snat ip prefix to ip saddr map { 10.1.0.0/16 : 10.3.0.0/16 }"));
    assert!(nat.contains("#   node 1: 10.1.1.0/24 <-> 10.3.1.0/24"));
    // The CNIs leave the network to the mapping: no masquerade toward it.
    let agent = rendered(&plan, ExportFormat::IpMasqAgent);
    assert!(agent.contains("      - 10.0.0.0/8\n"), "{agent}");
    let calico = rendered(&plan, ExportFormat::Calico);
    assert!(calico.contains("cidr: \"10.128.0.0/9\""), "{calico}");
    // And the matrix says so.
    let row = plan
        .reachability
        .iter()
        .find(|r| r.from == "pod:cluster-1" && r.to == "network")
        .unwrap();
    assert_eq!(row.how, How::Nat);
}

#[test]
fn isolated_gets_a_policy_and_no_masquerade() {
    let plan = example_as(ModelChoice::Isolated);
    let policy = rendered(&plan, ExportFormat::Policy);
    assert!(policy.contains("kind: NetworkPolicy\nmetadata:\n  name: cidrplan-isolate\n"));
    assert!(policy.contains("cidrplan.io/gateway: \"true\""));
    assert!(policy.contains("cidr: 10.240.0.0/24\n"), "{policy}");
    let calico = rendered(&plan, ExportFormat::Calico);
    assert!(calico.contains("natOutgoing: false\n"));
    for row in plan
        .reachability
        .iter()
        .filter(|r| r.from.starts_with("pod:"))
    {
        assert_eq!(row.how, How::None, "{row:?}");
    }
    let flat = example_as(ModelChoice::Flat);
    assert!(rendered(&flat, ExportFormat::Policy).contains("restricts no traffic"));
}

#[test]
fn archipelago_meshes_get_unique_ids_and_no_nat_toward_the_group() {
    let mut req = request(
        &["10.0.0.0/8"],
        vec![cluster("a"), cluster("b"), cluster("c"), cluster("d")],
        ModelChoice::Archipelago,
    );
    for (c, g) in req
        .clusters
        .iter_mut()
        .zip(["east", "east", "west", "west"])
    {
        c.group = Some(g.into());
    }
    let plan = plan(&req).unwrap();
    assert_eq!(plan.model, NetworkModel::Archipelago);
    let cilium = rendered(&plan, ExportFormat::Cilium);
    let ids: Vec<&str> = cilium.lines().filter(|l| l.starts_with("  id: ")).collect();
    assert_eq!(ids, ["  id: 1", "  id: 2", "  id: 1", "  id: 2"]);
    let a = &plan.clusters[0];
    let b = &plan.clusters[1];
    let calico = rendered(&plan, ExportFormat::Calico);
    assert!(
        calico.contains(&format!(
            "cidr: \"{}\"\n  blockSize: 26\n  disabled: true",
            b.pod_cidr
        )),
        "a's Calico leaves b's pods unmasqueraded: {calico}"
    );
    let how = |from: &str, to: &str| {
        plan.reachability
            .iter()
            .find(|r| r.from == from && r.to == to)
            .map(|r| r.how)
    };
    assert_eq!(how("pod:a", "pod:b"), Some(How::Direct));
    assert_eq!(how("pod:a", "pod:c"), Some(How::Gateway));
    assert_eq!(
        how("pod:a", "pod:d"),
        Some(How::Gateway),
        "d's range is b's in a's group"
    );
    assert_eq!(a.datapath[0].egress_to(b.pod_cidr.first()), How::Direct);
}

#[test]
fn kubeadm_names_the_mask_per_family_and_sets_max_pods() {
    let mut small = cluster("small");
    small.max_pods_per_node = Some(30);
    small.max_nodes = Some(2);
    let req = request(&["10.0.0.0/8"], vec![small], ModelChoice::Flat);
    let plan = plan(&req).unwrap();
    assert_eq!(plan.clusters[0].node_pod_mask, 26);
    let kubeadm = rendered(&plan, ExportFormat::Kubeadm);
    assert!(kubeadm.contains("- name: node-cidr-mask-size-ipv4\n      value: \"26\"\n"));
    assert!(!kubeadm.contains("name: node-cidr-mask-size\n"));
    assert!(
        kubeadm.contains("kind: KubeletConfiguration\nmaxPods: 30\n"),
        "{kubeadm}"
    );
    let flags = rendered(&plan, ExportFormat::KcmFlags);
    assert!(flags.contains("--max-pods=30"));
    let vars = rendered(&plan, ExportFormat::Tfvars);
    assert!(vars.contains("\"max_pods\": 30"));
    // The default of 110 needs no kubelet document.
    assert!(!rendered(&example_as(ModelChoice::Flat), ExportFormat::Kubeadm).contains("Kubelet"));
}

#[test]
fn dual_stack_and_ipv6_only_name_each_family() {
    let mut dual = cluster("dual");
    dual.family = ClusterFamily::Dual;
    let mut v6 = cluster("v6");
    v6.family = ClusterFamily::Ipv6;
    let req = request(
        &["10.0.0.0/8", "fd00::/48"],
        vec![dual, v6],
        ModelChoice::Flat,
    );
    let plan = plan(&req).unwrap();
    let flags = rendered(&plan, ExportFormat::KcmFlags);
    let blocks: Vec<&str> = flags.split("\n\n").collect();
    assert!(blocks[0].contains("--node-cidr-mask-size-ipv4=24\n--node-cidr-mask-size-ipv6=64"));
    assert!(blocks[1].contains("--node-cidr-mask-size-ipv6=64") && !blocks[1].contains("-ipv4"));
    let agent = rendered(&plan, ExportFormat::IpMasqAgent);
    assert!(agent.contains("--enable-ipv6"), "{agent}");
    assert!(agent.contains("masqLinkLocalIPv6: false"));
    // ULA pods masquerade toward the internet; the IPv6 pools keep the pod's address.
    let dp = &plan.clusters[1].datapath[0];
    assert_eq!(dp.otherwise, How::Snat);
    assert!(dp.keep_source.contains(&p("fd00::/48")));
    assert!(plan
        .reachability
        .iter()
        .any(|r| r.from == "pod:v6" && r.to == "internet" && r.family == cidrplan::Family::V6));
}

#[test]
fn seventy_pools_raise_the_agents_cidr_limit() {
    // Every other /16 of 10.0.0.0/8, so the pools never merge into fewer CIDRs.
    let mut req = request(&[], vec![cluster("a")], ModelChoice::Flat);
    req.network.pools = (0..70u32)
        .map(|i| p(&format!("10.{}.0.0/16", 2 * i)))
        .collect();
    let plan = plan(&req).unwrap();
    let agent = rendered(&plan, ExportFormat::IpMasqAgent);
    let listed = agent.lines().filter(|l| l.starts_with("      - ")).count();
    assert_eq!(listed, 70);
    assert!(agent.contains("    cidrLimit: 70\n"), "{agent}");
}

#[test]
fn cilium_cluster_names_are_valid_chart_names_unique_in_the_plan() {
    let req = request(
        &["10.0.0.0/8"],
        vec![
            cluster("Prod_EU-West-1-payments-primary-cluster"),
            cluster("prod eu west 1 payments primary cluster"),
            cluster("default"),
            cluster("東京"),
        ],
        ModelChoice::Flat,
    );
    let plan = plan(&req).unwrap();
    let cilium = rendered(&plan, ExportFormat::Cilium);
    let names: Vec<&str> = cilium
        .lines()
        .filter_map(|l| l.strip_prefix("  name: "))
        .collect();
    assert_eq!(
        names,
        [
            "\"prod-eu-west-1-payments-primary\"",
            "\"prod-eu-west-1-payments-primar-2\"",
            "\"cluster-3\"",
            "\"cluster-4\""
        ]
    );
    for name in names {
        let name = name.trim_matches('"');
        assert!(name.len() <= 32 && name != "default");
        assert!(name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
    }
}

#[test]
fn colliding_pins_block_every_export_unless_forced() {
    let mut a = cluster("a");
    a.pod_cidr = Some(p("10.0.0.0/16"));
    let mut b = cluster("b");
    b.pod_cidr = Some(p("10.0.0.0/16"));
    let req = request(&["10.0.0.0/8"], vec![a, b], ModelChoice::Flat);
    let plan = plan(&req).unwrap();
    let how = plan
        .reachability
        .iter()
        .find(|r| r.from == "pod:a" && r.to == "pod:b")
        .unwrap()
        .how;
    assert_eq!(how, How::None, "a's traffic to b's range stays in a");
    for format in ExportFormat::ALL {
        let err = render(&plan, format).unwrap_err();
        assert_eq!(err.code(), "collision");
        let message = err.to_string();
        assert!(
            message.contains("cluster a pod_cidr 10.0.0.0/16")
                && message.contains("cluster b pod_cidr 10.0.0.0/16"),
            "{message}"
        );
        let forced = render_forced(&plan, format);
        assert!(
            forced.contains("cluster b pod_cidr 10.0.0.0/16"),
            "{format}: {forced}"
        );
    }
    let vars: serde_json::Value =
        serde_json::from_str(&render_forced(&plan, ExportFormat::Tfvars)).unwrap();
    assert_eq!(vars["collisions"].as_array().map(Vec::len), Some(1));
}

#[test]
fn an_allocation_outside_the_pools_is_masqueraded_and_the_matrix_says_so() {
    let mut req = request(&["10.0.0.0/8"], vec![cluster("a")], ModelChoice::Flat);
    req.network.allocations.push(AllocationSpec {
        name: "vpn".into(),
        cidr: p("192.168.10.0/24"),
        reachable: true,
        origin: None,
        labels: Default::default(),
    });
    let plan = plan(&req).unwrap();
    let row = plan
        .reachability
        .iter()
        .find(|r| r.to == "allocation:vpn")
        .unwrap();
    assert_eq!(row.how, How::Snat);
    let agent = rendered(&plan, ExportFormat::IpMasqAgent);
    assert!(!agent.contains("192.168"));
}

#[test]
fn every_row_of_the_matrix_is_the_datapaths_answer() {
    for model in [
        ModelChoice::Flat,
        ModelChoice::Island,
        ModelChoice::Isolated,
        ModelChoice::Mapped,
        ModelChoice::Archipelago,
    ] {
        let plan = example_as(model);
        for (c, cluster) in plan.clusters.iter().enumerate() {
            let dp = &cluster.datapath[0];
            let from = format!("pod:{}", cluster.name);
            let allocation = plan
                .reachability
                .iter()
                .find(|r| r.from == from && r.to == "allocation:other")
                .unwrap();
            assert_eq!(allocation.how, dp.egress_to(0x0a80_0101), "{model:?} {c}");
            let internet = plan
                .reachability
                .iter()
                .find(|r| r.from == from && r.to == "internet")
                .unwrap();
            assert_eq!(internet.how, dp.egress_to(0xc633_6450), "{model:?} {c}");
            let inward = plan
                .reachability
                .iter()
                .find(|r| r.from == "network" && r.to == from)
                .unwrap();
            assert_eq!(inward.how, dp.ingress);
        }
    }
}

#[test]
fn a_public_pod_range_keeps_its_address_only_where_the_network_routes_it_back() {
    let req = |model| request(&["23.0.0.0/12"], vec![cluster("a"), cluster("b")], model);
    let flat = plan(&req(ModelChoice::Flat)).unwrap();
    assert_eq!(flat.clusters[0].datapath[0].otherwise, How::Direct);
    assert!(rendered(&flat, ExportFormat::Calico).contains("natOutgoing: false"));
    // Reused ranges are not routed back: replies from the internet would never return.
    for model in [
        ModelChoice::Island,
        ModelChoice::Mapped,
        ModelChoice::Archipelago,
    ] {
        let plan = plan(&req(model)).unwrap();
        assert_eq!(
            plan.clusters[0].datapath[0].otherwise,
            How::Snat,
            "{model:?}"
        );
        let cilium = rendered(&plan, ExportFormat::Cilium);
        assert!(
            cilium.contains("enableIPv4Masquerade: true"),
            "{model:?}: {cilium}"
        );
    }
}

/// Pods on node-subnet addresses (EKS VPC CNI, flat Azure CNI): no export hands out
/// per-node ranges of the node subnet a second time.
#[test]
fn pods_in_the_node_subnet_get_no_second_ipam_in_any_export() {
    use cidrplan::k8s::{Cloud, Cni};
    for (cloud, cni, chaining) in [
        (Cloud::Aws, Cni::VpcCni, "chainingMode: aws-cni"),
        (Cloud::Azure, Cni::AzureCni, "chainingMode: generic-veth"),
    ] {
        let mut req = request(
            &["10.10.0.0/16"],
            vec![cluster("app"), cluster("batch")],
            ModelChoice::Flat,
        );
        req.network.cloud = cloud;
        req.network.cni = cni;
        req.network.service_pools = vec![p("172.16.0.0/12")];
        let plan = plan(&req).expect("plans");
        assert!(plan.clusters.iter().all(|c| c.pods_in_node_subnet));
        let cilium = rendered(&plan, ExportFormat::Cilium);
        assert_eq!(cilium.matches(chaining).count(), 2, "{cilium}");
        assert!(!cilium.contains("cluster-pool"), "{cilium}");
        assert_eq!(cilium.matches("enableIPv4Masquerade: false").count(), 2);
        let calico = rendered(&plan, ExportFormat::Calico);
        assert!(!calico.contains("kind: IPPool"), "{calico}");
        assert_eq!(calico.matches("# no IP pool").count(), 2);
        let kubeadm = rendered(&plan, ExportFormat::Kubeadm);
        assert!(!kubeadm.contains("podSubnet:"), "{kubeadm}");
        assert!(!kubeadm.contains("node-cidr-mask-size"), "{kubeadm}");
        assert_eq!(
            kubeadm
                .matches("name: allocate-node-cidrs\n      value: \"false\"")
                .count(),
            2
        );
        let kcm = rendered(&plan, ExportFormat::KcmFlags);
        assert!(!kcm.contains("--cluster-cidr"), "{kcm}");
        for c in &plan.clusters {
            assert!(kubeadm.contains(&format!("serviceSubnet: \"{}\"", c.service_cidr)));
        }
    }
}

/// EKS custom networking: the VPC CNI assigns pod addresses from the pod subnets (ENIConfig),
/// so the exports leave IPAM to it as with pods in the node subnet.
#[test]
fn custom_networking_leaves_pod_addresses_to_the_vpc_cni() {
    use cidrplan::k8s::{Cloud, Cni};
    let mut req = request(&["10.20.0.0/16"], vec![cluster("app")], ModelChoice::Flat);
    req.network.cloud = Cloud::Aws;
    req.network.cni = Cni::CustomNetworking;
    req.network.pod_pools = vec![p("100.64.0.0/10")];
    req.network.service_pools = vec![p("172.16.0.0/12")];
    let plan = plan(&req).expect("plans");
    let pod = plan.clusters[0].pod_cidr;
    assert!(p("100.64.0.0/10").contains(&pod));
    let cilium = rendered(&plan, ExportFormat::Cilium);
    assert!(
        cilium.contains("chainingMode: aws-cni") && !cilium.contains("cluster-pool"),
        "{cilium}"
    );
    assert!(cilium.contains(&format!("addresses of {pod}")), "{cilium}");
    assert!(!rendered(&plan, ExportFormat::Calico).contains("kind: IPPool"));
    assert!(!rendered(&plan, ExportFormat::KcmFlags).contains("--cluster-cidr"));
    assert!(!rendered(&plan, ExportFormat::Kubeadm).contains("podSubnet:"));
}

/// GKE VPC-native, AKS overlay and kubenet give nodes their pod ranges themselves and route
/// them: Cilium reads them (ipam kubernetes), never cluster-pool ranges of its own, and the
/// plan's one routing decision is native, which Calico and Cilium both render.
#[test]
fn cloud_assigned_node_ranges_are_read_by_cilium_not_allocated() {
    use cidrplan::k8s::{Cloud, Cni, Routing};
    for (cloud, cni, model, gke) in [
        (Cloud::Gcp, Cni::VpcNative, ModelChoice::Flat, true),
        (Cloud::Gcp, Cni::VpcNative, ModelChoice::Island, true),
        (Cloud::Azure, Cni::Overlay, ModelChoice::Island, false),
        (Cloud::Azure, Cni::Kubenet, ModelChoice::Island, false),
        (Cloud::Azure, Cni::Overlay, ModelChoice::Isolated, false),
    ] {
        let mut req = request(&["10.10.0.0/16"], vec![cluster("app")], model);
        req.network.cloud = cloud;
        req.network.cni = cni;
        req.network.pod_pools = vec![p("192.168.0.0/16")];
        req.network.service_pools = vec![p("172.16.0.0/12")];
        let plan = plan(&req).expect("plans");
        let cilium = rendered(&plan, ExportFormat::Cilium);
        assert!(cilium.contains("ipam:\n  mode: kubernetes\n"), "{cilium}");
        assert!(!cilium.contains("cluster-pool"), "{cilium}");
        assert!(cilium.contains("routingMode: native"), "{cilium}");
        assert_eq!(cilium.contains("gke:\n  enabled: true"), gke, "{cilium}");
        let routing: Vec<Routing> = plan.clusters[0]
            .datapath
            .iter()
            .map(|d| d.routing)
            .collect();
        assert_eq!(routing, [Routing::Native], "{cni:?} {model:?}");
        let calico = rendered(&plan, ExportFormat::Calico);
        assert!(calico.contains("vxlanMode: Never"), "{calico}");
        assert!(!calico.contains("vxlanMode: Always"), "{calico}");
    }
    // Without a cloud that routes node ranges, island tunnels in every export.
    let plan = example_as(ModelChoice::Island);
    assert_eq!(plan.clusters[0].datapath[0].routing, Routing::Tunnel);
    assert!(rendered(&plan, ExportFormat::Cilium).contains("routingMode: tunnel\n"));
    assert!(rendered(&plan, ExportFormat::Calico).contains("vxlanMode: Always"));
}

/// Where the Cilium values replace kube-proxy (several no-masquerade destinations need
/// Cilium's eBPF ip-masq-agent), the kubeadm export of the same cluster carries the v1beta4
/// setting that keeps kube-proxy off, commented; elsewhere it says nothing of it.
#[test]
fn kubeadm_names_the_kube_proxy_setting_where_cilium_replaces_it() {
    let two_pools = request(
        &["10.0.0.0/8", "172.16.0.0/12"],
        vec![cluster("a"), cluster("b")],
        ModelChoice::Flat,
    );
    let plan = plan(&two_pools).unwrap();
    let cilium = rendered(&plan, ExportFormat::Cilium);
    assert_eq!(
        cilium.matches("kubeProxyReplacement: true\n").count(),
        2,
        "{cilium}"
    );
    assert!(cilium.contains("`proxy: {disabled: true}`"), "{cilium}");
    assert!(
        cilium.contains("--skip-phases=addon/kube-proxy"),
        "{cilium}"
    );
    let kubeadm = rendered(&plan, ExportFormat::Kubeadm);
    let setting = "# proxy:\n#   disabled: true\n";
    assert_eq!(kubeadm.matches(setting).count(), 2, "{kubeadm}");
    assert!(
        kubeadm.contains("--skip-phases=addon/kube-proxy"),
        "{kubeadm}"
    );
    // Uncommented, the setting is v1beta4's `proxy.disabled` in the ClusterConfiguration.
    let uncommented = kubeadm.replace(setting, "proxy:\n  disabled: true\n");
    assert!(
        uncommented.contains("\nproxy:\n  disabled: true\n---\n"),
        "{uncommented}"
    );

    let one_pool = example_as(ModelChoice::Flat);
    assert!(!rendered(&one_pool, ExportFormat::Cilium).contains("kubeProxyReplacement"));
    assert!(!rendered(&one_pool, ExportFormat::Kubeadm).contains("proxy"));
}

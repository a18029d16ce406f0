//! The hand-written request readers (`spec_read`) against serde's derived code read by the
//! same JSON reader: the same value, or the same error words at the same path, for every
//! shared vector and for generated requests, well-formed and damaged. The field lists are
//! checked against the ones the derived code reports.

use std::fmt::Debug;
use std::fs;
use std::path::Path;

use cidrplan::k8s::{
    AllocationSpec, ClusterSpec, Network, PlanRequest, Requirements, SizingRequest,
};
use proptest::prelude::*;
use serde::Deserialize;

use crate::json_error::Error;
use crate::json_read::from_text;
use crate::spec_read::{self, *};

/// A read as comparable text: the value's Debug, or the error's message and path.
pub(crate) fn outcome<T: Debug>(
    read: Result<T, Error>,
) -> Result<String, (String, Option<String>)> {
    read.map(|v| format!("{v:?}")).map_err(|e| {
        let d = e.detail();
        (d.message.clone(), d.path.clone())
    })
}

fn assert_same_plan_request(text: &str) {
    assert_eq!(
        outcome(spec_read::plan_request(text)),
        outcome(from_text::<PlanRequest>(text)),
        "{text}"
    );
}

fn assert_same_sizing_request(text: &str) {
    assert_eq!(
        outcome(spec_read::sizing_request(text)),
        outcome(from_text::<SizingRequest>(text)),
        "{text}"
    );
}

/// The field names derived code gives `T`, read from its unknown-field error.
fn derived_fields<T: for<'a> Deserialize<'a> + Debug>() -> Vec<String> {
    let message = from_text::<T>(r#"{"no such field": 0}"#)
        .unwrap_err()
        .detail()
        .message
        .clone();
    let list = message
        .split_once("expected one of ")
        .or_else(|| message.split_once("expected "))
        .map(|(_, list)| list)
        .unwrap_or_else(|| panic!("no field list in {message}"));
    list.split(", ")
        .map(|f| f.trim_matches('`').to_string())
        .collect()
}

#[test]
fn field_lists_are_the_derived_code_s() {
    let check = |ours: &[&str], theirs: Vec<String>| assert_eq!(ours, theirs.as_slice());
    check(PLAN_REQUEST_FIELDS, derived_fields::<PlanRequest>());
    check(NETWORK_FIELDS, derived_fields::<Network>());
    check(ALLOCATION_FIELDS, derived_fields::<AllocationSpec>());
    check(CLUSTER_FIELDS, derived_fields::<ClusterSpec>());
    check(REQUIREMENTS_FIELDS, derived_fields::<Requirements>());
    check(SIZING_FIELDS, derived_fields::<SizingRequest>());
}

#[test]
fn every_shared_vector_reads_as_derived_code_reads_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors");
    let mut read = 0;
    for file in ["plan", "recommend", "sizing", "errors", "regressions"] {
        let text = fs::read_to_string(dir.join(format!("{file}.json"))).unwrap();
        let cases: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        for case in cases {
            let op = case.get("op").and_then(|o| o.as_str()).unwrap_or(file);
            let input = case["input"].to_string();
            match op {
                "plan" | "recommend" => assert_same_plan_request(&input),
                "sizing" => assert_same_sizing_request(&input),
                _ => continue,
            }
            read += 1;
        }
    }
    assert!(read > 40, "only {read} vector requests");
}

#[test]
fn damaged_requests_fail_alike() {
    for text in [
        "null",
        "[]",
        "{}",
        r#"{"network": null}"#,
        r#"{"network": {}}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]}, "network": {"pools": []}}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "a"}]}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"nodes": 1, "name": "a", "name": "b"}]}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"], "allocations": [{"name": "x"}]}}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"], "allocations": [{"cidr": "10.0.0.1/8"}]}}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]}, "requirements": {"ip_space": "some"}}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]}, "requirements": {"ip_spcae": "scarce"}}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]}, "model": 3}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]} "model": "flat"}"#,
        r#"{"network": {"pools" ["10.0.0.0/8"]}}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name" "a"}]}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "a", "nodez" 1}]}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]}, "clusters": [1,]}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]}}  x"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]}, 5: 1}"#,
        r#"{"network": {"pools": ["10.0.0.0/8"]}, "clusters": {"a": 1}}"#,
    ] {
        assert_same_plan_request(text);
    }
    for text in [
        "{}",
        r#"{"max_nodes": 5, "max_nodes": 6}"#,
        r#"{"max_nodes": -1}"#,
        r#"{"max_nodes": 4294967296}"#,
        r#"{"max_nodes": 3, "cloud": "ibm"}"#,
        r#"{"max_nodes": 3, "pods": 1}"#,
    ] {
        assert_same_sizing_request(text);
    }
}

/// A JSON text built as a tree, so objects may repeat keys.
#[derive(Clone, Debug)]
enum Node {
    Text(&'static str),
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
}

impl Node {
    fn write(&self, out: &mut String) {
        match self {
            Node::Text(t) => out.push_str(t),
            Node::Object(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(k).unwrap());
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
            Node::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
        }
    }
}

/// Values of every kind, right and wrong for some field.
const SCALARS: &[&str] = &[
    "0",
    "3",
    "110",
    "4294967296",
    "-1",
    "2.5",
    "1e3",
    "null",
    "true",
    "false",
    r#""""#,
    r#""a""#,
    r#""10.0.0.0/8""#,
    r#""10.0.0.1/8""#,
    r#""2001:db8::/32""#,
    r#""ipv4""#,
    r#""dual""#,
    r#""gcp""#,
    r#""none""#,
    r#""high""#,
    r#""scarce""#,
    r#""many""#,
    r#""large""#,
    r#""island""#,
    r#""auto""#,
    "[]",
    "{}",
];

fn scalar() -> BoxedStrategy<Node> {
    prop::sample::select(SCALARS).prop_map(Node::Text).boxed()
}

/// A value of the right kind for the scalar field `field`, mostly valid.
fn right_scalar(field: &str) -> BoxedStrategy<Node> {
    let pool: &'static [&'static str] = match field {
        "name" | "group" => &[r#""a""#, r#""b""#, r#""a""#],
        "cidr" | "pod_cidr" | "service_cidr" | "node_subnet" => &[
            r#""10.0.0.0/8""#,
            r#""10.0.0.0/16""#,
            r#""10.1.0.0/24""#,
            r#""10.128.1.1/32""#,
            r#""192.168.0.0/16""#,
            r#""100.64.0.0/10""#,
            r#""10.0.0.1/8""#,
            r#""x""#,
        ],
        "pod_cidr_v6" | "service_cidr_v6" => &[r#""fd00::/48""#, r#""fd00:1::/112""#],
        "family" => &[r#""ipv4""#, r#""ipv6""#, r#""dual""#, r#""ipv5""#],
        "origin" => &[r#""aws-subnets Subnets[0]""#, "null", "3"],
        "labels" => &["{}", r#"{"status":"active"}"#, r#"{"a":1}"#, "null"],
        "cloud" => &[r#""generic""#, r#""gcp""#, r#""aws""#, r#""azure""#],
        "ip_space" => &[r#""plentiful""#, r#""scarce""#],
        "integration" | "cross_cluster_integration" => &[r#""none""#, r#""some""#, r#""high""#],
        "kubernetes_footprint" => &[r#""small""#, r#""large""#],
        "exposed_services" => &[r#""few""#, r#""many""#],
        "model" => &[
            r#""auto""#,
            r#""flat""#,
            r#""island""#,
            r#""archipelago""#,
            r#""mesh""#,
        ],
        "reachable"
        | "network_programmable"
        | "debug_connectivity"
        | "direct_to_endpoint"
        | "non_http_services"
        | "client_ip_firewalls"
        | "allow_non_rfc1918"
        | "identical_clusters"
        | "pods_in_node_subnet" => &["true", "false", "null"],
        _ => &["0", "2", "110", "1000", "null", "70000"],
    };
    prop::sample::select(pool).prop_map(Node::Text).boxed()
}

/// An object of `fields`: the first `required` of them mostly present, then a few more,
/// each value from `value` for its field (mostly) or a scalar of any kind, and now and then
/// an unknown or repeated key.
fn object(
    fields: &'static [&'static str],
    required: usize,
    value: impl Fn(usize) -> BoxedStrategy<Node> + Clone + 'static,
) -> BoxedStrategy<Node> {
    let pick = move |i: usize, right: bool| {
        let key = fields.get(i).copied().unwrap_or("unknown");
        let node = if right && i < fields.len() {
            value(i)
        } else {
            scalar()
        };
        node.prop_map(move |n| (key.to_string(), n))
    };
    let optional = if required < fields.len() { required } else { 0 };
    let index = prop_oneof![30 => optional..fields.len(), 1 => Just(fields.len())];
    let pick_more = pick.clone();
    let more = prop::collection::vec(
        (index, prop::bool::weighted(0.9)).prop_flat_map(move |(i, right)| pick_more(i, right)),
        0..4,
    );
    let firsts: Vec<BoxedStrategy<Option<(String, Node)>>> = (0..required)
        .map(|i| prop::option::weighted(0.95, pick(i, true)).boxed())
        .collect();
    (firsts, more)
        .prop_map(|(firsts, more)| Node::Object(firsts.into_iter().flatten().chain(more).collect()))
        .boxed()
}

fn list_of(item: BoxedStrategy<Node>) -> BoxedStrategy<Node> {
    prop_oneof![
        20 => prop::collection::vec(item, 0..3).prop_map(Node::Array),
        1 => scalar(),
    ]
    .boxed()
}

fn cluster_node() -> BoxedStrategy<Node> {
    object(CLUSTER_FIELDS, 2, |i| right_scalar(CLUSTER_FIELDS[i]))
}

fn network_node() -> BoxedStrategy<Node> {
    object(NETWORK_FIELDS, 1, |i| match i {
        0 => list_of(right_scalar("cidr")),
        1 => list_of(object(ALLOCATION_FIELDS, 2, |i| {
            right_scalar(ALLOCATION_FIELDS[i])
        })),
        _ => right_scalar(NETWORK_FIELDS[i]),
    })
}

fn plan_request_node() -> BoxedStrategy<Node> {
    object(PLAN_REQUEST_FIELDS, 1, |i| match i {
        0 => network_node(),
        1 => list_of(cluster_node()),
        2 => object(REQUIREMENTS_FIELDS, 0, |i| {
            right_scalar(REQUIREMENTS_FIELDS[i])
        }),
        _ => right_scalar("model"),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn generated_plan_requests_read_alike(node in plan_request_node()) {
        let mut text = String::new();
        node.write(&mut text);
        assert_same_plan_request(&text);
    }

    #[test]
    fn generated_sizing_requests_read_alike(node in object(SIZING_FIELDS, 1, |i| right_scalar(SIZING_FIELDS[i]))) {
        let mut text = String::new();
        node.write(&mut text);
        assert_same_sizing_request(&text);
    }
}

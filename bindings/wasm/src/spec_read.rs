//! Reads plan and sizing requests from JSON text without serde's derived code.
//!
//! Derived `Deserialize` code for the plan request, its network, allocations, clusters and
//! requirements compiled to about 17 KB of the module (7 KB gzipped): a visitor, a field
//! identifier and a copy of the reader's value handling for every struct and every field
//! type. Here one walker ([`Reader::object`]) serves every struct, and each field's value is
//! still read by serde (`u32`, `Option<Prefix>`, the enums), whose copies the rest of the
//! package shares. The result, every error's words and the path it names are those of the
//! derived code: `json_tests` reads every shared vector and many generated and damaged
//! requests with both and compares them.
//!
//! The field lists below mirror `cidrplan::k8s` (declaration order, which serde's "expected
//! one of" lists use); `json_tests` reads them back from the derived code's own errors, so a
//! field added in the core and not here fails the tests.

use serde::de::Error as _;

use cidrplan::k8s::{
    AllocationSpec, ClusterSpec, Network, PlanRequest, Requirements, SizingRequest,
};

use crate::json_error::Error;
use crate::json_read::{read_text, value, Reader};

/// Reads a plan request (the `spec` of `plan`, `recommend` and `exportConfig`).
pub(crate) fn plan_request(text: &str) -> Result<PlanRequest, Error> {
    read_text(text, plan_request_value)
}

/// Reads a sizing request (the argument of `sizing`).
pub(crate) fn sizing_request(text: &str) -> Result<SizingRequest, Error> {
    read_text(text, sizing_request_value)
}

/// The first of `fields` whose bit is in `required` but not in `seen`, as serde's error.
fn check_required(seen: u64, required: u64, fields: &'static [&'static str]) -> Result<(), Error> {
    match (0..fields.len()).find(|&i| required & !seen & (1 << i) != 0) {
        Some(i) => Err(Error::missing_field(fields[i])),
        None => Ok(()),
    }
}

pub(crate) const PLAN_REQUEST_FIELDS: &[&str] = &[
    "network",
    "clusters",
    "requirements",
    "model",
    "growth_reserve",
    "layout",
];

fn plan_request_value(reader: &mut Reader<'_>) -> Result<PlanRequest, Error> {
    let mut request = PlanRequest::default();
    let seen = reader.object(
        &"struct PlanRequest",
        PLAN_REQUEST_FIELDS,
        &mut |r, field| {
            match field {
                0 => request.network = network(r)?,
                1 => {
                    r.list(&mut |r| {
                        request.clusters.push(cluster(r)?);
                        Ok(())
                    })?;
                }
                2 => request.requirements = requirements(r)?,
                3 => request.model = value(r)?,
                4 => request.growth_reserve = value(r)?,
                _ => request.layout = value(r)?,
            }
            Ok(())
        },
    )?;
    check_required(seen, 0b1, PLAN_REQUEST_FIELDS)?;
    Ok(request)
}

pub(crate) const NETWORK_FIELDS: &[&str] =
    &["pools", "allocations", "cloud", "reserved_per_subnet"];

fn network(reader: &mut Reader<'_>) -> Result<Network, Error> {
    let mut network = Network::default();
    let seen = reader.object(&"struct Network", NETWORK_FIELDS, &mut |r, field| {
        match field {
            0 => network.pools = value(r)?,
            1 => {
                r.list(&mut |r| {
                    network.allocations.push(allocation(r)?);
                    Ok(())
                })?;
            }
            2 => network.cloud = value(r)?,
            _ => network.reserved_per_subnet = value(r)?,
        }
        Ok(())
    })?;
    check_required(seen, 0b1, NETWORK_FIELDS)?;
    Ok(network)
}

pub(crate) const ALLOCATION_FIELDS: &[&str] = &["name", "cidr", "reachable", "origin", "labels"];

fn allocation(reader: &mut Reader<'_>) -> Result<AllocationSpec, Error> {
    let mut name = String::new();
    let mut cidr = None;
    let mut reachable = true;
    let mut origin = None;
    let mut labels = Default::default();
    let seen = reader.object(
        &"struct AllocationSpec",
        ALLOCATION_FIELDS,
        &mut |r, field| {
            match field {
                0 => name = r.string_value()?,
                1 => cidr = Some(value(r)?),
                2 => reachable = value(r)?,
                3 => origin = value(r)?,
                _ => labels = value(r)?,
            }
            Ok(())
        },
    )?;
    check_required(seen, 0b11, ALLOCATION_FIELDS)?;
    let cidr = cidr.ok_or_else(|| Error::missing_field("cidr"))?;
    Ok(AllocationSpec {
        name,
        cidr,
        reachable,
        origin,
        labels,
    })
}

pub(crate) const CLUSTER_FIELDS: &[&str] = &[
    "name",
    "nodes",
    "max_nodes",
    "max_pods_per_node",
    "services",
    "group",
    "family",
    "surge_nodes",
    "pod_cidr",
    "service_cidr",
    "node_subnet",
    "pod_cidr_v6",
    "service_cidr_v6",
    "growth_reserve",
];

fn cluster(reader: &mut Reader<'_>) -> Result<ClusterSpec, Error> {
    let mut c = ClusterSpec::default();
    let seen = reader.object(&"struct ClusterSpec", CLUSTER_FIELDS, &mut |r, field| {
        match field {
            0 => c.name = r.string_value()?,
            1 => c.nodes = value(r)?,
            2 => c.max_nodes = value(r)?,
            3 => c.max_pods_per_node = value(r)?,
            4 => c.services = value(r)?,
            5 => c.group = value(r)?,
            6 => c.family = value(r)?,
            7 => c.surge_nodes = value(r)?,
            8 => c.pod_cidr = value(r)?,
            9 => c.service_cidr = value(r)?,
            10 => c.node_subnet = value(r)?,
            11 => c.pod_cidr_v6 = value(r)?,
            12 => c.service_cidr_v6 = value(r)?,
            _ => c.growth_reserve = value(r)?,
        }
        Ok(())
    })?;
    check_required(seen, 0b11, CLUSTER_FIELDS)?;
    Ok(c)
}

pub(crate) const REQUIREMENTS_FIELDS: &[&str] = &[
    "ip_space",
    "network_programmable",
    "integration",
    "cross_cluster_integration",
    "kubernetes_footprint",
    "debug_connectivity",
    "direct_to_endpoint",
    "exposed_services",
    "non_http_services",
    "client_ip_firewalls",
    "allow_non_rfc1918",
    "identical_clusters",
];

fn requirements(reader: &mut Reader<'_>) -> Result<Requirements, Error> {
    let mut q = Requirements::default();
    reader.object(
        &"struct Requirements",
        REQUIREMENTS_FIELDS,
        &mut |r, field| {
            match field {
                0 => q.ip_space = value(r)?,
                1 => q.network_programmable = value(r)?,
                2 => q.integration = value(r)?,
                3 => q.cross_cluster_integration = value(r)?,
                4 => q.kubernetes_footprint = value(r)?,
                5 => q.debug_connectivity = value(r)?,
                6 => q.direct_to_endpoint = value(r)?,
                7 => q.exposed_services = value(r)?,
                8 => q.non_http_services = value(r)?,
                9 => q.client_ip_firewalls = value(r)?,
                10 => q.allow_non_rfc1918 = value(r)?,
                _ => q.identical_clusters = value(r)?,
            }
            Ok(())
        },
    )?;
    Ok(q)
}

pub(crate) const SIZING_FIELDS: &[&str] = &[
    "max_nodes",
    "max_pods_per_node",
    "services",
    "family",
    "cloud",
    "reserved_per_subnet",
    "surge_nodes",
    "pods_in_node_subnet",
];

fn sizing_request_value(reader: &mut Reader<'_>) -> Result<SizingRequest, Error> {
    let mut s = SizingRequest::default();
    let seen = reader.object(&"struct SizingRequest", SIZING_FIELDS, &mut |r, field| {
        match field {
            0 => s.max_nodes = value(r)?,
            1 => s.max_pods_per_node = value(r)?,
            2 => s.services = value(r)?,
            3 => s.family = value(r)?,
            4 => s.cloud = value(r)?,
            5 => s.reserved_per_subnet = value(r)?,
            6 => s.surge_nodes = value(r)?,
            _ => s.pods_in_node_subnet = value(r)?,
        }
        Ok(())
    })?;
    check_required(seen, 0b1, SIZING_FIELDS)?;
    Ok(s)
}

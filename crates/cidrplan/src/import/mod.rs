//! Importers: what the network already holds, read from the outputs of the tools teams use
//! every day (feature `import`).
//!
//! Text in, ranges out: the core reads no files. Each [`Format`] is one documented shape
//! (AWS, Google Cloud and Azure CLIs and APIs, NetBox, kubectl, kubeadm, `terraform show
//! -json`, `ip -j route`); [`detect`] recognises the shape from the content. An
//! [`Inventory`] lists every range found with its origin (format, source and JSON path),
//! the existing clusters the source describes (as [`ClusterSpec`]s marked `existing`, with
//! the ranges the source knows pinned) and every entry it skipped, with the reason: nothing
//! is dropped silently. [`merge`] turns any number of inventories into a plan request
//! [`Fragment`]; it keeps an existing cluster only when the sources together give every
//! range it needs (the planner never invents one for a running cluster), else lists what
//! was observed of it as allocations with an [`ImportWarning`] saying what is missing.
//!
//! ```
//! use cidrplan::import::{import, merge, Format};
//!
//! let text = r#"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24",
//!                 "Tags": [{"Key": "Name", "Value": "web"}]}]}"#;
//! let inventory = import(None, text, "subnets.json")?;
//! assert_eq!(inventory.format, Format::AwsSubnets);
//! let fragment = merge(&[inventory]);
//! assert_eq!(fragment.network.allocations[0].name, "web");
//! assert_eq!(fragment.network.allocations[0].cidr.to_string(), "10.0.1.0/24");
//! # Ok::<(), cidrplan::Error>(())
//! ```
//!
//! Errors are [`Error::InvalidInput`] naming the source, the JSON path and the value, e.g.
//! `invalid subnets.json at Subnets[3].CidrBlock: "10.0.1.1/24" has host bits set (the
//! network is 10.0.1.0/24)`.

mod aws;
mod azure;
mod csv;
mod detect;
mod gcp;
mod iproute;
mod json;
mod kubernetes;
mod merge;
mod netbox;
mod path;
mod terraform;

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use json::Value;

use crate::error::{Error, Result};
use crate::k8s::ClusterSpec;
use crate::prefix::Prefix;

pub use detect::detect;
pub use merge::{
    merge, merge_for_request, merge_owned, Fragment, FragmentNetwork, ImportOverlap, ImportWarning,
    SourceSummary,
};

/// The shapes the importers read. Names are those `--from` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum Format {
    /// `aws ec2 describe-vpcs` (also `create-vpc`'s `{"Vpc": ..}`): VPC CIDR blocks.
    AwsVpcs,
    /// `aws ec2 describe-subnets` (also `create-subnet`'s `{"Subnet": ..}`).
    AwsSubnets,
    /// `gcloud compute networks subnets list --format=json`, the Compute API's
    /// `subnetworks.list` and `subnetworks.aggregatedList`.
    GcpSubnets,
    /// `az network vnet list` / `show` and the ARM REST responses (fields under
    /// `properties`).
    AzureVnets,
    /// NetBox `GET /api/ipam/prefixes/` (paginated `results`, or one prefix).
    NetboxPrefixes,
    /// NetBox's CSV export of prefixes (a header row naming `prefix`).
    NetboxCsv,
    /// `kubectl get nodes -o json` (a `List`, a `NodeList` or one `Node`).
    KubectlNodes,
    /// The `kubeadm-config` ConfigMap as JSON (`kubectl -n kube-system get cm kubeadm-config
    /// -o json`).
    KubeadmConfig,
    /// `terraform show -json` of a state or a plan.
    Terraform,
    /// `ip -j route` / `ip -j -6 route` (any table).
    IpRoute,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: &'static [Format] = &[
        Format::AwsVpcs,
        Format::AwsSubnets,
        Format::GcpSubnets,
        Format::AzureVnets,
        Format::NetboxPrefixes,
        Format::NetboxCsv,
        Format::KubectlNodes,
        Format::KubeadmConfig,
        Format::Terraform,
        Format::IpRoute,
    ];

    /// The name `--from` takes, e.g. `aws-subnets`.
    pub const fn name(self) -> &'static str {
        match self {
            Format::AwsVpcs => "aws-vpcs",
            Format::AwsSubnets => "aws-subnets",
            Format::GcpSubnets => "gcp-subnets",
            Format::AzureVnets => "azure-vnets",
            Format::NetboxPrefixes => "netbox-prefixes",
            Format::NetboxCsv => "netbox-csv",
            Format::KubectlNodes => "kubectl-nodes",
            Format::KubeadmConfig => "kubeadm-config",
            Format::Terraform => "terraform",
            Format::IpRoute => "ip-route",
        }
    }

    /// The format named `name` (as [`Format::name`] writes it); `None` for `auto` and
    /// unknown names alike, so callers say which.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// Parses a format argument: a [`Format::name`], or `auto` (or empty) for `None`,
    /// which recognises the shape from the content.
    pub fn parse_arg(name: &str) -> Result<Option<Format>> {
        if name.is_empty() || name == "auto" {
            return Ok(None);
        }
        Format::from_name(name).map(Some).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            Error::invalid_input(
                "format",
                alloc::format!(
                    "unknown format {}; expected auto or one of {}",
                    crate::text::quoted(name),
                    names.join(", ")
                ),
            )
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What an imported range is, which decides where a [`Fragment`] puts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RangeKind {
    /// Address space that holds subnets: a VPC CIDR block, a VNet address space, a NetBox
    /// container. It becomes a network pool, not an allocation.
    Network,
    /// A subnet (AWS, Google Cloud, Azure, Terraform).
    Subnet,
    /// A Google Cloud secondary range that no GKE cluster claims.
    Secondary,
    /// A cluster's pod range (GKE pods range, kubeadm `podSubnet`, a node's `podCIDR`).
    Pods,
    /// A cluster's service range (GKE services range, kubeadm `serviceSubnet`).
    Services,
    /// A node's address.
    Node,
    /// A NetBox prefix in use (active, reserved, deprecated).
    Prefix,
    /// A route of a routing table.
    Route,
}

/// One range found in a source.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Range {
    /// The name the source gives it (a `Name` tag, a subnet or range name, a node name...),
    /// else its id.
    pub name: String,
    /// The range.
    pub cidr: Prefix,
    /// What it is.
    pub kind: RangeKind,
    /// Where it came from: `FORMAT [SOURCE] PATH`, e.g. `aws-subnets subnets.json
    /// Subnets[3]`.
    pub origin: String,
    /// The routing domain it lives in (a VPC, a VNet, a GCP network, a NetBox VRF): two
    /// ranges of one scope that overlap are what a cloud would have refused.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub scope: Option<String>,
    /// The existing cluster it belongs to, where the source says.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub cluster: Option<String>,
    /// What else the source says about it (NetBox status, VRF, role, tenant; region...).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "BTreeMap::is_empty"))]
    pub labels: BTreeMap<String, String>,
}

/// An entry of a source that gave no range, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Skipped {
    /// Where it is: `FORMAT [SOURCE] PATH`.
    pub origin: String,
    /// Why it gave no range, e.g. `default route` or `state disassociated`.
    pub reason: String,
}

/// Everything one source holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Inventory {
    /// The shape read.
    pub format: Format,
    /// The source name the caller gave (a file name), or empty.
    pub source: String,
    /// Every range found, in document order.
    pub ranges: Vec<Range>,
    /// Existing clusters the source describes, with the ranges it knows pinned.
    pub clusters: Vec<ClusterSpec>,
    /// Entries that gave no range.
    pub skipped: Vec<Skipped>,
}

/// Reads one source. `format` `None` recognises the shape from the content ([`detect`]);
/// `source` names the text in origins and errors (a file name; may be empty).
pub fn import(format: Option<Format>, text: &str, source: &str) -> Result<Inventory> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The document is parsed once, for recognising its shape and for reading it.
    let (format, doc) = match format {
        Some(Format::NetboxCsv) => (Format::NetboxCsv, None),
        Some(f) => (f, Some(parse_json(text, source)?)),
        None => detect::detect_parsed(text, source)?,
    };
    let mut out = Sink::new(format, source);
    let Some(doc) = doc else {
        netbox::read_csv(text, &mut out)?;
        return Ok(out.finish());
    };
    let (doc, root) = detect::unwrap(&doc);
    let root_path = path::Path::ROOT;
    let root_path = match root {
        Some(key) => root_path_key(key),
        None => root_path,
    };
    match format {
        Format::AwsVpcs => aws::read_vpcs(doc, &root_path, &mut out)?,
        Format::AwsSubnets => aws::read_subnets(doc, &root_path, &mut out)?,
        Format::GcpSubnets => gcp::read(doc, &root_path, &mut out)?,
        Format::AzureVnets => azure::read(doc, &root_path, &mut out)?,
        Format::NetboxPrefixes => netbox::read_json(doc, &root_path, &mut out)?,
        Format::KubectlNodes => kubernetes::read_nodes(doc, &root_path, &mut out)?,
        Format::KubeadmConfig => kubernetes::read_kubeadm(doc, &root_path, &mut out)?,
        Format::Terraform => terraform::read(doc, &root_path, &mut out)?,
        Format::IpRoute => iproute::read(doc, &root_path, &mut out)?,
        Format::NetboxCsv => {}
    }
    Ok(out.finish())
}

/// The path of a wrapper's response: `data`, `body` or `responses.200.body`.
fn root_path_key(key: &'static str) -> path::Path<'static> {
    match key {
        "data" => path::Path::ROOT.key("data"),
        "body" => path::Path::ROOT.key("body"),
        _ => path::Path::RESPONSES_200.key("body"),
    }
}

/// Parses JSON text; errors name the source, line and column.
fn parse_json<'t>(text: &'t str, source: &str) -> Result<Value<'t>> {
    serde_json::from_str(text).map_err(|e| {
        let name = if source.is_empty() { "input" } else { source };
        Error::invalid_input(name, alloc::format!("not valid JSON: {e}"))
    })
}

/// Collects what a reader finds.
pub(crate) struct Sink<'s> {
    pub(crate) format: Format,
    pub(crate) source: &'s str,
    ranges: Vec<Range>,
    clusters: Vec<ClusterSpec>,
    skipped: Vec<Skipped>,
}

impl<'s> Sink<'s> {
    fn new(format: Format, source: &'s str) -> Self {
        Sink {
            format,
            source,
            ranges: Vec::new(),
            clusters: Vec::new(),
            skipped: Vec::new(),
        }
    }

    /// `FORMAT [SOURCE] PATH`.
    pub(crate) fn origin(&self, path: &dyn fmt::Display) -> String {
        use core::fmt::Write;
        // Room for the path too, so that writing it seldom grows the string.
        let name = self.format.name();
        let mut origin = String::with_capacity(name.len() + self.source.len() + 40);
        origin.push_str(name);
        origin.push(' ');
        if !self.source.is_empty() {
            origin.push_str(self.source);
            origin.push(' ');
        }
        let _ = write!(origin, "{path}"); // writing to a String does not fail
        origin
    }

    /// Adds a range found at `path`.
    pub(crate) fn range(
        &mut self,
        path: &dyn fmt::Display,
        name: impl Into<String>,
        cidr: Prefix,
        kind: RangeKind,
        scope: Option<&str>,
    ) -> &mut Range {
        let origin = self.origin(path);
        self.ranges.push(Range {
            name: name.into(),
            cidr,
            kind,
            origin,
            scope: scope.map(String::from),
            cluster: None,
            labels: BTreeMap::new(),
        });
        let last = self.ranges.len() - 1;
        &mut self.ranges[last]
    }

    /// Records an entry that gave no range.
    pub(crate) fn skip(&mut self, path: &dyn fmt::Display, reason: impl Into<String>) {
        let origin = self.origin(path);
        self.skipped.push(Skipped {
            origin,
            reason: reason.into(),
        });
    }

    /// Adds an existing cluster.
    pub(crate) fn cluster(&mut self, cluster: ClusterSpec) {
        self.clusters.push(cluster);
    }

    /// An error at `path`.
    pub(crate) fn bad(&self, path: &dyn fmt::Display, message: impl Into<String>) -> Error {
        path::bad(self.source, path, message)
    }

    /// Reads a CIDR at `path` strictly.
    pub(crate) fn cidr(&self, value: &Value, path: &dyn fmt::Display) -> Result<Prefix> {
        path::cidr(value, self.source, path, false)
    }

    fn finish(self) -> Inventory {
        Inventory {
            format: self.format,
            source: String::from(self.source),
            ranges: self.ranges,
            clusters: self.clusters,
            skipped: self.skipped,
        }
    }
}

/// A kept cluster with nothing pinned yet: one node until the source says more (a
/// cluster needs at least one), marked `existing` (the planner carves nothing for it).
pub(crate) fn kept_cluster(name: &str) -> ClusterSpec {
    ClusterSpec {
        name: String::from(name),
        nodes: 1,
        max_nodes: None,
        max_pods_per_node: None,
        services: None,
        group: None,
        family: crate::k8s::ClusterFamily::Ipv4,
        surge_nodes: None,
        pod_cidr: None,
        service_cidr: None,
        node_subnet: None,
        pod_cidr_v6: None,
        service_cidr_v6: None,
        growth_reserve: None,
        existing: true,
    }
}

/// GKE names a cluster's secondary ranges `gke-CLUSTER-pods-HASH` and
/// `gke-CLUSTER-services-HASH`: the cluster and the kind, where `name` is one of them.
pub(crate) fn gke_range(name: &str) -> Option<(&str, RangeKind)> {
    let rest = name.strip_prefix("gke-")?;
    for (marker, kind) in [
        ("-pods-", RangeKind::Pods),
        ("-services-", RangeKind::Services),
    ] {
        if let Some(at) = rest.rfind(marker) {
            let cluster = &rest[..at];
            let hash = &rest[at + marker.len()..];
            if !cluster.is_empty()
                && !hash.is_empty()
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
            {
                return Some((cluster, kind));
            }
        }
    }
    None
}

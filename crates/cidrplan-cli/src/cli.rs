//! Command-line arguments.

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand};

use cidrplan::export::ExportFormat;
use cidrplan::import::Format;
use cidrplan::k8s::ModelChoice;

use crate::spec::InputFormat;

const MAIN_EXAMPLES: &str = "\
Examples:
  cidrplan plan                          plan the built-in example (the talk's network)
  cidrplan plan --model island --json    the same network as an island, as JSON
  cidrplan plan network.yaml --format calico   Calico IPPools for your plan
  cidrplan recommend network.toml        every network model, scored, with reasons
  cidrplan lint network.json --strict    warnings only; exit 1 if any
  cidrplan plan fleet.yaml --previous plan.json --json   re-plan; nothing existing moves
  cidrplan diff plan.json next.json      what changed; exit 1 if a range moved
  sudo cidrplan verify --model island    prove the plan's reachability on a namespace replica
  cidrplan overlaps hosts.txt            every overlapping pair (exit 1 if any)
  cidrplan aggregate prefixes.txt        minimal CIDR cover of the union
  cidrplan exclude 10.0.0.0/8 used.txt   free space left in 10.0.0.0/8
  cidrplan carve 10.1.0.0/16 --request a=/20 --request b=/20 --request c=/24 --strategy sequential
  echo 10.0.0.1/8 | cidrplan aggregate --lenient --json

Exit codes: 0 ok, 1 findings (overlaps found; lint warnings with --strict),
2 bad usage or bad input.";

/// `--from` values: `auto` and every importer's format name, as the core names them.
fn import_format_parser() -> clap::builder::PossibleValuesParser {
    let names = std::iter::once("auto").chain(Format::ALL.iter().map(|f| f.name()));
    clap::builder::PossibleValuesParser::new(names)
}

const IMPORT_HELP: &str = "\
Formats: aws-vpcs, aws-subnets (aws ec2 describe-vpcs / describe-subnets), gcp-subnets
(gcloud compute networks subnets list --format=json; Compute API list and aggregatedList),
azure-vnets (az network vnet list/show; ARM REST), netbox-prefixes (/api/ipam/prefixes/),
netbox-csv (NetBox CSV export), kubectl-nodes (kubectl get nodes -o json), kubeadm-config
(the kubeadm-config ConfigMap), terraform (terraform show -json, state or plan), ip-route
(ip -j route, ip -j -6 route).

Network space (VPC blocks, VNet address spaces, NetBox containers) becomes pools; ranges in
use become allocations with their origin, one per CIDR; existing clusters (kubectl,
kubeadm, GKE ranges) become clusters with `existing: true` and their ranges pinned, when
the sources give them all: nodes alone do not say the cluster CIDR (import the
kubeadm-config ConfigMap too), so their ranges stay allocations and a warning says so.
Skipped entries, overlaps and warnings are listed as comments (in --json as `skipped`,
`overlaps` and `warnings`) and summed up on stderr. A plan request can name its sources
instead:
  network:
    pools: [10.0.0.0/8]
    import: [{from: aws-subnets, file: subnets.json}, {file: nodes.json}]

Examples:
  cidrplan import subnets.json nodes.json > inventory.yaml
  cidrplan import --from netbox-csv prefixes.csv --json";

/// Plan IP address space for Kubernetes clusters inside an existing network.
#[derive(Parser, Debug)]
#[command(name = "cidrplan", version, about, after_help = MAIN_EXAMPLES)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every subcommand takes.
#[derive(Args, Debug, Clone)]
pub(crate) struct Common {
    /// Print the JSON wire format instead of a table.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// Mask host bits (read 10.0.0.1/8 as 10.0.0.0/8) instead of rejecting them.
    #[arg(long, global = true)]
    pub(crate) lenient: bool,
}

/// Options of the commands that read a plan request.
#[derive(Args, Debug, Clone)]
pub(crate) struct SpecArgs {
    /// Plan request in JSON, YAML or TOML (by extension; JSON on stdin with `-`). Without
    /// FILE: the built-in example, the network of the talk.
    pub(crate) file: Option<String>,
    /// The syntax of FILE when its extension does not say.
    #[arg(long, value_enum)]
    pub(crate) input_format: Option<InputFormat>,
    /// Plan with this model instead of the file's `model`.
    #[arg(long, value_parser = model_parser())]
    pub(crate) model: Option<ModelChoice>,
}

/// `--model` values: the core's choices, named and described by the core.
pub(crate) fn model_parser() -> impl TypedValueParser<Value = ModelChoice> {
    let names =
        ModelChoice::ALL.map(|m| clap::builder::PossibleValue::new(m.as_str()).help(m.summary()));
    clap::builder::PossibleValuesParser::new(names).try_map(|name| name.parse::<ModelChoice>())
}

/// `--format` values: the core's export formats, named and described by the core.
fn export_format_parser() -> impl TypedValueParser<Value = ExportFormat> {
    let names =
        ExportFormat::ALL.map(|f| clap::builder::PossibleValue::new(f.as_str()).help(f.summary()));
    clap::builder::PossibleValuesParser::new(names).try_map(|name| name.parse::<ExportFormat>())
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Plan pod, per-node, service and node ranges for every cluster.
    #[command(after_help = "\
Examples:
  $ cidrplan plan
  model: flat (recommended) ...
  $ cidrplan plan --model island --json | jq '.clusters[].pod_cidr'
  \"10.0.0.0/16\"
  \"10.0.0.0/16\"
  $ cidrplan plan network.yaml --format kubeadm > kubeadm.yaml

Formats: see --format above; --force writes them even for a colliding plan.")]
    Plan {
        #[command(flatten)]
        spec: SpecArgs,
        /// Write this configuration instead of the plan.
        #[arg(long, value_parser = export_format_parser())]
        format: Option<ExportFormat>,
        /// Write the configuration even when the plan's ranges collide (each collision is
        /// listed at the top); without it, a colliding plan exits 2 naming both sides.
        #[arg(long, requires = "format")]
        force: bool,
        /// The fleet's previous plan (a `plan --json` file): every cluster in it keeps every
        /// range; new clusters are carved around them; clusters no longer requested stay
        /// reserved until released.
        #[arg(long, value_name = "PLAN.json")]
        previous: Option<String>,
        /// Give up the ranges of this cluster of the previous plan (repeatable): dropped if
        /// no longer requested, planned anew if it is.
        #[arg(long = "release", value_name = "NAME", requires = "previous")]
        release: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// What changed between two plans (`plan --json` files): ranges added, grown, moved,
    /// shrunk, clusters retained or released, mesh ids or Cilium names changed. Exit 1
    /// when an existing range moved or shrank, or a mesh id or Cilium name changed.
    #[command(after_help = "\
Examples:
  $ cidrplan plan fleet.yaml --previous plan.json --json > next.json
  $ cidrplan diff plan.json next.json
  CLUSTER  RANGE     CHANGE  OLD  NEW
  c        pod_cidr  added   -    10.2.0.0/16
  ...
  $ cidrplan diff plan.json plan.json     # nothing changed: exit 0")]
    Diff {
        /// The older plan.
        #[arg(value_name = "OLD")]
        old: String,
        /// The newer plan.
        #[arg(value_name = "NEW")]
        new: String,
        #[command(flatten)]
        common: Common,
    },
    /// Score every network model against the requirements and the address space.
    #[command(after_help = "\
Example:
  $ cidrplan recommend
  RANK  MODEL        SCORE  FEASIBLE
  1     flat         ...
Each model lists its reasons, tied to a criterion of the talk or a measured fact.")]
    Recommend {
        #[command(flatten)]
        spec: SpecArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Check a plan request without printing the plan: collisions and rule violations.
    #[command(after_help = "\
Example:
  $ cidrplan lint network.yaml --strict && echo clean
  $ cidrplan lint network.yaml --strict --allow vendor_default_overlap
Exit 1 with --strict when there is any warning not accepted with --allow.")]
    Lint {
        #[command(flatten)]
        spec: SpecArgs,
        /// Exit 1 when there is any warning (other than those accepted with --allow).
        #[arg(long)]
        strict: bool,
        /// Accept warnings of this code (repeat, or separate with commas): they are listed
        /// as accepted and do not fail --strict. A code that matches no warning is named.
        #[arg(long = "allow", value_name = "CODE", value_delimiter = ',')]
        allow: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// List every overlapping pair among named prefixes.
    #[command(after_help = "\
Input: one prefix a line, as `NAME CIDR` or `CIDR` (# starts a comment); stdin when no FILE.

Example:
  $ printf 'network 10.0.0.0/8\\nOther: 10.128.1.1\\n' | cidrplan overlaps
  A        A CIDR      B      B CIDR         RELATION
  network  10.0.0.0/8  Other  10.128.1.1/32  contains

Exit 1 when any unexpected overlap is found.")]
    Overlaps {
        /// File of `NAME CIDR` or `CIDR` lines (default: stdin).
        file: Option<String>,
        /// A declared parent/child pair that is not a finding, as PARENT=CHILD (repeatable).
        #[arg(long = "expected", value_name = "PARENT=CHILD")]
        expected: Vec<String>,
        /// List at most this many pairs (all are counted).
        #[arg(long, value_name = "N")]
        max_listed: Option<usize>,
        #[command(flatten)]
        common: Common,
    },
    /// Print the minimal CIDR cover of the union of the prefixes.
    #[command(after_help = "\
Example:
  $ printf '10.0.0.0/25\\n10.0.0.128/25\\n2001:db8::/33\\n2001:db8:8000::/33\\n' | cidrplan aggregate
  10.0.0.0/24
  2001:db8::/32")]
    Aggregate {
        /// File of `CIDR` (or `NAME CIDR`) lines (default: stdin).
        file: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Print the free space of PARENT once the used prefixes are taken out.
    #[command(after_help = "\
Example:
  $ echo 10.0.0.64/26 | cidrplan exclude 10.0.0.0/24
  10.0.0.0/26
  10.0.0.128/25")]
    Exclude {
        /// The range to take space from.
        parent: String,
        /// File of used `CIDR` (or `NAME CIDR`) lines (default: stdin).
        file: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Allocate named requests inside pools, around reserved and pinned ranges.
    #[command(after_help = "\
A request's size is /LEN (a prefix length) or COUNT (at least this many addresses).
Strategies: first-fit (lowest address), best-fit (smallest free block that fits, largest
request first; succeeds whenever any packing exists) and sequential (Terraform cidrsubnets).

Examples:
  $ cidrplan carve 10.1.0.0/16 -r a=/20 -r b=/20 -r c=/24 -r d=/20 --strategy sequential
  NAME  CIDR          ADDRESSES
  a     10.1.0.0/20   4096
  b     10.1.16.0/20  4096
  c     10.1.32.0/24  256
  d     10.1.48.0/20  4096
  ...
  $ cidrplan carve 10.0.0.0/8 --pin a=10.4.0.0/14 -r b=/14 --reserve 10.128.0.0/9 --json")]
    Carve {
        /// Pools to carve from, all of one family (with sequential, used in order).
        #[arg(required = true, value_name = "POOL")]
        pools: Vec<String>,
        /// A request as NAME=/LEN or NAME=COUNT (repeatable, placed in this order).
        #[arg(short = 'r', long = "request", value_name = "NAME=SIZE")]
        requests: Vec<String>,
        /// A request that must get exactly this prefix, as NAME=CIDR (repeatable).
        #[arg(long = "pin", value_name = "NAME=CIDR")]
        pins: Vec<String>,
        /// A range never to hand out (repeatable).
        #[arg(long = "reserve", value_name = "CIDR")]
        reserved: Vec<String>,
        /// first-fit, best-fit or sequential.
        #[arg(long, default_value = "best-fit")]
        strategy: String,
        #[command(flatten)]
        common: Common,
    },
    /// Read what the network already holds from cloud, NetBox, Kubernetes, Terraform and
    /// routing-table exports, and print a plan request fragment (YAML; --json, --toml).
    #[command(after_help = IMPORT_HELP)]
    Import {
        /// Inventory files (JSON; YAML is read as the JSON it stands for; NetBox CSV); `-` reads stdin.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// The shape of every FILE, instead of recognising it from the content.
        #[arg(long, value_name = "FORMAT", value_parser = import_format_parser())]
        from: Option<String>,
        /// Print TOML instead of YAML.
        #[arg(long, conflicts_with = "json")]
        toml: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Build a replica of a plan in network namespaces, its nodes configured from the
    /// exported configuration (a CNI's masquerading, node-nat, NetworkPolicies), and check
    /// its reachability with real packets (needs root, iproute2 and nftables).
    #[command(after_help = "\
Examples:
  $ sudo cidrplan verify --model island
  FROM           TO             HOW      PROBE                                  RESULT
  pod:cluster-1  network        snat     cluster-1/n0/p0 -> 10.1.16.1:8077 ...  pass
  network        pod:cluster-1  gateway  network -> 10.0.1.2:8077 (direct) ...  pass
  ...
  10 claims: 10 held, 0 failed (24 probes); ...; replica removed
  $ sudo cidrplan verify --cni calico                 # the Calico IPPools' natOutgoing
  $ cidrplan plan --format calico > pools.yaml        # edit it, then:
  $ sudo cidrplan verify --cni calico --export pools.yaml
  $ cidrplan plan --model flat --json > plan.json     # edit it, then:
  $ sudo cidrplan verify plan.json --allocation other=10.128.1.1/32 --pool 10.0.0.0/8
  $ cidrplan verify --model mapped --dry-run          # the replica and probes, no root

Everything is created in namespaces named cpv-<run id>-*, wired only to each other, and
removed at the end (also on Ctrl-C); the root namespace is never configured.
Exit codes: 0 every claim held, 1 a claim failed, 2 bad input, no root or missing tools.")]
    Verify {
        #[command(flatten)]
        args: crate::verify::VerifyArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Print the JSON Schema of a wire input or output (derived from the core's types): for
    /// editors' completion and validation of plan requests, and for other tools' types.
    #[command(after_help = "\
Examples:
  $ cidrplan schema --list
  $ cidrplan schema plan-request > plan-request.schema.json
  then start a plan request YAML with
  # yaml-language-server: $schema=plan-request.schema.json")]
    Schema {
        /// The schema to print (`--list` names them all).
        #[arg(value_name = "NAME", required_unless_present = "list", value_parser = clap::builder::PossibleValuesParser::new(cidrplan::schema::ALL.iter().map(|e| e.name)))]
        name: Option<String>,
        /// List the schemas, one a line: name, input or output, what it describes.
        #[arg(long, conflicts_with = "name")]
        list: bool,
    },
    /// Print a shell completion script, generated from these very arguments.
    #[command(after_help = "\
Examples:
  $ cidrplan completions bash > /etc/bash_completion.d/cidrplan
  $ cidrplan completions zsh > \"${fpath[1]}/_cidrplan\"
  $ cidrplan completions fish > ~/.config/fish/completions/cidrplan.fish

The release archive ships these scripts already (completions/).")]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the man pages (cidrplan.1 and one per subcommand) into DIR; the release
    /// script runs it, so the pages always match the arguments.
    #[command(name = "__man-pages", hide = true)]
    ManPages {
        /// The directory to write the pages into (created when missing).
        dir: std::path::PathBuf,
    },
    /// Helpers verify runs inside its namespaces.
    #[command(name = "__verify-helper", hide = true)]
    VerifyHelper {
        #[command(subcommand)]
        helper: crate::verify::Helper,
    },
}

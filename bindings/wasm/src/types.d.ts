/** A CIDR prefix in canonical text form: "10.0.0.0/8", "fd00::/64". */
export type Cidr = string;

/**
 * An exact number of addresses as a decimal string: IPv6 counts go up to 2^128,
 * far beyond what a JS number holds exactly. Use `BigInt(count)` for arithmetic.
 */
export type AddressCount = string;

/** The stable codes of `CidrplanError.code` (also returned by `errorCodes()`). */
export type ErrorCode =
  | "invalid_prefix"
  | "host_bits_set"
  | "mixed_families"
  | "prefix_too_long"
  | "space_exhausted"
  | "pinned_conflict"
  | "limit_exceeded"
  | "invalid_request"
  | "invalid_input"
  | "invalid_spec"
  | "infeasible"
  | "collision";

/**
 * What every function throws on bad input: a real `Error` whose `code` is stable and
 * whose message names the offending input.
 */
export interface CidrplanError extends Error {
  name: "CidrplanError";
  code: ErrorCode;
  /** The input field at fault, for `invalid_input` and `invalid_spec`: the argument and the path inside it (e.g. `requests[2][1]`, `spec.clusters[0].nodes`). */
  field?: string;
}

// ---------------------------------------------------------------- overlaps

/** CIDR strings (each named by itself), `[name, cidr]` pairs, or a name -> CIDR mapping. */
export type OverlapItems = Cidr[] | [string, Cidr][] | Record<string, Cidr>;

/** The trailing options of `aggregate`, `exclude` and `carve`. */
export interface ParseOptions {
  /** Mask host bits (`"10.0.0.1/8"` -> `"10.0.0.0/8"`) instead of throwing `host_bits_set`. */
  lenient?: boolean;
}

/** Optional arguments of `overlaps`. */
export interface OverlapsOptions extends ParseOptions {
  /** `[parent_name, child_name]` pairs that are intended nesting and not reported. */
  expected?: [string, string][];
  /** List at most this many overlaps (`total` still counts them all). */
  max_listed?: number;
}

/** The wire input of `overlaps` (the `input` of tests/vectors/overlaps.json). */
export interface OverlapsInput extends OverlapsOptions {
  items: OverlapItems;
}

/** `equal`; `contains`: a contains b; `within`: a lies within b. */
export type Relation = "equal" | "contains" | "within";

/** One overlapping pair, `a` before `b` in input order. */
export interface Overlap {
  a: string;
  a_cidr: Cidr;
  b: string;
  b_cidr: Cidr;
  relation: Relation;
}

/** The result of `overlaps`. */
export interface OverlapsResult {
  overlaps: Overlap[];
  /** Number of overlapping pairs, listed or not. */
  total: number;
  /** True when `max_listed` cut the list short. */
  truncated: boolean;
}

// ---------------------------------------------------------------- aggregate / exclude

/** The wire input of `aggregate`. */
export interface AggregateInput extends ParseOptions {
  prefixes: Cidr[];
}

/** The result of `aggregate`: the minimal cover, ascending, IPv4 before IPv6. */
export interface AggregateResult {
  prefixes: Cidr[];
}

/** The wire input of `exclude`. */
export interface ExcludeInput extends ParseOptions {
  parent: Cidr;
  used?: Cidr[];
}

/** The result of `exclude`: the free space as minimal CIDRs, ascending. */
export interface ExcludeResult {
  free: Cidr[];
}

// ---------------------------------------------------------------- carve

/** Placement strategy of `carve`. */
export type Strategy = "first-fit" | "best-fit" | "sequential";

/**
 * A prefix length (`"/20"`) or an address count: a whole number up to
 * `Number.MAX_SAFE_INTEGER`, or a decimal string (any size).
 */
export type SizeSpec = string | number;

/** A request's size, optionally pinned to a given prefix (the size may then be left out). */
export type RequestSize = SizeSpec | { size?: SizeSpec | null; pinned?: Cidr | null };

/** A request as an object; no other keys are allowed. */
export interface CarveRequestObject {
  name: string;
  size?: SizeSpec | null;
  pinned?: Cidr | null;
}

/**
 * `[name, size]` pairs, request objects, or a name -> size mapping (insertion order is
 * kept).
 */
export type CarveRequests =
  | ([string, RequestSize] | CarveRequestObject)[]
  | Record<string, RequestSize>;

/** The wire input of `carve`. */
export interface CarveInput extends ParseOptions {
  pools: Cidr[];
  requests: CarveRequests;
  reserved?: Cidr[];
  strategy?: Strategy;
}

/** One placed request. */
export interface Allocation {
  name: string;
  cidr: Cidr;
  addresses: AddressCount;
}

/** What is left of one pool after carving. */
export interface PoolFree {
  pool: Cidr;
  free: AddressCount;
  largest_free: Cidr | null;
}

/** The result of `carve`: allocations in request order, plus the accounting of waste. */
export interface CarveResult {
  allocations: Allocation[];
  strategy: Strategy;
  lost_to_rounding: AddressCount;
  lost_to_alignment: AddressCount;
  free_total: AddressCount;
  pools: PoolFree[];
}

// ---------------------------------------------------------------- Kubernetes planning

/** A network model of the talk. */
export type NetworkModel = "flat" | "island" | "isolated" | "mapped" | "archipelago";
/** The address family of a cluster. */
export type ClusterFamily = "ipv4" | "ipv6" | "dual";
/** The cloud whose subnet reservations apply (GCP 4, AWS and Azure 5 addresses). */
export type Cloud = "generic" | "gcp" | "aws" | "azure";
/** How much the clusters must integrate with the network (or with each other). */
export type Integration = "none" | "some" | "high";

/** Something that already uses part of the network. */
export interface AllocationSpec {
  name: string;
  cidr: Cidr;
  /** Whether pods must reach it (default true). */
  reachable?: boolean;
  /** Where an imported allocation came from (`FORMAT [SOURCE] PATH`); informational. */
  origin?: string | null;
  /** What its source says about it (NetBox status, VRF, role, tenant...); informational. */
  labels?: Record<string, string>;
}

/** The address space the organisation routes, and what already uses it. */
export interface NetworkSpec {
  pools: Cidr[];
  allocations?: AllocationSpec[];
  cloud?: Cloud;
  reserved_per_subnet?: number | null;
}

/** One cluster to build. Ranges given here are pinned: used as given and linted. */
export interface ClusterSpec {
  name: string;
  nodes: number;
  /** Defaults to `nodes`. */
  max_nodes?: number | null;
  /** Defaults to 110. */
  max_pods_per_node?: number | null;
  services?: number | null;
  /** Archipelago group. */
  group?: string | null;
  family?: ClusterFamily;
  surge_nodes?: number | null;
  pod_cidr?: Cidr | null;
  service_cidr?: Cidr | null;
  node_subnet?: Cidr | null;
  pod_cidr_v6?: Cidr | null;
  service_cidr_v6?: Cidr | null;
  /** Room to grow in place: `max_nodes` may later grow this many times (2 = double). */
  growth_reserve?: number | null;
}

/** The criteria of the talk; omitted ones are judged from the address space or ignored. */
export interface Requirements {
  ip_space?: "plentiful" | "scarce" | null;
  network_programmable?: boolean | null;
  integration?: Integration | null;
  cross_cluster_integration?: Integration | null;
  kubernetes_footprint?: "small" | "large" | null;
  debug_connectivity?: boolean;
  direct_to_endpoint?: boolean;
  exposed_services?: "few" | "many" | null;
  non_http_services?: boolean;
  client_ip_firewalls?: boolean;
  allow_non_rfc1918?: boolean;
  identical_clusters?: boolean;
}

/** The `spec` of `plan`, `recommend` and `exportConfig`. */
export interface PlanRequest {
  network: NetworkSpec;
  clusters: ClusterSpec[];
  requirements?: Requirements;
  model?: "auto" | NetworkModel;
  /** Room to grow in place for every cluster that does not say. */
  growth_reserve?: number | null;
  /** `by_cluster`: each cluster's ranges together, so a fleet planned one cluster at a time equals the fleet planned at once. */
  layout?: "by_kind" | "by_cluster";
}

/** One reason behind a model's score, tied to a criterion of the talk or a measured fact. */
export interface Reason {
  criterion: string;
  /** What it adds to the score (negative: against). */
  effect: number;
  source: "talk" | "derived" | "measured";
  text: string;
}

/** One model's score, feasibility and reasons. */
export interface ModelScore {
  model: NetworkModel;
  score: number;
  feasible: boolean;
  reasons: Reason[];
}

/** The result of `recommend`: feasible models first, then by score. */
export interface Recommendation {
  recommended: NetworkModel | null;
  ip_space: "plentiful" | "scarce";
  /** True when `ip_space` was judged from the free space rather than given. */
  ip_space_judged: boolean;
  ranking: ModelScore[];
}

/** How traffic gets from one side to the other. */
export type How = "direct" | "snat" | "gateway" | "nat" | "none";

/** A mapped node's internal pod range and the unique external range it is NATed to. */
export interface NodeMapping {
  node: number;
  internal: Cidr;
  external: Cidr;
}

/**
 * What a cluster's nodes do with pod traffic of one family: the one decision every export
 * renders and the reachability matrix is read from (docs/datapath.md).
 */
export interface Datapath {
  family: "ipv4" | "ipv6";
  pod_cidr: Cidr;
  /** Further pod ranges of this family (a cluster that outgrew its pod range). */
  extra_pod_cidrs?: Cidr[];
  /** Destinations pods reach with their own address (ip-masq-agent's nonMasqueradeCIDRs). */
  keep_source: Cidr[];
  /** Mapped model only: the range the pod range is mapped to, 1:1. */
  external_pod_cidr?: Cidr;
  /** Mapped model only: destinations that see pods at their mapped address. */
  mapped_toward?: Cidr[];
  /** Every other destination, the internet included. */
  otherwise: How;
  /** Isolated model only: the only destinations pods may open connections to. */
  allowed_egress?: Cidr[];
  /** Isolated model only: the only sources that may open connections to pods. */
  allowed_ingress?: Cidr[];
  routing: "native" | "tunnel";
  ingress: How;
}

/** The ranges of one cluster and how its pods meet the network. */
export interface ClusterPlan {
  name: string;
  pod_cidr: Cidr;
  node_pod_mask: number;
  /** The kubelet's maxPods; the per-node range holds at least twice as many addresses. */
  max_pods_per_node: number;
  service_cidr: Cidr;
  node_subnet: Cidr;
  /** Mapped model only. */
  external_pod_cidr?: Cidr | null;
  egress: How;
  ingress: How;
  /** ip-masq-agent's nonMasqueradeCIDRs. */
  non_masquerade_cidrs: Cidr[];
  /** Per family, IPv4 first. */
  datapath: Datapath[];
  group?: string | null;
  pod_cidr_v6?: Cidr | null;
  node_pod_mask_v6?: number | null;
  service_cidr_v6?: Cidr | null;
  node_mappings?: NodeMapping[];
  /** Further pod ranges added when the cluster outgrew a range that could not grow in place. */
  extra_pod_cidrs?: Cidr[];
  /** Blocks kept free around the cluster's ranges for growth in place. */
  growth_reserve?: Cidr[];
  /** What a re-plan did to the cluster's ranges that were too small. */
  growth?: Growth[];
}

/** What a re-plan did to a kept cluster's range that was too small. */
export interface Growth {
  range: "pod_cidr" | "pod_cidr_v6" | "node_subnet";
  how: "in_place" | "second_range" | "none";
  from: Cidr;
  to?: Cidr;
  reason: string;
  /** Exports that carry a second pod range. */
  carried_by?: string[];
  /** Exports that cannot, and why. */
  limits?: string[];
}

/** A cluster's ranges as a plan's `retained` list (and a previous plan) holds them. */
export interface LockedCluster {
  name: string;
  pod_cidr: Cidr;
  node_pod_mask: number;
  service_cidr: Cidr;
  node_subnet: Cidr;
  external_pod_cidr?: Cidr | null;
  pod_cidr_v6?: Cidr | null;
  node_pod_mask_v6?: number | null;
  service_cidr_v6?: Cidr | null;
  extra_pod_cidrs?: Cidr[];
  growth_reserve?: Cidr[];
}

/** What a previous plan must hold: a `plan` result qualifies, keys beyond these are skipped. */
export interface PreviousPlan {
  model: NetworkModel;
  clusters: LockedCluster[];
  retained?: LockedCluster[];
  [key: string]: unknown;
}

/** The options of `plan`. */
export interface PlanOptions {
  /** The fleet's previous plan: every cluster in it keeps every range. */
  previous?: PreviousPlan | Plan | null;
  /** Clusters of the previous plan whose ranges are given up. */
  release?: string[] | null;
}

/** One change between two plans. */
export interface Change {
  cluster: string;
  range: string;
  change: "added" | "grown" | "moved" | "shrunk" | "removed" | "removed_reserve" | "retained" | "released" | "restored";
  old?: string;
  new?: string;
}

/** The result of `diff`. */
export interface PlanDiff {
  changes: Change[];
  kept: string[];
  /** An existing range moved or shrank. */
  breaking: boolean;
}

/** An allocation that a reused range hides from the pods. */
export interface Shadowed {
  name: string;
  cidr: Cidr;
  reachable: boolean;
}

/** A range reused by several clusters, and the allocations it shadows. */
export interface Hole {
  cidr: Cidr;
  kind: string;
  clusters: string[];
  shadows: Shadowed[];
}

/** Who reaches whom: `pod:<cluster>`, `network`, `internet` or `allocation:<name>`. */
export interface Reach {
  from: string;
  to: string;
  how: How;
  family: "ipv4" | "ipv6";
}

/** A finding about the plan; the message names both sides of a collision. */
export interface Warning {
  code: string;
  message: string;
}

/** How many more nodes one cluster takes, and which range runs out first. */
export interface ClusterHeadroom {
  name: string;
  nodes: number;
  node_capacity: number;
  more_nodes: number;
  /** Nodes its ranges hold once grown in place as far as the free space beside them allows. */
  in_place_nodes: number;
  binding: string;
}

/** Room left for growth. */
export interface Headroom {
  clusters: ClusterHeadroom[];
  /** How many more clusters like `template` fit. */
  more_clusters: number;
  more_clusters_binding: string;
  template: string;
}

/** The result of `plan`. */
export interface Plan {
  model: NetworkModel;
  ranking: ModelScore[];
  clusters: ClusterPlan[];
  holes: Hole[];
  reachability: Reach[];
  warnings: Warning[];
  headroom: Headroom;
  /** The request planned: a plan file stands alone as the fleet's lock file. Its
   * `network` is the network the plan was made in. */
  request: PlanRequest;
  /** Clusters of the previous plan no longer requested, still reserved. */
  retained?: LockedCluster[];
  /** Clusters of the previous plan released by this plan. */
  released?: string[];
}

/** The input of `sizing`: one cluster's numbers, without a network. */
export interface SizingRequest {
  max_nodes: number;
  max_pods_per_node?: number | null;
  services?: number | null;
  family?: ClusterFamily;
  cloud?: Cloud;
  reserved_per_subnet?: number | null;
  surge_nodes?: number | null;
  pods_in_node_subnet?: boolean;
}

/** The result of `sizing`: prefix lengths by the conventions of the field. */
export interface Sizing {
  node_pod_mask?: number | null;
  pod_cidr_len?: number | null;
  node_ranges?: number | null;
  service_cidr_len?: number | null;
  node_pod_mask_v6?: number | null;
  pod_cidr_v6_len?: number | null;
  service_cidr_v6_len?: number | null;
  node_subnet_ips: number;
  reserved_per_subnet: number;
  node_subnet_len: number;
}

// ---------------------------------------------------------------- functions

/**
 * Every overlapping pair among named prefixes, found in O(n log n + k).
 * @throws {CidrplanError} `invalid_prefix`, `host_bits_set`, `limit_exceeded`, `invalid_input`
 */
export function overlaps(items: OverlapItems, options?: OverlapsOptions): OverlapsResult;

/**
 * The minimal CIDR cover of the union of `prefixes` (IPv4 and IPv6 may be mixed).
 * @throws {CidrplanError} `invalid_prefix`, `host_bits_set`, `limit_exceeded`, `invalid_input`
 */
export function aggregate(prefixes: Cidr[], options?: ParseOptions): AggregateResult;

/**
 * The free space of `parent` once the `used` prefixes are taken out.
 * @throws {CidrplanError} `mixed_families`, `invalid_prefix`, `host_bits_set`, `invalid_input`
 */
export function exclude(parent: Cidr, used?: Cidr[], options?: ParseOptions): ExcludeResult;

/**
 * Carves named requests out of `pools` around `reserved` ranges; `strategy` defaults to
 * `"best-fit"`. Allocations come back in request order, each inside a single pool
 * (touching pools are not merged).
 * @throws {CidrplanError} `space_exhausted`, `pinned_conflict`, `invalid_request`,
 *   `prefix_too_long`, `mixed_families`, `invalid_prefix`, `host_bits_set`, `invalid_input`
 */
export function carve(
  pools: Cidr[],
  requests: CarveRequests,
  reserved?: Cidr[] | null,
  strategy?: Strategy | null,
  options?: ParseOptions,
): CarveResult;

/**
 * Places every range of every cluster for the requested model (or the top feasible one for
 * `"auto"`), with reachability, holes, warnings and headroom.
 * @throws {CidrplanError} `invalid_spec` (naming the field), `infeasible`, `invalid_input`
 */
export function plan(spec: PlanRequest, options?: PlanOptions): Plan;
/**
 * What changed between two plans, per cluster and range.
 * @throws {CidrplanError} `invalid_input`
 */
export function diff(old: PreviousPlan | Plan, next: PreviousPlan | Plan): PlanDiff;

/**
 * Scores the five network models for `spec`, each with its reasons.
 * @throws {CidrplanError} `invalid_spec`, `invalid_input`
 */
export function recommend(spec: PlanRequest): Recommendation;

/**
 * The sizing rules for one cluster (per-node mask, pod, service and node-subnet lengths).
 * @throws {CidrplanError} `invalid_spec`, `invalid_input`
 */
export function sizing(request: SizingRequest): Sizing;

/** The built-in example request: the talk's network and two clusters (as `cidrplan plan`). */
export function example(): PlanRequest;

/** The configuration formats of `exportConfig`. */
export type ExportFormat =
  | "kubeadm"
  | "kcm-flags"
  | "calico"
  | "cilium"
  | "ip-masq-agent"
  | "tfvars"
  | "node-nat"
  | "policy";

/** Options of `exportConfig`. */
export interface ExportOptions {
  /** Render even when the plan's ranges collide (each collision listed at the top). */
  force?: boolean;
}

/**
 * Plans `spec`, then renders the plan as configuration text: kubeadm ClusterConfiguration,
 * kube-controller-manager flags, Calico IPPool, Cilium Helm values, ip-masq-agent ConfigMap,
 * NetworkPolicy (YAML documents, one or more per cluster, separated by `---`), the mapped
 * model's nftables rules (`node-nat`) or Terraform variables (JSON).
 * @throws {CidrplanError} `invalid_input` (unknown format), `invalid_spec`, `infeasible`,
 *   `collision` (the plan's ranges collide; `{force: true}` renders anyway)
 */
export function exportConfig(
  spec: PlanRequest,
  format: ExportFormat,
  options?: ExportOptions | null,
): string;

/** The inventory shapes `importAllocations` reads; `auto` recognises the shape. */
export type ImportFormat =
  | "auto"
  | "aws-vpcs"
  | "aws-subnets"
  | "gcp-subnets"
  | "azure-vnets"
  | "netbox-prefixes"
  | "netbox-csv"
  | "kubectl-nodes"
  | "kubeadm-config"
  | "terraform"
  | "ip-route";

/** What an imported range is: `network` ranges become pools, the others allocations. */
export type RangeKind =
  | "network"
  | "subnet"
  | "secondary"
  | "pods"
  | "services"
  | "node"
  | "prefix"
  | "route";

/** One range found in a source. */
export interface ImportedRange {
  name: string;
  cidr: Cidr;
  kind: RangeKind;
  /** `FORMAT [SOURCE] PATH`, e.g. `aws-subnets Subnets[3]`. */
  origin: string;
  /** The routing domain (VPC, VNet, GCP network, NetBox VRF, routing table). */
  scope?: string;
  /** The existing cluster it belongs to. */
  cluster?: string;
  labels?: Record<string, string>;
}

/** An entry that gave no range, and why. */
export interface SkippedEntry {
  origin: string;
  reason: string;
}

/** Two imported ranges that overlap. */
export interface ImportOverlap {
  a: string;
  a_cidr: Cidr;
  a_origin: string;
  b: string;
  b_cidr: Cidr;
  b_origin: string;
  relation: "equal" | "contains" | "within";
  /** Both lie in one routing domain of one source, which would have refused it. */
  refused_by_source: boolean;
}

/** The result of `importAllocations`: a plan request fragment and the import's report. */
export interface ImportResult {
  network: { pools: Cidr[]; allocations: AllocationSpec[] };
  /** Existing clusters, their ranges pinned. */
  clusters: ClusterSpec[];
  sources: {
    format: Exclude<ImportFormat, "auto">;
    source: string;
    ranges: number;
    skipped: number;
    clusters: number;
  }[];
  ranges: ImportedRange[];
  skipped: SkippedEntry[];
  overlaps: ImportOverlap[];
  overlaps_total: number;
}

/**
 * Reads what the network already holds from a tool's output (AWS, Google Cloud, Azure,
 * NetBox JSON or CSV, kubectl nodes, the kubeadm-config ConfigMap, `terraform show -json`,
 * `ip -j route`).
 * @throws {CidrplanError} `invalid_input` naming the JSON path and the value
 */
export function importAllocations(format: ImportFormat, text: string): ImportResult;

/** The formats `exportConfig` renders, in a stable order. */
export function exportFormats(): ExportFormat[];

/** Every code `CidrplanError.code` can take, in a stable order. */
export function errorCodes(): ErrorCode[];

/** The package version (that of the Rust core it was built from). */
export function version(): string;

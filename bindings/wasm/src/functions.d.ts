// The functions of the package, their options and errors. The wire types they take and
// return (PlanRequest, Plan, CarveInput, ...) are generated from the JSON Schemas the core
// derives (schemas/*.json) by scripts/types.mjs at build time; the shipped .d.ts files
// hold both.

/** A CIDR prefix in canonical text form: "10.0.0.0/8", "fd00::/64". */
export type Cidr = Prefix;

/**
 * An exact number of addresses as a decimal string: IPv6 counts go up to 2^128,
 * far beyond what a JS number holds exactly. Use `BigInt(count)` for arithmetic.
 */
export type AddressCount = AddrCount;

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

/** CIDR strings (each named by itself), `[name, cidr]` pairs, or a name -> CIDR mapping. */
export type OverlapItems = OverlapsInput["items"];

/** Options of `aggregate`, `exclude` and `carve`. */
export type ParseOptions = Pick<AggregateInput, "lenient">;

/** Options of `overlaps`: the wire input's optional fields. */
export type OverlapsOptions = Omit<OverlapsInput, "items">;

/** Carving strategies. */
export type Strategy = NonNullable<CarveInput["strategy"]>;

/** Requests of `carve`: `[name, size]` pairs or a name -> size mapping (order kept). */
export type CarveRequests = CarveInput["requests"];

/** The result of `overlaps`. */
export type OverlapsResult = OverlapsOutput;
/** The result of `aggregate`. */
export type AggregateResult = AggregateOutput;
/** The result of `exclude`. */
export type ExcludeResult = ExcludeOutput;
/** The result of `carve`. */
export type CarveResult = CarveOutput;

export interface PlanOptions {
  /** The fleet's previous plan: every cluster in it keeps every range. */
  previous?: PreviousPlan | Plan | null;
  /** Clusters of the previous plan whose ranges are given up. */
  release?: string[] | null;
}

/** Options of `exportConfig`. */
export interface ExportOptions {
  /** Render even when the plan's ranges collide (each collision listed at the top). */
  force?: boolean;
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

/**
 * An existing cluster not kept because a range it needs is unknown (e.g. nodes imported
 * without the kubeadm-config ConfigMap): its observed ranges are allocations instead.
 */
export interface ImportWarning {
  cluster: string;
  /** The request fields no source gave, e.g. "pod_cidr", "service_cidr". */
  unknown: string[];
  /** What this means and how to fix it. */
  message: string;
}

/** The result of `importAllocations`: a plan request fragment and the import's report. */
export interface ImportResult {
  network: { pools: Cidr[]; allocations: AllocationSpec[] };
  /** Existing clusters (`existing: true`), their ranges pinned. */
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
  /** Existing clusters not kept, and what is missing to keep them. */
  warnings: ImportWarning[];
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

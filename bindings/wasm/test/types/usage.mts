// A typed use of the package, compiled with `tsc --noEmit` by test/types.test.mjs.
// Each @ts-expect-error line proves the types reject a mistake.
import init, {
  aggregate,
  importAllocations,
  carve,
  errorCodes,
  exclude,
  overlaps,
  type AggregateResult,
  type CarveResult,
  type CidrplanError,
  type ErrorCode,
  type ExcludeResult,
  type OverlapsResult,
} from "cidrplan";

await init();

const agg: AggregateResult = aggregate(["10.0.0.0/25", "10.0.0.128/25"]);
const first: string | undefined = agg.prefixes[0];

const free: ExcludeResult = exclude("10.0.0.0/8", ["10.1.0.0/16"], { lenient: true });
const count: number = free.free.length;

const report: OverlapsResult = overlaps({ dc: "10.0.0.0/8", k8s: "10.1.0.0/16" }, { max_listed: 10 });
const relation: "equal" | "contains" | "within" | undefined = report.overlaps[0]?.relation;
overlaps([["a", "10.0.0.0/8"]], { expected: [["a", "b"]] });
overlaps(["10.0.0.0/8"]);

const carved: CarveResult = carve(["10.0.0.0/16"], { pods: "/20", nodes: 500, pinned: { size: "/24", pinned: "10.0.255.0/24" } });
carve(["10.0.0.0/16"], [["a", "/24"]], ["10.0.0.0/24"], "sequential");
const addresses: bigint = BigInt(carved.allocations[0]!.addresses);
const largest: string | null = carved.pools[0]!.largest_free;

const codes: ErrorCode[] = errorCodes();
try {
  aggregate(["10.0.0.1/8"]);
} catch (e) {
  const err = e as CidrplanError;
  const code: ErrorCode = err.code;
  const message: string = err.message;
  void [code, message];
}

// @ts-expect-error a prefix list, not a string
aggregate("10.0.0.0/8");
// @ts-expect-error strategies are a closed set
carve(["10.0.0.0/16"], [["a", "/24"]], [], "worst-fit");
// @ts-expect-error counts are decimal strings, not numbers
const wrong: number = carved.free_total;
// @ts-expect-error unknown option
aggregate(["10.0.0.0/8"], { lenint: true });

void [first, count, relation, addresses, largest, codes, wrong];

import { plan, recommend, sizing, type Plan, type PlanRequest, type Recommendation } from "cidrplan";

const spec: PlanRequest = {
  network: { pools: ["10.0.0.0/8"], allocations: [{ name: "other", cidr: "10.128.1.1/32", reachable: true }] },
  clusters: [{ name: "a", nodes: 2, max_nodes: 250, max_pods_per_node: 110, family: "ipv4" }],
  requirements: { ip_space: "scarce", network_programmable: false, integration: "some" },
  model: "auto",
};
const planned: Plan = plan(spec);
const podCidr: string | undefined = planned.clusters[0]?.pod_cidr;
const ranking: Recommendation = recommend(spec);
const best = ranking.ranking[0]?.reasons.map((r) => `${r.criterion}: ${r.text}`);
const mask: number | null | undefined = sizing({ max_nodes: 100, max_pods_per_node: 8 }).node_pod_mask;
// @ts-expect-error models are a closed set
plan({ ...spec, model: "hybrid" });
// A re-plan keeps every range of the previous plan; diff says what changed.
import { diff, type PlanDiff } from "cidrplan";
const next: Plan = plan(spec, { previous: planned, release: [] });
const changes: PlanDiff = diff(planned, next);
const breaking: boolean = changes.breaking;
void [podCidr, best, mask, breaking];

import { exportConfig, exportFormats, type ExportFormat } from "cidrplan";
const formats: ExportFormat[] = exportFormats();
const kubeadm: string = exportConfig(spec, "kubeadm");
const forced: string = exportConfig(spec, "node-nat", { force: true });
// @ts-expect-error formats are a closed set
exportConfig(spec, "helm");
void [formats, kubeadm, forced];

// importAllocations: a fragment whose network and clusters a plan request takes.
const imported = importAllocations("ip-route", '[{"dst":"10.1.0.0/16","dev":"eth0"}]');
const firstOrigin: string | null | undefined = imported.network.allocations[0]?.origin;
const skippedReasons: string[] = imported.skipped.map((s) => s.reason);
const fragmentSpec: PlanRequest = {
  network: { pools: ["10.0.0.0/8"], allocations: imported.network.allocations },
  clusters: imported.clusters,
};
void fragmentSpec;
void firstOrigin;
void skippedReasons;

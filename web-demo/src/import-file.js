// What the Import control takes: a plan request (Export request JSON), a plan file (Export
// plan JSON, `cidrplan plan --json`: its request, and the plan as the previous plan), or an
// inventory the core's importers read (AWS, Google Cloud, Azure, NetBox, kubectl, Terraform,
// `ip -j route`: the shape is recognised from the content), merged into the request on screen
// with each range's origin.
import { checkSpecShape } from "./spec-shape.js";

const count = (n) => n.toLocaleString("en-US");
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);

/** "request", "plan" or "inventory": what a parsed JSON value (or undefined for text) is. */
export function kindOf(value) {
  if (!isObject(value)) return "inventory";
  if (Array.isArray(value.ranking) && Array.isArray(value.clusters) && isObject(value.request)) return "plan";
  if (isObject(value.network) && Array.isArray(value.clusters)) return "request";
  return "inventory";
}

/**
 * Merges an import fragment (the core's importAllocations) into a copy of `spec`: pools and
 * allocations not there yet are added (an allocation keeps its origin), kept clusters by name.
 * Returns {spec, added: {pools, allocations, clusters}}.
 */
export function mergeFragment(spec, fragment) {
  const out = structuredClone(spec);
  out.network.allocations ??= [];
  const pools = new Set(out.network.pools);
  const cidrs = new Set(out.network.allocations.map((a) => a.cidr));
  const names = new Set(out.clusters.map((c) => c.name));
  const added = { pools: 0, allocations: 0, clusters: 0 };
  for (const p of fragment.network?.pools ?? []) {
    if (pools.has(p)) continue;
    pools.add(p);
    out.network.pools.push(p);
    added.pools += 1;
  }
  for (const a of fragment.network?.allocations ?? []) {
    if (cidrs.has(a.cidr)) continue;
    cidrs.add(a.cidr);
    out.network.allocations.push(a);
    added.allocations += 1;
  }
  for (const c of fragment.clusters ?? []) {
    if (names.has(c.name)) continue;
    names.add(c.name);
    out.clusters.push(c);
    added.clusters += 1;
  }
  return { spec: out, added };
}

/**
 * Reads `text` (the file `source`): resolves to {kind, spec, message}. `runImport(format,
 * text)` runs the core's importAllocations (in the worker); `pause()` yields to the page.
 * Throws with a message naming what is wrong.
 */
export async function readImport(text, source, current, runImport, pause = () => new Promise((resolve) => setTimeout(resolve, 0))) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined; // CSV (NetBox) or other text: the importers decide
  }
  // A file can hold 10^5 allocations: parsing and checking are separate tasks, so the page
  // keeps painting between them.
  await pause();
  const kind = kindOf(value);
  if (kind === "request") return { kind, spec: checkSpecShape(value), message: `Imported the request ${source}.` };
  if (kind === "plan") {
    return { kind, spec: checkSpecShape(structuredClone(value.request)), message: `Imported the plan ${source}: its request, with the plan as the previous plan (its clusters keep their ranges).` };
  }
  let fragment;
  try {
    fragment = await runImport("auto", text);
  } catch (err) {
    throw new Error(`it is not a plan request, a plan file or an inventory cidrplan can read (${err?.message ?? err})`);
  }
  if (!fragment) throw new Error("the import was interrupted");
  const { spec, added } = mergeFragment(current, fragment);
  checkSpecShape(spec);
  const formats = [...new Set((fragment.sources ?? []).map((s) => s.format))].join(", ");
  const skipped = (fragment.skipped ?? []).length;
  const overlaps = (fragment.overlaps ?? []).length;
  const message = `Imported ${source}${formats ? ` (${formats})` : ""}: ${count(added.allocations)} allocations, ${count(added.pools)} pools and ${count(added.clusters)} kept clusters added`
    + `${skipped ? `; ${count(skipped)} entries skipped` : ""}${overlaps ? `; ${count(overlaps)} overlaps among the imported ranges` : ""}. Each imported range shows its origin on the map.`
    // Existing clusters not kept (a range of theirs unknown, e.g. nodes without the
    // kubeadm-config ConfigMap): the core's warning says what is missing and how to add it.
    + (fragment.warnings ?? []).map((w) => ` Warning: ${w.message}.`).join("");
  return { kind: "inventory", spec, message };
}

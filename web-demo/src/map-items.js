// The ranges the address map draws, without the DOM: collected from the request and the
// plan, flagged (collisions found by the core's `overlaps`, ranges a warning names) and,
// when the network lists more allocations than a map can show, grouped. Pure: the worker
// runs it next to the core, the page only draws the result.
import { formatCidr, log2Ceil, parseCidr } from "./prefix-math.js";
import { POOL_KINDS } from "./pool-kinds.js";
import { isCollision } from "./warning-severity.js";

const MAX_NODE_RANGES = 8;
/** Allocations drawn one by one; above this many they are drawn as groups. */
export const MAX_MAP_ALLOCATIONS = 150;
/** Notes kept per range (a hole can shadow thousands of allocations). */
const MAX_NOTES = 8;

/** One range to draw: lane, kind, name and CIDR (the core's text). */
function item(lane, kind, name, cidr, extra = {}) {
  const p = parseCidr(cidr);
  if (!p) return null;
  return { lane, kind, name, cidr, family: p.family, first: p.first, end: p.first + p.size, size: p.size, notes: [], ...extra };
}

/** Every range of the request and plan, with the lane it goes in. */
export function collectItems(spec, plan) {
  const items = [];
  const push = (x) => x && items.push(x);
  for (const pool of spec.network?.pools ?? []) push(item("network", "pool", "pool", pool));
  // Pools for one kind of range (nodes from the VPC, pods from 100.64.0.0/10...).
  for (const { key, what } of POOL_KINDS) {
    for (const pool of spec.network?.[key] ?? []) {
      if (!(spec.network?.pools ?? []).includes(pool)) push(item("network", "pool", `${what} pool`, pool));
    }
  }
  for (const a of spec.network?.allocations ?? []) {
    const x = item("network", a.reachable === false ? "allocation-unreachable" : "allocation", a.name, a.cidr);
    if (x && a.origin) x.notes.push(`from ${a.origin}`);
    push(x);
  }
  for (const c of plan?.clusters ?? []) {
    const lane = `cluster:${c.name}`;
    push(item("network", "node-subnet", `${c.name} nodes`, c.node_subnet, { cluster: c.name }));
    push(item(lane, "pod", `${c.name} pods`, c.pod_cidr, { cluster: c.name }));
    push(item(lane, "service", `${c.name} services`, c.service_cidr, { cluster: c.name }));
    if (c.external_pod_cidr) push(item(lane, "external", `${c.name} external pods`, c.external_pod_cidr, { cluster: c.name }));
    if (c.pod_cidr_v6 && c.pod_cidr_v6 !== c.pod_cidr) push(item(lane, "pod", `${c.name} pods (IPv6)`, c.pod_cidr_v6, { cluster: c.name }));
    if (c.service_cidr_v6 && c.service_cidr_v6 !== c.service_cidr) push(item(lane, "service", `${c.name} services (IPv6)`, c.service_cidr_v6, { cluster: c.name }));
    (c.extra_pod_cidrs ?? []).forEach((cidr, k) => push(item(lane, "pod", `${c.name} pods (range ${k + 2})`, cidr, { cluster: c.name })));
    const nodes = spec.clusters?.find((x) => x.name === c.name)?.nodes;
    // Pods in the node subnet (EKS VPC CNI, Azure CNI): one address per pod, no per-node range.
    if (!c.pods_in_node_subnet) nodeRanges(c.pod_cidr, c.node_pod_mask, nodes, c.name).forEach(push);
    if (c.pod_cidr_v6 && c.pod_cidr_v6 !== c.pod_cidr && c.node_pod_mask_v6) nodeRanges(c.pod_cidr_v6, c.node_pod_mask_v6, nodes, c.name).forEach(push);
  }
  // Clusters of the previous plan no longer requested: their ranges stay reserved.
  for (const c of plan?.retained ?? []) {
    const lane = `cluster:${c.name}`;
    const extra = { cluster: c.name, status: "retained", notes: ["retained: no longer requested, reserved until released"] };
    push(item("network", "node-subnet", `${c.name} nodes`, c.node_subnet, { ...extra, notes: [...extra.notes] }));
    push(item(lane, "pod", `${c.name} pods`, c.pod_cidr, { ...extra, notes: [...extra.notes] }));
    push(item(lane, "service", `${c.name} services`, c.service_cidr, { ...extra, notes: [...extra.notes] }));
  }
  for (const hole of plan?.holes ?? []) {
    const what = { pod_cidr: "pod range", service_cidr: "service range" }[hole.kind] ?? hole.kind.replace(/_/g, " ");
    const notes = hole.shadows.slice(0, MAX_NOTES).map((sh) => `shadows ${sh.name} ${sh.cidr}${sh.reachable ? " (must stay reachable)" : ""}`);
    if (hole.shadows.length > MAX_NOTES) notes.push(`and ${(hole.shadows.length - MAX_NOTES).toLocaleString("en-US")} more allocations`);
    push(item("holes", "hole", `${what} shared by ${hole.clusters.join(", ")}`, hole.cidr, { notes }));
  }
  return items;
}

/**
 * Marks each cluster range against the previous plan: `kept` (as it was), `changed` (grown
 * in place, or added to a kept cluster) or `new` (a cluster the previous plan did not
 * have), from the core's `diff` of the previous plan and this one. Retained ranges keep
 * their mark. Without a previous plan nothing is marked.
 */
export function markChanges(items, previous, changes) {
  if (!previous || !changes) return items;
  const known = new Set([...(previous.clusters ?? []), ...(previous.retained ?? [])].map((c) => c.name));
  const changed = new Set(changes.changes.filter((c) => c.new).map((c) => `${c.cluster}|${c.new}`));
  for (const x of items) {
    if (!x.cluster || x.status || x.kind === "node-range") continue;
    const plain = x.cidr.split(" ")[0];
    x.status = !known.has(x.cluster) ? "new" : changed.has(`${x.cluster}|${plain}`) ? "changed" : "kept";
    if (x.status !== "kept") x.notes.push(x.status === "new" ? "new since the previous plan" : "changed since the previous plan (grown or added)");
  }
  return items;
}

/** The first per-node pod ranges of a cluster (the allocator hands them out from the start). */
function nodeRanges(podCidr, mask, nodes, cluster) {
  const pod = parseCidr(podCidr);
  if (!pod || !Number.isInteger(mask) || mask < pod.len || mask > pod.bits || !Number.isInteger(nodes) || nodes < 1) return [];
  const step = 1n << BigInt(pod.bits - mask);
  const capacity = pod.size / step;
  const count = BigInt(nodes) < capacity ? BigInt(nodes) : capacity;
  const shown = count < BigInt(MAX_NODE_RANGES) ? count : BigInt(MAX_NODE_RANGES);
  const out = [];
  for (let i = 0n; i < shown; i += 1n) {
    const first = pod.first + i * step;
    out.push(item(`nodes:${cluster}`, "node-range", `${cluster} node ${i + 1n}`, formatCidr(pod.family, first, mask), { cluster }));
  }
  if (count > shown) {
    const first = pod.first + shown * step;
    const rest = count - shown;
    out.push({
      lane: `nodes:${cluster}`, kind: "node-range", name: `${cluster} nodes ${shown + 1n}-${count}`,
      cidr: `${formatCidr(pod.family, first, mask)} + ${rest - 1n} more /${mask}`, family: pod.family,
      first, end: first + rest * step, size: rest * step, notes: [], cluster,
    });
  }
  return out;
}

const note = (x, text) => {
  if (x.notes.length < MAX_NOTES) x.notes.push(text);
  else x.hiddenNotes = (x.hiddenNotes ?? 0) + 1;
};

const CLUSTER_KINDS = ["node-subnet", "pod", "service", "external"];
const isAllocation = (x) => x.kind === "allocation" || x.kind === "allocation-unreachable";
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const byStart = (a, b) => cmp(a.first, b.first) || cmp(b.end, a.end);

function collide(x, y) {
  for (const [a, b] of [[x, y], [y, x]]) {
    a.flag = "overlap";
    note(a, `overlaps ${b.name} ${b.cidr}`);
  }
}

/**
 * Marks ranges that collide (found by the core's `overlaps`) or that a warning names.
 * `allocationsInCore: false` (the map groups the allocations): the core only compares the
 * plan's ranges with each other, and the allocations are compared here, sorted, with the
 * plan's ranges and with each other, so that a network with 10^5 allocations does not
 * send them all to `overlaps` (a second there) for marks the map draws per group.
 */
export function flagItems(items, plan, findOverlaps, { allocationsInCore = true } = {}) {
  const kinds = allocationsInCore ? ["allocation", "allocation-unreachable", ...CLUSTER_KINDS] : CLUSTER_KINDS;
  const primary = items.filter((x) => kinds.includes(x.kind));
  const holes = new Set((plan?.holes ?? []).map((hh) => hh.cidr));
  // Clusters reusing one range on purpose (island, isolated, archipelago) are holes, not collisions.
  const reused = (a, b) => a.first === b.first && a.end === b.end && holes.has(a.cidr) && a.kind === b.kind;
  try {
    const report = findOverlaps(primary.map((x, i) => [`${i}`, x.cidr]), { max_listed: 500 });
    for (const o of report.overlaps) {
      const a = primary[Number(o.a)];
      const b = primary[Number(o.b)];
      if (o.relation === "equal" && holes.has(a.cidr) && a.kind === b.kind) continue;
      collide(a, b);
    }
  } catch {
    // A range the core rejects has already been reported next to its field.
  }
  if (!allocationsInCore) {
    flagAllocationOverlaps(items.filter(isAllocation), primary, reused);
  }
  // The ranges each warning names: the CIDRs in its text, looked up (a warning list and an
  // allocation list can both be long, so never one against the other).
  const byCidr = new Map();
  for (const x of items) {
    if (x.kind === "pool" || x.kind === "node-range") continue;
    const same = byCidr.get(x.cidr);
    if (same) same.push(x);
    else byCidr.set(x.cidr, [x]);
  }
  for (const w of plan?.warnings ?? []) {
    const seen = new Set();
    for (const cidr of cidrsIn(w.message)) {
      if (seen.has(cidr)) continue;
      seen.add(cidr);
      for (const x of byCidr.get(cidr) ?? []) {
        x.flag = isCollision(w.code) ? "overlap" : (x.flag ?? "warning");
        note(x, w.message);
      }
    }
  }
  return items;
}

/** The first index of `sorted` (by start) whose range starts at or after `first`. */
function firstFrom(sorted, first) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].first < first) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Flags the allocations that overlap each other or one of `ranges` (the plan's ranges),
 * and those ranges, without the core: CIDRs are nested or apart, so in start order an
 * allocation overlaps an earlier one exactly when it starts before the furthest end so far
 * (and then it lies within that one); a range overlaps the allocations that contain it (they
 * start at its address cut to fewer prefix bits; noted first) and those that start inside it.
 */
function flagAllocationOverlaps(allocations, ranges, reused) {
  for (const family of [4, 6]) {
    const sorted = allocations.filter((x) => x.family === family).sort(byStart);
    if (sorted.length === 0) continue;
    let reach = null;
    for (const x of sorted) {
      if (reach && x.first < reach.end && !reused(reach, x)) collide(reach, x);
      if (!reach || x.end > reach.end) reach = x;
    }
    const bits = family === 4 ? 32 : 128;
    for (const r of ranges) {
      if (r.family !== family) continue;
      const len = bits - log2Ceil(r.size);
      let last = null;
      for (let shorter = 0; shorter < len; shorter += 1) {
        const start = (r.first >> BigInt(bits - shorter)) << BigInt(bits - shorter);
        if (start === r.first || start === last) continue;
        last = start;
        for (let i = firstFrom(sorted, start); i < sorted.length && sorted[i].first === start; i += 1) {
          if (sorted[i].end > r.first) collide(sorted[i], r);
        }
      }
      for (let i = firstFrom(sorted, r.first); i < sorted.length && sorted[i].first < r.end; i += 1) collide(sorted[i], r);
    }
  }
}

/** The CIDR-shaped words of a message ("10.0.0.0/16", "fd00:10::/48"). */
export function cidrsIn(message) {
  const text = String(message);
  const v4 = text.match(/(?<![0-9A-Fa-f.])\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}(?![0-9A-Fa-f])/g) ?? [];
  const v6 = text.match(/(?<![0-9A-Fa-f:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}\/\d{1,3}(?![0-9A-Fa-f])/g) ?? [];
  return [...v4, ...v6];
}

/** "10.2.32.0 - 10.128.1.0" (or the CIDR when the stretch is one). */
export function rangeText(family, first, end) {
  const size = end - first;
  const bits = family === 4 ? 32 : 128;
  if ((size & (size - 1n)) === 0n && first % size === 0n) {
    return formatCidr(family, first, bits - log2Ceil(size));
  }
  return `${formatCidr(family, first, bits).split("/")[0]} – ${formatCidr(family, end - 1n, bits).split("/")[0]}`;
}

/**
 * Above `max` allocations, replaces them with at most `max` groups per family: runs of
 * touching or overlapping allocations, and when there are still too many runs, consecutive
 * runs together (the gaps inside such a group are not drawn; its notes say so). A group is
 * flagged when one of its allocations is.
 */
export function groupAllocations(items, max = MAX_MAP_ALLOCATIONS) {
  const allocations = items.filter(isAllocation);
  if (allocations.length <= max) return items;
  const rest = items.filter((x) => !isAllocation(x));
  const groups = [];
  for (const family of [4, 6]) {
    const mine = allocations.filter((x) => x.family === family).sort(byStart);
    if (mine.length === 0) continue;
    const runs = [];
    for (const x of mine) {
      const last = runs.at(-1);
      if (last && x.first <= last.end) {
        last.members.push(x);
        if (x.end > last.end) last.end = x.end;
      } else {
        runs.push({ first: x.first, end: x.end, members: [x] });
      }
    }
    // A group never spans two pools (or a pool and the space outside every pool): runs are
    // grouped within the stretch of the axis each lies in.
    const pools = rest.filter((x) => x.kind === "pool" && x.family === family);
    const home = (run) => pools.findIndex((p) => p.first <= run.first && run.end <= p.end);
    const per = Math.ceil(runs.length / max);
    let chunk = [];
    for (const run of runs) {
      if (chunk.length && (chunk.length >= per || home(chunk[0]) !== home(run))) {
        groups.push(groupItem(family, chunk));
        chunk = [];
      }
      chunk.push(run);
    }
    if (chunk.length) groups.push(groupItem(family, chunk));
  }
  return [...rest, ...groups];
}

function groupItem(family, runs) {
  const members = runs.flatMap((r) => r.members);
  if (members.length === 1) return members[0];
  const first = runs[0].first;
  const end = runs.reduce((e, r) => (r.end > e ? r.end : e), runs[0].end);
  const reachable = members.filter((x) => x.kind === "allocation").length;
  const count = members.length.toLocaleString("en-US");
  const notes = [
    reachable === members.length ? "all reachable from pods" : reachable === 0 ? "none reachable from pods" : `${reachable.toLocaleString("en-US")} reachable from pods, ${(members.length - reachable).toLocaleString("en-US")} not`,
    `from ${members[0].name} ${members[0].cidr} to ${members.at(-1).name} ${members.at(-1).cidr}`,
  ];
  if (runs.length > 1) notes.push(`${runs.length.toLocaleString("en-US")} separate runs: the free space between them is not drawn`);
  let flag;
  let hidden = 0;
  for (const x of members) {
    if (x.flag === "overlap" || (x.flag === "warning" && !flag)) flag = x.flag;
    for (const n of x.notes) {
      if (notes.length < MAX_NOTES + 3) notes.push(`${x.name}: ${n}`);
      else hidden += 1;
    }
    hidden += x.hiddenNotes ?? 0;
  }
  if (hidden) notes.push(`and ${hidden.toLocaleString("en-US")} more notes`);
  return {
    lane: "network",
    kind: reachable === 0 ? "allocation-unreachable" : "allocation",
    name: `${count} allocations`,
    cidr: rangeText(family, first, end),
    family, first, end, size: end - first, notes, flag, grouped: members.length,
  };
}

/** The map's ranges for `spec` and `plan`: collected, flagged and grouped. */
export function mapItems(spec, plan, findOverlaps, max = MAX_MAP_ALLOCATIONS) {
  const collected = collectItems(spec, plan);
  // Grouped allocations are flagged per group: the core need not compare them all.
  const grouped = collected.filter(isAllocation).length > max;
  const items = groupAllocations(flagItems(collected, plan, findOverlaps, { allocationsInCore: !grouped }), max);
  for (const x of items) {
    if (x.hiddenNotes && !x.grouped) x.notes.push(`and ${x.hiddenNotes.toLocaleString("en-US")} more`);
    delete x.hiddenNotes;
  }
  return items;
}

// The address map: each address family drawn as one shared axis with lanes, like the
// talk's pictures (network, then each cluster with its pod range, node ranges and service
// range, then the holes clusters reuse). A linear axis would make a /24 invisible next to a
// /8, and IPv6 is worse, so the axis is cut at every range boundary and each piece gets a
// width that grows with the log of its size: order is kept, small ranges stay visible,
// and empty stretches outside every pool shrink to a break mark.
import { h, s, fill } from "./dom.js";
import { formatCidr, formatCount, log2Ceil, parseCidr } from "./prefix-math.js";
import { isCollision } from "./warning-severity.js";

const WIDTH = 1100;
const GUTTER = 150;
const LANE_H = 28;
const LANE_GAP = 8;
const AXIS_H = 34;
const BREAK_W = 16;
const MAX_NODE_RANGES = 8;

const KIND_LABEL = {
  pool: "network pool",
  allocation: "allocation (reachable)",
  "allocation-unreachable": "allocation (not reachable)",
  "node-subnet": "node subnet",
  pod: "pod range",
  "node-range": "per-node pod range",
  service: "service range",
  external: "external pod range (mapped)",
  hole: "hole (reused range)",
  free: "free",
};

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
  for (const a of spec.network?.allocations ?? []) {
    push(item("network", a.reachable === false ? "allocation-unreachable" : "allocation", a.name, a.cidr));
  }
  for (const c of plan?.clusters ?? []) {
    const lane = `cluster:${c.name}`;
    push(item("network", "node-subnet", `${c.name} nodes`, c.node_subnet, { cluster: c.name }));
    push(item(lane, "pod", `${c.name} pods`, c.pod_cidr, { cluster: c.name }));
    push(item(lane, "service", `${c.name} services`, c.service_cidr, { cluster: c.name }));
    if (c.external_pod_cidr) push(item(lane, "external", `${c.name} external pods`, c.external_pod_cidr, { cluster: c.name }));
    if (c.pod_cidr_v6 && c.pod_cidr_v6 !== c.pod_cidr) push(item(lane, "pod", `${c.name} pods (IPv6)`, c.pod_cidr_v6, { cluster: c.name }));
    if (c.service_cidr_v6 && c.service_cidr_v6 !== c.service_cidr) push(item(lane, "service", `${c.name} services (IPv6)`, c.service_cidr_v6, { cluster: c.name }));
    const nodes = spec.clusters?.find((x) => x.name === c.name)?.nodes;
    nodeRanges(c.pod_cidr, c.node_pod_mask, nodes, c.name).forEach(push);
    if (c.pod_cidr_v6 && c.pod_cidr_v6 !== c.pod_cidr && c.node_pod_mask_v6) nodeRanges(c.pod_cidr_v6, c.node_pod_mask_v6, nodes, c.name).forEach(push);
  }
  for (const hole of plan?.holes ?? []) {
    const what = { pod_cidr: "pod range", service_cidr: "service range" }[hole.kind] ?? hole.kind.replace(/_/g, " ");
    push(item("holes", "hole", `${what} shared by ${hole.clusters.join(", ")}`, hole.cidr, {
      notes: hole.shadows.map((sh) => `shadows ${sh.name} ${sh.cidr}${sh.reachable ? " (must stay reachable)" : ""}`),
    }));
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

/** Marks ranges that collide (found by the core's `overlaps`) or that a warning names. */
export function flagItems(items, plan, findOverlaps) {
  const primary = items.filter((x) => ["allocation", "allocation-unreachable", "node-subnet", "pod", "service", "external"].includes(x.kind));
  const holes = new Set((plan?.holes ?? []).map((hh) => hh.cidr));
  try {
    const report = findOverlaps(primary.map((x, i) => [`${i}`, x.cidr]), { max_listed: 500 });
    for (const o of report.overlaps) {
      const a = primary[Number(o.a)];
      const b = primary[Number(o.b)];
      // Clusters reusing one range on purpose (island, isolated, archipelago) are holes, not collisions.
      if (o.relation === "equal" && holes.has(a.cidr) && a.kind === b.kind) continue;
      for (const [x, y] of [[a, b], [b, a]]) {
        x.flag = "overlap";
        x.notes.push(`overlaps ${y.name} ${y.cidr}`);
      }
    }
  } catch {
    // A range the core rejects has already been reported next to its field.
  }
  for (const w of plan?.warnings ?? []) {
    for (const x of items) {
      if (x.kind === "pool" || x.kind === "node-range") continue;
      if (mentions(w.message, x.cidr)) {
        x.flag = isCollision(w.code) ? "overlap" : (x.flag ?? "warning");
        x.notes.push(w.message);
      }
    }
  }
  return items;
}

function mentions(message, cidr) {
  let at = message.indexOf(cidr);
  while (at >= 0) {
    const next = message[at + cidr.length];
    if (next === undefined || !/[0-9a-fA-F]/.test(next)) return true;
    at = message.indexOf(cidr, at + 1);
  }
  return false;
}

/** Cuts the axis at every boundary; returns [{start, end, kind: "range"|"break", x0, x1}]. */
function buildAxis(items, span) {
  const cuts = [...new Set(items.flatMap((x) => [x.first, x.end]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const pieces = [];
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const start = cuts[i];
    const end = cuts[i + 1];
    const covered = items.some((x) => x.first <= start && x.end >= end);
    pieces.push({ start, end, covered, weight: covered ? 3 + log2Ceil(end - start) : 0 });
  }
  const totalWeight = pieces.reduce((t, p) => t + p.weight, 0) || 1;
  const breaks = pieces.filter((p) => !p.covered).length;
  const unit = (span - breaks * BREAK_W) / totalWeight;
  let x = GUTTER;
  for (const p of pieces) {
    p.x0 = x;
    x += p.covered ? p.weight * unit : BREAK_W;
    p.x1 = x;
  }
  return pieces;
}

function xOf(axis, addr) {
  for (const p of axis) {
    if (addr === p.start) return p.x0;
    if (addr === p.end) return p.x1;
  }
  return GUTTER;
}

/** Free stretches of the pools: axis pieces inside a pool that no other range covers. */
function freeItems(items, axis, family) {
  const pools = items.filter((x) => x.kind === "pool");
  const used = items.filter((x) => x.kind !== "pool");
  const free = [];
  for (const p of axis) {
    if (!pools.some((x) => x.first <= p.start && x.end >= p.end)) continue;
    if (used.some((x) => x.first < p.end && x.end > p.start)) continue;
    const last = free.at(-1);
    if (last && last.end === p.start) {
      last.end = p.end;
      last.size = last.end - last.first;
    } else {
      free.push({ lane: "network", kind: "free", name: "free", family, first: p.start, end: p.end, size: p.end - p.start, notes: [] });
    }
  }
  for (const f of free) f.cidr = rangeText(family, f.first, f.end);
  return free;
}

/** "10.2.32.0 - 10.128.1.0" (or the CIDR when the stretch is one). */
function rangeText(family, first, end) {
  const size = end - first;
  if ((size & (size - 1n)) === 0n && first % size === 0n) {
    return formatCidr(family, first, (family === 4 ? 32 : 128) - log2Ceil(size));
  }
  return `${formatCidr(family, first, family === 4 ? 32 : 128).split("/")[0]} – ${formatCidr(family, end - 1n, family === 4 ? 32 : 128).split("/")[0]}`;
}

function laneTitle(lane) {
  if (lane === "network") return "network";
  if (lane === "holes") return "holes (reused)";
  const [kind, name] = [lane.slice(0, lane.indexOf(":")), lane.slice(lane.indexOf(":") + 1)];
  return kind === "nodes" ? `${name} · nodes` : name;
}

const truncate = (text, px) => {
  const max = Math.floor(px / 6.4);
  if (max < 3) return "";
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
};

/** One SVG for the ranges of one address family. */
function familyMap(items, family) {
  const mine = items.filter((x) => x.family === family);
  if (mine.length === 0) return null;
  const axis = buildAxis(mine, WIDTH - GUTTER - 10);
  const all = [...mine, ...freeItems(mine, axis, family)];
  const lanes = ["network"];
  for (const x of all) if (!lanes.includes(x.lane) && x.lane !== "holes") lanes.push(x.lane);
  if (all.some((x) => x.lane === "holes")) lanes.push("holes");
  const height = AXIS_H + lanes.length * (LANE_H + LANE_GAP) + 4;
  const laneY = (lane) => AXIS_H + lanes.indexOf(lane) * (LANE_H + LANE_GAP);

  const svg = s("svg", {
    class: "address-map",
    viewBox: `0 0 ${WIDTH} ${height}`,
    width: "100%",
    role: "img",
    "aria-label": `IPv${family} address map`,
    dataset: { family: String(family) },
  });
  svg.append(
    s("defs", {},
      s("pattern", { id: `hatch-${family}`, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
        s("rect", { width: 6, height: 6, fill: "#fff" }), s("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#cfd6de", "stroke-width": 2 })),
      s("pattern", { id: `holes-${family}`, width: 8, height: 8, patternUnits: "userSpaceOnUse", patternTransform: "rotate(-45)" },
        s("rect", { width: 8, height: 8, fill: "#fde7e9" }), s("line", { x1: 0, y1: 0, x2: 0, y2: 8, stroke: "#e28b96", "stroke-width": 3 }))),
  );

  // Axis: boundary addresses where there is room, break marks where the axis is cut.
  let lastLabel = -Infinity;
  for (const p of axis) {
    if (!p.covered) {
      svg.append(s("text", { x: (p.x0 + p.x1) / 2, y: AXIS_H - 8, class: "axis-break", "text-anchor": "middle" }, "⋯"));
      continue;
    }
    if (p.x0 - lastLabel > 95) {
      svg.append(s("line", { x1: p.x0, y1: AXIS_H - 6, x2: p.x0, y2: height, class: "tick" }));
      svg.append(s("text", { x: p.x0 + 2, y: AXIS_H - 10, class: "axis-label" }, formatCidr(family, p.start, family === 4 ? 32 : 128).split("/")[0]));
      lastLabel = p.x0;
    }
  }

  for (const lane of lanes) {
    const y = laneY(lane);
    svg.append(s("rect", { x: GUTTER, y, width: WIDTH - GUTTER - 10, height: LANE_H, class: "lane-bg" }));
    svg.append(s("text", { x: GUTTER - 8, y: y + LANE_H / 2 + 4, "text-anchor": "end", class: "lane-label" }, truncate(laneTitle(lane), GUTTER - 12)));
  }

  const order = { pool: 0, free: 1, hole: 2 };
  const sorted = [...all].sort((a, b) => (order[a.kind] ?? 3) - (order[b.kind] ?? 3) || (a.size > b.size ? -1 : a.size < b.size ? 1 : 0));
  for (const x of sorted) {
    const x0 = xOf(axis, x.first);
    const x1 = xOf(axis, x.end);
    const inset = x.kind === "pool" ? 0 : x.kind === "free" ? 2 : 3;
    const y = laneY(x.lane) + inset;
    const hgt = LANE_H - inset * 2;
    const w = Math.max(1.5, x1 - x0 - 1);
    const fillAttr = x.kind === "free" ? `url(#hatch-${family})` : x.kind === "hole" ? `url(#holes-${family})` : null;
    const group = s("g", {
      class: `range kind-${x.kind}${x.flag ? ` flag-${x.flag}` : ""}`,
      tabindex: x.kind === "pool" ? null : "0",
      dataset: { name: x.name, cidr: x.cidr, kind: x.kind, size: formatCount(x.size), notes: x.notes.join("\n") },
    },
    s("title", {}, tooltipText(x)),
    s("rect", { x: x0 + 0.5, y, width: w, height: hgt, rx: 3, fill: fillAttr }));
    const label = x.kind === "pool" ? "" : fitLabel(labelCandidates(x), w - 6);
    if (label) group.append(s("text", { x: x0 + 4, y: y + hgt / 2 + 4, class: "range-label" }, label));
    if (x.flag) group.append(s("text", { x: x0 + w - 2, y: y + 10, class: "flag-mark", "text-anchor": "end" }, x.flag === "overlap" ? "✖" : "⚠"));
    svg.append(group);
  }
  return svg;
}

const ABBREVIATIONS = { pod: "pods", service: "svc", external: "ext", hole: "hole" };

/** Labels for a range, longest first; the map shows the first that fits. */
function labelCandidates(x) {
  const short = shortName(x);
  switch (x.kind) {
    case "free":
      return [`free ${formatCount(x.size)}`, "free"];
    case "node-subnet":
      return [`${x.name} ${x.cidr}`, x.name, short, x.cluster];
    case "node-range":
      return [`${short} ${x.cidr}`, x.cidr, short, short.replace(/^nodes? /, "#")];
    case "allocation":
    case "allocation-unreachable":
      return [`${x.name} ${x.cidr}`, x.name, x.cidr];
    default:
      return [`${short} ${x.cidr}`, x.cidr, short, ABBREVIATIONS[x.kind] ?? short];
  }
}

/** The first candidate that fits in `px`, else the last one cut short. */
function fitLabel(candidates, px) {
  const fits = candidates.find((c) => c.length * 6.4 <= px);
  return fits ?? truncate(candidates.at(-1), px);
}

function shortName(x) {
  if (x.kind === "node-range") return x.name.slice(x.cluster.length + 1);
  if (x.cluster && x.name.startsWith(`${x.cluster} `)) return x.name.slice(x.cluster.length + 1);
  return x.name;
}

export function tooltipText(x) {
  return [`${x.name} — ${KIND_LABEL[x.kind] ?? x.kind}`, `${x.cidr}`, `${formatCount(x.size)} addresses`, ...x.notes].join("\n");
}

function legend() {
  const kinds = ["pool", "allocation", "allocation-unreachable", "node-subnet", "pod", "node-range", "service", "external", "hole", "free"];
  return h("ul", { class: "legend" },
    kinds.map((k) => h("li", {}, h("span", { class: `swatch kind-${k}` }), KIND_LABEL[k])),
    h("li", {}, h("span", { class: "swatch flag-overlap" }), "collision"),
    h("li", {}, h("span", { class: "swatch flag-warning" }), "named in a warning"));
}

const poolsOf = (items, family) => items.filter((x) => x.kind === "pool" && x.family === family).map((x) => x.cidr).join(", ");

/** Draws the map of `spec` and `plan` into `container`, one SVG per address family. */
export function renderAddressMap(container, spec, plan, findOverlaps) {
  const items = flagItems(collectItems(spec, plan), plan, findOverlaps);
  const maps = [4, 6].map((f) => familyMap(items, f)).filter(Boolean);
  const tip = h("div", { class: "map-tooltip", hidden: true, role: "tooltip" });
  fill(container, legend(), maps.length ? maps.map((m, i) => h("figure", {}, h("figcaption", {}, `IPv${m.dataset.family} · network ${poolsOf(items, Number(m.dataset.family))}`), m)) : h("p", {}, "No ranges to draw."), tip);
  container.onmousemove = (ev) => showTip(container, tip, ev);
  container.onmouseleave = () => { tip.hidden = true; };
  container.onfocusin = (ev) => showTip(container, tip, ev);
}

function showTip(container, tip, ev) {
  const g = ev.target.closest?.("g.range");
  if (!g || g.dataset.kind === "pool") {
    tip.hidden = true;
    return;
  }
  const lines = [g.dataset.name, g.dataset.cidr, `${g.dataset.size} addresses`, ...(g.dataset.notes ? g.dataset.notes.split("\n") : [])];
  fill(tip, h("strong", {}, lines[0]), lines.slice(1).map((l, i) => h("div", { class: i === 0 ? "cidr" : i > 1 ? "note" : null }, l)));
  tip.hidden = false;
  const box = container.getBoundingClientRect();
  const target = g.getBoundingClientRect();
  const x = ev.clientX ?? target.left + target.width / 2;
  const y = ev.clientY ?? target.bottom;
  tip.style.left = `${Math.min(x - box.left + 12, box.width - 300)}px`;
  tip.style.top = `${y - box.top + 14}px`;
}

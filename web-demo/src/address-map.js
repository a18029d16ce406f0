// The address map: each address family drawn as one shared axis with lanes, like the
// talk's pictures (network, then each cluster with its pod range, node ranges and service
// range, then the holes clusters reuse). A linear axis would make a /24 invisible next to a
// /8, and IPv6 is worse, so the axis is cut at every range boundary and each piece gets a
// width that grows with the log of its size: order is kept, small ranges stay visible,
// and empty stretches outside every pool shrink to a break mark.
import { h, s, fill } from "./dom.js";
import { formatCidr, formatCount, log2Ceil } from "./prefix-math.js";
import { rangeText } from "./map-items.js";

const WIDTH = 1100;
const GUTTER = 150;
const LANE_H = 28;
const LANE_GAP = 8;
const AXIS_H = 34;
const BREAK_W = 16;

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

function laneTitle(lane) {
  if (lane === "network") return "network";
  if (lane === "holes") return "holes (reused)";
  const [kind, name] = [lane.slice(0, lane.indexOf(":")), lane.slice(lane.indexOf(":") + 1)];
  return kind === "nodes" ? `${name} · nodes` : name;
}

const truncate = (text, px, charPx = 6.4) => {
  const max = Math.floor(px / charPx);
  if (max < 3) return "";
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
};

// Lane labels are bold 12px proportional text, wider than the 11px monospace of the ranges:
// a long cluster name is cut to the gutter (keeping " · nodes") and its <title> holds all of it.
const LANE_CHAR_PX = 7.8;
function laneLabel(lane, x, y) {
  const title = laneTitle(lane);
  const nodes = lane.startsWith("nodes:");
  const name = nodes ? lane.slice("nodes:".length) : title;
  const room = GUTTER - 12 - (nodes ? 8 * LANE_CHAR_PX : 0);
  const shown = nodes ? `${truncate(name, room, LANE_CHAR_PX)} · nodes` : truncate(name, room, LANE_CHAR_PX);
  return s("text", { x, y, "text-anchor": "end", class: "lane-label" }, shown, shown === title ? null : s("title", {}, title));
}

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
    svg.append(laneLabel(lane, GUTTER - 8, y + LANE_H / 2 + 4));
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
      class: `range kind-${x.kind}${x.flag ? ` flag-${x.flag}` : ""}${x.status ? ` status-${x.status}` : ""}`,
      tabindex: x.kind === "pool" ? null : "0",
      dataset: { name: x.name, cidr: x.cidr, kind: x.kind, size: formatCount(x.size), notes: x.notes.join("\n"), ...(x.grouped ? { grouped: String(x.grouped) } : {}), ...(x.status ? { status: x.status } : {}) },
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
      if (x.grouped) return [`${x.name} ${x.cidr}`, x.name, `${x.name.split(" ")[0]} allocs`, `×${x.name.split(" ")[0]}`];
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
    h("li", {}, h("span", { class: "swatch flag-warning" }), "named in a warning"),
    h("li", {}, h("span", { class: "swatch status-new" }), "new since the previous plan"),
    h("li", {}, h("span", { class: "swatch status-changed" }), "changed (grown or added)"),
    h("li", {}, h("span", { class: "swatch status-retained" }), "retained until released"));
}

const poolsOf = (items, family) => items.filter((x) => x.kind === "pool" && x.family === family).map((x) => x.cidr).join(", ");

/**
 * Draws `items` (from map-items.js: the request's and plan's ranges, flagged and grouped)
 * into `container`, one SVG per address family.
 */
export function renderAddressMap(container, items) {
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

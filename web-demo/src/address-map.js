// The address map: each address family drawn as one axis with lanes, like the talk's
// pictures (the network, then each cluster with its pod and service ranges and, unfolded,
// its per-node ranges, then the holes clusters reuse).
//
// The scale tells the truth about sizes: each pool (and each stretch of ranges outside
// every pool) is one segment of the axis drawn to its own linear scale, so within a pool a
// larger range is never drawn narrower than a smaller one; ranges under 2 px are drawn
// 2 px wide and labelled beside themselves. Ticks fall on CIDR boundaries of one size per
// pool. Ranges of one lane that overlap are stacked, so a collision shows two boxes. The
// SVG is drawn at the page's pixel size (never scaled down), in a box that scrolls sideways
// on a phone; every range is focusable and shows on focus what it shows on hover, and the
// same ranges are listed in a table.
import { h, s, fill } from "./dom.js";
import { formatCidr, formatCount as formatCountSlow, log2Ceil } from "./prefix-math.js";
import { rangeText } from "./map-items.js";

const MIN_WIDTH = 720;
const GUTTER = 150;
const ROW_H = 26;
const LANE_GAP = 8;
const AXIS_H = 36;
const BREAK_W = 18;
const MIN_RANGE_W = 2;
const LABEL_H = 18;
const CHAR_PX = 6.7; // 11px monospace
/** Above this many clusters the per-node lanes are folded until asked for. */
export const FOLD_NODES_ABOVE = 6;

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

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// A BigInt's toLocaleString builds a formatter per call (a third of a re-render's time);
// a map draws the same few sizes over and over, so each is formatted once.
const COUNTS = new Map();
function formatCount(size) {
  let text = COUNTS.get(size);
  if (text === undefined) {
    text = formatCountSlow(size);
    if (COUNTS.size < 10_000) COUNTS.set(size, text);
  }
  return text;
}

/** Maximal unions of [first, end) ranges, in address order. */
function unions(ranges) {
  const out = [];
  for (const r of [...ranges].sort((a, b) => cmp(a.first, b.first))) {
    const last = out.at(-1);
    if (last && r.first <= last.end) {
      if (r.end > last.end) last.end = r.end;
    } else {
      out.push({ first: r.first, end: r.end });
    }
  }
  return out;
}

/**
 * The axis: one segment per pool (unions of pools) and per stretch of ranges outside every
 * pool, each with its own linear scale, with breaks between them.
 */
export function buildSegments(items, span) {
  const pools = unions(items.filter((x) => x.kind === "pool"));
  const inPool = (x) => pools.some((p) => p.first <= x.first && x.end <= p.end);
  const outside = unions(items.filter((x) => x.kind !== "pool" && !inPool(x))).map((u) => ({ ...u, outside: true }));
  const segments = [...pools, ...outside].sort((a, b) => cmp(a.first, b.first));
  // Nested outside stretches cannot overlap a pool (they are outside every pool), but a
  // stretch can straddle a pool's edge: merge what overlaps.
  const merged = [];
  for (const seg of segments) {
    const last = merged.at(-1);
    if (last && seg.first < last.end) {
      if (seg.end > last.end) last.end = seg.end;
      last.outside = last.outside && seg.outside;
    } else merged.push({ ...seg });
  }
  const weight = (seg) => Math.max(4, log2Ceil(seg.end - seg.first) + 1);
  const total = merged.reduce((t, seg) => t + weight(seg), 0) || 1;
  const usable = span - Math.max(0, merged.length - 1) * BREAK_W;
  let x = GUTTER;
  for (const seg of merged) {
    seg.size = seg.end - seg.first;
    seg.x0 = x;
    seg.w = (usable * weight(seg)) / total;
    seg.x1 = x + seg.w;
    seg.perPx = Number(seg.size) / seg.w; // addresses per pixel (may be a float past 2^53)
    x = seg.x1 + BREAK_W;
  }
  return merged;
}

/** Where `addr` falls on the axis (the segment holding it; an end address closes its segment). */
function xOf(segments, addr) {
  for (const seg of segments) {
    if (addr >= seg.first && addr <= seg.end) {
      const part = Number(((addr - seg.first) * 1_000_000n) / (seg.size || 1n)) / 1_000_000;
      return seg.x0 + part * seg.w;
    }
  }
  return GUTTER;
}

/** The free stretches of each pool (no other range of the map in them). */
function freeItems(items, family) {
  const pools = unions(items.filter((x) => x.kind === "pool"));
  const used = unions(items.filter((x) => x.kind !== "pool"));
  const free = [];
  for (const p of pools) {
    let at = p.first;
    for (const u of used) {
      if (u.end <= at || u.first >= p.end) continue;
      if (u.first > at) free.push({ first: at, end: u.first });
      if (u.end > at) at = u.end;
    }
    if (at < p.end) free.push({ first: at, end: p.end });
  }
  return free.map((f) => ({ lane: "network", kind: "free", name: "free", family, first: f.first, end: f.end, size: f.end - f.first, notes: [], cidr: rangeText(family, f.first, f.end) }));
}

function laneTitle(lane) {
  if (lane === "network") return "network";
  if (lane === "holes") return "holes (reused)";
  const name = lane.slice(lane.indexOf(":") + 1);
  return lane.startsWith("nodes:") ? `${name} · nodes` : name;
}

const truncate = (text, px, charPx = CHAR_PX) => {
  const max = Math.floor(px / charPx);
  if (max < 3) return "";
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
};

// Lane labels are bold 12px proportional text: a long cluster name is cut to the gutter
// (keeping " · nodes") and its <title> holds all of it.
const LANE_CHAR_PX = 7.8;
function laneLabel(lane, x, y) {
  const title = laneTitle(lane);
  const nodes = lane.startsWith("nodes:");
  const name = nodes ? lane.slice("nodes:".length) : title;
  const room = GUTTER - 12 - (nodes ? 8 * LANE_CHAR_PX : 0);
  const shown = nodes ? `${truncate(name, room, LANE_CHAR_PX)} · nodes` : truncate(name, room, LANE_CHAR_PX);
  return s("text", { x, y, "text-anchor": "end", class: "lane-label" }, shown, shown === title ? null : s("title", {}, title));
}

/** Rows of a lane: ranges that overlap go in different rows (greedy, by start). */
function stackRows(ranges) {
  const rowEnds = [];
  for (const x of [...ranges].sort((a, b) => cmp(a.first, b.first) || cmp(b.end, a.end))) {
    if (x.kind === "pool" || x.kind === "free") {
      x.row = 0;
      continue;
    }
    let row = rowEnds.findIndex((end) => end <= x.first);
    if (row < 0) {
      row = rowEnds.length;
      rowEnds.push(x.end);
    } else rowEnds[row] = x.end;
    x.row = row;
  }
  return Math.max(1, rowEnds.length);
}

/** A tick step (a power of two) for a segment: at least `px` apart. */
function tickStep(seg, px) {
  const wanted = seg.perPx * px;
  let k = 0;
  while (k < 128 && 2 ** k < wanted) k += 1;
  return 1n << BigInt(k);
}

/** One SVG for the ranges of one address family. */
function familyMap(items, family, { width, showNodes }) {
  const mine = items.filter((x) => x.family === family && (showNodes || x.kind !== "node-range"));
  if (mine.length === 0) return null;
  const span = width - GUTTER - 10;
  const segments = buildSegments(mine, span);
  const all = [...mine, ...freeItems(mine, family)];
  const lanes = ["network"];
  for (const x of all) if (!lanes.includes(x.lane) && x.lane !== "holes") lanes.push(x.lane);
  if (all.some((x) => x.lane === "holes")) lanes.push("holes");
  const rows = new Map(lanes.map((lane) => [lane, stackRows(all.filter((x) => x.lane === lane))]));
  const { labels, labelRows } = placeLabels(all, segments, GUTTER + span);
  const laneTop = new Map();
  const laneH = (lane) => rows.get(lane) * ROW_H + (labelRows.get(lane) ?? 0) * LABEL_H;
  let y = AXIS_H;
  for (const lane of lanes) {
    laneTop.set(lane, y);
    y += laneH(lane) + LANE_GAP;
  }
  const height = y + 4;

  const svg = s("svg", {
    class: "address-map",
    viewBox: `0 0 ${width} ${height}`,
    width: String(width),
    height: String(height),
    role: "group",
    "aria-label": `IPv${family} address map: ${mine.filter((x) => x.kind !== "pool").length} ranges`,
    dataset: { family: String(family) },
  });
  svg.append(
    s("defs", {},
      s("pattern", { id: `hatch-${family}`, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
        s("rect", { width: 6, height: 6, fill: "#fff" }), s("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#cfd6de", "stroke-width": 2 })),
      s("pattern", { id: `holes-${family}`, width: 8, height: 8, patternUnits: "userSpaceOnUse", patternTransform: "rotate(-45)" },
        s("rect", { width: 8, height: 8, fill: "#fde7e9" }), s("line", { x1: 0, y1: 0, x2: 0, y2: 8, stroke: "#e28b96", "stroke-width": 3 }))),
  );

  // Ticks on CIDR boundaries: one step per segment, labelled with the block they start.
  const bits = family === 4 ? 32 : 128;
  const labelPx = family === 4 ? 110 : 150;
  segments.forEach((seg, i) => {
    if (i > 0) svg.append(s("text", { x: seg.x0 - BREAK_W / 2, y: AXIS_H - 10, class: "axis-break", "text-anchor": "middle" }, "⋯"));
    const step = tickStep(seg, labelPx);
    const first = ((seg.first + step - 1n) / step) * step;
    for (let a = first; a < seg.end; a += step) {
      const x = xOf([seg], a);
      if (seg.x1 - x < labelPx * 0.8 && a !== seg.first) break;
      const len = bits - log2Ceil(step);
      svg.append(s("line", { x1: x, y1: AXIS_H - 6, x2: x, y2: height, class: "tick", dataset: { tick: formatCidr(family, a, len) } }));
      svg.append(s("text", { x: x + 2, y: AXIS_H - 12, class: "axis-label" }, formatCidr(family, a, len)));
    }
  });

  for (const lane of lanes) {
    const top = laneTop.get(lane);
    const hgt = laneH(lane);
    svg.append(s("rect", { x: GUTTER, y: top, width: span, height: hgt, class: "lane-bg" }));
    svg.append(laneLabel(lane, GUTTER - 8, top + Math.min(hgt, ROW_H) / 2 + 4));
  }

  // Drawn pools first, then free, holes and the rest, largest first (small ones on top).
  const order = { pool: 0, free: 1, hole: 2 };
  const sorted = [...all].sort((a, b) => (order[a.kind] ?? 3) - (order[b.kind] ?? 3) || cmp(b.size, a.size));
  const texts = [];
  for (const x of sorted) {
    const x0 = xOf(segments, x.first);
    const x1 = xOf(segments, x.end);
    const w = widthOf(x0, x1);
    const inset = x.kind === "pool" ? 0 : x.kind === "free" ? 2 : 3;
    const top = laneTop.get(x.lane) + (x.kind === "pool" ? 0 : (x.row ?? 0) * ROW_H) + inset;
    const hgt = (x.kind === "pool" ? rows.get(x.lane) * ROW_H : ROW_H) - inset * 2;
    const fillAttr = x.kind === "free" ? `url(#hatch-${family})` : x.kind === "hole" ? `url(#holes-${family})` : null;
    const focusable = x.kind !== "pool";
    const group = s("g", {
      class: `range kind-${x.kind}${x.flag ? ` flag-${x.flag}` : ""}${x.status ? ` status-${x.status}` : ""}`,
      tabindex: focusable ? "0" : null,
      role: focusable ? "img" : null,
      "aria-label": focusable ? tooltipText(x).replace(/\n/g, "; ") : null,
      dataset: { name: x.name, cidr: x.cidr, kind: x.kind, size: formatCount(x.size), notes: x.notes.join("\n"), width: w.toFixed(2), ...(x.grouped ? { grouped: String(x.grouped) } : {}), ...(x.status ? { status: x.status } : {}) },
    },
    s("title", {}, tooltipText(x)),
    s("rect", { x: x0 + 0.5, y: top, width: w, height: hgt, rx: w > 6 ? 3 : 1, fill: fillAttr }));
    const label = labels.get(x);
    if (label) {
      // Labels are drawn last, over every range; a label below the lane hangs from a leader.
      group.dataset.label = label.text;
      if (label.row === undefined) {
        texts.push(s("text", { x: label.x, y: top + hgt / 2 + 4, class: `range-label${label.beside ? " beside" : ""}`, "text-anchor": label.end ? "end" : null }, label.text));
      } else {
        const ly = laneTop.get(x.lane) + rows.get(x.lane) * ROW_H + label.row * LABEL_H;
        const mid = x0 + w / 2;
        texts.push(s("path", { d: `M${mid} ${top + hgt}V${ly + LABEL_H / 2}H${label.x - 2}`, class: "leader" }));
        texts.push(s("text", { x: label.x, y: ly + LABEL_H / 2 + 4, class: "range-label beside" }, label.text));
      }
    }
    if (x.flag) group.append(s("text", { x: x0 + Math.max(w, 10) - 2, y: top + 10, class: "flag-mark", "text-anchor": "end" }, x.flag === "overlap" ? "✖" : "⚠"));
    svg.append(group);
  }
  svg.append(s("g", { class: "labels", "aria-hidden": "true" }, texts));
  svg.scale = segments;
  return svg;
}

const widthOf = (x0, x1) => Math.max(MIN_RANGE_W, x1 - x0 - (x1 - x0 > 4 ? 1 : 0));

/**
 * Where each range's label goes: inside when it fits; else beside it in its row, when the
 * text crosses no other range; else in a label row under the lane, joined to its range by
 * a leader. A run of four or more narrow ranges side by side (twelve node subnets) gets one
 * label for the run. Free stretches are labelled at their right end when nothing is there.
 * Returns {labels: Map(range -> {x, text, beside?, end?, row?}), labelRows: Map(lane -> n)}.
 */
function placeLabels(all, segments, right) {
  const labels = new Map();
  const labelRows = new Map();
  const byLane = new Map();
  for (const x of all) {
    if (x.kind === "pool") continue;
    if (!byLane.has(x.lane)) byLane.set(x.lane, []);
    byLane.get(x.lane).push(x);
  }
  for (const [lane, list] of byLane) {
    list.sort((a, b) => cmp(a.first, b.first));
    const geo = new Map(list.map((x) => {
      const x0 = xOf(segments, x.first);
      return [x, { x0, w: widthOf(x0, xOf(segments, x.end)) }];
    }));
    const rects = list.filter((x) => x.kind !== "free");
    const crosses = (x, from, to) => rects.some((o) => o !== x && (o.row ?? 0) === (x.row ?? 0) && geo.get(o).x0 < to && geo.get(o).x0 + geo.get(o).w > from);
    const taken = new Map(); // row -> [[from, to]] of labels in that range row
    const free = (row, from, to) => !(taken.get(row) ?? []).some(([l, r]) => l < to + 8 && r > from - 8);
    const take = (row, from, to) => { if (!taken.has(row)) taken.set(row, []); taken.get(row).push([from, to]); };
    const below = []; // label rows: [[from, to]] each
    // Runs of narrow neighbours: one label each run.
    const runs = [];
    for (const x of rects) {
      const { x0, w } = geo.get(x);
      const last = runs.at(-1);
      const prev = last?.at(-1);
      if (w <= 4 && prev && geo.get(prev).w <= 4 && x0 - (geo.get(prev).x0 + geo.get(prev).w) < 6 && (prev.row ?? 0) === (x.row ?? 0) && prev.kind === x.kind) last.push(x);
      else runs.push([x]);
    }
    for (const run of runs.flatMap((r) => (r.length >= 4 ? [r] : r.map((x) => [x])))) {
      const x = run[0];
      const { x0, w } = geo.get(x);
      const end = geo.get(run.at(-1)).x0 + geo.get(run.at(-1)).w;
      const candidates = run.length >= 4
        ? [`${run.length} ${KIND_PLURAL[x.kind] ?? "ranges"} ${x.cidr.split("/")[0]} – ${run.at(-1).cidr}`, `${run.length} ${KIND_PLURAL[x.kind] ?? "ranges"}`]
        : labelCandidates(x);
      if (run.length >= 4) for (const other of run.slice(1)) labels.set(other, null);
      const row = x.row ?? 0;
      const inside = run.length < 4 ? fitLabel(candidates, w - 8) : "";
      if (inside && inside.length >= 4) {
        labels.set(x, { x: x0 + 4, text: inside });
        take(row, x0, x0 + w);
        continue;
      }
      // Beside, in its own row: the longest candidate that crosses no range and no label.
      const start = end + 4;
      const beside = candidates.slice(0, 2).find((c) => {
        const to = start + c.length * CHAR_PX;
        return to <= right && !crosses(x, start, to) && free(row, start, to);
      });
      if (beside) {
        labels.set(x, { x: start, text: beside, beside: true });
        take(row, start, start + beside.length * CHAR_PX);
        continue;
      }
      // Below the lane: the first label row with room, from the range's own x.
      const text = candidates[0];
      const from = Math.min(x0 + 6, right - text.length * CHAR_PX);
      const to = from + text.length * CHAR_PX;
      let k = below.findIndex((spans) => !spans.some(([l, r]) => l < to + 10 && r > from - 10));
      if (k < 0) {
        k = below.length;
        below.push([]);
      }
      below[k].push([from, to]);
      labels.set(x, { x: from, text, row: k });
    }
    labelRows.set(lane, below.length);
    for (const f of list.filter((x) => x.kind === "free")) {
      const { x0, w } = geo.get(f);
      if (w < 120) continue;
      const text = fitLabel(labelCandidates(f), Math.min(w - 8, 160));
      const a = x0 + w - 4 - text.length * CHAR_PX;
      if (!text || !free(0, a, x0 + w) || crosses(f, a, x0 + w)) continue;
      labels.set(f, { x: x0 + w - 4, text, end: true });
    }
  }
  for (const [x, v] of labels) if (v === null) labels.delete(x);
  return { labels, labelRows };
}

const KIND_PLURAL = {
  allocation: "allocations",
  "allocation-unreachable": "allocations",
  "node-subnet": "node subnets",
  pod: "pod ranges",
  "node-range": "per-node ranges",
  service: "service ranges",
  external: "external ranges",
  hole: "holes",
};

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
  const fits = candidates.find((c) => c.length * CHAR_PX <= px);
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

/** The caption saying which scale each pool is drawn to. */
function scaleText(segments, family) {
  const parts = segments.map((seg) => {
    const name = seg.outside ? `outside the pools (${rangeText(family, seg.first, seg.end)})` : rangeText(family, seg.first, seg.end);
    const per = seg.perPx >= 1e15 ? `2^${Math.round(Math.log2(seg.perPx))}` : Math.round(seg.perPx).toLocaleString("en-US");
    return `${name}: 1 px ≈ ${per} addresses`;
  });
  return `Scale: each pool is drawn to its own linear scale (${parts.join("; ")}), so within a pool a larger range is never narrower than a smaller one; ranges under ${MIN_RANGE_W} px are drawn ${MIN_RANGE_W} px wide and labelled beside themselves. Ticks fall on CIDR blocks of one size per pool, labelled with the block.`;
}

/** The same ranges as a table, built when opened (a closed table costs a re-render nothing). */
function mapTable(items, state) {
  const rows = items.filter((x) => x.kind !== "free");
  const body = () => h("div", { class: "matrix-scroll", tabindex: "0", role: "region", "aria-label": "the map's ranges" }, h("table", { class: "data" },
    h("thead", {}, h("tr", {}, ["lane", "name", "kind", "CIDR", "addresses", "notes"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map((x) => h("tr", { dataset: { cidr: x.cidr } },
      h("td", {}, laneTitle(x.lane)),
      h("th", { scope: "row" }, x.name),
      h("td", {}, KIND_LABEL[x.kind] ?? x.kind),
      h("td", { class: "cidr" }, x.cidr),
      h("td", { class: "num" }, formatCount(x.size)),
      h("td", {}, x.notes.join("; ")))))));
  const details = h("details", { class: "map-table", id: "map-table", open: state.tableOpen ? true : null },
    h("summary", {}, `The map as a table (${rows.length} ranges)`),
    state.tableOpen ? body() : null);
  details.addEventListener("toggle", () => {
    state.tableOpen = details.open;
    if (details.open && !details.querySelector("table")) details.append(body());
  });
  return details;
}

const poolsOf = (items, family) => items.filter((x) => x.kind === "pool" && x.family === family).map((x) => x.cidr).join(", ");

/** Per-container state: the items on screen and whether the per-node lanes are unfolded. */
const STATE = new WeakMap();

/**
 * Draws `items` (from map-items.js: the request's and plan's ranges, flagged and grouped)
 * into `container`, one SVG per address family, at the container's width (at least
 * MIN_WIDTH px: narrower screens scroll the map sideways). `clusters`: how many clusters
 * the plan has (above FOLD_NODES_ABOVE the per-node lanes start folded).
 */
export function renderAddressMap(container, items, { clusters = 0, keys = null } = {}) {
  const state = STATE.get(container) ?? { showNodes: null, width: 0 };
  STATE.set(container, state);
  state.items = items;
  state.clusters = clusters;
  // `keys` ({folded, all}: the items as text, without and with the per-node ranges): when
  // what would be drawn is what is on screen, nothing is redrawn (an edit of a cluster's
  // nodes changes only per-node ranges, which a folded map does not draw).
  const showNodes = state.showNodes ?? clusters <= FOLD_NODES_ABOVE;
  const key = keys ? `${showNodes}\u0000${clusters}\u0000${showNodes ? keys.all : keys.folded}` : null;
  if (key !== null && key === state.drawnKey && container.firstChild) return;
  state.drawnKey = key;
  draw(container, state);
  if (!state.observer && typeof ResizeObserver === "function") {
    // Redrawn in the next frame, not inside the observer's callback: a redraw resizes the
    // container, which inside the callback is a "ResizeObserver loop" error.
    state.observer = new ResizeObserver(([entry]) => {
      state.boxWidth = Math.floor(entry.contentRect.width);
      const width = Math.max(MIN_WIDTH, state.boxWidth);
      if (Math.abs(width - state.width) <= 24 || state.redraw) return;
      state.redraw = requestAnimationFrame(() => {
        state.redraw = 0;
        draw(container, state);
      });
    });
    state.observer.observe(container);
  }
}

function draw(container, state) {
  const { items, clusters } = state;
  const showNodes = state.showNodes ?? clusters <= FOLD_NODES_ABOVE;
  // The observed width when known: reading clientWidth after other panels changed would
  // force a layout of the whole page in the middle of a render.
  const width = Math.max(MIN_WIDTH, state.boxWidth ?? Math.floor(container.clientWidth || 1100));
  state.width = width;
  const hasNodes = items.some((x) => x.kind === "node-range");
  const maps = [4, 6].map((f) => familyMap(items, f, { width, showNodes })).filter(Boolean);
  const tip = h("div", { class: "map-tooltip", hidden: true, role: "tooltip", id: "map-tooltip" });
  const toggle = hasNodes
    ? h("button", { type: "button", class: "fold", id: "toggle-nodes", "aria-pressed": String(showNodes), onclick: () => { state.showNodes = !showNodes; state.drawnKey = null; draw(container, state); } },
      showNodes ? "Fold the per-node lanes" : "Show the per-node lanes")
    : null;
  fill(container,
    h("div", { class: "map-tools" }, toggle, h("span", { class: "note" }, showNodes ? "" : `Compact view: per-node ranges folded (${clusters} clusters).`)),
    legend(),
    maps.length
      ? maps.map((m) => h("figure", {},
        h("figcaption", {}, `IPv${m.dataset.family} · network ${poolsOf(items, Number(m.dataset.family))}`),
        h("div", { class: "map-scroll" }, m),
        h("p", { class: "scale-note", dataset: { family: m.dataset.family } }, scaleText(m.scale, Number(m.dataset.family)))))
      : h("p", {}, "No ranges to draw."),
    mapTable(items.filter((x) => x.kind !== "pool"), state),
    tip);
  state.tip = tip;
  if (!state.listening) {
    // focusin has no on- property: listeners, added once per container. Focus shows what hover shows.
    state.listening = true;
    container.addEventListener("mousemove", (ev) => showTip(container, state.tip, ev));
    container.addEventListener("mouseleave", () => { state.tip.hidden = true; });
    container.addEventListener("focusin", (ev) => showTip(container, state.tip, ev));
    container.addEventListener("focusout", () => { state.tip.hidden = true; });
  }
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
  const focus = ev.type === "focusin";
  const x = focus ? target.left + Math.min(target.width, 40) / 2 : ev.clientX;
  const y = focus ? target.bottom - 14 : ev.clientY;
  tip.style.left = `${Math.max(0, Math.min(x - box.left + 12, box.width - 300))}px`;
  tip.style.top = `${y - box.top + 14}px`;
}

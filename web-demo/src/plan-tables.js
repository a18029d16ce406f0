// The plan as tables: ranges per cluster, the reachability matrix, warnings and headroom.
import { h, fill } from "./dom.js";
import { isCollision } from "./warning-severity.js";

const cidrCell = (v) => h("td", { class: "cidr" }, v ?? "–");

export function renderClusters(container, plan) {
  const v6 = plan.clusters.some((c) => c.pod_cidr_v6);
  const mapped = plan.clusters.some((c) => c.external_pod_cidr);
  fill(container, h("table", { class: "data", id: "cluster-ranges" },
    h("thead", {}, h("tr", {},
      ["cluster", "pod range", "per node", v6 ? "pod range v6" : null, "service range", v6 ? "service range v6" : null, "node subnet", mapped ? "external pods" : null, "egress", "ingress", "no masquerade to"]
        .filter(Boolean).map((t) => h("th", {}, t)))),
    h("tbody", {}, plan.clusters.map((c) => h("tr", { dataset: { cluster: c.name } },
      h("th", { scope: "row" }, c.name),
      cidrCell(c.pod_cidr),
      h("td", {}, c.pods_in_node_subnet ? "pods in the node subnet" : `/${c.node_pod_mask}`),
      v6 ? cidrCell(c.pod_cidr_v6) : null,
      cidrCell(c.service_cidr),
      v6 ? cidrCell(c.service_cidr_v6) : null,
      cidrCell(c.node_subnet),
      mapped ? cidrCell(c.external_pod_cidr) : null,
      h("td", { class: `how how-${c.egress}` }, c.egress),
      h("td", { class: `how how-${c.ingress}` }, c.ingress),
      h("td", { class: "cidr" }, c.non_masquerade_cidrs.join(", ")))))));
}

const HOW_TEXT = {
  direct: "direct (routed)",
  snat: "SNAT to the node",
  gateway: "through a gateway",
  nat: "1:1 NAT",
  none: "no path",
};

const count = (n) => n.toLocaleString("en-US");

/**
 * Rows "from", columns "to": one cell per pair the core reports (plan-view.js keeps the
 * first allocations; `hidden` counts those left out).
 */
export function renderReachability(container, reachability, hidden = 0) {
  const ends = [];
  for (const r of reachability) for (const e of [r.from, r.to]) if (!ends.includes(e)) ends.push(e);
  const rank = (e) => (e.startsWith("pod:") ? 0 : e === "network" ? 1 : 2);
  ends.sort((a, b) => rank(a) - rank(b));
  const how = new Map(reachability.map((r) => [`${r.from}\u0000${r.to}`, r.how]));
  const froms = ends.filter((e) => reachability.some((r) => r.from === e));
  const tos = ends.filter((e) => reachability.some((r) => r.to === e));
  fill(container, h("div", { class: "matrix-scroll", tabindex: "0", role: "region", "aria-label": "reachability matrix" }, h("table", { class: "data matrix", id: "reachability" },
    h("thead", {}, h("tr", {}, h("th", { class: "corner" }, "from ↓ to →"), tos.map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, froms.map((f) => h("tr", {},
      h("th", { scope: "row" }, f),
      tos.map((t) => {
        const v = how.get(`${f}\u0000${t}`);
        return v ? h("td", { class: `how how-${v}`, title: HOW_TEXT[v] ?? v }, v) : h("td", { class: "na" }, f === t ? "" : "–");
      })))))),
  hidden ? h("p", { class: "note more", id: "reachability-more" }, `and ${count(hidden)} more allocations, not shown (Export plan JSON lists every pair).`) : null);
}

/** Collisions first; `hidden` counts the warnings plan-view.js left out. */
/**
 * The cloud's rules that decided something in the plan (EKS service ranges, AKS forbidden
 * ranges, pods in the node subnet...), each with its range and clusters; docs/clouds.md
 * gives each rule's source.
 */
export function renderRules(container, rules = [], cloud = "generic") {
  fill(container, rules.length === 0
    ? h("p", { class: "note", id: "rules-none" }, cloud === "generic"
      ? "No cloud chosen: only the generic subnet reservations apply. Choose the cloud under Network for its rules."
      : "None of the cloud's rules changed this plan.")
    : h("ul", { class: "rules", id: "rules" },
      rules.map((r) => h("li", { dataset: { code: r.code } },
        h("code", {}, r.code), " ",
        h("span", { class: "cidr" }, r.range),
        r.clusters?.length ? ` (${r.clusters.join(", ")})` : "",
        ": ", r.message))));
}

export function renderWarnings(container, warnings, hidden = 0) {
  fill(container, warnings.length === 0
    ? h("p", { class: "ok" }, "No warnings.")
    : h("ul", { class: "warnings", id: "warnings" },
      [...warnings.filter((w) => isCollision(w.code)), ...warnings.filter((w) => !isCollision(w.code))].map((w) =>
        h("li", { class: isCollision(w.code) ? "collision" : "advice" }, h("code", {}, w.code), " ", w.message))),
  hidden ? h("p", { class: "note more", id: "warnings-more" }, `and ${count(hidden)} more warnings (Export plan JSON lists them all).`) : null);
}

const BINDING_TEXT = {
  node_subnet: "node subnet",
  pod_cidr: "pod range",
  service_cidr: "service range",
};

export function renderHeadroom(container, headroom) {
  fill(container,
    h("p", { class: "headroom-summary" },
      h("strong", { id: "more-clusters" }, String(headroom.more_clusters)),
      ` more clusters like ${headroom.template} fit (first limit: ${BINDING_TEXT[headroom.more_clusters_binding] ?? headroom.more_clusters_binding}).`),
    h("table", { class: "data", id: "headroom" },
      h("thead", {}, h("tr", {}, ["cluster", "nodes", "node capacity", "more nodes", "limit reached first"].map((t) => h("th", {}, t)))),
      h("tbody", {}, headroom.clusters.map((c) => h("tr", {},
        h("th", { scope: "row" }, c.name),
        h("td", { class: "num" }, c.nodes.toLocaleString("en-US")),
        h("td", { class: "num" }, c.node_capacity.toLocaleString("en-US")),
        h("td", { class: "num" }, c.more_nodes.toLocaleString("en-US")),
        h("td", {}, BINDING_TEXT[c.binding] ?? c.binding))))));
}

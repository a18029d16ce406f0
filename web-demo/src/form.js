// The request form: network, clusters, requirements and model. Every input carries the
// request path it edits (data-path) and its kind (data-kind); app.js listens once on the
// form and writes values into the request. Rows are added and removed here.
import { h } from "./dom.js";
import { getAt, inputText } from "./spec-path.js";
import { MAX_FORM_ALLOCATIONS } from "./plan-view.js";
import { POOL_KINDS } from "./pool-kinds.js";

const MODELS = ["auto", "flat", "island", "isolated", "mapped", "archipelago"];

const REQUIREMENT_CHOICES = [
  ["ip_space", "IP space", [["", "judge from free space"], ["plentiful", "available"], ["scarce", "scarce / fragmented"]]],
  ["network_programmable", "Network programmable / dynamic", [["", "not stated"], ["true", "yes"], ["false", "no"]], "tri"],
  ["integration", "Integration with the network", [["", "not stated"], ["none", "none"], ["some", "some"], ["high", "high / performance"]]],
  ["cross_cluster_integration", "Integration across clusters", [["", "not stated"], ["none", "none"], ["some", "some"], ["high", "high"]]],
  ["kubernetes_footprint", "Kubernetes share of the footprint", [["", "not stated"], ["small", "small"], ["large", "large"]]],
  ["exposed_services", "Services exposed outside", [["", "not stated"], ["few", "few"], ["many", "many"]]],
];

const REQUIREMENT_FLAGS = [
  ["debug_connectivity", "Need to debug connectivity"],
  ["direct_to_endpoint", "Direct-to-endpoint communication"],
  ["non_http_services", "Non-HTTP services exposed"],
  ["client_ip_firewalls", "Firewalls rely on client IPs"],
  ["allow_non_rfc1918", "Allow non-RFC 1918 pod ranges (100.64.0.0/10, 240.0.0.0/4)"],
  ["identical_clusters", "Clusters must be internally identical"],
];

const errorSlot = () => h("small", { class: "field-error", role: "alert", "aria-live": "polite" });

function textInput(spec, path, kind, attrs = {}) {
  return h("input", {
    type: "text",
    spellcheck: "false",
    autocomplete: "off",
    dataset: { path, kind },
    value: inputText(kind, getAt(spec, path)),
    ...attrs,
  });
}

// Names are free text of any length: a one-line box would show only their start, so they
// go in a textarea that wraps and grows with its text (CSS field-sizing, or sized here where
// that is unsupported) and keeps a name on one logical line: Enter and pasted line breaks
// do not make a newline, as in <input type="text">.
const SIZES_TO_CONTENT = globalThis.CSS?.supports?.("field-sizing", "content") ?? false;

function fitHeight(area) {
  if (SIZES_TO_CONTENT || !area.isConnected) return;
  area.style.height = "auto";
  area.style.height = `${area.scrollHeight + area.offsetHeight - area.clientHeight}px`;
}

const refit = !SIZES_TO_CONTENT && typeof ResizeObserver === "function"
  ? new ResizeObserver((entries) => {
    for (const { target } of entries) {
      if (target.isConnected) fitHeight(target);
      else refit.unobserve(target); // a row removed or the form redrawn
    }
  })
  : null;

function nameInput(spec, path, attrs = {}) {
  const area = h("textarea", {
    class: "name",
    rows: "1",
    spellcheck: "false",
    autocomplete: "off",
    dataset: { path, kind: "text" },
    value: inputText("text", getAt(spec, path)),
    onkeydown: (ev) => { if (ev.key === "Enter") ev.preventDefault(); },
    // Runs before the form's listener (this is the event's target), so the request gets the one-line name.
    oninput: () => {
      if (/[\r\n]/.test(area.value)) area.value = area.value.replace(/\r\n?|\n/g, " ");
      fitHeight(area);
    },
    ...attrs,
  });
  refit?.observe(area);
  return area;
}

function numberInput(spec, path, attrs = {}) {
  return textInput(spec, path, "int", { inputmode: "numeric", class: "num", ...attrs });
}

function select(spec, path, kind, options, attrs = {}) {
  const current = inputText(kind, getAt(spec, path));
  return h(
    "select",
    { dataset: { path, kind }, ...attrs },
    options.map(([value, label]) => h("option", { value, selected: value === current }, label)),
  );
}

/** A labelled field: the control and, right after it, the slot for the core's message. */
function field(label, control, path) {
  return h("label", { class: "field", dataset: { field: path } }, h("span", { class: "field-label" }, label), control, errorSlot());
}

/** A table cell holding one control and its error slot. */
function cell(control, path) {
  return h("td", { class: "field", dataset: { field: path } }, control, errorSlot());
}

const removeButton = (action, index, what) =>
  h("button", { type: "button", class: "icon", dataset: { action, index: String(index) }, title: `remove ${what}`, "aria-label": `remove ${what}` }, "×");

/** Rows a long table of the form is drawn with; the rest follow a batch per frame. */
export const ROWS_PER_BATCH = 12;

/**
 * A tbody with the first ROWS_PER_BATCH of `count` rows (`row(i)` builds row i). When there
 * are more, a job goes into `later` (or, without `later`, the rows are all drawn now): each
 * call appends the next batch and returns true while rows remain. At 10^4 allocations the
 * form's 50 allocation rows and 12 cluster rows, drawn and laid out in one frame, were
 * most of a 100-170 ms task.
 */
function rowsBody(count, row, later) {
  const first = later ? Math.min(count, ROWS_PER_BATCH) : count;
  const body = h("tbody", {}, Array.from({ length: first }, (_, i) => row(i)));
  let next = first;
  if (next < count) {
    later.push(() => {
      const end = Math.min(count, next + ROWS_PER_BATCH);
      const batch = [];
      for (; next < end; next += 1) batch.push(row(next));
      body.append(...batch);
      return next < count;
    });
  }
  return body;
}

function networkSection(spec, later) {
  const pools = spec.network.pools.map((_, i) =>
    h("div", { class: "row" }, field(`Pool ${i + 1}`, textInput(spec, `network.pools.${i}`, "cidr", { class: "cidr", placeholder: "10.0.0.0/8" }), `network.pools.${i}`), spec.network.pools.length > 1 ? removeButton("remove-pool", i, `pool ${i + 1}`) : null),
  );
  const allocations = spec.network.allocations ?? [];
  // Thousands of rows of inputs would freeze the page: the first ones are listed, all are planned.
  const over = allocations.length > MAX_FORM_ALLOCATIONS;
  const row = (i) =>
    h(
      "tr",
      {},
      cell(nameInput(spec, `network.allocations.${i}.name`, { "aria-label": `allocation ${i + 1} name` }), `network.allocations.${i}.name`),
      cell(textInput(spec, `network.allocations.${i}.cidr`, "cidr", { class: "cidr", "aria-label": `allocation ${i + 1} CIDR` }), `network.allocations.${i}.cidr`),
      cell(h("input", { type: "checkbox", dataset: { path: `network.allocations.${i}.reachable`, kind: "bool" }, checked: getAt(spec, `network.allocations.${i}.reachable`) !== false, "aria-label": `allocation ${i + 1} reachable from pods` }), `network.allocations.${i}.reachable`),
      h("td", {}, removeButton("remove-allocation", i, `allocation ${i + 1}`)),
    );
  return h(
    "fieldset",
    { id: "network" },
    h("legend", {}, "Network"),
    h("div", { class: "pools" }, pools, h("button", { type: "button", dataset: { action: "add-pool" } }, "+ pool")),
    h("h4", {}, "Allocations already in it"),
    h("div", { class: "allocations-scroll" }, h(
      "table",
      { class: "grid" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "name"), h("th", { scope: "col" }, "CIDR"), h("th", { scope: "col", title: "pods must reach it" }, "reachable"), h("th", { scope: "col", class: "visually-hidden-th" }, "remove"))),
      rowsBody(Math.min(allocations.length, MAX_FORM_ALLOCATIONS), row, later),
    )),
    over
      ? h("p", { class: "note", id: "allocations-more" },
        `Showing the first ${MAX_FORM_ALLOCATIONS} of ${allocations.length.toLocaleString("en-US")} allocations; all of them are planned. Edit the others in the request JSON (Export request JSON, then Import).`)
      : h("button", { type: "button", dataset: { action: "add-allocation" } }, "+ allocation"),
    h("details", { class: "import-box", id: "import-box" },
      h("summary", {}, "Import what the network already holds (paste, or drop a file on this box)"),
      h("p", { class: "note" }, "AWS describe-vpcs / describe-subnets, gcloud subnets list, az network vnet list, NetBox prefixes (JSON or CSV), kubectl get nodes -o json, terraform show -json, ip -j route. The shape is recognised from the content; each range keeps its origin."),
      h("textarea", { id: "import-text", class: "import-text", rows: "4", spellcheck: "false", "aria-label": "inventory text to import" }),
      h("button", { type: "button", dataset: { action: "import-pasted" } }, "Import pasted text")),
    cloudFields(spec),
  );
}

/** The CNI modes of each cloud, as `network.cni` spells them (docs/clouds.md). */
export const CNI_CHOICES = [
  ["", "default: per-node ranges from a pod range", null],
  ["vpc_cni", "EKS VPC CNI: pods in the node subnet", "aws"],
  ["custom_networking", "EKS custom networking: pods in their own subnets", "aws"],
  ["azure_cni", "Azure CNI: pods in the node subnet", "azure"],
  ["overlay", "Azure CNI overlay: pods outside the VNet, /24 per node", "azure"],
  ["kubenet", "kubenet: pods outside the VNet, /24 per node", "azure"],
  ["vpc_native", "GKE VPC-native: pods in secondary ranges", "gcp"],
];

/**
 * After the cloud changed: a CNI mode of another cloud is dropped from the request, and
 * the CNI choices become the new cloud's.
 */
export function followCloud(form, spec) {
  const cloud = spec.network?.cloud ?? "";
  const owner = CNI_CHOICES.find(([value]) => value === spec.network?.cni)?.[2];
  if (spec.network?.cni && owner !== cloud) delete spec.network.cni;
  const sel = form.querySelector('[data-path="network.cni"]');
  if (!sel) return;
  sel.replaceChildren(...CNI_CHOICES.filter(([value, , o]) => value === "" || o === cloud)
    .map(([value, label]) => h("option", { value, selected: value === (spec.network?.cni ?? "") }, label)));
}

/** The cloud, its CNI mode, and pools per kind of range (each empty: the network's pools). */
function cloudFields(spec) {
  const cloud = spec.network?.cloud ?? "";
  const cni = CNI_CHOICES.filter(([value, , owner]) => value === "" || owner === cloud || value === spec.network?.cni);
  const poolField = (key, label, placeholder) =>
    field(label, textInput(spec, `network.${key}`, "list", { class: "cidr-list", placeholder: `${placeholder} (empty: the pools above)` }), `network.${key}`);
  return h("div", { class: "cloud-fields" },
    h("div", { class: "row" },
      field("Cloud (its rules and subnet reservations)", select(spec, "network.cloud", "optional", [["", "generic / on-prem"], ["aws", "AWS (EKS)"], ["azure", "Azure (AKS)"], ["gcp", "Google Cloud (GKE)"]]), "network.cloud"),
      field("How pods get addresses (CNI)", select(spec, "network.cni", "optional", cni.map(([value, label]) => [value, label]), { id: "cni-select" }), "network.cni")),
    h("details", { class: "pool-kinds", id: "pool-kinds", open: POOL_KINDS.some(({ key }) => Boolean(spec.network?.[key])) },
      h("summary", {}, "Pools per kind of range (nodes from the VPC, pods or services from elsewhere)"),
      POOL_KINDS.map(({ key, label, example }) => poolField(key, label, example))),
  );
}

function clustersSection(spec, later) {
  const row = (i) => {
    const p = (k) => `clusters.${i}.${k}`;
    return h(
      "tr",
      { dataset: { cluster: String(i) } },
      cell(nameInput(spec, p("name"), { "aria-label": `cluster ${i + 1} name` }), p("name")),
      cell(numberInput(spec, p("nodes"), { "aria-label": `cluster ${i + 1} nodes` }), p("nodes")),
      cell(numberInput(spec, p("max_nodes"), { placeholder: "= nodes", "aria-label": `cluster ${i + 1} max nodes` }), p("max_nodes")),
      cell(numberInput(spec, p("max_pods_per_node"), { placeholder: "110", "aria-label": `cluster ${i + 1} max pods per node` }), p("max_pods_per_node")),
      cell(numberInput(spec, p("services"), { placeholder: "auto", "aria-label": `cluster ${i + 1} services` }), p("services")),
      cell(textInput(spec, p("group"), "optional", { class: "short", placeholder: "-", "aria-label": `cluster ${i + 1} group` }), p("group")),
      cell(select(spec, p("family"), "optional", [["", "IPv4"], ["ipv6", "IPv6"], ["dual", "dual"]], { "aria-label": `cluster ${i + 1} family` }), p("family")),
      cell(textInput(spec, p("node_subnet"), "optional", { class: "cidr", placeholder: "auto", "aria-label": `cluster ${i + 1} node subnet` }), p("node_subnet")),
      h("td", {}, spec.clusters.length > 1 ? removeButton("remove-cluster", i, `cluster ${i + 1}`) : null),
    );
  };
  return h(
    "fieldset",
    { id: "clusters" },
    h("legend", {}, "Clusters"),
    h(
      "table",
      { class: "grid" },
      h("thead", {}, h("tr", {}, ["name", "nodes", "max nodes", "max pods/node", "services", "group", "family", "node subnet", "remove"].map((t) => h("th", { scope: "col", class: t === "remove" ? "visually-hidden-th" : null }, t)))),
      rowsBody(spec.clusters.length, row, later),
    ),
    h("button", { type: "button", dataset: { action: "add-cluster" } }, "+ cluster"),
  );
}

function requirementsSection(spec, exampleKeys) {
  const example = (key) => (exampleKeys.has(key) ? " example-value" : "");
  return h(
    "fieldset",
    { id: "requirements" },
    h("legend", {}, "Requirements (what you know; leave unknown ones not stated)"),
    exampleKeys.size
      ? h("div", { class: "example-banner", id: "example-requirements" },
        h("p", {}, "The marked values are the built-in example's, not yours: the recommendation uses them until you state your own or change the network."),
        h("button", { type: "button", dataset: { action: "clear-example-requirements" } }, "Clear the example's requirements"))
      : null,
    h(
      "div",
      { class: "req-grid" },
      REQUIREMENT_CHOICES.map(([key, label, options, kind]) => {
        const f = field(label, select(spec, `requirements.${key}`, kind ?? "optional", options), `requirements.${key}`);
        f.className += example(key);
        return f;
      }),
    ),
    h(
      "div",
      { class: "req-flags" },
      REQUIREMENT_FLAGS.map(([key, label]) =>
        h(
          "label",
          { class: `flag field${example(key)}`, dataset: { field: `requirements.${key}` } },
          h("input", { type: "checkbox", dataset: { path: `requirements.${key}`, kind: "flag" }, checked: getAt(spec, `requirements.${key}`) === true }),
          " ",
          label,
          errorSlot(),
        ),
      ),
    ),
    h("div", { class: "row" }, field("Network model", select(spec, "model", "text", MODELS.map((m) => [m, m === "auto" ? "auto (the recommendation)" : m]), { id: "model-select" }), "model")),
  );
}

/**
 * The whole form for `spec` (a plan request), as a fresh element tree. `later`: an array
 * that receives the jobs drawing the rest of long tables (see rowsBody), for the caller to
 * run one per frame; without it every row is drawn now.
 */
export function renderForm(spec, { exampleKeys = new Set(), later = null } = {}) {
  // Screen order is tab order: clusters, then the network, then the requirements.
  return [clustersSection(spec, later), networkSection(spec, later), requirementsSection(spec, exampleKeys)];
}

/** A new cluster row, named so it does not clash with the others. */
export function newCluster(spec) {
  const names = new Set(spec.clusters.map((c) => c.name));
  let n = spec.clusters.length + 1;
  while (names.has(`cluster-${n}`)) n += 1;
  return { name: `cluster-${n}`, nodes: 3, max_nodes: 100, max_pods_per_node: 110 };
}

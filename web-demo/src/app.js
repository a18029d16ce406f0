// The page's controller: holds the request, listens to the form, replans (debounced) and
// renders every panel. The core runs in a Web Worker (engine.js): a replan posts the request
// and renders the answer when it comes, unless a newer request superseded it; the page
// says "Planning…" meanwhile. Errors never empty the page: the last good plan stays,
// marked stale.
import { h, fill } from "./dom.js";
import { renderForm, newCluster } from "./form.js";
import { valueFromInput, setAt } from "./spec-path.js";
import { clearFieldErrors, showFieldError } from "./field-errors.js";
import { renderRanking } from "./ranking-view.js";
import { renderAddressMap } from "./address-map.js";
import { renderClusters, renderReachability, renderWarnings, renderHeadroom } from "./plan-tables.js";
import { renderExports } from "./exports-view.js";
import { formatsFor } from "./export-formats.js";
import { decodeSpec, LinkError } from "./state-url.js";
import { checkSpecShape } from "./spec-shape.js";
import { copyText, download } from "./downloads.js";
import { specJson } from "./spec-json.js";

const DEBOUNCE_MS = 150;
/** A plan answered sooner than this never shows "Planning…" (no flicker on small plans). */
const BUSY_AFTER_MS = 100;

const $ = (id) => document.getElementById(id);
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

export class App {
  /** `engine`: an Engine (engine.js); `info`: what its worker found in the package. */
  constructor(engine, info) {
    this.engine = engine;
    this.info = info;
    this.formats = formatsFor(info.formats);
    this.spec = this.example();
    this.timer = null;
    this.busyTimer = null;
    this.planSeq = 0;
    this.lastPlan = null;
    this.lastPlanJson = null;
    this.linkHash = null;
    this.exportFormat = "kubeadm";
    this.exportPlanId = null;
    this.exportTexts = new Map();
    this.rendered = false;
    /** A loaded previous plan (JSON text): re-plans keep every range of its clusters. */
    this.previousJson = null;
  }

  /** The built-in example request (a fresh copy). */
  example() {
    return structuredClone(this.info.example);
  }

  /** Reads the request from the link (or takes the example) and draws the first plan. */
  start() {
    this.loadFromHash(location.hash, { fallback: true });
    this.bindForm();
    this.bindToolbar();
    window.addEventListener("hashchange", () => {
      if (location.hash !== this.linkHash) this.loadFromHash(location.hash, { fallback: false });
    });
  }

  loadFromHash(hash, { fallback }) {
    let spec = null;
    try {
      spec = decodeSpec(hash);
    } catch (err) {
      const why = err instanceof LinkError ? err.message : String(err);
      this.notice(`This link's plan could not be read (${why}). ${fallback ? "Showing the built-in example instead." : "Keeping the current plan."}`, "link-error");
      if (!fallback) return;
    }
    this.setSpec(spec ?? this.example(), { keepNotice: true });
  }

  setSpec(spec, { keepNotice = false, replan = true } = {}) {
    this.spec = spec;
    this.spec.network.allocations ??= [];
    this.spec.requirements ??= {};
    if (!keepNotice) this.notice(null);
    fill($("form"), renderForm(this.spec));
    if (replan) this.replan();
  }

  /** A message above the form (null clears it). */
  notice(text, id = "notice") {
    const box = $("notice");
    if (!text) {
      fill(box);
      box.hidden = true;
      return;
    }
    box.hidden = false;
    fill(box, h("p", { id, role: "alert" }, text));
  }

  bindForm() {
    const form = $("form");
    const onEdit = (ev) => {
      const el = ev.target;
      if (!el.dataset?.path) return;
      setAt(this.spec, el.dataset.path, valueFromInput(el.dataset.kind, el.value, el.checked));
      this.schedule();
    };
    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
    form.addEventListener("submit", (ev) => ev.preventDefault());
    form.addEventListener("click", (ev) => {
      const button = ev.target.closest("button[data-action]");
      if (!button) return;
      const i = Number(button.dataset.index);
      const { network, clusters } = this.spec;
      switch (button.dataset.action) {
        case "add-pool": network.pools.push(""); break;
        case "remove-pool": network.pools.splice(i, 1); break;
        case "add-allocation": network.allocations.push({ name: `allocation-${network.allocations.length + 1}`, cidr: "", reachable: true }); break;
        case "remove-allocation": network.allocations.splice(i, 1); break;
        case "add-cluster": clusters.push(newCluster(this.spec)); break;
        case "remove-cluster": clusters.splice(i, 1); break;
        default: return;
      }
      fill(form, renderForm(this.spec));
      this.replan();
    });
  }

  bindToolbar() {
    $("copy-link").addEventListener("click", async () => {
      const ok = await copyText(location.href);
      this.flash(ok ? "Link copied." : "Copy the address bar to share this plan.");
    });
    $("export-request").addEventListener("click", () => download("cidrplan-request.json", `${JSON.stringify(this.spec, null, 2)}\n`, "application/json"));
    $("export-plan").addEventListener("click", () => {
      if (this.lastPlanJson) download("cidrplan-plan.json", this.lastPlanJson, "application/json"); // UTF-8 bytes
    });
    $("import-file").addEventListener("change", async (ev) => {
      const file = ev.target.files?.[0];
      ev.target.value = "";
      if (file) this.importText(await file.text(), file.name);
    });
    $("reset").addEventListener("click", () => this.setSpec(this.example()));
    $("previous-file").addEventListener("change", async (ev) => {
      const file = ev.target.files?.[0];
      ev.target.value = "";
      if (file) this.loadPrevious(await file.text(), file.name);
    });
    $("forget-previous").addEventListener("click", () => this.loadPrevious(null));
  }

  /**
   * Keeps `text`, a plan file (`cidrplan plan --json`, or Export plan JSON), as the previous
   * plan: its clusters keep every range, and the map marks kept, new and changed ranges.
   * A plan file carries its request, which becomes the request when the form has none of it.
   */
  loadPrevious(text, source) {
    if (text === null) {
      this.previousJson = null;
      $("forget-previous").hidden = true;
      this.flash("Previous plan forgotten.");
      this.replan();
      return;
    }
    try {
      const value = JSON.parse(text);
      if (!value || typeof value !== "object" || !Array.isArray(value.clusters) || typeof value.model !== "string") {
        throw new Error("not a plan file (it needs model and clusters)");
      }
      this.previousJson = text;
      $("forget-previous").hidden = false;
      this.flash(`Previous plan ${source}: its clusters keep their ranges.`);
      if (value.request && typeof value.request === "object") {
        this.setSpec(checkSpecShape(value.request));
        return;
      }
    } catch (err) {
      this.notice(`Could not load the previous plan ${source}: ${err.message}`, "previous-error");
      return;
    }
    this.replan();
  }

  /**
   * Loads a request from JSON text (an exported request, or a plan's request part). A file
   * can hold 10^5 allocations: parsing, checking and sending it are separate tasks, so the
   * page keeps painting between them.
   */
  async importText(text, source) {
    try {
      const value = JSON.parse(text);
      await nextTask();
      this.setSpec(checkSpecShape(value), { replan: false });
      this.flash(`Imported ${source}.`);
    } catch (err) {
      this.notice(`Could not import ${source}: ${err.message}`, "import-error");
      return;
    }
    await nextTask();
    this.replan();
  }

  flash(text) {
    const el = $("toolbar-status");
    el.textContent = text;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => { el.textContent = ""; }, 2500);
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.replan(), DEBOUNCE_MS);
  }

  /**
   * Sends the request to the worker; the answer is rendered unless a newer one replaced it.
   * A large request is turned into JSON a slice at a time, yielding to the page between.
   */
  async replan() {
    clearTimeout(this.timer);
    const t0 = performance.now();
    const seq = ++this.planSeq;
    this.setBusy(true);
    const json = await specJson(this.spec, async () => {
      await nextTask();
      return seq === this.planSeq;
    });
    if (json === null) return; // a newer replan started meanwhile
    const job = this.engine.run("plan", { json, previous: this.previousJson }, { lane: "plan", supersedes: ["plan", "export"] });
    job.then(
      (res) => res && this.applyResult(res, job.id, t0),
      (err) => this.applyFailure(err),
    );
  }

  setBusy(on) {
    const results = $("results");
    clearTimeout(this.busyTimer);
    results.setAttribute("aria-busy", String(on));
    if (!on) {
      results.classList.remove("busy");
      return;
    }
    this.busyTimer = setTimeout(() => {
      results.classList.add("busy");
      fill($("plan-status"), h("span", { class: "spinner", "aria-hidden": "true" }), "Planning…");
    }, BUSY_AFTER_MS);
  }

  /** The link follows the request; a request too large for a link clears it (and says so). */
  setLink(hash) {
    if (hash) {
      if (location.hash !== hash) history.replaceState(null, "", hash);
    } else if (location.hash) {
      history.replaceState(null, "", `${location.pathname}${location.search}`);
    }
    this.linkHash = hash ?? "";
  }

  applyResult(res, planId, t0) {
    this.setBusy(false);
    this.setLink(res.hash);
    clearFieldErrors($("form"));
    fill($("plan-error"));
    if (res.error) {
      this.showPlanError(res.error, res.ranking);
    } else {
      this.lastPlan = res.plan;
      this.lastPlanJson = res.planJson;
      this.renderPlan(res, planId);
      $("results").classList.remove("stale");
      const total = performance.now() - t0;
      const status = $("plan-status");
      status.dataset.planMs = res.ms.plan.toFixed(1);
      status.dataset.totalMs = total.toFixed(1);
      status.dataset.workerMs = res.ms.total.toFixed(1);
      status.dataset.mapMs = (res.ms.map ?? 0).toFixed(1);
      const size = res.allocations > 1000 ? ` ${res.allocations.toLocaleString("en-US")} allocations,` : "";
      const against = res.summary
        ? ` Against the previous plan: ${res.summary.kept} clusters kept as they were, ${res.summary.changes} changes${res.summary.retained ? `, ${res.summary.retained} clusters retained` : ""}${res.summary.breaking ? " (a range moved)" : ""}.`
        : "";
      fill(status,
        `Planned in ${total.toFixed(1)} ms by cidrplan ${this.info.version} (WebAssembly in a worker:${size} ${res.ms.plan.toFixed(1)} ms planning).${against}`,
        res.hash ? null : h("span", { id: "link-too-long" }, " This request is too large for a link: share it with Export request JSON."));
    }
    this.markRendered();
  }

  /** The worker itself failed (it could not load, or crashed): say so, keep the last plan. */
  applyFailure(err) {
    this.setBusy(false);
    fill($("plan-error"), h("p", { class: "error", role: "alert", id: "plan-error-text" }, `The planner failed: ${err?.message ?? err}`));
    $("results").classList.add("stale");
    $("plan-status").textContent = this.lastPlan ? "Showing the last plan that worked." : "No plan yet.";
    this.markRendered();
  }

  markRendered() {
    if (this.rendered) return;
    this.rendered = true;
    performance.mark("cidrplan:first-render");
    document.documentElement.dataset.ready = "true";
  }

  showPlanError(err, ranking) {
    const placed = showFieldError($("form"), err);
    const code = err?.code ? `${err.code}: ` : "";
    fill($("plan-error"), h("p", { class: "error", role: "alert", id: "plan-error-text" },
      placed ? "Fix the marked field: " : "", code, String(err?.message ?? err).replace(/^invalid spec: /, "")));
    $("results").classList.add("stale");
    $("plan-status").textContent = this.lastPlan ? "Showing the last plan that worked." : "No plan yet.";
    // The ranking still explains why no model fits when the request itself is readable.
    if (ranking) renderRanking($("ranking-panel"), ranking, null, this.spec.model, (m) => this.pickModel(m));
  }

  pickModel(model) {
    this.spec.model = model;
    const select = $("model-select");
    if (select) select.value = model;
    this.replan();
  }

  renderPlan({ plan, items }, planId) {
    renderRanking($("ranking-panel"), plan.ranking, plan.model, this.spec.model, (m) => this.pickModel(m));
    renderAddressMap($("map-panel"), items);
    renderClusters($("clusters-panel"), plan);
    renderReachability($("reachability-panel"), plan.reachability, plan.reachability_hidden);
    renderWarnings($("warnings-panel"), plan.warnings, plan.warnings_hidden);
    renderHeadroom($("headroom-panel"), plan.headroom);
    this.exportPlanId = planId;
    this.exportTexts = new Map();
    this.drawExports();
  }

  /** The exports panel for the plan on screen; the text of a format comes from the worker. */
  drawExports() {
    const container = $("exports-panel");
    if (!this.info.hasExports) {
      renderExports(container, { missing: true });
      return;
    }
    const format = this.formats.find((f) => f.id === this.exportFormat) ?? this.formats[0];
    const got = this.exportTexts.get(format.id);
    renderExports(container, {
      formats: this.formats,
      format,
      text: got?.text,
      error: got?.error,
      onSelect: (id) => {
        this.exportFormat = id;
        this.drawExports();
      },
    });
    if (!got) this.requestExport(format.id);
  }

  requestExport(format) {
    const planId = this.exportPlanId;
    const done = (entry) => {
      if (planId !== this.exportPlanId) return;
      this.exportTexts.set(format, entry);
      if (this.exportFormat === format) this.drawExports();
    };
    // A newer tab supersedes this one; the running export finishes (cancelling would
    // restart the worker and lose the plan it renders from).
    this.engine.run("export", { planId, format }, { lane: "export", cancel: false }).then(
      (res) => res && done({ text: res.text }),
      (err) => err?.code !== "stale" && done({ error: String(err?.message ?? err) }),
    );
  }
}

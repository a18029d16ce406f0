// The page's controller: holds the request, listens to the form, replans (debounced) and
// renders every panel. Errors never empty the page: the last good plan stays, marked stale.
import { h, fill } from "./dom.js";
import { renderForm, newCluster } from "./form.js";
import { valueFromInput, setAt } from "./spec-path.js";
import { clearFieldErrors, showFieldError } from "./field-errors.js";
import { renderRanking } from "./ranking-view.js";
import { renderAddressMap } from "./address-map.js";
import { renderClusters, renderReachability, renderWarnings, renderHeadroom } from "./plan-tables.js";
import { renderExports } from "./exports-view.js";
import { encodeSpec, decodeSpec, LinkError } from "./state-url.js";
import { checkSpecShape } from "./spec-shape.js";
import { copyText, download } from "./downloads.js";
import * as engine from "./engine.js";

const DEBOUNCE_MS = 150;

const $ = (id) => document.getElementById(id);

export class App {
  constructor() {
    this.spec = engine.example();
    this.timer = null;
    this.lastPlan = null;
    this.rendered = false;
  }

  /** Reads the request from the link (or takes the example) and draws the first plan. */
  start() {
    this.loadFromHash(location.hash, { fallback: true });
    this.bindForm();
    this.bindToolbar();
    window.addEventListener("hashchange", () => {
      if (location.hash !== encodeSpec(this.spec)) this.loadFromHash(location.hash, { fallback: false });
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
    this.setSpec(spec ?? engine.example(), { keepNotice: true });
  }

  setSpec(spec, { keepNotice = false } = {}) {
    this.spec = spec;
    this.spec.network.allocations ??= [];
    this.spec.requirements ??= {};
    if (!keepNotice) this.notice(null);
    fill($("form"), renderForm(this.spec));
    this.replan();
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
      if (this.lastPlan) download("cidrplan-plan.json", `${JSON.stringify(this.lastPlan, null, 2)}\n`, "application/json");
    });
    $("import-file").addEventListener("change", async (ev) => {
      const file = ev.target.files?.[0];
      ev.target.value = "";
      if (file) this.importText(await file.text(), file.name);
    });
    $("reset").addEventListener("click", () => this.setSpec(engine.example()));
  }

  /** Loads a request from JSON text (an exported request, or a plan's request part). */
  importText(text, source) {
    try {
      const value = JSON.parse(text);
      this.setSpec(checkSpecShape(structuredClone(value)));
      this.flash(`Imported ${source}.`);
    } catch (err) {
      this.notice(`Could not import ${source}: ${err.message}`, "import-error");
    }
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

  replan() {
    clearTimeout(this.timer);
    const form = $("form");
    clearFieldErrors(form);
    fill($("plan-error"));
    history.replaceState(null, "", encodeSpec(this.spec));
    const t0 = performance.now();
    let plan = null;
    try {
      plan = engine.plan(this.spec);
    } catch (err) {
      this.showPlanError(err);
    }
    if (plan) {
      this.lastPlan = plan;
      this.renderPlan(plan);
      $("results").classList.remove("stale");
      $("plan-status").textContent = `Planned in ${(performance.now() - t0).toFixed(1)} ms by cidrplan ${engine.packageVersion()} (WebAssembly, in this page).`;
    }
    if (!this.rendered) {
      this.rendered = true;
      performance.mark("cidrplan:first-render");
      document.documentElement.dataset.ready = "true";
    }
  }

  showPlanError(err) {
    const placed = showFieldError($("form"), err);
    const code = err?.code ? `${err.code}: ` : "";
    fill($("plan-error"), h("p", { class: "error", role: "alert", id: "plan-error-text" },
      placed ? "Fix the marked field: " : "", code, String(err?.message ?? err).replace(/^invalid spec: /, "")));
    $("results").classList.add("stale");
    $("plan-status").textContent = this.lastPlan ? "Showing the last plan that worked." : "No plan yet.";
    // The ranking still explains why no model fits when the request itself is readable.
    try {
      const rec = engine.recommend(this.spec);
      renderRanking($("ranking-panel"), rec.ranking, null, this.spec.model, (m) => this.pickModel(m));
    } catch {
      // The request is unreadable: the field message says why.
    }
  }

  pickModel(model) {
    this.spec.model = model;
    const select = $("model-select");
    if (select) select.value = model;
    this.replan();
  }

  renderPlan(plan) {
    renderRanking($("ranking-panel"), plan.ranking, plan.model, this.spec.model, (m) => this.pickModel(m));
    renderAddressMap($("map-panel"), this.spec, plan, engine.overlaps);
    renderClusters($("clusters-panel"), plan);
    renderReachability($("reachability-panel"), plan.reachability);
    renderWarnings($("warnings-panel"), plan.warnings);
    renderHeadroom($("headroom-panel"), plan.headroom);
    renderExports($("exports-panel"), this.spec);
  }
}

// The page's controller: holds the request, listens to the form, replans (debounced) and
// renders every panel. The core runs in a Web Worker (engine.js): a replan posts the request
// and renders the answer when it comes, unless a newer request superseded it; the page
// says "Planning…" meanwhile. Errors never empty the page: the last good plan stays,
// marked stale.
import { h, fill } from "./dom.js";
import { renderForm, newCluster, followCloud } from "./form.js";
import { valueFromInput, setAt, normalizePath as normalizeField } from "./spec-path.js";
import { clearFieldErrors, showFieldError, markFields, markCollisions } from "./field-errors.js";
import { checkFields, plainWords } from "./field-check.js";
import { failureSentence } from "./plan-failure.js";
import { reasonOrigin } from "./model-text.js";
import { readImport } from "./import-file.js";
import { renderRanking } from "./ranking-view.js";
import { renderAddressMap } from "./address-map.js";
import { renderClusters, renderReachability, renderRules, renderWarnings, renderHeadroom } from "./plan-tables.js";
import { renderExports } from "./exports-view.js";
import { formatsFor } from "./export-formats.js";
import { decodeSpec, LinkError } from "./state-url.js";
import { checkSpecShape } from "./spec-shape.js";
import { copyText, download } from "./downloads.js";
import { specJson } from "./spec-json.js";

const DEBOUNCE_MS = 150;
/** The pause after an edit when the last plan took under FAST_PLAN_MS in the worker. */
const FAST_DEBOUNCE_MS = 90;
const FAST_PLAN_MS = 40;
/** A field's message shows this long after the last keystroke in it (or when it loses focus). */
const SETTLE_MS = 900;
/** A plan answered sooner than this never shows "Planning…" (no flicker on small plans). */
const BUSY_AFTER_MS = 100;

const $ = (id) => document.getElementById(id);
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
/**
 * Runs `work` as a named step on the performance timeline ("cidrplan:<name>"), so a
 * profile or the benchmark can say which step of the page made a long task.
 */
let measured = 0;
function timed(name, work) {
  const start = performance.now();
  try {
    return work();
  } finally {
    performance.measure(`cidrplan:${name}`, { start });
    // The timeline keeps every entry: a long session drops the old ones (observers got them).
    if (++measured % 1000 === 0) performance.clearMeasures();
  }
}
/**
 * Resolves in a task after the next frame (what was drawn is laid out and painted by
 * then), or after 100 ms where frames do not come (a page in a background tab).
 */
const afterPaint = () => new Promise((resolve) => {
  let done = false;
  const go = () => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    resolve();
  };
  const fallback = setTimeout(go, 100);
  requestAnimationFrame(() => setTimeout(go, 0));
});

/** `spec` without allocation rows whose CIDR is still blank (the same object when there are none). */
function withoutBlankRows(spec) {
  const list = spec.network?.allocations ?? [];
  if (!list.some((a) => String(a.cidr ?? "").trim() === "")) return spec;
  return { ...spec, network: { ...spec.network, allocations: list.filter((a) => String(a.cidr ?? "").trim() !== "") } };
}

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
    /** Requirement keys whose values are still the built-in example's, not the user's. */
    this.exampleKeys = new Set();
    /** Fields the user has finished with (left, or stopped typing in): their messages show. */
    this.settled = new Set();
    this.settleTimer = null;
    /** The next link change makes a new history entry (Back returns to the state before). */
    this.checkpoint = false;
    /** The request before the last Reset, for Undo. */
    this.undoSpec = null;
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
    // Back and Forward: each history entry's link holds the request of that step.
    const restore = () => {
      if (location.hash === this.linkHash) return;
      this.linkHash = location.hash;
      this.loadFromHash(location.hash, { fallback: true, fromHistory: true });
    };
    window.addEventListener("popstate", restore);
    window.addEventListener("hashchange", restore);
  }

  loadFromHash(hash, { fallback, fromHistory = false }) {
    let spec = null;
    try {
      spec = decodeSpec(hash);
    } catch (err) {
      const why = err instanceof LinkError ? err.message : String(err);
      this.notice(`This link's plan could not be read (${why}). ${fallback ? "Showing the built-in example instead." : "Keeping the current plan."}`, "link-error");
      if (!fallback) return;
    }
    if (spec === null && fromHistory && history.state?.noLink) {
      this.notice("That step's request was too large for a link, so Back cannot bring it back: use Export request JSON to keep large requests.", "history-note");
      return;
    }
    this.setSpec(spec ?? this.example(), { keepNotice: true, fromExample: spec === null || this.isExampleNetwork(spec) });
  }

  /** True when `spec` has the example's network and requirements (a reloaded example page). */
  isExampleNetwork(spec) {
    const ex = this.info.example;
    return JSON.stringify(spec.network) === JSON.stringify(ex.network) && JSON.stringify(spec.requirements ?? {}) === JSON.stringify(ex.requirements ?? {});
  }

  /**
   * Shows `spec` in the form and plans it. `fromExample`: its requirements are the built-in
   * example's, and say so until the user states their own or changes the network.
   */
  setSpec(spec, { keepNotice = false, replan = true, fromExample = false } = {}) {
    this.spec = spec;
    this.spec.network.allocations ??= [];
    this.spec.requirements ??= {};
    this.exampleKeys = new Set(fromExample ? Object.keys(this.spec.requirements) : []);
    this.settled = new Set();
    if (!keepNotice) this.notice(null);
    this.drawForm();
    if (replan) this.replan();
  }

  /**
   * Draws the form: the first rows of long tables now, the rest a batch per frame (so no
   * frame lays out the whole form of a large request). A newer drawing stops an older one.
   */
  drawForm() {
    const later = [];
    const drawing = (this.formDrawing = {});
    timed("form", () => fill($("form"), renderForm(this.spec, { exampleKeys: this.exampleKeys, later })));
    if (later.length) this.drawLaterRows(later, drawing);
  }

  async drawLaterRows(later, drawing) {
    while (later.length) {
      await afterPaint();
      if (drawing !== this.formDrawing) return;
      timed("form-rows", () => {
        if (!later[0]()) later.shift();
      });
    }
    // Messages and collision marks of the rows just drawn.
    if (this.settled.size || this.lastCollisions?.length) this.showLocalErrors();
  }

  /** The example's requirements are dropped: the recommendation rests on what the user states. */
  clearExampleRequirements(why) {
    for (const key of this.exampleKeys) delete this.spec.requirements[key];
    this.exampleKeys = new Set();
    for (const el of $("form").querySelectorAll('[data-path^="requirements."]')) {
      if (el.type === "checkbox") el.checked = false;
      else if (el.id !== "model-select") el.value = "";
      el.closest(".field")?.classList.remove("example-value");
    }
    $("example-requirements")?.remove();
    if (why) this.notice(why, "requirements-cleared");
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
      const path = el.dataset.path;
      setAt(this.spec, path, valueFromInput(el.dataset.kind, el.value, el.checked));
      if (path === "network.cloud") followCloud(form, this.spec);
      if (path.startsWith("requirements.")) {
        this.exampleKeys.delete(path.slice("requirements.".length));
        el.closest(".field")?.classList.remove("example-value");
      } else if (path.startsWith("network.") && this.exampleKeys.size) {
        this.clearExampleRequirements("You changed the network, so the example's requirements were cleared: the recommendation now rests on what you state under Requirements and on what is measured in your network.");
      }
      // A select or checkbox is finished when changed; text when the user pauses or leaves it.
      if (ev.type === "change" || el.tagName === "SELECT" || el.type === "checkbox") this.settled.add(path);
      else this.settleSoon(path);
      this.schedule();
    };
    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
    form.addEventListener("focusout", (ev) => {
      const path = ev.target.dataset?.path;
      if (!path || this.settled.has(path) || !ev.target.dataset.edited) return;
      this.settled.add(path);
      this.showLocalErrors();
    });
    form.addEventListener("input", (ev) => { if (ev.target.dataset) ev.target.dataset.edited = "true"; }, true);
    form.addEventListener("submit", (ev) => ev.preventDefault());
    // A file dropped anywhere on the form is imported (an inventory, a request or a plan).
    form.addEventListener("dragover", (ev) => { ev.preventDefault(); $("network")?.classList.add("drop-target"); });
    form.addEventListener("dragleave", () => $("network")?.classList.remove("drop-target"));
    form.addEventListener("drop", async (ev) => {
      ev.preventDefault();
      $("network")?.classList.remove("drop-target");
      const file = ev.dataTransfer?.files?.[0];
      if (file) this.importText(await file.text(), file.name);
    });
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
        case "import-pasted": {
          const text = $("import-text").value;
          if (text.trim()) this.importText(text, "the pasted text");
          return;
        }
        case "clear-example-requirements": this.clearExampleRequirements(null); this.checkpoint = true; this.replan(); return;
        default: return;
      }
      // Paths shift when a row goes: messages show again once the user finishes a field.
      this.settled = new Set();
      this.checkpoint = true;
      this.drawForm();
      this.replan();
    });
  }

  settleSoon(path) {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settled.add(path);
      this.showLocalErrors();
    }, SETTLE_MS);
  }

  /** The page's own checks, shown at the fields the user has finished; true when all pass. */
  showLocalErrors() {
    return timed("field-checks", () => {
      const problems = checkFields(this.spec);
      const form = $("form");
      clearFieldErrors(form);
      markFields(form, [...problems].filter(([path]) => this.settled.has(path) || path === "clusters"));
      if (this.lastCollisions) markCollisions(form, this.lastCollisions);
      return problems;
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
    $("reset").addEventListener("click", () => {
      this.undoSpec = structuredClone(this.spec);
      this.checkpoint = true;
      this.setSpec(this.example(), { fromExample: true });
      $("undo").hidden = false;
      this.flash("Reset to the example: Undo (or Back) brings your plan back.", 10_000);
    });
    $("undo").addEventListener("click", () => {
      if (!this.undoSpec) return;
      this.checkpoint = true;
      this.setSpec(this.undoSpec);
      this.undoSpec = null;
      $("undo").hidden = true;
      this.flash("Your plan is back.");
    });
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
      const got = await readImport(text, source, this.spec, (format, body) => this.engine.run("import", { format, text: body }, { lane: "import" }));
      await nextTask();
      this.checkpoint = true;
      if (got.kind === "plan") {
        // A plan file: its request, with the plan as the previous plan (its clusters keep their ranges).
        this.previousJson = text;
        $("forget-previous").hidden = false;
      }
      // An inventory changes the network: the example's requirements go, as on any network edit.
      const cleared = got.kind === "inventory" && this.exampleKeys.size > 0;
      if (cleared) for (const key of this.exampleKeys) delete got.spec.requirements?.[key];
      this.setSpec(got.spec, { replan: false });
      this.flash(got.message, 6000);
      if (got.kind === "inventory") this.notice(`${got.message}${cleared ? " The example's requirements were cleared: state yours under Requirements." : ""}`, "import-summary");
    } catch (err) {
      this.notice(`Could not import ${source}: ${err.message}`, "import-error");
      return;
    }
    await nextTask();
    this.replan();
  }

  flash(text, ms = 2500) {
    const el = $("toolbar-status");
    el.textContent = text;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => { el.textContent = ""; }, ms);
  }

  schedule() {
    clearTimeout(this.timer);
    // A plan that comes back in a few milliseconds replans sooner; a slow one waits for the
    // user to pause (a newer edit would cancel it by restarting the worker).
    const wait = (this.lastWorkerMs ?? Infinity) < FAST_PLAN_MS ? FAST_DEBOUNCE_MS : DEBOUNCE_MS;
    this.timer = setTimeout(() => this.replan(), wait);
  }

  /**
   * Sends the request to the worker; the answer is rendered unless a newer one replaced it.
   * A large request is turned into JSON a slice at a time, yielding to the page between.
   */
  async replan() {
    clearTimeout(this.timer);
    const t0 = performance.now();
    const seq = ++this.planSeq;
    // What the page can judge is judged here: a half-typed CIDR never reaches the core,
    // never dims the plan, and its message waits until the user has finished the field.
    const problems = this.showLocalErrors();
    // A row just added has no CIDR yet: it is left out of the plan until it has one.
    for (const [path, message] of problems) if (/^network\.allocations\.\d+\.cidr$/.test(path) && message.includes("needs a CIDR")) problems.delete(path);
    if (problems.size) {
      const shown = [...problems.keys()].filter((p) => this.settled.has(p));
      fill($("plan-error"), shown.length
        ? h("p", { class: "error", role: "alert", id: "plan-error-text" }, `Fix the marked field${shown.length > 1 ? "s" : ""} to replan (${shown.length} to fix); the plan shown is the last one that worked.`)
        : null);
      this.setBusy(false);
      if (this.checkpoint) this.setLink(location.hash || null);
      return;
    }
    this.setBusy(true);
    const json = await specJson(withoutBlankRows(this.spec), async () => {
      await nextTask();
      return seq === this.planSeq;
    });
    if (json === null) return; // a newer replan started meanwhile
    const job = this.engine.run("plan", { json, previous: this.previousJson }, { lane: "plan", supersedes: ["plan", "export"] });
    job.then(
      (res) => res && this.applyResult(res, job.id, t0, seq),
      (err) => this.afterDrawing(() => this.applyFailure(err)),
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
    const push = this.checkpoint;
    this.checkpoint = false;
    const url = hash || `${location.pathname}${location.search}`;
    const state = hash ? null : { noLink: true };
    if (push) history.pushState(state, "", url);
    // A request too large for a link replaces the entry once (its state says so), not at
    // every replan: replaceState cost ~25 ms a time on a page holding 10^4 allocations.
    else if ((hash ?? "") !== location.hash || (!hash && !history.state?.noLink)) history.replaceState(state, "", url);
    this.linkHash = hash ?? "";
  }

  /**
   * Renders an answer in steps, each a task of its own: the link and the field marks; the
   * answer (ranking and map), after which the browser lays out and paints it; then the
   * tables, the exports and the status line. At 10^4 allocations one task that built every
   * panel, followed by one frame that laid out and painted all of them, held the page's
   * thread for 90-115 ms; in steps no task holds it for a whole plan. Answers are drawn one
   * after another (a newer one waits for the older one's last step, so the panels never
   * mix two plans); the results stay aria-busy until the last step.
   */
  applyResult(res, planId, t0, seq = this.planSeq) {
    return this.afterDrawing(() => this.drawResult(res, planId, t0, seq));
  }

  /** Runs `draw` once the answer being drawn (if any) is finished. */
  afterDrawing(draw) {
    this.drawing = (this.drawing ?? Promise.resolve()).then(draw, draw);
    return this.drawing;
  }

  async drawResult(res, planId, t0, seq) {
    // The answer is here: no "Planning…" while it is drawn (unless a newer plan is on its way).
    const latest = () => seq === this.planSeq;
    if (latest()) clearTimeout(this.busyTimer);
    timed("link", () => this.setLink(res.hash));
    this.lastCollisions = res.error ? null : (res.plan?.warnings ?? []);
    this.showLocalErrors();
    fill($("plan-error"));
    if (res.error) {
      if (latest()) this.setBusy(false);
      this.showPlanError(res.error, res.ranking);
      this.markRendered();
      return;
    }
    this.lastPlan = res.plan;
    this.lastPlanJson = res.planJson;
    await nextTask();
    timed("answer", () => this.renderAnswer(res));
    await afterPaint();
    await this.renderDetails(res, planId);
    if (latest()) this.setBusy(false);
    this.finishResult(res, t0);
    this.markRendered();
  }

  /** After the panels: the status line, the timings the benchmark reads, and the page marked current. */
  finishResult(res, t0) {
    document.querySelector("main").classList.remove("stale");
    const total = performance.now() - t0;
    const status = $("plan-status");
    status.dataset.planMs = res.ms.plan.toFixed(1);
    status.dataset.totalMs = total.toFixed(1);
    status.dataset.workerMs = res.ms.total.toFixed(1);
    this.lastWorkerMs = res.ms.total;
    status.dataset.mapMs = (res.ms.map ?? 0).toFixed(1);
    const size = res.allocations > 1000 ? ` ${res.allocations.toLocaleString("en-US")} allocations,` : "";
    const against = res.summary
      ? ` Against the previous plan: ${res.summary.kept} clusters kept as they were, ${res.summary.changes} changes${res.summary.retained ? `, ${res.summary.retained} clusters retained` : ""}${res.summary.breaking ? " (a range moved)" : ""}.`
      : "";
    fill(status,
      `Planned in ${total.toFixed(1)} ms by cidrplan ${this.info.version} (WebAssembly in a worker:${size} ${res.ms.plan.toFixed(1)} ms planning).${against}`,
      res.hash ? null : h("span", { id: "link-too-long" }, " This request is too large for a link: share it with Export request JSON."));
  }

  /** The worker itself failed (it could not load, or crashed): say so, keep the last plan. */
  applyFailure(err) {
    this.setBusy(false);
    fill($("plan-error"), h("p", { class: "error", role: "alert", id: "plan-error-text" }, `The planner failed: ${err?.message ?? err}`));
    document.querySelector("main").classList.add("stale");
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
    if (err?.code === "infeasible") {
      // No model fits: one sentence, and what would make it fit, beside the ranking.
      const sentence = failureSentence(err, this.spec);
      fill($("plan-error"), h("p", { class: "error", role: "alert", id: "plan-error-text" }, sentence));
      document.querySelector("main").classList.add("stale");
      $("plan-status").textContent = this.lastPlan ? "The map shows the last plan that fit." : "No plan yet.";
      if (ranking) renderRanking($("ranking-panel"), ranking, null, this.spec.model, (m) => this.pickModel(m), this.origin(), sentence);
      return;
    }
    const words = { ...err, message: plainWords(err?.message ?? err, err?.field ? normalizeField(err.field) : "") };
    const placed = showFieldError($("form"), words);
    fill($("plan-error"), h("p", { class: "error", role: "alert", id: "plan-error-text" },
      placed ? "Fix the marked field: " : "", words.message));
    document.querySelector("main").classList.add("stale");
    $("plan-status").textContent = this.lastPlan ? "Showing the last plan that worked." : "No plan yet.";
    // The ranking still explains why no model fits when the request itself is readable.
    if (ranking) renderRanking($("ranking-panel"), ranking, null, this.spec.model, (m) => this.pickModel(m), this.origin());
  }

  /** Where each reason's criterion came from, for the ranking's marks. */
  origin() {
    const requirements = this.spec.requirements;
    const keys = this.exampleKeys;
    return (reason) => reasonOrigin(reason, requirements, keys);
  }

  pickModel(model) {
    this.spec.model = model;
    const select = $("model-select");
    if (select) select.value = model;
    this.checkpoint = true;
    this.replan();
  }

  /** The answer: the recommendation and the map. */
  renderAnswer({ plan, items, mapKey }) {
    // The map decides itself whether what it draws changed (folded, it does not draw the per-node ranges).
    renderAddressMap($("map-panel"), items, { clusters: plan.clusters.length, keys: mapKey });
    renderRanking($("ranking-panel"), plan.ranking, plan.model, this.spec.model, (m) => this.pickModel(m), this.origin());
  }

  /** The tables below the answer and the exports: two tasks (the tables, then the matrix and the exports). */
  async renderDetails({ plan }, planId) {
    const redraw = this.redrawer();
    timed("details", () => {
      redraw("clusters", plan.clusters, () => renderClusters($("clusters-panel"), plan));
      redraw("warnings", [plan.warnings, plan.warnings_hidden], () => renderWarnings($("warnings-panel"), plan.warnings, plan.warnings_hidden));
      redraw("rules", [plan.rules, this.spec.network?.cloud], () => renderRules($("rules-panel"), plan.rules, this.spec.network?.cloud ?? "generic"));
      redraw("headroom", plan.headroom, () => renderHeadroom($("headroom-panel"), plan.headroom));
    });
    await nextTask();
    timed("details-more", () => {
      redraw("reachability", [plan.reachability, plan.reachability_hidden], () => renderReachability($("reachability-panel"), plan.reachability, plan.reachability_hidden));
      this.exportPlanId = planId;
      this.exportTexts = new Map();
      this.drawExports();
    });
  }

  /**
   * `redraw(id, data, draw)`: a panel is rebuilt only when what it shows changed, so an
   * edit that moves no range leaves the map and the tables as they are and the page's
   * thread does not lay out and paint them again (at 10^4 allocations that was most of a
   * 200 ms task).
   */
  redrawer() {
    const drawn = (this.drawn ??= new Map());
    return (id, data, draw) => {
      const key = JSON.stringify(data);
      if (drawn.get(id) === key) return;
      drawn.set(id, key);
      draw();
    };
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

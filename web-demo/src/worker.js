// The module Web Worker that runs the cidrplan core, so the page never waits on it: a
// network with 10^5 allocations takes seconds to plan, and on the page's thread that was
// seconds of a frozen page. The page (engine.js) posts {id, type, payload}; the worker
// answers {id, ok: true, result} or {id, ok: false, error: {name, code, field, message}}
// (errors cross postMessage as plain objects: the core's stable `code` and its message).
// One job at a time; engine.js drops stale answers and terminates the worker to cancel.
import init, * as cidrplan from "cidrplan";
import { exampleSpec } from "./example-spec.js";
import { mapItems, markChanges } from "./map-items.js";
import { displayPlan } from "./plan-view.js";
import { encodeJsonIfFits } from "./state-url.js";

const optional = (name) => {
  const fn = Reflect.get(cidrplan, name);
  return typeof fn === "function" ? fn : null;
};

function info() {
  let example = null;
  try {
    example = optional("example")?.() ?? null;
  } catch {
    example = null;
  }
  let formats = null;
  try {
    formats = optional("exportFormats")?.() ?? null;
  } catch {
    formats = null;
  }
  return { version: cidrplan.version(), example: example ?? exampleSpec(), formats, hasExports: optional("exportConfig") !== null };
}

/** An error as a plain object: what the page shows and where. */
export function wireError(err) {
  if (err && typeof err === "object") {
    const out = { name: String(err.name ?? "Error"), message: String(err.message ?? err) };
    if (err.code !== undefined) out.code = String(err.code);
    if (err.field !== undefined && err.field !== null) out.field = String(err.field);
    return out;
  }
  return { name: "Error", message: String(err) };
}

const TRANSFER = Symbol("transfer");

// The last request planned, for the exports of that plan (the page names it by its id).
let planned = { id: null, spec: null };

const JOBS = {
  /** `json`: the request as JSON text (spec-json.js; cheaper to send than the object). */
  plan({ json, previous: previousJson }, id) {
    const t0 = performance.now();
    const spec = JSON.parse(json);
    // The previous plan (a loaded plan file): its clusters keep every range.
    const previous = previousJson ? JSON.parse(previousJson) : null;
    const hash = encodeJsonIfFits(json);
    const allocations = spec?.network?.allocations?.length ?? 0;
    let plan;
    const t1 = performance.now();
    try {
      plan = previous ? cidrplan.plan(spec, { previous }) : cidrplan.plan(spec);
    } catch (err) {
      // The ranking still explains why no model fits when the request itself is readable.
      let ranking = null;
      try {
        ranking = cidrplan.recommend(spec).ranking;
      } catch {
        ranking = null;
      }
      return { hash, allocations, error: wireError(err), ranking, ms: { plan: performance.now() - t1, total: performance.now() - t0 } };
    }
    const planMs = performance.now() - t1;
    planned = { id, spec };
    const t2 = performance.now();
    const changes = previous && optional("diff") ? cidrplan.diff(previous, plan) : null;
    const items = markChanges(mapItems(spec, plan, (list, options) => cidrplan.overlaps(list, options)), previous, changes);
    // What the map shows, as text, with the per-node ranges apart (a folded map does not
    // draw them): the page redraws the map only when what it draws changed, and comparing
    // these is cheaper on the page's thread than writing the items out there.
    const text = (list) => JSON.stringify(list, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
    const folded = text(items.filter((x) => x.kind !== "node-range"));
    const mapKey = { folded, all: `${folded}\n${text(items.filter((x) => x.kind === "node-range"))}` };
    const mapMs = performance.now() - t2;
    const view = displayPlan(plan);
    // The whole plan, for "Export plan JSON": UTF-8 bytes, moved to the page without a copy.
    const planJson = new TextEncoder().encode(`${JSON.stringify(plan, null, 2)}\n`);
    const summary = changes ? { changes: changes.changes.length, kept: changes.kept.length, breaking: changes.breaking, retained: (plan.retained ?? []).length } : null;
    return { hash, allocations, plan: view, items, mapKey, planJson, summary, ms: { plan: planMs, map: mapMs, total: performance.now() - t0 }, [TRANSFER]: [planJson.buffer] };
  },

  /** An inventory (AWS, GCP, Azure, NetBox, kubectl, Terraform, ip route) as a request fragment. */
  import({ format, text }) {
    const fn = optional("importAllocations");
    if (!fn) throw new Error("this build of the cidrplan package has no importAllocations()");
    return fn(format, text);
  },

  export({ planId, format }) {
    if (planned.id !== planId) throw Object.assign(new Error("this plan is no longer the current one"), { code: "stale" });
    return { format, text: cidrplan.exportConfig(planned.spec, format) };
  },
};

const ready = init().then(() => {
  const about = info();
  self.postMessage({ type: "ready", info: about });
}, (err) => {
  self.postMessage({ type: "fatal", error: wireError(err) });
  throw err;
});

self.onmessage = async ({ data }) => {
  const { id, type, payload } = data ?? {};
  try {
    await ready;
  } catch (err) {
    self.postMessage({ id, ok: false, error: wireError(err) });
    return;
  }
  const job = JOBS[type];
  try {
    if (!job) throw new Error(`unknown job ${type}`);
    const result = job(payload, id);
    const transfer = result?.[TRANSFER] ?? [];
    if (result) delete result[TRANSFER];
    self.postMessage({ id, ok: true, result }, transfer);
  } catch (err) {
    self.postMessage({ id, ok: false, error: wireError(err) });
  }
};

// The request's fields checked on the page, in the words of the person typing them
// ("nodes must be a whole number of at least 1"), and the core's messages put in the same
// words when the core finds what the page did not. Pure: no DOM.
import { formatCidr, parseCidr } from "./prefix-math.js";
import { MAX_FORM_ALLOCATIONS } from "./plan-view.js";

const NUMBERS = {
  nodes: { what: "nodes", min: 1 },
  max_nodes: { what: "max nodes", min: 1 },
  max_pods_per_node: { what: "max pods per node", min: 1, max: 1_048_576 },
  services: { what: "services", min: 1 },
};
const U32 = 4_294_967_295;
/** Most clusters in one request: the core's `k8s::MAX_CLUSTERS`, also in docs/limits.md. */
export const MAX_CLUSTERS = 500;
/** Longest name in UTF-8 bytes: the core's `limits::MAX_NAME_LEN`. */
export const MAX_NAME_BYTES = 256;

const ENCODER = new TextEncoder();
/** UTF-8 bytes of `text`; a text short enough that it cannot exceed the limit is not encoded. */
const bytes = (text) => (text.length * 3 <= MAX_NAME_BYTES ? text.length : ENCODER.encode(text).length);

/**
 * The answers for CIDR texts already judged: every replan checks every allocation again,
 * and at 10^4 allocations parsing them all was most of a 100 ms task on the page's thread.
 */
const CIDR_ANSWERS = new Map();
const CIDR_ANSWERS_MAX = 50_000;

/** What is wrong with `text` as a CIDR, in plain words; null when it is one. */
export function cidrProblem(text, what = "this range") {
  const t = String(text ?? "").trim();
  if (t === "") return `${what} needs a CIDR, like 10.0.0.0/16`;
  let answer = CIDR_ANSWERS.get(t);
  if (answer === undefined) {
    answer = judgeCidr(t);
    if (CIDR_ANSWERS.size >= CIDR_ANSWERS_MAX) CIDR_ANSWERS.clear();
    CIDR_ANSWERS.set(t, answer);
  }
  return answer;
}

/** `cidrProblem` for a non-empty, trimmed text (which does not depend on `what`). */
function judgeCidr(t) {
  if (!t.includes("/")) {
    const host = parseCidr(`${t}/${t.includes(":") ? 128 : 32}`);
    return host ? `"${t}" needs a prefix length: ${t}/${host.family === 4 ? 32 : 128} for one address, or a shorter one for a range` : `"${t}" is not a CIDR: write an address and a prefix length, like 10.0.0.0/16`;
  }
  const p = parseCidr(t);
  if (!p) {
    const [, len] = t.split("/");
    if (/^\d+$/.test(len ?? "") && parseCidr(`${t.split("/")[0]}/0`)) {
      const max = t.includes(":") ? 128 : 32;
      return `"${t}" has a prefix length over ${max}: use /0 to /${max}`;
    }
    return `"${t}" is not a CIDR: write an address and a prefix length, like 10.0.0.0/16`;
  }
  const exact = parseCidr(`${t.split("/")[0]}/${p.bits}`);
  if (exact && exact.first !== p.first) {
    return `"${t}" has address bits set past /${p.len}: did you mean ${formatCidr(p.family, p.first, p.len)}?`;
  }
  return null;
}

/** What is wrong with `value` (the request's value: a number, or text that was not one). */
export function numberProblem(value, key) {
  const rule = NUMBERS[key];
  if (!rule || value === undefined) return null;
  const min = rule.min;
  const max = rule.max ?? U32;
  // Worded only when wrong: toLocaleString builds a formatter per call, and every replan
  // checks every cluster's numbers (that was 50 ms of a 10^4-allocation page's thread).
  const whole = () => `${rule.what} must be a whole number of at least ${min.toLocaleString("en-US")}`;
  if (typeof value !== "number" || !Number.isInteger(value)) return `${whole()}${typeof value === "string" && value !== "" ? ` ("${value}" is not)` : ""}`;
  if (value < min) return `${whole()} (${value.toLocaleString("en-US")} is too small)`;
  if (value > max) return `${rule.what} must be at most ${max.toLocaleString("en-US")}`;
  return null;
}

function nameProblem(name, what, seen) {
  const t = String(name ?? "");
  if (t.trim() === "") return `give the ${what} a name`;
  if (bytes(t) > MAX_NAME_BYTES) return `the ${what}'s name is longer than ${MAX_NAME_BYTES} bytes`;
  if (seen.has(t)) return `another ${what} is already named "${t}"`;
  seen.add(t);
  return null;
}

/**
 * Every field of `spec` the page can judge: Map of path ("clusters.0.nodes") to a message
 * in plain words. The core judges the rest (and planning itself).
 */
export function checkFields(spec) {
  const out = new Map();
  const put = (path, message) => message && !out.has(path) && out.set(path, message);
  (spec.network?.pools ?? []).forEach((p, i) => put(`network.pools.${i}`, cidrProblem(p, `pool ${i + 1}`)));
  const allocationNames = new Set();
  // The allocation rows the form shows: the core judges the rest (its messages name the
  // allocation), and judging 10^3 rows here took 15-40 ms of the page's thread at every replan.
  (spec.network?.allocations ?? []).slice(0, MAX_FORM_ALLOCATIONS).forEach((a, i) => {
    put(`network.allocations.${i}.name`, nameProblem(a.name, "allocation", allocationNames));
    put(`network.allocations.${i}.cidr`, cidrProblem(a.cidr, `allocation "${a.name}"`));
  });
  const clusterNames = new Set();
  const clusters = spec.clusters ?? [];
  if (clusters.length > MAX_CLUSTERS) put("clusters", `a plan takes at most ${MAX_CLUSTERS} clusters (this one has ${clusters.length})`);
  clusters.forEach((c, i) => {
    put(`clusters.${i}.name`, nameProblem(c.name, "cluster", clusterNames));
    for (const key of Object.keys(NUMBERS)) put(`clusters.${i}.${key}`, numberProblem(c[key], key));
    if (typeof c.nodes === "number" && typeof c.max_nodes === "number" && c.max_nodes < c.nodes) {
      put(`clusters.${i}.max_nodes`, `max nodes (${c.max_nodes}) must be at least the nodes the cluster has now (${c.nodes})`);
    }
    if (c.node_subnet !== undefined) put(`clusters.${i}.node_subnet`, cidrProblem(c.node_subnet, "the node subnet"));
  });
  return out;
}

/**
 * The core's message for a field, in the page's words where it is one of the serde or
 * parser messages people should not have to read ("invalid value: integer `-5`, expected
 * u32"); otherwise the core's own sentence without its "invalid spec:" prefix.
 */
export function plainWords(message, path = "") {
  const text = String(message ?? "").replace(/^invalid spec: /, "");
  const key = path.split(".").at(-1);
  if (NUMBERS[key] && /expected (u32|u64|usize|an integer)|invalid (value|type)/.test(text)) {
    const n = /integer `(-?\d+)`/.exec(text)?.[1] ?? /string "([^"]*)"/.exec(text)?.[1];
    return numberProblem(n !== undefined && /^-?\d+$/.test(n) ? Number(n) : n ?? "", key) ?? `${NUMBERS[key].what} must be a whole number`;
  }
  const host = /host bits set in "([^"]+)"/.exec(text);
  if (host) return cidrProblem(host[1]) ?? text;
  const prefix = /invalid prefix "([^"]*)"/.exec(text);
  if (prefix) return cidrProblem(prefix[1]) ?? text;
  return text.replace(/^invalid spec\.[\w.[\]]+: /, "");
}

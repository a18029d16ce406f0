// Shared by the tests: where things are, and how a wire input becomes a call.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const pkgRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = resolve(pkgRoot, "../..");
export const vectorsDir = join(repoRoot, "tests", "vectors");
export const buildInfoPath = join(pkgRoot, "pkg", "build-info.json");

if (!existsSync(buildInfoPath)) {
  throw new Error("the package is not built: run `npm run build` in bindings/wasm first");
}
export const buildInfo = JSON.parse(readFileSync(buildInfoPath, "utf8"));

/**
 * Every operation of the brief, with the wire fields its JS function takes positionally;
 * the other fields of a wire input go into the trailing options object (so an unknown
 * field is rejected there, as the wire format rejects it). `whole` takes the input as is.
 */
export const OPERATIONS = {
  overlaps: { fn: "overlaps", positional: ["items"] },
  aggregate: { fn: "aggregate", positional: ["prefixes"] },
  exclude: { fn: "exclude", positional: ["parent", "used"] },
  carve: { fn: "carve", positional: ["pools", "requests", "reserved", "strategy"] },
  plan: { fn: "plan", whole: true },
  recommend: { fn: "recommend", whole: true },
  sizing: { fn: "sizing", whole: true },
  export: { fn: "exportConfig", positional: ["spec", "format"] },
  // A re-plan is `plan(spec, {previous, release})` in JS.
  replan: { fn: "plan", positional: ["spec"] },
  diff: { fn: "diff", positional: ["old", "new"], noOptions: true },
};

/** Calls operation `op` of module `mod` with a wire input, the way a user would. */
export function callWire(mod, op, input) {
  const spec = OPERATIONS[op];
  const fn = mod[spec.fn];
  if (typeof fn !== "function") throw new Error(`the package has no function ${spec.fn}() for ${op}`);
  if (spec.whole) return fn(input);
  const rest = { ...input };
  const args = spec.positional.map((key) => {
    const value = rest[key];
    delete rest[key];
    return value;
  });
  if (Object.keys(rest).length > 0 && !spec.noOptions) args.push(rest);
  return fn(...args);
}

/** Asserts that `value` holds only what JSON holds: no Map, undefined, BigInt or class. */
export function assertPlain(value, path = "result") {
  if (value === null || ["string", "boolean"].includes(typeof value)) return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertPlain(v, `${path}[${i}]`));
    return;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) assertPlain(v, `${path}.${k}`);
    return;
  }
  throw new Error(`${path} is not JSON-like: ${Object.prototype.toString.call(value)} ${String(value)}`);
}

/**
 * Where `got` fails to match `expected` under the vectors' subset rule, if anywhere: every
 * key of an expected object must be in the output with a matching value (extra keys are
 * ignored), an expected list must match the output's item by item and in length, and
 * anything else must be equal.
 */
export function subsetMismatch(expected, got, path = "") {
  if (Array.isArray(expected)) {
    if (!Array.isArray(got)) return `${path}: got ${JSON.stringify(got)}, expected a list`;
    if (expected.length !== got.length) return `${path}: ${got.length} items, expected ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const m = subsetMismatch(expected[i], got[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === "object") {
    if (got === null || typeof got !== "object" || Array.isArray(got)) return `${path}: got ${JSON.stringify(got)}`;
    for (const [key, value] of Object.entries(expected)) {
      if (!Object.hasOwn(got, key)) return `${path}.${key}: missing`;
      const m = subsetMismatch(value, got[key], `${path}.${key}`);
      if (m) return m;
    }
    return undefined;
  }
  return Object.is(expected, got) ? undefined : `${path}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`;
}

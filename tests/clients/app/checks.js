// What every bundled page runs: the error a call before init() gives, then the calls a
// planning UI makes once the module is loaded. The page reads the result from
// window.__result; browser.test.mjs compares it with the Node entry's.
import init, { aggregate, carve, exportConfig, plan, version } from "cidrplan";

/**
 * Runs the checks, passing `initArg` to init() (undefined: the bundler found the .wasm).
 * @param {Parameters<typeof init>[0]} [initArg]
 */
export async function check(initArg) {
  /** @type {Record<string, unknown>} */
  const out = {};
  try {
    aggregate(["10.0.0.0/24"]);
    out.beforeInit = "no error";
  } catch (caught) {
    const err = /** @type {Error & { code?: string }} */ (caught);
    out.beforeInit = { isError: err instanceof Error, code: err.code, message: err.message };
  }
  await init(initArg);
  out.aggregate = aggregate(["10.0.0.0/25", "10.0.0.128/25"]);
  out.carve = carve(["10.1.0.0/16"], [["a", "/20"], ["b", "/20"], ["c", "/24"], ["d", "/20"]], [], "sequential")
    .allocations.map((a) => a.cidr);
  const spec = { network: { pools: ["10.0.0.0/8"] }, clusters: [{ name: "a", nodes: 2 }, { name: "b", nodes: 2 }] };
  out.model = plan(spec).model;
  out.kcmFlags = exportConfig(spec, "kcm-flags").includes("--cluster-cidr=");
  try {
    aggregate(["10.0.0.1/8"]);
    out.error = "no error";
  } catch (caught) {
    const err = /** @type {Error & { code?: string }} */ (caught);
    out.error = { isError: err instanceof Error, code: err.code };
  }
  out.version = version();
  return out;
}

/**
 * Publishes the outcome for the test, including a failure.
 * @param {Promise<unknown>} promise
 */
export function report(promise) {
  promise.then(
    (result) => {
      /** @type {any} */ (window).__result = result;
    },
    (err) => {
      /** @type {any} */ (window).__result = { failed: err instanceof Error ? err.stack : String(err) };
    },
  );
}

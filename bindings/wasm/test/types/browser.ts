// The browser/bundler view of the package (moduleResolution "bundler"): init() first.
import init, { initSync, aggregate, type AggregateResult } from "cidrplan";

export async function start(wasmUrl: URL): Promise<AggregateResult> {
  await init({ module_or_path: wasmUrl });
  return aggregate(["10.0.0.0/8"]);
}

export function startSync(bytes: ArrayBuffer): AggregateResult {
  initSync({ module: bytes });
  return aggregate(["10.0.0.0/8"]);
}

// The npm package (bindings/wasm, Node build) over JSON lines, for the differential test:
// each stdin line OP<TAB>INPUT (the wire input as JSON) gets one stdout line, {"ok": result} or
// {"error": {"code", "message"}}. The wire input is spread over the JS arguments the way
// a user calls the package. Anything thrown without a code (a trap, a TypeError) is
// reported as {"error": {"code": "JS:<name>"}} so the comparison shows it.
//
//   node tests/differential/node_driver.mjs PACKAGE_ENTRY < cases.jsonl
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const entry = resolve(process.argv[2] ?? "bindings/wasm/pkg/node/index.mjs");
const cidrplan = await import(pathToFileURL(entry).href);

function call(op, input) {
  const { lenient, expected, max_listed: maxListed } = input;
  const options = {};
  if (lenient !== undefined) options.lenient = lenient;
  switch (op) {
    case "overlaps":
      if (expected !== undefined) options.expected = expected;
      if (maxListed !== undefined) options.max_listed = maxListed;
      return cidrplan.overlaps(input.items, options);
    case "aggregate":
      return cidrplan.aggregate(input.prefixes, options);
    case "exclude":
      return cidrplan.exclude(input.parent, input.used, options);
    case "carve":
      return cidrplan.carve(input.pools, input.requests, input.reserved, input.strategy, options);
    case "plan":
      return cidrplan.plan(input);
    case "recommend":
      return cidrplan.recommend(input);
    case "export":
      return cidrplan.exportConfig(input.spec, input.format, { force: input.force ?? false });
    case "replan":
      return cidrplan.plan(input.spec, { previous: input.previous, release: input.release });
    case "diff":
      return cidrplan.diff(input.old, input.new);
    case "import":
      return cidrplan.importAllocations(input.format, input.text);
    default:
      throw Object.assign(new Error(`unknown op ${op}`), { code: "unknown_op" });
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
for await (const line of lines) {
  if (!line.trim()) continue;
  const tab = line.indexOf("\t");
  const op = line.slice(0, tab);
  const input = JSON.parse(line.slice(tab + 1));
  let answer;
  try {
    answer = { ok: call(op, input) };
  } catch (err) {
    const code = err instanceof Error && typeof err.code === "string" ? err.code : `JS:${err?.name ?? typeof err}`;
    answer = { error: { code, message: String(err?.message ?? err) } };
  }
  out.push(JSON.stringify(answer));
  if (out.length >= 256) {
    process.stdout.write(out.join("\n") + "\n");
    out.length = 0;
  }
}
if (out.length) process.stdout.write(out.join("\n") + "\n");

// The package's entry points and shapes: the Node ESM and CommonJS entries expose the same
// functions, the browser build works once initialised, every export is declared in the
// TypeScript types, results are plain JSON-like values, and the .wasm stays in budget.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";

import init, * as esm from "cidrplan";
import { assertPlain, buildInfo, pkgRoot, repoRoot } from "./support.mjs";

const require = createRequire(import.meta.url);
const cjs = require("cidrplan");
const functionsOf = (m) =>
  Object.keys(m)
    .filter((k) => typeof m[k] === "function" && k !== "default" && k !== "init" && k !== "initSync")
    .sort();

test("ESM and CommonJS entries export the same functions", () => {
  assert.deepStrictEqual(functionsOf(esm), functionsOf(cjs));
  for (const name of ["overlaps", "aggregate", "exclude", "carve", "plan", "recommend", "sizing", "exportConfig", "exportFormats", "example", "errorCodes", "version"]) {
    assert.equal(typeof esm[name], "function", name);
  }
});

test("init() and initSync() exist in Node and are not needed", async () => {
  assert.equal(typeof init, "function");
  await init();
  esm.initSync();
  assert.deepStrictEqual(esm.aggregate(["10.0.0.0/8"]), { prefixes: ["10.0.0.0/8"] });
});

test("every export is declared in the TypeScript types, and nothing more", () => {
  const dts = readFileSync(join(pkgRoot, "src", "functions.d.ts"), "utf8");
  const declared = [...dts.matchAll(/^export function (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepStrictEqual(declared, functionsOf(cjs));
  // The shipped .d.ts files carry them.
  for (const file of ["pkg/node/cidrplan.d.ts", "pkg/web/cidrplan.d.ts"]) {
    const shipped = readFileSync(join(pkgRoot, file), "utf8");
    for (const name of declared) assert.match(shipped, new RegExp(`export function ${name}\\(`), `${file}: ${name}`);
  }
});

test("the browser build works once initialised", async () => {
  const web = await import(join(pkgRoot, "pkg", "web", "cidrplan.js"));
  const bytes = readFileSync(join(pkgRoot, "pkg", "web", "cidrplan_bg.wasm"));
  await web.default({ module_or_path: bytes });
  assert.deepStrictEqual(web.aggregate(["10.0.0.0/25", "10.0.0.128/25"]), { prefixes: ["10.0.0.0/24"] });
  assert.throws(() => web.aggregate(["10.0.0.1/8"]), (e) => e instanceof Error && e.code === "host_bits_set");
  assert.deepStrictEqual(functionsOf(web), functionsOf(cjs));
});

test("results are plain objects, arrays, strings, numbers, booleans and null", () => {
  const results = [
    esm.overlaps({ dc: "10.0.0.0/8", k8s: "10.1.0.0/16", dup: "10.1.0.0/16", v6: "2001:db8::/32" }),
    esm.overlaps([["a", "10.0.0.0/8"], ["b", "10.0.0.0/9"]], { max_listed: 0 }),
    esm.aggregate(["10.0.0.0/25", "10.0.0.128/25", "2001:db8::/33", "2001:db8:8000::/33"]),
    esm.exclude("::/0", ["2001:db8::/32"]),
    esm.carve(["10.0.0.0/16"], { a: "/20", b: 1000, c: "300", d: { size: "/24", pinned: "10.0.255.0/24" } }),
  ];
  for (const r of results) assertPlain(r);
  const carved = results[4];
  assert.equal(carved.pools[0].largest_free === null || typeof carved.pools[0].largest_free === "string", true);
  // IPv6 counts are exact decimal strings.
  assert.equal(esm.carve(["::/0"], [["all", "/0"]]).allocations[0].addresses, (2n ** 128n).toString());
});

test("optional arguments take the wire defaults", () => {
  const a = esm.carve(["10.0.0.0/16"], [["a", "/24"]]);
  const b = esm.carve(["10.0.0.0/16"], [["a", "/24"]], [], "best-fit");
  const c = esm.carve(["10.0.0.0/16"], [["a", "/24"]], null, null, {});
  assert.deepStrictEqual(a, b);
  assert.deepStrictEqual(a, c);
  assert.equal(a.strategy, "best-fit");
  assert.deepStrictEqual(esm.exclude("10.0.0.0/8"), { free: ["10.0.0.0/8"] });
  assert.deepStrictEqual(esm.aggregate(["10.0.0.1/8"], { lenient: true }), { prefixes: ["10.0.0.0/8"] });
});

test("mapping inputs keep insertion order", () => {
  const r = esm.carve(["10.0.0.0/16"], { z: "/24", a: "/20", m: "/22" }, [], "first-fit");
  assert.deepStrictEqual(r.allocations.map((x) => x.name), ["z", "a", "m"]);
});

test("example() is a plan request that plans", () => {
  const spec = esm.example();
  assertPlain(spec);
  assert.ok(spec.network.pools.length > 0 && spec.clusters.length > 0);
  assert.equal(esm.plan(spec).clusters.length, spec.clusters.length);
});

test("version() is the package version", () => {
  const pkg = JSON.parse(readFileSync(join(pkgRoot, "package.json"), "utf8"));
  assert.equal(esm.version(), pkg.version);
});

// The budget: what the module is today, with a little room (653.4 KiB raw, 235.2 KiB
// gzipped with `wasm-opt -O1`; 610.6 / 260.0 with `-Oz --converge`, which gzips worse;
// 425.7 / 188.8 with the hand-written JSON reader and writer that serde-wasm-bindgen
// replaced). The boundaries issue's 150 KiB gzipped target is not met:
// bindings/wasm/README.md ("Size") has the figures and where they come from.
const rebuiltStd = String(buildInfo.std).startsWith("rebuilt");
const LIMIT = { raw: 710, gzip: 256, what: rebuiltStd ? "the budget" : "the budget (stable fallback)" };
test(`the .wasm is within ${LIMIT.what}: < ${LIMIT.raw} KB, < ${LIMIT.gzip} KB gzipped (std ${buildInfo.std})`, { skip: buildInfo.optimized ? false : "built without wasm-opt" }, () => {
  for (const [file, { raw, gzip }] of Object.entries(buildInfo.sizes)) {
    assert.ok(raw < LIMIT.raw * 1024, `${file}: ${raw} bytes`);
    assert.ok(gzip < LIMIT.gzip * 1024, `${file}: ${gzip} bytes gzipped`);
  }
});

test("exportConfig renders every format of exportFormats(), as the types declare", () => {
  const dts = readFileSync(join(pkgRoot, "src", "functions.d.ts"), "utf8");
  const union = dts.match(/export type ExportFormat =([^;]+);/)[1];
  assert.deepStrictEqual([...union.matchAll(/"([a-z-]+)"/g)].map((m) => m[1]), esm.exportFormats());
  const spec = {
    network: { pools: ["10.0.0.0/8"], allocations: [{ name: "other", cidr: "10.128.1.1/32" }] },
    clusters: [{ name: "east", nodes: 3 }, { name: "west", nodes: 5 }],
  };
  const planned = esm.plan(spec);
  for (const format of esm.exportFormats()) {
    const text = esm.exportConfig(spec, format);
    assert.equal(typeof text, "string");
    // Every cluster's pod range is in every rendering (ip-masq-agent: what not to masquerade;
    // node-nat and policy: the cluster's name, as flat clusters have no mapping or policy).
    for (const c of planned.clusters) {
      const want =
        format === "ip-masq-agent" ? c.non_masquerade_cidrs : ["node-nat", "policy"].includes(format) ? [`"${c.name}"`] : [c.pod_cidr];
      for (const cidr of want) assert.ok(text.includes(cidr), `${format} lacks ${cidr}`);
    }
  }
  assert.ok(JSON.parse(esm.exportConfig(spec, "tfvars")));
  assert.throws(() => esm.exportConfig(spec, "helm"), (e) => e.code === "invalid_input");
  assert.throws(() => esm.exportConfig({ ...spec, clustrs: [] }, "kubeadm"), (e) => e.code === "invalid_input" && e.field === "spec.clustrs");
});

test("a plan whose ranges collide exports nothing unless forced", () => {
  const spec = {
    network: { pools: ["10.0.0.0/8"] },
    clusters: [{ name: "a", nodes: 2, pod_cidr: "10.0.0.0/16" }, { name: "b", nodes: 2, pod_cidr: "10.0.0.0/16" }],
    model: "flat",
  };
  for (const format of esm.exportFormats()) {
    assert.throws(
      () => esm.exportConfig(spec, format),
      (e) => e instanceof Error && e.code === "collision" && /cluster a pod_cidr 10\.0\.0\.0\/16/.test(e.message) && /cluster b pod_cidr/.test(e.message),
    );
    assert.match(esm.exportConfig(spec, format, { force: true }), /cluster b pod_cidr 10\.0\.0\.0\/16/);
  }
  assert.throws(() => esm.exportConfig(spec, "calico", { forse: true }), (e) => e.code === "invalid_input" && /forse/.test(e.message));
  const reach = esm.plan(spec).reachability.find((r) => r.from === "pod:a" && r.to === "pod:b");
  assert.equal(reach.how, "none");
});

test("importAllocations reads an inventory into a plan request fragment", () => {
  const out = esm.importAllocations(
    "auto",
    '{"Subnets": [{"SubnetId": "s-1", "VpcId": "v", "CidrBlock": "10.0.1.0/24", "Tags": [{"Key": "Name", "Value": "web"}]}]}',
  );
  assertPlain(out);
  assert.equal(out.sources[0].format, "aws-subnets");
  assert.deepEqual(
    out.network.allocations.map((a) => [a.name, a.cidr, a.origin]),
    [["web", "10.0.1.0/24", "aws-subnets Subnets[0]"]],
  );
  // The fragment plans as is: allocations keep their origin through the npm reader.
  const planned = esm.plan({
    network: { pools: ["10.0.0.0/8"], allocations: out.network.allocations },
    clusters: [{ name: "a", nodes: 2 }],
    model: "flat",
  });
  // 10.0.0.0/16 is AKS's default service range: placement starts past it.
  assert.equal(planned.clusters[0].pod_cidr, "10.1.0.0/23");
  assert.throws(
    () => esm.importAllocations("aws-subnets", '{"Subnets": [{"CidrBlock": "10.0.1.1/24"}]}'),
    (e) => e instanceof Error && e.code === "invalid_input" && /Subnets\[0\]\.CidrBlock: "10\.0\.1\.1\/24" has host bits set/.test(e.message),
  );
});

test("the core's JSON Schemas ship as cidrplan/schemas/NAME.json, as committed", () => {
  const dir = join(repoRoot, "schemas");
  const names = readdirSync(dir).filter((f) => f.endsWith(".json"));
  assert.ok(names.includes("plan-request.json") && names.includes("plan.json"));
  for (const name of names) {
    const shipped = readFileSync(require.resolve(`cidrplan/schemas/${name}`), "utf8");
    assert.equal(shipped, readFileSync(join(dir, name), "utf8"), name);
  }
  // The declarations are generated from them: the request's defaults are optional there.
  const dts = readFileSync(join(pkgRoot, "pkg", "node", "cidrplan.d.ts"), "utf8");
  const request = dts.match(/export interface PlanRequest \{([\s\S]*?)\n\}/)[1];
  assert.match(request, /\n\s*clusters\?: ClusterSpec\[\]/);
  assert.match(request, /\n\s*network: Network\b/);
});

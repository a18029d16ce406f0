// Limits and output bounds at the JS boundary (docs/limits.md): past a limit comes an Error
// with code limit_exceeded; outputs that could explode (overlap pairs, node mappings) stay
// bounded; IPv6 /0 carves into host routes; hostile names round-trip through plans and
// exports. (Hostile *types* are covered by errors.test.mjs.)
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import * as cidrplan from "cidrplan";

const codeOf = (fn) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof Error && !(err instanceof WebAssembly.RuntimeError), String(err));
    return err.code;
  }
  return "no error";
};

describe("limits", () => {
  test("names past 256 bytes and more than 500 clusters are limit_exceeded", () => {
    const pools = ["10.0.0.0/8"];
    const long = "n".repeat(257);
    assert.equal(codeOf(() => cidrplan.plan({ network: { pools }, clusters: [{ name: long, nodes: 1 }] })), "limit_exceeded");
    assert.equal(codeOf(() => cidrplan.carve(pools, [[long, "/24"]])), "limit_exceeded");
    const clusters = Array.from({ length: 501 }, (_, i) => ({ name: `c${i}`, nodes: 1 }));
    assert.equal(codeOf(() => cidrplan.recommend({ network: { pools }, clusters })), "limit_exceeded");
    // A multi-byte name at the limit is fine: the limit counts UTF-8 bytes.
    const atLimit = "é".repeat(128);
    assert.equal(cidrplan.plan({ network: { pools }, clusters: [{ name: atLimit, nodes: 1 }] }).clusters[0].name, atLimit);
  });

  test("prefix text longer than any prefix is invalid_prefix", () => {
    assert.equal(codeOf(() => cidrplan.aggregate(["10.0.0.0/" + "0".repeat(100) + "8"])), "invalid_prefix");
    assert.equal(codeOf(() => cidrplan.aggregate(["1".repeat(1 << 20)])), "invalid_prefix");
  });
});

describe("bounded outputs", () => {
  test("100,000 identical prefixes: every pair counted, few listed", () => {
    const n = 100_000;
    const items = new Array(n).fill("10.0.0.0/8");
    const report = cidrplan.overlaps(items, { max_listed: 7 });
    assert.equal(report.total, (n * (n - 1)) / 2);
    assert.equal(report.overlaps.length, 7);
    assert.equal(report.truncated, true);
  });

  test("node mappings of a mapped fleet stay under the per-plan bound", () => {
    const clusters = Array.from({ length: 100 }, (_, i) => ({ name: `c${i}`, nodes: 4096, max_pods_per_node: 8 }));
    const plan = cidrplan.plan({ network: { pools: ["0.0.0.0/0"] }, clusters, model: "mapped" });
    const listed = plan.clusters.reduce((sum, c) => sum + (c.node_mappings?.length ?? 0), 0);
    assert.equal(listed, 100_000);
    assert.ok(plan.warnings.some((w) => w.code === "node_mappings_truncated"));
  });

  test("IPv6 /0 carved into 10,000 host routes", () => {
    const requests = Array.from({ length: 10_000 }, (_, i) => [`h${i}`, "/128"]);
    const result = cidrplan.carve(["::/0"], requests, ["::/1"], "first-fit");
    assert.equal(result.allocations.length, 10_000);
    assert.equal(result.allocations[0].cidr, "8000::/128");
    assert.equal(result.allocations[9_999].cidr, "8000::270f/128");
  });
});

describe("hostile names", () => {
  const names = [
    "<img src=x onerror=alert(1)>",
    "quote\" and 'single'",
    "line\nbreak\ttab\r\u0000nul\u001b[31m",
    "ünïcødé 日本 🚀 \u202ertl",
    "yaml: {a: [b]} # c\n- item",
  ];
  const spec = {
    network: { pools: ["10.0.0.0/8"], allocations: [{ name: "</script>", cidr: "10.200.0.0/16" }] },
    clusters: names.map((name) => ({ name, nodes: 2 })),
    model: "island",
  };

  test("round-trip through plans and the Terraform export", () => {
    const plan = cidrplan.plan(spec);
    assert.deepEqual(plan.clusters.map((c) => c.name), names);
    const tfvars = JSON.parse(cidrplan.exportConfig(spec, "tfvars"));
    assert.deepEqual(Object.keys(tfvars.clusters).sort(), [...names].sort());
  });
});

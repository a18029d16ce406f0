// Every error code the core defines reaches JS as a real Error with that code, and no
// input — however malformed — gets anything else out of the package (no panic, no trap,
// no thrown string).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import * as cidrplan from "cidrplan";
import { pkgRoot } from "./support.mjs";

const codes = cidrplan.errorCodes();

/** One input that triggers each code; `needs` names the function it calls. */
const TRIGGERS = {
  invalid_prefix: { needs: "aggregate", run: (m) => m.aggregate(["10.0.0.256/24"]) },
  host_bits_set: { needs: "aggregate", run: (m) => m.aggregate(["10.0.0.1/8"]) },
  mixed_families: { needs: "exclude", run: (m) => m.exclude("10.0.0.0/8", ["2001:db8::/32"]) },
  prefix_too_long: { needs: "carve", run: (m) => m.carve(["10.0.0.0/8"], [["a", "/33"]]) },
  space_exhausted: { needs: "carve", run: (m) => m.carve(["10.0.0.0/24"], [["a", "/23"]]) },
  pinned_conflict: {
    needs: "carve",
    run: (m) => m.carve(["10.0.0.0/8"], { a: { pinned: "192.168.0.0/16" } }),
  },
  limit_exceeded: { needs: "carve", run: (m) => m.carve(["10.0.0.0/8"], [["n".repeat(300), "/24"]]) },
  invalid_request: { needs: "carve", run: (m) => m.carve(["10.0.0.0/8"], { a: 0 }) },
  invalid_input: { needs: "carve", run: (m) => m.carve(["10.0.0.0/8"], [["a", "/24"]], [], "worst-fit") },
  invalid_spec: {
    needs: "plan",
    run: (m) => m.plan({ network: { pools: ["10.0.0.0/8"] }, clusters: [{ name: "a", nodes: 3, max_pods_per_node: 0 }] }),
  },
  infeasible: {
    needs: "plan",
    run: (m) =>
      m.plan({
        network: { pools: ["10.0.0.0/24"] },
        clusters: [{ name: "a", nodes: 1000 }],
        model: "flat",
      }),
  },
  collision: {
    needs: "exportConfig",
    run: (m) =>
      m.exportConfig(
        {
          network: { pools: ["10.0.0.0/8"] },
          clusters: [{ name: "a", nodes: 2, pod_cidr: "10.0.0.0/16" }, { name: "b", nodes: 2, pod_cidr: "10.0.0.0/16" }],
          model: "flat",
        },
        "calico",
      ),
  },
};

test("errorCodes() lists the core's codes, each once", () => {
  assert.ok(codes.length >= 11);
  assert.equal(new Set(codes).size, codes.length);
  for (const c of codes) assert.match(c, /^[a-z]+(_[a-z]+)*$/);
});

test("the ErrorCode type of the .d.ts lists exactly errorCodes()", () => {
  const dts = readFileSync(join(pkgRoot, "src", "functions.d.ts"), "utf8");
  const union = dts.match(/export type ErrorCode =([^;]+);/)[1];
  const declared = [...union.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
  assert.deepStrictEqual(declared, codes);
});

describe("each code is thrown as an Error with that code", () => {
  test("every code has a trigger here", () => {
    assert.deepStrictEqual(Object.keys(TRIGGERS).sort(), [...codes].sort());
  });
  for (const code of codes) {
    const trigger = TRIGGERS[code];
    const missing = trigger && typeof cidrplan[trigger.needs] !== "function";
    test(code, { skip: missing ? `${trigger.needs}() is not in this build yet` : false }, () => {
      assert.throws(
        () => trigger.run(cidrplan),
        (err) => {
          assert.ok(err instanceof Error, `threw a non-Error: ${err}`);
          assert.equal(err.name, "CidrplanError");
          assert.equal(err.code, code, err.message);
          assert.ok(err.message.length > 0);
          assert.ok(typeof err.stack === "string");
          return true;
        },
      );
    });
  }
});

test("invalid_input names the argument, and the path inside it, in the message and in err.field", () => {
  const cases = [
    [() => cidrplan.aggregate("10.0.0.0/8"), "prefixes"],
    [() => cidrplan.aggregate([1]), "prefixes[0]"],
    [() => cidrplan.exclude(42, []), "parent"],
    [() => cidrplan.carve(["10.0.0.0/8"], 7), "requests"],
    [() => cidrplan.carve(["10.0.0.0/8"], [["a", "/24"]], "10.0.0.0/24"), "reserved"],
    [() => cidrplan.carve(["10.0.0.0/8"], [["a", "/24"]], [], 3), "strategy"],
    [() => cidrplan.overlaps({ a: 1 }), "items.a"],
    [() => cidrplan.aggregate(["10.0.0.0/8"], { lenint: true }), "options.lenint"],
    [() => cidrplan.carve(["10.0.0.0/8"], [["a", 1.5]]), "requests[0][1]"],
    [() => cidrplan.carve(["10.0.0.0/8"], [["a", NaN]]), "requests[0][1]"],
    [() => cidrplan.carve(["10.0.0.0/8"], [["a", 10n]]), "requests[0][1]"],
    [() => cidrplan.overlaps(["10.0.0.0/8"], { expected: [["a", "b", "c"]] }), "options.expected[0]"],
    [
      () => cidrplan.plan({ network: { pools: ["10.0.0.0/8"] }, clusters: [{ name: "a", nodes: 3 }, { name: "b", nodes: "x" }] }),
      "spec.clusters[1].nodes",
    ],
    [() => cidrplan.sizing({ max_nodes: 3, max_pod: 10 }), "request.max_pod"],
    [() => cidrplan.aggregate(["10.0.0.0/8"], 5), "options"],
  ];
  for (const [run, field] of cases) {
    assert.throws(run, (err) => {
      assert.equal(err.code, "invalid_input", err.message);
      assert.equal(err.field, field);
      assert.ok(err.message.includes(field), err.message);
      return true;
    });
  }
});

describe("hostile input gets a coded Error, never a trap or a foreign exception", () => {
  const deep = () => {
    let x = ["10.0.0.0/8"];
    for (let i = 0; i < 100_000; i++) x = [x];
    return x;
  };
  const shared = () => {
    let x = ["10.0.0.0/8"];
    for (let i = 0; i < 60; i++) x = [x, x]; // 2^60 leaves when expanded
    return x;
  };
  const cyclic = () => {
    const x = { a: "10.0.0.0/8" };
    x.self = x;
    return x;
  };
  const throwing = () => {
    const a = ["10.0.0.0/8"];
    Object.defineProperty(a, 0, { get: () => { throw new Error("getter says no"); } });
    return a;
  };
  const values = [
    undefined, null, true, 0, -1, 1.5, NaN, Infinity, 2 ** 64, 10n, -10n, "", "x".repeat(100_000),
    Symbol("s"), () => 1, [], {}, [[]], [{}], [null], [[null, null]], { a: { b: {} } }, new Map([[1, 2]]),
    new Set([1]), new Uint8Array(4), new Date(0), /re/, deep(), shared(), cyclic(), throwing(),
    new Proxy([], { get() { throw new Error("proxy says no"); } }),
    [["a", "10.0.0.0/8", "extra"]], [["a"]], [[1, 2]], { a: ["10.0.0.0/8"] }, [["a", { size: "/8", pinned: 5 }]],
    [["a", { size: -1 }]], [["a", "/-1"]], [["a", "/999999999999"]], [["a", "99999999999999999999999999999999999999999"]],
  ];
  const calls = {
    overlaps: (v) => [v, v],
    aggregate: (v) => [v, v],
    exclude: (v) => [v, v, v],
    carve: (v) => [v, v, v, v, v],
    plan: (v) => [v],
    recommend: (v) => [v],
    exportConfig: (v) => [v, v, v],
    sizing: (v) => [v],
  };
  for (const [name, argsOf] of Object.entries(calls)) {
    test(name, { skip: typeof cidrplan[name] === "function" ? false : `${name}() is not in this build yet` }, () => {
      for (const [i, v] of values.entries()) {
        for (const args of [argsOf(v), [v], ["10.0.0.0/8", v], [["10.0.0.0/8"], v], [["10.0.0.0/8"], [["a", "/24"]], v]]) {
          try {
            cidrplan[name](...args);
          } catch (err) {
            assert.ok(err instanceof Error, `${name} value #${i}: threw a non-Error ${String(err)}`);
            assert.ok(!(err instanceof WebAssembly.RuntimeError), `${name} value #${i}: wasm trap: ${err.message}`);
            assert.ok(codes.includes(err.code), `${name} value #${i}: no known code on ${err.stack}`);
          }
        }
      }
      // The instance still works after all of that.
      assert.deepStrictEqual(cidrplan.aggregate(["10.0.0.0/25", "10.0.0.128/25"]), { prefixes: ["10.0.0.0/24"] });
    });
  }
});

describe("a bad value is named by its path: list positions and keys", () => {
  const cases = [
    {
      run: () => cidrplan.carve(["10.0.0.0/8"], [["a", "/9"], ["b", true]]),
      field: "requests[1][1]",
      message: /^invalid requests\[1\]\[1\]: invalid type: boolean `true`, expected a request size/,
    },
    {
      run: () => cidrplan.carve(["10.0.0.0/8"], [["a", "/9"], ["b", 2 ** 53]]),
      field: "requests[1][1]",
      message: /2\^53 or more loses precision as a number: write it as a decimal string/,
    },
    {
      run: () => cidrplan.carve(["10.0.0.0/8"], { a: "/9", b: -3 }),
      field: "requests.b",
      message: /^invalid requests\.b: -3 is not an address count/,
    },
    {
      run: () => cidrplan.overlaps(["10.0.0.0/8", ["dc"]]),
      field: "items[1]",
      message: /^invalid items\[1\]: invalid length 1, expected a prefix/,
    },
    {
      run: () => cidrplan.plan({ network: { pools: ["10.0.0.0/8"] }, clusters: [{ name: "a", nodes: 1.5 }] }),
      field: "spec.clusters[0].nodes",
      message: /^invalid spec\.clusters\[0\]\.nodes: invalid type: floating point `1\.5`, expected u32$/,
    },
    {
      run: () => cidrplan.sizing({ max_nodes: 3, cloud: "gcq" }),
      field: "request.cloud",
      message: /^invalid request\.cloud: unknown variant `gcq`, expected one of `generic`, `gcp`, `aws`, `azure`$/,
    },
    {
      run: () => cidrplan.carve(["10.0.0.0/8"], [["a", 4096.5]]),
      field: "requests[0][1]",
      message: /an address count must be a whole number/,
    },
  ];
  for (const { run, field, message } of cases) {
    test(String(message), () => {
      assert.throws(run, (e) => {
        assert.ok(e instanceof Error);
        assert.equal(e.code, "invalid_input");
        assert.equal(e.field, field);
        assert.match(e.message, message);
        return true;
      });
    });
  }
});

// The npm tarball in the runtimes and compilers users run it with: Node as an ES module
// and from CommonJS, Bun, Deno, and TypeScript programs compiled to CommonJS (node10
// resolution) and to ES modules (node16), plus a type check under bundler resolution.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { here } from "./bundle.mjs";

const bin = (name) => join(here, "node_modules", ".bin", name);
const run = (cmd, args, env = {}) =>
  JSON.parse(
    execFileSync(cmd, args, {
      cwd: here,
      encoding: "utf8",
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    }).trim(),
  );

const full = {
  aggregate: { prefixes: ["10.0.0.0/24"] },
  carve: "10.0.0.0/20",
  code: "host_bits_set",
  version: JSON.parse(execFileSync("npm", ["pkg", "get", "version"], { cwd: join(here, "node_modules", "cidrplan"), encoding: "utf8" })),
};

test("Node: import from an ES module, no init needed", () => {
  assert.deepEqual(run(process.execPath, ["node/esm.mjs"]), full);
});

test("Node: require from CommonJS, no init needed", () => {
  assert.deepEqual(run(process.execPath, ["node/cjs.cjs"]), full);
});

test("Bun: import and require", () => {
  assert.deepEqual(run(bin("bun"), ["node/esm.mjs"]), full);
  assert.deepEqual(run(bin("bun"), ["node/cjs.cjs"]), full);
});

test("Deno: import from node_modules", () => {
  const env = { DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", NO_COLOR: "1" };
  assert.deepEqual(run(bin("deno"), ["run", "--allow-read", "--allow-env", "node/esm.mjs"], env), full);
});

const tsExpected = { aggregate: full.aggregate, carve: full.carve };

test("TypeScript compiled to CommonJS (node10 resolution) runs", () => {
  rmSync(join(here, "ts", "cjs", "out"), { recursive: true, force: true });
  execFileSync(bin("tsc"), ["-p", "ts/cjs"], { cwd: here, stdio: "inherit" });
  assert.deepEqual(run(process.execPath, ["ts/cjs/out/main.js"]), tsExpected);
});

test("TypeScript compiled to ES modules (node16 resolution) runs", () => {
  rmSync(join(here, "ts", "esm", "out"), { recursive: true, force: true });
  execFileSync(bin("tsc"), ["-p", "ts/esm"], { cwd: here, stdio: "inherit" });
  assert.deepEqual(run(process.execPath, ["ts/esm/out/main.mjs"]), tsExpected);
});

test("TypeScript type-checks the browser page under bundler resolution", () => {
  execFileSync(bin("tsc"), ["-p", "ts/bundler"], { cwd: here, stdio: "inherit" });
});

// How users get the package: `npm pack`, install the tarball into an empty project, then
// import it from an ES module and require it from a CommonJS script, with no init call.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { pkgRoot } from "./support.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let work;
let tarball;
let files;

before(() => {
  work = mkdtempSync(join(tmpdir(), "cidrplan-pack-"));
  const out = execFileSync(npm, ["pack", "--json", "--pack-destination", work], {
    cwd: pkgRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [info] = JSON.parse(out);
  tarball = join(work, info.filename);
  files = info.files.map((f) => f.path);
  const project = join(work, "app");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true, version: "1.0.0" }));
  // The tarball has no dependencies: installing it needs no registry.
  execFileSync(npm, ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], {
    cwd: project,
    stdio: ["ignore", "pipe", "pipe"],
  });
});

after(() => rmSync(work, { recursive: true, force: true }));

test("the tarball holds both builds, their types, the README and the licences, not the sources", () => {
  for (const f of [
    "package.json",
    "README.md",
    "LICENSE-MIT",
    "LICENSE-APACHE",
    "pkg/node/index.cjs",
    "pkg/node/index.d.cts",
    "pkg/web/index.js",
    "pkg/web/index.d.ts",
    "pkg/web/guard.js",
    "pkg/web/wasm-url.d.ts",
    "pkg/node/cidrplan.js",
    "pkg/node/cidrplan_bg.wasm",
    "pkg/node/cidrplan.d.ts",
    "pkg/node/index.mjs",
    "pkg/node/index.d.mts",
    "pkg/node/package.json",
    "pkg/web/cidrplan.js",
    "pkg/web/cidrplan_bg.wasm",
    "pkg/web/cidrplan.d.ts",
    "pkg/schemas/plan-request.json",
    "pkg/schemas/plan.json",
  ]) {
    assert.ok(files.includes(f), `${f} missing from ${files.join(", ")}`);
  }
  assert.ok(!files.some((f) => f.startsWith("src/") || f.startsWith("test/") || f.includes("node_modules")));
});

const run = (file, source) => {
  const path = join(work, "app", file);
  writeFileSync(path, source);
  return execFileSync(process.execPath, [path], { cwd: join(work, "app"), encoding: "utf8" }).trim();
};

test("import from an ES module, no init call", () => {
  const out = run(
    "esm.mjs",
    `import { aggregate, carve } from "cidrplan";
     import * as all from "cidrplan";
     const a = aggregate(["10.0.0.0/25", "10.0.0.128/25"]);
     const c = carve(["10.0.0.0/16"], [["pods", "/20"]]);
     console.log(JSON.stringify([a, c.allocations, typeof all.default]));`,
  );
  assert.equal(out, JSON.stringify([{ prefixes: ["10.0.0.0/24"] }, [{ name: "pods", cidr: "10.0.0.0/20", addresses: "4096" }], "function"]));
});

test("require from a CommonJS script, no init call", () => {
  const out = run(
    "cjs.cjs",
    `const { exclude, aggregate } = require("cidrplan");
     let code;
     try { aggregate(["10.0.0.1/8"]); } catch (e) { code = e instanceof Error && e.code; }
     console.log(JSON.stringify([exclude("10.0.0.0/24", ["10.0.0.0/25"]), code]));`,
  );
  assert.equal(out, JSON.stringify([{ free: ["10.0.0.128/25"] }, "host_bits_set"]));
});

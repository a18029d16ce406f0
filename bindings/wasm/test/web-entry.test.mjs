// The browser entry (pkg/web/index.js) in Node: functions called before init() throw a real
// Error naming init(); init() that cannot load the .wasm beside it says what to pass; once
// initialised, the functions answer as the Node entry does.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";

import { pkgRoot } from "./support.mjs";

const web = await import(pathToFileURL(join(pkgRoot, "pkg", "web", "index.js")).href);

test("a function called before init() throws an Error that says to call init() first", () => {
  assert.throws(
    () => web.aggregate(["10.0.0.0/24"]),
    (err) =>
      err instanceof Error &&
      err.name === "CidrplanError" &&
      err.code === "not_initialized" &&
      /aggregate\(\) was called before .*await init\(\)/.test(err.message),
  );
});

test("init() that cannot fetch the .wasm beside the module names the way out", async () => {
  // Node's fetch cannot read the file: URL the web build computes, as a page cannot fetch
  // a .wasm its bundler did not emit.
  await assert.rejects(web.default(), (err) => {
    assert.equal(err.code, "not_initialized");
    assert.match(err.message, /could not load cidrplan_bg\.wasm/);
    assert.match(err.message, /cidrplan\/cidrplan_bg\.wasm/);
    assert.ok(err.cause !== undefined);
    return true;
  });
  assert.throws(() => web.version(), { code: "not_initialized" });
});

test("after initSync() the functions answer", () => {
  web.initSync({ module: readFileSync(join(pkgRoot, "pkg", "web", "cidrplan_bg.wasm")) });
  assert.deepEqual(web.aggregate(["10.0.0.0/25", "10.0.0.128/25"]), { prefixes: ["10.0.0.0/24"] });
  assert.throws(() => web.aggregate(["10.0.0.1/8"]), { code: "host_bits_set" });
});

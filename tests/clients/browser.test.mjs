// The npm tarball bundled by esbuild, webpack 5 and Vite, each bundle loaded in headless
// Chromium (Debian's, driven by playwright-core): a call before init() throws an Error
// that says so, then the functions answer as the Node entry does, with no console error,
// failed request or uncaught exception on the page.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { aggregate, carve, plan, version } from "cidrplan";

import { serveDirectory } from "../../web-demo/test/static-server.mjs";
import { esbuildBundle, viteBundle, viteDevServer, webpackBundle } from "./bundle.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const spec = { network: { pools: ["10.0.0.0/8"] }, clusters: [{ name: "a", nodes: 2 }, { name: "b", nodes: 2 }] };
const expected = {
  aggregate: aggregate(["10.0.0.0/25", "10.0.0.128/25"]),
  carve: carve(["10.1.0.0/16"], [["a", "/20"], ["b", "/20"], ["c", "/24"], ["d", "/20"]], [], "sequential")
    .allocations.map((a) => a.cidr),
  model: plan(spec).model,
  kcmFlags: true,
  error: { isError: true, code: "host_bits_set" },
  version: version(),
};

let work;
let browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "cidrplan-bundles-"));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Serves `dir` statically, opens it, and returns what the page reported. */
async function load(dir) {
  const server = await serveDirectory(dir);
  try {
    return await open(server.url);
  } finally {
    await server.close();
  }
}

/** Opens `url`, and returns the page's result and every problem it reported. */
async function open(url) {
  // A context per bundle: closing it closes its keep-alive connections, so the server can stop.
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`uncaught: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()}`));
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 20_000 });
    return { result: await page.evaluate(() => window.__result), problems };
  } finally {
    await context.close();
  }
}

function assertWorks({ result, problems }) {
  assert.equal(result.failed, undefined, result.failed);
  const { beforeInit, ...rest } = result;
  assert.equal(beforeInit.isError, true, "a call before init() throws an Error");
  assert.equal(beforeInit.code, "not_initialized");
  assert.match(beforeInit.message, /await init\(\)/);
  assert.deepEqual(rest, expected);
  assert.deepEqual(problems, []);
}

test("esbuild (--loader:.wasm=file, the .wasm passed to init) bundle runs in Chromium", async () => {
  const out = join(work, "esbuild");
  esbuildBundle(out);
  assertWorks(await load(out));
});

test("webpack 5 bundle runs in Chromium with init() finding the .wasm itself", async () => {
  const out = join(work, "webpack");
  await webpackBundle(out);
  assertWorks(await load(out));
});

test("Vite bundle runs in Chromium with init() finding the .wasm itself", async () => {
  const out = join(work, "vite");
  await viteBundle(out, join(work, "vite-cache"));
  assertWorks(await load(out));
});

test("Vite's dev server serves the page, dependencies pre-bundled, with init() finding the .wasm", async () => {
  const server = await viteDevServer(join(work, "vite-dev-cache"));
  try {
    const { result, problems } = await open(server.resolvedUrls.local[0]);
    assertWorks({ result, problems: problems.filter((p) => !p.startsWith("console.debug")) });
  } finally {
    await server.close();
  }
});

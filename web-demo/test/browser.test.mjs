// The demo in Debian's Chromium through playwright-core: the built dist/ served from
// 127.0.0.1, the talk's example planned, edits replanning, field errors, shared links,
// untrusted names, and a screenshot in test-output/ for a person to look at.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serveDirectory } from "./static-server.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const outDir = join(root, "test-output");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const XSS = "<img src=x onerror=window.__xss=1>";

const b64url = (text) => Buffer.from(text, "utf8").toString("base64url");
const linkFor = (spec) => `#plan=${b64url(JSON.stringify(spec))}`;

let server;
let context;
let userDataDir;

async function openPage(hash = "") {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(err.message));
  page.errors = errors;
  await page.goto(server.url + hash);
  await page.waitForSelector("html[data-ready]", { timeout: 15_000 });
  return page;
}

const podRanges = (page) =>
  page.$$eval("#cluster-ranges tbody tr", (rows) => rows.map((r) => [r.querySelector("th").textContent, r.querySelectorAll("td")[0].textContent]));
const rankingModels = (page) => page.$$eval("#ranking > li", (items) => items.map((li) => li.dataset.model));
const recommended = (page) => page.textContent("#recommended-model");

async function setField(page, path, value) {
  const el = page.locator(`[data-path="${path}"]`);
  if ((await el.evaluate((e) => e.tagName)) === "SELECT") await el.selectOption(value);
  else await el.fill(value);
}

before(async () => {
  if (!existsSync(join(dist, "index.html"))) {
    execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
  }
  mkdirSync(outDir, { recursive: true });
  server = await serveDirectory(dist);
  userDataDir = mkdtempSync(join(tmpdir(), "cidrplan-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1500, height: 1000 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

describe("the talk's example", () => {
  test("loads, recommends flat with 10.0.0.0/16 and 10.1.0.0/16, and reports its first render", async () => {
    const page = await openPage();
    const timing = await page.evaluate(() => {
      const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
      return { wasm: mark("cidrplan:wasm-ready"), firstRender: mark("cidrplan:first-render") };
    });
    assert.ok(timing.firstRender > 0, "the page marks its first render");
    console.log(`load-to-first-render: ${timing.firstRender.toFixed(1)} ms (WebAssembly ready at ${timing.wasm.toFixed(1)} ms) in ${CHROMIUM}, first load in a fresh profile`);

    assert.equal(await recommended(page), "flat");
    const models = await rankingModels(page);
    assert.deepEqual([...models].sort(), ["archipelago", "flat", "island", "isolated", "mapped"]);
    assert.equal(models[0], "flat");
    const first = page.locator("#ranking > li").first();
    assert.match(await first.locator(".score").textContent(), /^[+-]?\d+$/);
    assert.ok((await first.locator(".reason").count()) > 0, "the recommendation gives its reasons");
    assert.deepEqual(await podRanges(page), [["cluster-1", "10.0.0.0/16"], ["cluster-2", "10.1.0.0/16"]]);

    // The map draws both pod ranges and shows CIDR and size on hover.
    const pod = page.locator('svg.address-map g.range[data-cidr="10.1.0.0/16"]');
    await pod.hover();
    const tip = page.locator(".map-tooltip");
    await tip.waitFor({ state: "visible" });
    assert.match(await tip.textContent(), /10\.1\.0\.0\/16.*65,536 addresses/s);
    for (const kind of ["allocation", "node-subnet", "pod", "node-range", "service", "free"]) {
      assert.ok((await page.locator(`svg.address-map g.kind-${kind}`).count()) > 0, `the map shows ${kind}`);
    }
    assert.ok((await page.locator("svg.address-map g.flag-warning").count()) > 0, "ranges named in warnings are highlighted");
    assert.ok((await page.locator("#reachability td.how-direct").count()) > 0);
    assert.ok((await page.locator("#warnings li").count()) > 0);
    assert.equal(await page.textContent("#more-clusters"), "238");
    assert.deepEqual(page.errors, []);

    await page.screenshot({ path: join(outDir, "web-demo.png"), fullPage: true });
    await page.reload();
    await page.waitForSelector("html[data-ready]");
    const warm = await page.evaluate(() => performance.getEntriesByName("cidrplan:first-render")[0].startTime);
    console.log(`load-to-first-render: ${warm.toFixed(1)} ms on reload (cached)`);
    await page.close();
  });

  test("choosing island shows its plan: both clusters reuse 10.0.0.0/16, drawn as a hole", async () => {
    const page = await openPage();
    await page.click('#ranking [data-pick="island"]');
    await page.waitForFunction(() => document.querySelector('#ranking > li.shown')?.dataset.model === "island");
    assert.deepEqual(await podRanges(page), [["cluster-1", "10.0.0.0/16"], ["cluster-2", "10.0.0.0/16"]]);
    assert.equal(await page.inputValue("#model-select"), "island");
    assert.ok((await page.locator('svg.address-map g.kind-hole[data-cidr="10.0.0.0/16"]').count()) === 1);
    assert.ok((await page.locator("#reachability td.how-snat").count()) > 0);
    await page.locator("#map-panel").screenshot({ path: join(outDir, "web-demo-island-map.png") });
    await page.close();
  });

  test("exports render the plan's configuration (or say the package has none yet)", async () => {
    const page = await openPage();
    if (await page.locator("#exports-missing").count()) {
      assert.match(await page.textContent("#exports-missing"), /exportConfig/);
      await page.close();
      return;
    }
    assert.match(await page.textContent("#export-text"), /podSubnet: "10\.0\.0\.0\/16"/);
    const formats = await page.$$eval("[data-format]", (tabs) => tabs.map((t) => t.dataset.format));
    for (const name of ["kubeadm", "kcm-flags", "calico", "cilium", "ip-masq-agent", "tfvars"]) assert.ok(formats.includes(name), name);
    for (const name of formats) {
      await page.click(`[data-format="${name}"]`);
      await page.waitForFunction((f) => document.querySelector(`[data-format="${f}"]`)?.getAttribute("aria-selected") === "true", name);
      assert.ok((await page.textContent("#export-text")).trim().length > 0, `${name} has text`);
    }
    JSON.parse(await page.textContent("#export-text")); // tfvars, the last tab, is JSON
    await page.click('[data-format="calico"]');
    assert.match(await page.textContent("#export-text"), /kind: IPPool/);
    const [file] = await Promise.all([page.waitForEvent("download"), page.click("text=Download calico-ippool.yaml")]);
    assert.equal(file.suggestedFilename(), "calico-ippool.yaml");
    await page.close();
  });
});

describe("editing", () => {
  test("scarce IP space and a network that is not programmable put island first", async () => {
    const page = await openPage();
    assert.equal(await recommended(page), "flat");
    await setField(page, "requirements.ip_space", "scarce");
    await setField(page, "requirements.network_programmable", "false");
    await page.waitForFunction(() => document.querySelector("#recommended-model")?.textContent === "island");
    const models = await rankingModels(page);
    assert.equal(models[0], "island");
    assert.ok(models.indexOf("flat") > 0, "flat drops in the ranking");
    assert.deepEqual(await podRanges(page), [["cluster-1", "10.0.0.0/16"], ["cluster-2", "10.0.0.0/16"]]);
    await page.close();
  });

  test("a bad CIDR is marked next to its field with the core's message, and the page stays", async () => {
    const page = await openPage();
    await setField(page, "network.pools.0", "10.0.0.1/8");
    const field = page.locator('[data-field="network.pools.0"]');
    await field.locator(".field-error").waitFor({ state: "visible" });
    assert.match(await field.locator(".field-error").textContent(), /host bits set in "10\.0\.0\.1\/8"/);
    assert.equal(await page.getAttribute('[data-path="network.pools.0"]', "aria-invalid"), "true");
    assert.ok(await page.isVisible("#ranking"), "the last plan stays on the page");
    assert.ok(await page.isVisible("svg.address-map"));

    await setField(page, "network.allocations.0.cidr", "banana");
    await setField(page, "network.pools.0", "10.0.0.0/8");
    const alloc = page.locator('[data-field="network.allocations.0.cidr"] .field-error');
    await alloc.waitFor({ state: "visible" });
    assert.match(await alloc.textContent(), /invalid prefix "banana"/);
    assert.equal(await field.locator(".field-error").textContent(), "");

    await setField(page, "network.allocations.0.cidr", "10.128.1.1/32");
    await page.waitForFunction(() => !document.querySelector("[aria-invalid]") && !document.querySelector("#results.stale"));
    assert.deepEqual(await podRanges(page), [["cluster-1", "10.0.0.0/16"], ["cluster-2", "10.1.0.0/16"]]);

    await setField(page, "clusters.1.name", "cluster-1");
    const nameError = page.locator('[data-field="clusters.1.name"] .field-error');
    await nameError.waitFor({ state: "visible" });
    assert.match(await nameError.textContent(), /cluster-1/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe("links", () => {
  test("a shared link reloads the same plan", async () => {
    const page = await openPage();
    await setField(page, "clusters.0.nodes", "40");
    await setField(page, "clusters.1.max_pods_per_node", "30");
    await page.click('#ranking [data-pick="archipelago"]');
    await page.waitForFunction(() => document.querySelector('#ranking > li.shown')?.dataset.model === "archipelago");
    const url = page.url();
    assert.match(url, /#plan=[A-Za-z0-9_-]+$/);
    const before = { ranges: await page.textContent("#cluster-ranges"), ranking: await page.textContent("#ranking") };

    const again = await openPage(new URL(url).hash);
    assert.equal(await again.textContent("#cluster-ranges"), before.ranges);
    assert.equal(await again.textContent("#ranking"), before.ranking);
    assert.equal(await again.inputValue('[data-path="clusters.0.nodes"]'), "40");
    assert.equal(await again.inputValue("#model-select"), "archipelago");
    await page.close();
    await again.close();
  });

  test("a request exported as JSON imports back to the same plan", async () => {
    const page = await openPage();
    await setField(page, "requirements.ip_space", "scarce");
    await setField(page, "clusters.0.name", "east");
    await page.waitForFunction(() => document.querySelector("#cluster-ranges tbody th")?.textContent === "east");
    const [file] = await Promise.all([page.waitForEvent("download"), page.click("#export-request")]);
    const saved = join(outDir, "request.json");
    await file.saveAs(saved);
    const ranges = await page.textContent("#cluster-ranges");

    const fresh = await openPage();
    await fresh.setInputFiles("#import-file", saved);
    await fresh.waitForFunction(() => document.querySelector("#cluster-ranges tbody th")?.textContent === "east");
    assert.equal(await fresh.textContent("#cluster-ranges"), ranges);
    assert.equal(await fresh.inputValue('[data-path="requirements.ip_space"]'), "scarce");

    await fresh.setInputFiles("#import-file", { name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{"clusters": 3}') });
    await fresh.waitForSelector("#import-error");
    assert.match(await fresh.textContent("#import-error"), /broken\.json/);
    assert.equal(await fresh.textContent("#cluster-ranges tbody th"), "east", "a bad file changes nothing");
    await page.close();
    await fresh.close();
  });

  test("malformed links show a message and the example, never a blank page", async () => {
    const bad = [
      "#plan=%%%not-base64",
      `#plan=${b64url("{not json")}`,
      `#plan=${b64url(JSON.stringify({ network: { pools: "10.0.0.0/8" }, clusters: [] }))}`,
      `#plan=${b64url(JSON.stringify([1, 2, 3]))}`,
      "#something-else",
    ];
    for (const hash of bad) {
      const page = await openPage(hash);
      assert.ok(await page.isVisible("#link-error"), `a message for ${hash}`);
      assert.match(await page.textContent("#link-error"), /could not be read/);
      assert.equal(await recommended(page), "flat", "the example is planned instead");
      assert.deepEqual(page.errors, []);
      await page.close();
    }
  });
});

describe("untrusted input", () => {
  test("names are rendered as text, never as HTML", async () => {
    const spec = {
      network: { pools: ["10.0.0.0/8"], allocations: [{ name: XSS, cidr: "10.128.1.1/32", reachable: true }] },
      clusters: [{ name: XSS, nodes: 2, max_nodes: 250 }, { name: "b", nodes: 2, group: XSS }],
    };
    const page = await openPage(linkFor(spec));
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.equal(await page.textContent("#cluster-ranges tbody th"), XSS);

    await setField(page, "clusters.1.name", `${XSS}-2`);
    await page.waitForFunction(() => document.querySelector("#cluster-ranges")?.textContent.includes("-2"));
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.ok((await page.locator("svg.address-map g.range").evaluateAll((gs, xss) => gs.filter((g) => g.dataset.name.includes(xss)).length, XSS)) > 0);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe("collisions", () => {
  test("a node subnet on top of an allocation is drawn and listed as a collision", async () => {
    const page = await openPage();
    await setField(page, "clusters.0.node_subnet", "10.128.1.0/24");
    const subnet = page.locator('svg.address-map g.flag-overlap[data-cidr="10.128.1.0/24"]');
    await subnet.waitFor();
    assert.equal(await page.locator('svg.address-map g.flag-overlap[data-cidr="10.128.1.1/32"]').count(), 1);
    await subnet.hover();
    assert.match(await page.textContent(".map-tooltip"), /overlaps other 10\.128\.1\.1\/32/);
    assert.match(await page.textContent("#warnings li.collision"), /allocation_overlap.*10\.128\.1\.0\/24.*other/);
    await page.locator("#map-panel").screenshot({ path: join(outDir, "web-demo-collision-map.png") });
    await page.close();
  });
});

describe("IPv6", () => {
  test("an IPv6 cluster gets its own readable map", async () => {
    const spec = {
      network: { pools: ["10.0.0.0/8", "fd00:10::/48"], allocations: [{ name: "dc", cidr: "fd00:10:0:100::/56", reachable: true }] },
      clusters: [{ name: "v6", nodes: 3, family: "ipv6" }, { name: "dual", nodes: 2, family: "dual" }],
    };
    const page = await openPage(linkFor(spec));
    const map = page.locator('svg.address-map[data-family="6"]');
    await map.waitFor();
    const widths = await map.locator("g.range:not(.kind-pool) rect").evaluateAll((rects) => rects.map((r) => r.getBBox().width));
    assert.ok(widths.length >= 4);
    assert.ok(Math.min(...widths) >= 1.5, "every IPv6 range is visible");
    await page.locator("#map-panel").screenshot({ path: join(outDir, "web-demo-ipv6-map.png") });
    await page.close();
  });
});

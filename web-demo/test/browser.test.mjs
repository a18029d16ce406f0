// The demo in Debian's Chromium through playwright-core: the built dist/ served from
// 127.0.0.1, the talk's example planned, edits replanning, field errors, shared links,
// untrusted names, and a screenshot in test-output/ for a person to look at.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
let pkgServer;
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
  await pkgServer?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

describe("the talk's example", () => {
  test("loads, recommends flat with 10.1.0.0/16 and 10.2.0.0/16, and reports its first render", async () => {
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
    assert.deepEqual(await podRanges(page), [["cluster-1", "10.1.0.0/16"], ["cluster-2", "10.2.0.0/16"]]);

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

  test("choosing island shows its plan: both clusters reuse 10.1.0.0/16, drawn as a hole", async () => {
    const page = await openPage();
    await page.click('#ranking [data-pick="island"]');
    await page.waitForFunction(() => document.querySelector('#ranking > li.shown')?.dataset.model === "island");
    assert.deepEqual(await podRanges(page), [["cluster-1", "10.1.0.0/16"], ["cluster-2", "10.1.0.0/16"]]);
    assert.equal(await page.inputValue("#model-select"), "island");
    assert.ok((await page.locator('svg.address-map g.kind-hole[data-cidr="10.1.0.0/16"]').count()) === 1);
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
    assert.match(await page.textContent("#export-text"), /podSubnet: "10\.1\.0\.0\/16"/);
    const formats = await page.$$eval("[data-format]", (tabs) => tabs.map((t) => t.dataset.format));
    for (const name of ["kubeadm", "kcm-flags", "calico", "cilium", "ip-masq-agent", "tfvars", "node-nat", "policy"]) assert.ok(formats.includes(name), name);
    for (const name of formats) {
      await page.click(`[data-format="${name}"]`);
      await page.waitForFunction((f) => document.querySelector(`[data-format="${f}"]`)?.getAttribute("aria-selected") === "true", name);
      assert.ok((await page.textContent("#export-text")).trim().length > 0, `${name} has text`);
    }
    await page.click('[data-format="tfvars"]');
    await page.waitForFunction(() => document.querySelector('[data-format="tfvars"]')?.getAttribute("aria-selected") === "true");
    JSON.parse(await page.textContent("#export-text")); // tfvars is JSON
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
    assert.deepEqual(await podRanges(page), [["cluster-1", "10.1.0.0/16"], ["cluster-2", "10.1.0.0/16"]]);
    await page.close();
  });

  test("a bad CIDR is marked next to its field in plain words once the user is done, and the page stays", async () => {
    const page = await openPage();
    await setField(page, "network.pools.0", "10.0.0.1/8");
    const field = page.locator('[data-field="network.pools.0"]');
    await field.locator(".field-error").waitFor({ state: "visible" });
    assert.match(await field.locator(".field-error").textContent(), /"10\.0\.0\.1\/8" has address bits set past \/8: did you mean 10\.0\.0\.0\/8\?/);
    assert.equal(await page.getAttribute('[data-path="network.pools.0"]', "aria-invalid"), "true");
    assert.ok(await page.isVisible("#ranking"), "the last plan stays on the page");
    assert.ok(await page.isVisible("svg.address-map"));

    await setField(page, "network.allocations.0.cidr", "banana");
    await setField(page, "network.pools.0", "10.0.0.0/8");
    const alloc = page.locator('[data-field="network.allocations.0.cidr"] .field-error');
    await alloc.waitFor({ state: "visible" });
    assert.match(await alloc.textContent(), /"banana" is not a CIDR/);
    assert.equal(await field.locator(".field-error").textContent(), "");

    await setField(page, "network.allocations.0.cidr", "10.128.1.1/32");
    await page.waitForFunction(() => !document.querySelector("[aria-invalid]") && !document.querySelector("main.stale"));
    // Changing the network dropped the example's requirements: the plan rests on what is measured.
    assert.equal(await page.inputValue('[data-path="requirements.network_programmable"]'), "");
    assert.ok(await page.isVisible("#requirements-cleared"));

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

  test("a saved plan loaded as the previous plan keeps its ranges; new and changed ranges are marked", async () => {
    const page = await openPage();
    await page.waitForSelector("#cluster-ranges tbody th");
    const [file] = await Promise.all([page.waitForEvent("download"), page.click("#export-plan")]);
    const saved = join(outDir, "previous-plan.json");
    await file.saveAs(saved);
    const before = await page.textContent("#cluster-ranges");

    await page.setInputFiles("#previous-file", saved);
    await page.waitForFunction(() => /Against the previous plan/.test(document.querySelector("#plan-status")?.textContent ?? ""));
    assert.equal(await page.textContent("#cluster-ranges"), before, "the same request keeps every range");
    assert.equal(await page.locator(".address-map .status-new").count(), 0);
    assert.ok(await page.locator(".address-map .status-kept").count() > 0);

    await page.click('button[data-action="add-cluster"]');
    await page.waitForFunction(() => document.querySelectorAll(".address-map .status-new").length > 0);
    assert.match(await page.textContent("#plan-status"), /Against the previous plan: 2 clusters kept/);

    await page.setInputFiles("#previous-file", { name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{"clusters": 3}') });
    await page.waitForSelector("#previous-error");
    assert.match(await page.textContent("#previous-error"), /broken\.json/);
    await page.close();
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

describe("cloud profiles", () => {
  // The EKS vector of tests/vectors/plan.json: nodes from the VPC, pods from 100.64.0.0/10,
  // services from private space outside the VPC.
  const eks = {
    network: {
      pools: ["10.20.0.0/16"], node_pools: ["10.20.0.0/16"], pod_pools: ["100.64.0.0/10"], service_pools: ["172.16.0.0/12"],
      allocations: [{ name: "vpc-used", cidr: "10.20.0.0/17", reachable: true }], cloud: "aws", cni: "custom_networking",
    },
    clusters: [{ name: "prod", nodes: 100, max_nodes: 200, services: 100 }, { name: "stage", nodes: 20, max_nodes: 50 }],
    model: "flat",
  };

  test("EKS custom networking: pools per kind in the form, ranges from each pool, and the rules applied listed", async () => {
    const page = await openPage(linkFor(eks));
    await page.waitForSelector("#rules li");
    assert.equal(await page.inputValue('[data-path="network.pod_pools"]'), "100.64.0.0/10");
    assert.equal(await page.inputValue('[data-path="network.cni"]'), "custom_networking");
    const rows = await page.$$eval("#cluster-ranges tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    assert.equal(rows.length, 2);
    for (const [pod] of rows) assert.match(pod, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./, `pod range ${pod} comes from 100.64.0.0/10`);
    const codes = await page.$$eval("#rules li", (lis) => lis.map((li) => li.dataset.code));
    for (const code of ["eks_service_cidr_private", "eks_service_cidr_outside_vpc", "eks_service_cidr_size"]) assert.ok(codes.includes(code), `${code} listed (got ${codes.join(", ")})`);
    assert.match(await page.textContent("#rules"), /172\.16\.0\.0\/24 \(prod\)/);
    assert.ok(await page.locator('svg.address-map g.range[data-cidr="100.64.0.0/10"]').count() > 0, "the pod pool is drawn");
    await shot(page, "cloud-eks", { fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("choosing Azure offers Azure's CNI modes; Azure CNI puts pods in the node subnet and says so", async () => {
    const page = await openPage();
    assert.match(await page.textContent("#rules-panel"), /No cloud chosen/);
    await setField(page, "network.cloud", "azure");
    const offered = await page.$$eval('[data-path="network.cni"] option', (os) => os.map((o) => o.value));
    assert.deepEqual(offered, ["", "azure_cni", "overlay", "kubenet"]);
    await setField(page, "network.cni", "azure_cni");
    // AKS takes a service range only outside the VNet (here the network's pools).
    await page.click("#pool-kinds summary");
    await setField(page, "network.service_pools", "172.16.0.0/12");
    await page.waitForFunction(() => document.querySelector("#cluster-ranges tbody td:nth-child(3)")?.textContent === "pods in the node subnet");
    await page.waitForSelector('#rules li[data-code="pods_in_node_subnet"]');
    const [pod, , , node] = await page.$$eval("#cluster-ranges tbody tr:first-child td", (tds) => tds.map((td) => td.textContent));
    assert.equal(pod, node, "the pod range is the node subnet");
    assert.equal(await page.locator("svg.address-map g.kind-node-range").count(), 0, "no per-node lanes of one address each");
    // Back to AWS: the Azure mode is dropped from the request, not left to fail.
    await setField(page, "network.cloud", "aws");
    assert.equal(await page.inputValue('[data-path="network.cni"]'), "");
    await page.waitForFunction(() => !document.querySelector('#rules li[data-code="pods_in_node_subnet"]'));
    assert.equal(await page.locator("#plan-error .error, #plan-error [role=alert]").count(), 0);
    assert.deepEqual(page.errors, []);
    await page.close();
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

describe("long names", () => {
  // 60 characters each: they used to show only their first few letters in the form at 1500px.
  const ALLOCATION = "payments-datacenter-frankfurt-legacy-mainframe-interconnect2";
  const CLUSTER = "production-eu-central-1-customer-facing-checkout-services-b2";

  test("allocation and cluster names show in full in the form at 1500px and 900px", async () => {
    assert.equal(ALLOCATION.length, 60);
    assert.equal(CLUSTER.length, 60);
    const spec = {
      network: { pools: ["10.0.0.0/8"], allocations: [{ name: ALLOCATION, cidr: "10.128.1.1/32", reachable: true }] },
      clusters: [{ name: CLUSTER, nodes: 2, max_nodes: 250 }, { name: "cluster-2", nodes: 2, max_nodes: 250 }],
    };
    const page = await openPage(linkFor(spec));
    // Every pixel of the field's text is inside its box, and the box is inside what its fieldset shows.
    const shown = (path) =>
      page.locator(`[data-path="${path}"]`).evaluate((el) => {
        const box = el.getBoundingClientRect();
        const fieldset = el.closest("fieldset");
        const frame = fieldset.getBoundingClientRect();
        return {
          value: el.value,
          text: el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight,
          inFieldset: box.left >= frame.left && box.right <= frame.right && fieldset.scrollLeft === 0,
          width: Math.round(el.clientWidth),
        };
      });
    for (const width of [1500, 900]) {
      await page.setViewportSize({ width, height: 1000 });
      for (const [path, name] of [["network.allocations.0.name", ALLOCATION], ["clusters.0.name", CLUSTER]]) {
        const field = await shown(path);
        assert.equal(field.value, name);
        assert.ok(field.text, `${path} shows its whole name at ${width}px (${JSON.stringify(field)})`);
        assert.ok(field.inFieldset, `${path} is inside its fieldset at ${width}px (${JSON.stringify(field)})`);
        assert.ok(field.width >= 150, `${path} is wide enough to read at ${width}px (${JSON.stringify(field)})`);
      }
      const cidr = await shown("network.allocations.0.cidr");
      assert.ok(cidr.text && cidr.inFieldset, `the allocation's CIDR shows in full at ${width}px`);
      // The map cuts a long lane name to its gutter, inside the picture, with the whole name as its title.
      const lanes = await page.$$eval("svg.address-map .lane-label", (ts) => ts.map((t) => ({ x: t.getBBox().x, title: t.querySelector("title")?.textContent })));
      assert.ok(lanes.every((l) => l.x >= 0), `lane labels stay inside the map at ${width}px`);
      assert.ok(lanes.some((l) => l.title === CLUSTER), "the cut lane label carries the full cluster name");
      await page.locator("#form").screenshot({ path: join(outDir, `web-demo-long-names-${width}.png`) });
    }
    assert.equal(await page.textContent("#cluster-ranges tbody th"), CLUSTER);

    // A name stays one line: Enter adds nothing, a pasted line break becomes a space.
    const name = page.locator('[data-path="clusters.1.name"]');
    await name.fill("east\nwest");
    await name.press("End");
    await name.press("Enter");
    assert.equal(await name.inputValue(), "east west");
    await page.waitForFunction(() => [...document.querySelectorAll("#cluster-ranges tbody th")].some((th) => th.textContent === "east west"));
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

const SHOTS = process.env.CIDRPLAN_SHOTS ?? join(tmpdir(), "cidrplan-shots");
mkdirSync(SHOTS, { recursive: true });
const shot = (page, name, options = {}) => page.screenshot({ path: join(SHOTS, `${name}.png`), ...options });

/** A platform engineer's network: two pools, datacenters, VPNs and hosts, 12 clusters in two pools. */
function realisticSpec() {
  const allocations = [
    { name: "dc-frankfurt", cidr: "10.16.0.0/12", reachable: true },
    { name: "dc-dublin", cidr: "10.32.0.0/13", reachable: true },
    { name: "vpn-partners", cidr: "172.20.0.0/16", reachable: true },
    { name: "vpn-offices", cidr: "10.100.0.0/16", reachable: false },
    { name: "bastion", cidr: "10.128.1.1/32", reachable: true },
    { name: "monitoring", cidr: "10.128.2.0/24", reachable: true },
  ];
  const clusters = Array.from({ length: 12 }, (_, i) => ({ name: `prod-${i + 1}`, nodes: 10 + i, max_nodes: 200, max_pods_per_node: 110, family: i % 4 === 0 ? "dual" : undefined }));
  return { network: { pools: ["10.0.0.0/8", "172.16.0.0/12", "fd00:10::/48"], allocations }, clusters, model: "auto" };
}

/** What the map draws: per range its CIDR, kind, width in px, lane top and label. */
const drawnRanges = (page, family = 4) => page.$$eval(`svg.address-map[data-family="${family}"] g.range:not(.kind-pool):not(.kind-free)`, (gs) => gs.map((g) => {
  const r = g.querySelector("rect");
  return { cidr: g.dataset.cidr, kind: g.dataset.kind, name: g.dataset.name, width: Number(r.getAttribute("width")), y: Number(r.getAttribute("y")), label: g.dataset.label ?? "" };
}));

describe("answer first", () => {
  for (const [width, height] of [[1440, 900], [390, 844]]) {
    test(`the recommendation, its reasons${width > 1000 ? " and the map" : ""} are in the first screen at ${width}x${height}`, async () => {
      const page = await openPage();
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(200);
      const top = (sel) => page.locator(sel).first().evaluate((el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, visible: r.width > 0 && r.height > 0 }; });
      const model = await top("#recommended-model");
      const reasons = await top("#top-reasons");
      assert.ok(model.visible && model.bottom <= height, `the recommended model is in the first screen (${JSON.stringify(model)})`);
      assert.ok(reasons.visible && reasons.bottom <= height, `its top reasons are in the first screen (${JSON.stringify(reasons)})`);
      assert.match(await page.textContent("#recommended-text"), /\w+ \w+/, "the model is explained in a sentence");
      if (width > 1000) {
        const map = await top("svg.address-map");
        assert.ok(map.visible && map.top < height - 100, `the map starts in the first screen (${JSON.stringify(map)})`);
      }
      // Every model is explained on the page, in a sentence.
      const texts = await page.$$eval("#ranking > li .model-text", (ps) => ps.map((p) => p.textContent));
      assert.equal(texts.length, 5);
      assert.ok(texts.every((t) => t.split(" ").length > 12));
      await shot(page, `answer-first-${width}x${height}`);
      await page.close();
    });
  }
});

describe("requirements the user stated", () => {
  test("the example's requirements are marked, and a changed network starts from not stated", async () => {
    const page = await openPage();
    assert.ok(await page.isVisible("#example-requirements"), "the page says the requirement values are the example's");
    assert.ok((await page.locator('#top-reasons [data-origin="example"]').count()) > 0, "reasons resting on the example's values say so");
    await setField(page, "network.pools.0", "172.16.0.0/12");
    await page.waitForSelector("#requirements-cleared");
    for (const key of ["network_programmable", "integration", "kubernetes_footprint"]) {
      assert.equal(await page.inputValue(`[data-path="requirements.${key}"]`), "", `${key} is not stated`);
    }
    await page.waitForFunction(() => !document.querySelector('#ranking [data-origin="example"]'));
    assert.equal(await page.locator("#example-requirements").count(), 0);
    // Stating one marks its reasons as the user's.
    await setField(page, "requirements.network_programmable", "true");
    await page.waitForFunction(() => document.querySelector('#ranking [data-origin="stated"]'));
    await page.close();
  });
});

describe("errors in the user's words", () => {
  test("each kind of bad field gets its sentence at the field, after the user is done, and none for a new row", async () => {
    const page = await openPage();
    const cases = [
      ["clusters.0.nodes", "-5", /^nodes must be a whole number of at least 1 \(-5 is too small\)$/],
      ["clusters.0.max_pods_per_node", "lots", /^max pods per node must be a whole number of at least 1 \("lots" is not\)$/],
      ["clusters.1.max_nodes", "1", /^max nodes \(1\) must be at least the nodes the cluster has now \(2\)$/],
      ["clusters.1.name", "cluster-1", /^another cluster is already named "cluster-1"$/],
      ["clusters.0.node_subnet", "10.240.0.1/24", /did you mean 10\.240\.0\.0\/24\?/],
      ["network.pools.0", "10.0.0.0/33", /has a prefix length over 32/],
      ["network.allocations.0.cidr", "banana", /"banana" is not a CIDR: write an address and a prefix length, like 10\.0\.0\.0\/16/],
    ];
    for (const [path, value, words] of cases) {
      const input = page.locator(`[data-path="${path}"]`);
      const before = await input.inputValue();
      await input.click();
      await input.fill("");
      await input.pressSequentially(value, { delay: 20 });
      // While the user types, no message (and the plan is not dimmed).
      assert.equal(await page.locator(`[data-field="${path}"] .field-error`).textContent(), "", `no message while typing in ${path}`);
      assert.equal(await page.locator("main.stale").count(), 0, "typing does not dim the plan");
      await input.press("Tab");
      const slot = page.locator(`[data-field="${path}"] .field-error`);
      await slot.waitFor({ state: "visible" });
      assert.match(await slot.textContent(), words, path);
      assert.doesNotMatch(await slot.textContent(), /invalid|expected u32|spec\./);
      await input.fill(before);
      await input.press("Tab");
      // The restored value plans again: the next case starts from a plan that is not stale
      // (on a loaded machine the replan can outlast the local check).
      await page.waitForFunction((p) => !document.querySelector(`[data-path="${p}"][aria-invalid]`) && !document.querySelector("main.stale"), path);
    }
    await shot(page, "errors-cleared");
    // A row just added shows no error, and the plan goes on without it.
    await page.click('button[data-action="add-allocation"]');
    await page.waitForTimeout(1200);
    assert.equal(await page.locator('[data-field="network.allocations.1.cidr"] .field-error').textContent(), "");
    assert.equal(await page.locator("[aria-invalid]").count(), 0);
    await setField(page, "clusters.0.nodes", "-5");
    await page.locator('[data-field="clusters.0.nodes"] .field-error').waitFor({ state: "visible" });
    await shot(page, "error-at-field", { clip: await page.locator("#clusters").boundingBox() });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("an impossible plan is one sentence with what would make it fit", async () => {
    const page = await openPage();
    await setField(page, "network.pools.0", "10.0.0.0/24");
    await page.waitForSelector("#plan-error-text");
    const text = await page.textContent("#plan-error-text");
    assert.match(text, /^No network model fits 2 clusters in 10\.0\.0\.0\/24: .*; to make it fit, add a pool/);
    assert.equal(text.trim().split(/\.\s/).length, 1, `one sentence: ${text}`);
    assert.equal(await page.textContent("#plan-failure"), text, "the recommendation panel says it too");
    await shot(page, "impossible-plan");
    await page.close();
  });

  test("colliding node subnets are marked at both fields and drawn as two boxes", async () => {
    const page = await openPage();
    await setField(page, "clusters.0.node_subnet", "10.240.1.0/24");
    await page.waitForSelector('[data-field="clusters.0.node_subnet"].has-collision');
    assert.ok(await page.locator('[data-field="clusters.1.node_subnet"].has-collision').count(), "the other end is marked too");
    assert.match(await page.textContent('[data-field="clusters.1.node_subnet"] .field-error'), /10\.240\.1\.0\/24/);
    const boxes = (await drawnRanges(page)).filter((r) => r.cidr === "10.240.1.0/24");
    assert.equal(boxes.length, 2);
    assert.notEqual(boxes[0].y, boxes[1].y, "the two subnets are stacked, not drawn as one box");
    await page.locator("#map-panel").screenshot({ path: join(SHOTS, "collision-map.png") });
    await page.close();
  });
});

describe("nothing lost", () => {
  test("Reset can be undone, and Back restores the plan before it", async () => {
    const page = await openPage();
    await setField(page, "clusters.0.nodes", "40");
    await page.click('button[data-action="add-cluster"]');
    await page.waitForFunction(() => document.querySelectorAll("#cluster-ranges tbody tr").length === 3);
    await page.click("#reset");
    await page.waitForFunction(() => document.querySelectorAll("#cluster-ranges tbody tr").length === 2);
    assert.ok(await page.isVisible("#undo"));
    await page.click("#undo");
    await page.waitForFunction(() => document.querySelectorAll("#cluster-ranges tbody tr").length === 3);
    assert.equal(await page.inputValue('[data-path="clusters.0.nodes"]'), "40");
    await page.click("#reset");
    await page.waitForFunction(() => document.querySelectorAll("#cluster-ranges tbody tr").length === 2);
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll("#cluster-ranges tbody tr").length === 3);
    assert.equal(await page.inputValue('[data-path="clusters.0.nodes"]'), "40");
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll("#cluster-ranges tbody tr").length === 2, null, { timeout: 5000 });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("an exported plan imports back: its request, and the plan as the previous plan", async () => {
    const page = await openPage();
    await setField(page, "clusters.0.name", "east");
    await page.waitForFunction(() => document.querySelector("#cluster-ranges tbody th")?.textContent === "east");
    const [file] = await Promise.all([page.waitForEvent("download"), page.click("#export-plan")]);
    const saved = join(outDir, "exported-plan.json");
    await file.saveAs(saved);
    const ranges = await page.textContent("#cluster-ranges");
    const fresh = await openPage();
    await fresh.setInputFiles("#import-file", saved);
    await fresh.waitForFunction(() => document.querySelector("#cluster-ranges tbody th")?.textContent === "east");
    assert.equal(await fresh.textContent("#cluster-ranges"), ranges);
    assert.ok(await fresh.isVisible("#forget-previous"), "the plan is the previous plan");
    await fresh.waitForFunction(() => /Against the previous plan/.test(document.querySelector("#plan-status")?.textContent ?? ""));
    assert.equal(await fresh.locator("#import-error").count(), 0);
    await page.close();
    await fresh.close();
  });
});

describe("keyboard and accessibility", () => {
  test("keyboard only: every control in screen order, Import included, and a plan made", async () => {
    const page = await openPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    // The map redraws for the new width a frame after its ResizeObserver fires; a Tab
    // that lands on a map range before that redraw loses its focus to the body.
    await page.evaluate(() => new Promise((done) => { let n = 0; const tick = () => (++n >= 4 ? done() : requestAnimationFrame(tick)); requestAnimationFrame(tick); }));
    const seen = [];
    for (let i = 0; i < 400; i += 1) {
      await page.keyboard.press("Tab");
      const el = await page.evaluate(() => {
        const a = document.activeElement;
        if (!a || a === document.body) return null;
        const r = a.getBoundingClientRect();
        const style = getComputedStyle(a.matches(".visually-hidden") ? a.parentElement : a);
        return { id: a.id, path: a.dataset?.path ?? null, tag: a.tagName, top: r.top + window.scrollY, outline: style.outlineStyle !== "none" || a.matches(".visually-hidden") || a.closest("svg") !== null, region: a.closest("header") ? 0 : a.closest("#results") ? 1 : a.closest(".inputs") ? 2 : 3 };
      });
      if (!el) break;
      if (seen.length && seen[0].id === el.id && seen[0].path === el.path && el.id) break;
      seen.push(el);
      if (el.region === 3 || seen.length > 380) break;
    }
    const ids = seen.map((e) => e.id || e.path);
    assert.ok(ids.includes("import-file"), `Tab reaches Import (the Tab order seen: ${ids.join(" ")})`);
    assert.ok(ids.includes("clusters.0.nodes") && ids.includes("network.pools.0"));
    assert.ok(ids.indexOf("clusters.0.nodes") < ids.indexOf("network.pools.0"), "clusters (above) before the network (below)");
    const regions = seen.map((e) => e.region);
    assert.deepEqual(regions, [...regions].sort((a, b) => a - b), `header, then the answer, then the form, then the details (seen: ${seen.map((e) => `${e.id || e.path || e.tag}@${e.region}`).join(" ")})`);
    assert.ok(seen.every((e) => e.outline), "focus is visible on every control");
    // Focus on a map range shows what hover shows.
    await page.locator("svg.address-map g.range.kind-pod").first().focus();
    await page.locator(".map-tooltip").waitFor({ state: "visible" });
    assert.match(await page.textContent(".map-tooltip"), /pods.*\/16.*addresses/s);
    await page.locator("#map-panel").screenshot({ path: join(SHOTS, "map-focus.png") });
    // Plan by keyboard: focus the first cluster's nodes, type, leave.
    await page.focus('[data-path="clusters.0.nodes"]');
    await page.keyboard.press("Control+A");
    await page.keyboard.type("120");
    await page.keyboard.press("Tab");
    await page.waitForFunction(() => document.querySelector('#headroom tbody td')?.textContent === "120");
    // Import by keyboard: Enter on the focused file control opens the chooser.
    await page.focus("#import-file");
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press(" ")]);
    const spec = realisticSpec();
    await chooser.setFiles({ name: "request.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(spec)) });
    await page.waitForFunction(() => document.querySelectorAll("#cluster-ranges tbody tr").length === 12);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("axe-core finds no serious or critical violations", async () => {
    const axe = readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");
    for (const [hash, name] of [["", "example"], [linkFor(realisticSpec()), "realistic"]]) {
      const page = await openPage(hash);
      await page.evaluate(axe);
      // The folded reasons and the map table are part of the page: open them for the check.
      await page.evaluate(() => { for (const d of document.querySelectorAll("details")) d.open = true; });
      await page.waitForSelector("#map-table table");
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, first: v.nodes[0]?.target?.join(" "), summary: v.nodes[0]?.failureSummary }));
      });
      const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
      console.log(`axe-core on the ${name} page: ${result.length} violations (${result.map((v) => `${v.id}:${v.impact}`).join(", ") || "none"})`);
      assert.deepEqual(bad, [], JSON.stringify(bad, null, 2));
      await page.close();
    }
  });
});

describe("a map that tells the truth", () => {
  test("on a realistic network: sizes in order within each pool, ticks on CIDR boundaries, labelled allocations, folded node lanes", async () => {
    const page = await openPage(linkFor(realisticSpec()));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.waitForSelector('svg.address-map g.range[data-cidr="10.16.0.0/12"]');
    const ranges = await drawnRanges(page);
    const pools = [parseCidrJs("10.0.0.0/8"), parseCidrJs("172.16.0.0/12")];
    const poolOf = (cidr) => pools.findIndex((p) => { const c = parseCidrJs(cidr); return c && p.first <= c.first && c.first + c.size <= p.first + p.size; });
    const plain = ranges.filter((r) => /^[0-9.]+\/\d+$/.test(r.cidr));
    for (const a of plain) {
      for (const b of plain) {
        if (poolOf(a.cidr) !== poolOf(b.cidr) || poolOf(a.cidr) < 0) continue;
        if (parseCidrJs(a.cidr).size > parseCidrJs(b.cidr).size) assert.ok(a.width >= b.width, `${a.cidr} (${a.width} px) is not narrower than ${b.cidr} (${b.width} px)`);
      }
    }
    const dc = ranges.find((r) => r.cidr === "10.16.0.0/12");
    const pod = ranges.find((r) => r.kind === "pod" && r.cidr.endsWith("/16"));
    if (pod) assert.ok(dc.width > pod.width, `the /12 datacenter (${dc.width}) is wider than a /16 pod range (${pod.width})`);
    const ticks = await page.$$eval('svg.address-map[data-family="4"] line.tick', (ls) => ls.map((l) => l.dataset.tick));
    assert.ok(ticks.length >= 4);
    for (const t of ticks) {
      const c = parseCidrJs(t);
      assert.ok(c && c.first % c.size === 0, `tick ${t} is a CIDR boundary`);
    }
    assert.match(await page.textContent('.scale-note[data-family="4"]'), /linear scale.*10\.0\.0\.0\/8: 1 px ≈ [\d,]+ addresses/);
    for (const name of ["dc-frankfurt", "dc-dublin", "vpn-partners", "bastion"]) {
      assert.ok(ranges.find((r) => r.name === name)?.label, `${name} is labelled on the map`);
    }
    assert.equal(await page.locator("svg.address-map g.kind-node-range").count(), 0, "12 clusters: per-node lanes folded");
    await shot(page, "realistic-1440", { fullPage: true });
    await page.click("#toggle-nodes");
    assert.ok((await page.locator("svg.address-map g.kind-node-range").count()) > 0, "unfolded on request");
    await page.click("#toggle-nodes");
    await page.click("#map-table summary");
    const table = await page.$$eval("#map-table tbody tr", (rows) => rows.length);
    assert.ok(table >= ranges.length, "the table lists every range");
    await page.close();
  });

  test("on a 390 px phone the map's text is at least 11 px and the map scrolls sideways", async () => {
    const page = await openPage(linkFor(realisticSpec()));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => { const s = document.querySelector("svg.address-map"); return s && Number(s.getAttribute("width")) >= 720; });
    await page.waitForTimeout(300);
    const sizes = await page.$$eval("svg.address-map text", (ts) => {
      const out = [];
      for (const t of ts) {
        const svg = t.ownerSVGElement;
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const px = parseFloat(getComputedStyle(t).fontSize) * scale;
        if (t.classList.contains("axis-break") || t.classList.contains("flag-mark")) continue;
        out.push(px);
      }
      return out;
    });
    assert.ok(sizes.length > 10);
    assert.ok(Math.min(...sizes) >= 11, `smallest map text ${Math.min(...sizes)} px`);
    const scroll = await page.$eval(".map-scroll", (el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    assert.ok(scroll.scroll > scroll.client, "the map scrolls sideways inside its box");
    assert.equal(await page.isVisible("#fatal"), false, "resizing to a phone raises no error");
    assert.deepEqual(page.errors, []);
    await page.locator(".answer-map").scrollIntoViewIfNeeded();
    await shot(page, "phone-390-map");
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "phone-390-top");
    await page.close();
  });
});

describe("import from inventories", () => {
  const inventory = resolve(root, "../../shared/fixtures/inventory");
  test("an AWS subnets export dropped into the form adds its ranges, each with its origin on the map", async (t) => {
    const file = ["aws/describe-subnets.cli-doc-example.json", "aws/describe-subnets.placebo-recorded.json"].map((f) => join(inventory, f)).find((f) => existsSync(f));
    if (!file) {
      t.skip(`SKIPPED: no AWS subnets sample under ${inventory} (../shared absent)`);
      return;
    }
    const page = await openPage();
    const before = await page.locator("#network tbody tr").count();
    await page.setInputFiles("#import-file", file);
    await page.waitForSelector("#import-summary");
    assert.match(await page.textContent("#import-summary"), /allocations.*added.*example's requirements were cleared/);
    assert.equal(await page.inputValue('[data-path="requirements.network_programmable"]'), "", "an imported network starts from not stated");
    assert.ok((await page.locator("#network tbody tr").count()) > before);
    await page.waitForFunction(() => [...document.querySelectorAll("svg.address-map g.range")].some((g) => /from aws/.test(g.dataset.notes)));
    await shot(page, "imported-aws", { fullPage: true });
    await page.close();
  });

  test("pasted ip route output is imported from the network form", async () => {
    const page = await openPage();
    await page.click("#import-box summary");
    await page.fill("#import-text", JSON.stringify([{ dst: "10.77.0.0/16", dev: "eth0", protocol: "kernel" }, { dst: "default", gateway: "10.0.0.1", dev: "eth0" }]));
    await page.click('button[data-action="import-pasted"]');
    await page.waitForSelector("#import-summary");
    await page.waitForFunction(() => [...document.querySelectorAll("svg.address-map g.range")].some((g) => g.dataset.cidr === "10.77.0.0/16" && /from ip-route/.test(g.dataset.notes)));
    await page.close();
  });
});

/** {first, size} of an IPv4 CIDR as numbers (test-side, independent of the page's code). */
function parseCidrJs(text) {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(text);
  if (!m) return null;
  const first = ((Number(m[1]) * 256 + Number(m[2])) * 256 + Number(m[3])) * 256 + Number(m[4]);
  return { first, size: 2 ** (32 - Number(m[5])) };
}

/** A request with `n` allocations: /28s from 10.128.0.0 up, every other one not reachable. */
function bigSpec(n) {
  const allocations = [];
  for (let i = 0; i < n; i += 1) {
    const a = ((10 << 24) | (128 << 16)) + i * 16;
    allocations.push({ name: `host-${i}`, cidr: `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/28`, reachable: i % 2 === 0 });
  }
  return {
    network: { pools: ["10.0.0.0/8"], allocations },
    clusters: [{ name: "cluster-1", nodes: 2, max_nodes: 250, max_pods_per_node: 110, services: 4096 }, { name: "cluster-2", nodes: 2, max_nodes: 250 }],
    model: "auto",
  };
}

// Runs in the page: a setTimeout(0) heartbeat and a long-task observer, to measure how
// long the page's thread was unavailable while something ran.
function startHeartbeat() {
  const beat = { last: performance.now(), maxGap: 0, beats: 0, running: true, longTasks: [] };
  window.__beat = beat;
  const tick = () => {
    const now = performance.now();
    beat.maxGap = Math.max(beat.maxGap, now - beat.last);
    beat.last = now;
    beat.beats += 1;
    if (beat.running) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  try {
    beat.observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) beat.longTasks.push(e.duration); });
    beat.observer.observe({ type: "longtask" });
  } catch {
    beat.longTasks = null;
  }
}

function stopHeartbeat() {
  const beat = window.__beat;
  beat.running = false;
  beat.observer?.takeRecords?.().forEach((e) => beat.longTasks.push(e.duration));
  beat.observer?.disconnect();
  const now = performance.now();
  return { maxGap: Math.max(beat.maxGap, now - beat.last), beats: beat.beats, longest: beat.longTasks ? Math.max(0, ...beat.longTasks) : null, longTasks: beat.longTasks?.length ?? null };
}

const N = 100_000;

describe("a network with 10^5 allocations", () => {
  test("plans in the worker while the page stays responsive, and renders a capped view", async () => {
    // A file on disk, as a person would pick it (a buffer would be built in the page by
    // playwright's own script, on the page's thread, and measured with the demo).
    const file = join(userDataDir, "big-request.json");
    writeFileSync(file, JSON.stringify(bigSpec(N)));
    const page = await openPage();
    await page.evaluate(startHeartbeat);
    const t0 = Date.now();
    await page.setInputFiles("#import-file", file);
    await page.waitForSelector("#results.busy", { timeout: 10_000 });
    assert.match(await page.textContent("#plan-status"), /Planning…/);
    await page.waitForFunction(() => document.querySelector("#plan-status")?.textContent.includes("100,000 allocations"), null, { timeout: 120_000 });
    const wall = Date.now() - t0;
    const beat = await page.evaluate(stopHeartbeat);
    const planMs = Number(await page.getAttribute("#plan-status", "data-plan-ms"));
    const totalMs = Number(await page.getAttribute("#plan-status", "data-total-ms"));
    const workerMs = Number(await page.getAttribute("#plan-status", "data-worker-ms"));
    const mapMs = Number(await page.getAttribute("#plan-status", "data-map-ms"));
    console.log(`10^5 allocations, worker: plan ${planMs.toFixed(0)} ms, map items ${mapMs.toFixed(0)} ms, worker total ${workerMs.toFixed(0)} ms, request to rendered plan ${totalMs.toFixed(0)} ms (file chosen to rendered: ${wall} ms); page thread: longest gap between heartbeats ${beat.maxGap.toFixed(1)} ms over ${beat.beats} beats, longest task ${beat.longest === null ? "n/a" : `${beat.longest.toFixed(1)} ms`} (${beat.longTasks ?? "n/a"} tasks over 50 ms)`);
    assert.ok(planMs > 300, `the plan is a real workload (${planMs} ms)`);
    assert.ok(beat.maxGap < 200, `the page's thread was never blocked for 200 ms (longest gap ${beat.maxGap.toFixed(1)} ms)`);

    // The plan is on screen, cut to what a page can draw.
    assert.deepEqual(await podRanges(page), [["cluster-1", "10.1.0.0/16"], ["cluster-2", "10.2.0.0/16"]]);
    assert.match(await page.textContent("#allocations-more"), /first 50 of 100,000 allocations/);
    assert.equal(await page.locator('[data-path^="network.allocations."][data-kind="cidr"]').count(), 50);
    const cut = await page.evaluate(() => {
      const box = document.querySelector(".allocations-scroll");
      const button = box.querySelector('[data-action="remove-allocation"]').getBoundingClientRect();
      return { right: button.right - (box.getBoundingClientRect().left + box.clientLeft + box.clientWidth), wider: box.scrollWidth - box.clientWidth };
    });
    assert.ok(cut.right <= 0 && cut.wider <= 0, `the remove buttons fit in the allocation box (${JSON.stringify(cut)})`);
    const groups = await page.locator("svg.address-map g.range[data-grouped]").count();
    assert.ok(groups > 0 && groups <= 150, `allocations are drawn as ${groups} groups`);
    assert.ok((await page.locator("svg.address-map g.range").count()) < 600);
    assert.match(await page.textContent("#reachability-more"), /and [\d,]+ more allocations/);
    assert.ok((await page.locator("#warnings li").count()) <= 50);
    assert.match(await page.textContent("#warnings-more"), /and [\d,]+ more warnings/);
    assert.ok(await page.isVisible("#link-too-long"), "the page says the request is too large for a link");
    assert.equal(new URL(page.url()).hash, "");
    assert.match(await page.textContent("#export-text", { timeout: 60_000 }), /podSubnet: "10\.1\.0\.0\/16"/);
    await page.screenshot({ path: join(outDir, "web-demo-100k.png"), fullPage: true });
    await page.locator("#map-panel").screenshot({ path: join(outDir, "web-demo-100k-map.png") });
    // "Export plan JSON" still saves the whole plan: every allocation, every reachability pair.
    const [saved] = await Promise.all([page.waitForEvent("download"), page.click("#export-plan")]);
    assert.equal(saved.suggestedFilename(), "cidrplan-plan.json");
    const whole = JSON.parse(readFileSync(await saved.path(), "utf8"));
    assert.equal(whole.request.network.allocations.length, N);
    assert.ok(whole.reachability.length >= N / 2);

    // An edit while the big plan runs supersedes it: only the newer plan is rendered.
    await page.evaluate(startHeartbeat);
    await setField(page, "clusters.0.name", "first");
    await page.waitForSelector("#results.busy");
    await setField(page, "clusters.0.name", "east");
    await page.waitForFunction(() => document.querySelector("#cluster-ranges tbody th")?.textContent === "east" && !document.querySelector("#results.busy"), null, { timeout: 120_000 });
    const edit = await page.evaluate(stopHeartbeat);
    console.log(`10^5 allocations, an edit superseding a running plan: longest gap ${edit.maxGap.toFixed(1)} ms, longest task ${edit.longest === null ? "n/a" : `${edit.longest.toFixed(1)} ms`}`);
    assert.ok(edit.maxGap < 200, `editing keeps the page responsive (longest gap ${edit.maxGap.toFixed(1)} ms)`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("for comparison: the same calls on the page's thread (the demo before the worker)", async () => {
    const spec = bigSpec(N);
    pkgServer = await serveDirectory(join(root, "node_modules/cidrplan/pkg/web"));
    const page = await context.newPage();
    await page.goto(`${pkgServer.url}blank`); // a 404 page: just an origin to import the package from
    const figures = await page.evaluate(async ({ spec, url, startHeartbeat: startSrc, stopHeartbeat: stopSrc }) => {
      const start = new Function(`return (${startSrc})`)();
      const stop = new Function(`return (${stopSrc})`)();
      const core = await import(url);
      await core.default();
      const pause = () => new Promise((ok) => setTimeout(ok, 50));
      const time = async (fn) => {
        start();
        await pause();
        const t = performance.now();
        fn();
        const ms = performance.now() - t;
        await pause();
        return { ms, ...stop() };
      };
      const items = spec.network.allocations.map((a, i) => [`${i}`, a.cidr]);
      return {
        plan: await time(() => core.plan(spec)),
        recommend: await time(() => core.recommend(spec)),
        overlaps: await time(() => core.overlaps(items, { max_listed: 500 })),
        exportConfig: await time(() => core.exportConfig(spec, "kubeadm")),
      };
    }, { spec, url: `${pkgServer.url}cidrplan.js`, startHeartbeat: startHeartbeat.toString(), stopHeartbeat: stopHeartbeat.toString() });
    const line = Object.entries(figures).map(([k, v]) => `${k} ${v.ms.toFixed(0)} ms (gap ${v.maxGap.toFixed(0)} ms)`).join(", ");
    console.log(`10^5 allocations, on the page's thread (the old demo's path: plan, then overlaps for the map and exportConfig in the same task; recommend after a failed plan): ${line}`);
    assert.ok(figures.plan.maxGap >= figures.plan.ms * 0.9, "a call on the page's thread blocks it for as long as it runs");
    await page.close();
  });
});

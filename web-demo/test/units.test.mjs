// The demo's pure modules in Node: links, request paths and the map's prefix arithmetic.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeSpec, encodeSpec, encodeSpecIfFits, LinkError } from "../src/state-url.js";
import { checkSpecShape } from "../src/spec-shape.js";
import { specJson } from "../src/spec-json.js";
import { cidrsIn, collectItems, flagItems, groupAllocations, mapItems, markChanges } from "../src/map-items.js";
import { displayPlan, MAX_REACH_ALLOCATIONS, MAX_WARNINGS } from "../src/plan-view.js";
import { normalizePath, setAt, getAt, valueFromInput } from "../src/spec-path.js";
import { formatAddress, formatCount, parseCidr } from "../src/prefix-math.js";
import { exampleSpec } from "../src/example-spec.js";
import { POOL_KEYS } from "../src/pool-kinds.js";
import { readFileSync } from "node:fs";

describe("links", () => {
  test("a request survives the round trip, names in any script included", () => {
    const spec = exampleSpec();
    spec.clusters[0].name = "prod-東京 <b>&\u{1F680}";
    const hash = encodeSpec(spec);
    assert.match(hash, /^#plan=[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeSpec(hash), spec);
  });

  test("no fragment means no request", () => {
    assert.equal(decodeSpec(""), null);
    assert.equal(decodeSpec("#"), null);
  });

  test("malformed fragments are LinkErrors that say why", () => {
    const b64 = (t) => Buffer.from(t).toString("base64url");
    const cases = [
      ["#other", /does not start/],
      ["#plan=***", /not base64url/],
      ["#plan=a", /truncated/],
      [`#plan=${b64("{nope")}`, /valid JSON/],
      [`#plan=${Buffer.from([0xff, 0xfe, 0x00]).toString("base64url")}`, /UTF-8/],
      [`#plan=${b64("[]")}`, /JSON object/],
      [`#plan=${b64('{"network":{"pools":"10.0.0.0/8"},"clusters":[]}')}`, /network\.pools must be a list/],
      [`#plan=${b64('{"network":{"pools":[]},"clusters":[{"name":{"x":1}}]}')}`, /clusters\[0\]\.name/],
      [`#plan=${b64('{"network":{"pools":[]},"clusters":[],"extra":1}')}`, /unknown key "extra"/],
    ];
    for (const [hash, why] of cases) {
      assert.throws(() => decodeSpec(hash), (err) => err instanceof LinkError && why.test(err.message), hash);
    }
  });
});

describe("request paths", () => {
  test("the core's field names map to form paths", () => {
    assert.equal(normalizePath("clusters[1].name"), "clusters.1.name");
    assert.equal(normalizePath("spec.network.allocations[0].cidr"), "network.allocations.0.cidr");
  });

  test("values are set, deleted and converted as the form sends them", () => {
    const spec = exampleSpec();
    setAt(spec, "clusters.0.group", "east");
    assert.equal(getAt(spec, "clusters.0.group"), "east");
    setAt(spec, "clusters.0.group", undefined);
    assert.equal("group" in spec.clusters[0], false);
    assert.equal(valueFromInput("int", " 42 "), 42);
    assert.equal(valueFromInput("int", "4x"), "4x");
    assert.equal(valueFromInput("int", ""), undefined);
    assert.equal(valueFromInput("tri", "false"), false);
    assert.equal(valueFromInput("flag", "", false), undefined);
  });
});

describe("prefix arithmetic for the map", () => {
  test("IPv4 and IPv6 prefixes parse to ranges", () => {
    const v4 = parseCidr("10.128.1.1/32");
    assert.equal(v4.first, (10n << 24n) | (128n << 16n) | (1n << 8n) | 1n);
    assert.equal(v4.size, 1n);
    const v6 = parseCidr("fd00:10:0:4::/62");
    assert.equal(v6.size, 1n << 66n);
    assert.equal(formatAddress(6, v6.first), "fd00:10:0:4::");
    assert.equal(formatAddress(6, parseCidr("::ffff:10.0.0.1/128").first), "::ffff:a00:1");
    assert.equal(parseCidr("banana"), null);
    assert.equal(parseCidr("10.0.0.0/33"), null);
  });

  test("counts read as people write them", () => {
    assert.equal(formatCount(65536n), "65,536");
    assert.equal(formatCount(1n << 64n), "2^64");
  });
});

/** A request with `n` /28 allocations from 10.128.0.0 up, every other one not reachable. */
function manyAllocations(n) {
  const spec = exampleSpec();
  spec.network.allocations = Array.from({ length: n }, (_, i) => {
    const a = ((10 << 24) | (128 << 16)) + i * 16;
    return { name: `host-${i}`, cidr: `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/28`, reachable: i % 2 === 0 };
  });
  return spec;
}

describe("large requests", () => {
  test("a request with 10^5 allocations passes the shape check but is too long for a link", () => {
    const spec = manyAllocations(100_000);
    assert.equal(checkSpecShape(spec), spec);
    assert.equal(encodeSpecIfFits(spec), null);
    assert.equal(encodeSpecIfFits(exampleSpec()), encodeSpec(exampleSpec()));
    // The core's limit (k8s::MAX_CLUSTERS, docs/limits.md): 500 clusters pass, 501 do not.
    const clusters = { network: { pools: [] }, clusters: Array.from({ length: 501 }, (_, i) => ({ name: `c${i}` })) };
    assert.throws(() => checkSpecShape(clusters), /clusters has more than 500 entries/);
  });

  test("JSON in slices is JSON.stringify's text", async () => {
    const pause = async () => true;
    for (const spec of [exampleSpec(), manyAllocations(25_001), { network: { allocations: manyAllocations(3).network.allocations }, clusters: [] }]) {
      assert.equal(await specJson(spec, pause, 1000), JSON.stringify(spec));
    }
    const big = manyAllocations(5000);
    big.network = { allocations: big.network.allocations };
    assert.equal(await specJson({ network: big.network }, pause, 1000), JSON.stringify({ network: big.network }));
    let calls = 0;
    assert.equal(await specJson(manyAllocations(5000), async () => ++calls < 2, 1000), null, "a pause that says stop cancels");
  });
});

describe("map items", () => {
  const plan = {
    clusters: [{ name: "a", pod_cidr: "10.0.0.0/16", node_pod_mask: 24, service_cidr: "10.2.0.0/20", node_subnet: "10.128.0.0/28" }],
    holes: [],
    warnings: [
      { code: "allocation_overlap", message: "node subnet 10.128.0.0/28 of a overlaps host-0 10.128.0.0/28" },
      { code: "vendor_default_overlap", message: "cluster a pod_cidr 10.0.0.0/16 overlaps the AKS default service range 10.0.0.0/16" },
    ],
  };
  const noOverlaps = () => ({ overlaps: [], total: 0, truncated: false });

  test("the CIDRs a warning names are found in its text", () => {
    assert.deepEqual(cidrsIn("pool 10.0.0.0/8 and fd00:10::/48, not 10.0.0.0/8a"), ["10.0.0.0/8", "fd00:10::/48"]);
    assert.deepEqual(cidrsIn("210.0.0.0/8 (fd00::/8)"), ["210.0.0.0/8", "fd00::/8"], "never a CIDR inside a longer one");
  });

  test("warnings flag the ranges they name", () => {
    const items = flagItems(collectItems(manyAllocations(4), plan), plan, noOverlaps);
    const byCidr = (c) => items.filter((x) => x.cidr === c);
    assert.ok(byCidr("10.128.0.0/28").every((x) => x.flag === "overlap"));
    assert.equal(byCidr("10.0.0.0/16")[0].flag, "warning");
    assert.equal(byCidr("10.128.0.16/28")[0].flag, undefined);
  });

  test("more allocations than the map can draw become groups that keep their flags", () => {
    const spec = manyAllocations(10_000);
    const items = mapItems(spec, plan, noOverlaps, 100);
    const groups = items.filter((x) => x.grouped);
    assert.ok(groups.length > 0 && groups.length <= 100);
    assert.equal(groups.reduce((n, g) => n + g.grouped, 0), 10_000, "every allocation is in a group");
    assert.equal(groups[0].cidr.split(" – ")[0], "10.128.0.0");
    assert.equal(groups[0].flag, "overlap", "a group with a colliding allocation is flagged");
    assert.match(groups[0].notes.join("\n"), /reachable from pods/);
    assert.ok(items.some((x) => x.kind === "pod"), "the plan's ranges stay");
    const few = collectItems(manyAllocations(10), plan);
    assert.equal(groupAllocations(few, 100), few, "a short list is drawn one by one");
  });

  /** The core's `overlaps`, every pair (no `max_listed` cut), by brute force. */
  const everyOverlap = (list) => {
    const ranges = list.map(([name, cidr]) => ({ name, cidr, ...parseCidr(cidr) }));
    const overlaps = [];
    ranges.forEach((a, i) => ranges.slice(i + 1).forEach((b) => {
      if (a.family !== b.family || a.first >= b.first + b.size || b.first >= a.first + a.size) return;
      const relation = a.first === b.first && a.size === b.size ? "equal" : a.size > b.size ? "contains" : "within";
      overlaps.push({ a: a.name, a_cidr: a.cidr, b: b.name, b_cidr: b.cidr, relation });
    }));
    return { overlaps, total: overlaps.length, truncated: false };
  };

  test("grouped allocations never go to the core, and every collision mark is kept", () => {
    const spec = manyAllocations(400);
    const more = [
      ["big", "10.128.4.0/22"], // contains allocations, overlaps the node subnet below
      ["dup-a", "10.128.16.0/28"], ["dup-b", "10.128.16.0/28"], // equal allocations
      ["inner", "10.128.32.8/29"], // within one allocation
      ["under-pods", "10.0.9.0/24"], // inside the pod range
      ["over-services", "10.2.0.0/16"], // contains the service range
      ["alone", "192.168.0.0/24"],
      ["v6", "fd00:10::/48"], ["v6-inner", "fd00:10:0:1::/64"], ["v6-pods", "fd00:20::/40"],
    ];
    spec.network.allocations.push(...more.map(([name, cidr]) => ({ name, cidr })));
    const big = {
      ...plan,
      clusters: [
        { ...plan.clusters[0], node_subnet: "10.128.6.0/24" },
        { name: "b", pod_cidr: "10.64.0.0/16", node_pod_mask: 24, service_cidr: "10.65.0.0/20", node_subnet: "10.128.20.0/26", pod_cidr_v6: "fd00:20:0:0::/56", node_pod_mask_v6: 64 },
      ],
    };
    const calls = [];
    const spy = (list, options) => {
      calls.push(list.length);
      return everyOverlap(list, options);
    };
    const items = mapItems(spec, big, spy, 100);
    assert.deepEqual(calls, [7], "the core compares the plan's 7 ranges, none of the 410 allocations");
    // The same request flagged the old way, every allocation through `overlaps`, then grouped.
    const reference = groupAllocations(flagItems(collectItems(spec, big), big, everyOverlap), 100);
    const flags = (list) => list.map((x) => `${x.lane} ${x.name} ${x.cidr} ${x.flag ?? "-"}`).sort();
    assert.deepEqual(flags(items), flags(reference));
    const flagged = items.filter((x) => x.flag === "overlap").map((x) => x.name);
    for (const name of ["a nodes", "a pods", "a services", "b pods (IPv6)", "b nodes"]) assert.ok(flagged.includes(name), name);
    assert.equal(items.find((x) => x.name === "alone").flag, undefined, "an allocation without a collision stays unmarked");
    const note = (name) => items.find((x) => x.name === name).notes.join("\n");
    assert.match(note("a nodes"), /overlaps big 10\.128\.4\.0\/22/);
    assert.match(note("a services"), /overlaps over-services 10\.2\.0\.0\/16/);
    assert.match(note("b pods (IPv6)"), /overlaps v6-pods fd00:20::\/40/);
    // Allocations that only collide with each other still mark their group.
    const spec2 = manyAllocations(300);
    spec2.network.allocations[150].cidr = "10.128.9.0/24";
    const grouped = mapItems(spec2, { clusters: [], holes: [], warnings: [] }, everyOverlap, 100).filter((x) => x.flag);
    assert.equal(grouped.length, 1);
    assert.match(grouped[0].notes.join("\n"), /host-150: overlaps host-1\d\d 10\.128\.9\.\d+\/28|host-1\d\d: overlaps host-150/);
  });
});

describe("plan view", () => {
  test("reachability and warnings are cut to what a page can show, collisions first", () => {
    const reachability = [{ from: "pod:a", to: "network", how: "direct" }];
    for (let i = 0; i < 100; i += 1) reachability.push({ from: "pod:a", to: `allocation:h${i}`, how: "direct" });
    const warnings = Array.from({ length: 300 }, (_, i) => ({ code: i === 299 ? "allocation_overlap" : "vendor_default_overlap", message: `w${i}` }));
    const view = displayPlan({ model: "flat", reachability, warnings, network: { pools: [] }, clusters: [] });
    assert.equal(view.network, undefined);
    assert.equal(view.reachability.length, 1 + MAX_REACH_ALLOCATIONS);
    assert.equal(view.reachability_hidden, 100 - MAX_REACH_ALLOCATIONS);
    assert.equal(view.warnings.length, MAX_WARNINGS);
    assert.equal(view.warnings[0].code, "allocation_overlap");
    assert.equal(view.warnings_hidden, 300 - MAX_WARNINGS);
    const small = displayPlan({ reachability: reachability.slice(0, 3), warnings: warnings.slice(0, 2) });
    assert.equal(small.reachability.length, 3);
    assert.equal(small.warnings_hidden, 0);
  });
});

describe("a previous plan on the map", () => {
  const spec = { network: { pools: ["10.0.0.0/8"] }, clusters: [{ name: "a", nodes: 2 }, { name: "b", nodes: 2 }] };
  const plan = {
    clusters: [
      { name: "a", pod_cidr: "10.0.0.0/15", node_pod_mask: 24, service_cidr: "10.2.0.0/20", node_subnet: "10.2.32.0/24", extra_pod_cidrs: ["10.4.0.0/16"] },
      { name: "b", pod_cidr: "10.1.0.0/16", node_pod_mask: 24, service_cidr: "10.2.16.0/20", node_subnet: "10.2.33.0/24" },
    ],
    retained: [{ name: "gone", pod_cidr: "10.8.0.0/16", node_pod_mask: 24, service_cidr: "10.9.0.0/20", node_subnet: "10.9.16.0/24" }],
    holes: [],
  };
  const previous = { model: "flat", clusters: [{ name: "a" }, { name: "gone" }] };
  const changes = { changes: [
    { cluster: "a", range: "pod_cidr", change: "grown", old: "10.0.0.0/16", new: "10.0.0.0/15" },
    { cluster: "a", range: "extra_pod_cidrs", change: "added", new: "10.4.0.0/16" },
    { cluster: "b", range: "pod_cidr", change: "added", new: "10.1.0.0/16" },
  ], kept: [], breaking: false };

  test("kept, changed, new and retained ranges are marked from the core's diff", () => {
    const items = markChanges(collectItems(spec, plan), previous, changes);
    const status = (name) => items.find((x) => x.name === name)?.status;
    assert.equal(status("a pods"), "changed");
    assert.equal(status("a pods (range 2)"), "changed");
    assert.equal(status("a services"), "kept");
    assert.equal(status("b pods"), "new");
    assert.equal(items.filter((x) => x.cluster === "gone").every((x) => x.status === "retained"), true);
  });

  test("without a previous plan nothing is marked", () => {
    const items = markChanges(collectItems(spec, plan), null, null);
    assert.equal(items.filter((x) => x.status && x.status !== "retained").length, 0);
  });
});

describe("pool kinds", () => {
  test("the page's pools per kind of range are the plan request schema's (every list of CIDRs under network but pools)", () => {
    const schema = JSON.parse(readFileSync(new URL("../../schemas/plan-request.json", import.meta.url), "utf8"));
    const network = schema.$defs.Network.properties;
    const lists = Object.keys(network).filter((k) => k !== "pools" && network[k].type === "array" && network[k].items?.$ref === "#/$defs/Prefix");
    assert.deepEqual([...POOL_KEYS].sort(), lists.sort());
  });
});

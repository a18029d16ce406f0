// The page's own words and pictures, without a browser: field checks in plain words, an
// impossible plan in one sentence, where reasons come from, what Import takes, the map's
// scale (sizes in order, ticks on CIDR boundaries) and the limits the page shares with the
// core and the docs.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkFields, cidrProblem, numberProblem, plainWords, MAX_CLUSTERS, MAX_NAME_BYTES } from "../src/field-check.js";
import { failureSentence } from "../src/plan-failure.js";
import { MODEL_TEXT, reasonOrigin } from "../src/model-text.js";
import { kindOf, mergeFragment } from "../src/import-file.js";
import { buildSegments } from "../src/address-map.js";
import { collectItems, groupAllocations } from "../src/map-items.js";
import { checkSpecShape } from "../src/spec-shape.js";
import { exampleSpec } from "../src/example-spec.js";
import { parseCidr } from "../src/prefix-math.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

describe("field checks in the user's words", () => {
  test("each kind of bad field gets a sentence a person can act on", () => {
    assert.equal(numberProblem(-5, "nodes"), "nodes must be a whole number of at least 1 (-5 is too small)");
    assert.equal(numberProblem("abc", "max_nodes"), 'max nodes must be a whole number of at least 1 ("abc" is not)');
    assert.equal(numberProblem(2.5, "services"), "services must be a whole number of at least 1");
    assert.equal(numberProblem(2_000_000, "max_pods_per_node"), "max pods per node must be at most 1,048,576");
    assert.equal(numberProblem(3, "nodes"), null);
    assert.equal(cidrProblem("10.0.0.1/8"), '"10.0.0.1/8" has address bits set past /8: did you mean 10.0.0.0/8?');
    assert.equal(cidrProblem("banana"), '"banana" is not a CIDR: write an address and a prefix length, like 10.0.0.0/16');
    assert.equal(cidrProblem("10.1.2.3"), '"10.1.2.3" needs a prefix length: 10.1.2.3/32 for one address, or a shorter one for a range');
    assert.equal(cidrProblem("10.0.0.0/33"), '"10.0.0.0/33" has a prefix length over 32: use /0 to /32');
    assert.equal(cidrProblem("", "pool 1"), "pool 1 needs a CIDR, like 10.0.0.0/16");
    assert.equal(cidrProblem("fd00::/48"), null);
  });

  test("a request's fields are checked by path; the example has no problem", () => {
    assert.equal(checkFields(exampleSpec()).size, 0);
    const spec = exampleSpec();
    spec.clusters[1].name = "cluster-1";
    spec.clusters[0].nodes = -5;
    spec.clusters[0].max_nodes = 1;
    spec.network.pools[0] = "10.0.0.1/8";
    const problems = checkFields(spec);
    assert.equal(problems.get("clusters.1.name"), 'another cluster is already named "cluster-1"');
    assert.match(problems.get("clusters.0.nodes"), /^nodes must be a whole number of at least 1/);
    assert.match(problems.get("network.pools.0"), /did you mean 10\.0\.0\.0\/8/);
  });

  test("the core's serde and parser messages are put in the same words", () => {
    assert.equal(plainWords("invalid spec.clusters[0].nodes: invalid value: integer `-5`, expected u32", "clusters.0.nodes"), "nodes must be a whole number of at least 1 (-5 is too small)");
    assert.match(plainWords('invalid prefix "banana"', "network.allocations.0.cidr"), /is not a CIDR/);
    assert.match(plainWords('host bits set in "10.0.0.1/8"'), /did you mean 10\.0\.0\.0\/8/);
  });
});

describe("an impossible plan", () => {
  test("is one sentence naming the space and what would make it fit", () => {
    const err = { code: "infeasible", message: "the auto model does not fit: no model fits (flat: the pod ranges need 1,048,576 addresses in 10.0.0.0/20; island: the shared pod range needs a /16 (65,536 addresses) in 10.0.0.0/20 that shadows no reachable allocation and no pinned range; the largest is 10.0.0.0/20)" };
    const spec = exampleSpec();
    spec.network.pools = ["10.0.0.0/20"];
    const sentence = failureSentence(err, spec);
    assert.equal(sentence.split(". ").length, 1, sentence);
    assert.match(sentence, /^No network model fits 2 clusters in 10\.0\.0\.0\/20: even the most frugal needs a free \/16 \(65,536 addresses\)/);
    assert.match(sentence, /add a pool/);
    assert.match(sentence, /lower max nodes or max pods per node/);
  });
});

describe("the recommendation", () => {
  test("every model has its plain sentence", () => {
    for (const m of ["flat", "island", "isolated", "mapped", "archipelago"]) assert.ok(MODEL_TEXT[m]?.length > 40, m);
  });

  test("reasons say whether the user said it, the example did, or it was assumed or measured", () => {
    const r = (criterion, source = "talk") => ({ criterion, source, effect: 2, text: "" });
    assert.equal(reasonOrigin(r("network_programmable"), { network_programmable: true }).id, "stated");
    assert.equal(reasonOrigin(r("network_programmable"), { network_programmable: true }, new Set(["network_programmable"])).id, "example");
    assert.equal(reasonOrigin(r("cross_cluster_integration", "derived"), {}).id, "assumed");
    assert.equal(reasonOrigin(r("ip_space", "measured"), {}).id, "measured");
    assert.equal(reasonOrigin(r("node_count", "measured"), {}).id, "measured");
  });
});

describe("import", () => {
  test("tells a request, a plan file and an inventory apart", () => {
    assert.equal(kindOf(exampleSpec()), "request");
    assert.equal(kindOf({ model: "flat", ranking: [], clusters: [], request: exampleSpec() }), "plan");
    assert.equal(kindOf({ Subnets: [] }), "inventory");
    assert.equal(kindOf(undefined), "inventory");
  });

  test("an inventory adds the pools, allocations and clusters not there yet, with their origin", () => {
    const spec = exampleSpec();
    const fragment = {
      network: { pools: ["10.0.0.0/8", "172.31.0.0/16"], allocations: [{ name: "a", cidr: "172.31.0.0/20", reachable: true, origin: "aws-subnets Subnets[0]", labels: { az: "eu-west-1a" } }, { name: "other", cidr: "10.128.1.1/32", reachable: true }] },
      clusters: [{ name: "cluster-1", nodes: 3 }, { name: "kept", nodes: 3 }],
    };
    const { spec: out, added } = mergeFragment(spec, fragment);
    assert.deepEqual(added, { pools: 1, allocations: 1, clusters: 1 });
    assert.equal(out.network.allocations.at(-1).origin, "aws-subnets Subnets[0]");
    checkSpecShape(out);
    assert.equal(spec.network.pools.length, 1, "the request on screen is not changed in place");
    const items = collectItems(out, null);
    assert.ok(items.find((x) => x.cidr === "172.31.0.0/20").notes.includes("from aws-subnets Subnets[0]"));
  });
});

describe("the map's scale", () => {
  /** A realistic network: a /8 and a /12, datacenters, VPNs and hosts, 12 clusters' ranges. */
  function realistic() {
    const items = [];
    const add = (kind, lane, name, cidr) => {
      const p = parseCidr(cidr);
      items.push({ kind, lane, name, cidr, family: 4, first: p.first, end: p.first + p.size, size: p.size, notes: [] });
    };
    add("pool", "network", "pool", "10.0.0.0/8");
    add("pool", "network", "pool", "172.16.0.0/12");
    add("allocation", "network", "dc-1", "10.16.0.0/12");
    add("allocation", "network", "dc-2", "10.32.0.0/13");
    add("allocation", "network", "vpn", "172.20.0.0/16");
    add("allocation", "network", "host", "10.128.1.1/32");
    for (let i = 0; i < 12; i += 1) {
      add("pod", `cluster:c${i}`, `c${i} pods`, `10.${64 + i}.0.0/16`);
      add("service", `cluster:c${i}`, `c${i} services`, `10.200.${i * 16}.0/20`);
      add("node-subnet", "network", `c${i} nodes`, `10.240.${i}.0/24`);
    }
    return items;
  }

  test("within each pool a larger range is never drawn narrower than a smaller one", () => {
    const items = realistic();
    const segments = buildSegments(items, 950);
    const width = (x) => {
      const seg = segments.find((s) => s.first <= x.first && x.end <= s.end);
      return (Number(x.size) / Number(seg.size)) * seg.w;
    };
    const drawn = items.filter((x) => x.kind !== "pool");
    for (const a of drawn) {
      for (const b of drawn) {
        const sameSeg = segments.find((s) => s.first <= a.first && a.end <= s.end) === segments.find((s) => s.first <= b.first && b.end <= s.end);
        if (sameSeg && a.size > b.size) assert.ok(width(a) >= width(b), `${a.cidr} (${width(a)}) vs ${b.cidr} (${width(b)})`);
      }
    }
    assert.equal(segments.length, 2, "one segment per pool");
    const dc = drawn.find((x) => x.name === "dc-1");
    const pod = drawn.find((x) => x.name === "c0 pods");
    assert.ok(width(dc) > 10 * width(pod), "a /12 datacenter is 16 times a /16 pod range");
  });

  test("grouped allocations never span two pools", () => {
    const items = realistic();
    const extra = [];
    for (let i = 0; i < 400; i += 1) {
      for (const base of ["10.110", "172.20"]) {
        const p = parseCidr(`${base}.${i >> 4}.${(i & 15) * 16}/28`);
        extra.push({ kind: "allocation", lane: "network", name: `h${i}`, cidr: "x", family: 4, first: p.first, end: p.first + p.size, size: p.size, notes: [] });
      }
    }
    const grouped = groupAllocations([...items, ...extra], 20).filter((x) => x.grouped);
    assert.ok(grouped.length > 0);
    const pools = items.filter((x) => x.kind === "pool");
    for (const g of grouped) assert.ok(pools.some((p) => p.first <= g.first && g.end <= p.end), `${g.cidr} lies in one pool`);
  });
});

describe("limits", () => {
  test("the page takes as many clusters as the core and docs/limits.md say", () => {
    const core = readFileSync(join(repo, "crates/cidrplan/src/k8s/context.rs"), "utf8");
    assert.match(core, new RegExp(`pub const MAX_CLUSTERS: usize = ${MAX_CLUSTERS};`));
    const limits = readFileSync(join(repo, "crates/cidrplan/src/limits.rs"), "utf8");
    assert.match(limits, new RegExp(`pub const MAX_NAME_LEN: usize = ${MAX_NAME_BYTES};`));
    const docs = readFileSync(join(repo, "docs/limits.md"), "utf8");
    assert.match(docs, new RegExp(`\\| clusters in one plan request \\| ${MAX_CLUSTERS} \\|`));
    const spec = { network: { pools: ["10.0.0.0/8"] }, clusters: Array.from({ length: MAX_CLUSTERS }, (_, i) => ({ name: `c${i}`, nodes: 1 })) };
    checkSpecShape(spec);
    spec.clusters.push({ name: "one more", nodes: 1 });
    assert.throws(() => checkSpecShape(spec), /clusters has more than 500 entries/);
  });
});

// The demo's pure modules in Node: links, request paths and the map's prefix arithmetic.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeSpec, encodeSpec, LinkError } from "../src/state-url.js";
import { normalizePath, setAt, getAt, valueFromInput } from "../src/spec-path.js";
import { formatAddress, formatCount, parseCidr } from "../src/prefix-math.js";
import { exampleSpec } from "../src/example-spec.js";

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

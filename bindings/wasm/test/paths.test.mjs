// aggregate and exclude have two routes into the core: canonical IPv4 lists cross as packed
// numbers, everything else as strings through the wire format. Both must give the same
// answers, and those answers must agree with an independent implementation (cidr-tools).
import assert from "node:assert/strict";
import { test } from "node:test";

import { excludeCidr, mergeCidr } from "cidr-tools";
import { aggregate, exclude } from "cidrplan";

let seed = 0x2545f491;
const rand = (n) => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};
const ipv4 = (a, len) => {
  const m = len === 0 ? 0 : (a & (0xffffffff << (32 - len))) >>> 0;
  return `${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}/${len}`;
};
/** Random canonical IPv4 prefixes inside 10.0.0.0/8 (or anywhere when `wide`). */
const randomList = (count, wide = false) =>
  Array.from({ length: count }, () => {
    const len = wide ? rand(33) : 8 + rand(25);
    const addr = wide ? (rand(65536) * 65536 + rand(65536)) >>> 0 : ((10 << 24) | (rand(1 << 24))) >>> 0;
    return ipv4(addr, len);
  });
// A Set is not an Array: it always takes the general (string) path.
const viaStrings = (list) => new Set(list);

test("aggregate: packed and string paths agree, and agree with mergeCidr", () => {
  for (let round = 0; round < 200; round++) {
    const list = randomList(1 + rand(300), round % 4 === 0);
    const fast = aggregate(list).prefixes;
    assert.deepStrictEqual(aggregate(viaStrings(list)).prefixes, fast, list.join(" "));
    assert.deepStrictEqual(fast, mergeCidr(list), list.join(" "));
  }
});

test("exclude: packed and string paths agree, and agree with excludeCidr", () => {
  for (let round = 0; round < 200; round++) {
    const parent = round % 5 === 0 ? "0.0.0.0/0" : "10.0.0.0/8";
    const used = randomList(1 + rand(300), parent === "0.0.0.0/0");
    const fast = exclude(parent, used).free;
    assert.deepStrictEqual(exclude(parent, viaStrings(used)).free, fast, used.join(" "));
    assert.deepStrictEqual(fast, excludeCidr([parent], used), used.join(" "));
  }
});

test("non-canonical spellings take the string path and get the core's verdict", () => {
  const cases = [
    [["10.0.0.1/8"], "host_bits_set"],
    [["010.0.0.0/8"], "invalid_prefix"],
    [["10.0.0.0/33"], "prefix_too_long"],
    [["10.0.0.0/8", "10.0.0.256/24"], "invalid_prefix"],
  ];
  for (const [list, code] of cases) {
    assert.throws(() => aggregate(list), (e) => e.code === code, list.join(" "));
    assert.throws(() => exclude("10.0.0.0/8", list), (e) => e.code === code, list.join(" "));
  }
  assert.deepStrictEqual(aggregate(["10.0.0.1/8"], { lenient: true }), { prefixes: ["10.0.0.0/8"] });
  assert.deepStrictEqual(aggregate(["10.0.0.0/9", "2001:db8::/32", "10.128.0.0/9"]), {
    prefixes: ["10.0.0.0/8", "2001:db8::/32"],
  });
  assert.throws(() => exclude("2001:db8::/32", ["10.0.0.0/8"]), (e) => e.code === "mixed_families");
  assert.throws(() => exclude("10.0.0.1/8", ["10.0.0.0/9"]), (e) => e.code === "host_bits_set");
});

test("lists the one-text path passes over (not ASCII, a newline, an empty string, a list that changes while read) get the string path's answer", () => {
  const outcome = (fn) => {
    try {
      return { ok: fn() };
    } catch (e) {
      return { code: e.code, field: e.field, message: e.message };
    }
  };
  const lists = [
    ["10.0.0.0/8", "ü/8"],
    ["10.0.0.0/8", "１0.0.0.0/8"],
    ["10.0.0.0/8", "10.1.0.0/16\n10.2.0.0/16"],
    ["10.0.0.0/8", ""],
    [""],
    ["10.0.0.0/9", "10.128.0.0/9", "2001:db8::/32"],
  ];
  for (const list of lists) {
    const label = JSON.stringify(list);
    assert.deepStrictEqual(outcome(() => aggregate(list)), outcome(() => aggregate(viaStrings(list))), label);
    assert.deepStrictEqual(
      outcome(() => exclude("10.0.0.0/8", list)),
      outcome(() => exclude("10.0.0.0/8", viaStrings(list))),
      label,
    );
  }
  // A proxy whose strings grow after the list was measured: the text would not fit the
  // buffer, so the list is read again by the general path, which sees the longer strings.
  let reads = 0;
  const shifty = new Proxy(["10.0.0.0/8"], {
    get(target, key) {
      if (key === "0") return reads++ === 0 ? "10.0.0.0/8" : "10.0.0.0/16";
      return Reflect.get(target, key);
    },
  });
  assert.deepStrictEqual(aggregate(shifty).prefixes, ["10.0.0.0/16"]);
});

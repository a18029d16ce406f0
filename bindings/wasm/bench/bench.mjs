// Side by side with cidr-tools on the same 10^5 IPv4 and 10^5 IPv6 prefixes, in one run:
//   aggregate  vs mergeCidr
//   exclude    vs excludeCidr
//   overlaps   vs the all-pairs overlapCidr loop a user would otherwise write
// Times include marshalling (JS strings in, JS objects out). The all-pairs loop is O(n^2):
// it runs on a sample and is extrapolated by (n / sample)^2, as the output says.
// Usage: npm run build && node bench/bench.mjs [--n 100000] [--sample 2000] [--runs 5]
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";

import { excludeCidr, mergeCidr, overlapCidr } from "cidr-tools";
import { aggregate, exclude, overlaps, version } from "cidrplan";

const { values: opts } = parseArgs({
  options: {
    n: { type: "string", default: "100000" },
    sample: { type: "string", default: "2000" },
    runs: { type: "string", default: "5" },
  },
});
const N = Number(opts.n);
const SAMPLE = Number(opts.sample);
const RUNS = Number(opts.runs);

// A small deterministic generator, so every run (and every machine) sees the same prefixes.
let seed = 0x9e3779b9;
const rand32 = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
};

/**
 * n IPv4 prefixes inside 10.0.0.0/8, /20 to /32, host bits clear: an IPAM inventory where
 * some ranges nest in others and the union stays fragmented (tens of thousands of blocks).
 */
function ipv4Prefixes(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const len = 20 + (rand32() % 13);
    const addr = ((10 << 24) | (rand32() & 0x00ffffff)) >>> 0;
    const masked = len === 0 ? 0 : (addr & (0xffffffff << (32 - len))) >>> 0;
    out.push(`${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${len}`);
  }
  return out;
}

/** n IPv6 prefixes inside 2001:db8::/32, /44 to /64, host bits clear. */
function ipv6Prefixes(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const len = 44 + (rand32() % 21);
    // Hextets 3 and 4 (bits 32..63) carry the variation; the rest of the /64 is zero.
    let bits = ((rand32() & 0xffff) * 0x10000 + (rand32() & 0xffff));
    const keep = len - 32; // 8..32 bits of the variable part
    bits = Math.floor(bits / 2 ** (32 - keep)) * 2 ** (32 - keep);
    const h3 = Math.floor(bits / 0x10000).toString(16);
    const h4 = (bits % 0x10000).toString(16);
    out.push(`2001:db8:${h3}:${h4}::/${len}`);
  }
  return out;
}

function time(fn) {
  fn(); // warm-up (JIT, wasm tier-up)
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const rows = [];
function compare(op, family, ours, theirs, note = "") {
  rows.push({ op, family, ours, theirs, ratio: theirs / ours, note });
  console.error(`  ${op} ${family}: cidrplan ${fmt(ours)}, cidr-tools ${fmt(theirs)}`);
}

console.error(`cidrplan ${version()} vs cidr-tools, n = ${N}, median of ${RUNS} runs`);
for (const [family, make, parent] of [
  ["IPv4", ipv4Prefixes, "10.0.0.0/8"],
  ["IPv6", ipv6Prefixes, "2001:db8::/32"],
]) {
  const prefixes = make(N);

  // Both libraries must agree before their speed means anything.
  const merged = mergeCidr(prefixes);
  const ours = aggregate(prefixes).prefixes;
  if (merged.length !== ours.length) throw new Error(`${family} aggregate: ${ours.length} vs ${merged.length} prefixes`);
  const excluded = excludeCidr([parent], prefixes);
  const free = exclude(parent, prefixes).free;
  if (excluded.length !== free.length) throw new Error(`${family} exclude: ${free.length} vs ${excluded.length} prefixes`);

  console.error(`  ${family}: aggregate -> ${ours.length} prefixes, exclude -> ${free.length} free blocks`);
  compare("aggregate", family, time(() => aggregate(prefixes)), time(() => mergeCidr(prefixes)));
  compare("exclude", family, time(() => exclude(parent, prefixes)), time(() => excludeCidr([parent], prefixes)));

  // The overlap report on all n, against the all-pairs loop on a sample, extrapolated.
  const sample = prefixes.slice(0, SAMPLE);
  const loop = (list) => {
    const found = [];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (overlapCidr(list[i], list[j])) found.push([i, j]);
      }
    }
    return found;
  };
  const pairsInSample = loop(sample).length;
  const reportInSample = overlaps(sample).total;
  if (pairsInSample !== reportInSample) throw new Error(`${family} overlaps: ${reportInSample} vs ${pairsInSample} pairs`);
  const oursAll = time(() => overlaps(prefixes, { max_listed: 1_000_000 }));
  const loopSample = time(() => loop(sample));
  const scale = (N / SAMPLE) ** 2;
  compare(
    "overlaps",
    family,
    oursAll,
    loopSample * scale,
    `all-pairs loop timed on ${SAMPLE} prefixes (${fmt(loopSample)}) and scaled by (${N}/${SAMPLE})^2 = ${scale}`,
  );
}

console.log(`\n| operation | family | cidrplan (wasm) | cidr-tools | speed-up |`);
console.log(`|---|---|---:|---:|---:|`);
for (const r of rows) {
  console.log(`| ${r.op} | ${r.family} | ${fmt(r.ours)} | ${fmt(r.theirs)}${r.note ? " *" : ""} | ${r.ratio.toFixed(1)}x |`);
}
const notes = [...new Set(rows.filter((r) => r.note).map((r) => r.note))];
for (const n of notes) console.log(`\n* ${n}`);
console.log(`\nn = ${N} prefixes per family; medians of ${RUNS} runs after a warm-up; marshalling included.`);

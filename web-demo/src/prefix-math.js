// Just enough prefix arithmetic to draw the address map: where a CIDR starts and how big
// it is, as BigInt. Parsing here is lenient on purpose: the core has already validated
// every range the map is given, and a string that does not parse is simply not drawn.

/** {family: 4|6, first: bigint, len, bits, size: bigint} or null. */
export function parseCidr(text) {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(String(text).trim());
  if (!m) return null;
  const len = Number(m[2]);
  const v4 = parseV4(m[1]);
  if (v4 !== null) return len <= 32 ? make(4, v4, len, 32) : null;
  const v6 = parseV6(m[1]);
  if (v6 !== null) return len <= 128 ? make(6, v6, len, 128) : null;
  return null;
}

function make(family, addr, len, bits) {
  const size = 1n << BigInt(bits - len);
  return { family, first: (addr / size) * size, len, bits, size };
}

function parseV4(text) {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    value = (value << 8n) | BigInt(p);
  }
  return value;
}

function parseV6(text) {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  let head = text;
  let tailV4 = null;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    if (tailV4 === null) return null;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const groups = (s) => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...left, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...right];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    value = (value << 16n) | BigInt(`0x${g}`);
  }
  if (tailV4 !== null) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** Text form of an address of `family`. */
export function formatAddress(family, value) {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
  }
  const groups = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (two or more) to "::".
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    if (groups[i] !== "0") { i += 1; continue; }
    let j = i;
    while (j < 8 && groups[j] === "0") j += 1;
    if (j - i > best[1] && j - i > 1) best = [i, j - i];
    i = j;
  }
  if (best[0] < 0) return groups.join(":");
  return `${groups.slice(0, best[0]).join(":")}::${groups.slice(best[0] + best[1]).join(":")}`;
}

/** "10.0.1.0/24" for a start address and length. */
export const formatCidr = (family, first, len) => `${formatAddress(family, first)}/${len}`;

/** Bit length of a positive bigint: log2 rounded up, the map's measure of a range's size. */
export function log2Ceil(n) {
  if (n <= 1n) return 0;
  return (n - 1n).toString(2).length;
}

/** An address count for people: "65,536", or "2^64" once it is too long to read. */
export function formatCount(size) {
  if (size >= 1n << 40n && (size & (size - 1n)) === 0n) return `2^${log2Ceil(size)}`;
  return size.toLocaleString("en-US");
}

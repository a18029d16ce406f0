// Bounds the shape of an argument before serde-wasm-bindgen walks it (imported by
// src/shape.rs). Deserialization recurses once per nesting level on the wasm stack: a
// deeply nested array would overflow it, and a trap leaves the instance unusable for every
// later call. Shared references can also make a small object expand exponentially. This
// walk is iterative, runs in plain JS (cheap next to crossing into wasm per value) and
// reads every value the deserializer will read, so throwing getters and proxies fail here,
// caught, instead of unwinding through wasm frames.
//
// Returns undefined when the value is fine, else [code, detail].
export function cidrplanCheckShape(value, maxDepth, maxValues) {
  try {
    let seen = 0;
    const stack = [value, 0];
    while (stack.length > 0) {
      const depth = stack.pop();
      const v = stack.pop();
      if (typeof v !== "object" || v === null) continue;
      if (depth >= maxDepth) return ["invalid_input", `nested deeper than ${maxDepth} levels`];
      let children;
      if (Array.isArray(v)) children = v;
      else if (v instanceof Map) children = [...v.keys(), ...v.values()];
      else if (v instanceof Set) children = [...v];
      else if (ArrayBuffer.isView(v)) continue;
      else children = Object.values(v);
      seen += children.length;
      if (seen > maxValues) return ["limit_exceeded", seen];
      for (let i = 0; i < children.length; i++) {
        const c = children[i];
        if (typeof c === "object" && c !== null) stack.push(c, depth + 1);
      }
    }
    return undefined;
  } catch (e) {
    return ["invalid_input", `could not be read: ${e instanceof Error ? e.message : String(e)}`];
  }
}

// serde-wasm-bindgen reads the fields a struct names and never sees the others, so a
// misspelt key would be ignored where the CLI and Python (which parse JSON) reject it.
// `echo` is the parsed value serialized back: a key of `input` that is neither in `echo`
// nor null/undefined there was not read. Returns the path of the first one, or undefined.
export function cidrplanUnknownKey(input, echo) {
  const stack = [input, echo, ""];
  while (stack.length > 0) {
    const path = stack.pop();
    const e = stack.pop();
    const v = stack.pop();
    if (typeof v !== "object" || v === null || typeof e !== "object" || e === null) continue;
    if (Array.isArray(v)) {
      if (!Array.isArray(e)) continue;
      for (let i = 0; i < v.length && i < e.length; i++) stack.push(v[i], e[i], `${path}[${i}]`);
      continue;
    }
    for (const key of Object.keys(v)) {
      const child = v[key];
      if (child === null || child === undefined) continue;
      if (!Object.hasOwn(e, key)) return `${path}.${key}`;
      stack.push(child, e[key], `${path}.${key}`);
    }
  }
  return undefined;
}

// Lists of CIDR strings are the bulk of most inputs and outputs. Crossing into wasm once
// per string costs more than the set algebra itself, so a list of plain, non-empty,
// newline-free strings crosses as one joined string; anything else returns undefined and
// takes the general (serde-wasm-bindgen) path, which reports errors precisely.
export function cidrplanJoinLines(value) {
  try {
    if (!Array.isArray(value) || value.length === 0) return undefined;
    for (let i = 0; i < value.length; i++) {
      const s = value[i];
      if (typeof s !== "string" || s.length === 0) return undefined;
    }
    const joined = value.join("\n");
    // Exactly length - 1 separators, or some string held a newline of its own.
    let newlines = 0;
    for (let at = joined.indexOf("\n"); at !== -1; at = joined.indexOf("\n", at + 1)) newlines++;
    return newlines === value.length - 1 ? joined : undefined;
  } catch {
    return undefined;
  }
}

// The way back: one joined string becomes a list of strings.
export function cidrplanSplitLines(text) {
  return text.length === 0 ? [] : text.split("\n");
}

// Canonical IPv4 prefixes ("10.1.0.0/16": decimal octets without leading zeros, a length
// of 0..32, no host bits) are by far the most common input. They cross as a Uint32Array
// of (address, length) pairs, which spares both the strings and their parsing in wasm.
// Anything else — IPv6, host bits, odd spellings — returns undefined and takes the string
// path, where the core parses it and reports errors with their exact codes.
export function cidrplanPackIpv4(value) {
  try {
    if (!Array.isArray(value) || value.length === 0) return undefined;
    const out = new Uint32Array(value.length * 2);
    for (let i = 0; i < value.length; i++) {
      const s = value[i];
      if (typeof s !== "string") return undefined;
      if (!packOne(s, out, 2 * i)) return undefined;
    }
    return out;
  } catch {
    return undefined;
  }
}

// Writes one prefix's address and length at out[at], out[at + 1]; false when not canonical.
function packOne(s, out, at) {
  const n = s.length;
  let pos = 0;
  let addr = 0;
  for (let octet = 0; octet < 4; octet++) {
    let v = 0;
    let digits = 0;
    let c = 0;
    while (pos < n) {
      c = s.charCodeAt(pos);
      if (c < 48 || c > 57) break;
      if (digits === 1 && v === 0) return false; // leading zero
      v = v * 10 + (c - 48);
      digits++;
      pos++;
    }
    if (digits === 0 || v > 255 || pos >= n) return false;
    if (c !== (octet < 3 ? 46 : 47)) return false; // "." then "/"
    pos++;
    addr = ((addr << 8) | v) >>> 0;
  }
  let len = 0;
  let digits = 0;
  while (pos < n) {
    const c = s.charCodeAt(pos);
    if (c < 48 || c > 57) return false;
    if (digits === 1 && len === 0) return false;
    len = len * 10 + (c - 48);
    digits++;
    pos++;
  }
  if (digits === 0 || len > 32) return false;
  if (len < 32 && ((addr << len) >>> 0) !== 0) return false; // host bits set
  out[at] = addr;
  out[at + 1] = len;
  return true;
}

// The way back: (address, length) pairs become canonical IPv4 prefix strings.
export function cidrplanFormatIpv4(pairs) {
  const out = new Array(pairs.length / 2);
  for (let i = 0; i < out.length; i++) {
    const a = pairs[2 * i];
    out[i] = `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${pairs[2 * i + 1]}`;
  }
  return out;
}

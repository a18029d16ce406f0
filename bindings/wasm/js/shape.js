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
// per string costs more than the set algebra itself, so a list of strings crosses as one
// UTF-8 text, one string per line (encoded natively by TextEncoder, then copied into wasm
// memory in one piece); anything else returns undefined and takes the general
// (serde-wasm-bindgen) path, which reports errors precisely.
const encoder = new TextEncoder();
// Reused for texts up to 4 MiB, so a bulk call does not allocate (and zero) a fresh buffer.
const SCRATCH_LIMIT = 4 << 20;
let scratch = new Uint8Array(0);
// How many strings the last encoded list held (read once, here, inside the try: the list
// may be a proxy whose every read can throw).
let encodedCount = 0;

export function cidrplanEncodedCount() {
  return encodedCount;
}

export function cidrplanEncodeLines(value) {
  try {
    if (!Array.isArray(value)) return undefined;
    const count = value.length;
    if (count === 0) return undefined;
    for (let i = 0; i < count; i++) {
      if (typeof value[i] !== "string") return undefined;
    }
    encodedCount = count;
    // A string holding a newline of its own shows up in wasm as a line count that differs
    // from the list's length, and the list then takes the general path.
    const text = value.join("\n");
    if (text.length > SCRATCH_LIMIT) return encoder.encode(text);
    if (scratch.length < text.length) scratch = new Uint8Array(Math.min(2 * text.length, SCRATCH_LIMIT));
    // ASCII text (every CIDR) encodes to as many bytes as it has characters.
    const { read, written } = encoder.encodeInto(text, scratch.subarray(0, text.length));
    return read === text.length ? scratch.subarray(0, written) : encoder.encode(text);
  } catch {
    return undefined;
  }
}

// The way back: one text, one string per line, becomes a list of strings.
export function cidrplanSplitLines(text) {
  return text.length === 0 ? [] : text.split("\n");
}

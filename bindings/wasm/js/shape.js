// Turns one argument into plain data for serde-wasm-bindgen (src/lib.rs), after bounding
// its shape. Reading in wasm recurses once per nesting level, on the wasm stack:
// a deeply nested array would overflow it, and a trap leaves the instance unusable for
// every later call. Shared references can also make a small object expand exponentially.
// The walk is iterative, runs in plain JS and reads every value JSON.stringify will read,
// so throwing getters and proxies fail here, caught, instead of inside wasm. It also
// refuses what JSON cannot carry but would silently drop or change (a BigInt, NaN, a
// function), and lets a Map, a Set or a typed array through as an object or an array. The
// value handed on is a fresh copy made through JSON (what JSON makes of a class instance or
// an `undefined` inside, as on every other surface): no getter or proxy of the caller's
// runs while wasm reads it, where a throw would unwind through wasm frames.
//
// Returns [value], or [code, detail, path] when the argument cannot be read.
export function cidrplanToPlain(value, maxDepth, maxValues) {
  let convert = false;
  try {
    let seen = 0;
    const stack = [value, 0];
    while (stack.length > 0) {
      const depth = stack.pop();
      const v = stack.pop();
      if (typeof v !== "object" || v === null) {
        const refused = refusal(v);
        if (refused !== undefined) return ["invalid_input", refused, pathTo(value, v)];
        continue;
      }
      if (depth >= maxDepth) return ["invalid_input", `nested deeper than ${maxDepth} levels`, ""];
      let children;
      if (Array.isArray(v)) children = v;
      else if (v instanceof Map) children = [...v.keys(), ...v.values()];
      else if (v instanceof Set) children = [...v];
      else if (ArrayBuffer.isView(v)) children = v instanceof DataView ? [] : Array.from(v);
      else children = Object.values(v);
      if (!Array.isArray(v) && !isPlain(v)) convert = true;
      seen += children.length;
      if (seen > maxValues) return ["limit_exceeded", seen, ""];
      for (let i = 0; i < children.length; i++) stack.push(children[i], depth + 1);
    }
    const text = JSON.stringify(value, convert ? toPlain : undefined);
    return [text === undefined ? null : JSON.parse(text)];
  } catch (e) {
    return ["invalid_input", `could not be read: ${e instanceof Error ? e.message : String(e)}`, ""];
  }
}

// Why a value that is not an object cannot cross as JSON, or undefined when it can.
function refusal(v) {
  switch (typeof v) {
    case "number":
      return Number.isFinite(v) ? undefined : `${v} is not a finite number`;
    case "bigint":
      return `${v}n is a BigInt: pass a number, or a decimal string for a large count`;
    case "symbol":
    case "function":
      return `a ${typeof v} is not data`;
    default:
      return undefined;
  }
}

const isPlain = (v) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

// JSON.stringify's replacer for the containers JSON has no word for.
function toPlain(_key, v) {
  if (v instanceof Map) return Object.fromEntries(v);
  if (v instanceof Set) return [...v];
  if (ArrayBuffer.isView(v)) return v instanceof DataView ? [] : Array.from(v);
  return v;
}

// The path of `target` inside `root` (`[1].size`), through arrays and plain objects; only
// run when the walk above refused a value, to name where it is.
// Shared references could make the search long, so it gives up after a million values.
function pathTo(root, target) {
  const stack = [root, ""];
  for (let budget = 1_000_000; stack.length > 0 && budget > 0; budget--) {
    const path = stack.pop();
    const v = stack.pop();
    if (Object.is(v, target)) return path;
    if (typeof v !== "object" || v === null) continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i], `${path}[${i}]`);
    } else if (isPlain(v)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push(v[keys[i]], `${path}.${keys[i]}`);
    }
  }
  return "";
}

// Lists of CIDR strings are the bulk of most inputs and outputs. Crossing into wasm once
// per string costs more than the set algebra itself, so a list of strings crosses as one
// UTF-8 text, one string per line (encoded natively by TextEncoder, then copied into wasm
// memory in one piece); anything else returns undefined and takes the general
// path, which reports errors precisely.
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

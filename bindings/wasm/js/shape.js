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
// text, one string per line, written straight into a buffer in wasm memory: wasm asks for
// the text's length (cidrplanLinesLength), allocates that much and hands a view of it to
// cidrplanWriteLines. No joined JS string and no JS-side copy are made. Only ASCII strings
// without a newline take this path (every CIDR in the spelling that parses); anything else
// returns -1 and takes the general path, which reads any string and reports errors precisely.
//
// How many strings the last measured list held (read once, here, inside the try: the list
// may be a proxy whose every read can throw).
let encodedCount = 0;

export function cidrplanEncodedCount() {
  return encodedCount;
}

// The length of the list's text (its strings' lengths plus a newline between each two),
// or -1 when the value is not a non-empty array of strings.
export function cidrplanLinesLength(value) {
  try {
    if (!Array.isArray(value)) return -1;
    const count = value.length;
    if (count === 0) return -1;
    let total = count - 1;
    for (let i = 0; i < count; i++) {
      const s = value[i];
      if (typeof s !== "string") return -1;
      total += s.length;
    }
    encodedCount = count;
    return total;
  } catch {
    return -1;
  }
}

// Writes the list's strings into `out` (a view of wasm memory, as long as
// cidrplanLinesLength said), one per line, one byte per character. Returns the bytes
// written, or -1 when a string holds a character that is not ASCII or a newline, or the
// list changed since it was measured (a proxy): the general path then reads it.
export function cidrplanWriteLines(value, out) {
  try {
    const count = value.length;
    if (count !== encodedCount) return -1;
    const end = out.length;
    let o = 0;
    for (let i = 0; i < count; i++) {
      const s = value[i];
      if (typeof s !== "string") return -1;
      const n = s.length;
      if (i > 0) out[o++] = 10;
      if (o + n > end) return -1;
      for (let j = 0; j < n; j++) {
        const c = s.charCodeAt(j);
        if (c >= 128 || c === 10) return -1;
        out[o++] = c;
      }
    }
    return o;
  } catch {
    return -1;
  }
}

// The way back: one text, one string per line, becomes a list of strings.
export function cidrplanSplitLines(text) {
  return text.length === 0 ? [] : text.split("\n");
}

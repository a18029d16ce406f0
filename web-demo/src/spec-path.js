// Paths into a plan request ("clusters.1.nodes") and the conversion of form text into
// request values. The core judges the values; this only decides what to send.

/** "clusters[1].name" or "spec.clusters[1].name" (the core's field names) -> "clusters.1.name". */
export function normalizePath(field) {
  return String(field)
    .replace(/^spec\.?/, "")
    .replace(/\[(\d+)\]/g, ".$1")
    .replace(/^\./, "");
}

const keysOf = (path) => path.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k));

export function getAt(obj, path) {
  return keysOf(path).reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

/** Sets (or, for `undefined`, deletes) the value at `path`, creating objects on the way. */
export function setAt(obj, path, value) {
  const keys = keysOf(path);
  const last = keys.pop();
  let o = obj;
  for (const k of keys) {
    if (o[k] == null || typeof o[k] !== "object") o[k] = {};
    o = o[k];
  }
  if (value === undefined) delete o[last];
  else o[last] = value;
}

/**
 * The request value for the text of an input of `kind`. Text that is not a number stays
 * text, so the core's message names it next to the field.
 */
export function valueFromInput(kind, text, checked) {
  switch (kind) {
    case "bool":
      return checked;
    case "flag":
      return checked ? true : undefined;
    case "tri":
      return text === "" ? undefined : text === "true";
    case "int": {
      const t = text.trim();
      if (t === "") return undefined;
      return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
    }
    case "optional":
      return text.trim() === "" ? undefined : text.trim();
    case "list": {
      // CIDRs separated by commas or spaces; none means the field is not stated.
      const items = text.split(/[\s,]+/).filter((t) => t !== "");
      return items.length ? items : undefined;
    }
    default:
      return text.trim();
  }
}

/** The text an input of `kind` shows for a request value. */
export function inputText(kind, value) {
  if (value === undefined || value === null) return "";
  if (kind === "tri") return value ? "true" : "false";
  if (kind === "list" && Array.isArray(value)) return value.join(", ");
  return String(value);
}

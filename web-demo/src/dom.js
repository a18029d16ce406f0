// DOM construction without HTML strings: every text from the user or the plan goes in
// through textContent or setAttribute, so a name like "<img onerror=...>" stays text.

const SVG_NS = "http://www.w3.org/2000/svg";

function apply(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "value" || key === "checked" || key === "selected") {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element: h("td", {class: "cidr"}, "10.0.0.0/8"). Strings become text nodes. */
export function h(tag, attrs, ...children) {
  return apply(document.createElement(tag), attrs, children);
}

/** An SVG element, built the same way (text children are text nodes, never markup). */
export function s(tag, attrs, ...children) {
  return apply(document.createElementNS(SVG_NS, tag), attrs, children);
}

/**
 * Replaces all children of `el`. Keyboard focus inside `el` survives the redraw: the new
 * control with the same id, form path or drawn range takes it, so a panel or map that
 * redraws while a keyboard user is on it does not drop them back to the top of the page.
 */
export function fill(el, ...children) {
  const active = typeof document !== "undefined" ? document.activeElement : null;
  const key = active && active !== el && el.contains(active) ? focusKey(active) : null;
  el.replaceChildren();
  apply(el, {}, children);
  if (key) {
    const again = el.querySelector(key);
    if (again && typeof again.focus === "function") again.focus({ preventScroll: true });
  }
  return el;
}

/** A selector that finds the redrawn twin of a focused control, or null when it has no stable name. */
function focusKey(active) {
  const quote = (v) => JSON.stringify(String(v));
  if (active.id) return `[id=${quote(active.id)}]`;
  if (active.dataset?.path) return `[data-path=${quote(active.dataset.path)}]`;
  if (active.dataset?.cidr) {
    return `[data-cidr=${quote(active.dataset.cidr)}][data-kind=${quote(active.dataset.kind ?? "")}][data-name=${quote(active.dataset.name ?? "")}]`;
  }
  return null;
}

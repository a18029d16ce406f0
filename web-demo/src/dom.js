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

/** Replaces all children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  return apply(el, {}, children);
}

// Puts the core's error message next to the input it is about. The core names the field
// for spec errors (err.field = "clusters[1].name"); for values it could not read at all it
// names the value instead ('invalid prefix "banana"'), so the inputs holding that value
// are marked. Whatever cannot be placed is shown in the form's banner by the caller.
import { normalizePath } from "./spec-path.js";
import { isCollision } from "./warning-severity.js";
import { cidrsIn } from "./map-items.js";

/**
 * Removes every mark and message. Messages are written only in fields marked has-error or
 * has-collision, so only those are visited (one query, not one per kind of mark over the
 * whole form: this runs at every replan).
 */
export function clearFieldErrors(form) {
  for (const el of form.querySelectorAll("[aria-invalid], [data-collision], .field.has-error, .field.has-collision")) {
    if (el.hasAttribute("aria-invalid")) el.removeAttribute("aria-invalid");
    if (el.dataset.collision !== undefined) delete el.dataset.collision;
    if (el.classList.contains("field")) {
      el.classList.remove("has-error", "has-collision");
      for (const slot of el.querySelectorAll(".field-error")) slot.textContent = "";
    }
  }
}

/** Values quoted in a message: "text" or `text`. */
function quotedValues(message) {
  const out = [];
  for (const m of message.matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`/g)) out.push(m[1] ?? m[2]);
  return out;
}

function sameValue(inputText, quoted) {
  if (inputText.trim() === quoted) return true;
  const a = Number(inputText);
  const b = Number(quoted);
  return inputText.trim() !== "" && quoted !== "" && Number.isFinite(a) && a === b;
}

function mark(input, message) {
  const wrapper = input.closest(".field");
  input.setAttribute("aria-invalid", "true");
  if (!wrapper) return;
  wrapper.classList.add("has-error");
  const slot = wrapper.querySelector(".field-error");
  if (slot) slot.textContent = message;
}

/** Inputs the error `err` is about, most specific first. */
function inputsFor(form, err) {
  const inputs = [...form.querySelectorAll("[data-path]")];
  if (err.field) {
    const path = normalizePath(err.field);
    const exact = inputs.filter((i) => i.dataset.path === path);
    if (exact.length) return exact;
    // A path below an input (clusters.0.nodez) or above one (clusters.0): the nearest input.
    const near = inputs.filter((i) => path.startsWith(`${i.dataset.path}.`) || i.dataset.path.startsWith(`${path}.`));
    if (near.length && path !== "") return near.slice(0, 1);
  }
  for (const q of quotedValues(err.message ?? "")) {
    const hits = inputs.filter((i) => i.type !== "checkbox" && sameValue(i.value, q));
    if (hits.length) return hits;
  }
  return [];
}

/**
 * Marks the inputs `err` is about with its message; returns true when at least one was
 * marked (the caller shows the message elsewhere when not).
 */
export function showFieldError(form, err) {
  const targets = inputsFor(form, err);
  const message = String(err.message ?? err).replace(/^invalid spec: /, "");
  for (const input of targets) mark(input, message);
  return targets.length > 0;
}

/** Marks each [path, message] of `problems` at its input (paths the form does not show are skipped). */
export function markFields(form, problems) {
  for (const [path, message] of problems) {
    for (const input of form.querySelectorAll(`[data-path="${CSS.escape(path)}"]`)) mark(input, message);
  }
}

/**
 * Marks, at every input holding one of its CIDRs, each collision warning of the plan
 * (two node subnets on one range, a node subnet on an allocation...): both ends of a
 * collision get the message, not only the warnings list.
 */
export function markCollisions(form, warnings) {
  const collisions = warnings.filter((w) => isCollision(w.code));
  if (collisions.length === 0) return;
  const inputs = [...form.querySelectorAll('[data-path$=".cidr"], [data-path$=".node_subnet"]')];
  for (const w of collisions) {
    const named = new Set(cidrsIn(w.message));
    for (const input of inputs) {
      if (input.getAttribute("aria-invalid") || !named.has(input.value.trim())) continue;
      const wrapper = input.closest(".field");
      wrapper?.classList.add("has-collision");
      const slot = wrapper?.querySelector(".field-error");
      if (slot && !slot.textContent) slot.textContent = `Collides: ${w.message}`;
      input.dataset.collision = "true";
    }
  }
}

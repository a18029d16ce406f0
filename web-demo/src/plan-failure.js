// An impossible plan in one sentence, with what would make it fit: the core's `infeasible`
// error lists why each model failed (six lines of it for five models); a person needs the
// smallest room any model would have needed and where they could find it. Pure.

const count = (n) => n.toLocaleString("en-US");

/** The smallest "/N (M addresses)" the core's reasons say a model needs, or null. */
function smallestNeed(message) {
  let best = null;
  for (const m of String(message).matchAll(/needs? (?:a |an )?\/(\d+)(?: \(([\d,]+) addresses\))?/g)) {
    const len = Number(m[1]);
    if (best === null || len > best.len) best = { len, addresses: m[2] ?? null };
  }
  return best;
}

/**
 * One sentence for the core's `infeasible` error `err` about `spec`: what does not fit,
 * in how much space, and what would make it fit.
 */
export function failureSentence(err, spec) {
  const message = String(err?.message ?? err);
  const pools = (spec.network?.pools ?? []).join(", ") || "no pool";
  const clusters = spec.clusters?.length ?? 0;
  const what = `${count(clusters)} cluster${clusters === 1 ? "" : "s"}`;
  const chosen = spec.model && spec.model !== "auto" ? spec.model : null;
  const need = smallestNeed(message);
  const room = need ? `a free /${need.len}${need.addresses ? ` (${need.addresses} addresses)` : ""} that overlaps no reachable allocation` : "more free space";
  const fixes = [
    "add a pool (or a larger one)",
    "lower max nodes or max pods per node",
    (spec.network?.allocations ?? []).some((a) => a.reachable !== false) ? "mark allocations pods need not reach as not reachable" : null,
    chosen ? "set the network model back to auto" : null,
  ].filter(Boolean);
  const last = fixes.pop();
  const list = fixes.length ? `${fixes.join(", ")} or ${last}` : last;
  return chosen
    ? `The ${chosen} model does not fit ${what} in ${pools}: it needs ${room}; to make it fit, ${list}.`
    : `No network model fits ${what} in ${pools}: even the most frugal needs ${room}; to make it fit, ${list}.`;
}

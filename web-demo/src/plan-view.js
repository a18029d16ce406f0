// What the page shows of a plan, cut to what a page can draw: a network with 10^5
// allocations gives 10^5 reachability pairs and a thousand warnings, and a table of them
// would freeze the page it is meant to explain. Pure: the worker runs it next to the core,
// so only the cut plan crosses to the page (the whole plan goes as JSON text, for export).
import { isCollision } from "./warning-severity.js";

/** Allocations that get a column of their own in the reachability matrix. */
export const MAX_REACH_ALLOCATIONS = 12;
/** Warnings listed (collisions first). */
export const MAX_WARNINGS = 50;
/** Allocation rows the form lists; the rest are planned but edited in the JSON file. */
export const MAX_FORM_ALLOCATIONS = 50;

/**
 * The plan without its echo of the request and network, with at most MAX_WARNINGS warnings
 * (`warnings_hidden` counts the rest) and reachability to at most MAX_REACH_ALLOCATIONS
 * allocations (`reachability_hidden` counts the allocations left out).
 */
export function displayPlan(plan) {
  // The request's echo (`request`, `network`) can hold 10^5 allocations: the page has them.
  const { network: _network, request: _request, reachability = [], warnings = [], ...rest } = plan;
  const sorted = [...warnings.filter((w) => isCollision(w.code)), ...warnings.filter((w) => !isCollision(w.code))];
  const shown = new Set();
  const left = new Set();
  const reach = [];
  for (const r of reachability) {
    const alloc = [r.from, r.to].find((e) => e.startsWith("allocation:"));
    if (alloc && !shown.has(alloc)) {
      if (shown.size >= MAX_REACH_ALLOCATIONS) {
        left.add(alloc);
        continue;
      }
      shown.add(alloc);
    }
    reach.push(r);
  }
  return {
    ...rest,
    reachability: reach,
    reachability_hidden: left.size,
    warnings: sorted.slice(0, MAX_WARNINGS),
    warnings_hidden: Math.max(0, sorted.length - MAX_WARNINGS),
  };
}

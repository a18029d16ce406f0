// Which warning codes of the core are collisions (a plan that breaks something) rather
// than advice (vendor defaults, sizes): collisions are drawn red, advice amber.

const COLLISIONS = new Set([
  "allocation_overlap",
  "cluster_overlap",
  "range_overlap",
  "service_in_pod_range",
  "shadows_reachable",
  "outside_pools",
]);

export const isCollision = (code) => COLLISIONS.has(code);

// The five network models in one plain sentence each, and where a reason's criterion came
// from (what the user said, what the example said, what was assumed or measured). Pure.

/** One sentence per model: what it is, in words a platform engineer uses. */
export const MODEL_TEXT = {
  flat: "Every cluster gets its own pod range out of your network, routed like any other subnet: pods and the rest of the network talk directly, without NAT, and it costs the most addresses.",
  island: "Every cluster reuses one pod range your network never routes: pods reach out through their node's address (SNAT), and the network reaches pods only through load balancers or gateways.",
  isolated: "Clusters reuse their ranges and are cut off from the network and from each other: only gateways you set up cross, so it needs the fewest addresses and integrates the least.",
  mapped: "Inside a cluster it is an island, but each node's pod range is translated one to one (NAT) to a unique range of your network, so every pod keeps an address the network can reach.",
  archipelago: "Clusters of one group share a flat pod space among themselves; toward the rest of the network each group is an island, and the groups reuse the same range.",
};

/** The requirement keys of a request (`requirements.*`): what the user can state. */
export const REQUIREMENT_KEYS = [
  "ip_space", "network_programmable", "integration", "cross_cluster_integration", "kubernetes_footprint",
  "exposed_services", "debug_connectivity", "direct_to_endpoint", "non_http_services", "client_ip_firewalls",
  "allow_non_rfc1918", "identical_clusters",
];

const FROM_NETWORK = new Set(["node_count", "reachable_allocations", "address_space"]);

/**
 * Where a reason comes from, for people: "you said", "the example's", "assumed",
 * "measured" or "how the model works".
 * `requirements`: the request's requirements; `exampleKeys`: the keys whose values are
 * still the built-in example's (not the user's).
 */
export function reasonOrigin(reason, requirements = {}, exampleKeys = new Set()) {
  if (reason.source === "measured" || FROM_NETWORK.has(reason.criterion)) return { id: "measured", text: "measured in your network" };
  if (REQUIREMENT_KEYS.includes(reason.criterion)) {
    const value = requirements?.[reason.criterion];
    if (value === undefined || value === null) return { id: "assumed", text: "assumed (not stated)" };
    if (exampleKeys.has(reason.criterion)) return { id: "example", text: "the example's value, not yours" };
    return { id: "stated", text: "you said" };
  }
  return { id: "derived", text: "how the model works" };
}

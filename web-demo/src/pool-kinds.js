// The request's pools for one kind of range (`network.node_pools`, `pod_pools`,
// `service_pools`): lists of CIDRs like `network.pools`. One list for the form, the map and
// the shape check; a unit test holds it to the plan request's JSON Schema
// (schemas/plan-request.json), so a kind the core adds cannot be missed here.

/** Each kind: its request key, what the map calls its pools, and the form's label and example. */
export const POOL_KINDS = [
  { key: "node_pools", what: "node", label: "Node subnets from", example: "10.0.0.0/16" },
  { key: "pod_pools", what: "pod", label: "Pod ranges from", example: "100.64.0.0/10" },
  { key: "service_pools", what: "service", label: "Service ranges from", example: "172.20.0.0/16" },
];

/** The request keys of POOL_KINDS. */
export const POOL_KEYS = POOL_KINDS.map((k) => k.key);

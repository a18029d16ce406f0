// The built-in example of the talk, the same request as the core's `cidrplan::k8s::example()`
// (crates/cidrplan/src/k8s/example.rs). The worker takes the package's own `example()`; this
// copy is the fallback for a package built without it.

export const EXAMPLE_SPEC = Object.freeze({
  network: {
    pools: ["10.0.0.0/8"],
    allocations: [{ name: "other", cidr: "10.128.1.1/32", reachable: true }],
  },
  clusters: [
    {
      name: "cluster-1",
      nodes: 2,
      max_nodes: 250,
      max_pods_per_node: 110,
      services: 4096,
      node_subnet: "10.240.0.0/24",
    },
    {
      name: "cluster-2",
      nodes: 2,
      max_nodes: 250,
      max_pods_per_node: 110,
      services: 4096,
      node_subnet: "10.240.1.0/24",
    },
  ],
  requirements: {
    network_programmable: true,
    integration: "high",
    kubernetes_footprint: "large",
  },
  model: "auto",
});

/** A fresh, mutable copy of the example request. */
export function exampleSpec() {
  return structuredClone(EXAMPLE_SPEC);
}

// The core's configuration exports, in the order the exports panel shows them, with the
// labels and file names the page uses. Pure: shared by the page and the worker.

export const EXPORT_FORMATS = Object.freeze([
  { id: "kubeadm", label: "kubeadm", file: "kubeadm.yaml" },
  { id: "kcm-flags", label: "kube-controller-manager flags", file: "kcm-flags.txt" },
  { id: "calico", label: "Calico IPPool", file: "calico-ippool.yaml" },
  { id: "cilium", label: "Cilium Helm values", file: "cilium-values.yaml" },
  { id: "ip-masq-agent", label: "ip-masq-agent", file: "ip-masq-agent.yaml" },
  { id: "tfvars", label: "Terraform variables", file: "cidrplan.auto.tfvars.json" },
  { id: "node-nat", label: "node 1:1 NAT (nftables, mapped)", file: "node-nat.nft" },
  { id: "policy", label: "NetworkPolicy (isolated)", file: "networkpolicy.yaml" },
]);

/** The formats to offer for the package's list of ids (null: the package has no list). */
export function formatsFor(ids) {
  if (!Array.isArray(ids)) return EXPORT_FORMATS;
  return ids.map((id) => EXPORT_FORMATS.find((f) => f.id === id) ?? { id, label: id, file: `${id}.txt` });
}

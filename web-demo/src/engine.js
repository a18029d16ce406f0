// The one place the demo talks to the WebAssembly package. Optional functions
// (exportConfig, example) are looked up at run time so the demo works with package
// builds that do not have them yet.
import init, * as cidrplan from "cidrplan";
import { exampleSpec } from "./example-spec.js";

/** Export formats of the core, in the order the exports panel shows them. */
export const EXPORT_FORMATS = Object.freeze([
  { id: "kubeadm", label: "kubeadm", file: "kubeadm.yaml" },
  { id: "kcm-flags", label: "kube-controller-manager flags", file: "kcm-flags.txt" },
  { id: "calico", label: "Calico IPPool", file: "calico-ippool.yaml" },
  { id: "cilium", label: "Cilium Helm values", file: "cilium-values.yaml" },
  { id: "ip-masq-agent", label: "ip-masq-agent", file: "ip-masq-agent.yaml" },
  { id: "tfvars", label: "Terraform variables", file: "cidrplan.auto.tfvars.json" },
]);

const optional = (name) => {
  const fn = Reflect.get(cidrplan, name);
  return typeof fn === "function" ? fn : null;
};

/** Loads the WebAssembly module (fetched next to the bundled JS). */
export async function loadEngine() {
  await init();
}

export const plan = (spec) => cidrplan.plan(spec);
export const recommend = (spec) => cidrplan.recommend(spec);
export const overlaps = (items, options) => cidrplan.overlaps(items, options);

/** The formats to offer: the package's list when it has one (labels from ours), else ours. */
export function exportFormats() {
  const fn = optional("exportFormats");
  let ids = null;
  try {
    ids = fn ? fn() : null;
  } catch {
    ids = null;
  }
  if (!Array.isArray(ids)) return EXPORT_FORMATS;
  return ids.map((id) => EXPORT_FORMATS.find((f) => f.id === id) ?? { id, label: id, file: `${id}.txt` });
}

/** True when the package can render configuration exports. */
export const hasExports = () => optional("exportConfig") !== null;

/** The configuration text of `format` for `spec`; throws when the package has no exports. */
export function exportConfig(spec, format) {
  const fn = optional("exportConfig");
  if (!fn) throw new Error("this build of the cidrplan package has no exportConfig()");
  return fn(spec, format);
}

/** The built-in example request: the package's own when it has one, else the demo's copy. */
export function example() {
  const fn = optional("example");
  if (fn) {
    try {
      return fn();
    } catch {
      // fall back to the embedded copy
    }
  }
  return exampleSpec();
}

export const packageVersion = () => cidrplan.version();

// Configuration exports (kubeadm, Calico, Cilium, ...) of the plan on screen, to copy or
// download. The text comes from the core's exportConfig, run in the worker: until it
// arrives the panel shows the tabs and says it is rendering. Absent from older packages.
import { h, fill } from "./dom.js";
import { copyText, download } from "./downloads.js";

/**
 * `state`: {missing: true} when the package has no exports; else {formats, format (the
 * selected one), text or error (neither while rendering), onSelect(id)}.
 */
export function renderExports(container, state) {
  if (state.missing) {
    fill(container, h("p", { class: "note", id: "exports-missing" },
      "This build of the cidrplan package has no exportConfig() yet: rebuild bindings/wasm to get the kubeadm, kube-controller-manager, Calico, Cilium, ip-masq-agent and Terraform exports."));
    return;
  }
  const { formats, format, text, error, onSelect } = state;
  const status = h("span", { class: "status", role: "status" });
  let body;
  if (error !== undefined) {
    body = h("p", { class: "error" }, error);
  } else if (text === undefined) {
    body = h("p", { class: "note", id: "export-pending" }, h("span", { class: "spinner", "aria-hidden": "true" }), `Rendering ${format.label}…`);
  } else {
    body = [
      h("div", { class: "export-actions" },
        h("button", { type: "button", onclick: async () => { status.textContent = (await copyText(text)) ? "copied" : "copy failed: select the text"; } }, "Copy"),
        h("button", { type: "button", onclick: () => download(format.file, text, format.id === "tfvars" ? "application/json" : "text/plain") }, `Download ${format.file}`),
        status),
      h("pre", { class: "export-text", id: "export-text", tabindex: "0" }, text),
    ];
  }
  fill(container,
    h("div", { class: "tabs", role: "tablist" }, formats.map((f) =>
      h("button", { type: "button", role: "tab", "aria-selected": String(f.id === format.id), class: f.id === format.id ? "tab active" : "tab", dataset: { format: f.id },
        onclick: () => onSelect(f.id) }, f.label))),
    body);
}

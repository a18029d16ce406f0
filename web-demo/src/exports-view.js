// Configuration exports (kubeadm, Calico, Cilium, ...) of the plan on screen, to copy or
// download. Rendered by the core's exportConfig; absent from older package builds.
import { h, fill } from "./dom.js";
import { copyText, download } from "./downloads.js";
import { exportConfig, exportFormats, hasExports } from "./engine.js";

let selected = "kubeadm";

export function renderExports(container, spec) {
  if (!hasExports()) {
    fill(container, h("p", { class: "note", id: "exports-missing" },
      "This build of the cidrplan package has no exportConfig() yet: rebuild bindings/wasm to get the kubeadm, kube-controller-manager, Calico, Cilium, ip-masq-agent and Terraform exports."));
    return;
  }
  const formats = exportFormats();
  const format = formats.find((f) => f.id === selected) ?? formats[0];
  let text;
  let error = null;
  try {
    text = exportConfig(spec, format.id);
  } catch (err) {
    error = err.message;
  }
  const status = h("span", { class: "status", role: "status" });
  fill(container,
    h("div", { class: "tabs", role: "tablist" }, formats.map((f) =>
      h("button", { type: "button", role: "tab", "aria-selected": String(f.id === format.id), class: f.id === format.id ? "tab active" : "tab", dataset: { format: f.id },
        onclick: () => { selected = f.id; renderExports(container, spec); } }, f.label))),
    error
      ? h("p", { class: "error" }, error)
      : [
          h("div", { class: "export-actions" },
            h("button", { type: "button", onclick: async () => { status.textContent = (await copyText(text)) ? "copied" : "copy failed: select the text"; } }, "Copy"),
            h("button", { type: "button", onclick: () => download(format.file, text, format.id === "tfvars" ? "application/json" : "text/plain") }, `Download ${format.file}`),
            status),
          h("pre", { class: "export-text", id: "export-text", tabindex: "0" }, text),
        ]);
}

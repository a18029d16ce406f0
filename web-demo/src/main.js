// Entry point: load the WebAssembly core, then start the app. Any failure is shown on the
// page rather than leaving it blank.
import "./styles.css";
import { loadEngine } from "./engine.js";
import { App } from "./app.js";

function showFatal(message) {
  const box = document.getElementById("fatal");
  if (!box) return;
  box.hidden = false;
  box.textContent = message;
}

window.addEventListener("error", (ev) => showFatal(`Something went wrong: ${ev.message}`));
window.addEventListener("unhandledrejection", (ev) => showFatal(`Something went wrong: ${ev.reason?.message ?? ev.reason}`));

performance.mark("cidrplan:start");
try {
  await loadEngine();
  performance.mark("cidrplan:wasm-ready");
  new App().start();
} catch (err) {
  showFatal(`The planner could not start: ${err?.message ?? err}`);
}

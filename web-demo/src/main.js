// Entry point: start the planner's worker (it loads the WebAssembly core), then the app.
// Any failure is shown on the page rather than leaving it blank.
import "./styles.css";
import { Engine } from "./engine.js";
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
  const engine = new Engine();
  const info = await engine.start();
  performance.mark("cidrplan:wasm-ready");
  new App(engine, info).start();
} catch (err) {
  showFatal(`The planner could not start: ${err?.message ?? err}`);
}

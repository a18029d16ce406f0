import { defineConfig } from "vite";
import { preloadWasm } from "./scripts/preload-wasm-plugin.mjs";

// Relative asset paths: dist/ works from any static file server, at any path.
export default defineConfig({
  base: "./",
  plugins: [preloadWasm()],
  // The planner's worker (src/worker.js) is a module worker, bundled as an ES module.
  worker: { format: "es" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
  },
});

import { defineConfig } from "vite";

// Relative asset paths: dist/ works from any static file server, at any path.
export default defineConfig({
  base: "./",
  // The planner's worker (src/worker.js) is a module worker, bundled as an ES module.
  worker: { format: "es" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
  },
});

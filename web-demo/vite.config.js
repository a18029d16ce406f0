import { defineConfig } from "vite";

// Relative asset paths: dist/ works from any static file server, at any path.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
  },
});

// `npm run build`: make sure the cidrplan package is built, then write the static site
// to dist/ with Vite.
import { build } from "vite";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureWasm } from "./ensure-wasm.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
ensureWasm();
await build({ root, configFile: resolve(root, "vite.config.js"), logLevel: "info" });

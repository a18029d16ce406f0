// Builds the cidrplan npm package (../bindings/wasm) when its browser build is missing,
// or always with CIDRPLAN_WASM_REBUILD=1. A build older than the Rust sources is only
// reported: rebuilding the size-tuned WebAssembly takes minutes.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wasmPkg = resolve(here, "../../bindings/wasm");
const repo = resolve(wasmPkg, "../..");
const built = join(wasmPkg, "pkg/web/cidrplan_bg.wasm");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function ensureWasm() {
  const force = process.env.CIDRPLAN_WASM_REBUILD === "1";
  if (existsSync(built) && !force) {
    const sources = Math.max(newestMtime(join(repo, "crates/cidrplan/src")), newestMtime(join(wasmPkg, "src")), newestMtime(join(wasmPkg, "js")));
    if (sources > statSync(built).mtimeMs) {
      console.warn("web-demo: bindings/wasm/pkg is older than the Rust sources; CIDRPLAN_WASM_REBUILD=1 rebuilds it");
    }
    return;
  }
  console.log(`web-demo: building the cidrplan npm package (${force ? "CIDRPLAN_WASM_REBUILD=1" : "pkg/web missing"})`);
  if (!existsSync(join(wasmPkg, "node_modules"))) {
    // Its dev dependencies bring wasm-opt (binaryen); the build works without, only larger.
    execFileSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: wasmPkg, stdio: "inherit" });
  }
  execFileSync(npm, ["run", "build", "--prefix", wasmPkg], { stdio: "inherit" });
  if (!existsSync(built)) throw new Error(`building bindings/wasm did not produce ${built}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureWasm();

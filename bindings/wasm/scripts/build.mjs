// Builds the npm package from the Rust sources into pkg/:
//   pkg/node/  CommonJS (wasm-bindgen --target nodejs) + an ESM wrapper: no init() needed
//   pkg/web/   ESM with init() (wasm-bindgen --target web), for browsers and bundlers
// Steps: cargo build (wasm32, size-tuned profile) -> wasm-bindgen (pinned CLI) -> wasm-opt
// (binaryen) when installed. Environment: CARGO_TARGET_DIR (default <repo>/target),
// CIDRPLAN_WASM_DEBUG=1 for a debug build with the panic hook and no wasm-opt.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { declarations } from "./types.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const pkgRoot = resolve(here, "..");
const repoRoot = resolve(pkgRoot, "../..");
const outDir = join(pkgRoot, "pkg");
const debug = process.env.CIDRPLAN_WASM_DEBUG === "1";
const targetDir = process.env.CARGO_TARGET_DIR || join(repoRoot, "target");
const profile = debug ? "dev" : "wasm-release";
/** Whether `cargo +nightly` works here and nightly has the standard library's sources. */
function nightlyWithSource() {
  const sysroot = spawnSync("rustc", ["+nightly", "--print", "sysroot"], { encoding: "utf8" });
  if (sysroot.status !== 0) return false;
  return existsSync(join(sysroot.stdout.trim(), "lib", "rustlib", "src", "rust", "library", "std"));
}
const run = (cmd, args, opts = {}) => {
  console.log(`> ${cmd} ${args.join(" ")}`);
  execFileSync(cmd, args, { stdio: "inherit", cwd: repoRoot, ...opts });
};

// The pinned wasm-bindgen crate version: the CLI must match it exactly.
const manifest = readFileSync(join(pkgRoot, "Cargo.toml"), "utf8");
const pin = manifest.match(/^wasm-bindgen\s*=.*"=([0-9.]+)"/m)?.[1];
if (!pin) throw new Error("no '=X.Y.Z' wasm-bindgen pin in bindings/wasm/Cargo.toml");
const cli = spawnSync("wasm-bindgen", ["--version"], { encoding: "utf8" });
const cliVersion = cli.stdout?.trim().split(/\s+/)[1];
if (cliVersion !== pin) {
  throw new Error(
    `wasm-bindgen CLI ${cliVersion ?? "(missing)"} does not match the crate pin ${pin}: ` +
      "run scripts/install-wasm-tools.sh",
  );
}

// Size-tuned profile, given on the command line so the workspace manifest stays untouched.
// With nightly and its rust-src, the standard library is rebuilt with the same profile and
// panics that abort at once, which drops its panic and formatting machinery (about 20 KB);
// without them the build uses stable's prebuilt standard library and says so.
const nightlyStd = !debug && process.env.CIDRPLAN_WASM_STABLE !== "1" && nightlyWithSource();
const profileFlags = debug
  ? []
  : [
      ["inherits", '"release"'],
      ["opt-level", '"z"'],
      ["lto", "true"],
      ["codegen-units", "1"],
      ["panic", nightlyStd ? '"immediate-abort"' : '"abort"'],
      ["debug", "false"],
      // The set algebra spends its time in these: the allocator, and with the standard
      // library rebuilt, core and the integer helpers.
      ...["talc", ...(nightlyStd ? ["compiler_builtins", "core"] : [])].map((p) => [`package.${p}.opt-level`, "3"]),
    ].flatMap(([k, v]) => ["--config", `profile.wasm-release.${k}=${v}`]);
// With the standard library rebuilt, the module is built without reference types: values
// then cross through wasm-bindgen's JS-side table instead of an externref table and a shim
// per export, about 1 KB less WebAssembly (and a little more JS glue).
const targetFlags = nightlyStd
  ? ["--config", 'target.wasm32-unknown-unknown.rustflags=["-Ctarget-feature=-reference-types"]']
  : [];
// `optimize_for_size` swaps the standard library's sorts and number formatting for their
// small variants (about 10 KB, 4.5 KB gzipped); the hot sorts are the crate's own anyway.
const stdFlags = nightlyStd
  ? ["+nightly", "build", "-Zbuild-std=std,panic_abort", "-Zbuild-std-features=optimize_for_size", "-Zpanic-immediate-abort"]
  : ["build"];
if (!debug && !nightlyStd) {
  console.warn(
    "WARNING: no nightly toolchain with rust-src (scripts/install-wasm-tools.sh installs it): " +
      "building on stable with its prebuilt standard library, so the .wasm is larger",
  );
}
const features = debug ? ["--features", "panic-hook"] : [];
run("cargo", [
  ...stdFlags,
  "-p",
  "cidrplan-wasm",
  "--lib",
  "--target",
  "wasm32-unknown-unknown",
  "--profile",
  profile,
  ...profileFlags,
  ...targetFlags,
  ...features,
], { env: { ...process.env, CARGO_TARGET_DIR: targetDir } });
const profileDir = debug ? "debug" : profile;
const wasm = join(targetDir, "wasm32-unknown-unknown", profileDir, "cidrplan_wasm.wasm");

rmSync(outDir, { recursive: true, force: true });
const bindgen = (target, dir) =>
  run("wasm-bindgen", [wasm, "--out-dir", dir, "--out-name", "cidrplan", "--target", target]);
bindgen("nodejs", join(outDir, "node"));
bindgen("web", join(outDir, "web"));

// wasm-opt shrinks the module further; the package still works without it. Binaryen
// before 116 exports the wrong table once wasm-bindgen adds its externref table
// (Debian bookworm ships 108), so an old system wasm-opt is passed over for the
// devDependency `binaryen`, whose wasm-opt runs on Node.
const wasmFiles = [join(outDir, "node", "cidrplan_bg.wasm"), join(outDir, "web", "cidrplan_bg.wasm")];
const optVersion = (cmd) => {
  const r = spawnSync(cmd, ["--version"], { encoding: "utf8" });
  const v = r.status === 0 ? r.stdout.match(/version\s+(\d+)/) : null;
  return v ? Number(v[1]) : null;
};
const MIN_BINARYEN = 116;
const candidates = ["wasm-opt", join(pkgRoot, "node_modules", ".bin", "wasm-opt")];
let wasmOpt = null;
for (const cmd of candidates) {
  const v = optVersion(cmd);
  if (v !== null && v >= MIN_BINARYEN) {
    wasmOpt = { cmd, version: v };
    break;
  }
  if (v !== null) console.warn(`${cmd} is binaryen ${v} (< ${MIN_BINARYEN}): not used`);
}
let optimized = false;
if (debug) {
  console.log("debug build: wasm-opt skipped");
} else if (!wasmOpt) {
  console.warn(
    `WARNING: no wasm-opt >= ${MIN_BINARYEN} (npm install, or apt-get install binaryen): the .wasm is not optimized`,
  );
} else {
  for (const file of wasmFiles) {
    // Rust's wasm32 target emits these post-MVP features; wasm-opt must be told to keep them.
    run(wasmOpt.cmd, [
      // -O1, not -Oz: what is downloaded is the gzipped module, and -Oz's output, 58 KiB
      // smaller raw, gzips 26 KiB larger (binaryen 132 on this module: 653.1 KiB raw /
      // 235.1 KiB gzipped with -O1, 611.6 / 260.9 with -Oz, 678.9 / 238.0 with no passes;
      // the README's "Size" has the comparison).
      "-O1",
      "--enable-bulk-memory",
      "--enable-sign-ext",
      "--enable-mutable-globals",
      "--enable-nontrapping-float-to-int",
      "--enable-multivalue",
      "--enable-reference-types",
      // Tool names and the feature list: nothing a runtime reads.
      "--strip-producers",
      "--strip-target-features",
      file,
      "-o",
      file,
    ]);
  }
  optimized = `binaryen ${wasmOpt.version}`;
}

// pkg/node holds CommonJS while the package is "type": "module". The nodejs target
// require()s the crate's JS snippets (js/*.js, written as ES modules for the web build),
// so their `export function` lines are turned into CommonJS exports here.
writeFileSync(join(outDir, "node", "package.json"), JSON.stringify({ type: "commonjs" }, null, 2) + "\n");
const snippetDir = join(outDir, "node", "snippets");
for (const file of existsSync(snippetDir) ? readdirSync(snippetDir, { recursive: true }) : []) {
  if (!String(file).endsWith(".js")) continue;
  const path = join(snippetDir, String(file));
  const source = readFileSync(path, "utf8");
  const names = [...source.matchAll(/^export function (\w+)/gm)].map((m) => m[1]);
  if (/^export (?!function )/m.test(source)) throw new Error(`${path}: only 'export function' is supported`);
  writeFileSync(
    path,
    source.replace(/^export function /gm, "function ") + `\nmodule.exports = { ${names.join(", ")} };\n`,
  );
}

// The ESM entry for Node re-exports the CommonJS build (loaded synchronously, so no init
// call is needed), plus no-op init()/initSync() so code written for the web build runs as is.
const names = Object.keys(createRequire(import.meta.url)(join(outDir, "node", "cidrplan.js")))
  .filter((n) => !n.startsWith("__"))
  .sort();
writeFileSync(
  join(outDir, "node", "index.mjs"),
  [
    "// Generated by scripts/build.mjs: the ESM entry of the package in Node.",
    'import wasm from "./cidrplan.js";',
    "",
    `export const { ${names.join(", ")} } = wasm;`,
    "",
    "/** Nothing to do in Node: the module is instantiated synchronously on import. */",
    "export default async function init() {}",
    "",
    "/** Nothing to do in Node: the module is instantiated synchronously on import. */",
    "export function initSync() {}",
    "",
  ].join("\n"),
);
copyFileSync(join(pkgRoot, "js", "index.d.mts"), join(outDir, "node", "index.d.mts"));

// The CommonJS entry for Node: the same functions plus no-op init()/initSync(), marked as
// an ES module's namespace (__esModule) so TypeScript compiled to CommonJS finds
// `import init from "cidrplan"` where its types (index.d.cts) say it is.
writeFileSync(
  join(outDir, "node", "index.cjs"),
  [
    "// Generated by scripts/build.mjs: the CommonJS entry of the package in Node.",
    '"use strict";',
    'const wasm = require("./cidrplan.js");',
    "",
    'Object.defineProperty(exports, "__esModule", { value: true });',
    ...names.map((n) => `exports.${n} = wasm.${n};`),
    "",
    "/** Nothing to do in Node: the module is instantiated synchronously on require. */",
    "async function init() {}",
    "",
    "/** Nothing to do in Node: the module is instantiated synchronously on require. */",
    "function initSync() {}",
    "",
    "exports.default = init;",
    "exports.initSync = initSync;",
    "",
  ].join("\n"),
);
copyFileSync(join(pkgRoot, "js", "index.d.cts"), join(outDir, "node", "index.d.cts"));

// The browser and bundler entry: wasm-bindgen's web build behind functions that throw a
// real Error naming init() when called before it, instead of a TypeError from inside the
// glue; init() without an argument that cannot fetch the .wasm says what to pass instead.
writeFileSync(
  join(outDir, "web", "index.js"),
  [
    "// Generated by scripts/build.mjs: the entry of the package in browsers and bundlers.",
    'import bindgenInit, * as wasm from "./cidrplan.js";',
    'import { notReady, notFetched } from "./guard.js";',
    "",
    "let ready = false;",
    "",
    "/** Loads the WebAssembly module; await it once before calling any function. */",
    "export default async function init(moduleOrPath) {",
    "  let out;",
    "  try {",
    "    out = await bindgenInit(moduleOrPath);",
    "  } catch (err) {",
    "    throw moduleOrPath === undefined ? notFetched(err) : err;",
    "  }",
    "  ready = true;",
    "  return out;",
    "}",
    "",
    "/** Instantiates the module synchronously from its bytes or a compiled module. */",
    "export function initSync(module) {",
    "  const out = wasm.initSync(module);",
    "  ready = true;",
    "  return out;",
    "}",
    "",
    ...names
      .filter((n) => n !== "initSync")
      .flatMap((n) => [
        `export function ${n}(...args) {`,
        `  if (!ready) throw notReady(${JSON.stringify(n)});`,
        `  return wasm.${n}(...args);`,
        "}",
        "",
      ]),
  ].join("\n"),
);
copyFileSync(join(pkgRoot, "js", "guard.js"), join(outDir, "web", "guard.js"));
copyFileSync(join(pkgRoot, "js", "index.d.ts"), join(outDir, "web", "index.d.ts"));
copyFileSync(join(pkgRoot, "js", "wasm-url.d.ts"), join(outDir, "web", "wasm-url.d.ts"));

// The TypeScript declarations (wire types generated from the core's JSON Schemas, then the
// functions), put before what wasm-bindgen declared (init() and initSync() in the web
// build); and the schemas themselves, as `cidrplan/schemas/NAME.json`.
const dts = await declarations(pkgRoot);
for (const dir of ["node", "web"]) {
  const file = join(outDir, dir, "cidrplan.d.ts");
  writeFileSync(file, dts + "\n" + readFileSync(file, "utf8"));
}
const schemaDir = join(repoRoot, "schemas");
mkdirSync(join(outDir, "schemas"), { recursive: true });
for (const file of readdirSync(schemaDir).filter((f) => f.endsWith(".json"))) {
  copyFileSync(join(schemaDir, file), join(outDir, "schemas", file));
}

// The licence files ship at the package root (npm packs only what lies under it).
for (const file of ["LICENSE-MIT", "LICENSE-APACHE"]) copyFileSync(join(repoRoot, file), join(pkgRoot, file));

const sizes = {};
for (const file of wasmFiles) {
  const bytes = readFileSync(file);
  sizes[file.slice(outDir.length + 1)] = { raw: statSync(file).size, gzip: gzipSync(bytes, { level: 9 }).length };
}
const std = debug ? "prebuilt" : nightlyStd ? "rebuilt for size (nightly, immediate-abort panics)" : "prebuilt (stable)";
writeFileSync(join(outDir, "build-info.json"), JSON.stringify({ profile, std, optimized, exports: names, sizes }, null, 2) + "\n");
for (const [file, s] of Object.entries(sizes)) {
  console.log(`${file}: ${(s.raw / 1024).toFixed(1)} KiB raw, ${(s.gzip / 1024).toFixed(1)} KiB gzipped${optimized ? ` (wasm-opt -O1, ${optimized})` : ""}`);
}

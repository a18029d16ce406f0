// Builds the page in app/ with each bundler the way its users do, into a directory that
// browser.test.mjs serves (and starts Vite's dev server on it): esbuild from its command line with the one flag the README
// documents, webpack 5 and Vite through their APIs with no cidrplan-specific settings.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer as viteServer, build as viteBuild } from "vite";
import webpack from "webpack";

export const here = dirname(fileURLToPath(import.meta.url));
const appDir = join(here, "app");
const page = readFileSync(join(appDir, "index.html"), "utf8");

/** esbuild: `esbuild main.js --bundle --format=esm --loader:.wasm=file --outdir=OUT`. */
export function esbuildBundle(out) {
  execFileSync(
    join(here, "node_modules", ".bin", "esbuild"),
    [join(appDir, "main-esbuild.js"), "--bundle", "--format=esm", "--loader:.wasm=file", `--outdir=${out}`, "--log-level=warning"],
    { stdio: "inherit" },
  );
  writeFileSync(join(out, "index.html"), page.replace("./main.js", "./main-esbuild.js"));
}

/** webpack 5 in production mode, default settings: `new URL(..., import.meta.url)` emits the .wasm. */
export function webpackBundle(out) {
  const compiler = webpack({
    mode: "production",
    context: appDir,
    entry: "./main.js",
    output: { path: out, filename: "main.js" },
    // The .wasm is over webpack's 244 KiB advice; that is a hint, not a failure.
    performance: { hints: false },
  });
  return new Promise((resolve, reject) => {
    compiler.run((err, stats) => {
      compiler.close(() => {});
      if (err) return reject(err);
      if (stats.hasErrors() || stats.hasWarnings()) return reject(new Error(stats.toString("errors-warnings")));
      // A webpack bundle is a classic script.
      writeFileSync(join(out, "index.html"), page.replace('type="module" ', ""));
      resolve();
    });
  });
}

/** Vite's production build of app/index.html. */
export async function viteBundle(out, cacheDir) {
  await viteBuild({
    root: appDir,
    configFile: false,
    logLevel: "warn",
    cacheDir,
    build: { outDir: out, emptyOutDir: true },
  });
}

/** Vite's dev server on app/ (127.0.0.1, a free port), its dependency optimizer on. */
export async function viteDevServer(cacheDir) {
  const server = await viteServer({
    root: appDir,
    configFile: false,
    logLevel: "warn",
    cacheDir,
    server: { host: "127.0.0.1", port: 0, strictPort: false },
  });
  await server.listen();
  return server;
}

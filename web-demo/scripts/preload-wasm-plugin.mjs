// A Vite plugin that adds <link rel="preload"> for the bundled .wasm to index.html, so
// the browser fetches the core while it still parses the JavaScript that will ask for it.

export function preloadWasm() {
  return {
    name: "cidrplan-preload-wasm",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const wasm = Object.keys(ctx.bundle ?? {}).filter((file) => file.endsWith(".wasm"));
        return wasm.map((file) => ({
          tag: "link",
          attrs: { rel: "preload", href: `./${file}`, as: "fetch", type: "application/wasm", crossorigin: "anonymous" },
          injectTo: "head",
        }));
      },
    },
  };
}

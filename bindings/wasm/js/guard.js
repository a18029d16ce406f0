// The errors of the browser entry (pkg/web/index.js) before the module is loaded: real
// Error objects with a `code`, as every other cidrplan error, that say what to do.

/** Error for a function called before init() resolved. */
export function notReady(name) {
  const err = new Error(
    `cidrplan: ${name}() was called before the WebAssembly module was loaded: ` +
      "call `await init()` (the default export) once first",
  );
  err.name = "CidrplanError";
  err.code = "not_initialized";
  return err;
}

/** Error for init() without an argument that could not load cidrplan_bg.wasm beside the module. */
export function notFetched(cause) {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const err = new Error(
    `cidrplan: init() could not load cidrplan_bg.wasm next to the module (${detail}). ` +
      "A bundler that does not follow `new URL(..., import.meta.url)` (esbuild) needs it passed: " +
      '`import wasm from "cidrplan/cidrplan_bg.wasm"` with the file loader for .wasm, ' +
      "then `await init({ module_or_path: wasm })`",
    { cause },
  );
  err.name = "CidrplanError";
  err.code = "not_initialized";
  return err;
}

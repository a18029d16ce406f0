// Types of the browser and bundler entry (pkg/web/index.js): wasm-bindgen's web build,
// whose functions throw `not_initialized` until init() has resolved.
export * from "./cidrplan.js";
export { default } from "./cidrplan.js";

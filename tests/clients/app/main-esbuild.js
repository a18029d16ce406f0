// The page's entry for esbuild, which does not follow `new URL(..., import.meta.url)`: the
// .wasm is imported through the package's export and esbuild's file loader
// (`--loader:.wasm=file`), then handed to init(), as the README documents.
import wasm from "cidrplan/cidrplan_bg.wasm";
import { check, report } from "./checks.js";

report(check({ module_or_path: wasm }));

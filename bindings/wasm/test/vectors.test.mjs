// The shared cases of tests/vectors/*.json, run against the built package exactly as the
// Rust and Python tests run them. The file name is the operation (errors.json names it per
// case in "op"). A file for an operation the brief does not list is skipped; a file for a
// listed operation whose function the package lacks fails. Cases with "match": "subset"
// compare by the subset rule of docs/ARCHITECTURE.md (plans carry more than a case pins).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import * as cidrplan from "cidrplan";
import { OPERATIONS, assertPlain, callWire, subsetMismatch, vectorsDir } from "./support.mjs";

const files = readdirSync(vectorsDir).filter((f) => f.endsWith(".json")).sort();

test("the shared vectors exist", () => {
  assert.ok(files.length > 0, `no vectors in ${vectorsDir}`);
});

for (const file of files) {
  const fileOp = file.replace(/\.json$/, "");
  const cases = JSON.parse(readFileSync(join(vectorsDir, file), "utf8"));
  describe(file, () => {
    for (const c of cases) {
      const op = c.op ?? fileOp;
      const known = Object.hasOwn(OPERATIONS, op);
      test(c.name, { skip: known ? false : `no operation "${op}" in the brief` }, () => {
        const fn = OPERATIONS[op].fn;
        assert.equal(typeof cidrplan[fn], "function", `${file} has cases for ${op} but cidrplan.${fn} is missing`);
        if (c.error) {
          assert.throws(
            () => callWire(cidrplan, op, c.input),
            (err) => {
              assert.ok(err instanceof Error, `threw a non-Error: ${err}`);
              assert.equal(err.code, c.error.code, `code of: ${err.message}`);
              if (c.error.message !== undefined) assert.equal(err.message, c.error.message);
              if (c.error.message_contains !== undefined) {
                assert.ok(err.message.includes(c.error.message_contains), `"${err.message}" lacks "${c.error.message_contains}"`);
              }
              assert.ok(err.message.length > 0);
              return true;
            },
          );
        } else {
          const got = callWire(cidrplan, op, c.input);
          assertPlain(got);
          if (c.match === "subset") {
            const where = subsetMismatch(c.expected, got);
            assert.equal(where, undefined, where);
          } else {
            assert.deepStrictEqual(got, c.expected);
          }
        }
      });
    }
  });
}

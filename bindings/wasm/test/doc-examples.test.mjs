// The documentation's JavaScript and TypeScript examples, run against the built package.
//
// The pages are found by listing (README.md, docs/*.md, bindings/*/README.md,
// web-demo/README.md, tests/clients/README.md), so a new example runs without an edit here.
// Every ```js block runs in Node as a file inside the package, so `from "cidrplan"` and
// `require("cidrplan")` resolve to this build (CommonJS when the block calls `require`).
// A ```ts block is type-checked with the package's TypeScript (nodenext, strict), then
// run. What a page shows a statement returns is checked: a comment that begins with a
// literal (`{`, `[`, a string, a number, true, false, null), after the statement on its
// line or on the lines right after it, is the value the statement gives, compared as JSON
// (`// "island", with its reasons`: the longest start that reads as a literal is the value,
// the rest is prose). Other comments are prose.
//
// An example is left out only by a marker right before its fence, with a reason
// (`<!-- example: skip: REASON -->`). The test prints what it ran and left out per page.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";

import ts from "typescript";

import { pkgRoot, repoRoot } from "./support.mjs";

const MARKER = /^\s*<!--\s*example:\s*skip\s*(?:`([^`]*)`)?\s*:\s*(.+?)\s*-->\s*$/;
const LITERAL_START = /^(\{|\[|"|'|-?\d|true\b|false\b|null\b)/;
const DECLARATION = /^(const|let|var|import|export|return|function|class|if|for|while|try)\b/;

function markdownIn(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => join(dir, f));
}

/** The pages whose examples run, found by listing. */
function pages() {
  const bindings = readdirSync(join(repoRoot, "bindings"))
    .sort()
    .map((d) => join(repoRoot, "bindings", d, "README.md"))
    .filter(existsSync);
  const extra = ["web-demo/README.md", "tests/clients/README.md"].map((p) => join(repoRoot, p)).filter(existsSync);
  return [join(repoRoot, "README.md"), ...markdownIn(join(repoRoot, "docs")), ...bindings, ...extra];
}

/** Fenced blocks: language, lines (without the fence's indentation), first line, markers. */
function blocks(text) {
  const out = [];
  let current = null;
  let pending = [];
  text.split("\n").forEach((line, index) => {
    const stripped = line.replace(/^ +/, "");
    const indent = line.length - stripped.length;
    if (stripped.startsWith("```")) {
      if (current === null) {
        current = { indent, lang: stripped.slice(3).trim().split(/\s+/)[0] ?? "", lines: [], line: index + 2, skips: pending };
        pending = [];
      } else {
        out.push(current);
        current = null;
      }
    } else if (current !== null) {
      const cut = Math.min(line.length - line.replace(/^ +/, "").length, current.indent);
      current.lines.push(line.slice(cut));
    } else {
      const m = MARKER.exec(line);
      pending = m ? [...pending, { prefix: m[1] ?? null, reason: m[2] }] : [];
    }
  });
  return out;
}

/** The literal a shown comment starts with, as source text; null for prose. */
function shownLiteral(comment) {
  const text = comment.trim();
  if (!LITERAL_START.test(text)) return null;
  const cuts = [text.length];
  for (let i = text.length - 1; i > 0; i--) if (",;:—(".includes(text[i])) cuts.push(i);
  for (const cut of cuts) {
    const candidate = text.slice(0, cut).trim();
    try {
      new Function(`return (${candidate});`);
      return candidate;
    } catch {
      // not a literal yet: try a shorter start
    }
  }
  throw new Error(`a shown value that reads as no literal: // ${comment}`);
}

/** Splits a line into code and its trailing `//` comment (not inside a string). */
function splitComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "/" && line[i + 1] === "/") return [line.slice(0, i), line.slice(i + 2)];
  }
  return [line, null];
}

/**
 * The block as a program that checks each shown value: the statement before a shown
 * comment becomes `__check(id, (statement), () => (literal))`.
 */
export function instrument(lines) {
  const out = [...lines];
  const checks = [];
  const isBoundary = (code) => code.trim() === "" || /[;{}]$/.test(code.trim());
  const statementEnding = (end) => {
    let start = end;
    while (start > 0) {
      const [prev] = splitComment(out[start - 1]);
      if (isBoundary(prev)) break;
      start--;
    }
    return start;
  };
  const wrap = (start, end, literal, where) => {
    const code = out
      .slice(start, end + 1)
      .map((l) => splitComment(l)[0])
      .join("\n")
      .trim()
      .replace(/;$/, "");
    if (DECLARATION.test(code)) throw new Error(`line ${where}: a shown value after a declaration: ${code}`);
    const id = checks.length;
    checks.push({ line: where, code, literal });
    out[start] = `__check(${id}, (${code}), () => (${literal}));`;
    for (let k = start + 1; k <= end; k++) out[k] = "";
  };
  for (let i = 0; i < out.length; i++) {
    const [code, comment] = splitComment(out[i]);
    if (code.trim() === "" || !code.trim().endsWith(";")) continue;
    let literal = null;
    if (comment !== null) {
      literal = shownLiteral(comment);
    } else {
      let j = i + 1;
      const parts = [];
      while (j < out.length && /^\s*\/\//.test(out[j])) parts.push(splitComment(out[j++])[1]);
      if (parts.length > 0) literal = shownLiteral(parts.join(" "));
    }
    if (literal !== null) wrap(statementEnding(i), i, literal, i + 1);
  }
  const prelude = [
    "const __seen = [];",
    "function __check(id, got, expected) {",
    "  const plain = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));",
    "  __seen.push({ id, got: plain(got), expected: plain(expected()) });",
    "  return got;",
    "}",
    'process.on("exit", () => console.log("__DOC_CHECKS__" + JSON.stringify(__seen)));',
  ];
  return { source: [...prelude, ...out].join("\n") + "\n", checks, preludeLines: prelude.length };
}

function tsc() {
  return join(pkgRoot, "node_modules", "typescript", "bin", "tsc");
}

/** Runs one block; returns the failures. */
function runBlock(dir, name, block, index) {
  const failures = [];
  const where = `${name}:${block.line}`;
  let program;
  try {
    program = instrument(block.lines);
  } catch (err) {
    return [`${where}: ${err.message}`];
  }
  const commonjs = /\brequire\(/.test(block.lines.join("\n"));
  const base = join(dir, `example-${index}`);
  let file;
  if (block.lang === "ts") {
    const source = `${base}.mts`;
    writeFileSync(source, block.lines.join("\n") + "\nexport {};\n");
    const typed = spawnSync(
      process.execPath,
      [tsc(), "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--skipLibCheck", source],
      { encoding: "utf8" },
    );
    if (typed.status !== 0) return [`${where}: tsc refused the example:\n${typed.stdout}${typed.stderr}`];
    // The program run is the instrumented one, its types stripped.
    const js = ts.transpileModule(program.source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(`${base}-run.mjs`, js.outputText);
    file = `${base}-run.mjs`;
  } else {
    file = `${base}.${commonjs ? "cjs" : "mjs"}`;
    writeFileSync(file, program.source);
  }
  const run = spawnSync(process.execPath, [file], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  if (run.status !== 0) {
    failures.push(`${where}: the example failed (exit ${run.status}):\n${run.stderr}`);
    return failures;
  }
  const line = run.stdout.split("\n").find((l) => l.startsWith("__DOC_CHECKS__"));
  const seen = line ? JSON.parse(line.slice("__DOC_CHECKS__".length)) : [];
  program.checks.forEach((check, id) => {
    const got = seen.find((s) => s.id === id);
    if (!got) {
      failures.push(`${name}:${block.line + check.line - 1}: \`${check.code}\` never ran, so what the page shows went unchecked`);
      return;
    }
    try {
      assert.deepStrictEqual(got.got, got.expected);
    } catch {
      failures.push(
        `${name}:${block.line + check.line - 1}: \`${check.code}\` gives\n${JSON.stringify(got.got)}\nbut the page shows\n${JSON.stringify(got.expected)}`,
      );
    }
  });
  return failures;
}

test("every JavaScript and TypeScript example runs and gives what the page shows", () => {
  const dir = mkdtempSync(join(pkgRoot, ".doc-examples-"));
  const failures = [];
  const report = [];
  let ran = 0;
  let checked = 0;
  try {
    let index = 0;
    for (const page of pages()) {
      const name = relative(repoRoot, page);
      const tally = { ran: [], excluded: [] };
      for (const block of blocks(readFileSync(page, "utf8"))) {
        if (!["js", "mjs", "cjs", "ts"].includes(block.lang)) continue;
        const what = `${block.lang} block at line ${block.line}`;
        const skip = block.skips.find((s) => s.prefix === null);
        if (skip) {
          tally.excluded.push(`${what} (${skip.reason})`);
          continue;
        }
        failures.push(...runBlock(dir, name, block, index++));
        const shown = instrumentCount(block.lines);
        checked += shown;
        tally.ran.push(`${what} (${shown} shown value${shown === 1 ? "" : "s"} checked)`);
        ran++;
      }
      if (tally.ran.length || tally.excluded.length) {
        report.push(`  ${name}: ran ${tally.ran.length}, excluded ${tally.excluded.length}`);
        for (const r of tally.ran) report.push(`      ran: ${r}`);
        for (const e of tally.excluded) report.push(`      excluded: ${e}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`JavaScript/TypeScript examples per page (${ran} run, ${checked} shown values checked):\n${report.join("\n")}`);
  assert.deepEqual(failures, [], failures.join("\n\n"));
  assert.ok(ran >= 6, `the pages' examples ran (${ran})`);
});

function instrumentCount(lines) {
  try {
    return instrument(lines).checks.length;
  } catch {
    return 0;
  }
}

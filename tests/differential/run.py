"""Differential test: the same random cases (fixed seed) through every surface, which must
give identical JSON (errors: identical codes).

Surfaces:
  core    the Rust core's wire functions (`cargo build -p cidrplan --example wire_jsonl`)
  cli     the `cidrplan` binary with --json, or --format for exports (cases the
          line/argument syntax cannot express are left out: blank, padded or spaced text)
  node    the npm package's Node build (bindings/wasm/pkg/node)
  python  the installed Python module (run this script with the venv's python)

A surface whose build is missing is skipped with a loud notice; fewer than two surfaces is
a failure (nothing was compared). Mismatches are listed and written to
test-output/differential-mismatches.json.

    python tests/differential/run.py --count 3500 --seed 20261125
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
from typing import Any, Callable

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import cases as case_gen  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))

Answer = dict[str, Any]  # {"ok": value} or {"error": {"code": ...}}


def canonical(answer: Answer) -> str:
    if "error" in answer:
        return "error:" + str(answer["error"].get("code"))
    return json.dumps(answer["ok"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def run_jsonl(command: list[str], cases: list[dict[str, Any]]) -> list[Answer]:
    """Runs a driver that answers each `OP<TAB>INPUT` line with one JSON line."""
    text = "".join(f"{c['op']}\t{json.dumps(c['input'])}\n" for c in cases)
    done = subprocess.run(command, input=text, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} exited {done.returncode}: {done.stderr[-2000:]}")
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(answers) != len(cases):
        raise RuntimeError(f"{command[0]} answered {len(answers)} of {len(cases)} cases")
    return answers


# ---------------------------------------------------------------- the CLI


ERROR_CODE = re.compile(r"error\[([a-z_]+)\]")


def _cli_expressible(value: Any) -> bool:
    """Whether every string in the case survives the line syntax (no padding, no blanks)."""
    if isinstance(value, str):
        return value != "" and not any(c.isspace() or c in "#=\0" for c in value)
    if isinstance(value, list):
        return all(_cli_expressible(v) for v in value)
    if isinstance(value, dict):
        return all(_cli_expressible(k) and _cli_expressible(v) for k, v in value.items())
    return True


def cli_args(op: str, data: dict[str, Any]) -> tuple[list[str], str] | None:
    """The CLI arguments and stdin of a case, or None if the CLI cannot say it."""
    if op in ("plan", "recommend"):
        return [op, "-", "--json"], json.dumps(data)
    if op == "export":
        force = ["--force"] if data.get("force") else []
        return ["plan", "-", "--format", data["format"], *force], json.dumps(data["spec"])
    if op == "import":
        if data["format"] not in case_gen.IMPORT_FORMATS + ["auto"]:
            return None  # clap refuses an unknown --from before the core sees it
        from_ = [] if data["format"] == "auto" else ["--from", data["format"]]
        return ["import", "-", *from_, "--json"], data["text"]
    if not _cli_expressible(data):
        return None
    flags = ["--json"] + (["--lenient"] if data.get("lenient") else [])
    if op == "overlaps":
        items = data["items"]
        if isinstance(items, dict):
            lines = [f"{k} {v}" for k, v in items.items()]
        else:
            lines = [f"{i[0]} {i[1]}" if isinstance(i, list) else i for i in items]
        if "max_listed" in data:
            flags += ["--max-listed", str(data["max_listed"])]
        return ["overlaps", *flags], "".join(line + "\n" for line in lines)
    if op == "aggregate":
        return ["aggregate", *flags], "".join(p + "\n" for p in data["prefixes"])
    if op == "exclude":
        return ["exclude", data["parent"], *flags], "".join(p + "\n" for p in data["used"])
    if op == "carve":
        args = ["carve", *data["pools"], *flags]
        pins, sized = [], []
        for name, size in data["requests"]:
            if isinstance(size, dict):
                pins += ["--pin", f"{name}={size['pinned']}"]
            else:
                sized += ["-r", f"{name}={size}"]
        for r in data.get("reserved", []):
            args += ["--reserve", r]
        args += ["--strategy", data.get("strategy", "best-fit")]
        return args + pins + sized, ""
    return None


def lock_file_case(binary: pathlib.Path, op: str, data: dict[str, Any]) -> Answer | None:
    """`plan - --previous FILE --release NAME` and `diff OLD NEW`, through files."""
    with tempfile.TemporaryDirectory() as tmp:
        def write(name: str, value: Any) -> str:
            path = pathlib.Path(tmp) / name
            path.write_text(json.dumps(value))
            return str(path)

        if op == "replan":
            args = ["plan", "-", "--json", "--previous", write("previous.json", data["previous"])]
            for name in data["release"]:
                if not _cli_expressible(name):
                    return None
                args += ["--release", name]
            stdin = json.dumps(data["spec"])
        else:
            args = ["diff", write("old.json", data["old"]), write("new.json", data["new"]), "--json"]
            stdin = ""
        done = subprocess.run([str(binary), *args], input=stdin, capture_output=True, text=True)
    if done.returncode in (0, 1) and done.stdout.strip():
        return {"ok": json.loads(done.stdout)}
    match = ERROR_CODE.search(done.stderr)
    code = match.group(1) if match else f"CLI:exit {done.returncode}: {done.stderr.strip()[:200]}"
    return {"error": {"code": code, "message": done.stderr.strip()}}


def _unnamed_stdin(value: Any) -> Any:
    """The CLI names stdin `<stdin>` in an import's sources and origins, where the other
    surfaces, given a text with no name, name none: compared without it."""
    if isinstance(value, dict):
        return {k: ("" if k == "source" and v == "<stdin>" else _unnamed_stdin(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_unnamed_stdin(v) for v in value]
    if isinstance(value, str):
        return value.replace(" <stdin> ", " ")
    return value


def cli_surface(binary: pathlib.Path) -> Callable[[list[dict[str, Any]]], list[Answer | None]]:
    def one(case: dict[str, Any]) -> Answer | None:
        if case["op"] in ("replan", "diff"):
            return lock_file_case(binary, case["op"], case["input"])
        call = cli_args(case["op"], case["input"])
        if call is None:
            return None
        args, stdin = call
        done = subprocess.run([str(binary), *args], input=stdin, capture_output=True, text=True)
        if done.returncode in (0, 1) and done.stdout.strip():
            if case["op"] == "export":
                return {"ok": done.stdout}
            if case["op"] == "import":
                return {"ok": _unnamed_stdin(json.loads(done.stdout))}
            return {"ok": json.loads(done.stdout)}
        match = ERROR_CODE.search(done.stderr)
        code = match.group(1) if match else f"CLI:exit {done.returncode}: {done.stderr.strip()[:200]}"
        return {"error": {"code": code, "message": done.stderr.strip()}}

    def run(cases: list[dict[str, Any]]) -> list[Answer | None]:
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            return list(pool.map(one, cases))

    return run


# ---------------------------------------------------------------- Python


def python_surface() -> Callable[[list[dict[str, Any]]], list[Answer | None]] | None:
    try:
        import cidrplan  # type: ignore[import-not-found]
    except ImportError:
        return None

    def one(op: str, data: dict[str, Any]) -> Any:
        if op in ("plan", "recommend"):
            return getattr(cidrplan, op)(data)
        if op == "replan":
            return cidrplan.plan(data["spec"], previous=data["previous"], release=data["release"])
        if op == "diff":
            return cidrplan.diff(data["old"], data["new"])
        if op == "export":
            return cidrplan.export(data["spec"], data["format"], force=data.get("force", False))
        if op == "import":
            return cidrplan.import_allocations(data["format"], data["text"])
        if op == "overlaps":
            kwargs = {k: data[k] for k in ("expected", "max_listed", "lenient") if k in data}
            return cidrplan.overlaps(data["items"], **kwargs)
        if op == "aggregate":
            return cidrplan.aggregate(data["prefixes"], lenient=data.get("lenient", False))
        if op == "exclude":
            return cidrplan.exclude(data["parent"], data["used"], lenient=data.get("lenient", False))
        if op == "carve":
            return cidrplan.carve(
                data["pools"],
                data["requests"],
                data.get("reserved", ()),
                data.get("strategy", "best-fit"),
                lenient=data.get("lenient", False),
            )
        raise ValueError(op)

    def run(cases: list[dict[str, Any]]) -> list[Answer | None]:
        answers: list[Answer | None] = []
        for case in cases:
            try:
                answers.append({"ok": json.loads(json.dumps(one(case["op"], case["input"])))})
            except cidrplan.CidrplanError as e:
                answers.append({"error": {"code": e.code, "message": str(e)}})
            except Exception as e:  # anything else is a finding: report it by type
                answers.append({"error": {"code": f"PY:{type(e).__name__}", "message": str(e)}})
        return answers

    return run


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--count", type=int, default=3500)
    parser.add_argument("--core", type=pathlib.Path, default=TARGET / "debug" / "examples" / "wire_jsonl")
    parser.add_argument("--cli", type=pathlib.Path, default=TARGET / "debug" / "cidrplan")
    parser.add_argument("--node-entry", type=pathlib.Path, default=ROOT / "bindings/wasm/pkg/node/index.mjs")
    parser.add_argument("--require", default="", help="comma-separated surfaces that must be present")
    args = parser.parse_args()

    cases = case_gen.generate(args.seed, args.count)
    surfaces: dict[str, Callable[[list[dict[str, Any]]], list[Answer | None]]] = {}
    missing: list[str] = []
    if args.core.exists():
        surfaces["core"] = lambda cs: run_jsonl([str(args.core)], cs)
    else:
        missing.append(f"core ({args.core} is not built)")
    if args.cli.exists():
        surfaces["cli"] = cli_surface(args.cli)
    else:
        missing.append(f"cli ({args.cli} is not built)")
    node_driver = pathlib.Path(__file__).with_name("node_driver.mjs")
    if args.node_entry.exists():
        surfaces["node"] = lambda cs: run_jsonl(["node", str(node_driver), str(args.node_entry)], cs)
    else:
        missing.append(f"node ({args.node_entry} is not built)")
    py = python_surface()
    if py is not None:
        surfaces["python"] = py
    else:
        missing.append(f"python (no cidrplan module importable by {sys.executable})")

    for m in missing:
        print(f"!!!!!!!! differential: SKIPPING SURFACE {m}", file=sys.stderr)
    required = [s for s in args.require.split(",") if s]
    absent = [s for s in required if s not in surfaces]
    if absent or len(surfaces) < 2:
        print(f"differential: FAIL: surfaces present {sorted(surfaces)}, required {required}", file=sys.stderr)
        return 1

    answers = {name: run(cases) for name, run in surfaces.items()}
    mismatches = []
    compared = {name: 0 for name in surfaces}
    for i, case in enumerate(cases):
        got = {name: answers[name][i] for name in surfaces if answers[name][i] is not None}
        keys = {name: canonical(a) for name, a in got.items()}
        for name in got:
            compared[name] += 1
        if len(set(keys.values())) > 1:
            mismatches.append({"case": i, **case, "answers": got})

    by_op: dict[str, int] = {}
    errors: dict[str, int] = {}
    for i, case in enumerate(cases):
        by_op[case["op"]] = by_op.get(case["op"], 0) + 1
        first = next(answers[name][i] for name in surfaces if answers[name][i] is not None)
        if "error" in first:
            errors[first["error"]["code"]] = errors.get(first["error"]["code"], 0) + 1
    print(f"differential: seed {args.seed}, {len(cases)} cases {by_op}")
    print(f"  answers compared per surface: {compared}")
    print(f"  error answers by code: {dict(sorted(errors.items()))}")
    out_dir = ROOT / "test-output"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "differential-mismatches.json").write_text(json.dumps(mismatches, indent=1))
    if mismatches:
        print(f"differential: FAIL: {len(mismatches)} cases differ between surfaces", file=sys.stderr)
        for m in mismatches[:8]:
            print(json.dumps({k: m[k] for k in ("case", "op", "input")})[:600], file=sys.stderr)
            for name, a in m["answers"].items():
                print(f"    {name:7} {canonical(a)[:400]}", file=sys.stderr)
        return 1
    print(f"differential: ok, {len(surfaces)} surfaces agree: {', '.join(surfaces)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

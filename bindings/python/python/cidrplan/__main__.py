"""``python -m cidrplan``: the CLI's ``plan``, ``recommend``, ``carve`` and ``overlaps``
(plus ``aggregate`` and ``exclude``) for machines that have Python but not the binary.

``--json`` prints the wire format (the same shapes as the Rust CLI's ``--json``);
without it, readable tables. Exit status, as the CLI's: 0 ok, 1 findings (``overlaps``
found an unexpected overlap), 2 bad usage or bad input (printed as ``error[code]: message``
on stderr).

>>> main(["carve", "10.1.0.0/16", "-r", "a=/20", "-r", "b=/24", "--json"])  # doctest: +ELLIPSIS
{"allocations": [{"name": "a", "cidr": "10.1.0.0/20", "addresses": "4096"}, ...
0
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from . import (
    EXPORT_FORMATS,
    aggregate,
    carve,
    example_spec,
    exclude,
    export,
    overlaps,
    plan,
    recommend,
)
from .errors import CidrplanError
from .spec import load_spec, read_prefix_lines

__all__ = ["main", "build_parser"]

MODELS = ("auto", "flat", "island", "isolated", "mapped", "archipelago")


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=None if isinstance(value, str) else 2))


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Left-aligned columns, two spaces apart."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def _cmd_plan(args: argparse.Namespace) -> None:
    spec = load_spec(args.file) if args.file else example_spec()
    if args.model:
        spec = {**spec, "model": args.model}
    if args.format:
        print(export(spec, args.format), end="")
        return
    result = plan(spec)
    if args.json:
        _print_json(result)
        return
    print(f"model: {result['model']}")
    rows = [
        [c.get("name"), c.get("pod_cidr"), c.get("node_pod_mask"), c.get("service_cidr"),
         c.get("node_subnet"), c.get("external_pod_cidr")]
        for c in result.get("clusters", [])
    ]
    print(_table(["cluster", "pods", "node mask", "services", "nodes", "external pods"], rows))
    for warning in result.get("warnings", []):
        print(f"warning[{warning.get('code')}]: {warning.get('message')}")


def _cmd_recommend(args: argparse.Namespace) -> None:
    spec = load_spec(args.file) if args.file else example_spec()
    result = recommend(spec)
    if args.json:
        _print_json(result)
        return
    if result.get("recommended"):
        print(f"recommended: {result['recommended']}")
    for entry in result["ranking"]:
        feasible = "" if entry.get("feasible", True) else " (infeasible)"
        print(f"{entry['model']}: score {entry['score']}{feasible}")
        for reason in entry.get("reasons", []):
            effect = reason.get("effect", 0)
            sign = "+" if effect > 0 else ("-" if effect < 0 else " ")
            print(f"  {sign} {reason.get('text', '')}")


def _parse_request(text: str) -> tuple[str, Any]:
    name, sep, size = text.partition("=")
    if not sep or not name or not size:
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=/LEN or NAME=COUNT")
    return name, int(size) if size.isdigit() else size


def _cmd_carve(args: argparse.Namespace) -> None:
    result = carve(args.pools, args.request, args.reserve, args.strategy, lenient=args.lenient)
    if args.json:
        _print_json(result)
        return
    rows = [[a["name"], a["cidr"], a["addresses"]] for a in result["allocations"]]
    print(_table(["name", "cidr", "addresses"], rows))
    print(f"free: {result['free_total']} addresses; lost to rounding "
          f"{result['lost_to_rounding']}, to alignment {result['lost_to_alignment']}")


def _parse_expected(text: str) -> tuple[str, str]:
    parent, sep, child = text.partition("=")
    if not sep or not parent or not child:
        raise argparse.ArgumentTypeError(f"{text!r} is not PARENT=CHILD")
    return parent, child


def _cmd_overlaps(args: argparse.Namespace) -> int:
    result = overlaps(
        read_prefix_lines(args.file),
        expected=args.expected,
        max_listed=args.max_listed,
        lenient=args.lenient,
    )
    if args.json:
        _print_json(result)
    else:
        rows = [[o["a"], o["a_cidr"], o["b"], o["b_cidr"], o["relation"]] for o in result["overlaps"]]
        print(_table(["a", "a cidr", "b", "b cidr", "relation"], rows) if rows else "no overlaps")
        if result.get("truncated"):
            print(f"({result['total']} overlaps in total)")
    return 1 if result["total"] else 0


def _cidrs(file: str | None) -> list[str]:
    return [item if isinstance(item, str) else item[1] for item in read_prefix_lines(file)]


def _cmd_aggregate(args: argparse.Namespace) -> None:
    result = aggregate(_cidrs(args.file), lenient=args.lenient)
    if args.json:
        _print_json(result)
    else:
        print("\n".join(result["prefixes"]))


def _cmd_exclude(args: argparse.Namespace) -> None:
    result = exclude(args.parent, _cidrs(args.file), lenient=args.lenient)
    if args.json:
        _print_json(result)
    else:
        print("\n".join(result["free"]))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m cidrplan``."""
    parser = argparse.ArgumentParser(
        prog="python -m cidrplan",
        description="Plan IP address space for Kubernetes clusters inside an existing network.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help: str, lenient: bool = True) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help)
        cmd.add_argument("--json", action="store_true", help="print the JSON wire format")
        if lenient:
            cmd.add_argument("--lenient", action="store_true",
                             help="mask host bits (10.0.0.1/8 -> 10.0.0.0/8) instead of failing")
        return cmd

    cmd = add("plan", "plan clusters (FILE: JSON, YAML or TOML; none: the built-in example)",
              lenient=False)
    cmd.add_argument("file", nargs="?", help="plan request file, '-' for JSON on stdin")
    cmd.add_argument("--model", choices=MODELS, help="plan with this model instead of the file's")
    cmd.add_argument("--format", "--export", dest="format", choices=EXPORT_FORMATS,
                     help="print this configuration instead of the plan")
    cmd.set_defaults(run=_cmd_plan)

    cmd = add("recommend", "rank the network models with their reasons", lenient=False)
    cmd.add_argument("file", nargs="?", help="plan request file, '-' for JSON on stdin")
    cmd.set_defaults(run=_cmd_recommend)

    cmd = add("carve", "carve named requests out of pools")
    cmd.add_argument("pools", nargs="+", metavar="POOL")
    cmd.add_argument("--request", "-r", action="append", type=_parse_request, default=[],
                     metavar="NAME=/LEN|NAME=COUNT", required=True)
    cmd.add_argument("--reserve", action="append", default=[], metavar="CIDR")
    cmd.add_argument("--strategy", default="best-fit",
                     choices=["best-fit", "first-fit", "sequential"])
    cmd.set_defaults(run=_cmd_carve)

    cmd = add("overlaps", "list overlaps among prefixes (lines 'NAME CIDR' or 'CIDR'); "
              "exit 1 if any")
    cmd.add_argument("file", nargs="?", help="input file; stdin when absent")
    cmd.add_argument("--expected", action="append", type=_parse_expected, default=[],
                     metavar="PARENT=CHILD", help="a declared nesting that is not a finding")
    cmd.add_argument("--max-listed", type=int, metavar="N", help="list at most N pairs")
    cmd.set_defaults(run=_cmd_overlaps)

    cmd = add("aggregate", "minimal CIDR cover of the prefixes")
    cmd.add_argument("file", nargs="?", help="input file; stdin when absent")
    cmd.set_defaults(run=_cmd_aggregate)

    cmd = add("exclude", "free space of PARENT minus the prefixes")
    cmd.add_argument("parent")
    cmd.add_argument("file", nargs="?", help="input file; stdin when absent")
    cmd.set_defaults(run=_cmd_exclude)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the CLI on ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        status = args.run(args)
    except CidrplanError as err:
        print(f"error[{err.code}]: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error[io]: {err}", file=sys.stderr)
        return 2
    return status if isinstance(status, int) else 0


if __name__ == "__main__":
    sys.exit(main())

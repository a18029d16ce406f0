"""The upstream checks' figures (exports, documents, checks per id) are printed at the end
of the session and written to test-output/upstream-summary.json for reports."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import check_exports as ce  # noqa: E402


def pytest_terminal_summary(terminalreporter: Any) -> None:
    tr, t = terminalreporter, ce.TALLY
    if not t.exports and not t.notices:
        return
    tr.section("upstream checks: figures")
    for note in t.notices:
        tr.write_line(f"NOTICE: {note}")
    tr.write_line(f"exports checked: {t.exports} ({', '.join(f'{k} {v}' for k, v in sorted(t.per_format.items()))})")
    tr.write_line(f"documents checked: {t.documents}")
    tr.write_line(f"checks run: {t.checks}")
    for check in sorted(t.per_check):
        c = t.per_check[check]
        tr.write_line(f"  {check:28} " + " ".join(f"{s}={c[s]}" for s in ce.STATUSES if c[s]))
    if t.failing:
        tr.write_line("failing check ids (first examples):")
        for check, examples in sorted(t.failing.items()):
            tr.write_line(f"  {check}")
            for e in examples:
                tr.write_line(f"      {e}")
    out = HERE.parents[1] / "test-output"
    try:
        out.mkdir(exist_ok=True)
        (out / "upstream-summary.json").write_text(json.dumps(t.as_json(), indent=1, ensure_ascii=False) + "\n")
        tr.write_line(f"(also written to {out / 'upstream-summary.json'})")
    except OSError:
        pass

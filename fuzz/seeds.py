"""Writes seed inputs for the fuzz targets from the shared cases in tests/vectors.

Each case's `input` becomes one JSON seed of the plan_json target, and every CIDR string
found in the vectors a seed of prefix_parse, so fuzzing starts from real documents.

    python3 fuzz/seeds.py OUT_DIR
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)


def main(out: pathlib.Path) -> None:
    plan_dir = out / "plan_json"
    prefix_dir = out / "prefix_parse"
    previous_dir = out / "previous_plan"
    previous_dir.mkdir(parents=True, exist_ok=True)
    plan_dir.mkdir(parents=True, exist_ok=True)
    prefix_dir.mkdir(parents=True, exist_ok=True)
    texts = set()
    for path in sorted((ROOT / "tests" / "vectors").glob("*.json")):
        for index, case in enumerate(json.loads(path.read_text())):
            if "input" not in case:
                continue
            seed = json.dumps(case["input"], separators=(",", ":")).encode()
            (plan_dir / f"{path.stem}-{index}.json").write_bytes(seed)
            # The previous plans of the re-plan and diff cases seed the lock-file reader.
            for key in ("previous", "old", "new"):
                if isinstance(case["input"], dict) and case["input"].get(key):
                    previous = json.dumps(case["input"][key], separators=(",", ":")).encode()
                    (previous_dir / f"{path.stem}-{index}-{key}.json").write_bytes(previous)
            texts.update(s for s in strings(case["input"]) if "/" in s or ":" in s or "." in s)
    for index, text in enumerate(sorted(texts)):
        (prefix_dir / f"{index}.txt").write_text(text)


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))

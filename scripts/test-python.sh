#!/usr/bin/env bash
# Builds the Python package the way users install it (`pip install .` into a venv) and runs
# its checks: pytest (shared vectors, hypothesis properties, Terraform, Ansible, CLI,
# doctests), mypy --strict on the usage example, and stubtest against the built module.
# Then the upstream checks: every export of the CLI (built here) against the upstream tools'
# schemas and rules in ../shared/upstream-schemas (tests/upstream; skipped with a notice when
# ../shared is absent).
#
# Idempotent: creates .venv at the repository root if missing and installs the test tools
# only if they are missing. Environment: PYTHON (default python3) creates the venv;
# CARGO_TARGET_DIR is honoured by the build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

if [ ! -x "$PY" ]; then
    echo "== creating $VENV"
    "${PYTHON:-python3}" -m venv "$VENV"
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1
if ! "$PY" -c "import pytest, hypothesis, mypy, netaddr, yaml, jinja2, jsonschema" 2>/dev/null; then
    echo "== installing test tools"
    "$PY" -m pip install --quiet "pytest>=8" "hypothesis>=6" "mypy>=1.10" "netaddr>=1" \
        "PyYAML>=6" "Jinja2>=3" "jsonschema>=4"
fi

# An extension left in the source tree by `maturin develop` would shadow the fresh build.
rm -f "$ROOT"/bindings/python/python/cidrplan/_native*.so "$ROOT"/bindings/python/python/cidrplan/_native*.pyd

echo "== pip install . (release build of bindings/python, as a wheel the docs' venv installs too)"
WHEELS="$(mktemp -d)"
trap 'rm -rf "$WHEELS"' EXIT
"$PY" -m pip wheel --quiet --no-deps --wheel-dir "$WHEELS" "$ROOT"
"$PY" -m pip install --quiet --no-deps --force-reinstall "$WHEELS"/cidrplan-*.whl

status=0
run() {
    echo "== $*"
    "$@" || status=1
}

# pytest, where exit 5 (nothing collected) is a failure too.
pytest_run() {
    local what="$1"
    shift
    echo "== pytest $what"
    set +e
    "$PY" -m pytest -q -p no:cacheprovider "$@"
    local rc=$?
    set -e
    if [ "$rc" -eq 5 ]; then
        echo "pytest $what collected no tests: failing" >&2
        status=1
    elif [ "$rc" -ne 0 ]; then
        status=1
    fi
}

# Tests import the installed package, never the source tree: pytest runs in importlib mode
# and doctests are collected from the installed modules (--pyargs). The pages' examples
# (the README's doctests among them) run in tests/test_doc_examples.py.
pytest_run "bindings/python" "$ROOT/bindings/python/tests" \
    --doctest-modules --pyargs cidrplan

# The docs' Ansible examples (ansible-doc, the example playbook) need ansible-core, which the
# tests above must not see (they check the module without it): a venv of its own, with the
# same wheel, runs the pages' Python examples again with Ansible present.
DOCS_VENV="$ROOT/.venv-docs"
if [ ! -x "$DOCS_VENV/bin/python" ]; then
    echo "== creating $DOCS_VENV"
    "${PYTHON:-python3}" -m venv "$DOCS_VENV"
fi
if ! "$DOCS_VENV/bin/python" -c "import pytest, ansible" 2>/dev/null; then
    echo "== installing pytest and ansible-core into $DOCS_VENV"
    "$DOCS_VENV/bin/python" -m pip install --quiet "pytest>=8" "ansible-core>=2.18"
fi
"$DOCS_VENV/bin/python" -m pip install --quiet --no-deps --force-reinstall "$WHEELS"/cidrplan-*.whl
echo "== pytest the docs' examples, with Ansible"
set +e
"$DOCS_VENV/bin/python" -m pytest -q -s -p no:cacheprovider "$ROOT/bindings/python/tests/test_doc_examples.py"
[ $? -eq 0 ] || status=1
set -e

# Every export of the CLI against the upstream tools' own schemas and rules. The CLI is the
# debug build the tests find at $CARGO_TARGET_DIR/debug/cidrplan (or $CIDRPLAN_BIN).
echo "== cargo build -p cidrplan-cli (for the upstream checks)"
cargo build -q -p cidrplan-cli --locked
pytest_run "tests/upstream (exports against upstream schemas)" "$ROOT/tests/upstream/test_exports.py"

# The usage example is checked against the installed package (its py.typed and stubs), as
# a user's code would be; the package's own sources and tests are held to the same bar.
run "$PY" -m mypy --strict --no-incremental "$ROOT/bindings/python/examples/usage.py"
run "$PY" -m mypy --strict --no-incremental "$ROOT/bindings/python/python/cidrplan" \
    "$ROOT/bindings/python/tests" "$ROOT/bindings/python/bench"
# stubtest compares the stubs and annotations with the built module (every submodule).
(cd "$ROOT/bindings/python" && run "$PY" -m mypy.stubtest cidrplan) || status=1

if [ "$status" -ne 0 ]; then
    echo "test-python: FAILED" >&2
fi
exit "$status"

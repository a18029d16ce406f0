#!/usr/bin/env bash
# The release artifacts in the clients users install them into (tests/clients/README.md):
#   - the wheel on every CPython >= 3.10 present (pyenv's versions, python3.N on PATH);
#   - ansible-playbook (the docs' playbook, a failing task) and ansible-doc on the current
#     ansible-core and on 2.18, the oldest supported;
#   - the npm tarball bundled by esbuild, webpack 5 and Vite and loaded in headless
#     Chromium; Node ESM and CommonJS, Bun, Deno; TypeScript programs compiled to CommonJS
#     and ES modules; arethetypeswrong and publint on the tarball; actionlint on the
#     release workflow;
#   - the CLI archive unpacked into a prefix: the binary, its man pages, bash completion.
# Builds dist/ with scripts/release.sh when the wheel or the npm tarball is missing. Installs what it needs
# from the package registries, idempotently: Chromium (apt), tests/clients' npm dev
# dependencies (its lockfile), and venvs under .venv-clients/.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)"
DIST="$ROOT/dist"
VENVS="$ROOT/.venv-clients"
# The oldest ansible-core the filters support, beside the current one.
ANSIBLE_OLDEST="ansible-core>=2.18,<2.19"

wheel() { ls "$DIST"/cidrplan-"$VERSION"-cp310-abi3-manylinux*.whl 2>/dev/null | head -n1; }
if [ -z "$(wheel)" ] || [ ! -f "$DIST/cidrplan-$VERSION.tgz" ]; then
  echo "== test-clients: dist/ lacks the wheel or the npm tarball: bash scripts/release.sh"
  bash "$ROOT/scripts/release.sh" || { echo "test-clients: release.sh failed" >&2; exit 1; }
fi
WHEEL="$(wheel)"
TARBALL="$DIST/cidrplan-$VERSION.tgz"

# CHROMIUM_PATH names another Chromium or Chrome (as on CI images that ship one).
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
  :
elif [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  echo "== test-clients: installing Debian's chromium"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi

failed=()
note() { echo; echo "== test-clients: $*"; }

# Every CPython >= 3.10 on the machine, one interpreter per version: pyenv's versions,
# then python3.N and python3 on PATH (as CI images other than this one provide them).
pythons=()
seen=" "
PYENV_ROOT="${PYENV_ROOT:-$HOME/.pyenv}"
candidates=("$PYENV_ROOT"/versions/*/bin/python3)
for n in 10 11 12 13 14 15; do candidates+=("$(command -v "python3.$n" 2>/dev/null || true)"); done
candidates+=("$(command -v python3 2>/dev/null || true)")
for py in "${candidates[@]}"; do
  [ -n "$py" ] && [ -x "$py" ] || continue
  v="$("$py" -c 'import sys, platform
ok = sys.version_info >= (3, 10) and platform.python_implementation() == "CPython"
print(platform.python_version() if ok else "")' 2>/dev/null)" || continue
  [ -n "$v" ] && [[ "$seen" != *" $v "* ]] || continue
  seen+="$v "
  pythons+=("$py")
done
if [ ${#pythons[@]} -eq 0 ]; then echo "test-clients: no CPython >= 3.10 found" >&2; exit 1; fi

venv() { # venv NAME PYTHON: a venv under .venv-clients, made once
  local dir="$VENVS/$1"
  if [ ! -x "$dir/bin/python" ]; then "$2" -m venv "$dir" >&2; fi
  echo "$dir"
}

for py in "${pythons[@]}"; do
  version="$("$py" -c 'import platform; print(platform.python_version())')"
  note "the wheel on CPython $version ($py)"
  dir="$(venv "py-$version" "$py")"
  if "$dir/bin/pip" install --quiet --no-index --no-deps --force-reinstall "$WHEEL" \
    && (cd "$VENVS" && "$dir/bin/python" "$ROOT/tests/clients/python/check_wheel.py"); then :; else
    failed+=("wheel on CPython $version")
  fi
done

# Current ansible-core needs a recent CPython: the newest present runs both versions.
newest="$(for py in "${pythons[@]}"; do echo "$("$py" -c 'import sys; print("%d.%03d" % sys.version_info[:2])') $py"; done \
  | sort -r | head -n1 | cut -d' ' -f2)"
for which in current oldest; do
  spec="ansible-core"
  [ "$which" = oldest ] && spec="$ANSIBLE_OLDEST"
  note "ansible ($which: $spec) on $newest"
  dir="$(venv "ansible-$which" "$newest")"
  if "$dir/bin/pip" install --quiet --upgrade "$spec" \
    && "$dir/bin/pip" install --quiet --no-deps --force-reinstall "$WHEEL" \
    && "$dir/bin/python" "$ROOT/tests/clients/ansible/check_ansible.py"; then :; else
    failed+=("ansible $which")
  fi
done

note "the CLI archive unpacked into a prefix, as its README line says"
(
  set -e
  prefix="$(mktemp -d)"
  trap 'rm -rf "$prefix"' EXIT
  tar -xzf "$DIST"/cidrplan-cli-"$VERSION"-*.tar.gz -C "$prefix" --strip-components=1
  trap 'echo "FAIL  CLI archive: scripts/test-clients.sh line $LINENO" >&2' ERR
  # Read whole: `grep -q` closing the pipe early would fail it under pipefail.
  plan="$("$prefix/bin/cidrplan" plan --json)"
  grep -q '"model"' <<<"$plan"
  for page in cidrplan cidrplan-plan cidrplan-carve; do
    grep -q '^\.TH' "$prefix/share/man/man1/$page.1"
  done
  # bash loads the completion and completes the subcommands.
  bash -c "source '$prefix/share/bash-completion/completions/cidrplan'
    COMP_WORDS=(cidrplan ca); COMP_CWORD=1; COMP_LINE='cidrplan ca'; COMP_POINT=11
    _cidrplan cidrplan ca cidrplan
    [[ \" \${COMPREPLY[*]} \" == *' carve '* ]]"
  test -s "$prefix/share/zsh/site-functions/_cidrplan"
  test -s "$prefix/share/fish/vendor_completions.d/cidrplan.fish"
  test -s "$prefix/LICENSE-MIT" && test -s "$prefix/LICENSE-APACHE"
  echo "ok    the CLI runs, its man pages and completions are in place"
)
# Checked apart: `( set -e; ... ) || ...` would turn set -e off inside the subshell.
[ $? -eq 0 ] || failed+=("CLI archive")

note "npm: bundlers in Chromium, Node, Bun, Deno, TypeScript, attw, publint, actionlint"
(
  set -e
  cd "$ROOT/tests/clients"
  npm ci --no-audit --no-fund
  # As a user installs it: the tarball release.sh packed, nothing from the source tree.
  npm install --no-save --offline --no-audit --no-fund "$TARBALL"
  CIDRPLAN_NPM_TARBALL="$TARBALL" node --test --test-reporter=spec \
    runtimes.test.mjs package.test.mjs browser.test.mjs
)
[ $? -eq 0 ] || failed+=("npm clients")

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "test-clients: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "test-clients: every client passed"

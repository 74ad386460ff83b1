"""The GitHub Action (action.yml): its steps run here as the runner would run them, and what it is made of.

The runner is imitated closely enough to trust what the scripts do: each
``run:`` goes to ``bash --noprofile --norc -eo pipefail`` (GitHub's ``shell:
bash``) with the step's ``env:`` evaluated, ``GITHUB_OUTPUT``,
``GITHUB_STEP_SUMMARY``, ``GITHUB_ACTION_PATH`` (this checkout) and
``RUNNER_TEMP`` set; ``if:`` conditions and ``${{ }}`` values are evaluated
by a small interpreter of GitHub's expression language (the operators and
functions action.yml uses); the steps that use other actions are recorded
(setup-python answers with this interpreter, upload-sarif with what it was
given). The install step runs for real once: ``pip install`` of this checkout
into a fresh virtual environment.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import commit_all, missing

ROOT = Path(__file__).resolve().parents[1]
ACTION_FILE = ROOT / "action.yml"
ACTION = yaml.safe_load(ACTION_FILE.read_text(encoding="utf-8"))
KENT = ROOT / "policies" / "kent" / "o38-police-community-support-officers.md"
CLEAN = ROOT / "tests" / "fixtures" / "publish" / "t100-body-worn-video.md"
AS_OF = "--as-of 2026-11-23"
CLEAN_AS_OF = "--as-of 2026-01-15"
REPOSITORY = "force/policies"

PINS = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "github/codeql-action/upload-sarif": ("8aad20d150bbac5944a9f9d289da16a4b0d87c1e", "v4.36.2"),
}
"""Each action this repository's Action and CI examples use: the commit its release tag names, and the tag.
Read from the actions' own repositories (the tag's commit, on the release branch); change them together."""
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?:\s+#\s*(?P<comment>.*))?$")
README_PLACEHOLDER = "EDIT-ME/pcso-policy@EDIT-ME"
PYPI_INSTALL = re.compile(r"pip install\s+(?:-\S+\s+)*[\"']?pcso-policy(?!\s*@)(?:\[[^\]]*\])?(?:[\"'\s=<>~!]|$)")
"""``pip install pcso-policy`` from a package index: a name this project does not own there."""


# GitHub's expression language, as far as action.yml uses it ----------------

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>\d+(?:\.\d+)?)|(?P<op>==|!=|<=|>=|&&|\|\||[<>!().,\[\]])|(?P<name>[A-Za-z_][\w-]*))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    found, at = [], 0
    while at < len(text.rstrip()):
        match = _TOKEN.match(text, at)
        assert match and match.end() > at, f"cannot read the expression {text!r} at {text[at:]!r}"
        kind = match.lastgroup or ""
        found.append((kind, match[kind]))
        at = match.end()
    return found


def _text(value: object) -> str:
    """A value as ``${{ }}`` puts it into a string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _equal(left: object, right: object) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.lower() == right.lower()  # GitHub compares strings ignoring case
    return left == right


class Expression:
    """A recursive-descent reader of one expression: ``||``, ``&&``, ``==``/``!=``, ``!``, property access, calls."""

    def __init__(self, text: str, context: dict[str, Any], functions: dict[str, Callable[..., object]]) -> None:
        self.tokens, self.at, self.context, self.functions = _tokens(text), 0, context, functions

    def value(self) -> object:
        result = self._or()
        assert self.at == len(self.tokens), f"unread tokens {self.tokens[self.at:]}"
        return result

    def _peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> tuple[str, str]:
        token = self.tokens[self.at]
        assert expected is None or token[1] == expected, f"expected {expected!r}, found {token[1]!r}"
        self.at += 1
        return token

    def _or(self) -> object:
        left = self._and()
        while self._peek() == "||":
            self._take()
            right = self._and()
            left = left if left else right
        return left

    def _and(self) -> object:
        left = self._compare()
        while self._peek() == "&&":
            self._take()
            right = self._compare()
            left = right if left else left
        return left

    def _compare(self) -> object:
        left = self._unary()
        if self._peek() in ("==", "!="):
            operator = self._take()[1]
            right = self._unary()
            return _equal(left, right) == (operator == "==")
        return left

    def _unary(self) -> object:
        if self._peek() == "!":
            self._take()
            return not self._unary()
        return self._primary()

    def _primary(self) -> object:
        kind, text = self._take()
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "number":
            return float(text)
        if text == "(":
            inner = self._or()
            self._take(")")
            return inner
        assert kind == "name", f"unexpected {text!r}"
        if text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        if self._peek() == "(":
            self._take()
            arguments = []
            while self._peek() != ")":
                arguments.append(self._or())
                if self._peek() == ",":
                    self._take()
            self._take(")")
            return self.functions[text.lower()](*arguments)
        value: object = self.context.get(text)
        while self._peek() in (".", "["):
            if self._take()[1] == ".":
                key = self._take()[1]
            else:
                key = _text(self._or())
                self._take("]")
            value = _lookup(value, key)
        return value


def _lookup(value: object, key: str) -> object:
    if not isinstance(value, dict):
        return None
    return next((item for name, item in value.items() if name.lower() == key.lower()), None)


# The runner ------------------------------------------------------------------


def event(kind: str) -> dict[str, Any]:
    """The ``github`` context of a push, a pull request from a branch, or one from a fork."""
    if kind == "push":
        return {"event_name": "push", "repository": REPOSITORY, "event": {}}
    head = REPOSITORY if kind == "pull_request" else "someone/policies"
    assert kind in ("pull_request", "fork")
    payload = {"pull_request": {"head": {"repo": {"full_name": head}}}}
    return {"event_name": "pull_request", "repository": REPOSITORY, "base_ref": "main", "event": payload}


@dataclass
class Outcome:
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    status: dict[str, int] = field(default_factory=dict)
    log: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    uploads: list[dict[str, str]] = field(default_factory=list)
    summary: str = ""
    failed: bool = False

    @property
    def lint(self) -> dict[str, str]:
        return self.outputs["lint"]


def run_action(
    workspace: Path, runner_temp: Path, inputs: dict[str, str], github: dict[str, Any], *, install: bool = False
) -> Outcome:
    """Run action.yml's steps in ``workspace`` (the step that installs pcso-policy only when ``install``)."""
    declared = ACTION["inputs"]
    assert set(inputs) <= set(declared), f"not inputs of action.yml: {set(inputs) - set(declared)}"
    outcome = Outcome()
    context: dict[str, Any] = {
        "inputs": {name: inputs.get(name, spec.get("default", "")) for name, spec in declared.items()},
        "github": {**github, "action_path": str(ROOT), "workspace": str(workspace)},
        "runner": {"temp": str(runner_temp), "os": "Linux"},
        "steps": {},
    }
    functions: dict[str, Callable[..., object]] = {
        "success": lambda: not outcome.failed,
        "failure": lambda: outcome.failed,
        "always": lambda: True,
    }

    def evaluate(text: str) -> object:
        return Expression(text, context, functions).value()

    def interpolate(value: object) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda match: _text(evaluate(match[1])), _text(value))

    base = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    for number, step in enumerate(ACTION["runs"]["steps"]):
        name = step["name"]
        condition = str(step.get("if", "success()")).strip()
        if condition.startswith("${{") and condition.endswith("}}"):
            condition = condition[3:-2]
        if not evaluate(condition) or (name == "Install pcso-policy" and not install):
            outcome.skipped.append(name)
            continue
        outcome.ran.append(name)
        outputs: dict[str, str] = {}
        if "uses" in step:
            given = {key: interpolate(value) for key, value in step.get("with", {}).items()}
            used = step["uses"].split("@")[0]
            if used == "actions/setup-python":
                outputs = {"python-path": sys.executable, "python-version": ".".join(map(str, sys.version_info[:3]))}
            elif used == "github/codeql-action/upload-sarif":
                outcome.uploads.append(given)
            else:
                raise AssertionError(f"the test runner does not know {used}")
        else:
            assert step.get("shell") == "bash", f"{name}: a composite action's run step names its shell"
            files = {kind: runner_temp / f"step-{number}.{kind}" for kind in ("output", "summary", "sh")}
            files["output"].write_text("", encoding="utf-8")
            files["summary"].write_text("", encoding="utf-8")
            files["sh"].write_text(step["run"], encoding="utf-8")
            env = {
                **base,
                **{key: interpolate(value) for key, value in step.get("env", {}).items()},
                "GITHUB_OUTPUT": str(files["output"]),
                "GITHUB_STEP_SUMMARY": str(files["summary"]),
                "GITHUB_ACTION_PATH": str(ROOT),
                "GITHUB_WORKSPACE": str(workspace),
                "RUNNER_TEMP": str(runner_temp),
            }
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(files["sh"])],
                cwd=workspace,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            outcome.status[name] = done.returncode
            outcome.log[name] = done.stdout + done.stderr
            outcome.summary += files["summary"].read_text(encoding="utf-8")
            for line in files["output"].read_text(encoding="utf-8").splitlines():
                key, _, value = line.partition("=")
                outputs[key] = value
            if done.returncode != 0:
                outcome.failed = True
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": outputs, "outcome": "failure" if outcome.failed else "success"}
            outcome.outputs[step["id"]] = outputs
    return outcome


def policy_repo(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return commit_all(folder)


@dataclass
class Installed:
    runner_temp: Path
    kent: Path
    outcome: Outcome


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The whole action run once on the Kent policy, its install step included (pip install of this checkout)."""
    runner_temp = tmp_path_factory.mktemp("runner-temp")
    kent = policy_repo(tmp_path_factory.mktemp("kent"), {"policies/o38.md": KENT.read_text(encoding="utf-8")})
    outcome = run_action(kent, runner_temp, {"args": AS_OF}, event("push"), install=True)
    return Installed(runner_temp, kent, outcome)


def findings_block(summary: str) -> tuple[str, list[str]]:
    """The fenced block of the job summary: its fence and its lines."""
    lines = summary.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("```"))
    fence = lines[start].removesuffix("text")
    end = lines.index(fence, start + 1)
    return fence, lines[start + 1 : end]


# What the action does --------------------------------------------------------


def test_the_action_installs_from_its_own_checkout(installed: Installed) -> None:
    outcome = installed.outcome
    assert outcome.status["Install pcso-policy"] == 0, outcome.log["Install pcso-policy"]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert f"pcso-policy {version}\n" in outcome.log["Install pcso-policy"]
    venv = installed.runner_temp / "pcso-policy" / "venv"
    python = [str(venv / "bin" / "python"), "-c", "import pcso_policy; print(pcso_policy.__file__)"]
    where = subprocess.run(python, cwd=venv, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).resolve().is_relative_to(venv.resolve()), "the package is installed in the action's own environment"
    script = next(step["run"] for step in ACTION["runs"]["steps"] if step["name"] == "Install pcso-policy")
    assert '"$GITHUB_ACTION_PATH"' in script and not PYPI_INSTALL.search(script)


def test_kent_gets_annotations_a_summary_and_a_failed_step(installed: Installed) -> None:
    outcome = installed.outcome
    assert outcome.status["Lint policies"] == 0, outcome.log["Lint policies"]
    assert outcome.lint["exit-code"] == "1"
    assert (outcome.lint["errors"], outcome.lint["warnings"], outcome.lint["infos"]) == ("2", "4", "0")
    annotations = [line for line in outcome.log["Lint policies"].splitlines() if line.startswith("::")]
    assert sorted(line.split(" ", 1)[0] for line in annotations) == ["::error"] * 2 + ["::warning"] * 4
    assert all("file=policies/o38.md,line=" in line for line in annotations)
    # The text report in the log, and the summary: the counts, then the findings, errors first.
    assert "Checked 1 file: 2 errors, 4 warnings, 0 infos." in outcome.log["Lint policies"]
    assert "**Failed**: Checked 1 file: 2 errors, 4 warnings, 0 infos." in outcome.summary
    _, shown = findings_block(outcome.summary)
    assert [line.split(" ")[1] for line in shown] == ["error"] * 2 + ["warning"] * 4
    assert shown[0].startswith("policies/o38.md:108:21: error review/date-conflict ")
    # No SARIF asked for: nothing uploaded; then the step that fails the job on errors.
    assert outcome.lint["sarif-file"] == "" and outcome.uploads == []
    assert "Upload SARIF to code scanning" in outcome.skipped
    assert outcome.status["Fail on errors"] == 1 and outcome.failed


def test_sarif_is_written_and_uploaded_on_a_push(installed: Installed) -> None:
    outcome = run_action(installed.kent, installed.runner_temp, {"args": AS_OF, "sarif": "true"}, event("push"))
    sarif_file = outcome.lint["sarif-file"]
    assert sarif_file == str(installed.runner_temp / "pcso-policy" / "pcso-policy.sarif")
    sarif = json.loads(Path(sarif_file).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == 6
    assert outcome.uploads == [{"sarif_file": sarif_file, "category": "pcso-policy"}]
    assert "SARIF written: the next step uploads it" in outcome.summary
    assert outcome.status["Fail on errors"] == 1


@pytest.mark.parametrize(("kind", "uploaded"), [("pull_request", True), ("fork", False)])
def test_a_pull_request_from_a_fork_gets_no_upload(installed: Installed, kind: str, uploaded: bool) -> None:
    outcome = run_action(installed.kent, installed.runner_temp, {"args": AS_OF, "sarif": "true"}, event(kind))
    assert outcome.lint["sarif-file"], "the SARIF file is written either way"
    assert bool(outcome.uploads) == uploaded
    if not uploaded:
        assert "Upload SARIF to code scanning" in outcome.skipped
        assert "not uploaded: a pull request from a fork" in outcome.summary


def test_a_clean_policy_passes(installed: Installed, tmp_path: Path) -> None:
    repo = policy_repo(tmp_path / "clean", {"policies/t100.md": CLEAN.read_text(encoding="utf-8")})
    outcome = run_action(repo, installed.runner_temp, {"args": CLEAN_AS_OF, "sarif": "true"}, event("push"))
    assert (outcome.lint["exit-code"], outcome.lint["errors"], outcome.lint["warnings"]) == ("0", "0", "0")
    assert "**Passed**: Checked 1 file: 0 errors, 0 warnings, 0 infos." in outcome.summary
    assert "```" not in outcome.summary, "no findings, no block"
    assert outcome.status["Fail on errors"] == 0 and not outcome.failed
    assert json.loads(Path(outcome.lint["sarif-file"]).read_text(encoding="utf-8"))["runs"][0]["results"] == []


def test_paths_and_args_are_words_never_shell_code(installed: Installed, tmp_path: Path) -> None:
    repo = policy_repo(tmp_path / "repo", {"policies/o38.md": KENT.read_text(encoding="utf-8")})
    hostile = "$(touch pwned-1) `touch pwned-2` ; touch pwned-3 && touch pwned-4 | tee pwned-5 > pwned-6"
    outcome = run_action(repo, installed.runner_temp, {"paths": hostile, "args": "--as-of $(touch pwned-7)"}, event("push"))
    assert not list(repo.glob("pwned*")) and not list(tmp_path.glob("pwned*"))
    assert outcome.lint["exit-code"] == "2" and outcome.lint["errors"] == ""
    assert "pcso-policy stopped with exit status 2; it said:" in outcome.summary
    assert outcome.status["Fail on errors"] == 2
    # Words split on any white space, new lines included; the action's --format follows the caller's and wins.
    words = {"paths": " \n policies/o38.md\n\tpolicies ", "args": f"--format json {AS_OF}"}
    spread = run_action(repo, installed.runner_temp, words, event("push"))
    assert spread.lint["exit-code"] == "1" and spread.lint["errors"] == "2"
    assert sum(line.startswith("::error ") for line in spread.log["Lint policies"].splitlines()) == 2


def test_a_file_name_cannot_close_the_summary_block(installed: Installed, tmp_path: Path) -> None:
    name = "policies/notes ````` ## [x](javascript:alert(1)) <b>.md"
    repo = policy_repo(tmp_path / "repo", {name: "---\nid: T1\n---\n\n# Not a policy\n\nText.\n"})
    outcome = run_action(repo, installed.runner_temp, {}, event("push"))
    fence, shown = findings_block(outcome.summary)
    assert len(fence) == 6, "one backtick longer than the longest run in the text"
    assert shown and all(line.startswith(name + ":") for line in shown)
    assert outcome.summary.count(fence) == 2
    # 18 errors (6 missing keys, 9 missing sections, 3 footer fields), more than the annotations show: the list in
    # the summary is pcso-policy's own, all of them.
    assert "18 errors in 1 file, most severe first (the annotations show 10 of each kind" in outcome.summary
    assert len(shown) == 18 and outcome.summary.startswith("## pcso-policy\n\n**Failed**: Checked 1 file: 18 errors")


def test_sarif_input_must_be_true_or_false(installed: Installed) -> None:
    outcome = run_action(installed.kent, installed.runner_temp, {"sarif": "yes"}, event("push"))
    assert outcome.status["Lint policies"] == 2 and outcome.failed
    assert "the sarif input must be true or false" in outcome.log["Lint policies"]
    assert "Upload SARIF to code scanning" in outcome.skipped and "Fail on errors" in outcome.skipped


def test_outputs_are_what_the_lint_step_writes(installed: Installed) -> None:
    written = installed.outcome.lint
    for name, spec in ACTION["outputs"].items():
        assert spec["value"] == f"${{{{ steps.lint.outputs.{name} }}}}"
        assert name in written, f"the lint step writes no output {name}"


# What the action is made of ---------------------------------------------------


def run_values(document: object) -> Iterator[str]:
    """Every ``run:`` value anywhere in a workflow or action."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "run":
                yield str(value)
            else:
                yield from run_values(value)
    elif isinstance(document, list):
        for item in document:
            yield from run_values(item)


def readme_workflow() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.compile(r"^```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL).search(text, text.index("\n### GitHub Action\n"))
    assert found, "README.md shows the action in a workflow under 'GitHub Action'"
    return found[1]


def test_no_expression_inside_a_run_script() -> None:
    for name, text in (("action.yml", ACTION_FILE.read_text(encoding="utf-8")), ("README.md", readme_workflow())):
        scripts = list(run_values(yaml.safe_load(text)))
        assert all("${{" not in script for script in scripts), f"{name}: an expression inside a run: (pass it through env:)"
    steps = ACTION["runs"]["steps"]
    assert len([step for step in steps if "run" in step]) == 3
    # Every input reaches the steps, each through env: or with: only.
    used = json.dumps([{key: step.get(key) for key in ("env", "with", "if")} for step in steps])
    assert all(f"inputs.{name}" in used for name in ACTION["inputs"])


def pinned(text: str) -> list[tuple[str, str, str]]:
    """Every ``uses:`` of a YAML text: the action, its ref and the comment after it."""
    return [(m["action"], m["ref"], m["comment"] or "") for m in map(USES.match, text.splitlines()) if m]


def test_every_action_is_pinned_by_its_release_commit() -> None:
    texts = {"action.yml": ACTION_FILE.read_text(encoding="utf-8"), "README.md": readme_workflow()}
    for name, text in texts.items():
        uses = pinned(text)
        assert uses and len(uses) == len(re.findall(r"^\s*(?:-\s+)?uses:", text, re.MULTILINE))
        for action, ref, comment in uses:
            if name == "README.md" and f"{action}@{ref}" == README_PLACEHOLDER:
                continue  # the user's pin of this action, which README.md says how to write
            assert action in PINS, f"{name}: {action} is not one of the pinned actions"
            assert (ref, comment.split(" ")[0]) == PINS[action], f"{name}: {action}@{ref} # {comment}"
    upload_major = int(PINS["github/codeql-action/upload-sarif"][1].lstrip("v").split(".")[0])
    assert upload_major >= 4, "codeql-action v3 is deprecated (December 2026)"


def test_the_readme_workflow_uses_the_action_with_least_permissions() -> None:
    workflow = yaml.safe_load(readme_workflow())
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    checkout, action = job["steps"]
    assert checkout["with"]["persist-credentials"] is False
    assert action["uses"] == README_PLACEHOLDER and action["with"] == {"sarif": True}
    assert set(action["with"]) <= set(ACTION["inputs"])


def test_the_action_never_installs_pcso_policy_from_pypi() -> None:
    for script in run_values(ACTION):
        assert not PYPI_INSTALL.search(script), script
    assert PYPI_INSTALL.search('python -m pip install "pcso-policy"') and PYPI_INSTALL.search("pip install pcso-policy==0.1.0")
    assert not PYPI_INSTALL.search('pip install "pcso-policy @ git+https://github.com/o/pcso-policy@v1"')


def zizmor() -> str:
    beside = Path(sys.executable).parent / "zizmor"
    found = str(beside) if beside.exists() else shutil.which("zizmor")
    if found is None:
        missing("zizmor is not installed: it is in the 'test' extra (pip install -e '.[test]')")
    return found


def test_zizmor_finds_nothing(tmp_path: Path) -> None:
    readme = tmp_path / "readme-workflow.yml"
    readme.write_text(readme_workflow().replace(README_PLACEHOLDER, "example/pcso-policy@" + "0" * 40), encoding="utf-8")
    inputs = [ACTION_FILE, ROOT / "docs" / "examples" / "github-workflow.yml", ROOT / ".pre-commit-hooks.yaml", readme]
    # --strict-collection: an input zizmor cannot read fails the run (it would otherwise be skipped with a warning).
    options = ["--offline", "--persona", "pedantic", "--strict-collection", "--no-progress", "--color", "never"]
    done = subprocess.run([zizmor(), *options, *map(str, inputs)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "No findings to report" in done.stdout, done.stdout + done.stderr


def test_zizmor_would_find_the_old_workflow(tmp_path: Path) -> None:
    """The audit is not vacuous: the workflow this repository shipped before is full of findings."""
    old = tmp_path / "old.yml"
    old.write_text(
        "on: pull_request\npermissions:\n  contents: read\n  security-events: write\njobs:\n  lint:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: pcso-policy lint --changed-since origin/${{ github.base_ref }}\n",
        encoding="utf-8",
    )
    command = [zizmor(), "--offline", "--persona", "pedantic", "--no-progress", "--color", "never", str(old)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode != 0
    for audit in ("template-injection", "unpinned-uses", "artipacked", "excessive-permissions"):
        assert f"[{audit}]" in done.stdout, done.stdout

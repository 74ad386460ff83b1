"""The shipped CI examples and the pre-commit hook run as written, in a copy of this repository; what they are made of."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import ci_commands, commit_all, git, missing
from tests.test_action import PINS, PYPI_INSTALL, pinned, run_values

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
WORKFLOW = EXAMPLES / "github-workflow.yml"
GITLAB = EXAMPLES / "gitlab-ci.yml"
# What the CI system would put in place of its expressions: a pull request's base branch.
FORK_CONDITION = "github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository"
KENT = "policies/kent/o38-police-community-support-officers.md"


@pytest.fixture
def policy_repo(tmp_path: Path) -> Path:
    for folder in ("policies", "checks", "references"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / ".pcso-policy.toml").write_text('paths = ["policies"]\n', encoding="utf-8")
    commit_all(tmp_path)
    # What actions/checkout with fetch-depth 0 leaves for a pull request into main.
    subprocess.run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=tmp_path, check=True)
    return tmp_path


def run_command(line: str, env: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    """``line`` in bash, as the CI job runs it, with ``pcso-policy`` being this checkout's."""
    shim = 'pcso-policy() { "$PCSO_POLICY_TEST_PYTHON" -m pcso_policy "$@"; }\n'
    variables = {**os.environ, **env, "PCSO_POLICY_TEST_PYTHON": sys.executable}
    return subprocess.run(["bash", "-c", shim + line], cwd=folder, env=variables, capture_output=True, text=True, check=False)


# Each example's commands are run, with their exit status, in the repository `init` makes
# (tests/commands/test_init.py: init copies docs/examples byte for byte).


def test_ci_outputs_are_what_their_consumers_read(policy_repo: Path) -> None:
    for example in ("github-workflow.yml", "gitlab-ci.yml"):
        for line, env in ci_commands(yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))):
            run_command(line, env, policy_repo)
    sarif = json.loads((policy_repo / "pcso-policy.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    junit = ET.parse(policy_repo / "pcso-policy-junit.xml").getroot()
    assert [case.get("name") for case in junit.iter("testcase")] == [KENT]


def test_the_pull_request_lints_what_changed_against_its_base_branch(policy_repo: Path) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (step,) = [step for step in workflow["jobs"]["lint"]["steps"] if "--changed-since" in step.get("run", "")]
    assert step["if"] == "github.event_name == 'pull_request'"
    # The branch name (the pull request's author picks it) reaches the shell as a variable, never as text of the script.
    assert step["env"] == {"BASE_REF": "${{ github.base_ref }}"} and '"origin/$BASE_REF"' in step["run"]
    ((line, env),) = ci_commands(step)
    assert run_command(line, env, policy_repo).returncode == 0, "nothing changed: nothing to lint"
    (policy_repo / "policies" / "new.md").write_text("# Not yet a policy\n", encoding="utf-8")
    changed = run_command(line, env, policy_repo)
    assert changed.returncode == 1 and "file=policies/new.md," in changed.stdout, changed.stdout + changed.stderr
    assert f"file={KENT}," not in changed.stdout, "an unchanged policy is not linted"


# What the examples are made of ------------------------------------------------


def test_no_expression_inside_a_run_script() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    scripts = list(run_values(workflow))
    assert len(scripts) == 5
    assert all("${{" not in script for script in scripts), "an expression inside a run: (pass it through env:)"
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert all("${{" not in line for line in gitlab["pcso-policy"]["script"])


def test_every_action_is_pinned_by_its_release_commit() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    uses = pinned(text)
    assert len(uses) == len(re.findall(r"^\s*(?:-\s+)?uses:", text, re.MULTILINE)) == 5
    for action, ref, comment in uses:
        assert action in PINS, f"{action} is not one of the pinned actions (tests/test_action.py)"
        assert (ref, comment) == PINS[action], f"{action}@{ref} # {comment}"


def test_least_permissions_and_no_upload_from_a_fork() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read"}
    jobs: dict[str, Any] = workflow["jobs"]
    uploading = {name for name, job in jobs.items() if any("upload-sarif" in step.get("uses", "") for step in job["steps"])}
    writing = {name for name, job in jobs.items() if "security-events" in job.get("permissions", {})}
    assert uploading == writing == {"code-scanning"}
    assert jobs["code-scanning"]["permissions"] == {"contents": "read", "security-events": "write"}
    assert jobs["code-scanning"]["if"] == FORK_CONDITION
    assert "permissions" not in jobs["lint"], "the gate runs on the workflow's read-only token"
    for job in jobs.values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, "the token is not left in .git/config"


def test_pcso_policy_is_installed_from_its_repository_never_from_pypi() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    sources = [workflow["env"]["PCSO_POLICY"], gitlab["pcso-policy"]["variables"]["PCSO_POLICY"]]
    assert sources == ["pcso-policy @ git+https://github.com/EDIT-ME/pcso-policy@EDIT-ME"] * 2
    lines = [line for script in run_values(workflow) for line in script.splitlines()] + gitlab["pcso-policy"]["script"]
    installs = [line for line in lines if "pip install" in line]
    assert installs == ['python -m pip install "$PCSO_POLICY"'] * 3
    assert not any(PYPI_INSTALL.search(line) for line in lines)
    # Until EDIT-ME is replaced the job stops, saying why, before pip asks a git host for a repository that is not there.
    guards = [line for line in lines if "*EDIT-ME*" in line]
    assert len(guards) == 3
    for guard in guards:
        for source, status in ((sources[0], 1), ("pcso-policy @ git+https://github.com/o/pcso-policy@v1", 0)):
            done = subprocess.run(["sh", "-c", guard], env={"PCSO_POLICY": source}, capture_output=True, text=True, check=False)
            assert done.returncode == status, guard


# The pre-commit hook ------------------------------------------------------------


def test_pre_commit_hook_entry_lints_the_files_it_is_given(policy_repo: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["pcso-policy"]
    hook = hooks[0]
    assert hook["language"] == "python" and hook["types"] == ["markdown"]
    assert hook["files"] == "^policies/", "only the default policy folder: a README is not a policy"
    completed = run_command(f"{hook['entry']} {KENT}", {}, policy_repo)  # what pre-commit runs: the entry, then the names
    assert completed.returncode in (0, 1), completed.stderr
    assert completed.stdout.splitlines()[-1].startswith("Checked 1 file:")


def try_repo(hook_repo: Path, folder: Path, home: Path, *selection: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "pcso-policy", "--color", "never", *selection]
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_pre_commit_try_repo_fails_on_kent_and_passes_a_readme_change(tmp_path: Path) -> None:
    """The hook as a policy repository gets it: pre-commit installs this checkout (uncommitted changes to tracked
    files included, as try-repo does) into an environment of its own and runs the hook."""
    if importlib.util.find_spec("pre_commit") is None:
        missing("pre-commit is not installed: it is in the 'test' extra (pip install -e '.[test]')")
    if not (ROOT / ".git").exists():
        missing("try-repo needs this checkout to be a git repository (a clone, as CI has)")
    repo = tmp_path / "policies-repo"
    (repo / "policies").mkdir(parents=True)
    shutil.copy(ROOT / KENT, repo / "policies" / "o38.md")
    (repo / ".pcso-policy.toml").write_text('paths = ["policies"]\n', encoding="utf-8")
    commit_all(repo, "the Kent policy")
    (repo / "README.md").write_text("# Our policies\n\nNot a policy: the hook leaves it alone.\n", encoding="utf-8")
    git(repo, "add", "README.md")
    git(repo, "commit", "-q", "-m", "a README")
    # try-repo installs the hook afresh each time: the two runs go side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        every = pool.submit(try_repo, ROOT, repo, tmp_path / "home-1", "--all-files")
        readme_only = pool.submit(try_repo, ROOT, repo, tmp_path / "home-2", "--from-ref", "HEAD~1", "--to-ref", "HEAD")
        failed, passed = every.result(), readme_only.result()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^pcso-policy lint\.+Failed$", failed.stdout, re.MULTILINE), failed.stdout
    for finding in ("policies/o38.md:108:21: error review/date-conflict", "policies/o38.md:110:114: error publication/personal-data"):
        assert finding in failed.stdout, failed.stdout
    assert "README.md:" not in failed.stdout, "README.md is not a policy"
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^pcso-policy lint\.+\(no files to check\)Skipped$", passed.stdout, re.MULTILINE), passed.stdout

"""The shipped CI examples and the pre-commit hook run as written, in a copy of this repository."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
# What the CI system would put in place of its expressions.
SUBSTITUTIONS = {"origin/${{ github.base_ref }}": "HEAD"}


def commands_in(value: object) -> list[str]:
    """Every ``pcso-policy`` shell line anywhere in a CI file (``run:`` steps, ``script:`` lists)."""
    found: list[str] = []
    if isinstance(value, dict):
        for item in value.values():
            found.extend(commands_in(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(commands_in(item))
    elif isinstance(value, str) and value.strip().startswith("pcso-policy "):
        found.append(value.strip())
    return found


@pytest.fixture
def policy_repo(tmp_path: Path) -> Path:
    for folder in ("policies", "checks", "references"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / ".pcso-policy.toml").write_text('paths = ["policies"]\n', encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "."]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    subprocess.run(
        ["git", "-c", "user.name=CI", "-c", "user.email=ci@example.org", "commit", "-q", "-m", "policies"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    return tmp_path


def run_command(line: str, folder: Path) -> subprocess.CompletedProcess[str]:
    for expression, value in SUBSTITUTIONS.items():
        line = line.replace(expression, value)
    args = shlex.split(line)
    assert args[0] == "pcso-policy"
    command = [sys.executable, "-m", "pcso_policy", *args[1:]]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("example", ["github-workflow.yml", "gitlab-ci.yml"])
def test_ci_example_commands_run(example: str, policy_repo: Path) -> None:
    commands = commands_in(yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8")))
    assert commands, f"{example} runs no pcso-policy command"
    for line in commands:
        completed = run_command(line, policy_repo)
        assert completed.returncode in (0, 1), f"{line}: {completed.stderr}"
        assert "Traceback" not in completed.stderr


def test_ci_outputs_are_what_their_consumers_read(policy_repo: Path) -> None:
    for example in ("github-workflow.yml", "gitlab-ci.yml"):
        for line in commands_in(yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))):
            run_command(line, policy_repo)
    sarif = json.loads((policy_repo / "pcso-policy.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    junit = ET.parse(policy_repo / "pcso-policy-junit.xml").getroot()
    assert [case.get("name") for case in junit.iter("testcase")] == [
        "policies/kent/o38-police-community-support-officers.md"
    ]


def test_pre_commit_hook_entry_lints_the_files_it_is_given(policy_repo: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["pcso-policy"]
    hook = hooks[0]
    assert hook["language"] == "python" and hook["types"] == ["markdown"]
    staged = "policies/kent/o38-police-community-support-officers.md"
    completed = run_command(f"{hook['entry']} {staged}", policy_repo)  # what pre-commit runs: the entry, then the names
    assert completed.returncode in (0, 1), completed.stderr
    assert completed.stdout.splitlines()[-1].startswith("Checked 1 file:")

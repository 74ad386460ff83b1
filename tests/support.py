"""Small helpers the command-line tests share."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

FRONT_MATTER = """---
id: T1
title: Test policy
owner: Head of Policy
status: draft
last_reviewed: "2025-01"
next_review: "2027-01"
review_cycle_months: 24
---
"""
"""A draft policy's front matter that meets the contract (lines 1 to 9)."""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8, or bytes as they are) to ``folder/name``, creating folders."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


BUILT_IN_ONLY = "# Only the built-in rules (parse, front matter, characters): the bundled rule set is off.\nbundled_checks = false\n"
"""A ``.pcso-policy.toml`` for tests of the engine and command line rather than of the bundled checks."""


def built_in_only(folder: Path) -> Path:
    """Make ``folder`` a repository that runs only the built-in rules; return it."""
    write(folder, ".pcso-policy.toml", BUILT_IN_ONLY)
    return folder


def missing(message: str) -> NoReturn:
    """A program a test needs is not installed: skip, saying why, on a developer's machine; fail under
    CI, where .ci/run installs it."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


GIT_IDENTITY = ["-c", "user.name=CI", "-c", "user.email=ci@example.org"]
"""What ``git commit`` needs on a machine with no identity configured."""


def git(folder: Path, *args: str) -> str:
    """Run git in ``folder`` with an identity and ``main`` as the default branch, whatever the machine's
    configuration says; what it printed."""
    command = ["git", "-c", "init.defaultBranch=main", *GIT_IDENTITY, *args]
    return subprocess.run(command, cwd=folder, check=True, capture_output=True, text=True).stdout


def commit_all(folder: Path, message: str = "policies") -> Path:
    """``folder`` made a git repository on ``main`` whose one commit holds everything in it."""
    folder.mkdir(parents=True, exist_ok=True)
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "--allow-empty", "-m", message]):
        git(folder, *args)
    return folder
SUBSTITUTIONS = {"${{ github.base_ref }}": "main"}
"""The GitHub expressions the CI examples use, as a pull request against main would give them."""


def ci_commands(value: object, env: dict[str, str] | None = None) -> list[tuple[str, dict[str, str]]]:
    """Every ``pcso-policy`` shell line anywhere in a CI file's parsed YAML (``run:`` steps, ``script:``
    lists), with the variables the workflow, job and step set for it (``env:``, GitLab's ``variables:``),
    expressions replaced."""
    env = dict(env or {})
    found: list[tuple[str, dict[str, str]]] = []
    if isinstance(value, dict):
        for key in ("env", "variables"):
            if isinstance(value.get(key), dict):
                env.update({name: substituted(str(item)) for name, item in value[key].items()})
        for key, item in value.items():
            if key not in ("env", "variables"):
                found.extend(ci_commands(item, env))
    elif isinstance(value, list):
        for item in value:
            found.extend(ci_commands(item, env))
    elif isinstance(value, str):
        found.extend((line.strip(), env) for line in value.splitlines() if line.strip().startswith("pcso-policy "))
    return found


def substituted(text: str) -> str:
    for expression, value in SUBSTITUTIONS.items():
        text = text.replace(expression, value)
    assert "${{" not in text, f"no substitution for an expression in {text!r}"
    return text

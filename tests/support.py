"""Small helpers the command-line tests share."""

from __future__ import annotations

import os
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

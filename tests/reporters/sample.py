"""A small lint result with findings of every severity, one with related places, in a real file."""

from __future__ import annotations

import os
from pathlib import Path

from pcso_policy.diagnostics import Diagnostic, Related, Severity
from pcso_policy.engine import LintResult
from pcso_policy.fingerprints import line_digests
from pcso_policy.registry import build_registry, builtin_checks
from pcso_policy.reporters import Report
from tests.fakes import FlagCheck

POLICY = """---
id: T1
title: Test policy
owner: Head of Policy
status: live
last_reviewed: "2025-01"
next_review: "2027-01"
review_cycle_months: 24
---

1.1. FLAG, with "quotes" & <angle> brackets.

1.2. Another FLAG line.
"""


def sample_report(folder: Path, policy: str = POLICY) -> Report:
    """Findings in ``policies/t1.md`` under ``folder`` (the working folder and project root)."""
    path = folder / "policies" / "t1.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(policy, encoding="utf-8")
    clean = folder / "policies" / "clean.md"
    clean.write_text(policy.replace("FLAG", "flag"), encoding="utf-8")
    shown = os.path.relpath(path, Path.cwd())
    lines = policy.split("\n")
    flag_line = next(number for number, text in enumerate(lines, start=1) if "1.1." in text)
    other = next(number for number, text in enumerate(lines, start=1) if "1.2." in text)
    diagnostics = [
        Diagnostic(shown, 5, 9, "front-matter/enum", Severity.ERROR, "'status' is 'live': use one of draft, approved", 5, 13),
        Diagnostic(
            shown, flag_line, 6, "terminology/flag", Severity.WARNING, 'says FLAG, "quoted": 100% sure,\nreally', flag_line, 10,
            (Related(other, 18, "FLAG again here"),),
        ),
        Diagnostic(shown, other, 18, "parse/suppression-unused", Severity.INFO, "an info finding", other, 18),
    ]
    digests = {shown: line_digests(path.read_bytes())}  # what the engine keeps when it reads the file
    result = LintResult(diagnostics, files=2, paths=[os.path.relpath(clean, Path.cwd()), shown], line_digests=digests)
    return Report(result, build_registry((*builtin_checks(), FlagCheck())), folder)

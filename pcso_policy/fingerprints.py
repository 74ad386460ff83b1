"""Fingerprints that identify a finding by what it is about, not where it is.

A fingerprint hashes the rule, the file's path relative to the project root,
and the text of the line the finding points at (white space collapsed), plus
how many identical findings came before it in the file. Adding or removing
lines elsewhere in the file leaves it unchanged; editing the line itself
changes it, which is what baselines and SARIF ``partialFingerprints`` want.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path

from pcso_policy.diagnostics import Diagnostic

KEY = "pcsoPolicy/v1"


def project_path(path: str, root: Path) -> str:
    """``path`` (as given on the command line) relative to ``root``, with forward slashes."""
    return Path(os.path.relpath(Path(path).absolute(), root.absolute())).as_posix()


def fingerprints(diagnostics: list[Diagnostic], root: Path) -> list[str]:
    """One fingerprint per diagnostic, in the same order; each file is read once."""
    lines_of: dict[str, list[str]] = {}
    seen: Counter[str] = Counter()
    result: list[str] = []
    for diagnostic in diagnostics:
        if diagnostic.path not in lines_of:
            lines_of[diagnostic.path] = _read_lines(diagnostic.path)
        lines = lines_of[diagnostic.path]
        content = " ".join(lines[diagnostic.line - 1].split()) if 0 < diagnostic.line <= len(lines) else ""
        identity = "\0".join((diagnostic.rule, project_path(diagnostic.path, root), content))
        digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
        seen[digest] += 1
        result.append(f"{digest}:{seen[digest]}")
    return result


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []

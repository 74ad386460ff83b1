"""Baselines: adopt the gate on a legacy repository without fixing everything on day one.

A baseline file records the findings a repository accepts for now, each by
rule, project-relative path and fingerprint (see :mod:`pcso_policy.fingerprints`),
never by line number, so editing elsewhere in a file does not resurrect them.
Rewriting it records only the current findings: fixed ones drop out. A file
name that is not UTF-8 is recorded (and matched) as it is shown, its bytes
written ``\\xff`` (see :mod:`pcso_policy.sanitise`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pcso_policy.atomic import write_atomic
from pcso_policy.diagnostics import Diagnostic
from pcso_policy.errors import UsageError
from pcso_policy.fingerprints import fingerprints, project_path
from pcso_policy.sanitise import json_text, printable_paths

VERSION = 2
"""2: fingerprints of version 2 (see :data:`pcso_policy.fingerprints.KEY`); a version 1 baseline is to be rewritten."""
Key = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Baseline:
    known: Counter[Key]

    def split(self, diagnostics: list[Diagnostic], root: Path, digests: Mapping[str, bytes]) -> tuple[list[Diagnostic], int]:
        """The findings the baseline does not record, and how many it does."""
        remaining = Counter(self.known)
        new: list[Diagnostic] = []
        for diagnostic, key in zip(diagnostics, keys(diagnostics, root, digests), strict=True):
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                new.append(diagnostic)
        return new, len(diagnostics) - len(new)


def keys(diagnostics: list[Diagnostic], root: Path, digests: Mapping[str, bytes]) -> list[Key]:
    diagnostics, digests = printable_paths(diagnostics, digests)
    prints = fingerprints(diagnostics, root, digests)
    return [(d.rule, project_path(d.path, root), fp) for d, fp in zip(diagnostics, prints, strict=True)]


def load(path: Path) -> Baseline:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"baseline '{path}' does not exist: create it with --write-baseline {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read baseline '{path}': {error}") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"baseline '{path}' is not valid JSON (line {error.lineno}): rewrite it with --write-baseline") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise UsageError(f"baseline '{path}' is not a pcso-policy baseline of version {VERSION}: rewrite it with --write-baseline")
    known: Counter[Key] = Counter()
    for number, entry in enumerate(data["findings"], start=1):
        try:
            known[(str(entry["rule"]), str(entry["path"]), str(entry["fingerprint"]))] += 1
        except (KeyError, TypeError):
            raise UsageError(f"baseline '{path}': finding {number} lacks rule, path or fingerprint") from None
    return Baseline(known)


def write(path: Path, diagnostics: list[Diagnostic], root: Path, digests: Mapping[str, bytes]) -> None:
    entries = [
        {"rule": rule, "path": shown, "fingerprint": fingerprint, "message": diagnostic.message}
        for diagnostic, (rule, shown, fingerprint) in zip(diagnostics, keys(diagnostics, root, digests), strict=True)
    ]
    entries.sort(key=lambda entry: (entry["path"], entry["rule"], entry["fingerprint"]))
    document = {"version": VERSION, "tool": "pcso-policy", "findings": entries}
    write_atomic(path, json_text(json.dumps(document, indent=2, ensure_ascii=False)) + "\n")

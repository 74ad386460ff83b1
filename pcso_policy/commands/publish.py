"""``pcso-policy publish``: approved policies that lint without errors, as checked DOCX files with a manifest."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, cast

from pcso_policy import publish
from pcso_policy.cache import FileResult
from pcso_policy.commands import EXIT_ERRORS, EXIT_OK
from pcso_policy.diagnostics import Diagnostic, Severity
from pcso_policy.errors import UsageError
from pcso_policy.locking import folder_lock
from pcso_policy.project import Project
from pcso_policy.publish import MANIFEST, Candidate, Gate, Manifest, prepare, remove_interrupted_writes
from pcso_policy.sanitise import line


@dataclass(frozen=True, slots=True)
class PublishSettings:
    """Everything ``pcso-policy publish`` was asked to do."""

    out: Path
    paths: tuple[str, ...] = ()
    as_of: datetime.date | None = None
    template: Path | None = None
    config_file: Path | None = None


class _Lines(io.TextIOBase):
    """The terminal, for messages written one line a call: each shown with its file names and values
    escaped (:func:`pcso_policy.sanitise.line`), so a name holding a newline cannot start a line."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, text: str) -> int:
        body, end = (text[:-1], "\n") if text.endswith("\n") else (text, "")
        return self.out.write(line(body) + end)


def run(settings: PublishSettings, out: TextIO) -> int:
    """Lint every policy once (parsed with the inline markup the renderer needs), render the ones
    whose source may be published, then publish those the whole run's lint leaves without errors."""
    project = Project.load(settings.config_file)
    paths = project.paths(settings.paths)
    as_of = settings.as_of or datetime.date.today()
    if settings.out.exists() and not settings.out.is_dir():
        raise UsageError(f"--out '{settings.out}' is a file: give a folder for the published documents")
    engine = project.engine(as_of)
    results: dict[str, FileResult] = {}
    candidates: list[Candidate] = []
    for policy in project.policies(paths, engine, inline=True):
        results[policy.path] = policy.result
        candidates.append(prepare(policy, settings.template))
    errors: dict[str, list[Diagnostic]] = {}
    for diagnostic in engine.finish(results).diagnostics:
        if diagnostic.severity is Severity.ERROR:
            errors.setdefault(diagnostic.path, []).append(diagnostic)
    settings.out.mkdir(parents=True, exist_ok=True)
    refused = 0
    out = cast(TextIO, _Lines(out))
    with folder_lock(settings.out, publish.LOCK_WAIT_SECONDS, out):
        remove_interrupted_writes(settings.out)
        gate = Gate(settings.out, Manifest(settings.out / MANIFEST), project.root.resolve(), as_of)
        for candidate in candidates:
            reasons = gate.publish(candidate, errors.get(candidate.path, []), out)
            if reasons:
                refused += 1
                out.write(f"refused {candidate.path}:\n")
                for reason in reasons:
                    out.write(f"  {reason}\n")
    total = len(candidates)
    out.write(f"Published {total - refused} of {total} {'policy' if total == 1 else 'policies'}, refused {refused}.\n")
    return EXIT_ERRORS if refused else EXIT_OK

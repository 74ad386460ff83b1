"""``pcso-policy align``: each declared alignment, point by point, against its national text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pcso_policy import align_report
from pcso_policy.commands import EXIT_ERRORS, EXIT_OK
from pcso_policy.kinds import alignment as alignment_kind
from pcso_policy.kinds.alignment import AlignmentCheck
from pcso_policy.project import Project
from pcso_policy.sanitise import json_text


@dataclass(frozen=True, slots=True)
class AlignSettings:
    paths: tuple[str, ...]
    output_format: str = "text"
    config_file: Path | None = None


def aligner(project: Project) -> AlignmentCheck:
    """The project's alignment check (its thresholds and date phrases), else one with the defaults."""
    return next((check for check in project.checks if isinstance(check, AlignmentCheck)), None) or alignment_kind.build({})


def run(settings: AlignSettings, out: TextIO) -> int:
    project = Project.load(settings.config_file)
    check, references = aligner(project), project.references()
    reports = [
        align_report.file_report(path, document, check, references)
        for path, document in project.documents(project.paths(settings.paths))
    ]
    data = align_report.summary(reports)
    if settings.output_format == "json":
        out.write(json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
    else:
        out.write(align_report.format_text(data))
    return EXIT_ERRORS if data["summary"]["drifted"] else EXIT_OK

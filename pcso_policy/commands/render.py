"""``pcso-policy render``: one policy as a Word document, any status (unapproved ones marked DRAFT)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pcso_policy.atomic import check_output, write_atomic
from pcso_policy.commands import EXIT_OK
from pcso_policy.project import Project
from pcso_policy.render import RenderError, render_document


@dataclass(frozen=True, slots=True)
class RenderSettings:
    path: str
    output: Path
    template: Path | None = None
    config_file: Path | None = None


def run(settings: RenderSettings, out: TextIO) -> int:
    """Write one policy's DOCX atomically, from its one read and parse."""
    check_output(settings.output, "-o", sources=[settings.path], doing="rendered")
    project = Project.load(settings.config_file)
    policy = next(project.policies([settings.path], inline=True))
    if policy.data is None:
        raise policy.unread_error()
    if policy.parsed is None or policy.parsed.document is None:
        finding = policy.problem()
        raise RenderError(settings.path, finding.line, finding.message)
    rendered = render_document(policy.parsed.document, settings.template, policy.parsed.tokens)
    write_atomic(settings.output, rendered.data)
    marking = "DRAFT, " if rendered.frame.draft else ""
    out.write(f"{settings.path} -> {settings.output} ({marking}{rendered.frame.marking})\n")
    return EXIT_OK

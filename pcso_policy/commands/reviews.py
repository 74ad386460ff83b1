"""``pcso-policy reviews``: when each policy falls due, most urgent first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pcso_policy import reviews
from pcso_policy.atomic import check_output, write_atomic
from pcso_policy.errors import UsageError
from pcso_policy.project import Project


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """Everything ``pcso-policy reviews`` was asked to do."""

    paths: tuple[str, ...] = ()
    as_of: datetime.date | None = None
    owner: str | None = None
    due_within: str | None = None
    output_format: str = "text"
    fail_on_overdue: bool = False
    config_file: Path | None = None
    output_file: Path | None = None


def run(settings: ReviewSettings, out: TextIO) -> int:
    as_of = settings.as_of or datetime.date.today()
    if settings.output_format not in reviews.FORMATS:
        raise UsageError(f"unknown format {settings.output_format!r}: use one of {', '.join(reviews.FORMATS)}")
    project = Project.load(settings.config_file)
    everything, soon = reviews.collect_reviews(project, settings.paths, as_of)
    chosen = reviews.select(everything, as_of, settings.owner, settings.due_within)
    if settings.output_format == "ics":
        from pcso_policy import ics

        calendar = ics.identity(project.root, project.config.calendar_id)
        text = ics.calendar(chosen, as_of, calendar.key, calendar.name)
    else:
        text = reviews.FORMATTERS[settings.output_format](chosen, as_of, soon)
    if settings.output_file is not None:
        sources = [review.path for review in everything]
        check_output(settings.output_file, "--output", sources, [(project.config.source, "the configuration")], doing="read")
        write_atomic(settings.output_file, text)
    else:
        out.write(text)
    return reviews.exit_code(chosen, settings.fail_on_overdue)

"""``pcso-policy report --html DIR``: a static HTML report of every policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pcso_policy import html_report, reviews
from pcso_policy.commands import EXIT_OK
from pcso_policy.project import Project


@dataclass(frozen=True, slots=True)
class ReportSettings:
    out: Path
    paths: tuple[str, ...] = ()
    as_of: datetime.date | None = None
    config_file: Path | None = None


def run(settings: ReportSettings, out: TextIO) -> int:
    as_of = settings.as_of or datetime.date.today()
    project = Project.load(settings.config_file)
    pages = html_report.build_pages(project, project.paths(settings.paths), as_of)
    site = html_report.render_site(pages, as_of, reviews.due_soon_days_of(project.checks))
    html_report.write_site(settings.out, site)
    out.write(f"Wrote a report of {len(pages)} {'policy' if len(pages) == 1 else 'policies'} to {settings.out}/index.html\n")
    return EXIT_OK

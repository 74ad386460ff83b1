"""``pcso-policy lint``: check policy files and report what is found."""

from __future__ import annotations

import datetime
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pcso_policy.atomic import check_output, write_atomic
from pcso_policy.commands import EXIT_ERRORS, EXIT_OK, EXIT_USAGE
from pcso_policy.diagnostics import Severity
from pcso_policy.engine import LintResult
from pcso_policy.errors import UsageError
from pcso_policy.project import Project
from pcso_policy.reporters import Report, chunks


@dataclass(frozen=True, slots=True)
class LintSettings:
    """Everything ``pcso-policy lint`` was asked to do, as parsed from the command line."""

    paths: tuple[str, ...] = ()
    output_format: str = "text"
    as_of: datetime.date | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    config_file: Path | None = None
    output_file: Path | None = None
    """Write the report here (atomically); the terminal then gets the text report."""
    statistics: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    changed_since: str | None = None
    """Lint only the policies a change since this git ref may affect."""
    cache_dir: Path | None = None
    """Where to keep the cache; default: the project's folder of the user cache folder (outside the checkout)."""
    use_cache: bool = True
    jobs: int = 1


def run(settings: LintSettings, out: TextIO, err: TextIO | None = None) -> int:
    err = err or sys.stderr
    project = Project.load(settings.config_file, settings.select, settings.ignore)
    _warn_unconfigured(project, settings, err)
    paths = project.paths(settings.paths)
    _check_outputs(settings, paths, project)
    already_read: dict[str, bytes] = {}
    if settings.changed_since is not None:
        from pcso_policy import changes  # runs git: imported only when asked for

        paths, already_read = changes.select_changed(paths, settings.changed_since, project.config)
    as_of = settings.as_of or datetime.date.today()
    cache = project.cache(settings.cache_dir, project.selection, as_of, err.write) if settings.use_cache else None
    fingerprinted = settings.output_format == "sarif" or settings.baseline is not None or settings.write_baseline is not None
    engine = project.engine(as_of, cache=cache, jobs=settings.jobs or os.cpu_count() or 1, keep_line_digests=fingerprinted)
    result = engine.lint_files(paths, already_read)
    if settings.write_baseline is not None or settings.baseline is not None:
        _apply_baseline(result, settings, project.root)
    report = Report(result, project.catalogue.registry, project.root)
    _deliver(report, settings, out, err)
    return exit_code(result)


def _apply_baseline(result: LintResult, settings: LintSettings, root: Path) -> None:
    """Record the findings in a baseline, and leave out those a baseline records."""
    from pcso_policy import baseline  # imported only when asked for, like changes: a plain run does not need it

    if settings.write_baseline is not None:
        baseline.write(settings.write_baseline, result.diagnostics, root, result.line_digests)
    if settings.baseline is not None:
        known = baseline.load(settings.baseline)
        result.diagnostics, result.baselined = known.split(result.diagnostics, root, result.line_digests)


def _warn_unconfigured(project: Project, settings: LintSettings, err: TextIO) -> None:
    """Say so when a selected rule cannot fire because no configured check raises it, and when the
    selection leaves no check at all to run (not errors: a repository may select a group it has not
    configured yet)."""
    from pcso_policy.kinds import kind_of

    raised = project.raised_rules()
    chosen = settings.select if settings.select is not None else project.config.select
    registry = project.catalogue.registry
    for selector in chosen:
        rules = registry.matching(selector)
        if rules and raised.isdisjoint(rules):
            kind = kind_of(rules[0])
            where = f"add a '{kind.KIND}' check to checks/" if kind is not None else "configure a check that raises it"
            err.write(f"pcso-policy: note: no configured check raises '{selector}': {where}\n")
    checked = {rule.id for check in project.checks for rule in check.rules}
    if project.selection.active.isdisjoint(checked):
        err.write(
            "pcso-policy: warning: the rule selection leaves no check that can fire (only files that cannot be "
            "read as policies would be reported): widen select, narrow ignore, or turn bundled_checks back on\n"
        )


def _check_outputs(settings: LintSettings, paths: list[str], project: Project) -> None:
    """Before anything is written (the cache, a baseline, the report): each output file can be written
    and is none of the policies being linted, the configuration, or (for the report) the baseline being
    read; ``--write-baseline`` may name the baseline it reads, to rewrite it."""
    from pcso_policy.sanitise import shown

    output, baseline = settings.output_file, settings.write_baseline
    if output is not None and baseline is not None and os.path.abspath(output) == os.path.abspath(baseline):
        raise UsageError(f"--output and --write-baseline name the same file '{shown(str(output))}': give each its own")
    configuration = (project.config.source, "the configuration")
    if output is not None:
        check_output(output, "--output", paths, [configuration, (settings.baseline, "the baseline being read")])
    if baseline is not None:
        check_output(baseline, "--write-baseline", paths, [configuration])


def _deliver(report: Report, settings: LintSettings, out: TextIO, err: TextIO) -> None:
    """The report to the terminal or a file (written in pieces, never held whole when the format
    gives them); statistics where a person reads them."""
    from pcso_policy.reporters.text import format_statistics, format_text

    if settings.output_file is not None:
        write_atomic(settings.output_file, chunks(settings.output_format, report))
        out.write(format_text(report))
        terminal = out
    else:
        for piece in chunks(settings.output_format, report):
            out.write(piece)
        terminal = out if settings.output_format == "text" else err
    if settings.statistics:
        terminal.write(format_statistics(report.result))


def exit_code(result: LintResult) -> int:
    if result.unreadable:
        return EXIT_USAGE
    return EXIT_ERRORS if result.count(Severity.ERROR) else EXIT_OK

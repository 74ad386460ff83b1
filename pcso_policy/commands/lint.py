"""``pcso-policy lint``: check policy files and report what is found."""

from __future__ import annotations

import datetime
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from pcso_policy.atomic import check_output, write_atomic
from pcso_policy.commands import EXIT_ERRORS, EXIT_OK, EXIT_USAGE
from pcso_policy.diagnostics import Severity
from pcso_policy.engine import LintResult
from pcso_policy.errors import UsageError
from pcso_policy.project import Project
from pcso_policy.reporters import Report, chunks
from pcso_policy.terminal import colour_wanted, progress

if TYPE_CHECKING:
    from pcso_policy.commands.fix import Fixed

STDIN = "-"
"""A path of ``-`` reads one policy from standard input."""
STDIN_NAME = "<stdin>"
"""What the policy read from standard input is called, unless ``--stdin-filename`` names it."""


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
    colour: str = "auto"
    """``--color``: ``auto`` (standard output a terminal; NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE), ``always``, ``never``."""
    quiet: bool = False
    """Print the findings and nothing else: no summary line, no notes, no progress."""
    exit_zero: bool = False
    """Exit 0 even when errors are found (usage errors and unreadable files still exit 2)."""
    stdin_filename: str | None = None
    """The name of the policy read from standard input (a path of ``-``); default ``<stdin>``."""
    baseline: Path | None = None
    write_baseline: Path | None = None
    changed_since: str | None = None
    """Lint only the policies a change since this git ref may affect."""
    cache_dir: Path | None = None
    """Where to keep the cache; default: the project's folder of the user cache folder (outside the checkout)."""
    use_cache: bool = True
    jobs: int = 1
    min_severity: str | None = None
    """Report (and count) only findings at this severity or above: ``error``, ``warning`` or ``info``."""
    fix: bool = False
    """Apply the safe fixes, write the files changed, and report what remains."""
    diff: bool = False
    """Print what ``fix`` would write as a unified diff, and write nothing."""
    unsafe_fixes: bool = False
    """With ``fix`` or ``diff``: apply the fixes that need a person's look too."""


def run(settings: LintSettings, out: TextIO, err: TextIO | None = None, stdin: BinaryIO | None = None) -> int:
    """Lint as ``settings`` ask; ``stdin`` is what a path of ``-`` reads (default: the process's standard input)."""
    err = err or sys.stderr
    project = Project.load(settings.config_file, settings.select, settings.ignore)
    _warn_unconfigured(project, settings, err)
    targets, stdin_name = _stdin_target(settings)
    paths = project.paths(targets) if targets or stdin_name is None else []
    if stdin_name is not None:  # the document read stands for a file of that name
        paths = [path for path in paths if os.path.normpath(path) != os.path.normpath(stdin_name)] + [stdin_name]
    _check_outputs(settings, paths, project)
    already_read: dict[str, bytes] = {}
    if stdin_name is not None:
        already_read[stdin_name] = _read_stdin(stdin, project.config.max_file_size)
    if settings.changed_since is not None:
        from pcso_policy import changes  # runs git: imported only when asked for

        paths, already_read = changes.select_changed(paths, settings.changed_since, project.config, project.boundary)
    as_of = settings.as_of or datetime.date.today()
    cache = project.cache(settings.cache_dir, project.selection, as_of, err.write) if settings.use_cache else None
    fingerprinted = settings.output_format == "sarif" or settings.baseline is not None or settings.write_baseline is not None
    engine = project.engine(as_of, cache=cache, jobs=settings.jobs or os.cpu_count() or 1, keep_line_digests=fingerprinted)
    counter = None if settings.quiet else progress(err, len(paths), engine.jobs)
    fixed = None
    try:
        if settings.fix or settings.diff:
            from pcso_policy.commands import fix as fixing

            advance = counter.advance if counter is not None else None
            fixed = fixing.fix_files(engine, paths, already_read, advance, settings.unsafe_fixes)
            result = fixed.result
        else:
            result = engine.lint_files(paths, already_read, counter.advance if counter is not None else None)
    finally:
        if counter is not None:
            counter.finish()
    if fixed is not None and settings.diff:
        return _show_diff(fixed, out)
    if fixed is not None:
        _write_fixed(fixed)
    least = Severity(settings.min_severity) if settings.min_severity is not None else Severity.INFO
    if settings.write_baseline is not None or settings.baseline is not None:
        _apply_baseline(result, settings, project.root, least)
    else:
        _keep_from(result, least)
    report = Report(result, project.catalogue.registry, project.root, project.boundary, least)
    _deliver(report, settings, out, err)
    if fixed is not None and not settings.quiet:
        files = len(fixed.changed)
        (out if settings.output_format == "text" and settings.output_file is None else err).write(
            f"Fixed {fixed.fixes} finding{'s' if fixed.fixes != 1 else ''} in {files} file{'s' if files != 1 else ''}\n"
        )
    code = exit_code(result)
    return EXIT_OK if settings.exit_zero and code == EXIT_ERRORS else code


def _show_diff(fixed: Fixed, out: TextIO) -> int:
    """``--diff``: what ``--fix`` would write, and exit 1 when that is anything."""
    from pcso_policy.commands.fix import unified_diff

    for path in fixed.changed:
        for text in unified_diff(path, fixed.before[path], fixed.after[path]):
            out.write(text + "\n")
    return EXIT_ERRORS if fixed.changed else EXIT_OK


def _write_fixed(fixed: Fixed) -> None:
    for path in fixed.changed:
        write_atomic(Path(path), fixed.after[path])


def _stdin_target(settings: LintSettings) -> tuple[tuple[str, ...], str | None]:
    """The paths to collect, and the name of the policy to read from standard input (None: none is)."""
    targets = tuple(path for path in settings.paths if path != STDIN)
    reads = len(targets) < len(settings.paths) or (settings.stdin_filename is not None and not settings.paths)
    if not reads:
        if settings.stdin_filename is not None:
            raise UsageError("--stdin-filename names the policy read from standard input: give - among the paths to read one")
        return targets, None
    if settings.fix or settings.diff:
        raise UsageError("--fix and --diff change files, and standard input is none: give the policy's path instead of -")
    if settings.changed_since is not None:
        raise UsageError("--changed-since asks git what changed, and standard input is no file in git: give paths instead of -")
    name = settings.stdin_filename if settings.stdin_filename is not None else STDIN_NAME
    if not name.strip() or name == STDIN:
        raise UsageError("--stdin-filename needs a file name, such as policies/o38.md")
    return targets, name


def _read_stdin(stdin: BinaryIO | None, limit: int) -> bytes:
    """Standard input's bytes, read once, no more than ``limit`` (max_file_size_mb) of them."""
    source = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
    if source is None:
        raise UsageError("- reads a policy from standard input, and this process has none")
    pieces: list[bytes] = []
    size = 0
    while size <= limit:
        piece = source.read(min(1 << 20, limit + 1 - size))
        if not piece:
            break
        pieces.append(piece)
        size += len(piece)
    if size > limit:
        raise UsageError(
            f"standard input holds more than {limit / 1_000_000:g} MB, the largest policy read (max_file_size_mb): "
            "split the document or raise the limit"
        )
    return b"".join(pieces)


def _keep_from(result: LintResult, least: Severity) -> None:
    """Leave out the findings less severe than ``least`` (``--min-severity``): neither shown nor counted.
    Errors are never left out, so the exit status, which follows errors, is the same with it or without."""
    if least is not Severity.INFO:
        from pcso_policy.reporters.report import RANK

        result.diagnostics = [diagnostic for diagnostic in result.diagnostics if RANK[diagnostic.severity] <= RANK[least]]


def _apply_baseline(result: LintResult, settings: LintSettings, root: Path, least: Severity) -> None:
    """Record the findings in a baseline (all of them, whatever ``--min-severity`` reports), and leave out
    those a baseline records."""
    from pcso_policy import baseline  # imported only when asked for, like changes: a plain run does not need it

    if settings.write_baseline is not None:
        baseline.write(settings.write_baseline, result.diagnostics, root, result.line_digests)
    _keep_from(result, least)
    if settings.baseline is not None:
        known = baseline.load(settings.baseline)
        result.diagnostics, result.baselined = known.split(result.diagnostics, root, result.line_digests)


def _warn_unconfigured(project: Project, settings: LintSettings, err: TextIO) -> None:
    """Say so when a selected rule cannot fire because no configured check raises it, and when the
    selection leaves no check at all to run (not errors: a repository may select a group it has not
    configured yet)."""
    from pcso_policy.kinds import kind_of

    raised = project.catalogue.raised_rules()
    chosen = settings.select if settings.select is not None else project.config.select
    registry = project.catalogue.registry
    for selector in chosen:
        rules = registry.matching(selector)
        if rules and raised.isdisjoint(rules) and not settings.quiet:
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
    from pcso_policy.reporters.text import format_statistics

    if settings.output_file is not None:
        write_atomic(settings.output_file, chunks(settings.output_format, report))
        out.write(_text_for(report, settings, out))
        terminal = out
    elif settings.output_format == "text":
        out.write(_text_for(report, settings, out))
        terminal = out
    else:
        for piece in chunks(settings.output_format, report):
            out.write(piece)
        terminal = err
    if settings.statistics:
        terminal.write(format_statistics(report.result))
    _platform_notes(report, settings, err)


def _platform_notes(report: Report, settings: LintSettings, err: TextIO) -> None:
    """What a CI platform will not show of the report: SARIF's results past GitHub's cap (on standard error);
    for GitHub annotations, the whole list appended to the job summary when the step has one."""
    if settings.output_format == "sarif":
        from pcso_policy.reporters.sarif import capped_note

        note = capped_note(report)
        if note is not None:
            err.write(f"pcso-policy: warning: {note}\n")
    elif settings.output_format == "github":
        from pcso_policy.reporters import github

        summary = github.step_summary_file()
        problem = github.append_step_summary(report, summary) if summary is not None else None
        if problem is not None:
            err.write(f"pcso-policy: warning: {problem}\n")


def _text_for(report: Report, settings: LintSettings, out: TextIO) -> str:
    """The text report as ``out`` gets it: coloured as ``--color`` says; with ``--quiet``, the findings alone."""
    from pcso_policy.reporters.text import finding_line, format_text

    colour = colour_wanted(settings.colour, out)
    if settings.quiet:
        return "".join(finding_line(diagnostic, colour) + "\n" for diagnostic in report.result.diagnostics)
    return format_text(report, colour)


def exit_code(result: LintResult) -> int:
    if result.unreadable:
        return EXIT_USAGE
    return EXIT_ERRORS if result.count(Severity.ERROR) else EXIT_OK

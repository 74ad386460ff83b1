"""What each command does, behind the CLI: build from settings, run, return an exit code.

Exit codes: 0 no finding at error severity, 1 errors found, 2 usage error or
a file that could not be read.
"""

from __future__ import annotations

import datetime
import inspect
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pcso_policy import config as config_module
from pcso_policy import files
from pcso_policy.atomic import write_atomic
from pcso_policy.cache import Cache
from pcso_policy.cache import salt as cache_salt
from pcso_policy.references import FOLDER as REFERENCES_FOLDER
from pcso_policy.check import Check
from pcso_policy.checkfiles import load_checks
from pcso_policy.config import Config
from pcso_policy.diagnostics import Severity
from pcso_policy.engine import Engine, LintResult, RuleSelection
from pcso_policy.errors import ConfigError, UsageError
from pcso_policy.kinds import KINDS, kind_of
from pcso_policy.registry import build_registry, builtin_checks
from pcso_policy.reporters import REPORTERS, Report
from pcso_policy.reporters.text import format_statistics, format_text
from pcso_policy import suppressions
from pcso_policy.builtin import parse
from pcso_policy.rules import Registry

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2
CACHE_FOLDER = ".pcso-policy-cache"


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
    """Where to keep the cache; default ``.pcso-policy-cache`` in the project root."""
    use_cache: bool = True
    jobs: int = 1


def load_config(config_file: Path | None = None) -> Config:
    cwd = Path.cwd()
    return config_module.load(config_file or config_module.discover(cwd), cwd)


def load_catalogue(config: Config) -> tuple[Registry, tuple[Check, ...]]:
    """The registry of every rule, and the checks this configuration runs."""
    folder = config.root / config.checks
    checks = builtin_checks()
    if folder.is_dir():
        checks = (*checks, *load_checks(folder))
    elif config.checks != "checks":
        raise UsageError(f"configured checks folder '{config.checks}' does not exist under {config.root}")
    return build_registry(checks), checks


def rule_selection(
    registry: Registry, config: Config, select: tuple[str, ...] | None = None, ignore: tuple[str, ...] | None = None
) -> RuleSelection:
    """The rules a run uses: the command line's lists, else the configuration's, which must name known rules."""
    for selector in (*config.select, *config.ignore, *config.severity):
        try:
            registry.check_selector(selector)
        except UsageError as error:
            if config.source is None:
                raise
            raise ConfigError(str(config.source), config_module.line_of_value(config.source, selector), str(error)) from None
    return RuleSelection.build(
        registry,
        select=config.select if select is None else select,
        ignore=config.ignore if ignore is None else ignore,
        severity=config.severity,
    )


def lint(settings: LintSettings, out: TextIO, err: TextIO) -> int:
    cwd = Path.cwd()
    config = load_config(settings.config_file)
    registry, checks = load_catalogue(config)
    selection = rule_selection(registry, config, settings.select, settings.ignore)
    chosen = settings.select if settings.select is not None else config.select
    if chosen:
        _warn_unconfigured(chosen, registry, checks, err)
    targets = settings.paths or configured_paths(config.root, config.paths, cwd)
    paths = files.collect(targets, config.exclude, config.root)
    if settings.changed_since is not None:
        from pcso_policy import changes  # runs git: imported only when asked for

        paths = changes.select_changed(paths, settings.changed_since, config)
    as_of = settings.as_of or datetime.date.today()
    cache = _cache(settings, config, selection, as_of) if settings.use_cache else None
    jobs = settings.jobs or os.cpu_count() or 1
    result = Engine(
        registry, checks, selection, as_of, cache=cache, jobs=jobs, root=config.root, max_file_size=config.max_file_size
    ).lint_files(paths)
    if settings.write_baseline is not None or settings.baseline is not None:
        _apply_baseline(result, settings, config.root)
    report = Report(result, registry, config.root)
    _deliver(report, settings, out, err)
    return exit_code(result)


def _apply_baseline(result: LintResult, settings: LintSettings, root: Path) -> None:
    """Record the findings in a baseline, and leave out those a baseline records."""
    from pcso_policy import baseline  # imported only when asked for, like changes: a plain run does not need it

    if settings.write_baseline is not None:
        baseline.write(settings.write_baseline, result.diagnostics, root)
    if settings.baseline is not None:
        result.diagnostics, result.baselined = baseline.load(settings.baseline).split(result.diagnostics, root)


def _warn_unconfigured(chosen: tuple[str, ...], registry: Registry, checks: tuple[Check, ...], err: TextIO) -> None:
    """Say so when a selected rule cannot fire because no check in checks/ raises it (not an error: a
    repository may select a group it has not configured yet)."""
    raised = {rule.id for check in checks for rule in check.rules} | {rule.id for rule in (*parse.RULES, *suppressions.RULES)}
    for selector in chosen:
        rules = registry.matching(selector)
        if rules and raised.isdisjoint(rules):
            kind = kind_of(rules[0])
            where = f"add a '{kind.KIND}' check to checks/" if kind is not None else "configure a check that raises it"
            err.write(f"pcso-policy: note: no configured check raises '{selector}': {where}\n")


def _deliver(report: Report, settings: LintSettings, out: TextIO, err: TextIO) -> None:
    """The report to the terminal or a file; statistics where a person reads them."""
    if settings.output_file is not None:
        write_atomic(settings.output_file, REPORTERS[settings.output_format](report))
        out.write(format_text(report))
        terminal = out
    else:
        out.write(REPORTERS[settings.output_format](report))
        terminal = out if settings.output_format == "text" else err
    if settings.statistics:
        terminal.write(format_statistics(report.result))


def _cache(settings: LintSettings, config: Config, selection: RuleSelection, as_of: datetime.date) -> Cache:
    """The cache, salted with every input besides a file's own bytes that its findings depend on."""
    inputs = [*(config.root / config.checks).glob("*.y*ml"), *(config.root / REFERENCES_FOLDER).rglob("*.md")]
    if config.source is not None:
        inputs.append(config.source)
    folder = settings.cache_dir or config.root / CACHE_FOLDER
    return Cache(folder, cache_salt(inputs, sorted(selection.active), as_of))


def exit_code(result: LintResult) -> int:
    if result.unreadable:
        return EXIT_USAGE
    return EXIT_ERRORS if result.count(Severity.ERROR) else EXIT_OK


def configured_paths(root: Path, paths: tuple[str, ...], cwd: Path) -> tuple[str, ...]:
    shown: list[str] = []
    for path in paths:
        absolute = root / path
        if not absolute.exists():
            raise UsageError(f"configured path '{path}' does not exist under {root}: give paths on the command line")
        shown.append(os.path.relpath(absolute, cwd))
    return tuple(shown)


def list_rules(out: TextIO) -> int:
    registry = build_registry(builtin_checks())
    width = max(len(rule_id) for rule_id in registry)
    for rule_id, rule in registry.items():
        out.write(f"{rule_id:<{width}}  {rule.severity.value:<7}  {rule.summary}\n")
    return EXIT_OK


def explain(rule_id: str, out: TextIO) -> int:
    registry = build_registry(builtin_checks())
    out.write(registry[rule_id].explain())
    kind = kind_of(rule_id)
    if kind is not None:
        out.write(f"\nCheck kind: {kind.KIND} (configured in checks/*.yaml)\n\n{inspect.cleandoc(kind.__doc__ or '')}\n")
    return EXIT_OK


def list_kinds(out: TextIO) -> int:
    for name, kind in KINDS.items():
        summary = inspect.cleandoc(kind.__doc__ or "").split("\n", 1)[0]
        rules = ", ".join(rule.id for rule in kind.RULES)
        out.write(f"{summary}\n    rules: {rules}\n")
    return EXIT_OK

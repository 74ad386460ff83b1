"""What each command does, behind the CLI: build from settings, run, return an exit code.

Exit codes: 0 no finding at error severity, 1 errors found, 2 usage error or
a file that could not be read.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pcso_policy import config as config_module
from pcso_policy import files
from pcso_policy.diagnostics import Severity
from pcso_policy.engine import Engine, LintResult, RuleSelection
from pcso_policy.errors import UsageError
from pcso_policy.registry import Check, build_registry, builtin_checks
from pcso_policy.reporters import REPORTERS
from pcso_policy.rules import Registry

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class LintSettings:
    """Everything ``pcso-policy lint`` was asked to do, as parsed from the command line."""

    paths: tuple[str, ...] = ()
    output_format: str = "text"
    as_of: datetime.date | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    config_file: Path | None = None


def load_catalogue() -> tuple[Registry, tuple[Check, ...]]:
    checks = builtin_checks()
    return build_registry(checks), checks


def lint(settings: LintSettings, out: TextIO) -> int:
    cwd = Path.cwd()
    config_path = settings.config_file or config_module.discover(cwd)
    config = config_module.load(config_path, cwd)
    registry, checks = load_catalogue()
    selection = RuleSelection.build(
        registry,
        select=config.select if settings.select is None else settings.select,
        ignore=config.ignore if settings.ignore is None else settings.ignore,
        severity=config.severity,
    )
    targets = settings.paths or _configured_paths(config.root, config.paths, cwd)
    paths = files.collect(targets, config.exclude, config.root)
    as_of = settings.as_of or datetime.date.today()
    result = Engine(registry, checks, selection, as_of).lint_files(paths)
    out.write(REPORTERS[settings.output_format](result))
    return exit_code(result)


def exit_code(result: LintResult) -> int:
    if result.unreadable:
        return EXIT_USAGE
    return EXIT_ERRORS if result.count(Severity.ERROR) else EXIT_OK


def _configured_paths(root: Path, paths: tuple[str, ...], cwd: Path) -> tuple[str, ...]:
    shown: list[str] = []
    for path in paths:
        absolute = root / path
        if not absolute.exists():
            raise UsageError(f"configured path '{path}' does not exist under {root}: give paths on the command line")
        shown.append(os.path.relpath(absolute, cwd))
    return tuple(shown)


def list_rules(out: TextIO) -> int:
    registry, _ = load_catalogue()
    width = max(len(rule_id) for rule_id in registry)
    for rule_id, rule in registry.items():
        out.write(f"{rule_id:<{width}}  {rule.severity.value:<7}  {rule.summary}\n")
    return EXIT_OK


def explain(rule_id: str, out: TextIO) -> int:
    registry, _ = load_catalogue()
    out.write(registry[rule_id].explain())
    return EXIT_OK

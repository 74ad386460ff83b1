"""The check catalogue of a run: the bundled rule set with a repository's own check files on top.

The layering, as the README states it:

- every bundled ``checks/*.yaml`` runs, unless the configuration's
  ``bundled_checks`` is ``false`` (none) or a list of file names (only those);
- a repository's ``checks/*.yaml`` (or the configured ``checks`` folder) add
  their checks; a file with the same name as a bundled one replaces it;
- a configured ``checks`` folder that does not exist is a usage error.

Each check keeps where it was defined, for ``rules``, ``kinds`` and messages.
Check files are read and compiled once per process (and file version).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from pcso_policy import reading, resources
from pcso_policy.check import Check
from pcso_policy.config import Config
from pcso_policy.errors import ConfigError, UsageError
from pcso_policy.rules import Registry

BUILT_IN = "built-in"


@dataclass(frozen=True, slots=True)
class CheckFile:
    """One file of check definitions and whether it ships with the tool."""

    path: Path
    bundled: bool

    def label(self, root: Path) -> str:
        """``bundled structure.yaml`` or the repository file's path relative to the project root."""
        if self.bundled:
            return f"bundled {self.path.name}"
        try:
            return self.path.relative_to(root).as_posix()
        except ValueError:
            return str(self.path)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every rule, the checks a configuration runs, and where each check came from."""

    registry: Registry
    checks: tuple[Check, ...]
    origins: tuple[str, ...]
    """Parallel to ``checks``: ``built-in``, ``bundled <file>`` or the repository's file."""
    files: tuple[CheckFile, ...]

    def origins_of_rule(self, rule_id: str) -> list[str]:
        """Where the checks that can raise ``rule_id`` were defined, in catalogue order."""
        found: list[str] = []
        for check, origin in zip(self.checks, self.origins, strict=True):
            if origin not in found and any(rule.id == rule_id for rule in check.rules):
                found.append(origin)
        return found

    def raised_rules(self) -> frozenset[str]:
        """Every rule some check of this catalogue can raise (the parser's and suppressions' included)."""
        from pcso_policy import suppressions
        from pcso_policy.builtin import parse

        always = {rule.id for rule in (*parse.RULES, *suppressions.RULES)}
        return frozenset(always | {rule.id for check in self.checks for rule in check.rules})


def check_files(config: Config) -> list[CheckFile]:
    """The check files a configuration runs, layered, in file-name order."""
    chosen: dict[str, CheckFile] = {}
    bundled_folder = resources.checks_dir()
    for path in _bundled_files(config, bundled_folder):
        chosen[path.name] = CheckFile(path, bundled=True)
    folder = config.root / config.checks
    if not folder.is_dir():
        if config.checks_configured:
            message = f"configured checks folder '{config.checks}' does not exist under {config.root}: create it or correct 'checks'"
            raise UsageError(message)
        return sorted(chosen.values(), key=lambda file: file.path.name)
    if _same_folder(folder, bundled_folder):
        return sorted(chosen.values(), key=lambda file: file.path.name)
    top = reading.boundary(config.root)
    if not reading.contained(folder, top):
        message = f"the checks folder '{config.checks}' is outside the project {top}: keep check files inside it"
        raise config.error_at(config.checks, message)
    for path in _yaml_files(folder):
        chosen[path.name] = CheckFile(path, bundled=False)
    return sorted(chosen.values(), key=lambda file: file.path.name)


def _bundled_files(config: Config, folder: Path) -> list[Path]:
    available = _yaml_files(folder)
    if config.bundled_checks is True:
        return available
    if config.bundled_checks is False:
        return []
    by_name = {path.name: path for path in available}
    chosen: list[Path] = []
    for name in config.bundled_checks:
        if name not in by_name:
            known = ", ".join(sorted(by_name))
            where = str(config.source) if config.source is not None else "the configuration"
            message = f"bundled_checks names '{name}', which is not a bundled check file: use one of {known}"
            raise ConfigError(where, _line_of(config, name), message)
        chosen.append(by_name[name])
    return chosen


def _line_of(config: Config, value: str) -> int | None:
    return config.line_of(value)


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.glob("*.y*ml") if path.suffix in (".yaml", ".yml") and path.is_file())


def _same_folder(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return False


def load(config: Config) -> Catalogue:
    """The catalogue for ``config``: built-in checks first, then each check file's, in file-name order."""
    files = tuple(check_files(config))
    stamps = tuple((file.path, file.bundled, *_stamp(file.path)) for file in files)
    return _compiled(stamps, config.root)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _compiled(stamps: tuple[tuple[Path, bool, int, int], ...], root: Path) -> Catalogue:
    from pcso_policy.checkfiles import load_check_file
    from pcso_policy.registry import build_registry, builtin_checks

    checks: list[Check] = []
    origins: list[str] = []
    for check in builtin_checks():
        checks.append(check)
        origins.append(BUILT_IN)
    files: list[CheckFile] = []
    top = reading.boundary(root)
    for path, bundled, _, _ in stamps:
        file = CheckFile(path, bundled)
        files.append(file)
        for check in load_check_file(path, trusted=bundled, root=None if bundled else top):
            checks.append(check)
            origins.append(file.label(root))
    return Catalogue(build_registry(tuple(checks)), tuple(checks), tuple(origins), tuple(files))

"""Configuration: ``[tool.pcso-policy]`` in ``pyproject.toml`` or ``.pcso-policy.toml``.

Discovery walks up from the working folder to the first folder holding either
file (``.pcso-policy.toml`` first), no further than the top of the git
repository (else the home folder). Settings are validated strictly against
``schemas/config.schema.json``; a bad key is a :class:`ConfigError` naming the
file, the line and the key.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pcso_policy import reading
from pcso_policy.diagnostics import Severity
from pcso_policy.errors import ConfigError, PcsoPolicyError, UsageError

DEDICATED = ".pcso-policy.toml"
PYPROJECT = "pyproject.toml"
TABLE = "tool.pcso-policy"
DEFAULT_MAX_FILE_SIZE = 5_000_000
DEFAULT_FILE_TIMEOUT = 60.0
"""Seconds one file may take to lint before it is reported as ``parse/timeout`` instead."""


@dataclass(frozen=True, slots=True)
class Config:
    root: Path
    """The folder that relative paths in the configuration are read from."""
    source: Path | None = None
    paths: tuple[str, ...] = ("policies",)
    checks: str = "checks"
    """The folder of the repository's own check definitions, relative to ``root``."""
    checks_configured: bool = False
    """Whether the configuration names ``checks`` (it must then exist)."""
    bundled_checks: bool | tuple[str, ...] = True
    """The bundled rule set: all of it, none, or only these file names."""
    bundled_references: bool = True
    """Whether the bundled national texts are registered beneath the repository's ``references/``."""
    exclude: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    """Bytes; a larger file is reported as ``parse/too-large`` instead of being parsed."""
    calendar_id: str | None = None
    """What names the repository's calendar in every UID of ``reviews --format ics`` (default: its git remote)."""
    file_timeout: float = DEFAULT_FILE_TIMEOUT
    """Seconds; a file that takes longer to lint is reported as ``parse/timeout``."""
    text: str = field(default="", repr=False, compare=False)
    """The configuration file as read (once), for the lines of messages about its settings."""

    def line_of(self, value: str) -> int | None:
        """The 1-based line of the configuration file where ``value`` is written as a quoted string."""
        for number, line in enumerate(self.text.splitlines(), start=1):
            if f'"{value}"' in line or f"'{value}'" in line:
                return number
        return None

    def error_at(self, value: str, message: str) -> PcsoPolicyError:
        """An error about a configured ``value``: at its line of the configuration file when there is one."""
        if self.source is None:
            return UsageError(message)
        return ConfigError(str(self.source), self.line_of(value), message)


def discover(start: Path) -> Path | None:
    """The configuration file that applies to ``start``, if any.

    The walk up stops at the top of the git work tree ``start`` lies in (the first folder holding
    ``.git``, a folder or a file): a configuration in a folder above the repository (a shared
    parent such as a CI runner's build folder) is not the repository's. Outside any repository it
    stops at the home folder when ``start`` lies below it (the folders above a home folder are
    shared with other users), else at the file system's root.
    """
    for folder in _search_folders(start):
        dedicated = folder / DEDICATED
        if dedicated.is_file():
            return dedicated
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None


def _search_folders(start: Path) -> list[Path]:
    """The folders :func:`discover` looks in, nearest first."""
    from pcso_policy.git import holders  # no git is run: the search reads the file system

    start = Path(os.path.abspath(start))
    chain = [start, *start.parents]
    found = holders(start)
    if found:
        return chain[: chain.index(found[0]) + 1]
    home = os.path.expanduser("~")
    if os.path.isabs(home) and Path(home) in chain:
        return chain[: chain.index(Path(home)) + 1]
    return chain


def _has_table(pyproject: Path) -> bool:
    try:
        text = reading.read_text_file(pyproject, DEFAULT_MAX_FILE_SIZE, pyproject.parent, "pyproject.toml")
    except reading.Refused:
        return False
    return re.search(r"^\s*\[\s*tool\.(\"pcso-policy\"|pcso-policy)\s*\]", text, re.MULTILINE) is not None


def load(path: Path | None, cwd: Path, named: bool = False) -> Config:
    """Load and validate ``path``; with no file, the defaults rooted at ``cwd``.

    A configuration found by :func:`discover` is read only if it is a regular file in its folder
    (not a link to elsewhere); one the user ``named`` (``--config``) is read where it leads.
    """
    if path is None:
        return Config(root=cwd)
    try:
        data = reading.read_bytes(path, DEFAULT_MAX_FILE_SIZE, None if named else path.parent)
    except reading.TooLarge:
        raise ConfigError(str(path), None, f"configuration is larger than {DEFAULT_MAX_FILE_SIZE / 1_000_000:g} MB") from None
    except reading.Refused as refused:
        raise ConfigError(str(path), None, f"cannot read configuration: {refused.reason}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(str(path), None, "configuration is not UTF-8 text") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(path), _toml_error_line(error), f"not valid TOML: {error}") from None
    settings = document if path.name != PYPROJECT else document.get("tool", {}).get("pcso-policy", {})
    _validate(settings, path, text)
    return Config(
        root=path.parent,
        source=path,
        paths=tuple(settings.get("paths", ("policies",))),
        checks=settings.get("checks", "checks"),
        checks_configured="checks" in settings,
        bundled_checks=_bundled_checks(settings.get("bundled_checks", True)),
        bundled_references=settings.get("bundled_references", True),
        exclude=tuple(settings.get("exclude", ())),
        select=tuple(settings.get("select", ())),
        ignore=tuple(settings.get("ignore", ())),
        severity={rule: Severity(level) for rule, level in settings.get("severity", {}).items()},
        max_file_size=int(settings.get("max_file_size_mb", DEFAULT_MAX_FILE_SIZE / 1_000_000) * 1_000_000),
        calendar_id=settings.get("calendar_id"),
        file_timeout=float(settings.get("file_timeout_seconds", DEFAULT_FILE_TIMEOUT)),
        text=text,
    )


def _bundled_checks(value: bool | list[str]) -> bool | tuple[str, ...]:
    return value if isinstance(value, bool) else tuple(value)


def _validate(settings: dict[str, Any], path: Path, text: str) -> None:
    from pcso_policy.validation import errors, unknown_key

    for error in errors("config.schema.json", settings):
        keys = [str(part) for part in error.absolute_path]
        if error.validator == "additionalProperties":
            unknown, hint = unknown_key(error, "settings")
            keys.append(unknown)
            message = f"unknown setting '{unknown}': {hint}"
        else:
            message = f"setting '{'.'.join(keys)}': {error.message}"
        raise ConfigError(str(path), _line_of(text, keys), message)


def _line_of(text: str, keys: list[str]) -> int | None:
    """The 1-based line where the last named key is written (TOML parsers keep no positions)."""
    for key in reversed(keys):
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=|[{{,]\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line):
                return number
    return None


def _toml_error_line(error: tomllib.TOMLDecodeError) -> int | None:
    match = re.search(r"at line (\d+)", str(error))
    return int(match.group(1)) if match else None

"""The project's one exception family: errors a user can act on."""

from __future__ import annotations


class PcsoPolicyError(Exception):
    """Base class; the CLI prints the message and exits with status 2."""


class UsageError(PcsoPolicyError):
    """A command line, a path or a setting the tool cannot work with."""


class ConfigError(PcsoPolicyError):
    """Configuration or a check definition that fails its schema."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.detail = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")

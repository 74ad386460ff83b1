"""The one finding type every check, engine stage and reporter shares.

Positions are 1-based lines and columns in the original file, as users see
them. Parsers that count from 0 convert through :func:`one_based` only.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pcso_policy.fixes import Fix


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A 1-based line and column."""

    line: int
    column: int


def one_based(line0: int, column0: int = 0) -> Position:
    """Convert a 0-based line and column (markdown-it ``Token.map``, PyYAML marks)."""
    return Position(line0 + 1, column0 + 1)


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a finding rests on (the other of two contradicting dates)."""

    line: int
    column: int
    message: str


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check yields: a rule it declared, a place and a message.

    The engine turns it into a :class:`Diagnostic` by adding the file's path
    and the severity that configuration gives the rule.
    """

    rule: str
    line: int
    column: int
    message: str
    end_line: int | None = None
    end_column: int | None = None
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    """The edits that would correct it, when the rule can say them (see :mod:`pcso_policy.fixes`)."""

    @classmethod
    def spanning(
        cls,
        rule: str,
        line: int,
        column: int,
        text: str,
        message: str,
        related: tuple[Related, ...] = (),
        fix: Fix | None = None,
    ) -> Finding:
        """A finding over ``text`` written at ``line``:``column`` (its end is exclusive, as in SARIF)."""
        if "\n" in text:
            return cls(rule, line, column, message, related=related, fix=fix)
        return cls(rule, line, column, message, line, column + len(text), related, fix)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding placed in a file, with its rule id and severity."""

    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    end_line: int
    end_column: int
    related: tuple[Related, ...] = field(default=())
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)

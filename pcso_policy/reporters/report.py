"""What every reporter receives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pcso_policy.diagnostics import Severity
from pcso_policy.engine import LintResult
from pcso_policy.rules import Registry


@dataclass(frozen=True, slots=True)
class Report:
    result: LintResult
    registry: Registry
    root: Path
    """The project root (where the configuration lives): SARIF locations are relative to it."""

    def summary(self) -> dict[str, int]:
        return {
            "files": self.result.files,
            "errors": self.result.count(Severity.ERROR),
            "warnings": self.result.count(Severity.WARNING),
            "infos": self.result.count(Severity.INFO),
        }

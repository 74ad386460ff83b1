"""What every reporter receives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pcso_policy.diagnostics import Diagnostic, Severity
from pcso_policy.engine import LintResult
from pcso_policy.fingerprints import project_path
from pcso_policy.rules import Registry

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
"""Most severe first: the order CI outputs put findings in when a reader shows only some of them."""
RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


def most_severe_first(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """``diagnostics`` errors first, then warnings, then infos; each severity keeps its order (path, line)."""
    return sorted(diagnostics, key=lambda diagnostic: RANK[diagnostic.severity])


@dataclass(frozen=True, slots=True)
class Report:
    result: LintResult
    registry: Registry
    root: Path
    """The project root (where the configuration lives): fingerprints and baselines are relative to it."""
    top: Path | None = None
    """The top of the git work tree the project lies in (None: the project root): SARIF locations,
    GitHub annotations and JUnit test names are relative to it, as GitHub and GitLab read paths."""
    min_severity: Severity = Severity.INFO
    """The least severe finding reported (``--min-severity``): the result holds nothing below it."""

    @property
    def repository_root(self) -> Path:
        return self.top if self.top is not None else self.root

    def repository_path(self, path: str) -> str:
        """``path`` (as given on the command line) relative to :attr:`repository_root`, with forward slashes."""
        return project_path(path, self.repository_root)

    @property
    def left_out(self) -> tuple[Severity, ...]:
        """The severities ``--min-severity`` leaves out of the report (and its counts), most severe first."""
        return SEVERITIES[RANK[self.min_severity] + 1 :]

    def summary(self) -> dict[str, int]:
        return {
            "files": self.result.files,
            "errors": self.result.count(Severity.ERROR),
            "warnings": self.result.count(Severity.WARNING),
            "infos": self.result.count(Severity.INFO),
        }

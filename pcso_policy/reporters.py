"""Reporters turn a :class:`~pcso_policy.engine.LintResult` into text for a reader.

``REPORTERS`` maps each ``--format`` name to its function; the JSON shape is
a contract other tools rely on (see README, "JSON output").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from pcso_policy.diagnostics import Diagnostic, Severity
from pcso_policy.engine import LintResult


def summary(result: LintResult) -> dict[str, int]:
    return {
        "files": result.files,
        "errors": result.count(Severity.ERROR),
        "warnings": result.count(Severity.WARNING),
        "infos": result.count(Severity.INFO),
    }


def summary_line(result: LintResult) -> str:
    counts = summary(result)
    files = f"{counts['files']} file" + ("" if counts["files"] == 1 else "s")
    parts = [_plural(counts["errors"], "error"), _plural(counts["warnings"], "warning"), _plural(counts["infos"], "info")]
    return f"Checked {files}: {', '.join(parts)}."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def format_text(result: LintResult) -> str:
    lines = [
        f"{d.path}:{d.line}:{d.column}: {d.severity.value} {d.rule} {d.message}" for d in result.diagnostics
    ]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def _diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "path": diagnostic.path,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "end_line": diagnostic.end_line,
        "end_column": diagnostic.end_column,
        "rule": diagnostic.rule,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "related": [{"line": r.line, "column": r.column, "message": r.message} for r in diagnostic.related],
    }


def format_json(result: LintResult) -> str:
    document = {"diagnostics": [_diagnostic_json(d) for d in result.diagnostics], "summary": summary(result)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


REPORTERS: Mapping[str, Callable[[LintResult], str]] = MappingProxyType(
    {
        "text": format_text,
        "json": format_json,
    }
)

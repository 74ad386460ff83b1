"""The JSON format: a stable contract other tools rely on (README, "JSON output"). Change it only additively."""

from __future__ import annotations

import json
from typing import Any

from pcso_policy.diagnostics import Diagnostic
from pcso_policy.reporters.report import Report


def format_json(report: Report) -> str:
    document = {"diagnostics": [_diagnostic(d) for d in report.result.diagnostics], "summary": report.summary()}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _diagnostic(diagnostic: Diagnostic) -> dict[str, Any]:
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

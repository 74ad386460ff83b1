"""The JSON format: a stable contract other tools rely on (README, "JSON output"). Change it only additively.

Written finding by finding (:func:`json_chunks`), the text one ``json.dumps(..., indent=2)``
of the whole document gives. Values are kept as they are; the characters that could act on
a terminal or a CI log are written as JSON escapes, and a file name's bytes that are not
UTF-8 as the text ``\\xff`` (see :func:`pcso_policy.sanitise.json_text`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pcso_policy.diagnostics import Diagnostic
from pcso_policy.reporters.report import Report
from pcso_policy.sanitise import json_text

_INDENT = " " * 4
"""Where a finding stands in the document: ``diagnostics[n]``, two levels in."""


def format_json(report: Report) -> str:
    return "".join(json_chunks(report))


def json_chunks(report: Report) -> Iterator[str]:
    diagnostics = report.result.diagnostics
    summary: dict[str, Any] = dict(report.summary())
    if report.left_out:  # --min-severity: the counts below it are 0 because nothing below it was reported
        summary["min_severity"] = report.min_severity.value
    if not diagnostics:
        yield json_text(json.dumps({"diagnostics": [], "summary": summary}, indent=2, ensure_ascii=False)) + "\n"
        return
    yield '{\n  "diagnostics": ['
    for number, diagnostic in enumerate(diagnostics):
        text = json.dumps(_diagnostic(diagnostic), indent=2, ensure_ascii=False)
        yield ("\n" if number == 0 else ",\n") + _INDENT + json_text(text).replace("\n", "\n" + _INDENT)
    written = json.dumps(summary, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    yield f'\n  ],\n  "summary": {written}\n}}\n'


def _diagnostic(diagnostic: Diagnostic) -> dict[str, Any]:
    written = _fields(diagnostic)
    if diagnostic.fix is not None:
        fix = diagnostic.fix
        edits = [
            {"line": e.line, "column": e.column, "end_line": e.end_line, "end_column": e.end_column, "replacement": e.replacement}
            for e in fix.edits
        ]
        written["fix"] = {"description": fix.description, "safe": fix.safe, "edits": edits}
    return written


def _fields(diagnostic: Diagnostic) -> dict[str, Any]:
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

"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

See "Workflow commands for GitHub Actions" (``::error file=...,line=...::message``).
Property values escape ``%``, CR, LF, ``:`` and ``,``; the message escapes ``%``, CR and LF. A file
name's byte that is not UTF-8 is shown ``\\xff`` (a log line is UTF-8 text).
"""

from __future__ import annotations

from pcso_policy.diagnostics import Diagnostic, Severity
from pcso_policy.reporters.report import Report
from pcso_policy.sanitise import printable

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def format_github(report: Report) -> str:
    return "".join(annotation(diagnostic) + "\n" for diagnostic in report.result.diagnostics)


def annotation(diagnostic: Diagnostic) -> str:
    properties = {
        "file": printable(diagnostic.path),
        "line": str(diagnostic.line),
        "col": str(diagnostic.column),
        "endLine": str(diagnostic.end_line),
        "endColumn": str(diagnostic.end_column),
        "title": f"pcso-policy {diagnostic.rule}",
    }
    written = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{COMMAND[diagnostic.severity]} {written}::{escape_data(printable(diagnostic.message))}"


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")

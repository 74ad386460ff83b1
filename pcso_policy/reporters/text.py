"""The text format: one ``path:line:col: severity rule message`` line per finding, then a summary.

Paths and messages come from the repository a pull request controls: each line
goes through :func:`pcso_policy.sanitise.line`, so a newline, an escape
sequence or a workflow command in a file name or a YAML value is shown
escaped, never acted on by a terminal or a CI log. With ``colour``
(:mod:`pcso_policy.terminal`) the same text, escaped the same way, is wrapped
in the tool's own colours: the place bold, the severity in its colour, the
rule dim, the summary red, yellow or green.
"""

from __future__ import annotations

from collections import Counter

from pcso_policy.diagnostics import Diagnostic
from pcso_policy.engine import LintResult
from pcso_policy.reporters.report import Report
from pcso_policy.sanitise import line, shown
from pcso_policy.terminal import SEVERITY_STYLES, paint


def format_text(report: Report, colour: bool = False) -> str:
    lines = [finding_line(d, colour) for d in report.result.diagnostics]
    lines.append(_painted_summary(report, colour))
    return "\n".join(lines) + "\n"


def finding_line(d: Diagnostic, colour: bool = False) -> str:
    """One finding's line; with ``colour``, the same characters with colours around its parts."""
    if not colour:
        return line(f"{d.path}:{d.line}:{d.column}: {d.severity.value} {d.rule} {d.message}")
    place = line(f"{d.path}:{d.line}:{d.column}:")  # escaped as the whole line would be: it starts the line
    severity = d.severity.value
    rule, message = shown(d.rule), shown(d.message)
    return f"{paint(place, 'bold', True)} {paint(severity, SEVERITY_STYLES[severity], True)} {paint(rule, 'dim', True)} {message}"


def _painted_summary(report: Report, colour: bool) -> str:
    text = summary_line(report)
    if not colour:
        return text
    counts = report.summary()
    return paint(text, "red" if counts["errors"] else "yellow" if counts["warnings"] else "green", True)


def summary_line(report: Report) -> str:
    """``Checked N files: ...``: the count of each severity reported; under ``--min-severity``, only of those
    it reports, and which it leaves out (``2 errors (warnings and infos not reported: --min-severity error)``)."""
    counts = report.summary()
    parts = [_plural(counts["errors"], "error"), _plural(counts["warnings"], "warning"), _plural(counts["infos"], "info")]
    left_out = report.left_out
    if left_out:
        parts = parts[: len(parts) - len(left_out)]
        names = " and ".join(f"{severity.value}s" for severity in left_out)
        parts[-1] += f" ({names} not reported: --min-severity {report.min_severity.value})"
    line = f"Checked {_plural(counts['files'], 'file')}: {', '.join(parts)}."
    if report.result.baselined:
        line += f" {_plural(report.result.baselined, 'known finding')} recorded in the baseline not shown."
    return line


def format_statistics(result: LintResult) -> str:
    """Counts per rule, most frequent first, as ``--statistics`` prints them."""
    counts = Counter(diagnostic.rule for diagnostic in result.diagnostics)
    if not counts:
        return "No findings.\n"
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{count:>6}  {line(rule)}\n" for rule, count in rows)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")

"""The text format: one ``path:line:col: severity rule message`` line per finding, then a summary.

Paths and messages come from the repository a pull request controls: each line
goes through :func:`pcso_policy.sanitise.line`, so a newline, an escape
sequence or a workflow command in a file name or a YAML value is shown
escaped, never acted on by a terminal or a CI log.
"""

from __future__ import annotations

from collections import Counter

from pcso_policy.engine import LintResult
from pcso_policy.reporters.report import Report
from pcso_policy.sanitise import line


def format_text(report: Report) -> str:
    lines = [line(f"{d.path}:{d.line}:{d.column}: {d.severity.value} {d.rule} {d.message}") for d in report.result.diagnostics]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def summary_line(report: Report) -> str:
    counts = report.summary()
    parts = [_plural(counts["errors"], "error"), _plural(counts["warnings"], "warning"), _plural(counts["infos"], "info")]
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

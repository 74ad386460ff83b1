"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

See "Workflow commands for GitHub Actions" (``::error file=...,line=...::message``).
Property values escape ``%``, CR, LF, ``:`` and ``,``; the message escapes ``%``, CR and LF. A file
name's byte that is not UTF-8 is shown ``\\xff`` (a log line is UTF-8 text).

GitHub as it is: a step shows 10 error, 10 warning and 10 notice annotations
and drops the rest without a word, in the order they were printed. So
errors come first, then warnings, then notices (infos); when there are more
of a kind than GitHub shows, a first ``::notice`` (always among the notices
shown) says how many there are and where the whole list is. Paths are
relative to the top of the repository's work tree, as GitHub reads them and
as SARIF gives them, wherever the tool ran. A message longer than
:data:`MESSAGE_LIMIT` characters is shortened in its annotation.

Every line stays in the step's log, but the log holds the shortened
messages too: when the annotations leave anything out (a kind over 10, a
shortened message) and the step has a job summary (``GITHUB_STEP_SUMMARY``),
:func:`step_summary` gives the whole list as Markdown to append to it, within
GitHub's 1 MiB a step.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

from pcso_policy.diagnostics import Diagnostic, Severity
from pcso_policy.reporters.report import SEVERITIES, Report, most_severe_first
from pcso_policy.sanitise import line, printable

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SHOWN_PER_KIND = 10
"""Annotations of each kind (error, warning, notice) GitHub shows for a step."""
MESSAGE_LIMIT = 1_000
"""Characters of a message an annotation carries; the rest is cut (and kept in the job summary)."""
SUMMARY_LIMIT = 1024 * 1024
"""What GitHub takes of a step's summary file: a larger one is refused whole ("supports content up to a size of 1024k")."""
SUMMARY_RESERVE = 64 * 1024
"""Room left in the step's summary for whatever the workflow writes after this step's part."""


def format_github(report: Report) -> str:
    diagnostics = most_severe_first(report.result.diagnostics)
    summary = step_summary_file() is not None
    lines = [annotation(diagnostic, report.repository_path(diagnostic.path), summary) for diagnostic in diagnostics]
    notice = overflow_notice(report, summary)
    if notice is not None:
        lines.insert(0, notice)
    return "".join(text + "\n" for text in lines)


def annotation(diagnostic: Diagnostic, path: str | None = None, summary: bool = False) -> str:
    """One workflow command; ``path`` is the file as GitHub should read it (default: as given)."""
    properties = {
        "file": printable(diagnostic.path if path is None else path),
        "line": str(diagnostic.line),
        "col": str(diagnostic.column),
        "endLine": str(diagnostic.end_line),
        "endColumn": str(diagnostic.end_column),
        "title": f"pcso-policy {diagnostic.rule}",
    }
    written = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{COMMAND[diagnostic.severity]} {written}::{escape_data(shortened(printable(diagnostic.message), summary))}"


def shortened(message: str, summary: bool = False) -> str:
    """``message`` cut to :data:`MESSAGE_LIMIT` characters, saying how much is left out and where it is."""
    if len(message) <= MESSAGE_LIMIT:
        return message
    where = "the job summary" if summary else "pcso-policy lint's text or JSON output"
    return f"{message[:MESSAGE_LIMIT]}… ({len(message) - MESSAGE_LIMIT:,} more characters: the whole message is in {where})"


def left_out(report: Report) -> bool:
    """Whether the annotations do not show everything: more of a kind than GitHub shows, or a shortened message."""
    counts = Counter(diagnostic.severity for diagnostic in report.result.diagnostics)
    return any(count > SHOWN_PER_KIND for count in counts.values()) or any(
        len(printable(diagnostic.message)) > MESSAGE_LIMIT for diagnostic in report.result.diagnostics
    )


def overflow_notice(report: Report, summary: bool = False) -> str | None:
    """The ``::notice`` that says GitHub shows only some of the annotations; None when it shows them all."""
    counts = Counter(diagnostic.severity for diagnostic in report.result.diagnostics)
    if all(count <= SHOWN_PER_KIND for count in counts.values()):
        return None
    where = "in this step's log" + (" and in the job summary" if summary else "")
    text = (
        f"pcso-policy found {_counted(counts)}. GitHub shows {SHOWN_PER_KIND} annotations of each kind a step, "
        f"errors first here: all {sum(counts.values()):,} are listed {where}."
    )
    return f"::notice title={escape_property('pcso-policy: more findings than annotations')}::{escape_data(text)}"


def _counted(counts: Counter[Severity]) -> str:
    parts = [f"{counts[severity]:,} {severity.value}{'' if counts[severity] == 1 else 's'}" for severity in SEVERITIES if counts[severity]]
    if not parts:
        return "no findings"
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def step_summary_file() -> Path | None:
    """The step's job summary file GitHub Actions names (``GITHUB_STEP_SUMMARY``), or None outside Actions."""
    name = os.environ.get("GITHUB_STEP_SUMMARY")
    return Path(name) if name else None


def step_summary(report: Report, budget: int) -> str:
    """Every finding as Markdown for the job summary, most severe first, in at most ``budget`` bytes of UTF-8.

    Each finding is one line of the text format (shown escaped, :func:`pcso_policy.sanitise.line`)
    inside a fenced code block, so nothing a policy holds is read as Markdown or HTML; the fence is
    longer than any run of backticks in it. Findings past the budget are counted, not listed.
    """
    diagnostics = most_severe_first(report.result.diagnostics)
    counts = Counter(diagnostic.severity for diagnostic in diagnostics)
    rows = [
        line(f"{report.repository_path(d.path)}:{d.line}:{d.column}: {d.severity.value} {d.rule} {d.message}") for d in diagnostics
    ]
    longest = max((len(run) for row in rows for run in re.findall("`+", row)), default=0)
    fence = "`" * max(3, longest + 1)
    head = (
        f"### pcso-policy lint\n\n{_counted(counts)} in {report.result.files:,} "
        f"file{'' if report.result.files == 1 else 's'}, most severe first (the annotations show {SHOWN_PER_KIND} of each kind "
        f"and {MESSAGE_LIMIT:,} characters of a message).\n\n{fence}text\n"
    )
    close = f"{fence}\n"
    used = len(head.encode("utf-8")) + len(close.encode("utf-8")) + 200  # room for the line counting what is left out
    listed: list[str] = []
    for row in rows:
        size = len(row.encode("utf-8")) + 1
        if used + size > budget:
            break
        listed.append(row + "\n")
        used += size
    text = head + "".join(listed) + close
    if len(listed) < len(rows):
        text += f"\n{len(rows) - len(listed):,} more not listed: a job summary holds at most 1 MiB.\n"
    return text + "\n"


def append_step_summary(report: Report, path: Path) -> str | None:
    """Append :func:`step_summary` to ``path`` when the annotations leave something out; a warning when that fails."""
    if not left_out(report):
        return None
    try:
        existing = path.stat().st_size if path.exists() else 0
        budget = SUMMARY_LIMIT - existing - SUMMARY_RESERVE
        if budget < 4096:
            return "the job summary is nearly full: the findings are not added to it"
        with path.open("a", encoding="utf-8") as summary:
            summary.write(step_summary(report, budget))
    except OSError as error:
        return f"cannot add the findings to the job summary: {error.strerror or error}"
    return None


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")

"""Review planning: when each policy falls due for review, for the people who own it.

Reads only the front matter (``id``, ``title``, ``owner``, ``status``,
``last_reviewed``, ``next_review``) of every policy file and judges it on an
``as_of`` date the way ``review/overdue`` and ``review/due-soon`` do: a
month-precision ``next_review`` is due by the last day of its month, and a
review is due soon from ``due_soon_days`` (the review-dates check's option,
default 90) before that. A file whose front matter cannot be read, or whose
``next_review`` is missing or not a date, is still listed, with the reason.
Each policy also carries what the review rules that judge consistency find
(``review/date-conflict``, ``schedule-mismatch``, ``cycle-mismatch``,
``future-date``, as configured and suppressed for ``lint``): a planned date
is only as good as the dates it rests on.

Exit codes: 0, or 1 with ``fail_on_overdue`` when a listed policy is overdue
or its next review cannot be read (it cannot be shown to be current).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pcso_policy.cache import FileResult
from pcso_policy.commands import EXIT_ERRORS, EXIT_OK
from pcso_policy.dates import PartialDate, parse_iso
from pcso_policy.diagnostics import Diagnostic, Finding
from pcso_policy.engine import RuleSelection
from pcso_policy.errors import UsageError
from pcso_policy.model import Document
from pcso_policy.parsing import read_metadata
from pcso_policy.project import Project
from pcso_policy.sanitise import json_text, line, shown

OVERDUE = "overdue"
DUE_SOON = "due soon"
UNKNOWN = "unknown"
SCHEDULED = "scheduled"
WITHDRAWN = "withdrawn"
STATES = {OVERDUE: 0, DUE_SOON: 1, UNKNOWN: 2, SCHEDULED: 3, WITHDRAWN: 4}
DEFAULT_DUE_SOON_DAYS = 90
FORMATS = ("text", "json", "csv", "ics")


@dataclass(frozen=True, slots=True)
class Review:
    """One policy's review position on the ``as_of`` date."""

    path: str
    id: str | None
    title: str | None
    owner: str | None
    status: str | None
    last_reviewed: PartialDate | None
    next_review: PartialDate | None
    due: datetime.date | None
    """The last day the review may happen: the end of the month for a month-precision ``next_review``."""
    days: int | None
    """Days from ``as_of`` to ``due``; negative when overdue."""
    state: str
    problem: str | None = None
    """Why the review cannot be planned (unreadable front matter, no ``next_review``)."""
    findings: tuple[Diagnostic, ...] = field(default=())
    """What the review rules other than overdue and due-soon find: dates that contradict each other."""

    def urgency(self) -> tuple[int, int, str]:
        return (STATES[self.state], self.days if self.days is not None else 0, self.path)

    def when(self) -> str:
        """The position in words: '69 days left', '3 days overdue', 'due today'."""
        if self.problem is not None:
            return self.problem
        if self.state == WITHDRAWN:
            return "no review planned"
        assert self.days is not None
        if self.days == 0:
            return "due today"
        if self.days < 0:
            return f"{_days(-self.days)} overdue"
        return f"{_days(self.days)} left"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def review_of(
    path: str, data: bytes, as_of: datetime.date, due_soon_days: int, document: Document | None = None
) -> Review:
    """The review position of one policy file's bytes (``document``: their parse, when already made)."""
    metadata = document.meta if document is not None else read_metadata(data)
    if not metadata:
        return unknown_review(path, _unreadable(data))
    last = parse_iso(metadata.get("last_reviewed"))
    next_review = parse_iso(metadata.get("next_review"))
    fields = (
        _text(metadata.get("id")),
        _text(metadata.get("title")),
        _text(metadata.get("owner")),
        _text(metadata.get("status")),
    )
    if fields[3] == WITHDRAWN:
        due = next_review.last_day() if next_review else None
        return Review(path, *fields, last, next_review, due, (due - as_of).days if due else None, WITHDRAWN)
    if next_review is None:
        raw = metadata.get("next_review")
        reason = "no next_review in the front matter" if raw is None else f"next_review {str(raw)!r} is not YYYY-MM or YYYY-MM-DD"
        return Review(path, *fields, last, None, None, None, UNKNOWN, reason)
    due = next_review.last_day()
    days = (due - as_of).days
    if days < 0:
        state = OVERDUE
    elif days <= due_soon_days:
        state = DUE_SOON
    else:
        state = SCHEDULED
    return Review(path, *fields, last, next_review, due, days, state)


def _unreadable(data: bytes) -> str:
    """Why ``read_metadata`` found nothing, in words; ``pcso-policy lint`` gives the line and column."""
    if not data.strip():
        return "no readable front matter: the file is empty"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "no readable front matter: the file is not UTF-8 text"
    if text.lstrip("\ufeff").startswith("---"):
        return "no readable front matter: it is not valid YAML of keys and values (pcso-policy lint shows where)"
    return "no readable front matter: start the file with YAML between two '---' lines"


def unknown_review(path: str, reason: str) -> Review:
    """A policy whose review cannot be judged, with the reason."""
    return Review(path, None, None, None, None, None, None, None, None, UNKNOWN, reason)


def read_review(path: str, as_of: datetime.date, due_soon_days: int, max_file_size: int) -> Review:
    """One policy file's review, read on its own."""
    from pcso_policy.engine import read_policy

    data = read_policy(path, max_file_size)
    if not isinstance(data, bytes):
        return unknown_review(path, unread_reason(data.findings[0], max_file_size))
    return review_of(path, data, as_of, due_soon_days)


def unread_reason(finding: Finding, max_file_size: int) -> str:
    """Why a policy file was not read, in the listing's words."""
    if finding.rule == "parse/too-large":
        return f"file is larger than {max_file_size / 1_000_000:g} MB and was not read"
    return "cannot be read: " + finding.message.removeprefix("cannot read file: ")


def window_end(as_of: datetime.date, within: str) -> datetime.date:
    """The last day of a window written '90d', '12w', '6m' or '2y' from ``as_of``."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*([dwmy]?)\s*", within.lower())
    if match is None:
        raise UsageError(f"--due-within {within!r} is not a period: write a number with d, w, m or y, such as 90d")
    count, unit = int(match[1]), match[2] or "d"
    try:
        if unit in "dw":
            return as_of + datetime.timedelta(days=count * (7 if unit == "w" else 1))
        months = count * (12 if unit == "y" else 1)
        return PartialDate(as_of.year, as_of.month, as_of.day).add_months(months).first_day()
    except (OverflowError, ValueError):
        raise UsageError(f"--due-within {within!r} reaches past the year 9999: give a shorter period") from None


def select(
    reviews: Iterable[Review], as_of: datetime.date, owner: str | None = None, due_within: str | None = None
) -> list[Review]:
    """Filter by owner (case-insensitive) and window, sorted by urgency.

    The window keeps overdue reviews and those that cannot be judged: both need attention.
    """
    end = window_end(as_of, due_within) if due_within is not None else None
    chosen = []
    for review in reviews:
        if owner is not None and (review.owner or "").casefold() != owner.strip().casefold():
            continue
        if end is not None and review.due is not None and (review.due > end or review.state == WITHDRAWN):
            continue
        chosen.append(review)
    return sorted(chosen, key=Review.urgency)


def due_soon_days_of(checks: Iterable[object]) -> int:
    """The review-dates check's due_soon_days, so the two commands never disagree."""
    for check in checks:
        days = getattr(check, "due_soon_days", None)
        if isinstance(days, int):
            return days
    return DEFAULT_DUE_SOON_DAYS


# Overdue and due soon are what the listing itself shows; these say whether its dates can be trusted.
CONSISTENCY_RULES = ("review/date-conflict", "review/schedule-mismatch", "review/cycle-mismatch", "review/future-date")


def collect_reviews(project: Project, paths: tuple[str, ...], as_of: datetime.date) -> tuple[list[Review], int]:
    """Every policy's review with its review-date findings, and the due-soon window."""
    soon = due_soon_days_of(project.checks)
    found = project.paths(paths)
    configured = project.selection
    selection = RuleSelection(configured.active & frozenset(CONSISTENCY_RULES), configured.severity)
    engine = project.engine(as_of, selection)
    results: dict[str, FileResult] = {}
    reviews: list[Review] = []
    for policy in project.policies(found, engine):
        results[policy.path] = policy.result
        if policy.data is None:
            reviews.append(unknown_review(policy.path, unread_reason(policy.result.findings[0], project.config.max_file_size)))
        else:
            reviews.append(review_of(policy.path, policy.data, as_of, soon, policy.document))
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in engine.finish(results).diagnostics:
        if diagnostic.rule in selection.active:
            by_path.setdefault(diagnostic.path, []).append(diagnostic)
    return [replace(review, findings=tuple(by_path.get(review.path, ()))) for review in reviews], soon


def repository_name(root: Path) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", root.resolve().name).strip("-.") or "policies"


def exit_code(reviews: Iterable[Review], fail_on_overdue: bool) -> int:
    if fail_on_overdue and any(review.state in (OVERDUE, UNKNOWN) for review in reviews):
        return EXIT_ERRORS
    return EXIT_OK


def date_text(date: PartialDate | None) -> str:
    if date is None:
        return ""
    return f"{date.year:04d}-{date.month:02d}" + ("" if date.day is None else f"-{date.day:02d}")


COLUMNS = ("id", "title", "owner", "status", "last_reviewed", "next_review", "due", "days", "state", "path", "problem", "findings")


def as_record(review: Review) -> dict[str, Any]:
    """One review as a JSON object: the contract of ``--format json`` and ``csv``."""
    return {
        "id": review.id,
        "title": review.title,
        "owner": review.owner,
        "status": review.status,
        "last_reviewed": date_text(review.last_reviewed) or None,
        "next_review": date_text(review.next_review) or None,
        "due": review.due.isoformat() if review.due else None,
        "days": review.days,
        "state": review.state,
        "path": review.path,
        "problem": review.problem,
        "findings": [
            {"line": item.line, "column": item.column, "rule": item.rule, "severity": item.severity.value, "message": item.message}
            for item in review.findings
        ],
    }


def summary(reviews: list[Review], soon: int) -> str:
    counts = {state: sum(1 for review in reviews if review.state == state) for state in STATES}
    noun = "policy" if len(reviews) == 1 else "policies"
    return (
        f"{len(reviews)} {noun}: {counts[OVERDUE]} overdue, {counts[DUE_SOON]} due soon (within {soon} days), "
        f"{counts[SCHEDULED]} scheduled, {counts[WITHDRAWN]} withdrawn, {counts[UNKNOWN]} without a readable next review"
    )


TITLE_WIDTH = 40


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def format_text(reviews: list[Review], as_of: datetime.date, soon: int) -> str:
    """The table, then the findings that question its dates, then a summary. Every value from a policy
    (a YAML value, a file name) is shown escaped (:func:`pcso_policy.sanitise.shown`)."""
    header = ("ID", "TITLE", "OWNER", "STATUS", "LAST", "NEXT", "DUE BY", "PATH", "STATE", "WHEN")
    rows = [
        (
            shown(review.id or "-"),
            _shorten(shown(review.title or "-"), TITLE_WIDTH),
            shown(review.owner or "-"),
            shown(review.status or "-"),
            date_text(review.last_reviewed) or "-",
            date_text(review.next_review) or "-",
            review.due.isoformat() if review.due else "-",
            shown(review.path),
            review.state,
            shown(review.when()),
        )
        for review in reviews
    ]
    widths = [max(len(row[index]) for row in (header, *rows)) for index in range(len(header))]
    lines = [line("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()) for row in (header, *rows)]
    for review in reviews:
        for item in review.findings:
            lines.append(line(f"{review.path}:{item.line}:{item.column}: {item.severity.value} {item.rule} {item.message}"))
    lines.append(f"Reviews on {as_of.isoformat()}: {summary(reviews, soon)}.")
    return "\n".join(lines) + "\n"


def format_json(reviews: list[Review], as_of: datetime.date, soon: int) -> str:
    payload = {
        "as_of": as_of.isoformat(),
        "due_soon_days": soon,
        "reviews": [as_record(review) for review in reviews],
    }
    return json_text(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n"


def format_csv(reviews: list[Review], as_of: datetime.date, soon: int) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for review in reviews:
        record = as_record(review)
        record["findings"] = " | ".join(f"{item['line']}:{item['column']} {item['rule']} {item['message']}" for item in record["findings"])
        writer.writerow({key: _cell(value) for key, value in record.items()})
    return buffer.getvalue()


_FORMULA = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"), fullwidth forms included;
OWASP's other two, a tab and a carriage return, are shown escaped and so never begin a cell."""


def _cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text, and a terminal or CI log as plain text too.

    Text is shown escaped as everywhere else (:func:`pcso_policy.sanitise.line`: a newline is
    ``\\n``, no cell begins ``::``), and text a spreadsheet would run as a formula (``=HYPERLINK(...)``,
    starting with = + - @, after any spaces) gets a leading apostrophe. Numbers stay numbers.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        value = line(value)
        if value.lstrip()[:1] in _FORMULA:
            return "'" + value
    return value


FORMATTERS = {"text": format_text, "json": format_json, "csv": format_csv}

"""review-dates: every date a document states about its own review must agree, and the review must not be late.

Sources: the front matter (``last_reviewed``, ``next_review``,
``review_cycle_months``, ``approved_on``, amendment dates) and the body:
sentences that match a statement pattern of ``checks/review.yaml`` ("was
reviewed in", "Last reviewed:", "Reviewed:", "next review", "Review date:",
"is scheduled for review in", "Due for review on:", "will be reviewed by 30
June 2027", "is reviewed every ...", "will review this policy every ...") and
footer fields with a listed label ("Date last reviewed:", "Next review due:").
A statement owns the first date after it in the same sentence (and before the
next statement); a cycle statement owns the first cycle from its start on
("reviewed annually"). Other dates ("updated in June 2022" about a national
text, "in March 2024" about a handbook, an Act's year) are not about the
document's review and are never read; the bundled patterns also leave alone
"reviewed by the Chief Constable" with no date after it, "is reviewed:
monthly" inside a sentence and an amendment that moved the date ("Next review
date changed from ... to ..."). Dates are read by ``pcso_policy.dates`` in
every UK form ("January 2025", "Jul 2027", "6th June 2022", "06/06/2022",
"6/6/2022", "06.06.2022", "04/2027", "2025-01-14"), always day first:
"07/13/2027" and "13/25/2027" are not dates and nothing is read from them.
Cycles with number words ("every two years", "every twenty-four months",
"biennially").

The front matter is the record: a body date that differs from it is the
contradiction (``review/date-conflict``, at the body date, naming both dates,
every agreeing mention in ``related``). Without a front-matter value the date
most statements agree on is the reference, the first stated on a tie.
Month-precision dates ("January 2025", "01/2025") compare at month precision
("January 2025" agrees with 2025-01-14), and so does the schedule
(``next_review`` = ``last_reviewed`` + ``review_cycle_months``). A
month-precision ``next_review`` is due by the end of that month; it is due
soon from ``due_soon_days`` before that. ``review/amendment-after-review`` is
a warning, not an error: a minor amendment between reviews can be legitimate,
it only needs confirming.

A paragraph that no statement pattern matches as a whole is skipped before it
is split into sentences, so a pattern anchored to the start of a sentence must
also accept the end of the sentence before it (``(?:^|(?<=[.!?]\\s))``).

Options::

    due_soon_days: 90
    statements:
      last_reviewed: ['\\b(?:was|were|has been|have been)\\s+(?:last\\s+)?reviewed\\s+(?:in|on|during)\\b', '\\blast\\s+reviewed\\b']
      next_review: ['\\bnext\\s+review\\b', '\\breview\\s+date\\b', '\\bdue\\s++for\\s++review\\b']
      approved_on: ['\\bapproved\\s+(?:in|on)\\b']
      cycle: ['\\bwill\\s+be\\s+reviewed\\b']
    footer:
      last_reviewed: [Date last reviewed, Last reviewed, Reviewed]
      next_review: [Next review date, Next review, Next review due, Due for review]
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from pcso_policy.check import CheckContext
from pcso_policy.dates import FoundCycle, FoundDate, PartialDate, find_dates, months_in_words, parse_cycle, parse_iso
from pcso_policy.diagnostics import Finding, Position, Related, Severity
from pcso_policy.fixes import Edit, Fix
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document
from pcso_policy.patterns import Pattern, any_of, compile_pattern
from pcso_policy.rules import Rule
from pcso_policy.text import normalise_title

KIND = "review-dates"

DATE_CONFLICT = Rule(
    "review/date-conflict",
    Severity.ERROR,
    "A date the document states about its own review contradicts the front matter or another statement.",
    "Readers, auditors and the review schedule cannot all be right when a policy says in one place that it was "
    "reviewed in January 2025 and in its footer that it was last reviewed in February 2022.",
    "Find out which date is true, then correct the other statement (or the front matter). The message names both "
    "dates; related locations list every other mention of the recorded date.",
    "2.1. This policy was reviewed in January 2025 ...\nDate last reviewed: February 2022   <- contradiction",
    fixable="unsafe",
)
SCHEDULE_MISMATCH = Rule(
    "review/schedule-mismatch",
    Severity.ERROR,
    "next_review is not last_reviewed plus review_cycle_months.",
    "The review schedule is computed from these three values; when they disagree the policy falls due at a date "
    "nobody chose.",
    "Set next_review to last_reviewed plus the cycle, or correct the cycle.",
    'last_reviewed: "2025-01"\nnext_review: "2026-01"   <- 24-month cycle gives 2027-01',
    needs_front_matter=True,
)
CYCLE_MISMATCH = Rule(
    "review/cycle-mismatch",
    Severity.ERROR,
    "A review cycle stated in the text ('every two years') contradicts review_cycle_months.",
    "Policy owners read the text, the schedule reads the front matter: they must say the same thing.",
    "Correct the sentence or review_cycle_months.",
    "review_cycle_months: 12\n7.1. This policy will be reviewed every two years.",
    needs_front_matter=True,
)
OVERDUE = Rule(
    "review/overdue",
    Severity.ERROR,
    "The next review date has passed (judged on the --as-of date).",
    "An overdue policy may no longer reflect law, national guidance or practice, and inspections treat it as a "
    "governance failure.",
    "Review the policy; then update last_reviewed, next_review, the body's review statements and the footer.",
    'next_review: "2025-06"   <- overdue on 2025-07-01',
    needs_front_matter=True,
)
_DUE_SOON_DAYS = 90
"""The default of the option ``due_soon_days``, which the rule's summary states."""
DUE_SOON = Rule(
    "review/due-soon",
    Severity.WARNING,
    f"The next review falls due within the configured window (due_soon_days, default {_DUE_SOON_DAYS}).",
    "A review takes time: consultation, equality assessment and approval. Starting late makes it overdue.",
    "Plan the review now. The window is set in checks/review.yaml.",
    'next_review: "2027-01"   <- due within 90 days of 2026-11-23',
    needs_front_matter=True,
)
FUTURE_DATE = Rule(
    "review/future-date",
    Severity.ERROR,
    "A review or approval date lies after the --as-of date.",
    "A policy cannot have been reviewed or approved in the future: the date is a typing error or a plan "
    "recorded as a fact.",
    "Write the date the review or approval actually happened.",
    'last_reviewed: "2027-01"   <- on 2026-11-23',
)
AMENDMENT_AFTER_REVIEW = Rule(
    "review/amendment-after-review",
    Severity.WARNING,
    "An amendment is dated after the last review.",
    "Amendments are normally made at a review; a later one means either last_reviewed was not updated or the "
    "change was made without review. A warning, since minor amendments between reviews can be legitimate.",
    "Update last_reviewed if the amendment came with a review, or confirm the change was approved on its own.",
    'last_reviewed: "2025-01"\namendments:\n  - date: "2025-06"   <- after the last review',
    needs_front_matter=True,
)
RULES = (DATE_CONFLICT, SCHEDULE_MISMATCH, CYCLE_MISMATCH, OVERDUE, DUE_SOON, FUTURE_DATE, AMENDMENT_AFTER_REVIEW)

ROLE_NAMES = {"last_reviewed": "last review date", "next_review": "next review date", "approved_on": "approval date"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True, slots=True)
class Options:
    due_soon_days: int = _DUE_SOON_DAYS
    statements: Mapping[str, list[str]] = dataclasses.field(default_factory=dict)
    """Role (``last_reviewed``, ``next_review``, ``approved_on``, ``cycle``) -> its patterns."""
    footer: Mapping[str, list[str]] = dataclasses.field(default_factory=dict)
    """Role (``last_reviewed``, ``next_review``, ``approved_on``) -> its footer labels."""


@dataclass(frozen=True, slots=True)
class Mention:
    role: str
    date: PartialDate
    position: Position
    text: str
    where: str
    """How a message names the place: 'front matter last_reviewed' or 'line 40'."""
    field: bool = False
    """Whether it is the value of a labelled field (the footer's 'Date last reviewed:', a cover-table row)."""


@dataclass(frozen=True, slots=True)
class CycleMention:
    months: int
    position: Position
    text: str


@dataclass(frozen=True, slots=True)
class ReviewDates:
    statements: Mapping[str, tuple[Pattern, ...]]
    footer_labels: Mapping[str, frozenset[str]]
    due_soon_days: int
    screen: Pattern
    """Any statement pattern: a block matching none of them is skipped without splitting it into sentences."""
    rules: tuple[Rule, ...] = RULES

    def footer_labels_read(self) -> frozenset[str]:
        return frozenset(label for labels in self.footer_labels.values() for label in labels)

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        recorded = _front_matter_mentions(document)
        body, cycles = self._body_mentions(document)
        yield from _conflicts(recorded, body, document.lines)
        yield from _schedule(document, recorded)
        yield from _cycles(document, cycles)
        yield from self._timeliness(recorded, body, context.as_of)
        yield from _amendments(document, recorded)

    def _body_mentions(self, document: Document) -> tuple[list[Mention], list[CycleMention]]:
        mentions: list[Mention] = []
        cycles: list[CycleMention] = []
        for block in document.prose():
            if not self.screen.search(block.text):
                continue
            for start, sentence in _sentences(block.text):
                for role, offset, found in self._dated_statements(sentence):
                    position = document.position_in(block.line, block.text, start + offset)
                    mentions.append(Mention(role, found.date, position, found.text, f"on line {position.line}"))
                for offset, cycle in self._cycle_statements(sentence):
                    position = document.position_in(block.line, block.text, start + offset)
                    cycles.append(CycleMention(cycle.months, position, cycle.text))
        for field in document.fields():
            if field.scope == "prose":
                continue  # a labelled line of prose is a sentence the statements above have read
            footer_role = next((r for r, labels in self.footer_labels.items() if field.key in labels), None)
            dates = find_dates(field.value) if footer_role else []
            if footer_role and dates:
                at = field.value_position
                position = Position(at.line, at.column + dates[0].start)
                mention = Mention(footer_role, dates[0].date, position, dates[0].text, f"on line {at.line}", field=True)
                mentions.append(mention)
        return mentions, cycles

    def _dated_statements(self, sentence: str) -> Iterator[tuple[str, int, FoundDate]]:
        """(role, offset, date) for each statement in ``sentence`` that is followed by a date.

        A statement owns the first date after it and before the next statement;
        later dates in the sentence ("reviewed in January 2025 in the light of
        guidance updated in June 2022") are about something else.
        """
        statements = _statement_matches(self.statements, sentence, exclude="cycle")
        if not statements:
            return
        dates = find_dates(sentence)  # in order of position
        starts = [found.start for found in dates]
        for index, (_, end, role) in enumerate(statements):
            limit = statements[index + 1][0] if index + 1 < len(statements) else len(sentence)
            first = bisect.bisect_left(starts, end)  # the first date from the statement's end on
            if first < len(dates) and dates[first].start < limit:
                yield role, dates[first].start, dates[first]

    def _cycle_statements(self, sentence: str) -> Iterator[tuple[int, FoundCycle]]:
        """Each cycle statement's first cycle, from the start of the statement on ("reviewed annually")."""
        statements = _statement_matches({"cycle": self.statements.get("cycle", ())}, sentence)
        if not statements:
            return
        cycles = parse_cycle(sentence)  # in order of position
        starts = [found.start for found in cycles]
        claimed: set[int] = set()
        for start, _, _ in statements:
            first = bisect.bisect_left(starts, start)
            cycle = cycles[first] if first < len(cycles) else None
            if cycle is not None and cycle.start not in claimed:
                claimed.add(cycle.start)
                yield cycle.start, cycle

    def _timeliness(self, recorded: dict[str, Mention], body: list[Mention], as_of: datetime.date) -> Iterator[Finding]:
        next_review = recorded.get("next_review")
        if next_review is not None:
            days = (next_review.date.last_day() - as_of).days
            if days < 0:
                message = (
                    f"the review was due by {next_review.date} and is {_days(-days)} overdue on {as_of.isoformat()}: "
                    "review the policy now"
                )
                yield _at(OVERDUE, next_review.position, message)
            elif days <= self.due_soon_days:
                message = (
                    f"the next review is due by {next_review.date}, {_days(days)} after {as_of.isoformat()} "
                    f"(within {self.due_soon_days} days): plan the review now"
                )
                if days == 0:
                    message = (
                        f"the next review is due by {next_review.date}, that is today ({as_of.isoformat()}): start it now"
                    )
                yield _at(DUE_SOON, next_review.position, message)
        for role in ("last_reviewed", "approved_on"):
            if role in recorded:
                yield from _future(recorded[role], f"{role} {recorded[role].date}", as_of)
        for mention in body:
            if mention.role != "next_review":
                yield from _future(mention, f"'{mention.text}' as the {ROLE_NAMES[mention.role]}", as_of)


def _future(mention: Mention, subject: str, as_of: datetime.date) -> Iterator[Finding]:
    """A past event dated after ``as_of``; a month-precision date is in the future only from the next month on."""
    if mention.date.first_day() > as_of:
        event = "review" if mention.role == "last_reviewed" else "approval"
        message = f"{subject} is after {as_of.isoformat()}: write the date the {event} actually happened"
        yield _at(FUTURE_DATE, mention.position, message)


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _front_matter_mentions(document: Document) -> dict[str, Mention]:
    recorded: dict[str, Mention] = {}
    front_matter = document.front_matter
    if front_matter is None:
        return recorded
    for role in ROLE_NAMES:
        date = parse_iso(front_matter.data.get(role))
        if date is not None:
            position = front_matter.value_position_of((role,))
            recorded[role] = Mention(role, date, position, str(date), f"in the front matter ({role}, line {position.line})")
    return recorded


def _statement_matches(
    statements: Mapping[str, tuple[Pattern, ...]], sentence: str, exclude: str = ""
) -> list[tuple[int, int, str]]:
    """(start, end, role) of each statement in ``sentence``, in order.

    Of overlapping matches the earliest and longest wins: "last review date" is
    a last-review statement, not a "review date" one.
    """
    matches: list[tuple[int, int, str]] = []
    for role, patterns in statements.items():
        if role != exclude:
            matches.extend((m.start(), m.end(), role) for pattern in patterns for m in pattern.finditer(sentence))
    matches.sort(key=lambda match: (match[0], -match[1]))
    kept: list[tuple[int, int, str]] = []
    for match in matches:
        if not kept or match[0] >= kept[-1][1]:
            kept.append(match)
    return kept


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]


def _conflicts(recorded: dict[str, Mention], body: list[Mention], lines: list[str]) -> Iterator[Finding]:
    for role in ROLE_NAMES:
        mentions = [mention for mention in body if mention.role == role]
        reference = recorded.get(role) or _most_stated(mentions)
        if reference is None:
            continue
        agreeing = [m for m in ([recorded[role]] if role in recorded else []) + mentions if m.date.same_as(reference.date)]
        for mention in mentions:
            if mention.date.same_as(reference.date):
                continue
            places = _joined([m.where for m in agreeing])
            message = (
                f"'{mention.text}' contradicts the {ROLE_NAMES[role]} {reference.date} stated {places}: "
                "correct whichever is wrong"
            )
            related = tuple(
                Related(m.position.line, m.position.column, f"the {ROLE_NAMES[role]} is stated as {m.date} here")
                for m in agreeing
            )
            fix = _field_date_fix(mention, recorded[role], lines) if role in recorded else None
            yield Finding.spanning(
                DATE_CONFLICT.id, mention.position.line, mention.position.column, mention.text, message, related, fix
            )


def _field_date_fix(mention: Mention, recorded: Mention, lines: list[str]) -> Fix | None:
    """A footer or cover-table date set from the front matter. Unsafe: the front matter may be the one that
    is wrong, which only a person can tell. Offered only where the date is written as this tool writes
    dates ("February 2022"), so that the fix keeps the document's style."""
    if not mention.field or str(mention.date) != " ".join(mention.text.split()):
        return None
    line, column = mention.position.line, mention.position.column
    if (lines[line - 1] if line - 1 < len(lines) else "")[column - 1 : column - 1 + len(mention.text)] != mention.text:
        return None
    wanted = recorded.date if mention.date.day is not None or recorded.date.day is None else PartialDate(
        recorded.date.year, recorded.date.month
    )
    edit = Edit(line, column, line, column + len(mention.text), str(wanted))
    return Fix(f"write {wanted}, the {ROLE_NAMES[mention.role]} the front matter states, for {mention.text}", (edit,), safe=False)


def _joined(places: list[str]) -> str:
    return places[0] if len(places) == 1 else f"{', '.join(places[:-1])} and {places[-1]}"


def _most_stated(mentions: list[Mention]) -> Mention | None:
    if not mentions:
        return None
    counts = Counter((m.date.year, m.date.month) for m in mentions)
    best = max(counts.values())
    return next(m for m in mentions if counts[(m.date.year, m.date.month)] == best)


def _schedule(document: Document, recorded: dict[str, Mention]) -> Iterator[Finding]:
    cycle = document.meta.get("review_cycle_months")
    last, next_review = recorded.get("last_reviewed"), recorded.get("next_review")
    if not _is_months(cycle) or last is None or next_review is None:
        return
    expected = last.date.add_months(cycle)
    if expected.month_index() != next_review.date.month_index():
        message = (
            f"next_review {next_review.date} is not last_reviewed {last.date} plus {cycle} months: "
            f"expected {expected.year}-{expected.month:02d}, or correct review_cycle_months"
        )
        yield _at(SCHEDULE_MISMATCH, next_review.position, message)


def _cycles(document: Document, cycles: list[CycleMention]) -> Iterator[Finding]:
    months = document.meta.get("review_cycle_months")
    if not _is_months(months):
        return
    for cycle in cycles:
        if cycle.months != months:
            message = (
                f"'{cycle.text}' ({months_in_words(cycle.months)}) contradicts review_cycle_months: {months} "
                f"({months_in_words(months)}): correct the sentence or the front matter"
            )
            yield _at(CYCLE_MISMATCH, cycle.position, message)


def _amendments(document: Document, recorded: dict[str, Mention]) -> Iterator[Finding]:
    last = recorded.get("last_reviewed")
    amendments = document.meta.get("amendments")
    if last is None or not isinstance(amendments, list) or document.front_matter is None:
        return
    for index, amendment in enumerate(amendments):
        date = parse_iso(amendment.get("date")) if isinstance(amendment, dict) else None
        if date is None or date.same_as(last.date) or date.first_day() < last.date.first_day():
            continue
        position = document.front_matter.value_position_of(("amendments", index, "date"))
        message = (
            f"amendment dated {date} is after the last review ({last.date}): update last_reviewed if it came with "
            "a review, or confirm it was approved on its own"
        )
        yield _at(AMENDMENT_AFTER_REVIEW, position, message)


def _is_months(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _at(rule: Rule, position: Position, message: str) -> Finding:
    return Finding(rule.id, position.line, position.column, message)


def build(options: Mapping[str, Any]) -> ReviewDates:
    given = options_of(Options, options)
    statements = {
        role: tuple(compile_pattern(pattern) for pattern in patterns) for role, patterns in given.statements.items()
    }
    footer = {role: frozenset(normalise_title(label) for label in labels) for role, labels in given.footer.items()}
    every = [pattern.pattern for patterns in statements.values() for pattern in patterns]
    screen = any_of(every)
    return ReviewDates(statements, footer, given.due_soon_days, screen)

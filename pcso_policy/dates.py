"""Reading the dates and review cycles UK policy text writes.

Dates: "January 2025", "Jan 2025", "June, 2022", "6 June 2022", "6th June 2022",
"1st of March 2024", "06/06/2022", "6/6/2022" and "6.6.2022" (day first, as in
the UK), "04/2027" (month and year), "2025-01", "2025-01-14". Month-first (US)
order is never read: "07/13/2027" and "13/25/2027" are not dates, rather than
guesses. A bare year ("Act 2002") is not a date, nor is an impossible one ("31
June 2022"), nor digits inside a longer number or word, nor a circular's number
("Home Office Circular 12/2005"). A date written with its month only has month
precision and compares at month precision: "January 2025" agrees with 14
January 2025, and "04/2027" with 30 April 2027.

Cycles: "every two years", "every 2 years", "every two (2) years", "every 24
months", "every twenty-four months", "annually", "each year", "biennially",
"every six months", "three-yearly".
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import functools
import re
from dataclasses import dataclass
from typing import Any

MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS = {word: number for number, word in enumerate(_UNITS)} | _TENS

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = (
    re.compile(r"(?<![\w/.-])(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)(?:-(?P<day>[0-3]\d))?(?![\w/-]|\.\d)"),
    re.compile(rf"(?<![\w/.])(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/{_YEAR}(?![\w/]|\.\d)"),
    # Dotted only with a four-digit year, so paragraph numbers ("4.3.") never qualify.
    re.compile(rf"(?<![\w/.])(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.{_YEAR}(?![\w/]|\.\d)"),
    # Month and year, "04/2027": two-digit months only, after the day-first forms so that "01/04/2027" is a day.
    # Home Office circulars are numbered the same way ("Home Office Circular 34/2000", "HOC 12/2005"): not dates.
    re.compile(
        rf"(?<![\w/.])(?<!circular\s)(?<!circular\sno\.\s)(?<!hoc\s)(?P<month>0[1-9]|1[0-2])/{_YEAR}(?![\w/]|\.\d)",
        re.IGNORECASE,
    ),
    re.compile(rf"(?<![\w-])(?:{_DAY}(?:\s+of)?\s+)?{_MONTH},?\s+{_YEAR}(?![\w-]|\.\d)", re.IGNORECASE),
)

_UNIT_WORD = "|".join(sorted(_UNITS[1:], key=len, reverse=True))
_TENS_WORD = "|".join(_TENS)
_NUMBER = rf"\d{{1,3}}|(?:{_TENS_WORD})(?:[-\s](?:{_UNIT_WORD}))?|{_UNIT_WORD}"
# "every two (2) years": the digits in brackets repeat the word.
_COUNT = rf"(?P<count>{_NUMBER})(?:\s*\(\d{{1,3}}\))?"
_CYCLES = (
    (re.compile(rf"\bevery\s+{_COUNT}\s+(?P<unit>years?|months?)\b", re.IGNORECASE), None),
    (re.compile(rf"\b(?P<count>{_NUMBER})[-\s](?P<unit>year|month)ly\b", re.IGNORECASE), None),
    (re.compile(r"\b(?:annually|yearly|every\s+year|each\s+year|once\s+a\s+year)\b", re.IGNORECASE), 12),
    (re.compile(r"\b(?:biennially|every\s+other\s+year|every\s+second\s+year)\b", re.IGNORECASE), 24),
    (re.compile(r"\btriennially\b", re.IGNORECASE), 36),
    (re.compile(r"\b(?:every\s+month|each\s+month|monthly)\b", re.IGNORECASE), 1),
)


@functools.total_ordering
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date with or without its day; a month-precision date sorts before the days of its month."""

    year: int
    month: int
    day: int | None = None

    @property
    def precision(self) -> str:
        return "month" if self.day is None else "day"

    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, self.day or 1)

    def last_day(self) -> datetime.date:
        last = self.day or calendar.monthrange(self.year, self.month)[1]
        return datetime.date(self.year, self.month, last)

    def add_months(self, months: int) -> PartialDate:
        index = self.year * 12 + self.month - 1 + months
        year, month = divmod(index, 12)
        day = None if self.day is None else min(self.day, calendar.monthrange(year, month + 1)[1])
        return PartialDate(year, month + 1, day)

    def same_as(self, other: PartialDate) -> bool:
        """Equal at the coarser precision of the two."""
        if (self.year, self.month) != (other.year, other.month):
            return False
        return self.day is None or other.day is None or self.day == other.day

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day or 0)

    def month_index(self) -> int:
        return self.year * 12 + self.month

    def __str__(self) -> str:
        month = calendar.month_name[self.month]
        return f"{month} {self.year}" if self.day is None else f"{self.day} {month} {self.year}"


@dataclass(frozen=True, slots=True)
class FoundDate:
    date: PartialDate
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class FoundCycle:
    months: int
    start: int
    end: int
    text: str


def make_date(year: int, month: int, day: int | None = None) -> PartialDate | None:
    """A valid date, or None for an impossible one (31 June, month 13)."""
    if not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return PartialDate(year, month, day)


def parse_iso(value: Any) -> PartialDate | None:
    """A front-matter value written ``YYYY-MM`` or ``YYYY-MM-DD`` (or a date), else None."""
    if isinstance(value, datetime.date):
        return PartialDate(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value.strip())
    if match is None:
        return None
    return make_date(int(match[1]), int(match[2]), int(match[3]) if match[3] else None)


def find_dates(text: str) -> list[FoundDate]:
    """Every date in ``text``, in order of position."""
    found: list[FoundDate] = []
    taken = _Spans()
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if taken.overlaps(match):
                continue
            date = _date_of(match)
            if date is not None and not _modal_may(match):
                found.append(FoundDate(date, match.start(), match.end(), match.group()))
                taken.add(match)
    return sorted(found, key=lambda item: item.start)


class _Spans:
    """Disjoint spans of a text already taken by a match, sorted, so that whether a new match overlaps
    one is two binary searches (a scan of every span was quadratic: 20,000 dates in a sentence took 13 s)."""

    __slots__ = ("spans", "starts", "ends")

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, match: re.Match[str]) -> bool:
        # The spans are disjoint, so their ends are sorted too: those ending after the match starts and
        # those starting before it ends are two runs, which meet exactly when one span does both.
        return bisect.bisect_right(self.ends, match.start()) < bisect.bisect_left(self.starts, match.end())

    def add(self, match: re.Match[str]) -> None:
        span = (match.start(), match.end())
        at = bisect.bisect_left(self.spans, span)  # by start, then end: an empty span before one it starts
        self.spans.insert(at, span)
        self.starts.insert(at, span[0])
        self.ends.insert(at, span[1])


def _modal_may(match: re.Match[str]) -> bool:
    """'they may 2025 ...' is the verb: a month written 'may' counts only with a day ('6 may 2025')."""
    return match.groupdict().get("month") == "may" and not match["day"]


def _date_of(match: re.Match[str]) -> PartialDate | None:
    month_text = match["month"]
    month = int(month_text) if month_text.isdigit() else MONTHS[month_text.casefold().rstrip(".")]
    day_text = match.groupdict().get("day")
    day = int(day_text) if day_text else None
    return make_date(int(match["year"]), month, day)


def parse_cycle(text: str) -> list[FoundCycle]:
    """Every review cycle stated in ``text``, in months, in order of position."""
    found: list[FoundCycle] = []
    taken = _Spans()
    for pattern, fixed in _CYCLES:
        for match in pattern.finditer(text):
            months = fixed if fixed is not None else _cycle_months(match)
            if months and not taken.overlaps(match):
                found.append(FoundCycle(months, match.start(), match.end(), match.group()))
                taken.add(match)
    return sorted(found, key=lambda item: item.start)


def parse_number(text: str) -> int | None:
    """'24', 'two', 'twenty-four' or 'twenty four' as a number; None for anything else."""
    words = text.casefold().replace("-", " ").split()
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if not words or any(word not in NUMBER_WORDS for word in words):
        return None
    if len(words) == 2 and words[0] in _TENS and 0 < NUMBER_WORDS[words[1]] < 10:
        return NUMBER_WORDS[words[0]] + NUMBER_WORDS[words[1]]
    return NUMBER_WORDS[words[0]] if len(words) == 1 else None


def _cycle_months(match: re.Match[str]) -> int:
    count = parse_number(match["count"]) or 0
    return count * 12 if match["unit"].casefold().startswith("year") else count


def months_in_words(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return "every year" if years == 1 else f"every {years} years"
    return f"every {months} months"

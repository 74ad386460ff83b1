"""Policy reviews as an iCalendar file (RFC 5545) a policy owner can subscribe to.

One all-day event per policy with a readable ``next_review``, on the day the
review is due by (the last day of the month for a month-precision date).
Withdrawn policies have no event. The output is reproducible: each UID is
made from the policy id and the repository's name, so a calendar client
moves the event when the review is rescheduled instead of adding another, and
DTSTAMP is the ``as_of`` date, not the clock.

Every value from a policy (its id, title, owner, file name) is shown as the
other formats show it (:func:`pcso_policy.sanitise.shown`: control
characters, line separators and bidirectional controls escaped, ``\\x1b``),
then escaped as RFC 5545 requires of TEXT. The file may be printed to a CI
log, where a line (a folded line too) beginning with ``::`` is a workflow
command: two colons in a row in a value are shown ``:\\x3a``, so no fold can
start one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from pcso_policy.reviews import WITHDRAWN, Review
from pcso_policy.sanitise import shown

PRODID = "-//pcso-policy//Review planning//EN"
_LIMIT = 75  # octets per line, CRLF excluded (RFC 5545, 3.1)


def escape(text: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and newline escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _value(text: str) -> str:
    """A value from a policy as the calendar shows it: escaped as everywhere else, and never two colons in a row."""
    return shown(text).replace("::", ":\\x3a")


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character; continuation lines start with a space."""
    parts: list[str] = []
    current, size, limit = "", 0, _LIMIT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, _LIMIT - 1
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _uid_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-") or "policy"


def event(review: Review, stamp: str, uid: str) -> list[str]:
    assert review.due is not None and review.next_review is not None
    name = _value(review.id or review.path)
    title = _value(review.title or "")
    summary = f"Review due: {name} {title}".rstrip()
    details = [
        f"{name} {title}".rstrip(),
        f"Owner: {_value(review.owner or 'not stated')}",
        f"Status: {_value(review.status or 'not stated')}",
        f"Last reviewed: {review.last_reviewed or 'not stated'}",
        f"Next review: due by {review.next_review}",
        f"File: {_value(review.path)}",
    ]
    end = review.due + datetime.timedelta(days=1)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{review.due:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(chr(10).join(details))}",
        "TRANSP:TRANSPARENT",
        "CATEGORIES:Policy review",
        "END:VEVENT",
    ]
    if review.owner:
        lines.insert(-1, f"X-PCSO-POLICY-OWNER:{escape(_value(review.owner))}")
    return lines


def calendar(reviews: Iterable[Review], as_of: datetime.date, repository: str) -> str:
    """The whole calendar, CRLF line endings, every line folded."""
    stamp = f"{as_of:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(f'Policy reviews ({repository})')}",
    ]
    seen: set[str] = set()
    for review in sorted(reviews, key=lambda item: (item.due or datetime.date.max, item.path)):
        if review.due is None or review.state == WITHDRAWN:
            continue
        uid = f"review-{_uid_part(review.id or review.path)}@{repository}.pcso-policy"
        if uid in seen:  # two files claim one id (references/duplicate-id): keep both events apart
            uid = f"review-{_uid_part(review.id or '')}-{_uid_part(review.path)}@{repository}.pcso-policy"
        seen.add(uid)
        lines.extend(event(review, stamp, uid))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

"""Policy reviews as an iCalendar file (RFC 5545) a policy owner can subscribe to.

One all-day event per policy, on the day the review is due by (the last day
of the month for a month-precision date). A policy whose next review cannot
be read (no readable front matter, no ``next_review``, not a date) is an
all-day reminder on the ``as_of`` day saying why, never left out; withdrawn
policies have no event. The file carries no ``METHOD``: it is a snapshot to
subscribe to or import, not a scheduling message (RFC 5545, 3.7.2), so the
iTIP rules for ``METHOD:PUBLISH`` (an ``ORGANIZER`` on every event, RFC 5546)
do not apply, and libical's restriction check accepts it.

The output is reproducible. Each UID is made from the policy id and the
calendar's id (:func:`identity`): the configured ``calendar_id``, else the
repository's ``origin`` remote with any credentials taken out, else the
project folder's name. So every clone of one repository gives the same UIDs
(a calendar client moves the event when the review is rescheduled, instead of
adding another), and two forces' repositories of the same name do not share
them. DTSTAMP is the ``as_of`` date, not the clock.

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
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from pcso_policy.reviews import WITHDRAWN, Review, repository_name
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


@dataclass(frozen=True, slots=True)
class Identity:
    """What names a repository's calendar: ``key`` goes into every UID, ``name`` into the calendar's name."""

    key: str
    name: str
    source: str
    """Where it came from: ``calendar_id``, ``remote`` or ``folder``."""


def identity(root: Path, calendar_id: str | None = None) -> Identity:
    """The calendar's id: the configured ``calendar_id``; else the ``origin`` remote of the git repository
    ``root`` lies in (:func:`normalised_remote`), followed by ``root``'s folder within the repository when
    it is not the top; else ``root``'s folder name, as before remotes were read."""
    if calendar_id:
        return Identity(calendar_id, calendar_id, "calendar_id")
    remote = _remote(root)
    if remote is not None:
        # Percent-encoded, so two different remotes never give one key ('a_b/c' and 'a/b_c' stay apart).
        return Identity(quote(remote, safe=""), remote, "remote")
    name = repository_name(root)
    return Identity(name, name, "folder")


def _remote(root: Path) -> str | None:
    """The normalised URL of the ``origin`` remote of the repository ``root`` lies in, if it has one."""
    from pcso_policy import git  # runs git: imported only for a calendar

    try:
        top = git.work_tree_top(root)
        if top is None:
            return None
        completed = git.run(top, "config", "--get", "remote.origin.url")
    except git.GitError:
        return None
    if completed.returncode != 0:
        return None
    remote = normalised_remote(os.fsdecode(completed.stdout))
    if remote is None:
        return None
    inner = Path(os.path.relpath(os.path.abspath(root), os.path.abspath(top))).as_posix()
    return remote if inner == "." else f"{remote}/{inner.lower()}"


_SCP = re.compile(r"(?:[^@/:]*@)?(?P<host>[^@/:]+):(?P<path>.*)")
"""git's scp-like form, ``[user@]host:path``: no slash before the first colon, and no ``://``."""


def normalised_remote(url: str) -> str | None:
    """A remote URL as ``host/path`` in lower case, without what differs between clones of one repository
    or must never be published: the user name and any password or token in it
    (``https://gitlab-ci-token:SECRET@gitlab.example.org/force/policies.git``), the scheme, the port, a
    query or fragment, a trailing ``.git`` or slash. So an https and an ssh clone agree. A local path
    stays a path. None when nothing is left."""
    text = url.strip()
    if "://" in text:
        try:
            parts = urlsplit(text)
            host = "" if parts.scheme.lower() == "file" else (parts.hostname or "")  # hostname: no user, password, port
        except ValueError:
            return None
        path = parts.path
    else:
        scp = _SCP.fullmatch(text)
        if scp is not None and len(scp["host"]) > 1:  # C:\repo is a Windows path, not host C
            host, path = scp["host"], scp["path"]
        else:
            host, path = "", text
    path = re.sub(r"(?:\.git)?/*$", "", path.replace("\\", "/").strip("/"))
    found = f"{host}/{path}" if host and path else host or path
    return found.lower() or None


def _uid_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-") or "policy"


def event(review: Review, stamp: str, uid: str, as_of: datetime.date | None = None) -> list[str]:
    """The VEVENT of one review: on its due day, or, when it has none, an all-day reminder on ``as_of``
    saying why its next review cannot be read."""
    name = _value(review.id or review.path)
    title = _value(review.title or "")
    details = [
        f"{name} {title}".rstrip(),
        f"Owner: {_value(review.owner or 'not stated')}",
        f"Status: {_value(review.status or 'not stated')}",
        f"Last reviewed: {review.last_reviewed or 'not stated'}",
    ]
    if review.due is not None and review.next_review is not None:
        day = review.due
        summary = f"Review due: {name} {title}".rstrip()
        details.append(f"Next review: due by {review.next_review}")
    else:
        if as_of is None:
            raise ValueError(f"{review.path} has no review date: give as_of, the day its reminder is shown")
        day = as_of
        summary = f"No readable next review: {name} {title}".rstrip()
        details.append(f"Next review: cannot be planned: {_value(review.problem or 'no readable next_review')}")
        details.append("Give the front matter a next_review (YYYY-MM or YYYY-MM-DD): this reminder then moves to that day.")
    details.append(f"File: {_value(review.path)}")
    end = day + datetime.timedelta(days=1)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape(_value(uid))}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
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


def calendar(reviews: Iterable[Review], as_of: datetime.date, repository: str, name: str | None = None) -> str:
    """The whole calendar, CRLF line endings, every line folded. ``repository`` is the calendar's key
    (:attr:`Identity.key`) in every UID, ``name`` what the calendar is called (default: the key).

    A policy that cannot be planned keeps the UID its dated event will have, so fixing its date moves
    the reminder to the due day instead of adding an event.
    """
    stamp = f"{as_of:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(_value(f'Policy reviews ({name or repository})'))}",
    ]
    seen: set[str] = set()
    for review in sorted(reviews, key=lambda item: (item.due or as_of, item.path)):
        if review.state == WITHDRAWN:
            continue
        uid = f"review-{_uid_part(review.id or review.path)}@{repository}.pcso-policy"
        if uid in seen:  # two files claim one id (references/duplicate-id): keep both events apart
            uid = f"review-{_uid_part(review.id or '')}-{_uid_part(review.path)}@{repository}.pcso-policy"
        seen.add(uid)
        lines.extend(event(review, stamp, uid, as_of))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

"""Characters a published document cannot carry, and characters nobody can see.

XML 1.0, and so Word, cannot hold most C0 control characters or U+FFFE and
U+FFFF: python-docx would refuse them mid-render. Other characters are legal
but invisible (zero-width spaces, soft hyphens, bidirectional controls, C1
controls left by a wrong Windows-1252 conversion) or legal only in the right
place (a non-breaking space belongs between words, not at a line's edge or
beside another space). Lint reports both; render refuses the first kind with
the same message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
INVISIBLE = re.compile("[\u0080-\u009f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
MISPLACED_SPACE = re.compile("^[\u00a0\u202f]|[\u00a0\u202f]$|[\u00a0\u202f][ \t\u00a0\u202f]|[ \t][\u00a0\u202f]")


_CONTROL_NAMES = {"\x08": "BACKSPACE", "\x0b": "VERTICAL TAB", "\x0c": "FORM FEED", "\x1b": "ESCAPE"}


_ANY_ODD = re.compile(f"{INVALID.pattern}|{INVISIBLE.pattern}|[\u00a0\u202f]")


def might_hold_odd_characters(text: str) -> bool:
    """One search of the whole text: most files hold nothing the line-by-line readers below would report."""
    return _ANY_ODD.search(text) is not None


@dataclass(frozen=True, slots=True)
class Occurrence:
    line: int
    column: int
    character: str

    @property
    def code(self) -> str:
        return f"U+{ord(self.character):04X}"

    @property
    def name(self) -> str:
        return unicodedata.name(self.character, "") or _CONTROL_NAMES.get(self.character, "CONTROL CHARACTER")


def invalid_characters(lines: list[str], first_line: int = 1) -> Iterator[Occurrence]:
    """Every character XML 1.0 cannot hold, with its 1-based position."""
    for number, text in enumerate(lines, start=first_line):
        for match in INVALID.finditer(text):
            yield Occurrence(number, match.start() + 1, match.group())


def invisible_characters(lines: list[str], first_line: int = 1) -> Iterator[Occurrence]:
    """The first invisible or misplaced character of each line that has one."""
    for number, text in enumerate(lines, start=first_line):
        found = [match for match in (INVISIBLE.search(text), MISPLACED_SPACE.search(text)) if match]
        if not found:
            continue
        first = min(found, key=lambda match: match.start())
        offset = first.start() + (1 if first.group()[0] in " \t" else 0)
        yield Occurrence(number, offset + 1, text[offset])


def invalid_message(occurrence: Occurrence) -> str:
    return (
        f"character {occurrence.code} ({occurrence.name.lower()}) cannot be stored in a Word document: "
        "delete it (it usually comes from pasting text out of another program)"
    )


def invisible_message(occurrence: Occurrence) -> str:
    if occurrence.character in "\u00a0\u202f":
        return (
            f"{occurrence.name.lower()} ({occurrence.code}) at the edge of a line or beside another space: "
            "replace it with an ordinary space or remove it"
        )
    return (
        f"invisible character {occurrence.code} ({occurrence.name.lower()}): delete it; it hides in searches, "
        "comparisons with national texts and reviews"
    )

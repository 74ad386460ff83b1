"""``publication/invalid-character`` and ``publication/invisible-character``: see :mod:`pcso_policy.characters`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pcso_policy.characters import (
    invalid_characters,
    invalid_message,
    invisible_characters,
    invisible_message,
    might_hold_odd_characters,
)
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.model import Document
from pcso_policy.rules import Rule

if TYPE_CHECKING:
    from pcso_policy.check import CheckContext

INVALID_CHARACTER = Rule(
    "publication/invalid-character",
    Severity.ERROR,
    "A character that a Word document cannot hold (a control character, U+FFFE or U+FFFF).",
    "XML 1.0, the format inside a DOCX, has no way to store these characters: the policy cannot be published "
    "until they are gone, and they are invisible in most editors.",
    "Delete the character at the position given; search for it with your editor's 'show invisibles' setting.",
    "1.1. OFFICIAL\\x0c   <- a form feed pasted from a PDF",
)
INVISIBLE_CHARACTER = Rule(
    "publication/invisible-character",
    Severity.WARNING,
    "An invisible character (zero-width space, soft hyphen, bidirectional control, stray C1 control) or a "
    "non-breaking space at the edge of a line or beside another space.",
    "Invisible characters make two texts that look identical compare as different (so alignment with national "
    "texts and searches fail), and bidirectional controls can make text display differently from what it says.",
    "Delete the character, or replace a misplaced non-breaking space with an ordinary one. One finding per line.",
    "PCSO\\u200b activity   <- a zero-width space after PCSO",
)
RULES = (INVALID_CHARACTER, INVISIBLE_CHARACTER)


@dataclass(frozen=True, slots=True)
class CharacterCheck:
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        if not might_hold_odd_characters(document.text):
            return
        for occurrence in invalid_characters(document.lines):
            yield Finding.spanning(
                INVALID_CHARACTER.id, occurrence.line, occurrence.column, occurrence.character, invalid_message(occurrence)
            )
        for occurrence in invisible_characters(document.lines):
            yield Finding.spanning(
                INVISIBLE_CHARACTER.id, occurrence.line, occurrence.column, occurrence.character, invisible_message(occurrence)
            )

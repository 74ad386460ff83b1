"""acronyms: an acronym is spelled out in full at its first use, and only there.

A definition is the full term followed by the acronym in brackets: "Police
Community Support Officer (PCSO)", "anti-social behaviour (ASB)", "Police
Community Support Officers (PCSOs)". The initials of the words before the
bracket must spell the acronym, loosely: hyphenated words count each part,
small words ("of", "and", "the", "for") may be skipped, and an acronym listed
in ``known`` is also defined by its full term as listed. Anything else in
brackets ("(see the PCSO handbook)", "nuisance (ASB)") is not a definition.
A use is the acronym as a whole word in capitals, plural, possessive or
hyphenated included ("PCSOs", "PCSO's", "PCSO-led").

``terminology/undefined-acronym`` (warning) is reported at the first use that
comes before the definition, the same paragraph included, with the definition
in ``related``; and, for an acronym listed in ``known`` that is never defined,
at its first use with the full term to write. Acronyms neither listed nor
defined (IT, UK, CCTV) are left alone, and ``allowed`` ones never need a
definition. ``terminology/redefined-acronym`` (info) is reported at a second
definition, with the first in ``related``.

Only prose is read, in document order (paragraphs and list items): the
title, headings, the footer and the front matter are not.

Options::

    known:
      PCSO: Police Community Support Officer
      ASB: anti-social behaviour
    allowed: [UK, IT]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Position, Related, Severity
from pcso_policy.model import Document
from pcso_policy.rules import Rule

KIND = "acronyms"

UNDEFINED = Rule(
    "terminology/undefined-acronym",
    Severity.WARNING,
    "An acronym is used before it is spelled out in full, or never spelled out.",
    "Policies are read by the public and by new staff; an acronym they have not been told the meaning of is a "
    "barrier, and accessibility guidance asks for every abbreviation to be expanded at first use.",
    "Spell it out at its first use, 'Police Community Support Officer (PCSO)', and use the acronym alone after that.",
    "2.1. Update to PCSO role types.   <- PCSO is only spelled out in 3.2",
)
REDEFINED = Rule(
    "terminology/redefined-acronym",
    Severity.INFO,
    "An acronym is spelled out in full a second time.",
    "Defining once, at first use, keeps the text short and shows readers where the term was introduced.",
    "Keep the first definition and write the acronym alone at the later place.",
    "4.1. ... Police Community Support Officer (PCSO) ...   <- already defined in 3.2",
)
RULES = (UNDEFINED, REDEFINED)

_DEFINITION = re.compile(r"\((?P<acronym>[A-Z][A-Za-z0-9&]*[A-Z])s?\)")
# The look-behind follows the first capital, so that re skips straight to capitals instead of testing
# the look-behind at every position.
_USE = re.compile(r"(?P<acronym>[A-Z](?<![\w&][A-Z])[A-Z0-9&]*[A-Z])(?=(?:s|'s|’s)?(?![\w&]))")
_WORD = re.compile(r"[A-Za-z][\w'’]*")
_SKIPPABLE = {"of", "and", "the", "for", "in", "to", "on", "a", "an", "&"}


@dataclass(frozen=True, slots=True)
class Place:
    acronym: str
    position: Position


@dataclass(frozen=True, slots=True)
class Event:
    """A definition or a use of an acronym at an offset of a block's text."""

    offset: int
    acronym: str
    defines: bool


@dataclass(frozen=True, slots=True)
class Acronyms:
    known: Mapping[str, str]
    allowed: frozenset[str]
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        definitions: dict[str, Place] = {}
        first_uses: dict[str, Place] = {}
        for block in document.prose():
            for event in self.events(block.text):
                place = Place(event.acronym, document.position_in(block.line, block.text, event.offset))
                if event.defines and event.acronym in definitions:
                    yield _redefined(place, definitions[event.acronym])
                elif event.defines:
                    definitions[event.acronym] = place
                elif not (event.acronym in self.allowed or event.acronym in first_uses or event.acronym in definitions):
                    first_uses[event.acronym] = place
        yield from self._undefined(first_uses, definitions)

    def events(self, text: str) -> list[Event]:
        """Definitions and uses in ``text`` in order; a definition's own bracket is not a use."""
        found: list[Event] = []
        starts: list[int] = []
        ends: list[int] = []
        for match in _DEFINITION.finditer(text):
            if self.defines(text, match["acronym"], match.start()):
                found.append(Event(match.start("acronym"), match["acronym"], True))
                starts.append(match.start())
                ends.append(match.end())
        for match in _USE.finditer(text):
            index = bisect.bisect_right(starts, match.start()) - 1  # definitions do not overlap: only this one can hold it
            if not (index >= 0 and match.start() < ends[index]):
                found.append(Event(match.start(), match["acronym"], False))
        return sorted(found, key=lambda event: event.offset)

    def defines(self, before: str, acronym: str, end: int | None = None) -> bool:
        """Whether ``before`` (up to ``end``) ends with the words ``acronym`` stands for: initials, or its
        full term in ``known``.

        Only the end of the text is read, never a copy of all of it: a paragraph of 20,000 definitions
        would otherwise be copied and read once for each.
        """
        end = len(before) if end is None else end
        if spells(_last_words(before, 2 * len(acronym) + 2, end), acronym):  # the most words spells() reads
            return True
        full = self.known.get(acronym)
        if full is None:
            return False
        term = _normalise(full)
        words = _normalised_end(before, end, len(term) + 1)
        return words.endswith(term) or words.endswith(term + "s")

    def _undefined(self, first_uses: dict[str, Place], definitions: dict[str, Place]) -> Iterator[Finding]:
        for acronym, use in first_uses.items():
            definition = definitions.get(acronym)
            if definition is not None and definition.position > use.position:
                message = (
                    f"'{acronym}' is used before it is spelled out on line {definition.position.line}: "
                    "move the definition to this first use"
                )
                related = (Related(definition.position.line, definition.position.column, f"'{acronym}' is defined here"),)
                yield Finding.spanning(UNDEFINED.id, use.position.line, use.position.column, acronym, message, related)
            elif definition is None and acronym in self.known:
                message = f"'{acronym}' is never spelled out: write '{self.known[acronym]} ({acronym})' at its first use"
                yield Finding.spanning(UNDEFINED.id, use.position.line, use.position.column, acronym, message)


def _redefined(place: Place, first: Place) -> Finding:
    message = f"'{place.acronym}' is spelled out again; it was defined on line {first.position.line}: write '{place.acronym}' alone"
    related = (Related(first.position.line, first.position.column, f"'{place.acronym}' is first defined here"),)
    return Finding(REDEFINED.id, place.position.line, place.position.column, message, related=related)


def _last_words(text: str, count: int, end: int | None = None) -> str:
    """The end of ``text`` (up to ``end``) holding its last ``count`` words whole (a definition is read
    from there back, so the text before a bracket need not be read from the start of a long paragraph)."""
    end = len(text) if end is None else end
    size = 16 * (count + 2)
    while size < end:
        tail = text[end - size : end]
        if len(_WORD.findall(tail)) > count:  # the first word may be cut in two: it is not among the last
            return tail
        size *= 4
    return text[:end]


def _normalised_end(text: str, end: int, length: int) -> str:
    """The end of ``_normalise(text[:end])``, at least ``length`` characters of it where the text has them.

    Normalising a piece of the text that ends at ``end`` gives an end of what normalising all of it
    gives: case and apostrophes are folded character by character, and white space is collapsed
    within the piece as within the whole (a word cut in two at the piece's start is only shorter).
    """
    size = 2 * length + 16
    while size < end:
        normalised = _normalise(text[end - size : end])
        if len(normalised) >= length:
            return normalised
        size *= 4
    return _normalise(text[:end])


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


def spells(before: str, acronym: str) -> bool:
    """Whether the words ending ``before`` have initials spelling ``acronym`` (small words may be skipped)."""
    initials: list[tuple[str, bool]] = []
    for word in _WORD.findall(before)[-2 * len(acronym) - 2 :]:
        for part in word.split("-"):
            if part:
                initials.append((part[0].upper(), part.casefold() in _SKIPPABLE))
    letters = [letter for letter in acronym.upper() if letter.isalpha()]
    position = len(initials) - 1
    for letter in reversed(letters):
        while position >= 0 and initials[position][0] != letter and initials[position][1]:
            position -= 1
        if position < 0 or initials[position][0] != letter:
            return False
        position -= 1
    return True


def build(options: Mapping[str, Any]) -> Acronyms:
    return Acronyms(dict(options.get("known", {})), frozenset(options.get("allowed", [])))

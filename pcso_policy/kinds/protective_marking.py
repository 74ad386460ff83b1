"""protective-marking: markings of the Government Security Classifications, not of the scheme they replaced.

Since 2 April 2014 UK public bodies mark information under the Government
Security Classifications: OFFICIAL, SECRET and TOP SECRET, with
OFFICIAL-SENSITIVE for OFFICIAL information that needs the SENSITIVE handling
caveat. The Government Protective Marking Scheme it replaced (PROTECT,
RESTRICTED, CONFIDENTIAL, and "not protectively marked" or "unclassified" for
everything else) is no longer in force.

A *marking statement* is where a document states its marking: the front
matter ``classification``; the text of the marking section (a section whose
heading is one of ``section_titles``); and any paragraph that is nothing but a
marking ("OFFICIAL", "1.1. Not protectively marked.", "Classification:
RESTRICTED"). Ordinary words in running prose ("restricted access", "protect
the public", "confidential information") are not marking statements.

The replacement for each legacy marking is data in ``checks/marking.yaml``;
the Cabinet Office's transition guidance maps most legacy material to
OFFICIAL, with the owner judging by content whether OFFICIAL-SENSITIVE (or,
for former CONFIDENTIAL, SECRET) is needed.

Options::

    markings: [OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET]
    legacy:
      - {marking: Not protectively marked, use: OFFICIAL}
      - {marking: Restricted, use: OFFICIAL-SENSITIVE}
    section_titles: [Marking, Protective marking]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Position, Related, Severity
from pcso_policy.kinds.required_sections import normalise_title
from pcso_policy.model import Document, ListItem, Paragraph
from pcso_policy.rules import Rule

KIND = "protective-marking"

INVALID_CLASSIFICATION = Rule(
    "marking/invalid-classification",
    Severity.ERROR,
    "The front matter classification is not a marking of the Government Security Classifications, spelled exactly.",
    "Markings drive handling: a marking written 'Official' or 'OFFICIAL SENSITIVE' is not one the scheme defines, "
    "and a published document carries the classification in its header and footer.",
    "Write one of OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP SECRET, in capitals, as the message suggests.",
    "classification: Official sensitive   <- write OFFICIAL-SENSITIVE",
)
LEGACY_MARKING = Rule(
    "marking/legacy-marking",
    Severity.WARNING,
    "A marking of the Government Protective Marking Scheme, replaced on 2 April 2014.",
    "'Not protectively marked', 'Protect', 'Restricted', 'Confidential' and 'Unclassified' have no meaning under "
    "the Government Security Classifications; readers cannot tell how to handle the document.",
    "Replace it with the current marking the message names (most policies published to the public are OFFICIAL); "
    "the owner decides by content whether a handling caveat is needed. Set classification in the front matter too.",
    "1.1. Not protectively marked.   <- use OFFICIAL",
)
MISMATCH = Rule(
    "marking/mismatch",
    Severity.ERROR,
    "The marking stated in the body differs from the front matter classification.",
    "The published header and footer carry the front matter's classification; a body that says otherwise leaves "
    "readers two answers to how the document must be handled.",
    "Make the body's marking and the front matter classification the same.",
    "classification: OFFICIAL\n1.1. OFFICIAL-SENSITIVE   <- mismatch",
)
RULES = (INVALID_CLASSIFICATION, LEGACY_MARKING, MISMATCH)

_LONGEST_STATEMENT = 80
"""A marking statement is short ('1.1. Not protectively marked.'); longer blocks are prose."""
_BARE = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:(?:protective\s+)?(?:marking|classification)\s*:\s*)?(?P<marking>.+?)\s*\.?$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Statement:
    text: str
    position: Position


@dataclass(frozen=True, slots=True)
class ProtectiveMarking:
    markings: tuple[str, ...]
    legacy: Mapping[str, str]
    """Legacy marking, case folded -> the current marking to use."""
    section_titles: frozenset[str]
    legacy_patterns: tuple[re.Pattern[str], ...] = ()
    """Legacy markings as found inside a sentence: phrases in any case, single words only in capitals."""
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        classification = self._front_matter(document)
        yield from classification[1]
        current = classification[0]
        for statement in self._body_statements(document):
            folded = statement.text.casefold()
            if folded in self.legacy:
                yield self._legacy(statement)
            elif current is not None and statement.text in self.markings and statement.text != current.text:
                message = (
                    f"the body marks the document '{statement.text}' but the front matter classification is "
                    f"'{current.text}': make them the same"
                )
                related = (Related(current.position.line, current.position.column, "the front matter classification"),)
                yield Finding(MISMATCH.id, statement.position.line, statement.position.column, message, related=related)

    def _front_matter(self, document: Document) -> tuple[Statement | None, list[Finding]]:
        value = document.meta.get("classification")
        if not isinstance(value, str) or document.front_matter is None:
            return None, []
        statement = Statement(value.strip(), document.front_matter.value_position_of(("classification",)))
        if statement.text in self.markings:
            return statement, []
        if statement.text.casefold() in self.legacy:
            return None, [self._legacy(statement)]
        message = f"classification '{value}' is not a Government Security Classification: {self._suggest(value)}"
        return None, [Finding(INVALID_CLASSIFICATION.id, statement.position.line, statement.position.column, message)]

    def _suggest(self, value: str) -> str:
        wanted = re.sub(r"[\s_-]+", " ", value.strip().upper())
        for marking in self.markings:
            if re.sub(r"[\s_-]+", " ", marking) == wanted:
                return f"write '{marking}'"
        return f"use one of {', '.join(self.markings)}"

    def _legacy(self, statement: Statement) -> Finding:
        use = self.legacy[statement.text.casefold()]
        message = (
            f"legacy marking '{statement.text}' (Government Protective Marking Scheme, replaced on 2 April 2014): "
            f"use '{use}'"
        )
        return Finding(LEGACY_MARKING.id, statement.position.line, statement.position.column, message)

    def _body_statements(self, document: Document) -> Iterator[Statement]:
        marking_sections = [s for s in document.all_sections() if normalise_title(s.title) in self.section_titles]
        in_section = {id(block) for s in marking_sections for block in (*s.paragraphs, *s.list_items)}
        for block in document.prose():
            statement = self._statement(document, block) if len(block.text) <= _LONGEST_STATEMENT else None
            if statement is not None and self._is_marking(statement.text):
                yield statement
            elif id(block) in in_section:
                yield from self._within(document, block)

    def _within(self, document: Document, block: Paragraph | ListItem) -> Iterator[Statement]:
        """Legacy markings inside a sentence of the marking section ('This policy is not protectively marked')."""
        for pattern in self.legacy_patterns:
            for match in pattern.finditer(block.text):
                yield Statement(match.group(), document.position_in(block.line, block.text, match.start()))

    def _statement(self, document: Document, block: Paragraph | ListItem) -> Statement | None:
        match = _BARE.match(block.text.strip())
        if match is None or "\n" in match["marking"]:
            return None
        offset = block.text.index(match["marking"])
        return Statement(match["marking"], document.position_in(block.line, block.text, offset))

    def _is_marking(self, text: str) -> bool:
        return text in self.markings or text.casefold() in self.legacy


def build(options: Mapping[str, Any]) -> ProtectiveMarking:
    legacy = {entry["marking"].casefold(): entry["use"] for entry in options.get("legacy", [])}
    titles = frozenset(normalise_title(title) for title in options.get("section_titles", []))
    patterns = tuple(_legacy_pattern(entry["marking"]) for entry in options.get("legacy", []))
    return ProtectiveMarking(tuple(options["markings"]), legacy, titles, patterns)


def _legacy_pattern(marking: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in marking.split())
    if " " in marking.strip():
        return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)
    return re.compile(rf"(?<!\w){re.escape(marking.upper())}(?!\w)")

"""announced-list: a paragraph that announces a list must be followed by one.

"This policy was reviewed in January 2025 and the following amendments have
been made:" promises a list of amendments; when none follows, readers cannot
tell what changed. The announcing phrases are regular expressions in
``checks/structure.yaml``, searched in each body paragraph with case ignored
(anchor them with ``$`` to match only a paragraph that ends with the
announcement). The bundled ones read the undated phrasing, the one that says
when or since ("the following amendments have been made on 18 July 2024:",
"The following changes were made in July 2024:", "... since version 1.2:"),
"Amendments made in this version:" and anything ending "as follows:". The
promise is kept by list items after the paragraph, or by a table, code block or
quote directly after it. The finding is at the phrase.

A phrase is searched as written, so write white space before the end anchor
possessively (``made\\s*+:?\\s*+$``): ``made\\s*:?\\s*$`` tries every way of
sharing a long run of spaces between its two ``\\s*``, which takes minutes on a
paragraph padded with a few hundred thousand of them (the file's time limit,
``file_timeout_seconds``, then stops it).

Options::

    phrases:
      - '\\bthe\\s++following\\s++(?:amendments|changes)\\s++(?:have|has)\\s++been\\s++made\\s*+:?\\s*+$'
      - '\\bas\\s++follows\\s*+:\\s*+$'
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document
from pcso_policy.patterns import Pattern, compile_pattern
from pcso_policy.rules import Rule

KIND = "announced-list"

EMPTY_LIST = Rule(
    "structure/empty-list",
    Severity.ERROR,
    "A paragraph announces a list ('the following amendments have been made:') and no list follows.",
    "The amendments record is how readers learn what changed at a review; an announced but missing list hides it.",
    "Add the list of items under the paragraph, or rewrite the paragraph if there is nothing to list.",
    "2.1. ... the following amendments have been made:\n\n2.2. Next paragraph   <- no list",
)
RULES = (EMPTY_LIST,)
_LISTINGS = {"table", "bullet_list", "ordered_list", "fence", "code_block", "blockquote"}


@dataclass(frozen=True, slots=True)
class Options:
    phrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AnnouncedList:
    phrases: tuple[Pattern, ...]
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        starts = [block.line for block in document.blocks]
        for paragraph in document.paragraphs:
            if paragraph.items:
                continue
            found = self.announcement(paragraph.text)
            if found is None or _followed_by_listing(document, starts, paragraph.end_line):
                continue
            start, phrase = found
            position = document.position_in(paragraph.line, paragraph.text, start)
            message = f"'{phrase}' announces a list but none follows: add the items or rewrite the sentence"
            yield Finding(EMPTY_LIST.id, position.line, position.column, message)

    def announcement(self, text: str) -> tuple[int, str] | None:
        """Where in ``text`` the first phrase that matches starts, and the phrase (its white space as single spaces), if one does."""
        for pattern in self.phrases:
            match = pattern.search(text)
            if match is not None:
                return match.start(), " ".join(match.group().split())
        return None


def _followed_by_listing(document: Document, starts: list[int], end_line: int) -> bool:
    """Whether the block after the paragraph ending on ``end_line`` lists something (a table, code, a quote)."""
    index = bisect.bisect_right(starts, end_line)
    return index < len(starts) and document.blocks[index].kind in _LISTINGS


def build(options: Mapping[str, Any]) -> AnnouncedList:
    given = options_of(Options, options)
    return AnnouncedList(tuple(compile_pattern(phrase) for phrase in given.phrases))

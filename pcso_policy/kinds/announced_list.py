"""announced-list: a paragraph that announces a list must be followed by one.

"This policy was reviewed in January 2025 and the following amendments have
been made:" promises a list of amendments; when none follows, readers cannot
tell what changed. The announcing phrases are regular expressions in
``checks/structure.yaml``, searched in each body paragraph with case ignored
(anchor them with ``$`` to match only a paragraph that ends with the
announcement). The promise is kept by list items after the paragraph, or by
a table, code block or quote directly after it. The finding is at the phrase.

Options::

    phrases: ['the following (?:amendments|changes) (?:have|has) been made\\s*:?\\s*$', 'as follows\\s*:\\s*$']
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
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
        """Where in ``text`` the first phrase that matches starts, and the phrase, if one does.

        Phrases end in white space and an end anchor ("made\\s*:?\\s*$"): searched across a run of
        200,000 spaces, each way of sharing the run between two ``\\s*`` is tried, which took minutes.
        So runs of white space longer than any a policy's wording holds are searched cut to
        :data:`LONGEST_SPACE` characters; a shorter run, as every one in a real policy, is searched as written.
        """
        candidates = [pattern for pattern in self.phrases if pattern.could_match(text)]
        if not candidates:
            return None
        shortened = _Shortened(text)
        for pattern in candidates:
            match = pattern.search(shortened.text)
            if match is not None:
                return shortened.offset(match.start()), match.group().strip()
        return None


LONGEST_SPACE = 32
"""White space searched as written: a run of it in a paragraph's text longer than this is cut to this length."""
_LONG_SPACE = re.compile(rf"\s{{{LONGEST_SPACE + 1},}}")


class _Shortened:
    """``text`` with every run of white space longer than :data:`LONGEST_SPACE` cut to that length
    (a line break in the run kept as its last character), and the way back to offsets in ``text``."""

    __slots__ = ("text", "_cuts", "_removed")

    def __init__(self, text: str) -> None:
        self._cuts: list[int] = []
        """Offsets in the shortened text just after each cut run."""
        self._removed: list[int] = []
        """How many characters were cut up to and including each run."""
        if len(text) <= LONGEST_SPACE or _LONG_SPACE.search(text) is None:
            self.text = text
            return
        parts: list[str] = []
        position = removed = 0
        for run in _LONG_SPACE.finditer(text):
            kept = run.group()[:LONGEST_SPACE]
            if "\n" in run.group() and "\n" not in kept:
                kept = kept[:-1] + "\n"
            parts.append(text[position : run.start()])
            parts.append(kept)
            removed += len(run.group()) - len(kept)
            position = run.end()
            self._cuts.append(run.end() - removed)
            self._removed.append(removed)
        parts.append(text[position:])
        self.text = "".join(parts)

    def offset(self, shortened: int) -> int:
        """The offset in the original text of offset ``shortened`` (inside a shortened run: the same place in the run as written)."""
        index = bisect.bisect_right(self._cuts, shortened) - 1
        return shortened + (self._removed[index] if index >= 0 else 0)


def _followed_by_listing(document: Document, starts: list[int], end_line: int) -> bool:
    """Whether the block after the paragraph ending on ``end_line`` lists something (a table, code, a quote)."""
    index = bisect.bisect_right(starts, end_line)
    return index < len(starts) and document.blocks[index].kind in _LISTINGS


def build(options: Mapping[str, Any]) -> AnnouncedList:
    return AnnouncedList(tuple(compile_pattern(phrase) for phrase in options["phrases"]))

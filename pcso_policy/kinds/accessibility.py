"""accessibility: what accessibility rules ask of a published document, checked in its Markdown.

The Public Sector Bodies (Websites and Mobile Applications) (No. 2)
Accessibility Regulations 2018 require published documents to meet WCAG 2.2
AA; GOV.UK guidance on accessible documents spells out what that means for
text. Reported:

- a heading level that skips one (## then ####), which breaks the outline
  screen-reader users navigate by (WCAG 1.3.1);
- an image without alternative text (WCAG 1.1.1);
- link text that does not say where it goes ("click here", "read more") or a
  bare web address (WCAG 2.4.4);
- a table whose header row is empty (WCAG 1.3.1);
- a run of ``caps_words`` or more words in capitals, which is hard to read
  and read out letter by letter; markings and acronyms listed in
  ``allowed_caps`` do not count.

Options::

    vague_link_texts: [click here, here, read more, more, this link, link]
    caps_words: 4
    allowed_caps: [OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Position, Severity
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document
from pcso_policy.rules import Rule

KIND = "accessibility"

ACCESSIBILITY = Rule(
    "publication/accessibility",
    Severity.WARNING,
    "Something in the text that makes the published document hard or impossible to use with assistive "
    "technology: a skipped heading level, an image without alt text, vague link text or a bare address, a "
    "table without a header row, or a long run of capitals.",
    "UK public sector bodies must publish accessible documents: the Public Sector Bodies (Websites and Mobile "
    "Applications) (No. 2) Accessibility Regulations 2018 (in force 23 September 2018; documents published "
    "from 23 September 2019 must comply) require WCAG AA.",
    "Follow the message: use the next heading level, describe the image, say where a link goes, give the table "
    "a header row, write in sentence case.",
    "## 4. Policy\n#### 4.1.1 Detail   <- skips level 3",
)
RULES = (ACCESSIBILITY,)

_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]*)[^)]*\)")
"""What :func:`images` and :func:`links` find, as regular expressions (the tests hold the two to the same answers)."""
_BARE = re.compile(r"(?<![(<\[/\w])(?:https?://|www\.)[^\s)>\]]*[^\s)>\].,;:!?'\"]")
_ANY_TEXT_PROBLEM = re.compile(r"\]\(|https?://|www\.")
"""Images, links and addresses: a file with none of them (or of capitals) needs no block-by-block reading."""
_CAPS_WORD = r"[A-Z][A-Z'’&-]+"


@dataclass(frozen=True, slots=True)
class Options:
    vague_link_texts: tuple[str, ...] = ()
    caps_words: int = 4
    allowed_caps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Accessibility:
    vague: frozenset[str]
    caps_run: re.Pattern[str]
    caps_words: int
    allowed_caps: frozenset[str]
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        yield from _headings(document)
        if _ANY_TEXT_PROBLEM.search(document.text) or self.caps_run.search(document.text):
            for position_of, text in document.texts():
                yield from self._text(position_of, text)
        yield from _tables(document)

    def _text(self, position_of: Any, text: str) -> Iterator[Finding]:
        for image in images(text):
            if not image.label.strip():
                yield _at(position_of(image.start), "image without alternative text: describe it inside ![...]")
        starts: list[int] = []
        ends: list[int] = []
        for link in links(text):
            starts.append(link.start)
            ends.append(link.end)
            words = " ".join(link.label.split()).casefold()
            if words in self.vague or _BARE.fullmatch(link.label.strip()):
                message = f"link text '{link.label}' does not say where the link goes: name the page or document"
                yield _at(position_of(link.start), message)
        for match in _BARE.finditer(text):
            index = bisect.bisect_right(starts, match.start()) - 1  # links do not overlap: only this one can hold it
            if not (index >= 0 and match.start() < ends[index]):
                message = f"bare web address '{match.group()}': link a description of the page instead"
                yield _at(position_of(match.start()), message)
        for match in self.caps_run.finditer(text):
            shouted = [w for w in match.group().split() if w not in self.allowed_caps]
            if len(shouted) >= self.caps_words:
                yield _at(position_of(match.start()), f"'{match.group()[:40]}' is in capitals: write it in sentence case")


class Link(NamedTuple):
    """A Markdown link or image: ``[label](...)`` from ``start`` to ``end``."""

    start: int
    end: int
    label: str


def links(text: str) -> Iterator[Link]:
    """What ``_LINK.finditer`` finds, in one pass over the text.

    The expression tries every '[' in turn and reads on to the next ']' and then to the next ')' from
    each: a run of thousands of '[' before a '](' with no ')' after it took minutes. Every '[' before
    the same ']' meets the same ']' and the same ')', so each is looked for once.
    """
    position = 0
    while (start := text.find("[", position)) >= 0:
        if start and text[start - 1] == "!":  # an image
            position = start + 1
            continue
        found = _closed(text, start + 1)
        if found is None:
            return
        close, end = found
        if end < 0:  # no '(' after the ']': no '[' before it starts a link
            position = close + 1
            continue
        yield Link(start, end, text[start + 1 : close])
        position = end


def images(text: str) -> Iterator[Link]:
    """What ``_IMAGE.finditer`` finds, in one pass over the text (see :func:`links`)."""
    position = 0
    while (start := text.find("![", position)) >= 0:
        found = _closed(text, start + 2)
        if found is None:
            return
        close, end = found
        if end < 0:
            position = close + 1
            continue
        yield Link(start, end, text[start + 2 : close])
        position = end


def _closed(text: str, label: int) -> tuple[int, int] | None:
    """For a label starting at ``label``: the ']' that ends it and the end of the ``(...)`` after that
    (-1 when no '(' follows the ']'); None when no later label can be closed either."""
    close = text.find("]", label)
    if close < 0:
        return None
    if not text.startswith("(", close + 1):
        return close, -1
    paren = text.find(")", close + 2)
    return (close, paren + 1) if paren >= 0 else None


def _headings(document: Document) -> Iterator[Finding]:
    previous = 1
    for section in document.all_sections():
        if section.level > previous + 1:
            message = (
                f"heading '{section.heading}' is level {section.level} after level {previous}: "
                f"use level {previous + 1} so the outline has no gap"
            )
            yield Finding(ACCESSIBILITY.id, section.line, section.column, message)
        previous = section.level


def _tables(document: Document) -> Iterator[Finding]:
    for block in document.blocks:
        if block.kind != "table":
            continue
        header = document.lines[block.line - 1].strip().strip("|")
        if not any(cell.strip() for cell in header.split("|")):
            message = "table without a header row: name each column in the first row"
            yield Finding(ACCESSIBILITY.id, block.line, 1, message)


def _at(position: Position, message: str) -> Finding:
    return Finding(ACCESSIBILITY.id, position.line, position.column, message)


def build(options: Mapping[str, Any]) -> Accessibility:
    given = options_of(Options, options)
    words = given.caps_words
    # The look-behind ("not inside a word") follows the first capital so that re skips straight to capitals.
    first_word = r"[A-Z](?<![\w-][A-Z])[A-Z'’&-]+"
    caps_run = re.compile(rf"{first_word}(?:\s+{_CAPS_WORD}){{{words - 1},}}(?![\w-])")
    return Accessibility(
        frozenset(" ".join(t.split()).casefold() for t in given.vague_link_texts),
        caps_run,
        words,
        frozenset(given.allowed_caps),
    )

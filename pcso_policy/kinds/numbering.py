"""numbering: section and paragraph numbers run without gaps or duplicates.

Numbered sections run 1, 2, 3 … at each level, and a subsection carries its
parent's number (4.1, 4.2 under 4). Numbered paragraphs ("2.1. text") run
n.1, n.2 … within their section and carry its number as prefix; a
sub-paragraph (4.3.1) follows the paragraph it belongs to, and the numbering
then goes on (4.4). Numbers are read as an outline, so headings written at
one Markdown level ("## 1.", "## 1.1", "## 2.") are checked the same way as
nested ones. Paragraphs of an unnumbered subsection continue the numbering
of the nearest numbered section above it.

Sections numbered in the "1.0, 2.0" style, whose paragraphs run 1.1, 1.2,
are read as sections 1, 2; "Section 3 –", "Part 3:", "3)" and "3 –" are
numbers too. Messages name each number as the document writes it ("section
4.0 follows 2.0: expected 3.0").

A document, or a section, that is not numbered is left alone. A duplicate is
reported at its second occurrence, with the first in ``related``.

Options::

    sections: true      # check numbered headings
    paragraphs: true    # check numbered paragraphs
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Related, Severity
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document, Section
from pcso_policy.rules import Rule

KIND = "numbering"

NUMBERING = Rule(
    "structure/numbering",
    Severity.ERROR,
    "A section or paragraph number breaks the sequence: a gap, a duplicate, or a prefix that is not its section's.",
    "Policies are cited by paragraph ('see 4.3'); a skipped or repeated number makes citations point at the wrong "
    "text and suggests a paragraph was lost in editing.",
    "Renumber as the message says: the expected number follows the one before it.",
    "4.4. ...\n4.6. ...   <- expected 4.5",
)
RULES = (NUMBERING,)
_MAX_DIGITS = 6
"""Longer parts are not outline numbers (and would not fit int() on hostile input)."""


@dataclass(frozen=True, slots=True)
class Options:
    sections: bool = True
    paragraphs: bool = True


@dataclass(frozen=True, slots=True)
class Numbered:
    number: str
    """The outline number ("4" for a heading written "4.0")."""
    label: str
    line: int
    column: int
    written: str = ""
    """The number as the document writes it ("4.0"), if not ``number``."""

    @property
    def shown(self) -> str:
        return self.written or self.number

    def as_written(self, parts: tuple[int, ...]) -> str:
        """``parts`` written in this item's style: "3.0" for 3 beside a section written "4.0"."""
        text = _text(parts)
        if len(parts) == 1 and self.written == f"{self.number}.0":
            return f"{text}.0"
        return text


@dataclass(frozen=True, slots=True)
class Numbering:
    sections: bool = True
    paragraphs: bool = True
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        if self.sections:
            yield from sequence(_headings(document.sections), parent=None)
        for section in document.all_sections():
            parent = _heading(section)
            if self.sections and section.children:
                yield from sequence(_headings(section.children), parent.number, parent.shown)
            if self.paragraphs and section.number:
                yield from sequence(_paragraphs(section), parent.number, parent.shown)


def _heading(section: Section) -> Numbered:
    written = section.written_number if section.written_number != section.number else None
    return Numbered(section.number or "", "section", section.line, section.column, written or "")


def _headings(sections: Iterable[Section]) -> list[Numbered]:
    return [_heading(s) for s in sections if s.number]


def _paragraphs(section: Section) -> list[Numbered]:
    """The numbered paragraphs of ``section`` and of its unnumbered subsections, in document order."""
    found = [Numbered(p.number, "paragraph", p.line, p.column) for p in section.paragraphs if p.number]
    for child in section.children:
        if not child.number:
            found.extend(_paragraphs(child))
    return sorted(found, key=lambda item: item.line)


def parse_number(number: str) -> tuple[int, ...] | None:
    """``"4.10"`` as ``(4, 10)``; ``None`` for what is not an outline number."""
    parts = number.split(".")
    if not all(part.isdigit() and len(part) <= _MAX_DIGITS for part in parts):
        return None
    return tuple(int(part) for part in parts)


def expected_after(current: tuple[int, ...], depth: int) -> tuple[int, ...]:
    """The number an item of ``depth`` parts should have after ``current`` in an outline."""
    if depth > len(current):
        return (*current, 1)
    return (*current[: depth - 1], current[depth - 1] + 1)


def _text(parts: tuple[int, ...]) -> str:
    return ".".join(map(str, parts))


def sequence(items: list[Numbered], parent: str | None, parent_shown: str | None = None) -> Iterator[Finding]:
    """Findings for ``items``, siblings under the section numbered ``parent`` (``None``: the top level),
    which the document writes ``parent_shown`` (by default ``parent``)."""
    base = parse_number(parent) if parent else ()
    if base is None:
        return
    under = f"section {parent_shown or parent}"
    seen: dict[str, Numbered] = {}
    current = base
    previous: Numbered | None = None
    """The item whose number ``current`` is, to name it as written."""
    for item in items:
        parts = parse_number(item.number)
        if parts is None or len(parts) <= len(base):
            if parts is not None and parent:
                wanted = item.as_written(expected_after(current, len(base) + 1))
                message = f"{item.label} {item.shown} stands under {under}: expected {wanted}"
                yield Finding(NUMBERING.id, item.line, item.column, message)
            continue
        key = _text(parts)
        if key in seen:
            first = seen[key]
            message = f"{item.label} {item.shown} is numbered the same as the one on line {first.line}: renumber it"
            related = (Related(first.line, first.column, f"{item.label} {first.shown} first appears here"),)
            yield Finding(NUMBERING.id, item.line, item.column, message, related=related)
            continue
        seen[key] = item
        expected = expected_after(current, len(parts))
        if parts == expected:
            current, previous = parts, item
            continue
        wanted = item.as_written(expected)
        if parts[: len(base)] != base:
            # Not under its section at all: keep counting the section's own numbers.
            message = f"{item.label} {item.shown} stands under {under}: expected {wanted}"
        elif previous is None:
            message = f"{item.label} {item.shown} is the first: expected {wanted}"
        else:
            message = f"{item.label} {item.shown} follows {previous.shown}: expected {wanted}"
        yield Finding(NUMBERING.id, item.line, item.column, message)
        if parts[: len(base)] == base:
            current, previous = parts, item


def build(options: Mapping[str, Any]) -> Numbering:
    given = options_of(Options, options)
    return Numbering(given.sections, given.paragraphs)

"""numbering: section and paragraph numbers run without gaps or duplicates.

Numbered sections run 1, 2, 3 … at each level, and a subsection carries its
parent's number (4.1, 4.2 under 4). Numbered paragraphs ("2.1. text") run
n.1, n.2 … within their section and carry its number as prefix. A document,
or a section, that is not numbered is left alone. A duplicate is reported at
its second occurrence, with the first in ``related``.

Options::

    sections: true
    paragraphs: true
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Related, Severity
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


@dataclass(frozen=True, slots=True)
class Numbered:
    number: str
    label: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Numbering:
    sections: bool = True
    paragraphs: bool = True
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        if self.sections:
            yield from _sequence(_sections(document.sections), parent=None)
        for section in document.all_sections():
            if self.sections and section.children:
                yield from _sequence(_sections(section.children), parent=section.number)
            if self.paragraphs and section.number:
                numbered = [
                    Numbered(p.number, "paragraph", p.line, p.column)
                    for p in section.paragraphs
                    if p.number and not _sub_paragraph(p.number, section.number)
                ]
                yield from _sequence(numbered, parent=section.number)


def _sub_paragraph(number: str, parent: str) -> bool:
    """4.3.1 under section 4 is a sub-paragraph of 4.3, not out of sequence."""
    return number.startswith(f"{parent}.") and number.count(".") > parent.count(".") + 1


def _sections(sections: Sequence[Section]) -> list[Numbered]:
    return [Numbered(s.number, "section", s.line, s.column) for s in sections if s.number]


def _sequence(items: list[Numbered], parent: str | None) -> Iterator[Finding]:
    seen: dict[str, Numbered] = {}
    previous: list[int] | None = None
    for item in items:
        parts = [int(part) for part in item.number.split(".")]
        prefix = ".".join(str(part) for part in parts[:-1]) or None
        if item.number in seen:
            first = seen[item.number]
            message = f"{item.label} {item.number} is numbered the same as the one on line {first.line}: renumber it"
            related = (Related(first.line, first.column, f"{item.label} {item.number} first appears here"),)
            yield Finding(NUMBERING.id, item.line, item.column, message, related=related)
            continue
        seen[item.number] = item
        if parent is not None and prefix != parent:
            expected = f"{parent}.{(previous[-1] + 1) if previous else 1}"
            message = f"{item.label} {item.number} stands under {parent}: expected {expected}"
            yield Finding(NUMBERING.id, item.line, item.column, message)
            continue
        expected_last = previous[-1] + 1 if previous else 1
        if parts[-1] != expected_last:
            expected = ".".join(str(p) for p in [*parts[:-1], expected_last])
            after = f"follows {'.'.join(map(str, previous))}" if previous else "is the first"
            message = f"{item.label} {item.number} {after}: expected {expected}"
            yield Finding(NUMBERING.id, item.line, item.column, message)
        previous = parts


def build(options: Mapping[str, Any]) -> Numbering:
    return Numbering(options.get("sections", True), options.get("paragraphs", True))

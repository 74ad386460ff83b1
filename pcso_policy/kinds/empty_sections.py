"""empty-sections: a heading with nothing under it.

A section is empty when nothing stands between its heading and the next
heading of the same or a higher level (or the end of the body): no
paragraph, list, table, quote or code, and no subsection with content. A
section whose only content is a table or a subsection is not empty.

Options::

    {}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.model import Document, Section
from pcso_policy.rules import Rule

KIND = "empty-sections"

EMPTY_SECTION = Rule(
    "structure/empty-section",
    Severity.ERROR,
    "A section heading with nothing under it.",
    "An empty mandatory section satisfies a checklist while saying nothing; readers of a published policy find a "
    "heading that promises what the text does not give. An error, because a policy is not finished while one "
    "of its sections is blank.",
    "Write the section's content, or remove the heading if the section does not belong in this document.",
    "## 5. Financial implications\n\n## 6. Equality impact   <- section 5 is empty",
)
RULES = (EMPTY_SECTION,)
_CONTENT_BLOCKS = {"paragraph", "bullet_list", "ordered_list", "table", "blockquote", "fence", "code_block", "html_block"}


@dataclass(frozen=True, slots=True)
class EmptySections:
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        content_lines = sorted(block.line for block in document.blocks if block.kind in _CONTENT_BLOCKS)
        content_lines = [line for line in content_lines if not _is_comment(document, line)]
        sections = document.all_sections()
        for section in sections:
            end = _end_of(section, sections, document)
            if not any(section.line < line < end for line in content_lines):
                message = f"section '{section.heading}' is empty: write its content or remove the heading"
                yield Finding(EMPTY_SECTION.id, section.line, section.column, message)


def _is_comment(document: Document, line: int) -> bool:
    return any(comment.line == line for comment in document.comments)


def _end_of(section: Section, sections: list[Section], document: Document) -> int:
    """The line of the next heading of the same or a higher level, or past the end of the body."""
    later = [other.line for other in sections if other.line > section.line and other.level <= section.level]
    footer = [block.line for block in document.blocks if block.kind == "hr" and document.footer and block.line < document.footer[0].line]
    return min([*later, *footer[-1:], len(document.lines) + 1])


def build(options: Mapping[str, Any]) -> EmptySections:
    return EmptySections()

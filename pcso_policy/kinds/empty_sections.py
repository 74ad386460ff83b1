"""empty-sections: a heading with nothing under it.

A section is empty when nothing stands between its heading and the next
heading of the same or a higher level (or the end of the body, which is the
thematic break that opens the footer): no paragraph, list, table, quote,
code or HTML, and no subsection with content. An HTML comment (a note to
editors, a suppression) is not content. A section whose only content is a
table or a subsection with content is not empty; a section whose only
subsections are empty is, and each empty heading is reported.

Options::

    {}
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.kinds.options import options_of
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
_CONTENT_BLOCKS = {
    "paragraph", "bullet_list", "ordered_list", "table", "blockquote", "fence", "code_block", "html_block",
}


@dataclass(frozen=True, slots=True)
class Options:
    """This kind has no options."""


@dataclass(frozen=True, slots=True)
class EmptySections:
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        comments = {comment.line for comment in document.comments}
        content = sorted(b.line for b in document.blocks if b.kind in _CONTENT_BLOCKS and b.line not in comments)
        sections = document.all_sections()
        for section, end in zip(sections, section_ends(sections, body_end(document)), strict=True):
            index = bisect.bisect_right(content, section.line)
            if index == len(content) or content[index] >= end:
                message = f"section '{section.heading}' is empty: write its content or remove the heading"
                yield Finding(EMPTY_SECTION.id, section.line, section.column, message)


def body_end(document: Document) -> int:
    """The line where the footer starts, or one past the last line."""
    return document.footer_line or len(document.lines) + 1


def section_ends(sections: list[Section], end: int) -> list[int]:
    """For sections in document order, the line of the next heading of the same or a higher level, else ``end``."""
    ends = [end] * len(sections)
    open_: list[int] = []
    for index, section in enumerate(sections):
        while open_ and sections[open_[-1]].level >= section.level:
            ends[open_.pop()] = section.line
        open_.append(index)
    return ends


def build(options: Mapping[str, Any]) -> EmptySections:
    options_of(Options, options)
    return EmptySections()

"""announced-list: a paragraph that announces a list must be followed by one.

"This policy was reviewed in January 2025 and the following amendments have
been made:" promises a list of amendments; when none follows, readers cannot
tell what changed. The announcing phrases are regular expressions in
``checks/structure.yaml``.

Options::

    phrases: ['the following (?:amendments|changes) (?:have|has) been made\\s*:?\\s*$', 'as follows\\s*:\\s*$']
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.model import Document
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


@dataclass(frozen=True, slots=True)
class AnnouncedList:
    phrases: tuple[re.Pattern[str], ...]
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        for paragraph in document.paragraphs:
            if paragraph.items:
                continue
            for pattern in self.phrases:
                match = pattern.search(paragraph.text)
                if match is None:
                    continue
                position = document.position_in(paragraph.line, paragraph.text, match.start())
                message = f"'{match.group().strip()}' announces a list but none follows: add the items or rewrite the sentence"
                yield Finding(EMPTY_LIST.id, position.line, position.column, message)
                break


def build(options: Mapping[str, Any]) -> AnnouncedList:
    return AnnouncedList(tuple(re.compile(phrase, re.IGNORECASE) for phrase in options["phrases"]))

"""numbering and empty-sections: option handling."""

from __future__ import annotations

import datetime

from pcso_policy.check import CheckContext
from pcso_policy.kinds import empty_sections, numbering
from pcso_policy.parsing import parse_text

CONTEXT = CheckContext(datetime.date(2026, 11, 23))
TEXT = "---\nid: T1\n---\n\n## 1. A\n\n1.2. Gap.\n\n## 3. C\n\n3.1. Text.\n"


def rules_of(check: object) -> list[tuple[int, str]]:
    document = parse_text("t.md", TEXT).document
    assert document is not None
    return [(f.line, f.message) for f in check.check(document, CONTEXT)]  # type: ignore[attr-defined]


def test_sections_and_paragraphs_can_be_switched_off() -> None:
    assert len(rules_of(numbering.build({}))) == 2
    assert rules_of(numbering.build({"sections": False})) == [(7, "paragraph 1.2 is the first: expected 1.1")]
    assert rules_of(numbering.build({"paragraphs": False})) == [(9, "section 3 follows 1: expected 2")]


def test_sections_with_paragraphs_are_not_empty() -> None:
    assert rules_of(empty_sections.build({})) == []

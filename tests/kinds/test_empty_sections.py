"""empty-sections: where a section ends and what counts as its content."""

from __future__ import annotations

import datetime

from pcso_policy.check import CheckContext
from pcso_policy.kinds import empty_sections
from pcso_policy.kinds.empty_sections import body_end, section_ends
from pcso_policy.model import Document
from pcso_policy.parsing import parse_text

CONTEXT = CheckContext(datetime.date(2026, 11, 23))


def parse(body: str) -> Document:
    document = parse_text("t.md", "---\nid: T1\n---\n\n" + body).document
    assert document is not None
    return document


def empty_lines(body: str) -> list[int]:
    return [f.line for f in empty_sections.build({}).check(parse(body), CONTEXT)]


def test_a_section_ends_at_the_next_heading_of_its_level_or_above() -> None:
    document = parse("## A\n\n### A1\n\n#### A1a\n\n### A2\n\n## B\n")
    #                  5     7      9       11     13
    assert section_ends(document.all_sections(), 99) == [13, 11, 11, 13, 99]


def test_the_body_ends_at_the_break_that_opens_the_footer() -> None:
    assert body_end(parse("## A\n\nText.\n\n---\n\nPolicy reference: X\n")) == 9
    between = parse("## A\n\nText.\n\n---\n\n## B\n\nText.\n")
    assert body_end(between) == len(between.lines) + 1


def test_content_of_every_kind_fills_a_section() -> None:
    kinds: tuple[str, ...] = ("Text.", "- item", "1. item", "| a |\n| - |\n| b |", "> quote")
    kinds += ("```\ncode\n```", "    code", "<div>x</div>")
    for content in kinds:
        assert empty_lines(f"## A\n\n{content}\n\n## B\n\nText.\n") == [], content


def test_a_comment_or_a_break_is_not_content() -> None:
    assert empty_lines("## A\n\n<!-- to do -->\n\n## B\n\nText.\n") == [5]
    assert empty_lines("## A\n\n---\n\n## B\n\nText.\n") == [5]


def test_a_parent_is_empty_only_when_all_its_subsections_are() -> None:
    assert empty_lines("## A\n\n### A1\n\nText.\n") == []
    assert empty_lines("## A\n\n### A1\n\n## B\n\nText.\n") == [5, 7]


def test_a_document_without_sections_has_nothing_to_report() -> None:
    assert empty_lines("Text.\n") == []
    assert empty_lines("") == []

"""Positions and structure of the document model, checked against a readable fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcso_policy.diagnostics import Position
from pcso_policy.model import Document
from pcso_policy.parsing import parse_bytes, parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "model"


@pytest.fixture(scope="module")
def document() -> Document:
    result = parse_bytes("structure.md", (FIXTURES / "structure.md").read_bytes())
    assert result.findings == []
    assert result.document is not None
    return result.document


def test_front_matter_key_positions(document: Document) -> None:
    front_matter = document.front_matter
    assert front_matter is not None
    assert front_matter.position_of(("id",)) == Position(2, 1)
    assert front_matter.value_position_of(("id",)) == Position(2, 5)
    assert front_matter.position_of(("review_cycle_months",)) == Position(8, 1)
    assert front_matter.position_of(("aligns_with", 0)) == Position(10, 5)
    assert front_matter.position_of(("aligns_with", 0, "version")) == Position(11, 5)
    assert front_matter.value_position_of(("aligns_with", 0, "section")) == Position(12, 14)
    assert (front_matter.start_line, front_matter.end_line) == (1, 13)


def test_dates_stay_as_written(document: Document) -> None:
    assert document.meta["last_reviewed"] == "2025-01"
    assert document.meta["aligns_with"][0]["version"] == "2022-06-06"


def test_unquoted_iso_date_is_not_turned_into_a_date_object() -> None:
    text = "---\nlast_reviewed: 2025-01-06\n---\n"
    result = parse_text("x.md", text)
    assert result.document is not None
    assert result.document.meta["last_reviewed"] == "2025-01-06"


def test_title_and_body_line(document: Document) -> None:
    assert document.title == "Model test policy"
    assert document.body_line == 14


def test_section_tree(document: Document) -> None:
    headings = [(s.level, s.number, s.title, s.line, s.column) for s in document.all_sections()]
    assert headings == [
        (2, "1", "Marking", 17, 1),
        (2, "2", "Amendments", 21, 1),
        (3, "2.2", "Detail", 31, 1),
    ]
    assert document.sections[1].children[0].title == "Detail"


def test_numbered_paragraphs(document: Document) -> None:
    numbered = [(p.number, p.line, p.end_line) for p in document.paragraphs if p.number]
    assert numbered == [("1.1", 19, 19), ("2.1", 23, 24)]
    assert document.paragraphs[1].text.startswith("2.1. This policy was reviewed in January 2025")


def test_list_items_with_lines_columns_and_depth(document: Document) -> None:
    items = [(i.text, i.line, i.column, i.depth, i.ordered) for i in document.list_items]
    assert items == [
        ("First change.", 26, 1, 1, False),
        ("Second change\ncontinued on a second line.", 27, 1, 1, False),
        ("A nested ordered point.", 29, 3, 2, True),
    ]


def test_list_items_belong_to_the_paragraph_that_announces_them(document: Document) -> None:
    announcing = document.paragraphs[1]
    assert [item.line for item in announcing.items] == [26, 27, 29]


def test_section_content_and_span(document: Document) -> None:
    marking, amendments = document.sections
    assert [p.line for p in marking.paragraphs] == [19]
    assert [i.line for i in amendments.list_items] == [26, 27, 29]
    detail = amendments.children[0]
    assert [p.text for p in detail.paragraphs] == ["Unnumbered paragraph."]
    assert detail.end_line == 33
    assert amendments.end_line == 33


def test_footer_fields_after_the_last_rule(document: Document) -> None:
    fields = [(f.label, f.value, f.line, f.column, f.value_column) for f in document.footer]
    assert fields == [
        ("Policy reference", "Model test policy (T1)", 37, 1, 19),
        ("Contact point", "Head of Policy", 38, 1, 18),
        ("Date last reviewed", "January 2025", 39, 1, 21),
    ]
    assert document.footer_field("date last reviewed") is document.footer[2]
    assert all(p.line < 35 for p in document.paragraphs)


def test_a_rule_between_sections_is_not_a_footer() -> None:
    text = "---\nid: X\n---\n## 1. A\n\n---\n\nKey: value\n\n## 2. B\n\nText.\n"
    result = parse_text("x.md", text)
    assert result.document is not None
    assert result.document.footer == []
    assert [s.title for s in result.document.sections] == ["A", "B"]


def test_windows_line_endings_and_bom_keep_line_numbers() -> None:
    text = "---\r\nid: X\r\n---\r\n\r\n## 1. Marking\r\n\r\n1.1. OFFICIAL\r\n"
    result = parse_bytes("x.md", b"\xef\xbb\xbf" + text.encode())
    assert result.document is not None
    assert result.document.sections[0].line == 5
    assert result.document.paragraphs[0].line == 7
    assert result.document.front_matter is not None
    assert result.document.front_matter.position_of(("id",)) == Position(2, 1)


def test_body_is_parsed_without_front_matter() -> None:
    result = parse_text("x.md", "# Title\n\n## 1. Scope\n\n1.1. Text.\n")
    assert [f.rule for f in result.findings] == ["parse/missing-front-matter"]
    assert result.document is not None
    assert result.document.sections[0].line == 3


def test_comments_are_recorded_with_their_lines() -> None:
    text = "---\nid: X\n---\n\n<!-- pcso-policy: disable=parse/empty -->\n1.1. Text.\n"
    result = parse_text("x.md", text)
    assert result.document is not None
    assert [(c.line, c.end_line) for c in result.document.comments] == [(5, 5)]


def test_position_in_maps_block_offsets_to_file_positions(document: Document) -> None:
    paragraph = document.paragraphs[1]
    offset = paragraph.text.index("January 2025")
    assert document.position_in(paragraph.line, paragraph.text, offset) == Position(23, 34)
    follow_on = paragraph.text.index("amendments")
    assert document.position_in(paragraph.line, paragraph.text, follow_on) == Position(24, 15)
    item = document.list_items[1]
    assert document.position_in(item.line, item.text, item.text.index("second line")) == Position(28, 18)
    assert document.position_in(item.line, item.text, 0) == Position(27, 3)


def test_prose_is_paragraphs_and_items_in_document_order(document: Document) -> None:
    assert [block.line for block in document.prose()] == [19, 23, 26, 27, 29, 33]


def test_a_year_at_the_start_of_a_heading_is_not_a_section_number() -> None:
    document = parse_text("t.md", "---\nid: T\n---\n\n## 2024 changes\n\n## 4.1 Role\n").document
    assert document is not None
    assert [(s.number, s.title) for s in document.all_sections()] == [(None, "2024 changes"), ("4.1", "Role")]

"""numbering: the outline arithmetic behind the fixtures, and option handling."""

from __future__ import annotations

import datetime

import pytest

from pcso_policy.check import CheckContext
from pcso_policy.kinds import numbering
from pcso_policy.kinds.numbering import Numbered, expected_after, parse_number, sequence
from pcso_policy.parsing import parse_text

CONTEXT = CheckContext(datetime.date(2026, 11, 23))
TEXT = "---\nid: T1\n---\n\n## 1. A\n\n1.2. Gap.\n\n## 3. C\n\n3.1. Text.\n"


def findings(check: numbering.Numbering, text: str = TEXT) -> list[tuple[int, str]]:
    document = parse_text("t.md", text).document
    assert document is not None
    return [(f.line, f.message) for f in check.check(document, CONTEXT)]


@pytest.mark.parametrize(
    ("text", "parts"),
    [("4", (4,)), ("4.10", (4, 10)), ("1.2.3", (1, 2, 3)), ("4.x", None), ("", None), ("1" * 5000, None)],
)
def test_parse_number(text: str, parts: tuple[int, ...] | None) -> None:
    assert parse_number(text) == parts


@pytest.mark.parametrize(
    ("current", "depth", "expected"),
    [((), 1, (1,)), ((4,), 1, (5,)), ((4,), 2, (4, 1)), ((4, 3), 2, (4, 4)), ((4, 3, 1), 2, (4, 4)), ((4,), 3, (4, 1))],
)
def test_expected_after(current: tuple[int, ...], depth: int, expected: tuple[int, ...]) -> None:
    assert expected_after(current, depth) == expected


def messages(numbers: list[str], parent: str | None) -> list[str]:
    items = [Numbered(number, "paragraph", line, 1) for line, number in enumerate(numbers, start=1)]
    return [finding.message for finding in sequence(items, parent)]


def test_a_gap_is_reported_once_and_the_count_resumes_from_it() -> None:
    assert messages(["4.1", "4.2", "4.4", "4.5"], "4") == ["paragraph 4.4 follows 4.2: expected 4.3"]


def test_a_duplicate_names_the_first_and_is_related_to_it() -> None:
    items = [Numbered("4.1", "paragraph", 10, 1), Numbered("4.1", "paragraph", 12, 3)]
    (finding,) = sequence(items, "4")
    assert finding.line == 12 and "line 10" in finding.message
    assert [(r.line, r.column) for r in finding.related] == [(10, 1)]


def test_a_number_from_another_section_does_not_move_the_count() -> None:
    assert messages(["4.1", "3.1", "4.2"], "4") == ["paragraph 3.1 stands under 4: expected 4.2"]
    assert messages(["4.1", "4"], "4") == ["paragraph 4 stands under 4: expected 4.2"]


def test_sub_paragraphs_nest_and_the_count_goes_on_after_them() -> None:
    assert messages(["4.1", "4.1.1", "4.1.2", "4.2", "4.2.1", "4.3"], "4") == []
    assert messages(["4.1", "4.1.2"], "4") == ["paragraph 4.1.2 follows 4.1: expected 4.1.1"]


def test_top_level_numbers_are_read_as_an_outline() -> None:
    assert messages(["1", "1.1", "1.2", "2", "3"], None) == []
    assert messages(["2", "3"], None) == ["paragraph 2 is the first: expected 1"]


def test_what_is_not_an_outline_number_is_skipped_without_raising() -> None:
    assert messages(["1", "9" * 5000, "2"], None) == []
    assert list(sequence([Numbered("1.1", "paragraph", 1, 1)], "9" * 5000)) == []


def test_sections_and_paragraphs_can_be_switched_off() -> None:
    assert len(findings(numbering.build({}))) == 2
    assert findings(numbering.build({"sections": False})) == [(7, "paragraph 1.2 is the first: expected 1.1")]
    assert findings(numbering.build({"paragraphs": False})) == [(9, "section 3 follows 1: expected 2")]


def test_an_unnumbered_document_is_left_alone() -> None:
    text = "---\nid: T1\n---\n\n## Marking\n\nOFFICIAL\n\n## Policy\n\nText.\n"
    assert findings(numbering.build({}), text) == []


def test_paragraphs_of_an_unnumbered_section_are_not_checked() -> None:
    text = "---\nid: T1\n---\n\n## Policy\n\n1.1. One.\n\n1.3. Three.\n"
    assert findings(numbering.build({}), text) == []

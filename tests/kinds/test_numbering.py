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
    assert messages(["4.1", "3.1", "4.2"], "4") == ["paragraph 3.1 stands under section 4: expected 4.2"]
    assert messages(["4.1", "4"], "4") == ["paragraph 4 stands under section 4: expected 4.2"]


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


def test_point_zero_sections_hold_their_paragraphs_and_are_named_as_written() -> None:
    text = (
        "---\nid: T1\n---\n\n"
        "## 1.0 Introduction\n\n1.1 One.\n\n1.2 Two.\n\n"  # 5, 7, 9
        "## 2.0 Scope\n\n2.1 One.\n\n2.3 Three.\n\n"  # 11, 13, 15
        "## 4.0 Review\n\n4.1 One.\n\n"  # 17, 19
        "## 4.0 Retention\n\n3.1 Stray.\n"  # 21, 23
    )
    assert sorted(findings(numbering.build({}), text)) == [
        (15, "paragraph 2.3 follows 2.1: expected 2.2"),
        (17, "section 4.0 follows 2.0: expected 3.0"),
        (21, "section 4.0 is numbered the same as the one on line 17: renumber it"),
        (23, "paragraph 3.1 stands under section 4.0: expected 4.1"),
    ]


def test_a_first_point_zero_section_out_of_place_is_expected_as_written() -> None:
    text = "---\nid: T1\n---\n\n## 2.0 Scope\n\n2.1 One.\n"
    assert findings(numbering.build({}), text) == [(5, "section 2.0 is the first: expected 1.0")]


def test_section_n_headings_are_numbered_sections() -> None:
    text = (
        "---\nid: T1\n---\n\n"
        "## Section 1 – Introduction\n\n1.1 One.\n\n"  # 5, 7
        "## Section 2 – Scope\n\n2.1 One.\n\n2.2 Two.\n\n"  # 9, 11, 13
        "## Section 4 – Policy\n\n4.1 One.\n"  # 15, 17
    )
    assert findings(numbering.build({}), text) == [(15, "section 4 follows 2: expected 3")]


def test_a_subsection_after_a_point_zero_parent_is_expected_under_it() -> None:
    text = "---\nid: T1\n---\n\n## 1.0 Policy\n\n### 1.1 Powers\n\n### 1.3 Limits\n\n### 2.1 Stray\n"
    assert findings(numbering.build({}), text) == [
        (9, "section 1.3 follows 1.1: expected 1.2"),
        (11, "section 2.1 stands under section 1.0: expected 1.4"),
    ]

"""announced-list: which paragraphs announce a list and what keeps the promise."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from pcso_policy.check import CheckContext
from pcso_policy.checkfiles import load_check_file
from pcso_policy.kinds.announced_list import AnnouncedList
from pcso_policy.parsing import parse_text

CONTEXT = CheckContext(datetime.date(2026, 11, 23))
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def check() -> AnnouncedList:
    (found,) = [c for c in load_check_file(REPO / "checks" / "structure.yaml") if isinstance(c, AnnouncedList)]
    return found


@pytest.mark.parametrize(
    "text",
    [
        "This policy was reviewed in January 2025 and the following amendments have been made:",
        "The following changes have been made",
        "the following updates has been made:  ",
        "The duties are as follows:",
        "The following amendments:",
    ],
)
def test_announcements(check: AnnouncedList, text: str) -> None:
    assert check.announcement(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "The following amendments have been made since the last review and are in the register.",
        "As follows from 2.1, compliance is mandatory.",
        "The procedure is as follows: report, record, review.",
        "No amendments have been made.",
    ],
)
def test_not_announcements(check: AnnouncedList, text: str) -> None:
    assert check.announcement(text) is None


def lines(check: AnnouncedList, body: str) -> list[tuple[int, int]]:
    document = parse_text("t.md", "---\nid: T1\n---\n\n" + body).document
    assert document is not None
    return [(f.line, f.column) for f in check.check(document, CONTEXT)]


def test_a_list_table_code_or_quote_keeps_the_promise(check: AnnouncedList) -> None:
    for listing in ("- one", "1. one", "| a |\n| - |\n| b |", "```\none\n```", "> one"):
        assert lines(check, f"They are as follows:\n\n{listing}\n") == [], listing


def test_a_paragraph_heading_comment_or_nothing_does_not(check: AnnouncedList) -> None:
    assert lines(check, "They are as follows:\n\nNext.\n") == [(5, 10)]
    assert lines(check, "They are as follows:\n\n## Next\n") == [(5, 10)]
    assert lines(check, "They are as follows:\n\n<!-- later -->\n") == [(5, 10)]
    assert lines(check, "They are as follows:\n") == [(5, 10)]


def test_the_footer_is_not_searched(check: AnnouncedList) -> None:
    assert lines(check, "Text.\n\n---\n\nNote: as follows:\n") == []

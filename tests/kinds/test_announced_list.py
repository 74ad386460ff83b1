"""announced-list: which paragraphs announce a list and what keeps the promise."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from pcso_policy.check import CheckContext
from pcso_policy.checkfiles import load_check_file
from pcso_policy.kinds.announced_list import AnnouncedList
from pcso_policy.parsing import parse_text
from pcso_policy.patterns import refusal

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
        "the following amendments have been made on 18 July 2024:",
        "The following changes were made in July 2024:",
        "the following amendments have been made since version 1.2:",
        "The following updates were made at the review of 12/03/2025 :",
        "Amendments made in this version are as follows:",
        "Amendments made in this version:",
        "Changes made since version 1.2:",
        "the following\namendments have\nbeen made:",
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
        "The following amendments have been made since the last review and are listed in the register",
        "The following changes were made in July 2024.",
        "The following changes were made in July 2024. The register lists them:",
        "the following amendments have been made on 18 July 2024; the register lists them:",
        "Changes made since version 1.2 are in the register.",
        "The following changes were made to reflect the College of Policing's guidance " + "and its updates " * 5 + ":",
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


def test_the_phrase_is_quoted_with_its_white_space_as_single_spaces(check: AnnouncedList) -> None:
    text = "It was reviewed and the following\namendments have been made   since version 1.2 :"
    assert check.announcement(text) == (20, "the following amendments have been made since version 1.2 :")


def test_a_dated_announcement_is_found_at_its_phrase(check: AnnouncedList) -> None:
    assert lines(check, "Version 1.3. The following changes were made in July 2024:\n\nNext.\n") == [(5, 14)]
    assert lines(check, "The following changes were made in July 2024:\n\n- Scope widened.\n") == []


def test_the_bundled_phrases_pass_the_vetting_of_a_repositorys_own() -> None:
    phrases = yaml.safe_load((REPO / "checks" / "structure.yaml").read_text(encoding="utf-8"))["checks"]
    (options,) = [entry["options"] for entry in phrases if entry["kind"] == "announced-list"]
    assert [refusal(phrase) for phrase in options["phrases"]] == [None] * len(options["phrases"])

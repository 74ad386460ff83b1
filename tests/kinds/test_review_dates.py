"""review-dates: option handling and the statement logic behind the fixtures."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from pcso_policy.check import CheckContext
from pcso_policy.kinds import review_dates
from pcso_policy.kinds.review_dates import _sentences, _statement_matches, build
from pcso_policy.parsing import parse_text

ROOT = Path(__file__).resolve().parents[2]
CONTEXT = CheckContext(datetime.date(2026, 11, 23))


def repository_options() -> dict[str, Any]:
    checks = yaml.safe_load((ROOT / "checks" / "review.yaml").read_text(encoding="utf-8"))["checks"]
    return next(check["options"] for check in checks if check["kind"] == review_dates.KIND)


def findings(
    text: str, options: dict[str, Any] | None = None, as_of: datetime.date | None = None
) -> list[tuple[str, int, int]]:
    document = parse_text("t.md", text).document
    assert document is not None
    check = build(repository_options() if options is None else options)
    context = CONTEXT if as_of is None else CheckContext(as_of)
    return [(f.rule, f.line, f.column) for f in check.check(document, context)]


def policy(front_matter: str, body: str = "") -> str:
    return f"---\nid: T1\ntitle: T\n{front_matter}---\n\n# T\n\n{body}"


def test_defaults_when_options_are_absent() -> None:
    check = build({})
    assert check.due_soon_days == 90 and check.statements == {} and check.footer_labels == {}
    assert check.screen.search("This policy was reviewed in January 2025.") is None


def test_statements_and_labels_ignore_case() -> None:
    check = build({"statements": {"last_reviewed": ["was reviewed in"]}, "footer": {"next_review": ["Review Date"]}})
    assert check.statements["last_reviewed"][0].search("It WAS REVIEWED IN May 2024")
    assert check.footer_labels == {"next_review": frozenset({"review date"})}


def test_the_due_soon_window_is_an_option() -> None:
    text = policy('last_reviewed: "2025-01"\nnext_review: "2027-01"\nreview_cycle_months: 24\n')
    assert findings(text, {"due_soon_days": 90}) == [("review/due-soon", 5, 14)]
    assert findings(text, {"due_soon_days": 60}) == []
    assert findings(text, {}) == [("review/due-soon", 5, 14)]


def test_a_statement_owns_the_first_date_after_it() -> None:
    check = build({"statements": {"last_reviewed": ["was reviewed in"], "next_review": ["next review"]}})
    sentence = "It was reviewed in January 2025 after guidance of June 2022, and the next review is in January 2027"
    found = [(role, str(date.date)) for role, _, date in check._dated_statements(sentence)]
    assert found == [("last_reviewed", "January 2025"), ("next_review", "January 2027")]


def test_a_date_before_any_statement_is_not_a_review_date() -> None:
    check = build({"statements": {"last_reviewed": ["was reviewed"]}})
    assert list(check._dated_statements("In June 2022 the text was reviewed")) == []


def test_a_statement_without_its_own_date_does_not_take_the_next_statements() -> None:
    check = build({"statements": {"last_reviewed": ["last reviewed"], "next_review": ["next review"]}})
    sentence = "The date it was last reviewed is unknown; the next review is in January 2027"
    found = [(role, str(date.date)) for role, _, date in check._dated_statements(sentence)]
    assert found == [("next_review", "January 2027")]


def test_overlapping_statements_keep_the_first_and_longest() -> None:
    check = build(repository_options())
    matches = _statement_matches(check.statements, "The last review date was March 2024", exclude="cycle")
    assert [(start, role) for start, _, role in matches] == [(4, "last_reviewed")]
    matches = _statement_matches(check.statements, "Next review date: March 2027", exclude="cycle")
    assert [role for _, _, role in matches] == ["next_review"]


def test_a_cycle_statement_owns_its_first_cycle_only() -> None:
    check = build({"statements": {"cycle": [r"will be reviewed", r"reviewed\s+annually"]}})
    sentence = "It will be reviewed every two years; training is refreshed annually."
    assert [(cycle.months, cycle.text) for _, cycle in check._cycle_statements(sentence)] == [(24, "every two years")]
    assert [cycle.months for _, cycle in check._cycle_statements("It is reviewed annually.")] == [12]
    assert list(check._cycle_statements("Training is refreshed annually.")) == []


def test_sentences_keep_their_offsets() -> None:
    text = "First sentence. Second one in Sept. 2024. 7.1. Third."
    assert list(_sentences(text)) == [(0, "First sentence."), (16, "Second one in Sept. 2024. 7.1."), (47, "Third.")]


def test_kent_policy_gives_exactly_the_two_real_findings() -> None:
    text = (ROOT / "policies" / "kent" / "o38-police-community-support-officers.md").read_text(encoding="utf-8")
    assert findings(text) == [("review/date-conflict", 108, 21), ("review/due-soon", 9, 14)]


def test_a_conflict_names_both_dates_and_every_agreeing_mention() -> None:
    text = policy(
        'last_reviewed: "2025-01"\nnext_review: "2027-01"\nreview_cycle_months: 24\n',
        "1.1. This policy was reviewed in January 2025.\n\n1.2. It was last reviewed in February 2022.\n\n"
        "---\n\nDate last reviewed: 14 January 2025\n",
    )
    document = parse_text("t.md", text).document
    assert document is not None
    [finding] = [f for f in build(repository_options()).check(document, CONTEXT) if f.rule == "review/date-conflict"]
    assert (finding.line, finding.column) == (13, 30)
    assert "'February 2022' contradicts the last review date January 2025" in finding.message
    assert "(last_reviewed, line 4), on line 11 and on line 17" in finding.message
    assert [(r.line, r.column) for r in finding.related] == [(4, 16), (11, 34), (17, 21)]


def test_without_front_matter_the_majority_of_statements_is_the_reference() -> None:
    body = (
        "1.1. It was reviewed in May 2024.\n\n1.2. It was reviewed in March 2024.\n\n"
        "1.3. It was last reviewed in March 2024.\n"
    )
    assert findings(policy("", body)) == [("review/date-conflict", 8, 25)]


@pytest.mark.parametrize(
    "front_matter",
    [
        "",
        'last_reviewed: 2025\nnext_review: [1]\nreview_cycle_months: "24"\n',
        'last_reviewed: "2025-01"\nnext_review: "2027-06"\nreview_cycle_months: true\n',
        'last_reviewed: "2025-01"\nnext_review: "2027-06"\nreview_cycle_months: 0\n',
        'last_reviewed: "2025-01"\nnext_review: "2027-06"\nreview_cycle_months: -24\n',
        'last_reviewed: "2025-01"\namendments: "2026-01"\n',
        'last_reviewed: "2025-01"\namendments: [null, {date: 2026}, {summary: x}, "2026-01"]\n',
        'approved_on: {a: 1}\nlast_reviewed: "2025-02-30"\n',
    ],
)
def test_unusable_values_are_skipped_without_error(front_matter: str) -> None:
    body = "7.1. This policy will be reviewed every two years.\n"
    assert [rule for rule, _, _ in findings(policy(front_matter, body))] == []


def test_a_document_without_front_matter() -> None:
    text = "# T\n\n1.1. It was reviewed in May 2024. It was reviewed in June 2024.\n"
    assert findings(text) == [("review/date-conflict", 3, 54)]


def test_a_month_precision_review_is_due_at_the_end_of_its_month() -> None:
    text = policy('last_reviewed: "2024-11"\nnext_review: "2026-11"\nreview_cycle_months: 24\n')
    assert findings(text, as_of=datetime.date(2026, 11, 30)) == [("review/due-soon", 5, 14)]
    assert findings(text, as_of=datetime.date(2026, 12, 1)) == [("review/overdue", 5, 14)]


def test_only_the_first_date_of_a_footer_field_counts() -> None:
    text = policy(
        'last_reviewed: "2025-01"\nnext_review: "2027-01"\nreview_cycle_months: 24\n',
        "---\n\nDate last reviewed: January 2025 (previously March 2022)\n",
    )
    assert findings(text, as_of=datetime.date(2025, 6, 1)) == []


def stated(text: str) -> list[tuple[str, str]]:
    """(role, date as written) of each review statement in ``text``, read with the bundled patterns."""
    check = build(repository_options())
    return [(role, found.text) for _, sentence in _sentences(text) for role, _, found in check._dated_statements(sentence)]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("This policy is scheduled for review in November 2027.", "November 2027"),
        ("The procedure is scheduled to be reviewed in November 2027.", "November 2027"),
        ("Due for review on: 01/07/2027", "01/07/2027"),
        ("This policy is due for review by 1 July 2027.", "1 July 2027"),
        ("It is due for its next review in Jul 2027.", "Jul 2027"),
        ("Review date: 04/2027", "04/2027"),
        ("Next review: April 2027", "April 2027"),
        ("This policy will be reviewed by 30 June 2027.", "30 June 2027"),
        ("This policy will be reviewed by the end of June 2027.", "June 2027"),
        ("This policy will be reviewed by the Chief Constable in March 2027.", "March 2027"),
        ("To be reviewed: 2027-07-01", "2027-07-01"),
        ("The next review is due on 1st July 2027.", "1st July 2027"),
        ("Review date | 01.07.2027", "01.07.2027"),
        ("Date of next review | 04/2029", "04/2029"),
        ("Review date | June 2029", "June 2029"),
        ("The owning department will review this procedure in April 2027.", "April 2027"),
    ],
)
def test_next_review_phrasings(text: str, written: str) -> None:
    assert stated(text) == [("next_review", written)]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Last reviewed: 12/03/2025", "12/03/2025"),
        ("Reviewed: March 2025", "March 2025"),
        ("2.3. Date reviewed: 12 March 2025.", "12 March 2025"),
        ("Reviewed | March 2025", "March 2025"),
        ("Version | 1.2 | Reviewed | 3/3/2025", "3/3/2025"),
        ("1.4 Reviewed: 12/03/2025", "12/03/2025"),
    ],
)
def test_last_review_phrasings(text: str, written: str) -> None:
    assert stated(text) == [("last_reviewed", written)]


def test_a_cover_block_of_lines_gives_each_label_its_date() -> None:
    text = "Version: 1.2\nLast reviewed: 12/03/2025\nNext review due: 12/03/2027"
    assert stated(text) == [("last_reviewed", "12/03/2025"), ("next_review", "12/03/2027")]


@pytest.mark.parametrize(
    "text",
    [
        "The College of Policing text was updated in June 2022.",
        "This policy has been reviewed by the Chief Constable; the Police Reform Act 2002 applies.",
        "This policy will be reviewed by the Chief Constable following the inspection of 6 June 2026.",
        "It is to be reviewed by the Head of Neighbourhoods in the light of the guidance of June 2022.",
        "The review of stop and search data is published in March 2025.",
        "Stop and search data is reviewed: monthly, most recently in March 2025.",
        "This policy will be reviewed every two years, as set in March 2024.",
        "18 July 2024: reviewed, section 4 updated to reflect the College of Policing text updated in June 2022.",
        "Next review date changed from January 2026 to January 2027.",
        "Review date moved from 01/2026 to 11/2027.",
        "This policy was reviewed in line with Home Office Circular 12/2005.",
        "Next review: 13/25/2027",
    ],
)
def test_what_is_not_a_review_date(text: str) -> None:
    assert stated(text) == []


def test_a_label_after_a_paragraph_number_is_read_in_a_paragraph() -> None:
    """The label pattern holds at the start of a sentence and inside the whole paragraph (the screen searches that)."""
    text = policy('last_reviewed: "2025-03"\n', "1.1. Date reviewed: 12/03/2024.\n\n1.2. PCSOs are reviewed: yearly.\n")
    assert findings(text) == [("review/date-conflict", 9, 21)]


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        ("The owning directorate will review this policy every three years.", [36]),
        ("This profile is reviewed every three years, or sooner if the role changes.", [36]),
        ("Every activity has a written risk assessment, reviewed every year by the line manager.", []),
        ("The retention schedule is published on the force intranet and reviewed every year.", []),
    ],
)
def test_cycle_statements_of_the_document_not_of_what_it_mentions(sentence: str, months: list[int]) -> None:
    check = build(repository_options())
    assert [cycle.months for _, cycle in check._cycle_statements(sentence)] == months


@pytest.mark.parametrize(
    ("footer", "replacement"),
    [
        ("Date last reviewed: February 2022", "January 2025"),
        ("Date last reviewed: 3 February 2022", "January 2025"),  # the front matter knows the month only
        ("Date last reviewed: 01/02/2022", None),  # written otherwise: a fix would change the document's style
    ],
)
def test_a_footer_date_has_an_unsafe_fix_from_the_front_matter(footer: str, replacement: str | None) -> None:
    text = '---\nid: T1\nlast_reviewed: "2025-01"\n---\n\n## 1. Scope\n\nText.\n\n---\n\n' + footer + "\n"
    document = parse_text("t.md", text).document
    assert document is not None
    conflicts = [f for f in build(repository_options()).check(document, CONTEXT) if f.rule == "review/date-conflict"]
    (finding,) = conflicts
    if replacement is None:
        assert finding.fix is None
        return
    assert finding.fix is not None and not finding.fix.safe
    assert [(edit.line, edit.column, edit.replacement) for edit in finding.fix.edits] == [(12, 21, replacement)]

"""review-dates: option handling and the sentence logic behind the fixtures."""

from __future__ import annotations

from pcso_policy.kinds.review_dates import _sentences, build


def test_defaults_when_options_are_absent() -> None:
    check = build({})
    assert check.due_soon_days == 90 and check.statements == {} and check.footer_labels == {}


def test_a_date_belongs_to_the_statement_before_it_in_the_same_sentence() -> None:
    check = build({"statements": {"last_reviewed": ["was reviewed in"], "next_review": ["next review"]}})
    sentence = "It was reviewed in January 2025, and the next review is in January 2027"
    found = [(role, str(date.date)) for role, _, date in check._dated_statements(sentence)]
    assert found == [("last_reviewed", "January 2025"), ("next_review", "January 2027")]


def test_a_date_before_any_statement_is_not_a_review_date() -> None:
    check = build({"statements": {"last_reviewed": ["was reviewed"]}})
    assert list(check._dated_statements("In June 2022 the text was reviewed")) == []


def test_sentences_keep_their_offsets() -> None:
    text = "First sentence. Second one in Sept. 2024. 7.1. Third."
    assert [(start, sentence) for start, sentence in _sentences(text)] == [(0, "First sentence."), (16, "Second one in Sept. 2024. 7.1."), (47, "Third.")]

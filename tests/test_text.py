"""How titles, labels and words are compared (pcso_policy/text.py)."""

from __future__ import annotations

import pytest

from pcso_policy.text import Titles, contains_phrase, normalise_title, title_words


@pytest.mark.parametrize(
    ("title", "normalised"),
    [
        ("Date last reviewed", "date last reviewed"),
        ("Date  last reviewed :", "date last reviewed"),
        ("DATE LAST REVIEWED", "date last reviewed"),
        ("**Owner:**", "owner"),
        ("Equality & Diversity Impact", "equality and diversity impact"),
        ("Equality&diversity", "equality and diversity"),
        ("Officer’s duties", "officers duties"),
        ("Officer's duties", "officers duties"),
        ("Review_and_monitoring", "review and monitoring"),
        ("Data protection / information security", "data protection information security"),
        ("Section 3 – Scope", "section 3 scope"),
        ("Ärztliche Prüfung", "ärztliche prüfung"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("  \t ", ""),
        ("", ""),
    ],
)
def test_normalise_title(title: str, normalised: str) -> None:
    assert normalise_title(title) == normalised


def test_title_words() -> None:
    assert title_words("Equality & Diversity") == ("equality", "and", "diversity")
    assert title_words("Who this policy applies to:") == ("who", "this", "policy", "applies", "to")
    assert title_words("1.0 Scope") == ("1", "0", "scope")
    assert title_words("—") == ()


@pytest.mark.parametrize(
    ("words", "phrase", "found"),
    [
        (("review", "and", "monitoring"), ("review",), True),
        (("review", "and", "monitoring"), ("monitoring",), True),
        (("initial", "equality", "impact", "assessment"), ("equality", "impact"), True),
        (("equality", "and", "diversity", "impact"), ("equality", "impact"), False),
        (("reviewer", "guidance"), ("review",), False),
        (("review",), ("review", "date"), False),
        (("review",), (), False),
        ((), ("review",), False),
        (("a", "a", "b"), ("a", "b"), True),
    ],
)
def test_contains_phrase_takes_whole_consecutive_words(words: tuple[str, ...], phrase: tuple[str, ...], found: bool) -> None:
    assert contains_phrase(words, phrase) is found


@pytest.fixture(scope="module")
def policy_section() -> Titles:
    return Titles.of(titles=["Policy", "The Policy"], terms=["policy statement", "Policy & procedure"])


def test_titles_are_normalised_when_built(policy_section: Titles) -> None:
    assert policy_section.titles == frozenset({"policy", "the policy"})
    assert policy_section.terms == (("policy", "statement"), ("policy", "and", "procedure"))


@pytest.mark.parametrize(
    ("heading", "exactly", "matches"),
    [
        ("Policy", True, True),
        ("THE POLICY:", True, True),
        ("Policy statement", False, True),
        ("Force policy statement and principles", False, True),
        ("Policy and procedure", False, True),
        ("Who this policy applies to", False, False),  # 'policy' is an exact title, not a term
        ("Policy statements", False, False),  # a term is whole words
        ("Policies", False, False),
    ],
)
def test_exact_titles_and_terms(policy_section: Titles, heading: str, exactly: bool, matches: bool) -> None:
    key = normalise_title(heading)
    assert policy_section.exactly(key) is exactly
    assert policy_section.matches(key) is matches


def test_empty_titles_match_nothing() -> None:
    assert not Titles().matches("policy")
    assert not Titles.of().exactly("")

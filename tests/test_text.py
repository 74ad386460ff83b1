"""How titles, labels and words are compared (pcso_policy/text.py)."""

from __future__ import annotations

import pytest

from pcso_policy.text import Titles, normalise_title, title_words


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
    ("term", "heading", "found"),
    [
        ("review", "Review and monitoring", True),
        ("monitoring", "Review and monitoring", True),
        ("equality impact", "Initial equality impact assessment", True),
        ("equality impact", "Equality and diversity impact", False),
        ("review", "Reviewer guidance", False),
        ("review", "Peer-review", True),
        ("review date", "Review", False),
        ("Equality & diversity", "EQUALITY AND DIVERSITY", True),
        ("a b", "A a b", True),
    ],
)
def test_a_term_is_found_as_whole_consecutive_words(term: str, heading: str, found: bool) -> None:
    assert Titles.of(terms=[term]).matches(normalise_title(heading)) is found


@pytest.fixture(scope="module")
def policy_section() -> Titles:
    return Titles.of(titles=["Policy", "The Policy"], terms=["policy statement", "Policy & procedure"])


def test_titles_are_normalised_when_built(policy_section: Titles) -> None:
    assert policy_section.titles == frozenset({"policy", "the policy"})


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

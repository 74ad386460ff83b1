"""acronyms and terminology: the matching rules behind the fixtures."""

from __future__ import annotations

import pytest

from pcso_policy.kinds.acronyms import spells
from pcso_policy.kinds.terminology import term_pattern


@pytest.mark.parametrize(
    ("before", "acronym"),
    [
        ("a Police Community Support Officer ", "PCSO"),
        ("such as anti-social behaviour ", "ASB"),
        ("the Police and Crime Commissioner ", "PCC"),
        ("Kent's Police Staff Employee ", "PSE"),
        ("the Department for Education ", "DfE"),
    ],
)
def test_initials_spell_the_acronym(before: str, acronym: str) -> None:
    assert spells(before, acronym)


@pytest.mark.parametrize(("before", "acronym"), [("the local police ", "PCSO"), ("", "ASB"), ("Staff Police ", "PS")])
def test_words_that_do_not_spell_it(before: str, acronym: str) -> None:
    assert not spells(before, acronym)


def test_terms_match_whole_words_plurals_and_possessives() -> None:
    pattern = term_pattern("PSCO", None)
    assert [m.group() for m in pattern.finditer("PSCO, PSCOs, PSCO's; not PSCOMMS or psco")] == ["PSCO", "PSCO", "PSCO"]
    assert term_pattern("police authority", None).search("the Police  Authority will")
    assert not term_pattern("police authority", "exact").search("the Police Authority")

"""acronyms: what a definition is, what a use is, and the order they are read in."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcso_policy.kinds.acronyms import _USE, Event, _last_words, build, spells

CHECK = build({"known": {"PCSO": "Police Community Support Officer", "NPCC": "National Police Chiefs’ Council"}, "allowed": ["IT"]})


@pytest.mark.parametrize(
    ("before", "acronym"),
    [
        ("a Police Community Support Officer ", "PCSO"),
        ("such as anti-social behaviour ", "ASB"),
        ("the Police and Crime Commissioner ", "PCC"),
        ("Kent's Police Staff Employee ", "PSE"),
        ("the Department for Education ", "DfE"),
        ("Police Community Support Officers ", "PCSO"),
    ],
)
def test_initials_spell_the_acronym(before: str, acronym: str) -> None:
    assert spells(before, acronym)


@pytest.mark.parametrize(("before", "acronym"), [("the local police ", "PCSO"), ("", "ASB"), ("Staff Police ", "PS")])
def test_words_that_do_not_spell_it(before: str, acronym: str) -> None:
    assert not spells(before, acronym)


def test_a_known_full_term_defines_it_even_when_initials_do_not() -> None:
    assert CHECK.defines("the National Police Chiefs' Council ", "NPCC")
    assert CHECK.defines("all Police Community Support Officers ", "PCSO")
    assert not CHECK.defines("see the handbook ", "PCSO")
    assert not CHECK.defines("see the handbook ", "XYZ")


def test_events_in_order_with_the_definition_bracket_not_a_use() -> None:
    text = "PCSOs patrol. A Police Community Support Officer (PCSO) and PCSO-led (ASB) teams use IT."
    assert CHECK.events(text) == [
        Event(0, "PCSO", False),
        Event(50, "PCSO", True),
        Event(60, "PCSO", False),
        Event(70, "ASB", False),
        Event(85, "IT", False),
    ]


def test_codes_and_mixed_words_are_not_uses() -> None:
    events = CHECK.events("role code SDV047, Policy W1000, PCSOMMS, iPCSO, PCSOx and A")
    assert [event.acronym for event in events] == ["PCSOMMS"]


def test_options_default_to_nothing_known_or_allowed() -> None:
    check = build({})
    assert check.known == {} and check.allowed == frozenset()


_PLAIN_USE = re.compile(r"(?<![\w&])(?P<acronym>[A-Z][A-Z0-9&]*[A-Z])(?=(?:s|'s|’s)?(?![\w&]))")


@given(st.text(alphabet="ABCPSO&abs' ’(-1", max_size=30))
def test_uses_are_found_as_the_plain_look_behind_finds_them(text: str) -> None:
    """_USE puts its look-behind after the first capital for speed; it must find exactly what the plain form does."""
    assert [m.span("acronym") for m in _USE.finditer(text)] == [m.span("acronym") for m in _PLAIN_USE.finditer(text)]


@given(
    st.text(alphabet="Police Community Support Officer and of the - & 1 ’\n", max_size=300),
    st.sampled_from(["PCSO", "PC", "POCS", "IT"]),
)
def test_a_definition_is_read_from_the_last_words_alone(before: str, acronym: str) -> None:
    assert spells(_last_words(before, 2 * len(acronym) + 2), acronym) == spells(before, acronym)

"""acronyms: what a definition is, what a use is, and the order they are read in."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pcso_policy.check import CheckContext
from pcso_policy.kinds.acronyms import _USE, Event, _last_words, build, spells
from pcso_policy.parsing import parse_text

ROOT = Path(__file__).resolve().parents[2]
CHECK = build({"known": {"PCSO": "Police Community Support Officer", "NPCC": "National Police Chiefs’ Council"}, "allowed": ["IT"]})
BUNDLED = build(yaml.safe_load((ROOT / "checks" / "terminology.yaml").read_text(encoding="utf-8"))["checks"][1]["options"])


@pytest.mark.parametrize(
    ("before", "acronym"),
    [
        ("a Police Community Support Officer ", "PCSO"),
        ("such as anti-social behaviour ", "ASB"),
        ("the Police and Crime Commissioner ", "PCC"),
        ("Kent's Police Staff Employee ", "PSE"),
        ("the Department for Education ", "DfE"),
        ("Police Community Support Officers ", "PCSO"),
        ("police community support officers ", "PCSO"),
        ("in line with Authorised Professional Practice ", "APP"),
        ("Counter Terrorism ", "CT"),
        ("Counter-Terrorism ", "CT"),
        ("the Police and Criminal Evidence Act 1984 ", "PACE"),
        ("the Regulation of Investigatory Powers Act 2000 ", "RIPA"),
        ("a multi-agency risk assessment conference ", "MARAC"),
        ("issued with a pocket notebook ", "PNB"),
        ("the Office of the Public Guardian ", "OPG"),
    ],
)
def test_initials_spell_the_acronym(before: str, acronym: str) -> None:
    assert spells(before, acronym)


@pytest.mark.parametrize(
    ("before", "acronym"),
    [("the local police ", "PCSO"), ("", "ASB"), ("Staff Police ", "PS"), ("nuisance ", "ASB"), ("Police ", "PC")],
)
def test_words_that_do_not_spell_it(before: str, acronym: str) -> None:
    assert not spells(before, acronym)


def test_a_whole_term_leaves_no_word_unspelled() -> None:
    assert spells("Police Community Support Officer", "PCSO", whole=True)
    assert spells("the Office of the Public Guardian", "OPG", whole=True)
    assert not spells("see the Police Community Support Officer", "PCSO", whole=True)
    assert not spells("Police Community Support Officer handbook", "PCSO", whole=True)


def test_a_glossary_term_is_read_from_its_first_words() -> None:
    assert spells("Police Community Support Officer, a member of police staff", "PCSO", from_start=True)
    assert not spells("Head of Learning and Development", "AUTHOR", from_start=True)


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


@pytest.mark.parametrize(
    ("text", "acronym", "offset"),
    [
        ("A Police Community Support Officer (PCSO) patrols.", "PCSO", 36),
        ("A PCSO (Police Community Support Officer) patrols.", "PCSO", 2),
        ("PCSOs (police community support officers) patrol.", "PCSO", 0),
        ("Staff follow Authorised Professional Practice (APP).", "APP", 47),
        ("Report it to Counter Terrorism (CT) policing.", "CT", 32),
        ("under the Police and Criminal Evidence Act 1984 (PACE).", "PACE", 49),
        ("Police Community Support Officers (“PCSOs”) patrol.", "PCSO", 36),
        ("It meets the UK General Data Protection Regulation (UK GDPR).", "GDPR", 55),
        ("PCSO – Police Community Support Officer", "PCSO", 0),
        ("**APP**: Authorised Professional Practice, published by the College of Policing", "APP", 2),
    ],
)
def test_a_definition_in_each_form_policies_use(text: str, acronym: str, offset: int) -> None:
    assert Event(offset, acronym, True) in BUNDLED.events(text)
    assert [event for event in BUNDLED.events(text) if event.acronym == acronym and not event.defines] == []


@pytest.mark.parametrize(
    "text",
    [
        "nuisance (ASB) is reported",
        "the PCSO (see 4.1) reports",
        "a PCSO (Police Community Support Officer handbook) holder",
        "PCSO – Grade D",
    ],
)
def test_brackets_and_dashes_that_define_nothing(text: str) -> None:
    assert not any(event.defines for event in BUNDLED.events(text))


def test_codes_and_mixed_words_are_not_uses() -> None:
    events = CHECK.events("role code SDV047, Policy W1000, PCSOMMS, iPCSO, PCSOx and A")
    assert [event.acronym for event in events] == ["PCSOMMS"]


@pytest.mark.parametrize(
    "text",
    [
        "This document is NOT PROTECTIVELY MARKED and was OFFICIAL-SENSITIVE, now OFFICIAL.",
        "Mark files RESTRICTED or TOP SECRET; a DRAFT is marked DRAFT, and officers must NOT copy it.",
        "It replaces PROTECT - PERSONAL and FOR INFORMATION ONLY material, AND/OR copies.",
        "Schedule IV, Part II and section XII apply; see 1ST and 2ND reviews of a 10MB file.",
        "Policy O38, role code SDV047 and document W1000 are ids; so is the document's own id HR-POL-12.",
        "Run `PCSO-CHECK` or open https://www.example.police.uk/APP/guide and [the guide](https://x.uk/CT).",
        "AUTHOR: Head of Learning and Development",
    ],
)
def test_capitals_that_are_no_acronyms(text: str) -> None:
    assert BUNDLED.events(text, own_id="HR-POL-12") == []


def test_a_text_in_capitals_holds_no_acronym() -> None:
    assert BUNDLED.events("5.0 PCSO ROLE AND DUTIES") == []
    assert BUNDLED.events("ANPR") == []


def test_two_short_words_in_capitals_are_two_acronyms() -> None:
    assert [event.acronym for event in BUNDLED.events("the UK GDPR and the NPCC APP guidance")] == ["UK", "GDPR", "NPCC", "APP"]


def test_numerals_of_ranks_are_acronyms_not_roman_numerals() -> None:
    assert [event.acronym for event in BUNDLED.events("the DCC, a DI and a DC read Part VII")] == ["DCC", "DI", "DC"]


def _findings(body: str) -> list[tuple[int, int, str]]:
    document = parse_text("a.md", "---\nid: T1\n---\n" + body).document
    assert document is not None
    context = CheckContext(datetime.date(2026, 11, 23), ROOT)
    return [(f.line, f.column, f.message) for f in BUNDLED.check(document, context)]


def test_every_acronym_never_spelled_out_is_reported_at_its_first_use() -> None:
    findings = _findings("\n# Test\n\n1.1. Tell CT officers and the DCC. CT and DCC again, with CCTV.\n")
    assert [(line, column) for line, column, _ in findings] == [(7, 11), (7, 31)]
    assert "'CT' is never spelled out: write 'counter-terrorism (CT)'" in findings[0][2]
    assert "'DCC' is never spelled out: write its full term followed by '(DCC)'" in findings[1][2]


def test_a_heading_may_name_an_acronym_the_text_spells_out_after_it() -> None:
    body = "\n# APP guidance\n\n## 1. The APP\n\n1.1. Staff follow Authorised Professional Practice (APP).\n\n---\n\nOwner: APP lead\n"
    assert _findings(body) == []


def test_an_acronym_only_in_a_heading_or_the_footer_is_reported_there() -> None:
    findings = _findings("\n# Test\n\n## 1. ARV deployment\n\n1.1. Text.\n\n---\n\nOwner: ACC Operations\n")
    assert [(line, column) for line, column, _ in findings] == [(7, 7), (13, 8)]


def test_options_default_to_nothing_known_or_allowed() -> None:
    check = build({})
    assert check.known == {} and check.allowed == frozenset() and check.capital_words == frozenset()


_PLAIN_USE = re.compile(r"(?<![\w&])(?P<acronym>[A-Z][0-9&]*[A-Z](?:[A-Z0-9&]*[A-Z0-9])?)(?=(?:s|'s|’s)?(?![\w&]))")


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

"""excluded-powers with the repository's data on real phrasings: where it fires and where it must not."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from pcso_policy.check import CheckContext
from pcso_policy.checkfiles import load_check_file
from pcso_policy.kinds.excluded_powers import ExcludedPowers, build
from pcso_policy.parsing import parse_text

REPO = Path(__file__).resolve().parents[2]
CHECK = next(c for c in load_check_file(REPO / "checks" / "legal.yaml") if isinstance(c, ExcludedPowers))


def fires(sentence: str) -> bool:
    document = parse_text("t.md", f"---\nid: T1\n---\n\n{sentence}\n").document
    assert document is not None
    return any(CHECK.check(document, CheckContext(datetime.date(2026, 11, 23))))


@pytest.mark.parametrize(
    "sentence",
    [
        "PCSOs cannot be designated with powers under the Terrorism Act 2000.",
        "Only sworn police officers may arrest.",
        "PCSOs do not have a power of arrest.",
        "A PCSO must not carry out an intimate search.",
        "Stop and search powers are excluded from PCSO designation.",
        "PCSOs should ensure attending constables are informed by keeping a safe distance.",
        "Where incidents are outside their authority, PCSOs should seek to prevent escalation.",
        "Officers may arrest a person for breach of the peace.",
        "PCSOs have no power of arrest.",
        "PCSOs may detain a person for up to 30 minutes pending the arrival of a constable.",
        "Only a constable may arrest.",
        "Constables, not PCSOs, may arrest.",
        "Unlike constables, PCSOs have no power of arrest other than that of any person.",
        "PCSOs haven't any power of arrest.",
        "PCSOs may detain a person, but cannot arrest them.",
        "PCSOs cannot arrest; they may detain.",
        "PCSOs may detain a person until a constable arrives to arrest them.",
        "PCSOs may require a person to wait pending arrest by a constable.",
        "PCSOs should call a police officer, who can make an arrest.",
        "Where an arrest is needed, PCSOs call a constable.",
        "Stop and search powers are not available to PCSOs.",
        "PCSOs may search a person they have detained for items that could cause injury.",
        "PCSOs hand a detained person to the custody officer.",
        "PCSOs can take fingerprints at will.",
        "If a PCSO considers that an arrest is necessary, they must request a police officer.",
        "PCSOs may be present at the arrest of a suspect.",
    ],
)
def test_correct_statements_of_the_law_stay_silent(sentence: str) -> None:
    assert not fires(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "PCSOs may stop and search any person in a designated area.",
        "PCSOs have the power of arrest for any offence.",
        "Police community support officers will act as custody officer at Maidstone.",
        "PCSOs exercise powers under the Terrorism Act 2000 to search vehicles at cordons.",
        "PCSOs hold an inspector's authority to close premises.",
        "PCSOs have the power to arrest any person for any offence.",
        "PCSOs have the power to arrest any person for any offence without a warrant.",
        "A PCSO may arrest suspects.",
        "PCSOs can carry out arrests.",
        "PCSOs are able to search any person.",
        "PCSOs can arrest anyone other than a child.",
        "PCSOs may arrest for any offence, no matter how minor.",
        "A PCSO (i.e. a member of police staff) may arrest any person.",
        "PCSOs, like constables, may arrest any person.",
        "PCSOs have the same powers as constables, including the power to arrest.",
        "PCSOs are police staff. They have the power to arrest any person.",
        "PCSOs are not constables; they may arrest.",
        "If a PCSO cannot contact a constable, the PCSO may arrest the person.",
        "Arrest powers are available to PCSOs.",
        "Where an arrest is needed, PCSOs may arrest the person.",
    ],
)
def test_grants_of_excluded_powers_fire(sentence: str) -> None:
    assert fires(sentence)


def messages(body: str, check: ExcludedPowers = CHECK) -> list[str]:
    document = parse_text("t.md", f"---\nid: T1\n---\n\n{body}\n").document
    assert document is not None
    return [f"{f.line}:{f.column} {f.message}" for f in check.check(document, CheckContext(datetime.date(2026, 11, 23)))]


def test_a_power_never_held_says_so_and_an_excluded_one_says_it_is_excluded() -> None:
    (arrest,) = messages("PCSOs may arrest suspects.")
    assert arrest.startswith("5:11 'arrest': PCSOs have never held a power of arrest (Police Reform Act 2002: not a Schedule 4")
    (search,) = messages("PCSOs may stop and search vehicles.")
    assert "PCSOs cannot be designated with powers to stop and search persons or vehicles (Police Reform Act 2002, " in search


def test_a_pronoun_carries_on_only_the_pcsos_of_the_sentence_before() -> None:
    assert [m.split(" ", 1)[0] for m in messages("PCSOs are police staff. They may arrest people.")] == ["5:34"]
    assert messages("Constables are police officers. They may arrest people. PCSOs patrol.") == []


def test_one_finding_per_sentence() -> None:
    assert len(messages("PCSOs may arrest and stop and search any person.")) == 1


def build_check(**options: object) -> ExcludedPowers:
    power = {"name": "a power of arrest", "patterns": [r"\barrest\b"], "source": "Schedule 3B para 1"}
    return build({"subjects": [r"\bPCSOs?\b"], "powers": [power], **options})


def test_pronouns_others_negations_and_exceptions_are_options() -> None:
    bare = build_check()
    assert messages("PCSOs are staff. They may arrest.", bare) == []
    assert len(messages("PCSOs call wardens who arrest.", bare)) == 1
    assert len(messages("PCSOs may never arrest.", bare)) == 1
    assert messages("PCSOs are staff. They may arrest.", build_check(pronouns=["they"])) != []
    assert messages("PCSOs call wardens who arrest.", build_check(others=[r"\bwardens\b"])) == []
    assert messages("PCSOs may never arrest.", build_check(negations=[r"\bnever\b"])) == []
    power = {"name": "a power of arrest", "patterns": [r"\barrest\b"], "source": "s", "except": [r"\bcitizen"]}
    assert messages("PCSOs may arrest as a citizen may.", build({"subjects": ["PCSOs"], "powers": [power]})) == []


def test_the_message_quotes_the_source_given() -> None:
    (message,) = messages("PCSOs may arrest.", build_check())
    wanted = "'arrest': PCSOs cannot be designated with a power of arrest (Schedule 3B para 1): remove it or state that it is excluded"
    assert message.endswith(wanted)


def test_a_list_item_is_read_after_the_sentence_introducing_it() -> None:
    granted = "4.1. PCSOs are designated with the following powers:\n\n- issue fixed penalty notices;\n- arrest any person."
    assert [m.split(" ", 1)[0] for m in messages(granted)] == ["8:3"]
    negated = "4.1. PCSOs cannot be designated with the following powers:\n\n- arrest;\n- stop and search."
    assert messages(negated) == []
    not_about_pcsos = "4.1. Constables may use the following powers:\n\n- arrest;\n- stop and search."
    assert messages(not_about_pcsos) == []


def test_a_table_row_is_read_as_one_sentence() -> None:
    table = "| Role | Power |\n| --- | --- |\n| Town Centre PCSO | Arrest any person |\n| Constable | Arrest |"
    assert [m.split(" ", 1)[0] for m in messages(table)] == ["7:22"]
    assert messages("| Role | Power |\n| --- | --- |\n| PCSO | No power of arrest |") == []

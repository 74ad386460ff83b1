"""excluded-powers with the repository's data on real phrasings: where it fires and where it must not."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from pcso_policy.check import CheckContext
from pcso_policy.checkfiles import load_check_file
from pcso_policy.kinds.excluded_powers import ExcludedPowers
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
    ],
)
def test_grants_of_excluded_powers_fire(sentence: str) -> None:
    assert fires(sentence)

"""sentences: where a sentence of a block ends, and where it does not."""

from __future__ import annotations

import pytest

from pcso_policy.sentences import sentences


def split(text: str, clauses: bool = False) -> list[str]:
    found = list(sentences(text, clauses))
    assert "".join(sentence for _, sentence in found) == text
    assert all(text[start:].startswith(sentence) for start, sentence in found)
    return [sentence.strip() for _, sentence in found]


def test_a_full_stop_before_a_capital_ends_a_sentence() -> None:
    assert split("PCSOs cannot arrest. However PCSOs may detain.") == ["PCSOs cannot arrest.", "However PCSOs may detain."]


@pytest.mark.parametrize(
    "text",
    [
        "A PCSO (i.e. a member of police staff) may arrest.",
        "Some forces, e.g. Kent, designate it.",
        "See s. 149 of the Act.",
        "As J. Smith wrote in 2019.",
        "Powers (cf. Annex A) differ.",
        "Staff, volunteers etc. Are all bound.",
    ],
)
def test_abbreviations_and_initials_do_not_end_a_sentence(text: str) -> None:
    assert split(text) == [text]


def test_a_paragraph_number_stands_alone() -> None:
    assert split("6.1. This policy has been assessed.") == ["6.1.", "This policy has been assessed."]


def test_semicolons_end_clauses_only_when_asked() -> None:
    text = "PCSOs cannot arrest; they may detain."
    assert split(text) == [text]
    assert split(text, clauses=True) == ["PCSOs cannot arrest;", "they may detain."]


def test_a_quote_or_bracket_may_close_and_open_sentences() -> None:
    assert split('He said "stop." "Then" wait. (Then) go.') == ['He said "stop."', '"Then" wait.', "(Then) go."]

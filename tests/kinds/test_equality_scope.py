"""equality-scope with the repository's data: which sentences are assessment statements, and what they cover."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from pcso_policy.check import CheckContext
from pcso_policy.checkfiles import load_check_file
from pcso_policy.kinds.equality_scope import EqualityScope, build
from pcso_policy.parsing import parse_text

REPO = Path(__file__).resolve().parents[2]
CHECK = next(c for c in load_check_file(REPO / "checks" / "publication.yaml") if isinstance(c, EqualityScope))


def findings(body: str, check: EqualityScope = CHECK) -> list[str]:
    document = parse_text("t.md", f"---\nid: T1\n---\n\n# T\n\n{body}\n").document
    assert document is not None
    return [f"{f.line}:{f.column} {f.message}" for f in check.check(document, CheckContext(datetime.date(2026, 11, 23)))]


@pytest.mark.parametrize(
    ("sentence", "covered"),
    [
        ("This policy has been assessed with regard to its impact on race and diversity equality.", "race"),
        ("An equality impact assessment considered the effect on age, sex and disability.", "age, disability, sex"),
        ("The EIA screening covered race and religion.", "race, religion or belief"),
        ("Age and disability were considered in the equality impact assessment.", "age, disability"),
        ("The procedure was screened for its effect on pregnancy and maternity.", "pregnancy and maternity"),
        ("An EIA has been carried out and shows no differential impact on grounds of race or age.", "age, race"),
        ("An equality impact assessment was completed. It considered race and disability only.", "disability, race"),
        ("An EIA has been carried out. It shows that there is no differential impact on grounds of age or race.", "age, race"),
        ("The equality and human rights impact assessment of 2 March 2026 considered age and race.", "age, race"),
    ],
)
def test_assessment_statements_are_judged(sentence: str, covered: str) -> None:
    (finding,) = findings(sentence)
    assert f"covers {covered} but not " in finding


@pytest.mark.parametrize(
    "sentence",
    [
        "Reasonable adjustments will be made for staff with a disability.",
        "Officers must not discriminate on grounds of race.",
        "Applicants with a disability will be assessed for reasonable adjustments.",
        "The equality impact assessment found a potential adverse impact on race, which section 4 addresses.",
        "An Equality Impact Assessment has been completed for this policy.",
        "The training was completed in May. It considered race and disability.",
        "An equality impact assessment was completed. It found a potential impact on race.",
        "An equality impact assessment was completed. Staff with a disability are supported. It considered race.",
        "This policy has been assessed with regard to its impact on all protected characteristics.",
        "This policy has been assessed with regard to its impact on age, disability, gender reassignment, marriage "
        "and civil partnership, pregnancy and maternity, race, religion or belief, sex and sexual orientation.",
    ],
)
def test_mentions_and_complete_statements_are_not_reported(sentence: str) -> None:
    assert findings(sentence) == []


def test_a_statement_is_judged_in_any_section_and_a_mention_in_the_equality_section_is_not() -> None:
    body = (
        "## 4. Policy\n\n4.1. This policy has been assessed with regard to its impact on race.\n\n"
        "## 6. Equality impact\n\n6.1. Officers must not discriminate on grounds of age."
    )
    assert [finding.split(" ", 1)[0] for finding in findings(body)] == ["9:65"]


def test_only_the_statement_sentence_is_read() -> None:
    body = "6.1. This policy has been assessed with regard to its impact on race. Staff with a disability are supported."
    (finding,) = findings(body)
    assert finding.startswith("7:65 ") and "covers race but not age, disability," in finding


def test_an_abbreviation_does_not_end_the_statement() -> None:
    (finding,) = findings("This policy has been assessed with regard to its impact on race (cf. Annex A) and on age.")
    assert "covers age, race but not" in finding


def test_the_statement_patterns_are_options() -> None:
    characteristics = [{"name": "age", "patterns": [r"\bage\b"]}, {"name": "race", "patterns": [r"\brace\b"]}]
    check = build({"statements": [r"\bwe\s+looked\s+at\b"], "characteristics": characteristics})
    assert len(findings("We looked at age.", check)) == 1
    assert findings("This policy has been assessed with regard to its impact on age.", check) == []


def test_a_continuation_follows_only_an_assessment_of_the_same_paragraph() -> None:
    body = "An equality impact assessment was completed.\n\nIt considered race and disability."
    assert findings(body) == []

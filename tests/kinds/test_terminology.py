"""terminology: how terms match, and where the title and other texts are read."""

from __future__ import annotations

import datetime

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Position
from pcso_policy.kinds.terminology import build, term_pattern
from pcso_policy.parsing import parse_text

CONTEXT = CheckContext(datetime.date(2026, 11, 23))


def test_terms_match_whole_words_plurals_possessives_and_acronym_compounds() -> None:
    pattern = term_pattern("PSCO", None)
    text = "PSCO, PSCOs, PSCO's, PSCO-led, non-PSCO; not PSCOMMS, NONPSCO or psco"
    assert [m.start() for m in pattern.finditer(text)] == [0, 6, 13, 21, 35]


def test_case_rule_per_entry() -> None:
    assert term_pattern("police authority", None).search("the Police  Authority will")
    assert not term_pattern("police authority", "exact").search("the Police Authority")
    assert term_pattern("PSCO", "ignore").search("a psco")
    assert not term_pattern("PSCO", None).search("a psco")


def test_hyphenated_words_are_other_words_for_ordinary_terms() -> None:
    assert not term_pattern("social", "ignore").search("anti-social behaviour")
    assert not term_pattern("officer", "ignore").search("officer-in-charge")


def test_title_position() -> None:
    document = parse_text("x.md", "---\nid: T1\n---\n\n#  PSCO policy\n\nText.\n").document
    assert document is not None
    found = document.title_text()
    assert found is not None and found[1] == "PSCO policy" and found[0](0) == Position(5, 4)
    untitled = parse_text("x.md", "Text.\n").document
    assert untitled is not None and untitled.title_text() is None


def test_messages_and_rules() -> None:
    check = build(
        {
            "substitutions": [{"wrong": "PSCO", "right": "PCSO", "why": "a misspelling"}],
            "forbidden": [{"term": "WPC", "reason": "one rank for all"}, {"term": "Bobby", "reason": "slang", "suggestion": "officer"}],
        }
    )
    text = "---\nid: T1\n---\n\n# Policy\n\nA PSCO, a WPC and a bobby.\n"
    document = parse_text("x.md", text).document
    assert document is not None
    found = [(f.rule, f.column, f.message) for f in check.check(document, CONTEXT)]
    assert found == [
        ("terminology/substitution", 3, "'PSCO' -> 'PCSO': a misspelling"),
        ("terminology/forbidden", 11, "'WPC' is not used in policies; rephrase: one rank for all"),
        ("terminology/forbidden", 21, "'bobby' is not used in policies; use 'officer': slang"),
    ]


def test_no_terms_no_findings() -> None:
    document = parse_text("x.md", "# PSCO\n").document
    assert document is not None
    assert list(build({}).check(document, CONTEXT)) == []


def fixes_of(options: dict[str, list[dict[str, str]]], text: str) -> list[tuple[int, int, str] | None]:
    document = parse_text("x.md", text).document
    assert document is not None
    found = []
    for finding in build(options).check(document, CONTEXT):
        fix = finding.fix
        found.append(None if fix is None else (fix.edits[0].line, fix.edits[0].column, fix.edits[0].replacement))
    return found


def test_a_substitution_fix_follows_the_case_written_where_case_is_ignored() -> None:
    options = {"substitutions": [{"wrong": "focussed", "right": "focused", "case": "ignore"}]}
    text = "# Policy\n\nFocussed patrols, FOCUSSED and focussed.\n"
    assert fixes_of(options, text) == [(3, 1, "Focused"), (3, 19, "FOCUSED"), (3, 32, "focused")]


def test_an_exact_substitution_is_written_as_listed_and_forbidden_terms_carry_no_fix() -> None:
    options = {"substitutions": [{"wrong": "PSCO", "right": "PCSO"}], "forbidden": [{"term": "WPC", "reason": "one rank"}]}
    assert fixes_of(options, "# Policy\n\n- A PSCO's patrol and a WPC.\n") == [(3, 5, "PCSO"), None]


def test_a_term_across_two_lines_carries_no_fix() -> None:
    options = {"substitutions": [{"wrong": "police authority", "right": "Police and Crime Commissioner"}]}
    assert fixes_of(options, "# Policy\n\nThe police\nauthority agrees.\n") == [None]

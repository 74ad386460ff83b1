"""protective-marking: what counts as a marking statement, and what each finding says."""

from __future__ import annotations

import datetime

import pytest

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding
from pcso_policy.kinds.protective_marking import _BARE, Legacy, build, canonical, sentence_pattern
from pcso_policy.parsing import parse_text

OPTIONS = {
    "markings": ["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"],
    "legacy": [
        {"marking": "Not protectively marked", "use": "OFFICIAL"},
        {"marking": "Protect", "use": "OFFICIAL"},
        {"marking": "Protect - Personal", "use": "OFFICIAL", "alternative": "OFFICIAL-SENSITIVE"},
        {"marking": "Restricted", "use": "OFFICIAL", "alternative": "OFFICIAL-SENSITIVE"},
    ],
    "section_titles": ["Marking"],
    "section_terms": ["protective marking", "classification"],
}
CONTEXT = CheckContext(datetime.date(2026, 11, 23))


def lint(text: str, options: dict[str, object] | None = None) -> list[Finding]:
    document = parse_text("x.md", text).document
    assert document is not None
    return list(build(options or OPTIONS).check(document, CONTEXT))


def policy(body: str, classification: str | None = None) -> str:
    front = f"classification: {classification}\n" if classification is not None else ""
    return f"---\nid: T1\n{front}---\n\n# Test\n\n{body}\n"


def test_canonical_ignores_case_spaces_and_dashes() -> None:
    assert canonical(" official – sensitive ") == canonical("OFFICIAL_SENSITIVE") == "OFFICIAL SENSITIVE"


@pytest.mark.parametrize(
    ("text", "marking"),
    [
        ("1.1. Not protectively marked.", "Not protectively marked"),
        ("1.1 OFFICIAL", "OFFICIAL"),
        ("Classification: RESTRICTED", "RESTRICTED"),
        ("Protective marking - **OFFICIAL-SENSITIVE**.", "OFFICIAL-SENSITIVE"),
    ],
)
def test_bare_statement_shapes(text: str, marking: str) -> None:
    match = _BARE.match(text)
    assert match is not None and match["marking"] == marking


def test_sentence_pattern_longest_first_and_capitals_for_single_words() -> None:
    pattern = sentence_pattern(("OFFICIAL", "OFFICIAL-SENSITIVE"), ["Not protectively marked", "Restricted"])
    assert pattern is not None
    found = [m.group() for m in pattern.finditer("is OFFICIAL-SENSITIVE, NOT Protectively  marked, RESTRICTED")]
    assert found == ["OFFICIAL-SENSITIVE", "NOT Protectively  marked", "RESTRICTED"]
    assert not pattern.search("restricted access, Official business, PROTECTED, UNRESTRICTED")
    assert sentence_pattern((), []) is None


def test_legacy_advice_names_the_alternative() -> None:
    assert Legacy("Protect", "OFFICIAL").advice() == "use 'OFFICIAL'"
    assert "or 'OFFICIAL-SENSITIVE'" in Legacy("Restricted", "OFFICIAL", "OFFICIAL-SENSITIVE").advice()


@pytest.mark.parametrize(
    ("value", "advice"),
    [
        ("Official", "write 'OFFICIAL'"),
        ("OFFICIAL SENSITIVE", "write 'OFFICIAL-SENSITIVE'"),
        ("top_secret", "write 'TOP SECRET'"),
        ("PUBLIC", "use one of OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET"),
    ],
)
def test_invalid_classification_suggests_the_spelling(value: str, advice: str) -> None:
    findings = lint(policy("Text.", value))
    assert [(f.rule, f.line, f.column) for f in findings] == [("marking/invalid-classification", 3, 17)]
    assert findings[0].message.endswith(advice)


def test_legacy_front_matter_is_invalid_and_legacy() -> None:
    findings = lint(policy("Text.", "Restricted"))
    assert [f.rule for f in findings] == ["marking/invalid-classification", "marking/legacy-marking"]
    assert "use 'OFFICIAL', or 'OFFICIAL-SENSITIVE'" in findings[1].message


def test_values_it_cannot_use_are_skipped() -> None:
    assert lint(policy("Text.", "3")) == []
    assert lint(policy("Text.", "[OFFICIAL]")) == []
    assert lint("# No front matter\n\nRESTRICTED\n") != []


def test_ordinary_words_in_prose_are_not_markings() -> None:
    body = (
        "## 1. Marking\n\n1.1. OFFICIAL. Access is restricted to those who need it.\n\n"
        "## 2. Policy\n\n2.1. Officers protect the public; restricted access; confidential information.\n\n"
        "2.2. The old levels were:\n\n- Protect\n- Restricted\n\n## Restricted\n\nText."
    )
    assert lint(policy(body, "OFFICIAL")) == []


def test_headings_and_footer_lines_are_statements() -> None:
    body = "## RESTRICTED\n\nText.\n\n---\n\nProtective marking: Not protectively marked\n"
    findings = lint(policy(body))
    assert [(f.rule, f.line, f.column) for f in findings] == [
        ("marking/legacy-marking", 7, 4),
        ("marking/legacy-marking", 13, 21),
    ]


def test_mismatch_against_the_front_matter_or_the_first_body_marking() -> None:
    body = "## 1. Marking\n\n1.1. This policy is OFFICIAL-SENSITIVE.\n\n---\n\nProtective marking: OFFICIAL\n"
    with_front = lint(policy(body, "OFFICIAL"))
    assert [(f.rule, f.line, f.column, f.related[0].line) for f in with_front] == [("marking/mismatch", 10, 21, 3)]
    without = lint(policy(body))
    assert [(f.rule, f.line, f.column, f.related[0].line) for f in without] == [("marking/mismatch", 13, 21, 9)]
    assert "the body's first marking is 'OFFICIAL-SENSITIVE'" in without[0].message


def test_a_body_marking_without_front_matter_classification_is_fine() -> None:
    assert lint(policy("## 1. Marking\n\n1.1. SECRET")) == []


def test_a_marking_in_capitals_alone_on_a_line_is_a_running_header_but_a_heading_counts_only_in_the_header() -> None:
    body = "RESTRICTED\n\n## 1. Policy\n\nRESTRICTED\n\n## SECRET\n\nMarking: PROTECT\n\nRestricted\n"
    findings = lint(policy(body, "OFFICIAL"))
    assert [(f.rule, f.line, f.column) for f in findings] == [
        ("marking/legacy-marking", 8, 1),
        ("marking/legacy-marking", 12, 1),
        ("marking/legacy-marking", 16, 10),
    ]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("| Owner | Head of Policy |\n| --- | --- |\n| Protective marking | Restricted |\n", (10, 24)),
        ("| Version | Marking |\n| --- | --- |\n| 2.0 | RESTRICTED |\n", (10, 9)),
        ("- Version: 2.0\n- Protective Marking: Not Protectively Marked\n", (9, 23)),
        ("Version 1.01 NOT PROTECTIVELY MARKED\n\n## 1. Scope\n\nText.\n", (8, 14)),
        ("## 1. Scope\n\nText.\n\nNOT PROTECTIVELY MARKED  Page 2 of 3\n\nText.\n", (12, 1)),
        ("## 1. Records\n\n- Personnel files: marked RESTRICTED and locked away.\n", (10, 27)),
        ("## 1. Records\n\nStaff files must be marked as PROTECT and locked away.\n", (10, 31)),
        ("## 1. Scope\n\nText.\n\n---\n\nSecurity classification: PROTECT – Personal\n", (14, 26)),
    ],
)
def test_markings_where_forces_put_them(body: str, where: tuple[int, int]) -> None:
    findings = lint(policy(body, "OFFICIAL"))
    assert [(f.rule, f.line, f.column) for f in findings] == [("marking/legacy-marking", *where)]


@pytest.mark.parametrize(
    "body",
    [
        "## 1. Classifications\n\n- OFFICIAL\n- SECRET\n- RESTRICTED (replaced in 2014)\n",
        "## 1. Handling\n\nAccess to the store is restricted.\n\n| Access | Restricted |\n| --- | --- |\n| Store | Yes |\n",
        "## 1. Handling\n\nSECRET material is never e-mailed.\n\n**SECRET**\n",
        "## 1. Handling\n\nThe team will protect the public and mark its files OFFICIAL.\n",
        "## 1. History\n\nMaterial marked RESTRICTED before 2014 is handled as OFFICIAL.\n",
        "## 1. Records\n\nCase files must be marked OFFICIAL-SENSITIVE.\n",  # marks the files, not the document
    ],
)
def test_prose_that_names_markings_states_none(body: str) -> None:
    assert lint(policy(body, "OFFICIAL")) == []

"""policy-references: resolving against policy files that are not part of the run."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
import yaml

from pcso_policy.check import CheckContext
from pcso_policy.checkfiles import load_check_file
from pcso_policy.errors import ConfigError
from pcso_policy.kinds.policy_references import build, title_matches
from pcso_policy.parsing import parse_text
from tests.support import write

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = yaml.safe_load((ROOT / "checks" / "references.yaml").read_text(encoding="utf-8"))["checks"][0]["options"]

POLICY = """---
id: A1
title: Test
references: [B2, C3]
---

1.1. See Policy B2 and Policy C3.
"""


def test_a_reference_resolves_to_a_policy_file_outside_the_run(tmp_path: Path) -> None:
    (tmp_path / "policies" / "other").mkdir(parents=True)
    (tmp_path / "policies" / "other" / "b2.md").write_text("---\nid: B2\n---\n\nText.\n", encoding="utf-8")
    check = build({"citation_patterns": [r"Policy (?P<id>[A-Z]\d)"], "repository_paths": ["policies"]})
    document = parse_text("a.md", POLICY).document
    assert document is not None
    summary = check.summarize(document)
    assert json.loads(json.dumps(summary)) == summary, "summaries are cached as JSON"
    context = CheckContext(datetime.date(2026, 11, 23), tmp_path)
    findings = [(path, f.rule, f.line, f.message.split(" ")[0]) for path, f in check.finish({"a.md": summary}, context)]
    assert findings == [("a.md", "references/unresolved", 4, "C3")]


def test_a_file_without_an_id_does_not_resolve_the_reference_none(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "untitled.md").write_text("---\ntitle: No id\n---\n\nText.\n", encoding="utf-8")
    check = build({"citation_patterns": [r"Policy (?P<id>\w+)"], "repository_paths": ["policies"]})
    document = parse_text("a.md", "---\nid: A1\nreferences: [None]\n---\n\n1.1. See Policy None.\n").document
    assert document is not None
    context = CheckContext(datetime.date(2026, 11, 23), tmp_path)
    findings = [f.rule for _, f in check.finish({"a.md": check.summarize(document)}, context)]
    assert findings == ["references/unresolved"]


@pytest.mark.parametrize(
    ("cited", "title", "matches"),
    [
        ("Information Management", "Information Management", True),
        ("information management policy sets out", "Information Management", True),
        ("Records Review, Retention and Disposal", "Records Review, Retention and Disposal", True),
        ("Records Review Retention & Disposal", "Records Review, Retention and Disposal", True),  # "&" is "and"
        ("Records Management", "Information Management", False),
        ("Information", "Information Management", False),
    ],
)
def test_title_matches_by_leading_words(cited: str, title: str, matches: bool) -> None:
    assert title_matches(cited, title) is matches


def test_title_mismatch_is_judged_against_the_register_after_a_json_round_trip() -> None:
    pattern = r"Policy (?P<id>[A-Z]\d+)(?: – (?P<title>[^().]+))?"
    check = build({"citation_patterns": [pattern], "register": [{"id": "B2", "title": "Lone working"}]})
    text = "---\nid: A1\nreferences: [B2]\n---\n\n1.1. See Policy B2 – Lone patrols. Policy B2 – Lone working.\n"
    document = parse_text("a.md", text).document
    assert document is not None
    summary = json.loads(json.dumps(check.summarize(document)))
    context = CheckContext(datetime.date(2026, 11, 23), Path("."))
    findings = [(f.rule, f.line, f.column) for _, f in check.finish({"a.md": summary}, context)]
    assert findings == [("references/title-mismatch", 6, 22)]


def test_a_citation_pattern_without_the_id_group_is_an_error_at_its_line(tmp_path: Path) -> None:
    r"""'\(?P<id>' passes the schema's test for '(?P<id>' (it holds those characters) but is an escaped
    bracket: the pattern captures no id."""
    text = (
        "checks:\n  - kind: policy-references\n    options:\n      citation_patterns:\n"
        "        - 'Policy (?P<id>[A-Z]\\d+)'\n"
        "        - 'Policy \\(?P<id>[A-Z]\\d+'\n"
    )
    path = write(tmp_path, "references.yaml", text)
    with pytest.raises(ConfigError) as raised:
        load_check_file(path)
    assert raised.value.line == 6
    assert raised.value.detail == (
        r"in checks.0.options.citation_patterns.1: 'Policy \(?P<id>[A-Z]\d+' has no group (?P<id>...) capturing the cited id: add one"
    )


def _cited(text: str) -> list[str]:
    document = parse_text("a.md", "---\nid: A1\n---\n\n" + text + "\n").document
    assert document is not None
    return [citation.id for citation in build(BUNDLED).citations(document)]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Data is held under Policy W1000 – Information Management.", ["W1000"]),
        ("in accordance with force policy L1200", ["L1200"]),
        ("see policy P06, POLICY Q7 and Procedure B219", ["P06", "Q7", "B219"]),
        ("vehicles are covered by SOP A105 and sop C2", ["A105", "C2"]),
        ("as the\npolicy\nW1012 says", ["W1012"]),
        ("handled under the CCTV Footage Review Procedure (B205).", ["B205"]),
        ("Policy reference: Lone working policy (O38)\nSee policy P06.", ["P06"]),
    ],
)
def test_the_bundled_pattern_reads_the_word_policy_in_any_case(text: str, ids: list[str]) -> None:
    assert _cited(text) == ids


@pytest.mark.parametrize(
    "text",
    [
        "Kent Police A105 unit and the Police Reform Act 2002",
        "the policy 2024 revision and policy 4.2",
        "Policy A1.2 of the appendix and policy v2",
        "policy w1000 (an id is written in capitals)",
        "Policy reference: Police community support officers policy (O38)",
        "Kent Police.\nReference: Lone working procedure (L1100)",
        "the procedure (4.2) and the policy (2024)",
        "Policyholder B12 and subpolicy C3",
    ],
)
def test_the_bundled_pattern_reads_no_citation_in(text: str) -> None:
    assert _cited(text) == []


def test_without_footer_labels_every_line_is_read() -> None:
    check = build({"citation_patterns": BUNDLED["citation_patterns"], "footer_labels": []})
    text = "---\nid: A1\n---\n\n## 1. Related documents\n\nPolicy reference: Lone working policy (O38)\n"
    document = parse_text("a.md", text).document
    assert document is not None
    assert [citation.id for citation in check.citations(document)] == ["O38"]


def test_a_footer_reference_left_blank_is_no_mismatch() -> None:
    """A blank 'Policy reference:' is one defect, structure/missing-footer-field's, not a wrong id too."""
    text = "---\nid: A1\n---\n\n## 1. Scope\n\nText.\n\n---\n\nPolicy reference:\nContact point: Head of Policy\n"
    document = parse_text("a.md", text).document
    assert document is not None
    assert [(field.label, field.value) for field in document.footer][0] == ("Policy reference", "")
    context = CheckContext(datetime.date(2026, 11, 23))
    assert [f.rule for f in build(BUNDLED).check(document, context)] == []
    wrong = parse_text("a.md", text.replace("Policy reference:", "Policy reference: A2")).document
    assert wrong is not None
    assert [f.rule for f in build(BUNDLED).check(wrong, context)] == ["references/footer-mismatch"]


@pytest.mark.parametrize(
    ("reference", "fix"),
    [
        ("Lone working policy (A2)", ("write the document's id A1 for A2", 11, 40, 42, "A1")),
        ("Lone working policy", None),  # no id to set: which words a force writes is its choice
        ("Lone working policy (A2, formerly A3)", None),  # which of the two is meant is for a person to say
    ],
)
def test_the_footer_reference_fix_sets_the_one_id_named(reference: str, fix: tuple[object, ...] | None) -> None:
    text = f"---\nid: A1\n---\n\n## 1. Scope\n\nText.\n\n---\n\nPolicy reference: {reference}\n"
    document = parse_text("a.md", text).document
    assert document is not None
    (finding,) = build(BUNDLED).check(document, CheckContext(datetime.date(2026, 11, 23)))
    offered = finding.fix
    if fix is None:
        assert offered is None
        return
    assert offered is not None and offered.safe
    (edit,) = offered.edits
    assert (offered.description, edit.line, edit.column, edit.end_column, edit.replacement) == fix

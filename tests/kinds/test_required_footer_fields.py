"""required-footer-fields: label matching, messages and where a missing field is reported."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path

from pcso_policy.check import CheckContext, footer_labels
from pcso_policy.checkfiles import load_check_file
from pcso_policy.kinds import required_footer_fields
from pcso_policy.kinds.required_footer_fields import Field, RequiredFooterFields, missing_message
from pcso_policy.parsing import parse_text

CONTEXT = CheckContext(datetime.date(2026, 11, 23))
REPO = Path(__file__).resolve().parents[2]
OPTIONS = {"types": {"policy": [{"name": "contact point", "labels": ["Contact point", "Owner"]}]}}


def findings(text: str, options: Mapping[str, object] = OPTIONS) -> list[tuple[int, int, str]]:
    document = parse_text("t.md", text).document
    assert document is not None
    return [(f.line, f.column, f.message) for f in required_footer_fields.build(options).check(document, CONTEXT)]


def test_the_message_names_the_field_and_every_accepted_label() -> None:
    field = Field("contact point", ("Contact point", "Contact", "Owner"), frozenset())
    assert missing_message(field, "the footer") == (
        "missing footer field: contact point: add a line 'Contact point: ...' to the footer "
        "(also accepted: 'Contact:', 'Owner:')"
    )
    single = Field("reference", ("Reference",), frozenset())
    expected = "missing footer field: reference: add a line 'Reference: ...' to the footer"
    assert missing_message(single, "the footer") == expected


def test_an_alias_satisfies_the_field() -> None:
    assert findings("---\nid: T1\n---\n\nText.\n\n---\n\nOWNER:  Head of Policy\n") == []


def test_labels_are_compared_ignoring_case_spacing_emphasis_and_punctuation() -> None:
    for label in ("CONTACT  POINT :", "**Contact point:**", "**Contact point**:", "contact point:"):
        assert findings(f"---\nid: T1\n---\n\nText.\n\n---\n\n{label} Head of Policy\n") == [], label


def test_a_footer_without_a_rule_satisfies_the_field() -> None:
    text = "---\nid: T1\n---\n\n## 1. Scope\n\nText.\n\nPolicy reference: T1\nContact point: Head of Policy\n"
    assert findings(text) == []


def test_missing_field_is_reported_at_the_last_footer_field() -> None:
    text = "---\nid: T1\n---\n\nText.\n\n---\n\nReference: T1\nDate last reviewed: May 2025\n\nClosing words.\n"
    assert [(line, column) for line, column, _ in findings(text)] == [(10, 1)]


def test_without_a_footer_it_is_reported_at_the_last_non_blank_line() -> None:
    (finding,) = findings("---\nid: T1\n---\n\nText.\n\n\n")
    assert finding[:2] == (5, 1)
    assert "to a footer at the end of the document" in finding[2]


def test_types_without_required_fields_and_odd_front_matter_pass() -> None:
    assert findings("---\nid: T1\ntype: role-profile\n---\n\nText.\n") == []
    assert findings("---\nid: T1\ntype: [policy]\n---\n\nText.\n")[0][0] == 6  # wrong type read as a policy
    assert findings("Text only, no front matter.\n")[0][0] == 1
    assert findings("") == [(1, 1, findings("")[0][2])]


def test_the_repository_requires_the_three_policy_fields() -> None:
    (check,) = [c for c in load_check_file(REPO / "checks" / "structure.yaml") if isinstance(c, RequiredFooterFields)]
    names = [field.name for field in check.fields["policy"]]
    assert names == ["policy reference", "contact point", "date last reviewed"]
    labels = {label for field in check.fields["policy"] for label in field.folded}
    assert {"reference", "contact", "owner", "last reviewed", "date of last review"} <= labels


def test_a_force_label_makes_a_footer_without_a_rule() -> None:
    check = required_footer_fields.build({"types": {"policy": [{"name": "lead", "labels": ["Force lead"]}]}})
    text = "---\nid: T1\n---\n\n## 1. Scope\n\nText.\n\nForce lead: Head of Policy\n"
    options = {"types": {"policy": [{"name": "lead", "labels": ["Force lead"]}]}}
    # The model's own labels do not know it: parsed without the check's labels, the line is the section's text.
    assert [line for line, _, _ in findings(text, options)] == [9]
    document = parse_text("t.md", text, footer_labels=footer_labels([check])).document
    assert document is not None
    assert list(check.check(document, CONTEXT)) == []
    assert [(field.label, field.line) for field in document.footer] == [("Force lead", 9)]

"""Property-based tests: whatever a file holds, lint answers without crashing and points inside the file."""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from pcso_policy.catalogue import load as load_catalogue
from pcso_policy.config import Config
from pcso_policy.diagnostics import Diagnostic
from pcso_policy.engine import Engine, LintResult, RuleSelection
from pcso_policy.reporters import REPORTERS, Report

ROOT = Path(__file__).resolve().parents[1]
KENT = (ROOT / "policies" / "kent" / "o38-police-community-support-officers.md").read_bytes()
JSON_KEYS = {"path", "line", "column", "end_line", "end_column", "rule", "severity", "message", "related"}


@cache
def engine() -> Engine:
    catalogue = load_catalogue(Config(root=ROOT))
    registry, checks = catalogue.registry, catalogue.checks
    return Engine(registry, checks, RuleSelection.build(registry), datetime.date(2026, 11, 23), root=ROOT)


def line_lengths(data: bytes) -> list[int]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [len(line) for line in data.split(b"\n")]
    return [len(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def assert_answers_sanely(data: bytes) -> None:
    diagnostics = engine().lint_bytes("policy.md", data)
    lengths = line_lengths(data)
    for diagnostic in diagnostics:
        assert_inside(diagnostic, lengths)
    result = LintResult(diagnostics, files=1, paths=["policy.md"])
    report = Report(result, engine().registry, ROOT)
    for name, reporter in REPORTERS.items():
        output = reporter(report)
        assert isinstance(output, str) and (output or name == "github")
    document = json.loads(REPORTERS["json"](report))
    assert set(document) == {"diagnostics", "summary"}
    assert all(set(item) - {"fix"} == JSON_KEYS for item in document["diagnostics"])  # "fix" only where one is offered
    assert document["summary"]["files"] == 1


def assert_inside(diagnostic: Diagnostic, lengths: list[int]) -> None:
    where = f"{diagnostic.rule} at {diagnostic.line}:{diagnostic.column}"
    assert 1 <= diagnostic.line <= len(lengths), where
    assert 1 <= diagnostic.column <= lengths[diagnostic.line - 1] + 1, where
    for related in diagnostic.related:
        assert 1 <= related.line <= len(lengths), f"{where}: related {related.line}"
        assert 1 <= related.column <= lengths[related.line - 1] + 1, f"{where}: related {related.line}:{related.column}"


@given(st.binary(max_size=2000))
@example(b"---")  # an unclosed front matter and no body: findings must still point at line 1
def test_random_bytes(data: bytes) -> None:
    assert_answers_sanely(data)


front_matter_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
markdown_lines = st.lists(
    st.sampled_from(
        ["# Title", "## 1. Marking", "### 4.1 Role", "1.1. OFFICIAL", "2.1. Reviewed in January 2025:", "- item PCSO",
         "  - nested", "> quote", "```", "| a | b |", "| --- | --- |", "---", "Date last reviewed: May 2020",
         "<!-- pcso-policy: disable=review reason=\"x\" -->", "", "Policy W1000", "\t", "\u200b", "1. ordered"]
    )
    | st.text(max_size=60),
    max_size=40,
)


@given(st.dictionaries(st.sampled_from(["id", "title", "status", "last_reviewed", "next_review", "review_cycle_months",
                                        "references", "aligns_with", "amendments", "classification", "type", "x"]),
                       front_matter_values, max_size=10),
       markdown_lines)
def test_random_front_matter_and_markdown(meta: dict[str, object], lines: list[str]) -> None:
    front = "\n".join(f"{key}: {json.dumps(value)}" for key, value in meta.items())
    assert_answers_sanely(f"---\n{front}\n---\n" .encode() + "\n".join(lines).encode("utf-8", "surrogatepass"))


@given(st.lists(st.tuples(st.integers(0, len(KENT)), st.integers(0, 40), st.binary(max_size=8)), min_size=1, max_size=6))
def test_mutations_of_the_kent_policy(edits: list[tuple[int, int, bytes]]) -> None:
    data = KENT
    for position, deleted, inserted in edits:
        data = data[:position] + inserted + data[position + deleted :]
    assert_answers_sanely(data)


@given(st.lists(st.tuples(st.integers(0, len(KENT)), st.integers(0, 40), st.binary(max_size=8)), min_size=1, max_size=6))
def test_render_of_mutated_kent_policies_succeeds_or_says_why(edits: list[tuple[int, int, bytes]]) -> None:
    """render either writes a document or refuses with a PcsoPolicyError naming the file: never another exception."""
    from pcso_policy.errors import PcsoPolicyError
    from pcso_policy.render import render_bytes

    data = KENT.replace(b"equality_impact: high\n", b"equality_impact: high\nclassification: OFFICIAL\n")
    for position, deleted, inserted in edits:
        data = data[:position] + inserted + data[position + deleted :]
    try:
        rendered = render_bytes("policy.md", data)
    except PcsoPolicyError as error:
        assert str(error).startswith("policy.md")
    else:
        assert rendered.data.startswith(b"PK")

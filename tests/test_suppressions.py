from __future__ import annotations

from pathlib import Path

from tests.fakes import engine_with_flag

POLICY = Path(__file__).parent / "fixtures" / "suppressions" / "policy.md"


def findings(**selection: object) -> list[tuple[str, int, int]]:
    engine = engine_with_flag(**selection)
    return [(d.rule, d.line, d.column) for d in engine.lint_bytes("policy.md", POLICY.read_bytes())]


def test_each_suppression_is_honoured_or_reported() -> None:
    assert findings() == [
        ("terminology/flag", 16, 6),
        ("parse/suppression-no-reason", 18, 1),
        ("parse/suppression-expired", 21, 1),
        ("terminology/flag", 22, 6),
        ("parse/suppression-unused", 27, 1),
        ("parse/suppression-invalid", 30, 1),
        ("parse/suppression-unused", 33, 1),
    ]


def test_unused_is_not_reported_for_a_rule_that_did_not_run() -> None:
    result = findings(ignore=["terminology"])
    assert ("parse/suppression-unused", 27, 1) not in result
    assert ("parse/suppression-no-reason", 18, 1) in result


def test_suppression_findings_can_themselves_be_ignored() -> None:
    result = findings(ignore=["parse/suppression-unused"])
    assert [r for r in result if r[0] == "parse/suppression-unused"] == []

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pcso_policy.check import CheckContext
from pcso_policy.commands.lint import exit_code
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.engine import Engine, RuleSelection
from pcso_policy.errors import UsageError
from pcso_policy.model import Document
from pcso_policy.registry import build_registry, builtin_checks
from pcso_policy.rules import Rule
from tests.fakes import AS_OF, FLAG_RULE, FlagCheck, engine_with_flag
from tests.support import FRONT_MATTER

POLICY = (FRONT_MATTER + "\n1.1. FLAG here.\n").encode()


def test_severity_is_the_rule_default_unless_configured() -> None:
    [default] = engine_with_flag().lint_bytes("p.md", POLICY)
    assert (default.rule, default.severity) == ("terminology/flag", Severity.WARNING)
    [configured] = engine_with_flag(severity={"terminology/flag": Severity.ERROR}).lint_bytes("p.md", POLICY)
    assert configured.severity is Severity.ERROR


def test_selection_by_group_and_id() -> None:
    assert engine_with_flag(select=["parse"]).lint_bytes("p.md", POLICY) == []
    assert engine_with_flag(ignore=["terminology/flag"]).lint_bytes("p.md", POLICY) == []
    assert len(engine_with_flag(select=["terminology"]).lint_bytes("p.md", POLICY)) == 1


@pytest.mark.parametrize("field", ["select", "ignore"])
def test_unknown_selector_fails_loudly(field: str) -> None:
    with pytest.raises(UsageError, match="no such rule 'terminology/flg'; did you mean 'terminology/flag'"):
        engine_with_flag(**{field: ["terminology/flg"]})


def test_unknown_severity_rule_fails_loudly() -> None:
    with pytest.raises(UsageError, match="no such rule"):
        engine_with_flag(severity={"review/nothing": Severity.ERROR})


def test_a_check_raising_an_undeclared_rule_is_a_bug() -> None:
    class Rogue(FlagCheck):
        def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
            yield Finding("parse/empty", 1, 1, "not mine")

    checks = (*builtin_checks(), Rogue())
    registry = build_registry(checks)
    engine = Engine(registry, checks, RuleSelection.build(registry), AS_OF)
    with pytest.raises(RuntimeError, match="Rogue raised parse/empty, which it does not declare"):
        engine.lint_bytes("p.md", POLICY)


def test_checks_of_one_kind_share_their_rules() -> None:
    assert "terminology/flag" in build_registry((FlagCheck(), FlagCheck()))


def test_two_rules_under_one_id_fail_at_registration() -> None:
    class Other(FlagCheck):
        rules: tuple[Rule, ...] = (FLAG_RULE.__class__(FLAG_RULE.id, Severity.ERROR, "other", "w", "f", "e"),)

    with pytest.raises(ValueError, match="declared twice with different definitions"):
        build_registry((FlagCheck(), Other()))


def test_rule_ids_must_name_a_known_group() -> None:
    class Odd(FlagCheck):
        rules: tuple[Rule, ...] = (FLAG_RULE.__class__("style/flag", Severity.INFO, "s", "w", "f", "e"),)

    with pytest.raises(ValueError, match="not 'group/name'"):
        build_registry((Odd(),))


def test_unreadable_file_is_reported_and_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "policy.md"
    folder.mkdir()
    result = engine_with_flag().lint_files([str(folder)])
    [diagnostic] = result.diagnostics
    assert (diagnostic.rule, diagnostic.line, diagnostic.column) == ("parse/unreadable", 1, 1)
    assert diagnostic.message.startswith("cannot read file: is a directory")
    assert exit_code(result) == 2


def test_findings_sorted_by_path_then_line(tmp_path: Path) -> None:
    for name in ("b.md", "a.md"):
        (tmp_path / name).write_bytes(POLICY.replace(b"1.1. FLAG", b"1.1. x\n\n1.2. FLAG"))
    paths = sorted(str(tmp_path / name) for name in ("a.md", "b.md"))
    result = engine_with_flag().lint_files(paths)
    assert [(Path(d.path).name, d.line) for d in result.diagnostics] == [("a.md", 13), ("b.md", 13)]

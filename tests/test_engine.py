from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pcso_policy.cache import Cache
from pcso_policy.catalogue import load as load_catalogue
from pcso_policy.check import CheckContext
from pcso_policy.commands.lint import exit_code
from pcso_policy.config import Config
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


# A file whose front matter is missing or unreadable: the parse finding stands alone.

REPO = Path(__file__).resolve().parents[1]
UNREADABLE = REPO / "tests" / "fixtures" / "unreadable-front-matter" / "broken-yaml.md"
BROKEN_TITLE = 'title: "Neighbourhood policing policy\n'
REPAIRED = UNREADABLE.read_text(encoding="utf-8").replace(BROKEN_TITLE, 'title: "Neighbourhood policing policy"\n')
BODY = REPAIRED.split("---\n", 2)[2]
CONSEQUENCES = {
    "references/undeclared",
    "alignment/undeclared",
    "review/due-soon",
    "review/cycle-mismatch",
    "marking/mismatch",
    "publication/marking",
    "structure/missing-section",
    "structure/missing-footer-field",
}
"""What the fixture's body raises only because of what its front matter says (or would say)."""
BODY_ONLY = ["publication/equality-scope", "review/date-conflict"]
"""What its body raises whatever the front matter says."""


def bundled_engine(cache: Cache | None = None) -> Engine:
    catalogue = load_catalogue(Config(root=REPO))
    selection = RuleSelection.build(catalogue.registry)
    return Engine(catalogue.registry, catalogue.checks, selection, AS_OF, cache=cache, root=REPO)


def rules_of(text: str, engine: Engine | None = None) -> list[str]:
    return [diagnostic.rule for diagnostic in (engine or bundled_engine()).lint_bytes("policy.md", text.encode())]


def test_the_repaired_fixture_raises_the_consequences() -> None:
    found = rules_of(REPAIRED)
    assert CONSEQUENCES <= set(found) and set(BODY_ONLY) <= set(found)
    assert not any(rule.startswith("parse/") for rule in found)


def test_an_unreadable_front_matter_stands_alone_with_the_body_s_own_findings() -> None:
    assert rules_of(UNREADABLE.read_text(encoding="utf-8")) == ["parse/yaml-syntax", *BODY_ONLY]


@pytest.mark.parametrize(
    ("front_matter", "problem"),
    [
        ("", "parse/missing-front-matter"),
        ("---\n- id\n- title\n---\n", "parse/front-matter-not-mapping"),
        ("---\nid: NP-020\ntitle: !!python/object/apply:os.system [\"true\"]\n---\n", "parse/yaml-tag"),
        ("---\nid: NP-020\nowner: &o Head of Neighbourhoods\nstatus: *o\n---\n", "parse/yaml-alias"),
    ],
)
def test_every_unreadable_front_matter_stands_alone(front_matter: str, problem: str) -> None:
    found = rules_of(front_matter + BODY)
    assert found[0] == problem
    assert sorted(set(found) & CONSEQUENCES) == [] and set(BODY_ONLY) <= set(found)


def test_a_suppression_of_a_rule_left_unchecked_is_not_unused() -> None:
    assert "parse/suppression-unused" not in rules_of(UNREADABLE.read_text(encoding="utf-8"))
    assert "parse/suppression-unused" in rules_of(REPAIRED.replace("Policy W1012", "the records policy"))


def test_a_cached_result_remembers_what_was_left_unchecked(tmp_path: Path) -> None:
    policy = tmp_path / "policy.md"
    policy.write_text(UNREADABLE.read_text(encoding="utf-8").replace("Policy W1012", "the records policy"), encoding="utf-8")
    runs = []
    for _ in range(2):
        cache = Cache(tmp_path / "cache", "salt", b"secret")
        runs.append([d.rule for d in bundled_engine(cache).lint_files([str(policy)]).diagnostics])
        assert cache.get(cache.key(policy.read_bytes())) is not None
    assert runs[0] == runs[1] == ["parse/yaml-syntax", *BODY_ONLY]


class _Counting:
    """A check with one rule resting on the front matter and, if asked, one that does not."""

    def __init__(self, mixed: bool) -> None:
        self.rules = (FRONT_MATTER_RULE, FLAG_RULE) if mixed else (FRONT_MATTER_RULE,)
        self.calls = 0

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        self.calls += 1
        yield Finding(FRONT_MATTER_RULE.id, 1, 1, "about the front matter")
        if FLAG_RULE in self.rules:
            yield Finding(FLAG_RULE.id, 1, 1, "about the body")


FRONT_MATTER_RULE = Rule("review/fake", Severity.WARNING, "s", "w", "f", "e", needs_front_matter=True)


@pytest.mark.parametrize("mixed", [False, True])
def test_the_engine_asks_only_for_the_rules_a_file_can_answer(mixed: bool) -> None:
    check = _Counting(mixed)
    checks = (*builtin_checks(), check)
    registry = build_registry(checks)
    engine = Engine(registry, checks, RuleSelection.build(registry), AS_OF)
    assert [d.rule for d in engine.lint_bytes("p.md", POLICY)] == (["review/fake", "terminology/flag"] if mixed else ["review/fake"])
    calls = check.calls
    found = [d.rule for d in engine.lint_bytes("p.md", b"# No front matter\n\n1.1. Text.\n")]
    assert found == (["parse/missing-front-matter", "terminology/flag"] if mixed else ["parse/missing-front-matter"])
    assert check.calls == calls + (1 if mixed else 0), "a check whose every rule rests on the front matter is not run"


def test_explain_says_when_a_rule_needs_the_front_matter() -> None:
    assert "Not checked while the front matter is missing or cannot be read" in FRONT_MATTER_RULE.explain()
    assert "Not checked" not in FLAG_RULE.explain()

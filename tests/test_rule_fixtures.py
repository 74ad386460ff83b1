"""Every rule has a failing and a passing fixture, checked at the expected line and column.

Layout, one folder per rule::

    tests/fixtures/rules/<group>/<name>/
        fail.md                 a case that must raise the rule ...
        fail.expected.yaml      ... exactly these findings of it
        fail-<what>.md          more failing cases, each with its .expected.yaml
        pass.md, pass-<what>.md cases that must not raise it
        checks/                 optional: check definitions used instead of the repository's
        references/             optional: national reference texts used instead of the repository's
                                (the rule folder is then the project root; checks/ stays the repository's
                                unless the folder has its own)
        .pcso-policy.toml       optional: configuration for the cases (its folder is the project root)

A case may also be a folder of policy files linted together (for rules that
look across documents); its expectations then name each finding's ``path``
relative to the case folder. An expectation is::

    - line: 12
      column: 5
      message: text the message must contain     # optional
      related: [[3, 1], [9, 22]]                 # optional: (line, column) of each related place
      path: other.md                             # folder cases only

A case may have ``<case>.settings.yaml`` with ``as_of`` (the --as-of date) and ``select``
(more rules to run besides the one under test, whose findings alone are compared: for rules
about other rules' findings, such as unused suppressions).

Each case is linted with the rule alone selected, as of 2026-11-23 unless the
expectation file says otherwise, so a fixture only needs what its rule reads.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from pcso_policy.catalogue import load as load_catalogue
from pcso_policy.check import CheckContext
from pcso_policy.config import Config
from pcso_policy.config import load as load_config
from pcso_policy.diagnostics import Diagnostic
from pcso_policy.engine import Engine, RuleSelection
from pcso_policy.references import Library
from pcso_policy.registry import build_registry, builtin_checks

REPO = Path(__file__).resolve().parents[1]
RULES_DIR = Path(__file__).parent / "fixtures" / "rules"
AS_OF = datetime.date(2026, 11, 23)


@dataclass(frozen=True)
class Case:
    rule: str
    path: Path
    failing: bool

    @property
    def expected_file(self) -> Path:
        return self.path.parent / f"{self.path.name.removesuffix('.md')}.expected.yaml"

    @property
    def name(self) -> str:
        return f"{self.rule}:{self.path.name}"


def discover_cases() -> list[Case]:
    cases: list[Case] = []
    for rule_dir in sorted(RULES_DIR.glob("*/*")):
        rule = f"{rule_dir.parent.name}/{rule_dir.name}"
        for path in sorted(rule_dir.iterdir()):
            stem = path.name.removesuffix(".md")
            is_case = path.suffix == ".md" or (path.is_dir() and path.name != "checks")
            if is_case and stem.split("-")[0] in ("fail", "pass"):
                cases.append(Case(rule, path, stem.startswith("fail")))
    return cases


CASES = discover_cases()


def lint_case(case: Case, as_of: datetime.date, also: list[str] | None = None) -> list[Diagnostic]:
    rule_dir = case.path.parent
    own_config = rule_dir / ".pcso-policy.toml"
    if own_config.is_file():
        config = load_config(own_config, rule_dir)
    elif (rule_dir / "checks").is_dir() or (rule_dir / "references").is_dir():
        own_checks = (rule_dir / "checks").is_dir()
        # A case's own checks/ stand instead of the bundled rule set, so it tests only what it defines.
        config = Config(root=rule_dir, checks="checks" if own_checks else str(REPO / "checks"), bundled_checks=not own_checks)
    else:
        config = Config(root=REPO)
    catalogue = load_catalogue(config)
    registry, checks = catalogue.registry, catalogue.checks
    selection = RuleSelection.build(registry, select=[case.rule, *(also or [])])
    if case.path.is_dir():
        files = sorted(str(path) for path in case.path.rglob("*.md"))
    else:
        files = [str(case.path)]
    context = CheckContext(as_of, config.root, Library(config.root, config.bundled_references))
    engine = Engine(
        registry, checks, selection, as_of, max_file_size=config.max_file_size, file_timeout=config.file_timeout, context=context
    )
    return [d for d in engine.lint_files(files).diagnostics if d.rule == case.rule or not also]


@dataclass(frozen=True)
class Expected:
    diagnostics: list[dict[str, Any]]
    as_of: datetime.date = AS_OF
    select: list[str] | None = None


def read_expected(case: Case) -> Expected:
    settings = case.path.parent / f"{case.path.name.removesuffix('.md')}.settings.yaml"
    extra = yaml.safe_load(settings.read_text(encoding="utf-8")) if settings.is_file() else {}
    data = yaml.safe_load(case.expected_file.read_text(encoding="utf-8")) if case.expected_file.is_file() else []
    return Expected(data or [], extra.get("as_of", AS_OF), extra.get("select"))


def actual_view(case: Case, diagnostic: Diagnostic) -> dict[str, Any]:
    view: dict[str, Any] = {"line": diagnostic.line, "column": diagnostic.column}
    if case.path.is_dir():
        view["path"] = os.path.relpath(diagnostic.path, case.path)
    return view


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_rule_fixture(case: Case) -> None:
    wanted_case = read_expected(case)
    expected = wanted_case.diagnostics
    diagnostics = lint_case(case, wanted_case.as_of, wanted_case.select)
    assert all(diagnostic.rule == case.rule for diagnostic in diagnostics)
    if not case.failing:
        assert [f"{d.line}:{d.column}: {d.message}" for d in diagnostics] == []
        return
    assert expected, f"{case.expected_file} must list the findings the failing case raises"
    wanted = [{key: item[key] for key in ("path", "line", "column") if key in item} for item in expected]
    assert [actual_view(case, d) for d in diagnostics] == wanted, [d.message for d in diagnostics]
    for item, diagnostic in zip(expected, diagnostics, strict=True):
        if "message" in item:
            assert item["message"] in diagnostic.message
        if "related" in item:
            assert [[r.line, r.column] for r in diagnostic.related] == item["related"]


def test_every_rule_has_a_failing_and_a_passing_fixture() -> None:
    registry = build_registry(builtin_checks())
    covered = {(case.rule, case.failing) for case in CASES}
    missing = [
        f"{rule_id} ({'fail' if failing else 'pass'})"
        for rule_id in registry
        for failing in (True, False)
        if (rule_id, failing) not in covered
    ]
    assert missing == []


def test_every_fixture_folder_names_a_rule() -> None:
    registry = build_registry(builtin_checks())
    assert sorted({case.rule for case in CASES} - set(registry)) == []


def test_every_failing_case_has_expectations() -> None:
    assert [case.name for case in CASES if case.failing and not case.expected_file.is_file()] == []

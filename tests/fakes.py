"""A stand-in check for engine tests: flags every paragraph that says FLAG."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.engine import Engine, RuleSelection
from pcso_policy.model import Document
from pcso_policy.registry import build_registry, builtin_checks
from pcso_policy.rules import Rule

FLAG_RULE = Rule("terminology/flag", Severity.WARNING, "Says FLAG.", "Tests.", "Remove FLAG.", "FLAG")
AS_OF = datetime.date(2026, 11, 23)


class FlagCheck:
    rules: tuple[Rule, ...] = (FLAG_RULE,)

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        for paragraph in document.paragraphs:
            column = paragraph.text.find("FLAG")
            if column >= 0:
                yield Finding(FLAG_RULE.id, paragraph.line, paragraph.column + column, "says FLAG")


def engine_with_flag(**selection: object) -> Engine:
    checks = (*builtin_checks(), FlagCheck())
    registry = build_registry(checks)
    return Engine(registry, checks, RuleSelection.build(registry, **selection), AS_OF)  # type: ignore[arg-type]

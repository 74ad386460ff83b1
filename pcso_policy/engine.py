"""The lint engine: read each file once, parse it once, run the checks, place the findings.

Checks yield :class:`~pcso_policy.diagnostics.Finding` objects naming rules
they declared; the engine drops deselected rules, applies inline
suppressions, and attaches the path and the configured severity.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pcso_policy.diagnostics import Diagnostic, Finding, Severity
from pcso_policy.model import Document
from pcso_policy.parsing import parse_bytes
from pcso_policy.registry import Check, CheckContext
from pcso_policy.rules import Registry
from pcso_policy.suppressions import apply_suppressions, read_suppressions


@dataclass(frozen=True, slots=True)
class RuleSelection:
    """Which rules run and at what severity."""

    active: frozenset[str]
    severity: Mapping[str, Severity] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        registry: Registry,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        severity: Mapping[str, Severity] | None = None,
    ) -> RuleSelection:
        """Resolve selectors (rule ids or groups); an unknown one is a usage error."""
        select, ignore = list(select), list(ignore)
        for selector in (*select, *ignore):
            registry.check_selector(selector)
        for rule_id in severity or {}:
            registry[rule_id]
        chosen = {rule for selector in select for rule in registry.matching(selector)} if select else set(registry)
        dropped = {rule for selector in ignore for rule in registry.matching(selector)}
        return cls(frozenset(chosen - dropped), dict(severity or {}))


@dataclass(slots=True)
class LintResult:
    diagnostics: list[Diagnostic]
    files: int
    unreadable: int = 0

    def count(self, severity: Severity) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.severity is severity)


class Engine:
    def __init__(self, registry: Registry, checks: tuple[Check, ...], selection: RuleSelection, as_of: datetime.date) -> None:
        self.registry = registry
        self.checks = checks
        self.selection = selection
        self.as_of = as_of
        self.context = CheckContext(as_of)

    def lint_files(self, paths: list[str]) -> LintResult:
        result = LintResult([], files=len(paths))
        for path in paths:
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError as error:
                result.unreadable += 1
                reason = (error.strerror or str(error)).lower()
                findings = [Finding("parse/unreadable", 1, 1, f"cannot read file: {reason}")]
                result.diagnostics.extend(self._place(path, findings))
                continue
            result.diagnostics.extend(self.lint_bytes(path, data))
        result.diagnostics.sort(key=Diagnostic.sort_key)
        return result

    def lint_bytes(self, path: str, data: bytes) -> list[Diagnostic]:
        parsed = parse_bytes(path, data)
        findings = list(parsed.findings)
        if parsed.document is not None:
            findings.extend(self._run_checks(parsed.document))
            findings = self._suppress(parsed.document, findings)
        return sorted(self._place(path, findings), key=Diagnostic.sort_key)

    def _run_checks(self, document: Document) -> list[Finding]:
        active = self.selection.active
        findings: list[Finding] = []
        for check in self.checks:
            declared = {rule.id for rule in check.rules}
            if declared.isdisjoint(active):
                continue
            for finding in check.check(document, self.context):
                if finding.rule not in declared:
                    raise RuntimeError(f"{type(check).__name__} raised {finding.rule}, which it does not declare")
                findings.append(finding)
        return findings

    def _suppress(self, document: Document, findings: list[Finding]) -> list[Finding]:
        if not document.comments:
            return findings
        active = self.selection.active
        suppressions, problems = read_suppressions(document, self.registry)
        kept = [finding for finding in findings if finding.rule in active]
        return [*apply_suppressions(kept, suppressions, self.as_of, active), *problems]

    def _place(self, path: str, findings: list[Finding]) -> list[Diagnostic]:
        placed: list[Diagnostic] = []
        for finding in findings:
            rule = self.registry[finding.rule]
            if rule.id not in self.selection.active:
                continue
            placed.append(
                Diagnostic(
                    path=path,
                    line=finding.line,
                    column=finding.column,
                    rule=rule.id,
                    severity=self.selection.severity.get(rule.id, rule.severity),
                    message=finding.message,
                    end_line=finding.end_line or finding.line,
                    end_column=finding.end_column or finding.column,
                    related=finding.related,
                )
            )
        return placed

"""The lint engine: read each file once, parse it once, run the checks, place the findings.

Checks yield :class:`~pcso_policy.diagnostics.Finding` objects naming rules
they declared; the engine drops deselected rules, applies inline
suppressions, and attaches the path and the configured severity.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from pcso_policy.diagnostics import Diagnostic, Finding, Severity
from pcso_policy.parsing import parse_bytes
from pcso_policy.check import Check, CheckContext, ProjectCheck
from pcso_policy.rules import Registry
from pcso_policy.suppressions import Suppression, apply_suppressions, read_suppressions


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
    paths: list[str] = field(default_factory=list)
    """Every file linted, in the order given."""
    baselined: int = 0
    """Findings left out because the baseline records them."""

    def count(self, severity: Severity) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.severity is severity)


@dataclass(slots=True)
class _FileState:
    """What the engine keeps of a file until the project-wide checks have run."""

    findings: list[Finding]
    suppressions: list[Suppression] = field(default_factory=list)
    summaries: dict[int, object] = field(default_factory=dict)
    """Per project check (by position in ``Engine.checks``), its summary of the file."""


class Engine:
    def __init__(self, registry: Registry, checks: tuple[Check, ...], selection: RuleSelection, as_of: datetime.date) -> None:
        self.registry = registry
        self.checks = checks
        self.selection = selection
        self.as_of = as_of
        self.context = CheckContext(as_of)

    def lint_files(self, paths: list[str]) -> LintResult:
        """Read and lint ``paths``; a file that cannot be read is a ``parse/unreadable`` finding."""
        result = LintResult([], files=len(paths), paths=list(paths))
        states: dict[str, _FileState] = {}
        for path in paths:
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError as error:
                result.unreadable += 1
                reason = (error.strerror or str(error)).lower()
                states[path] = _FileState([Finding("parse/unreadable", 1, 1, f"cannot read file: {reason}")])
                continue
            states[path] = self._lint_one(path, data)
        result.diagnostics = self._finish(states)
        return result

    def lint_bytes(self, path: str, data: bytes) -> list[Diagnostic]:
        """Lint one file's content as if it were the whole run."""
        return self._finish({path: self._lint_one(path, data)})

    def _lint_one(self, path: str, data: bytes) -> _FileState:
        parsed = parse_bytes(path, data)
        state = _FileState(list(parsed.findings))
        document = parsed.document
        if document is None:
            return state
        for index, check in enumerate(self.checks):
            if self._runs(check):
                state.findings.extend(self._declared(check, check.check(document, self.context)))
                if isinstance(check, ProjectCheck):
                    state.summaries[index] = check.summarize(document)
        if document.comments:
            state.suppressions, problems = read_suppressions(document, self.registry)
            state.findings.extend(problems)
        return state

    def _runs(self, check: Check) -> bool:
        return not self.selection.active.isdisjoint(rule.id for rule in check.rules)

    def _declared(self, check: Check, findings: Iterable[Finding]) -> Iterator[Finding]:
        declared = {rule.id for rule in check.rules}
        for finding in findings:
            if finding.rule not in declared:
                raise RuntimeError(f"{type(check).__name__} raised {finding.rule}, which it does not declare")
            yield finding

    def _finish(self, states: dict[str, _FileState]) -> list[Diagnostic]:
        """Run the project-wide checks, then suppress and place every file's findings."""
        for index, check in enumerate(self.checks):
            if not isinstance(check, ProjectCheck) or not self._runs(check):
                continue
            summaries = {path: state.summaries[index] for path, state in states.items() if index in state.summaries}
            for path, finding in check.finish(summaries, self.context):
                states[path].findings.extend(self._declared(check, [finding]))
        diagnostics: list[Diagnostic] = []
        active = self.selection.active
        for path, state in states.items():
            findings = [finding for finding in state.findings if finding.rule in active]
            if state.suppressions:
                findings = apply_suppressions(findings, state.suppressions, self.as_of, active)
            diagnostics.extend(self._place(path, findings))
        diagnostics.sort(key=Diagnostic.sort_key)
        return diagnostics

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

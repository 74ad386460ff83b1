"""``pcso-policy rules``, ``explain`` and ``kinds``: what can be checked, and where each check comes from.

Where a check comes from is a repository's file name, so what these print goes through the output
sanitiser like every other listing.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pcso_policy.catalogue import BUILT_IN, Catalogue
from pcso_policy.commands import EXIT_OK
from pcso_policy.project import Project
from pcso_policy.sanitise import lines

NOT_CONFIGURED = "not configured"


@dataclass(frozen=True, slots=True)
class RulesSettings:
    config_file: Path | None = None
    rule: str | None = None
    """The rule ``explain`` documents."""


def origins(catalogue: Catalogue, rule_id: str) -> str:
    """Where the checks raising ``rule_id`` were defined; the parser's own rules are built in."""
    from pcso_policy import suppressions
    from pcso_policy.builtin import parse

    if any(rule.id == rule_id for rule in (*parse.RULES, *suppressions.RULES)):
        return BUILT_IN
    return ", ".join(catalogue.origins_of_rule(rule_id)) or NOT_CONFIGURED


def run(settings: RulesSettings, out: TextIO) -> int:
    """Every rule, its default severity, where its check comes from and what it finds."""
    catalogue = Project.load(settings.config_file).catalogue
    registry = catalogue.registry
    where = {rule_id: origins(catalogue, rule_id) for rule_id in registry}
    id_width = max(len(rule_id) for rule_id in registry)
    where_width = max(len(text) for text in where.values())
    for rule_id, rule in registry.items():
        out.write(lines(f"{rule_id:<{id_width}}  {rule.severity.value:<7}  {where[rule_id]:<{where_width}}  {rule.summary}") + "\n")
    return EXIT_OK


def explain(settings: RulesSettings, out: TextIO) -> int:
    from pcso_policy.kinds import kind_of

    assert settings.rule is not None
    catalogue = Project.load(settings.config_file).catalogue
    out.write(catalogue.registry[settings.rule].explain())
    out.write(lines(f"\nConfigured by: {origins(catalogue, settings.rule)}\n"))
    kind = kind_of(settings.rule)
    if kind is not None:
        out.write(f"\nCheck kind: {kind.KIND} (configured in checks/*.yaml)\n\n{inspect.cleandoc(kind.__doc__ or '')}\n")
    return EXIT_OK


def kinds(settings: RulesSettings, out: TextIO) -> int:
    """Each check kind, its rules, and the check files that use it (in the order they run)."""
    from pcso_policy.kinds import KINDS

    catalogue = Project.load(settings.config_file).catalogue
    for kind in KINDS.values():
        summary = inspect.cleandoc(kind.__doc__ or "").split("\n", 1)[0]
        rules = ", ".join(rule.id for rule in kind.RULES)
        used_by = catalogue.origins_of_rule(kind.RULES[0].id) if kind.RULES else []
        out.write(lines(f"{summary}\n    rules: {rules}\n    used by: {', '.join(used_by) or NOT_CONFIGURED}\n"))
    return EXIT_OK

"""The one place that knows every rule and every check: explicit imports, no discovery magic."""

from __future__ import annotations

from pcso_policy import suppressions
from pcso_policy.builtin import characters, front_matter, links, parse, raw_html
from pcso_policy.check import Check
from pcso_policy.kinds import kind_rules
from pcso_policy.rules import Registry, Rule


def builtin_checks() -> tuple[Check, ...]:
    return (front_matter.FrontMatterCheck(), characters.CharacterCheck(), links.LinkCheck(), raw_html.RawHtmlCheck())


def build_registry(checks: tuple[Check, ...]) -> Registry:
    """Every rule: those the parser and suppressions raise, every kind's, and the checks'.

    Several checks of one kind share its rules; two different rules under one
    id are a programming error and fail at once.
    """
    declared: dict[str, Rule] = {}
    for rule in (*parse.RULES, *suppressions.RULES, *kind_rules(), *(r for check in checks for r in check.rules)):
        if declared.setdefault(rule.id, rule) != rule:
            raise ValueError(f"rule {rule.id} is declared twice with different definitions")
    return Registry(declared.values())

"""The closed set of check kinds that ``checks/*.yaml`` choose from.

Each kind is one module that declares:

- ``KIND``: the name a check file uses;
- ``RULES``: the rules it raises, with their documentation;
- ``Options``: a frozen dataclass of every option its schema,
  ``schemas/kinds/<KIND>.schema.json``, allows, with its type and default
  (see :mod:`pcso_policy.kinds.options`);
- ``build(options)``: a check built from options already validated against
  that schema, read through ``Options``;

and whose docstring is the kind's user documentation (``pcso-policy explain``).
Registration is this explicit mapping; an unknown kind fails loudly.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType, ModuleType
from typing import Any, Protocol, cast

from pcso_policy.check import Check
from pcso_policy.kinds import (
    accessibility,
    acronyms,
    alignment,
    announced_list,
    empty_sections,
    equality_scope,
    excluded_powers,
    legal_references,
    numbering,
    personal_data,
    policy_references,
    protective_marking,
    publication_marking,
    required_footer_fields,
    required_sections,
    review_dates,
    terminology,
)
from pcso_policy.rules import Rule


class Kind(Protocol):
    __doc__: str | None
    KIND: str
    RULES: tuple[Rule, ...]
    Options: type[Any]

    def build(self, options: Mapping[str, Any]) -> Check: ...


def _kinds(*modules: ModuleType) -> Mapping[str, Kind]:
    kinds = {cast(Kind, module).KIND: cast(Kind, module) for module in modules}
    return MappingProxyType(dict(sorted(kinds.items())))


KINDS: Mapping[str, Kind] = _kinds(
    accessibility,
    acronyms,
    alignment,
    announced_list,
    empty_sections,
    equality_scope,
    excluded_powers,
    legal_references,
    numbering,
    personal_data,
    policy_references,
    protective_marking,
    publication_marking,
    required_footer_fields,
    required_sections,
    review_dates,
    terminology,
)


def kind_rules() -> tuple[Rule, ...]:
    """Every rule any kind can raise, whether or not a check file uses the kind."""
    return tuple(rule for kind in KINDS.values() for rule in kind.RULES)


def kind_of(rule_id: str) -> Kind | None:
    for kind in KINDS.values():
        if any(rule.id == rule_id for rule in kind.RULES):
            return kind
    return None

"""``pcso-policy rules``, ``explain`` and ``kinds``: what can be checked, and where each check comes from.

Where a check comes from is a repository's file name, so what these print goes through the output
sanitiser like every other listing.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pcso_policy.catalogue import BUILT_IN, Catalogue
from pcso_policy.commands import EXIT_OK
from pcso_policy.project import Project
from pcso_policy.sanitise import lines

if TYPE_CHECKING:
    from pcso_policy.kinds import Kind

NOT_CONFIGURED = "not configured"


@dataclass(frozen=True, slots=True)
class RulesSettings:
    config_file: Path | None = None
    rule: str | None = None
    """The rule, or the check kind, ``explain`` documents."""


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
    """A rule's documentation and its kind's, or a check kind's: what it does, its rules, its options."""
    from pcso_policy.kinds import KINDS, kind_of

    assert settings.rule is not None
    catalogue = Project.load(settings.config_file).catalogue
    kind = KINDS.get(settings.rule)
    if kind is not None:
        rules = ", ".join(rule.id for rule in kind.RULES)
        used_by = ", ".join(catalogue.origins_of_rule(kind.RULES[0].id)) or NOT_CONFIGURED
        out.write(lines(f"Check kind: {kind.KIND} (configured in checks/*.yaml)\nRules: {rules}\nUsed by: {used_by}\n"))
        out.write(f"\n{kind_documentation(kind)}")
        return EXIT_OK
    out.write(catalogue.registry[settings.rule].explain())
    out.write(lines(f"\nConfigured by: {origins(catalogue, settings.rule)}\n"))
    kind = kind_of(settings.rule)
    if kind is not None:
        out.write(f"\nCheck kind: {kind.KIND} (configured in checks/*.yaml)\n\n{kind_documentation(kind)}")
    return EXIT_OK


def kind_documentation(kind: Kind) -> str:
    """The kind's docstring, then its options as its ``Options`` dataclass and its schema give them: each
    option's name, its default (or "required") and the schema's description, and so for the keys of its items."""
    from pcso_policy.kinds.options import default_of
    from pcso_policy.resources import load_schema

    schema_name = f"kinds/{kind.KIND}.schema.json"
    schema = load_schema(schema_name)
    properties = schema.get("properties", {})
    shown = [f"{inspect.cleandoc(kind.__doc__ or '')}\n", f"Options and defaults (schemas/{schema_name})"]
    for field in dataclasses.fields(kind.Options):
        default = default_of(field)
        state = "required" if default is dataclasses.MISSING else f"default: {_shown(default)}"
        prop = properties.get(field.name, {})
        shown.append(f"  {field.name} ({state}): {prop.get('description', '')}")
        shown.extend(_members(prop, schema, "    "))
    if len(shown) == 2:
        shown.append("  none")
    return "\n".join(shown) + "\n"


def _members(prop: Mapping[str, Any], root: Mapping[str, Any], indent: str) -> Iterator[str]:
    """The keys of what an option holds (its items, or the values of a mapping), each with its state and description."""
    prop = _resolved(prop, root)
    inner = prop.get("items") or prop.get("additionalProperties")
    if isinstance(inner, Mapping):
        yield from _members(inner, root, indent)
        return
    required = set(prop.get("required", []))
    for name, member in prop.get("properties", {}).items():
        member = _resolved(member, root)
        if name in required:
            state = "required"
        elif "default" in member:
            state = f"default: {_shown(member['default'])}"
        else:
            state = "optional"
        yield f"{indent}{name} ({state}): {member.get('description', '')}"
        yield from _members(member, root, indent + "  ")


def _resolved(prop: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    """``prop`` with a local ``$ref`` (``#/$defs/...``) replaced by what it names, its own description kept."""
    reference = prop.get("$ref")
    if not isinstance(reference, str) or not reference.startswith("#/"):
        return prop
    target: Any = root
    for part in reference[2:].split("/"):
        target = target.get(part, {})
    return {**target, **{key: value for key, value in prop.items() if key != "$ref"}}


def _shown(value: object) -> str:
    """A default as a check file would write it, in YAML's flow style: ``[]``, ``true``, ``'\\b[A-Z]+\\b'``."""
    import yaml

    plain = _plain(value)
    text: str = yaml.safe_dump(plain, default_flow_style=True, allow_unicode=True, width=1_000_000)
    return text.removesuffix("\n...\n").strip()


def _plain(value: object) -> object:
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return value


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

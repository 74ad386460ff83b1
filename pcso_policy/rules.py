"""Rules, their documentation, and the registry that knows every rule id.

A rule id is ``group/name``. Its default severity and documentation are
declared once, next to the code that raises it; configuration may change the
severity, never the id.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from pcso_policy.diagnostics import Severity
from pcso_policy.errors import UsageError

GROUPS = (
    "parse",
    "front-matter",
    "structure",
    "review",
    "alignment",
    "terminology",
    "marking",
    "references",
    "legal",
    "publication",
)
_RULE_ID = re.compile(r"^([a-z]+(?:-[a-z]+)*)/([a-z0-9]+(?:-[a-z0-9]+)*)$")


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's identity and its user documentation."""

    id: str
    severity: Severity
    summary: str
    why: str
    fix: str
    example: str
    """A short failing example and, where it helps, the corrected form."""
    needs_front_matter: bool = False
    """Whether what it finds rests on the front matter (a key's value, or its absence), so that the engine does
    not ask for it while a file's front matter is missing or cannot be read: the parse finding saying why stands
    alone instead of every consequence of the missing values."""
    fixable: Literal["safe", "unsafe"] | None = None
    """Whether its findings carry a fix, and of which safety (``fix`` above is the advice to a person)."""

    @property
    def group(self) -> str:
        return self.id.split("/", 1)[0]

    def explain(self) -> str:
        """The rule's documentation as plain text (``pcso-policy explain``)."""
        return (
            f"{self.id} (default severity: {self.severity.value})\n\n"
            f"{self.summary}\n\n"
            f"Why it matters\n  {_indent(self.why)}\n\n"
            f"How to fix it\n  {_indent(self.fix)}\n\n"
            f"Example\n  {_indent(self.example)}\n"
            + (f"\n{_NEEDS_FRONT_MATTER}\n" if self.needs_front_matter else "")
            + (f"\n{_FIXABLE[self.fixable]}\n" if self.fixable is not None else "")
        )


_NEEDS_FRONT_MATTER = (
    "Not checked while the front matter is missing or cannot be read: the parse/ finding saying why is reported instead."
)

_FIXABLE = {
    "safe": "Fixable: its findings carry a safe fix, which 'pcso-policy lint --fix' applies (--diff shows it first).",
    "unsafe": "Fixable: its findings carry a fix that needs a person to confirm it; 'lint --fix' does not apply it.",
}


def _indent(text: str) -> str:
    return text.strip().replace("\n", "\n  ")


def validate_rule_id(rule_id: str) -> None:
    match = _RULE_ID.match(rule_id)
    if not match or match.group(1) not in GROUPS:
        raise ValueError(f"rule id {rule_id!r} is not 'group/name' with a group among {', '.join(GROUPS)}")


class Registry(Mapping[str, Rule]):
    """A read-only mapping from rule id to :class:`Rule`; unknown ids fail loudly."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        by_id: dict[str, Rule] = {}
        for rule in rules:
            validate_rule_id(rule.id)
            if rule.id in by_id:
                raise ValueError(f"rule {rule.id} is declared twice")
            by_id[rule.id] = rule
        self._rules = MappingProxyType(dict(sorted(by_id.items())))

    def __getitem__(self, rule_id: str) -> Rule:
        try:
            return self._rules[rule_id]
        except KeyError:
            raise UsageError(unknown_rule_message(rule_id, self._rules)) from None

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def matching(self, selector: str) -> list[str]:
        """Rule ids a selector names: a whole id, or a group such as ``review``."""
        if selector in self._rules:
            return [selector]
        return [rule_id for rule_id in self._rules if rule_id.split("/", 1)[0] == selector]

    def check_selector(self, selector: str) -> None:
        """An unknown id or group is a usage error; a known group whose checks are not configured is not."""
        if selector not in GROUPS and not self.matching(selector):
            raise UsageError(unknown_rule_message(selector, self._rules, groups=True))


def unknown_rule_message(rule_id: str, known: Iterable[str], groups: bool = False) -> str:
    names = list(known)
    if groups:
        names += list(GROUPS)
    close = difflib.get_close_matches(rule_id, names, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; 'pcso-policy rules' lists them"
    return f"no such rule '{rule_id}'{hint}"

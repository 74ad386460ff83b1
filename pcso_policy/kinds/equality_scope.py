"""equality-scope: an equality impact statement covers every protected characteristic.

The public sector equality duty (Equality Act 2010, s.149, in force 5 April
2011) covers nine protected characteristics (s.4). A statement in the
equality section (a section whose heading is one of ``section_titles``) that
names some of them and not the others, such as "its impact on race and
diversity equality", is reported with what it leaves out. A statement that
names none, or says it covers all of them ("all protected characteristics"),
is not.

Options::

    section_titles: [Equality impact, Equality impact assessment]
    covers_all: ['\\ball\\s+(?:nine\\s+)?protected\\s+characteristics\\b']
    characteristics:
      - {name: race, patterns: ['\\brac(?:e|ial)\\b', '\\bethnic']}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.model import Document, ListItem, Paragraph
from pcso_policy.patterns import Pattern, any_of
from pcso_policy.rules import Rule
from pcso_policy.text import normalise_title

KIND = "equality-scope"

EQUALITY_SCOPE = Rule(
    "publication/equality-scope",
    Severity.WARNING,
    "The equality impact statement names only some of the nine protected characteristics.",
    "The public sector equality duty (Equality Act 2010, s.149, in force 5 April 2011) covers age, disability, "
    "gender reassignment, marriage and civil partnership, pregnancy and maternity, race, religion or belief, "
    "sex and sexual orientation. An assessment of 'race and diversity' alone leaves the others unassessed.",
    "Assess the policy against every protected characteristic and say so, or name the ones the message lists.",
    "6.1. ... assessed with regard to its impact on race and diversity equality   <- 8 characteristics not covered",
)
RULES = (EQUALITY_SCOPE,)


@dataclass(frozen=True, slots=True)
class Characteristic:
    name: str
    pattern: Pattern


@dataclass(frozen=True, slots=True)
class EqualityScope:
    section_titles: frozenset[str]
    covers_all: Pattern
    characteristics: tuple[Characteristic, ...]
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        for section in document.all_sections():
            if normalise_title(section.title) not in self.section_titles:
                continue
            blocks: list[Paragraph | ListItem] = [*section.paragraphs, *section.list_items]
            text = "\n".join(block.text for block in blocks)
            if not blocks or self.covers_all.search(text):
                continue
            named = [(c, c.pattern.search(text)) for c in self.characteristics]
            found = [c for c, match in named if match]
            if not found or len(found) == len(self.characteristics):
                continue
            first = min((block for block in blocks if any(c.pattern.search(block.text) for c in found)), key=lambda b: b.line)
            match = min((m for m in (c.pattern.search(first.text) for c in found) if m), key=lambda m: m.start())
            position = document.position_in(first.line, first.text, match.start())
            missing = [c.name for c, match in named if not match]
            message = (
                f"the equality impact statement covers {', '.join(c.name for c in found)} but not "
                f"{', '.join(missing)}: the public sector equality duty (Equality Act 2010, s.149) covers all nine"
            )
            yield Finding(EQUALITY_SCOPE.id, position.line, position.column, message)


def build(options: Mapping[str, Any]) -> EqualityScope:
    characteristics = tuple(
        Characteristic(item["name"], any_of(item["patterns"]))
        for item in options["characteristics"]
    )
    covers_all = any_of(options.get("covers_all", []))
    return EqualityScope(frozenset(normalise_title(t) for t in options["section_titles"]), covers_all, characteristics)

"""equality-scope: an equality assessment statement covers every protected characteristic.

The public sector equality duty (Equality Act 2010, s.149, in force 5 April
2011) covers nine protected characteristics (s.4). A sentence that says what
an equality (impact) assessment covered, one matching ``statements`` ("This
policy has been assessed with regard to its impact on race and diversity
equality", "The EIA screening covered race and religion"), and names some
characteristics and not the others is reported with what it leaves out. A
statement that names none, or says it covers all of them ("all protected
characteristics"), is not.

A sentence that begins with one of ``continuations`` ("It considered ...")
right after a sentence of the same paragraph naming an equality assessment
(``assessments``: "An equality impact assessment was completed.") is a
statement too.

Only assessment statements are judged. A sentence that merely mentions a
characteristic ("reasonable adjustments will be made for staff with a
disability", "officers must not discriminate on grounds of race") says
nothing about what was assessed, wherever it stands. An assessment statement
is judged wherever it stands in the body, in the equality section or in the
policy section alike: the section's title plays no part.

Options::

    statements: ['\\bassessed\\s+with\\s+regard\\s+to\\b', '\\bEIA\\b[^.;]*\\bcovered\\b']
    assessments: ['\\bequality\\s+impact\\s+assessment\\b', '\\bEIA\\b']
    continuations: ['(?:it|the\\s+assessment)\\s+(?:considered|covered)\\b']
    covers_all: ['\\ball\\s+(?:nine\\s+)?protected\\s+characteristics\\b']
    characteristics:
      - {name: race, patterns: ['\\brac(?:e|ial)\\b', '\\bethnic']}
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document
from pcso_policy.patterns import Pattern, any_of
from pcso_policy.rules import Rule
from pcso_policy.sentences import sentences

KIND = "equality-scope"

EQUALITY_SCOPE = Rule(
    "publication/equality-scope",
    Severity.WARNING,
    "A statement of what the equality impact assessment covered names only some of the nine protected characteristics.",
    "The public sector equality duty (Equality Act 2010, s.149, in force 5 April 2011) covers age, disability, "
    "gender reassignment, marriage and civil partnership, pregnancy and maternity, race, religion or belief, "
    "sex and sexual orientation. An assessment of 'race and diversity' alone leaves the others unassessed.",
    "Assess the policy against every protected characteristic and say so, or name the ones the message lists.",
    "6.1. ... assessed with regard to its impact on race and diversity equality   <- 8 characteristics not covered",
)
RULES = (EQUALITY_SCOPE,)


@dataclass(frozen=True, slots=True)
class Options:
    statements: tuple[str, ...]
    characteristics: tuple[Mapping[str, Any], ...]
    """Each ``{name, patterns}``: a characteristic as the message names it and the patterns naming it."""
    assessments: tuple[str, ...] = ()
    continuations: tuple[str, ...] = ()
    covers_all: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Characteristic:
    name: str
    pattern: Pattern


@dataclass(frozen=True, slots=True)
class EqualityScope:
    statements: Pattern
    """Sentences that say what an equality (impact) assessment covered."""
    assessments: Pattern
    """Sentences that name an equality assessment, so that a continuation may follow."""
    continuations: Pattern
    """Matched at a sentence's start: it carries on the assessment the sentence before named."""
    covers_all: Pattern
    characteristics: tuple[Characteristic, ...]
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        for block in document.prose():
            if not self.statements.could_match(block.text) and not self.assessments.could_match(block.text):
                continue
            after_assessment = False
            for start, sentence in sentences(block.text):
                continued = after_assessment and self.continuations.match(sentence.lstrip()) is not None
                if continued or self.statements.search(sentence):
                    yield from self._judge(document, block.line, block.text, start, sentence)
                after_assessment = self.assessments.search(sentence) is not None

    def _judge(self, document: Document, line: int, text: str, start: int, sentence: str) -> Iterator[Finding]:
        if self.covers_all.search(sentence):
            return
        named: list[tuple[Characteristic, re.Match[str]]] = []
        missing: list[str] = []
        for characteristic in self.characteristics:
            match = characteristic.pattern.search(sentence)
            if match is None:
                missing.append(characteristic.name)
            else:
                named.append((characteristic, match))
        if not named or not missing:
            return
        first = min(match.start() for _, match in named)
        position = document.position_in(line, text, start + first)
        message = (
            f"the equality impact statement covers {', '.join(c.name for c, _ in named)} but not "
            f"{', '.join(missing)}: the public sector equality duty (Equality Act 2010, s.149) covers all nine"
        )
        yield Finding(EQUALITY_SCOPE.id, position.line, position.column, message)


def build(options: Mapping[str, Any]) -> EqualityScope:
    given = options_of(Options, options)
    characteristics = tuple(Characteristic(item["name"], any_of(item["patterns"])) for item in given.characteristics)
    return EqualityScope(
        any_of(given.statements),
        any_of(given.assessments),
        any_of(given.continuations),
        any_of(given.covers_all),
        characteristics,
    )

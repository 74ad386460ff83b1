"""excluded-powers: PCSOs described as holding a power that the law excludes from designation.

Since 15 December 2017 a chief officer may designate a PCSO with any power of
a constable except those listed in Part 1 of Schedule 3B to the Police Reform
Act 2002 (inserted by the Policing and Crime Act 2017, Schedule 10): powers
of arrest, stop and search of persons and vehicles, acting as custody
officer, intimate searches, powers reserved to constables of a rank, and
powers under the terrorism and national security Acts.

A sentence is reported when it names PCSOs (``subjects``) and an excluded
power (``powers``) and does not negate or restrict it: a sentence holding one
of the ``negations`` ("cannot", "may not", "only sworn police officers",
"excluded") is a correct statement of the law, not a finding. Sentences that
do not name PCSOs ("only sworn police officers may arrest") are never read
as giving PCSOs a power.

Options::

    subjects: ['\\bPCSOs?\\b', '\\bpolice community support officers?\\b']
    negations: ['\\bcannot\\b', '\\bmay\\s+not\\b', '\\bonly\\s+(?:sworn\\s+)?(?:police\\s+)?(?:officers|constables)\\b']
    powers:
      - {name: a power of arrest, patterns: ['\\barrest(?:s|ing)?\\b']}
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.model import Document
from pcso_policy.patterns import Pattern, any_of, compile_pattern
from pcso_policy.rules import Rule

KIND = "excluded-powers"

EXCLUDED_POWER = Rule(
    "legal/excluded-power",
    Severity.ERROR,
    "A sentence gives PCSOs, or describes them as exercising, a power excluded from designation.",
    "Police Reform Act 2002, Schedule 3B Part 1 (inserted by the Policing and Crime Act 2017, Schedule 10; in "
    "force 15 December 2017) bars chief officers from designating PCSOs with powers of arrest, stop and search, "
    "custody officer duties, intimate searches, powers of constables of a rank and powers under the Terrorism "
    "Acts 2000 and 2006, the Counter-Terrorism Act 2008, the TPIM Act 2011, the Counter-Terrorism and Security "
    "Act 2015 and the National Security Act 2023. A policy saying otherwise tells PCSOs to act unlawfully.",
    "Remove the power, or state the law correctly (for example 'PCSOs cannot be designated with powers under the "
    "Terrorism Act 2000'). Negated and restricted statements are not reported.",
    "4.6. PCSOs may stop and search vehicles in a designated area.   <- excluded power",
)
RULES = (EXCLUDED_POWER,)
_SENTENCE = re.compile(r"[^.!?;]+(?:[.!?;]+|$)")


@dataclass(frozen=True, slots=True)
class Power:
    name: str
    patterns: tuple[Pattern, ...]


@dataclass(frozen=True, slots=True)
class ExcludedPowers:
    subjects: Pattern
    negations: Pattern
    powers: tuple[Power, ...]
    any_power: Pattern
    """Every power's patterns: a block none of them could match is not split into sentences."""
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        for block in document.prose():
            if not self.any_power.could_match(block.text) or not self.subjects.search(block.text):
                continue
            for sentence in _SENTENCE.finditer(block.text):
                yield from self._sentence(document, block.line, block.text, sentence)

    def _sentence(self, document: Document, line: int, text: str, sentence: re.Match[str]) -> Iterator[Finding]:
        words = sentence.group()
        if not self.subjects.search(words) or self.negations.search(words):
            return
        for power in self.powers:
            match = next((m for pattern in power.patterns for m in [pattern.search(words)] if m), None)
            if match is None:
                continue
            position = document.position_in(line, text, sentence.start() + match.start())
            message = (
                f"'{match.group()}': PCSOs cannot be designated with {power.name} (Police Reform Act 2002, "
                "Schedule 3B Part 1, since 15 December 2017): remove it or state that it is excluded"
            )
            yield Finding(EXCLUDED_POWER.id, position.line, position.column, message)
            return


def build(options: Mapping[str, Any]) -> ExcludedPowers:
    powers = tuple(
        Power(item["name"], tuple(compile_pattern(pattern) for pattern in item["patterns"]))
        for item in options.get("powers", [])
    )
    any_power = any_of(pattern for item in options.get("powers", []) for pattern in item["patterns"])
    return ExcludedPowers(any_of(options["subjects"]), any_of(options.get("negations", [])), powers, any_power)

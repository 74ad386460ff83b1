"""excluded-powers: PCSOs described as holding a power they cannot hold, or have never held.

Since 15 December 2017 a chief officer may designate a PCSO with any power of
a constable except those listed in Part 1 of Schedule 3B to the Police Reform
Act 2002 (inserted by the Policing and Crime Act 2017, Schedule 10): powers
of arrest, stop and search of persons and vehicles, acting as custody
officer, intimate searches, powers reserved to constables of a rank, and
powers under the terrorism and national security Acts. Some of these PCSOs
have never held at all (``never_held``): no PCSO has ever had a power of
arrest. Each power names the law it rests on (``source``), which the message
quotes.

A sentence (or a clause after a semicolon) is read when it names PCSOs
(``subjects``), or begins with a pronoun (``pronouns``: "They may arrest")
after a sentence of the same paragraph that did. A power it names
(``powers``) is reported unless:

- a ``negations`` phrase ("cannot", "no", "only sworn police officers",
  "excluded") stands between the PCSOs named last before the power (from
  the comma before them, so "constables, not PCSOs, may arrest" counts) and
  the power; a phrase after the power ("arrest without a warrant", "anyone
  other than a child") does not negate it. When the power is named before
  the PCSOs ("Powers of arrest are excluded from PCSO designation") a
  negation anywhere in the sentence does;
- someone else (``others``: "a constable", "police officers") is named
  between the PCSOs and the power ("PCSOs call a constable, who may
  arrest"), or right after it with "by" ("pending arrest by a constable"):
  the power is theirs;
- the sentence holds one of the power's ``except`` phrases, which describe a
  power PCSOs may lawfully hold ("search a person they have detained").

Sentences that do not name PCSOs ("only a constable may arrest") are never
read as giving PCSOs a power. A list item is read after the sentence that
introduces its list when that sentence names PCSOs and ends in a colon
("PCSOs are designated with the following powers:", or "PCSOs cannot be
designated with the following:", which negates every item), and a table row
is read as one sentence of its cells ("| Town Centre PCSO | Arrest any person
for any offence |").

Options::

    subjects: ['\\bPCSOs?\\b', '\\bpolice community support officers?\\b']
    pronouns: ['they\\b']
    others: ['\\bconstables?\\b']
    negations: ['\\bcannot\\b', '\\bno\\b', '\\bonly\\s+(?:sworn\\s+)?(?:police\\s+)?(?:officers|constables)\\b']
    powers:
      - name: a power of arrest
        patterns: ['\\barrest(?:s|ing)?\\b']
        source: Police Reform Act 2002, Schedule 3B para 1
        never_held: true
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document, Table
from pcso_policy.patterns import Pattern, any_of, compile_pattern
from pcso_policy.rules import Rule
from pcso_policy.sentences import sentences

KIND = "excluded-powers"

EXCLUDED_POWER = Rule(
    "legal/excluded-power",
    Severity.ERROR,
    "A sentence gives PCSOs, or describes them as exercising, a power excluded from designation or never held.",
    "Police Reform Act 2002, Schedule 3B Part 1 (inserted by the Policing and Crime Act 2017, Schedule 10; in "
    "force 15 December 2017) bars chief officers from designating PCSOs with powers of arrest, stop and search, "
    "custody officer duties, intimate searches, powers of constables of a rank and powers under the Terrorism "
    "Acts 2000 and 2006, the Counter-Terrorism Act 2008, the TPIM Act 2011, the Counter-Terrorism and Security "
    "Act 2015 and the National Security Act 2023; a power of arrest PCSOs have never held. A policy saying "
    "otherwise tells PCSOs to act unlawfully.",
    "Remove the power, or state the law correctly (for example 'PCSOs cannot be designated with powers under the "
    "Terrorism Act 2000', 'PCSOs have no power of arrest'). Negated and restricted statements are not reported.",
    "4.6. PCSOs may stop and search vehicles in a designated area.   <- excluded power",
)
RULES = (EXCLUDED_POWER,)
_AGENT = re.compile(r"\s+by\s+(?:(?:a|an|the|any)\s+)?", re.IGNORECASE)
"""What stands between a power and the person exercising it in the passive: 'arrest by a constable'."""


@dataclass(frozen=True, slots=True)
class Options:
    subjects: tuple[str, ...]
    powers: tuple[Mapping[str, Any], ...]
    """Each ``{name, patterns, source, never_held, except}``, turned at once into a :class:`Power`."""
    pronouns: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Power:
    name: str
    patterns: tuple[Pattern, ...]
    source: str
    never_held: bool
    exceptions: Pattern

    def mentions(self, sentence: str) -> list[re.Match[str]]:
        """Every place the sentence names the power, in order."""
        return sorted((match for pattern in self.patterns for match in pattern.finditer(sentence)), key=lambda m: m.start())

    def message(self, words: str) -> str:
        if self.never_held:
            return f"'{words}': PCSOs have never held {self.name} ({self.source}): remove it or state that PCSOs do not hold it"
        return f"'{words}': PCSOs cannot be designated with {self.name} ({self.source}): remove it or state that it is excluded"


@dataclass(frozen=True, slots=True)
class ExcludedPowers:
    subjects: Pattern
    pronouns: Pattern
    """Matched at a sentence's start: a pronoun carrying on the PCSOs of the sentence before."""
    others: Pattern
    negations: Pattern
    powers: tuple[Power, ...]
    any_power: Pattern
    """Every power's patterns: a block none of them could match is not split into sentences."""
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        introductions = self._introductions(document)
        for block in document.prose():
            if not self.any_power.could_match(block.text):
                continue
            introduction = introductions.get(id(block), "")
            if not introduction and not self.subjects.search(block.text):
                continue
            for offset, message in self._block(introduction, block.text):
                position = document.position_in(block.line, block.text, offset)
                yield Finding(EXCLUDED_POWER.id, position.line, position.column, message)
        for table in document.tables:
            yield from self._table(table)

    def _block(self, introduction: str, text: str) -> Iterator[tuple[int, str]]:
        """(offset in ``text``, message) of each sentence of it giving PCSOs a power; ``introduction``, the
        sentence introducing the list ``text`` is an item of, is read as the start of its first sentence."""
        lead = f"{introduction} " if introduction else ""
        named_before = False
        for start, sentence in sentences(lead + text, clauses=True):
            subjects = self._subjects(sentence, named_before)
            named_before = bool(subjects)
            for offset, message in self._grants(sentence, subjects, len(lead) - start):
                yield start + offset - len(lead), message

    def _introductions(self, document: Document) -> dict[int, str]:
        """For each list item under a paragraph ending in a colon whose last sentence names PCSOs ("PCSOs are
        designated with the following powers:"), that sentence."""
        found: dict[int, str] = {}
        for paragraph in document.paragraphs:
            if not paragraph.items or not paragraph.text.rstrip().endswith(":"):
                continue
            last = list(sentences(paragraph.text, clauses=True))[-1][1].strip()
            if self.subjects.search(last):
                found.update((id(item), last) for item in paragraph.items)
        return found

    def _table(self, table: Table) -> Iterator[Finding]:
        """Each row of a table read as one sentence, its cells joined: '| Town Centre PCSO | Arrest any person |'."""
        for row in table.rows:
            if any(cell.header for cell in row):
                continue
            starts, text = [], ""
            for cell in row:
                starts.append(len(text))
                text += cell.text + " | "
            if not self.any_power.could_match(text) or not self.subjects.search(text):
                continue
            for offset, message in self._block("", text):
                index = bisect.bisect_right(starts, offset) - 1
                cell = row[index]
                yield Finding(EXCLUDED_POWER.id, cell.line, cell.column + offset - starts[index], message)

    def _subjects(self, sentence: str, named_before: bool) -> list[tuple[int, int]]:
        """Where the sentence names PCSOs; a leading pronoun counts when the sentence before named them."""
        found = [match.span() for match in self.subjects.finditer(sentence)]
        opening = len(sentence) - len(sentence.lstrip(" \t\n\"'‘“("))
        pronoun = self.pronouns.match(sentence[opening:]) if named_before else None
        if pronoun is not None and not any(start < opening + pronoun.end() for start, _ in found):
            found.insert(0, (opening, opening + pronoun.end()))
        return found

    def _grants(self, sentence: str, subjects: list[tuple[int, int]], skip: int = 0) -> Iterator[tuple[int, str]]:
        """The first power the sentence gives PCSOs, with its offset and message (one finding per sentence);
        a power named in its first ``skip`` characters (a list's introduction, judged on its own) is not."""
        if not subjects:
            return
        for power in self.powers:
            if power.exceptions.search(sentence):
                continue
            for match in power.mentions(sentence):
                if match.start() >= skip and self._given_to_pcsos(sentence, subjects, match):
                    yield match.start(), power.message(match.group())
                    return

    def _given_to_pcsos(self, sentence: str, subjects: list[tuple[int, int]], power: re.Match[str]) -> bool:
        before = [span for span in subjects if span[0] < power.start()]
        if not before:
            # Named before the PCSOs, the power is what the clause is about ("Arrest powers are excluded from PCSO
            # designation"); after a comma it is not theirs ("Where an arrest is needed, PCSOs call a constable").
            after = subjects[0][0]
            return "," not in sentence[power.end() : after] and not self.negations.search(sentence)
        subject_start, subject_end = before[-1]
        clause_start = sentence.rfind(",", 0, subject_start) + 1
        if self.negations.search(sentence[clause_start : power.start()]):
            return False
        if self.others.search(sentence[subject_end : power.start()]):
            return False
        agent = _AGENT.match(sentence, power.end())
        return agent is None or self.others.match(sentence[agent.end() :]) is None


def build(options: Mapping[str, Any]) -> ExcludedPowers:
    given = options_of(Options, options)
    powers = tuple(
        Power(
            item["name"],
            tuple(compile_pattern(pattern) for pattern in item["patterns"]),
            item["source"],
            bool(item.get("never_held", False)),
            any_of(item.get("except", [])),
        )
        for item in given.powers
    )
    any_power = any_of(pattern for item in given.powers for pattern in item["patterns"])
    return ExcludedPowers(
        any_of(given.subjects),
        any_of(given.pronouns),
        any_of(given.others),
        any_of(given.negations),
        powers,
        any_power,
    )

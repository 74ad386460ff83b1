"""legal-references: repealed or renamed law, and bodies that no longer exist, with what to cite now.

Each entry of ``checks/legal.yaml`` names a term as policies write it (a
regular expression, case ignored, matched as whole words), whether it is
legislation or a body, what replaced it, the legal source of the change and
the date it took effect; the message and ``explain`` show them. Every text
of the body is read: headings, paragraphs, list items, table cells, the
footer's values and its closing lines.

Options::

    entries:
      - term: 'Data Protection Act 1998'
        kind: legislation
        current: the Data Protection Act 2018 and UK GDPR
        source: Data Protection Act 2018, s.211 and Schedule 19
        since: 25 May 2018
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document
from pcso_policy.patterns import Pattern, any_of, compile_pattern
from pcso_policy.rules import Rule

KIND = "legal-references"

OUTDATED_LEGISLATION = Rule(
    "legal/outdated-legislation",
    Severity.ERROR,
    "The text cites legislation that has been repealed or replaced (or misnames an Act).",
    "A policy that cites repealed law tells staff to act under powers and duties that no longer exist, and "
    "is the first thing a legal challenge or an inspection notices. Examples from checks/legal.yaml: the Data "
    "Protection Act 1998 (replaced by the Data Protection Act 2018 and UK GDPR on 25 May 2018); PCSO "
    "'standard powers' under Schedule 4 to the Police Reform Act 2002 (replaced by Policing and Crime Act "
    "2017, Schedule 9, in force 15 December 2017); the Official Secrets Acts (National Security Act 2023, in "
    "force 20 December 2023); 'Human Rights Act 1988', a misprint of 1998.",
    "Cite the current legislation the message names, and check that what the policy says still holds under it.",
    "8.1. ... in accordance with the Data Protection Act 1998   <- cite the Data Protection Act 2018 and UK GDPR",
)
OUTDATED_BODY = Rule(
    "legal/outdated-body",
    Severity.ERROR,
    "The text names a body that has been abolished or renamed.",
    "Readers are sent to organisations that no longer exist: ACPO became the National Police Chiefs' Council "
    "(1 April 2015); the NPIA's functions passed to the College of Policing (2012-13); HMIC became HMICFRS "
    "(19 July 2017); police authorities were replaced by police and crime commissioners (22 November 2012, "
    "Police Reform and Social Responsibility Act 2011).",
    "Name the current body the message gives.",
    "4.2. ... guidance issued by ACPO   <- the National Police Chiefs' Council (NPCC)",
)
RULES = (OUTDATED_LEGISLATION, OUTDATED_BODY)
_RULE_OF = {"legislation": OUTDATED_LEGISLATION, "body": OUTDATED_BODY}


@dataclass(frozen=True, slots=True)
class Options:
    entries: tuple[Mapping[str, str], ...] = ()
    """Each ``{term, kind, current, source, since}``, turned at once into an :class:`Entry`."""


@dataclass(frozen=True, slots=True)
class Entry:
    rule: Rule
    pattern: Pattern
    current: str
    source: str
    since: str


@dataclass(frozen=True, slots=True)
class LegalReferences:
    entries: tuple[Entry, ...]
    screen: Pattern
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        if not self.screen.search(document.text):
            return
        for position_of, text in document.texts():
            if not self.screen.search(text):
                continue
            for entry in self.entries:
                for match in entry.pattern.finditer(text):
                    position = position_of(match.start())
                    what = "is no longer in force" if entry.rule is OUTDATED_LEGISLATION else "no longer exists"
                    message = (
                        f"'{match.group()}' {what}: cite {entry.current} ({entry.source}, since {entry.since})"
                    )
                    yield Finding.spanning(entry.rule.id, position.line, position.column, match.group(), message)


def build(options: Mapping[str, Any]) -> LegalReferences:
    given = options_of(Options, options)
    entries = tuple(
        Entry(
            _RULE_OF[item["kind"]],
            compile_pattern(rf"(?<![\w-])(?:{item['term']})(?![\w-])"),
            item["current"],
            item["source"],
            item["since"],
        )
        for item in given.entries
    )
    # The screen is the bare terms (no word-boundary look-arounds): one cheap pass over the whole text.
    screen = any_of(item["term"] for item in given.entries)
    return LegalReferences(entries, screen)

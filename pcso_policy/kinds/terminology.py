"""terminology: words a force corrects or does not use, wherever the text says them.

Each substitution names a wrong term and the right one ("PSCO" -> "PCSO",
which the College of Policing's own pages misspell); each forbidden term has
a reason and may suggest what to write instead. Terms match whole words (a
plural or possessive ending still matches: "PSCOs"), either exactly as
written (``case: exact``, the default for terms in capitals) or ignoring case
(``case: ignore``). Paragraphs, list items, headings and footer values are
read; the front matter is not prose.

Options::

    substitutions:
      - {wrong: PSCO, right: PCSO, case: exact, why: a common misspelling}
    forbidden:
      - {term: WPC, reason: the rank is police constable for every officer, suggestion: PC}
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Position, Severity
from pcso_policy.model import Document
from pcso_policy.rules import Rule

KIND = "terminology"

SUBSTITUTION = Rule(
    "terminology/substitution",
    Severity.WARNING,
    "A term the force writes differently ('PSCO' for 'PCSO').",
    "Misspelt role names and outdated terms make a policy look careless and defeat searches for the right term.",
    "Write the term the message gives. The list is data in checks/terminology.yaml.",
    "4.4. each PSCO maximises patrol time   <- 'PSCO' -> 'PCSO'",
)
FORBIDDEN = Rule(
    "terminology/forbidden",
    Severity.ERROR,
    "A term the force has decided its policies must not use.",
    "Some terms are wrong in law, offensive, or describe ranks and bodies that no longer exist.",
    "Rephrase as the message suggests. The list and each reason are data in checks/terminology.yaml.",
    "2.1. WPCs will ...   <- use 'PC': the rank is police constable for every officer",
)
RULES = (SUBSTITUTION, FORBIDDEN)


@dataclass(frozen=True, slots=True)
class Term:
    rule: Rule
    pattern: re.Pattern[str]
    advice: str
    """The message after the quoted term."""


@dataclass(frozen=True, slots=True)
class Terminology:
    terms: tuple[Term, ...]
    screen: re.Pattern[str] | None = None
    """Every term at once, ignoring case: most texts match none and are passed over in one search."""
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        if self.screen is None:
            return
        for position_of, text in prose_texts(document):
            if not self.screen.search(text):
                continue
            for term in self.terms:
                for match in term.pattern.finditer(text):
                    position = position_of(match.start())
                    yield Finding(term.rule.id, position.line, position.column, f"'{match.group()}' {term.advice}")


def prose_texts(document: Document) -> Iterator[tuple[Any, str]]:
    """(offset -> file position, text) for every paragraph, list item, heading and footer value, in file order."""
    texts: list[tuple[int, Any, str]] = []
    for block in document.prose():
        texts.append((block.line, _in_block(document, block.line, block.text), block.text))
    for section in document.all_sections():
        source = document.lines[section.line - 1]
        start = source.find(section.title)
        texts.append((section.line, _on_line(section.line, max(start, 0)), section.title))
    for field in document.footer:
        texts.append((field.line, _on_line(field.line, field.value_column - 1), field.value))
    for _, position_of, text in sorted(texts, key=lambda item: item[0]):
        yield position_of, text


def _in_block(document: Document, line: int, text: str) -> Any:
    return lambda offset: document.position_in(line, text, offset)


def _on_line(line: int, start: int) -> Any:
    return lambda offset: Position(line, start + offset + 1)


def term_pattern(term: str, case: str | None) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in term.split())
    ignore = case == "ignore" or (case is None and term != term.upper())
    return re.compile(rf"(?<![\w-]){words}(?=(?:s|'s|’s)?(?![\w-]))", re.IGNORECASE if ignore else 0)


def build(options: Mapping[str, Any]) -> Terminology:
    terms: list[Term] = []
    for entry in options.get("substitutions", []):
        why = f": {entry['why']}" if entry.get("why") else ""
        terms.append(Term(SUBSTITUTION, term_pattern(entry["wrong"], entry.get("case")), f"-> '{entry['right']}'{why}"))
    for entry in options.get("forbidden", []):
        instead = f"use '{entry['suggestion']}': " if entry.get("suggestion") else "rephrase: "
        terms.append(Term(FORBIDDEN, term_pattern(entry["term"], entry.get("case")), f"is not used in policies; {instead}{entry['reason']}"))
    screen = re.compile("|".join(f"(?:{term.pattern.pattern})" for term in terms), re.IGNORECASE) if terms else None
    return Terminology(tuple(terms), screen)

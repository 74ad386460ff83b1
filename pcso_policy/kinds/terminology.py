"""terminology: words a force corrects or does not use, wherever the text says them.

Each substitution names a wrong term and the right one ("PSCO" -> "PCSO",
which the College of Policing's own pages misspell); each forbidden term has
a reason and may suggest what to write instead. Terms match whole words, and
a plural or possessive ending still matches ("PSCOs", "PSCO's"). A term in
capitals (an acronym) also matches inside a hyphenated word ("PSCO-led",
"non-PSCO"); other terms only where the hyphenated word is the term itself.
Each entry says how case counts: ``case: exact`` matches the term only as
written, ``case: ignore`` in any case; without it, a term in capitals is
exact and any other ignores case.

A substitution's finding carries a safe fix (``pcso-policy lint --fix``)
writing the right term in place of the wrong one where the term stands on
one line as written in the file: as listed for ``case: exact``; for a term
matched in any case, in capitals where the text wrote it in capitals, and
with a capital first letter where the text began it with one.

The title, headings, paragraphs, list items and footer values are read, and
every occurrence is reported at its position; the front matter is not prose.

``terminology/substitution`` is a warning (the text is understood, but
spelled or named as the force does not); ``terminology/forbidden`` is an
error, because a forbidden term is one the force has decided its policies must
not say at all. Bodies and legislation that no longer exist (ACPO, the Data
Protection Act 1998) are the ``legal/`` rules' business, not this list's.

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
from pcso_policy.fixes import Edit, Fix
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document
from pcso_policy.patterns import Pattern, any_of, compile_pattern
from pcso_policy.rules import Rule

KIND = "terminology"

SUBSTITUTION = Rule(
    "terminology/substitution",
    Severity.WARNING,
    "A term the force writes differently ('PSCO' for 'PCSO').",
    "Misspelt role names and outdated terms make a policy look careless and defeat searches for the right term.",
    "Write the term the message gives. The list is data in checks/terminology.yaml.",
    "4.4. each PSCO maximises patrol time   <- 'PSCO' -> 'PCSO'",
    fixable="safe",
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
class Options:
    substitutions: tuple[Mapping[str, str], ...] = ()
    """Each ``{wrong, right, case, why}``, turned at once into a :class:`Term`."""
    forbidden: tuple[Mapping[str, str], ...] = ()
    """Each ``{term, reason, suggestion, case}``, turned at once into a :class:`Term`."""


@dataclass(frozen=True, slots=True)
class Term:
    rule: Rule
    pattern: Pattern
    advice: str
    """The message after the quoted term."""
    right: str | None = None
    """The term to write instead (substitutions only)."""
    ignores_case: bool = False


@dataclass(frozen=True, slots=True)
class Terminology:
    terms: tuple[Term, ...]
    screen: Pattern
    """Every term at once, ignoring case: most texts match none and are passed over in one search."""
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        if not self.screen.search(document.text):
            return
        title = document.title_text()
        for position_of, text in ([title] if title else []) + list(document.texts()):
            if not self.screen.search(text):
                continue
            for term in self.terms:
                for match in term.pattern.finditer(text):
                    position = position_of(match.start())
                    found = match.group()
                    fix = substitution_fix(document, position, found, term) if term.right is not None else None
                    yield Finding.spanning(term.rule.id, position.line, position.column, found, f"'{found}' {term.advice}", fix=fix)


def substitution_fix(document: Document, position: Position, found: str, term: Term) -> Fix | None:
    """The edit writing ``term.right`` over ``found``, or None where the file does not hold ``found`` as
    matched at ``position`` (a term across lines, or one the block's text reads through inline markup)."""
    assert term.right is not None
    source = document.lines[position.line - 1] if position.line <= len(document.lines) else ""
    start = position.column - 1
    if source[start : start + len(found)] != found:
        return None
    right = in_case_of(found, term.right) if term.ignores_case else term.right
    edit = Edit(position.line, position.column, position.line, position.column + len(found), right)
    return Fix(f"write '{right}' for '{found}'", (edit,), safe=True)


def in_case_of(found: str, right: str) -> str:
    """``right`` in the case the text wrote ``found``: capitals, a capital first letter, or as listed."""
    if found.isupper() and len(found) > 1:
        return right.upper()
    if found[:1].isupper():
        return right[:1].upper() + right[1:]
    return right


def term_pattern(term: str, case: str | None) -> Pattern:
    """A whole-word pattern for ``term``: plural and possessive endings allowed, spacing free."""
    words = r"\s+".join(re.escape(word) for word in term.split())
    ignore = ignores_case(term, case)
    acronym = re.fullmatch(r"[A-Z][A-Z0-9&]*", term.strip()) is not None
    edge = r"\w" if acronym else r"[\w-]"
    return compile_pattern(rf"(?<!{edge}){words}(?=(?:s|'s|’s)?(?!{edge}))", re.IGNORECASE if ignore else 0)


def ignores_case(term: str, case: str | None) -> bool:
    return case == "ignore" or (case is None and term != term.upper())


def build(options: Mapping[str, Any]) -> Terminology:
    given = options_of(Options, options)
    terms: list[Term] = []
    for entry in given.substitutions:
        why = f": {entry['why']}" if entry.get("why") else ""
        wrong, case = entry["wrong"], entry.get("case")
        pattern = term_pattern(wrong, case)
        advice = f"-> '{entry['right']}'{why}"
        terms.append(Term(SUBSTITUTION, pattern, advice, entry["right"], ignores_case(wrong, case)))
    for entry in given.forbidden:
        instead = f"use '{entry['suggestion']}': " if entry.get("suggestion") else "rephrase: "
        message = f"is not used in policies; {instead}{entry['reason']}"
        terms.append(Term(FORBIDDEN, term_pattern(entry["term"], entry.get("case")), message))
    screen = any_of(term.pattern.pattern for term in terms)
    return Terminology(tuple(terms), screen)

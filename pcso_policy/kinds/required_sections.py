"""required-sections: the mandatory sections of each document type.

A force lists, per document ``type`` (policy, procedure, role-profile), the
sections every such document must have, in the order they stand, each with
the headings accepted for it. A heading matches when, without its number, it
equals one of the accepted titles ignoring case, punctuation and spacing.

A missing section is reported once, at the place where it should stand: the
heading of the next mandatory section that is present, or the end of the last
section when none follows.

Options::

    types:
      policy:
        - name: equality impact
          titles: [Equality impact, Equality impact assessment, Equality]
        - name: review
          titles: [Review, Monitoring and review]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.model import Document, Section
from pcso_policy.rules import Rule

KIND = "required-sections"

MISSING_SECTION = Rule(
    "structure/missing-section",
    Severity.ERROR,
    "A section that every document of its type must have is missing.",
    "Forces require every policy to state its protective marking, amendments, scope, equality impact, review, "
    "data protection and retention; a policy without one is incomplete however good the rest is.",
    "Add the section with one of the headings the message names, where the message says it should stand. "
    "Aliases accepted for each section are listed in checks/ and can be extended there.",
    "## 6. Equality impact   <- missing between '5. Financial implications' and '7. Review'",
    needs_front_matter=True,
)
RULES = (MISSING_SECTION,)

_NOT_WORD = re.compile(r"[\W_]+")


def normalise_title(title: str) -> str:
    """A heading as compared: case, punctuation and spacing ignored."""
    return " ".join(_NOT_WORD.sub(" ", title.casefold()).split())


@dataclass(frozen=True, slots=True)
class Requirement:
    name: str
    titles: tuple[str, ...]
    normalised: frozenset[str] = frozenset()

    def matches(self, normalised_title: str) -> bool:
        return normalised_title in self.normalised


@dataclass(frozen=True, slots=True)
class RequiredSections:
    requirements: Mapping[str, tuple[Requirement, ...]]
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        required = self.requirements.get(document.doc_type, ())
        sections = document.all_sections()
        titles = [normalise_title(section.title) for section in sections]
        found = [_first_match(requirement, sections, titles) for requirement in required]
        for index, requirement in enumerate(required):
            if found[index] is None:
                yield _missing(requirement, found[index + 1 :], sections, document)


def _first_match(requirement: Requirement, sections: list[Section], titles: list[str]) -> Section | None:
    for section, title in zip(sections, titles, strict=True):
        if requirement.matches(title):
            return section
    return None


def _missing(requirement: Requirement, later: list[Section | None], sections: list[Section], document: Document) -> Finding:
    accepted = " or ".join(f"'{title}'" for title in requirement.titles[:3])
    following = next((section for section in later if section is not None), None)
    if following is not None:
        where, line, column = f"add it before '{following.heading}'", following.line, following.column
    elif sections:
        last = sections[-1]
        where, line, column = f"add it after '{last.heading}'", last.end_line, 1
    else:
        where, line, column = "the document has no sections", min(document.body_line, len(document.lines)), 1
    message = f"missing section: {requirement.name} (a heading such as {accepted}): {where}"
    return Finding(MISSING_SECTION.id, line, column, message)


def build(options: Mapping[str, Any]) -> RequiredSections:
    requirements = {
        doc_type: tuple(_requirement(item["name"], item["titles"]) for item in items)
        for doc_type, items in options["types"].items()
    }
    return RequiredSections(requirements)


def _requirement(name: str, titles: list[str]) -> Requirement:
    return Requirement(name, tuple(titles), frozenset(normalise_title(title) for title in titles))

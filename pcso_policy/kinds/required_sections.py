r"""required-sections: the mandatory sections of each document type.

A force lists, per document ``type`` (policy, procedure, role-profile), the
sections every such document must have, in the order they stand. A heading
names a mandatory section by meaning, not by one spelling: its words,
without its number and ignoring case, punctuation and spacing, hold one of
the section's ``terms`` ("Review and monitoring" and "Policy review" hold
*review*; "Security protective marking" holds *marking*), or it is one of
the section's exact ``titles``, for words too common to be a term ("Policy"
names the policy section, but "Who this policy applies to" names the scope).

A missing section is reported once, at the place where it should stand: the
heading of the next mandatory section that is present, or the end of the last
section when none follows. A heading that names two mandatory sections by
their terms (and neither by an exact title) is reported rather than taken for
one of them ("Document history and review"); it then stands for both, so the
missing-section report does not repeat it.

Some forces state what a mandatory section would say elsewhere: the
protective marking in a cover-table row ("| Protective marking | OFFICIAL |")
or as a running header on every page. A section's ``fields`` (terms a
``Label: value`` field's label holds, anywhere in the document) and
``lines`` (regular expressions, case ignored unless the expression says
``(?-i:...)``, searched in each line of the body) name such statements; one
of them stands for the section.

Options::

    types:
      policy:
        - name: protective marking
          terms: [marking, classification]
          fields: [marking, classification]
          lines: ['^\s*(?-i:OFFICIAL|SECRET)\b']
        - name: equality impact
          terms: [equality, diversity]
        - name: the policy itself
          titles: [Policy, The policy]
          terms: [policy statement]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document, Section
from pcso_policy.patterns import Pattern, any_of
from pcso_policy.rules import Rule
from pcso_policy.text import Titles

KIND = "required-sections"

MISSING_SECTION = Rule(
    "structure/missing-section",
    Severity.ERROR,
    "A section that every document of its type must have is missing.",
    "Forces require every policy to state its protective marking, amendments, scope, equality impact, review, "
    "data protection and retention; a policy without one is incomplete however good the rest is.",
    "Add the section with one of the headings the message names, where the message says it should stand. "
    "The terms and titles accepted for each section are listed in checks/ and can be extended there.",
    "## 6. Equality impact   <- missing between '5. Financial implications' and '7. Review'",
    needs_front_matter=True,
)
AMBIGUOUS_SECTION = Rule(
    "structure/ambiguous-section",
    Severity.WARNING,
    "A heading names two mandatory sections at once, so a reader cannot tell which of them the section is.",
    "Each mandatory section answers its own question (how the policy is reviewed, how its amendments are "
    "recorded); a heading such as 'Document history and review' leaves one of them to be guessed.",
    "Give each mandatory section its own heading, or rename the heading so that it names one section only.",
    "## 8. Document history and review   <- amendments or review?",
    needs_front_matter=True,
)
RULES = (MISSING_SECTION, AMBIGUOUS_SECTION)


@dataclass(frozen=True, slots=True)
class Options:
    types: Mapping[str, list[Mapping[str, Any]]]
    """Document type -> its sections, each ``{name, titles, terms, fields, lines}``, turned at once into a
    :class:`Requirement`."""


@dataclass(frozen=True, slots=True)
class Requirement:
    name: str
    titles: Titles
    examples: tuple[str, ...]
    """Headings the message suggests."""
    fields: Titles | None = None
    """Labels of a ``Label: value`` field that states what the section would (a cover-table row)."""
    lines: Pattern | None = None
    """Lines that state what the section would (a running header that is the marking)."""

    def stated_elsewhere(self, document: Document) -> bool:
        """Whether the document states what the section would without one (see ``fields`` and ``lines``)."""
        if self.fields is not None and any(self.fields.matches(field.key) for field in document.fields()):
            return True
        if self.lines is None:
            return False
        return any(self.lines.search(line) for line in document.lines[document.body_line - 1 :])


@dataclass(frozen=True, slots=True)
class RequiredSections:
    requirements: Mapping[str, tuple[Requirement, ...]]
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        required = self.requirements.get(document.doc_type, ())
        sections = document.all_sections()
        found: list[Section | None] = [None] * len(required)
        for section in sections:
            key = section.key
            exact = [index for index, requirement in enumerate(required) if requirement.titles.exactly(key)]
            named = exact or [index for index, requirement in enumerate(required) if requirement.titles.matches(key)]
            if len(named) > 1:
                yield _ambiguous(section, [required[index] for index in named])
            for index in named:
                found[index] = found[index] or section
        for index, requirement in enumerate(required):
            if found[index] is None and not requirement.stated_elsewhere(document):
                yield _missing(requirement, found[index + 1 :], sections, document)


def _ambiguous(section: Section, requirements: list[Requirement]) -> Finding:
    names = " and ".join(requirement.name for requirement in requirements)
    message = (
        f"heading '{section.heading}' names {len(requirements)} mandatory sections ({names}): "
        "give each its own heading, or name one of them only"
    )
    return Finding(AMBIGUOUS_SECTION.id, section.line, section.column, message)


def _missing(requirement: Requirement, later: list[Section | None], sections: list[Section], document: Document) -> Finding:
    accepted = " or ".join(f"'{title}'" for title in requirement.examples[:3])
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
        doc_type: tuple(_requirement(item) for item in items) for doc_type, items in options_of(Options, options).types.items()
    }
    return RequiredSections(requirements)


def _requirement(item: Mapping[str, Any]) -> Requirement:
    titles, terms = item.get("titles", []), item.get("terms", [])
    examples = tuple(titles) + tuple(term[:1].upper() + term[1:] for term in terms)
    fields = Titles.of(terms=item["fields"]) if item.get("fields") else None
    lines = any_of(item["lines"]) if item.get("lines") else None
    return Requirement(item["name"], Titles.of(titles, terms), examples, fields, lines)

"""publication-marking: a document published to the public carries a marking that allows it.

The front matter says who a document is published to: ``publication: public``
(for example under the Freedom of Information Act publication scheme) or
``internal`` (the default). Under the Government Security Classifications
only OFFICIAL information may be published; a public document marked
OFFICIAL-SENSITIVE or higher is an error at its ``publication`` key.

Options::

    public_markings: [OFFICIAL]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Related, Severity
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document
from pcso_policy.rules import Rule

KIND = "publication-marking"

PUBLICATION_MARKING = Rule(
    "publication/marking",
    Severity.ERROR,
    "A document to be published to the public is marked above OFFICIAL.",
    "Government Security Classifications (Cabinet Office, in force since 2 April 2014): OFFICIAL-SENSITIVE and "
    "higher markings restrict who may see the information; publishing such a document breaches its own marking.",
    "Either the document is not for the public (set publication: internal) or its marking is wrong (set "
    "classification: OFFICIAL after checking the content).",
    "classification: OFFICIAL-SENSITIVE\npublication: public   <- a public document above OFFICIAL",
    needs_front_matter=True,
)
RULES = (PUBLICATION_MARKING,)


@dataclass(frozen=True, slots=True)
class Options:
    public_markings: tuple[str, ...] = ("OFFICIAL",)


@dataclass(frozen=True, slots=True)
class PublicationMarking:
    public_markings: frozenset[str]
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        meta, front_matter = document.meta, document.front_matter
        marking = meta.get("classification")
        if front_matter is None or meta.get("publication") != "public" or not isinstance(marking, str):
            return
        if marking in self.public_markings:
            return
        where = front_matter.value_position_of(("publication",))
        marked = front_matter.value_position_of(("classification",))
        message = (
            f"the document is published to the public but marked '{marking}': only "
            f"{', '.join(sorted(self.public_markings))} may be published; set publication: internal or correct the marking"
        )
        related = (Related(marked.line, marked.column, "the document's classification"),)
        yield Finding(PUBLICATION_MARKING.id, where.line, where.column, message, related=related)


def build(options: Mapping[str, Any]) -> PublicationMarking:
    return PublicationMarking(frozenset(options_of(Options, options).public_markings))

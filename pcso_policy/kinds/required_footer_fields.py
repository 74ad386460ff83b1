"""required-footer-fields: the ``Label: value`` lines every document's footer must have.

The footer is the block of ``Label: value`` lines at the end of the document
("Policy reference: ... (O38)", "Contact point: Head of Partnerships", "Date
last reviewed: January 2025"): what follows the last thematic break (``---``)
when no heading comes after it or, without a break, the trailing lines whose
labels are footer labels (those below among them). Labels are compared
ignoring case, spacing, emphasis and punctuation ("DATE LAST REVIEWED :").
For each document type a force lists the fields required, each with the
labels accepted for it (case and spacing ignored; the first label is the one
the message suggests). A missing field is reported once, at the last field of
the footer, or at the end of the document when it has no footer. Document
types not listed need no footer fields.

Options::

    types:
      policy:
        - name: policy reference
          labels: [Policy reference, Reference]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document
from pcso_policy.rules import Rule
from pcso_policy.text import normalise_title

KIND = "required-footer-fields"

MISSING_FOOTER_FIELD = Rule(
    "structure/missing-footer-field",
    Severity.ERROR,
    "A footer field that every document of its type must have is missing.",
    "The footer tells a reader which policy this is, whom to ask and how current it is; printed and published "
    "copies lose the front matter and keep the footer.",
    "Add the field after the final '---' line, as 'Label: value', using one of the labels the message names.",
    "---\n\nPolicy reference: ... (O38)\nDate last reviewed: January 2025   <- 'Contact point:' missing",
    needs_front_matter=True,
)
RULES = (MISSING_FOOTER_FIELD,)


@dataclass(frozen=True, slots=True)
class Options:
    types: Mapping[str, list[Mapping[str, Any]]]
    """Document type -> its fields, each ``{name, labels}``, turned at once into a :class:`Field`."""


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    labels: tuple[str, ...]
    folded: frozenset[str]


@dataclass(frozen=True, slots=True)
class RequiredFooterFields:
    fields: Mapping[str, tuple[Field, ...]]
    rules: tuple[Rule, ...] = RULES

    def footer_labels_read(self) -> frozenset[str]:
        return frozenset(label for fields in self.fields.values() for field in fields for label in field.folded)

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        present = {item.key for item in document.footer if item.value}
        blank = {item.key: item for item in document.footer if not item.value}
        if document.footer:
            line, where = document.footer[-1].line, "the footer"
        else:
            line, where = _last_line(document), "a footer at the end of the document"
        for field in self.fields.get(document.doc_type, ()):
            if not field.folded.isdisjoint(present):
                continue
            left = next((blank[label] for label in field.folded if label in blank), None)
            if left is not None:
                message = f"missing footer field: {field.name}: '{left.label}:' is left blank: write its value after it"
                yield Finding(MISSING_FOOTER_FIELD.id, left.line, left.column, message)
            else:
                yield Finding(MISSING_FOOTER_FIELD.id, line, 1, missing_message(field, where))


def missing_message(field: Field, where: str) -> str:
    message = f"missing footer field: {field.name}: add a line '{field.labels[0]}: ...' to {where}"
    if len(field.labels) > 1:
        others = ", ".join(f"'{label}:'" for label in field.labels[1:])
        message += f" (also accepted: {others})"
    return message


def _last_line(document: Document) -> int:
    number = len(document.lines)
    while number > document.body_line and not document.lines[number - 1].strip():
        number -= 1
    return max(number, 1)


def build(options: Mapping[str, Any]) -> RequiredFooterFields:
    fields = {
        doc_type: tuple(
            Field(item["name"], tuple(item["labels"]), frozenset(normalise_title(label) for label in item["labels"]))
            for item in items
        )
        for doc_type, items in options_of(Options, options).types.items()
    }
    return RequiredFooterFields(fields)

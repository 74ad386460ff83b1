"""personal-data: what a published policy must not carry: people's contact details and copy-paste debris.

Contacts in a published policy are roles and team mailboxes. Reported, in the
whole file (footer and closing lines included):

- placeholder artefacts that web pages leave when text is copied, such as the
  "[email protected]" that e-mail obfuscation puts in place of an address;
- telephone numbers (UK forms: ``01622 690690``, ``07700 900123``, ``+44 20 7946 0000``),
  except those listed in ``allowed_numbers`` (101, a switchboard);
- personal e-mail addresses: a local part shaped like a person's name
  (``jane.smith@``, ``j.smith@``), unless its domain part is allowed and the local part
  names a team (``allowed_mailboxes``);
- a person's name next to contact details: a title and a capitalised name
  (``Mr John Smith``, ``PC 1234 Jones``) in the same paragraph as a number or address.

Options::

    placeholders: ['\\[email(?:\\s|&#160;)*protected\\]']
    allowed_numbers: ['101', '999']
    allowed_mailboxes: ['^(?:policy|enquiries|foi)[\\w.-]*@']
    titles: [Mr, Mrs, Ms, Miss, Dr, PC, PS, Sgt, Insp, Inspector]
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
from pcso_policy.patterns import Pattern, any_of, compile_pattern
from pcso_policy.rules import Rule

KIND = "personal-data"

PERSONAL_DATA = Rule(
    "publication/personal-data",
    Severity.ERROR,
    "A published document holds personal contact details, a person's name beside them, or a placeholder "
    "left by copying from a web page.",
    "Policies published under the Freedom of Information Act 2000 publication scheme name roles, not people "
    "(UK GDPR Article 5(1)(c), data minimisation); personal numbers and addresses go out of date and expose "
    "staff. A '[email protected]' placeholder means the real address was lost in copying.",
    "Replace the person with their role and a team mailbox or the switchboard; restore the lost address.",
    "please email [email protected]   <- the address was lost when the page was copied",
)
RULES = (PERSONAL_DATA,)

_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?\d{2,4}|\(?0\d{2,4}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\w)")
_EMAIL = re.compile(r"(?<![\w.+-])(?P<local>[\w.+-]+)@(?P<domain>[\w-]+(?:\.[\w-]+)+)")
_ANY_CONTACT = re.compile(r"@|\+44|\((?<![\w+]\()0\d\d|0(?<![\w+]0)\d\d")
"""What every e-mail address and telephone number holds: '@', '+44', or a 0 and two digits not inside a word.
Each alternative starts with a character, so ``re`` skips to those characters instead of trying the
telephone pattern (whose look-behind comes first) at every position of the document."""
_PERSONAL_LOCAL = re.compile(r"^[a-z]+(?:[._-][a-z]+)+\d*$|^[a-z][._-]?[a-z]{2,}\d*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Options:
    placeholders: tuple[str, ...] = ()
    allowed_numbers: tuple[str, ...] = ()
    allowed_mailboxes: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PersonalData:
    placeholders: Pattern
    allowed_numbers: frozenset[str]
    allowed_mailboxes: Pattern
    named: Pattern
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        if not _ANY_CONTACT.search(document.text) and not self.placeholders.search(document.text):
            return
        start = (document.front_matter.end_line if document.front_matter else 0) + 1
        for number, line in enumerate(document.lines[start - 1 :], start=start):
            yield from self._line(number, line)

    def _line(self, number: int, line: str) -> Iterator[Finding]:
        for match in self.placeholders.finditer(line):
            message = f"'{match.group()}' is a placeholder left by copying from a web page: restore the address (a team mailbox)"
            yield Finding.spanning(PERSONAL_DATA.id, number, match.start() + 1, match.group(), message)
        contacts = 0
        for match in _PHONE.finditer(line):
            if re.sub(r"\D", "", match.group()) in self.allowed_numbers:
                continue
            contacts += 1
            message = f"telephone number '{match.group()}': give a role's switchboard or team number, listed in checks/ if allowed"
            yield Finding.spanning(PERSONAL_DATA.id, number, match.start() + 1, match.group(), message)
        for match in _EMAIL.finditer(line):
            contacts += 1
            if _PERSONAL_LOCAL.match(match["local"]) and not self.allowed_mailboxes.match(match.group()):
                message = f"'{match.group()}' looks like a personal e-mail address: use a team mailbox"
                yield Finding.spanning(PERSONAL_DATA.id, number, match.start() + 1, match.group(), message)
        if contacts:
            for match in self.named.finditer(line):
                message = f"'{match.group()}' names a person beside contact details: name the role instead"
                yield Finding.spanning(PERSONAL_DATA.id, number, match.start() + 1, match.group(), message)


def build(options: Mapping[str, Any]) -> PersonalData:
    given = options_of(Options, options)
    titles = "|".join(re.escape(title) for title in given.titles) or r"(?!)"
    named = compile_pattern(rf"\b(?:{titles})\.?\s+(?:\d+\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+)?", 0)
    return PersonalData(
        any_of(given.placeholders),
        frozenset(given.allowed_numbers),
        any_of(given.allowed_mailboxes),
        named,
    )

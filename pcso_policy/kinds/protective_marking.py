"""protective-marking: markings of the Government Security Classifications, not of the scheme they replaced.

Since 2 April 2014 UK public bodies mark information under the Cabinet
Office's Government Security Classifications: OFFICIAL, SECRET and TOP
SECRET, with OFFICIAL-SENSITIVE for OFFICIAL information that needs the
SENSITIVE handling caveat. The Government Protective Marking Scheme it
replaced (UNCLASSIFIED or "not protectively marked", PROTECT, RESTRICTED,
CONFIDENTIAL) is no longer in force: the GOV.UK announcement "Whitehall
starts using simpler security classifications" (2 April 2014) lists those
six old levels and the three new ones, and forces' own procedures say the
label "Not Protectively Marked" must not be applied to new documents (Surrey
Police, Government Security Classification (GSC) Procedure, 1.3). Old
material need not be re-marked retrospectively, but a policy that is revised
and republished is new material.

Which current marking replaces a legacy one is data (``legacy`` in
``checks/marking.yaml``). The transition guidance is a judgement, not a table:
about 90% of government business is OFFICIAL, so "not protectively marked",
UNCLASSIFIED, PROTECT and most RESTRICTED material become OFFICIAL, some
RESTRICTED needs OFFICIAL-SENSITIVE, and CONFIDENTIAL generally becomes SECRET
(some of it OFFICIAL-SENSITIVE). An entry names the usual replacement in
``use`` and may name an ``alternative``; the message then says that the owner
decides by the content.

Where a marking is stated (a *marking statement*), wherever forces put it:

- the front matter ``classification``;
- in the marking section (a section whose heading holds one of
  ``section_terms`` or is one of ``section_titles``: "Security protective
  marking", "Document classification"), a paragraph or list item that is
  nothing but a marking, possibly numbered, labelled, in bold and followed by
  a full stop ("1.1. Not protectively marked."), and the markings inside its
  sentences: legacy phrases in any case ("This policy is not protectively
  marked"), legacy single words and current markings only in capitals
  ("marked RESTRICTED", "is OFFICIAL");
- anywhere, a field labelled as a marking: a labelled line or list item
  ("Protective Marking: Not Protectively Marked"), a cover-table row
  ("| Protective marking | Restricted |") or a footer line; its value is the
  marking, or starts with it ("OFFICIAL – No restrictions");
- in the document's header (before its first heading that is not itself a
  marking), a paragraph or heading that is nothing but a marking ("OFFICIAL"
  above the title, "## NOT PROTECTIVELY MARKED");
- anywhere, a marking in capitals that stamps a short line of a paragraph, at
  its start or end: a running header repeated on every page ("NOT
  PROTECTIVELY MARKED  Page 2 of 3", "Version 1.01 NOT PROTECTIVELY MARKED");
  a table cell that is nothing but a marking in capitals ("| 2.0 | RESTRICTED
  |"); and a marking words apply ("files must be marked RESTRICTED",
  "Personnel files: marked RESTRICTED").

Anything else is running prose and is never read as a marking: "restricted
access", "protect the public", "confidential information", "Unclassified
roads", "material marked RESTRICTED before 2014", and the headings, bold
lines and list items of a policy that explains the classifications ("###
SECRET", "- RESTRICTED", "**SECRET**").

Rules:

- ``marking/invalid-classification``: the front matter ``classification`` is
  not one of ``markings`` spelled exactly; the message gives the exact
  spelling ("Official" -> OFFICIAL, "OFFICIAL SENSITIVE" -> OFFICIAL-SENSITIVE)
  or, for a legacy marking, its replacement.
- ``marking/legacy-marking``: a legacy marking in a marking statement, the
  front matter included (a legacy front matter value is therefore also an
  invalid classification: the field's contract and the superseded scheme are
  reported, and selected, separately). When the front matter states a
  current classification, ``--fix`` writes it for a body marking of the
  document (a safe fix: the front matter is what the published header and
  footer print); a marking words apply to something else ("records must be
  marked RESTRICTED") is reported but left to a person, and is never a
  mismatch.
- ``marking/mismatch``: a current marking stated in the body differs from the
  front matter classification or, when the front matter has none, from the
  first marking the body states. A body marking without a front matter
  classification is not an error.

Options::

    markings: [OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET]
    legacy:
      - {marking: Not protectively marked, use: OFFICIAL}
      - {marking: Restricted, use: OFFICIAL, alternative: OFFICIAL-SENSITIVE}
      - {marking: Confidential, use: SECRET, alternative: OFFICIAL-SENSITIVE}
    section_terms: [marking, classification]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Position, Related, Severity
from pcso_policy.fixes import Edit, Fix
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document, ListItem, Paragraph
from pcso_policy.patterns import Pattern, compile_pattern
from pcso_policy.rules import Rule
from pcso_policy.text import Titles

KIND = "protective-marking"

INVALID_CLASSIFICATION = Rule(
    "marking/invalid-classification",
    Severity.ERROR,
    "The front matter classification is not a marking of the Government Security Classifications, spelled exactly.",
    "Markings drive handling: a marking written 'Official' or 'OFFICIAL SENSITIVE' is not one the scheme defines, "
    "a legacy marking such as 'Restricted' belongs to a scheme abolished in 2014, and the published document "
    "carries the classification in its header and footer.",
    "Write one of OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP SECRET, in capitals, as the message suggests.",
    "classification: Official sensitive   <- write OFFICIAL-SENSITIVE",
    needs_front_matter=True,
)
LEGACY_MARKING = Rule(
    "marking/legacy-marking",
    Severity.WARNING,
    "A marking of the Government Protective Marking Scheme, replaced on 2 April 2014.",
    "'Not protectively marked', 'Protect', 'Restricted', 'Confidential' and 'Unclassified' have no meaning under "
    "the Government Security Classifications; readers cannot tell how to handle the document. Only a marking "
    "statement counts (the front matter classification, the marking section's text, a paragraph or heading that "
    "is only a marking in the document's header, a 'Classification:' line): 'restricted access' or 'protect the "
    "public' in running prose is not a marking.",
    "Replace it with the current marking the message names (most policies published to the public are OFFICIAL). "
    "Where the message names two, the owner decides by the content whether the handling caveat "
    "(OFFICIAL-SENSITIVE) or a higher classification is needed. Set classification in the front matter too.",
    "1.1. Not protectively marked.   <- use OFFICIAL",
    fixable="safe",
)
MISMATCH = Rule(
    "marking/mismatch",
    Severity.ERROR,
    "The marking stated in the body differs from the front matter classification (or from the body's first marking).",
    "The published header and footer carry the front matter's classification; a body that says otherwise leaves "
    "readers two answers to how the document must be handled.",
    "Make the body's marking and the front matter classification the same.",
    "classification: OFFICIAL\n1.1. OFFICIAL-SENSITIVE   <- mismatch",
)
RULES = (INVALID_CLASSIFICATION, LEGACY_MARKING, MISMATCH)

_LONGEST_STATEMENT = 80
"""A marking statement is short ('1.1. Not protectively marked.'); longer blocks are prose."""
_BARE = re.compile(
    r"^[ \t]*(?:\d+(?:\.\d+)*\.?[ \t]+)?"
    r"(?P<label>(?:(?:protective|security)[ \t]+)?(?:marking|classification)[ \t]*[:–—-][ \t]*)?"
    r"(?P<emphasis>\*{1,2}|_{1,2})?(?P<marking>[^*_\n]+?)(?P=emphasis)?[ \t]*\.?[ \t]*$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[\s_\-–—]+")
_STAMP_EDGE = " \t|·•:–—-"
"""What may stand between a stamped marking and the edge of its line ("OFFICIAL | Page 2")."""
_APPLIED = re.compile(
    r"(?:\b(?:must|should|shall|will|are\s+to|is\s+to)\s+be\s+|^[ \t]*|:[ \t]*)marked\s+(?:as\s+)?$", re.IGNORECASE
)
"""Words that apply the marking after them: an instruction ("files must be marked RESTRICTED") or a value
("Personnel files: marked RESTRICTED"); not an account of the old scheme ("material marked RESTRICTED then")."""
_APPLIED_WINDOW = 40
"""Characters before a marking that :data:`_APPLIED` may need ("files must be marked as ")."""


@dataclass(frozen=True, slots=True)
class Options:
    markings: tuple[str, ...]
    legacy: tuple[Mapping[str, str], ...] = ()
    """Each ``{marking, use, alternative}``, turned at once into a :class:`Legacy`."""
    section_titles: tuple[str, ...] = ()
    section_terms: tuple[str, ...] = ()


@functools.lru_cache(maxsize=4096)
def canonical(text: str) -> str:
    """A marking as compared for near misses: case, spaces, hyphens and dashes ignored."""
    return _SEPARATORS.sub(" ", text.strip()).upper()


@dataclass(frozen=True, slots=True)
class Legacy:
    marking: str
    use: str
    alternative: str | None = None

    def advice(self) -> str:
        if self.alternative is None:
            return f"use '{self.use}'"
        return f"use '{self.use}', or '{self.alternative}' if its content needs it: the owner decides by the content"


@dataclass(frozen=True, slots=True)
class Statement:
    text: str
    position: Position
    own: bool = True
    """Whether it marks the document itself; a marking words apply to something else ("records must be
    marked OFFICIAL-SENSITIVE") is reported when it is a legacy one, but is no mismatch and is not fixed."""


@dataclass(frozen=True, slots=True)
class ProtectiveMarking:
    markings: tuple[str, ...]
    legacy: Mapping[str, Legacy]
    """Legacy marking, canonical (see :func:`canonical`) -> its entry."""
    sections: Titles
    """The headings of the section that states the marking, and the labels of a field that does."""
    in_sentence: Pattern | None = None
    """Markings as found inside the marking section's sentences: legacy phrases in any case, single words only in capitals."""
    rules: tuple[Rule, ...] = RULES

    def current(self, text: str) -> str | None:
        """The current marking ``text`` spells, case and separators ignored."""
        wanted = canonical(text)
        return next((marking for marking in self.markings if canonical(marking) == wanted), None)

    def legacy_of(self, text: str) -> Legacy | None:
        return self.legacy.get(canonical(text))

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        stated, findings = self._front_matter(document)
        yield from findings
        classification = stated[0] if stated is not None else None
        for statement in self._body_statements(document):
            legacy = self.legacy_of(statement.text)
            if legacy is not None:
                fix = _legacy_fix(document, statement, classification) if classification and statement.own else None
                yield self._legacy(statement, legacy, fix)
                continue
            marking = self.current(statement.text)
            if marking is None or not statement.own:
                continue
            if stated is None:
                stated = (marking, statement, "the body's first marking")
            elif marking != stated[0]:
                yield self._mismatch(statement, marking, stated)

    def _front_matter(self, document: Document) -> tuple[tuple[str, Statement, str] | None, list[Finding]]:
        value = document.meta.get("classification")
        if not isinstance(value, str) or not value.strip() or document.front_matter is None:
            return None, []
        statement = Statement(value.strip(), document.front_matter.value_position_of(("classification",)))
        marking = self.current(value)
        stated = (marking, statement, "the front matter classification") if marking else None
        if value.strip() in self.markings:
            return stated, []
        legacy = self.legacy_of(value)
        if legacy is not None:
            advice = f"it is a Government Protective Marking Scheme marking: {legacy.advice()}"
        elif marking is not None:
            advice = f"write '{marking}'"
        else:
            advice = f"use one of {', '.join(self.markings)}"
        message = f"classification '{value}' is not a marking of the Government Security Classifications: {advice}"
        findings = [Finding(INVALID_CLASSIFICATION.id, statement.position.line, statement.position.column, message)]
        if legacy is not None:
            findings.append(self._legacy(statement, legacy))
        return stated, findings

    def _legacy(self, statement: Statement, legacy: Legacy, fix: Fix | None = None) -> Finding:
        message = (
            f"legacy marking '{statement.text}' (Government Protective Marking Scheme, replaced on 2 April 2014): "
            f"{legacy.advice()}"
        )
        position = statement.position
        return Finding.spanning(LEGACY_MARKING.id, position.line, position.column, statement.text, message, fix=fix)

    def _mismatch(self, statement: Statement, marking: str, stated: tuple[str, Statement, str]) -> Finding:
        expected, where, what = stated
        message = (
            f"the body marks the document '{statement.text}' but {what} is '{where.text}': make them the same"
        )
        related = (Related(where.position.line, where.position.column, what),)
        return Finding(MISMATCH.id, statement.position.line, statement.position.column, message, related=related)

    def _body_statements(self, document: Document) -> Iterator[Statement]:
        """Marking statements of the body in file order, each place read once."""
        found: dict[Position, Statement] = {}
        header_end = len(document.lines) + 1
        in_section: set[int] = set()
        for section in document.all_sections():
            heading = self._heading(section.title, section.line, document.lines)
            if heading is not None and section.line < header_end:
                found.setdefault(heading.position, heading)
            elif section.line < header_end:
                header_end = section.line
            if self.sections.matches(section.key):
                in_section.update(id(block) for block in (*section.paragraphs, *section.list_items))
        for block in document.prose():
            for statement in self._in_block(document, block, id(block) in in_section, block.line < header_end):
                found.setdefault(statement.position, statement)
        for statement in self._stated_elsewhere(document):
            found.setdefault(statement.position, statement)
        return iter(sorted(found.values(), key=lambda statement: statement.position))

    def _in_block(self, document: Document, block: Paragraph | ListItem, marking_section: bool, header: bool) -> Iterator[Statement]:
        statement, labelled = self._whole_block(document, block)
        if statement is not None and (marking_section or labelled or header):
            yield statement
        elif marking_section:
            yield from self._within(document, block)
        else:
            yield from self._stamps(document, block)

    def _stamps(self, document: Document, block: Paragraph | ListItem) -> Iterator[Statement]:
        """A marking a sentence applies ("files are marked RESTRICTED") and, in paragraphs, a marking in
        capitals that stamps a short line: a running header ("NOT PROTECTIVELY MARKED  Page 2 of 3",
        "Version 1.01 OFFICIAL"). A list of the classifications ("- SECRET") stamps nothing."""
        if self.in_sentence is None or self.in_sentence.search(block.text) is None:
            return  # most blocks name no marking: one search of the block, not one per line
        offset = 0
        for line in block.text.split("\n"):
            short = isinstance(block, Paragraph) and len(line.strip()) <= _LONGEST_STATEMENT
            for match in self.in_sentence.finditer(line):
                stamp = short and _stamps(line, match)
                if stamp or _applied(line, match.start()):
                    position = document.position_in(block.line, block.text, offset + match.start())
                    yield Statement(match.group(), position, own=stamp)
            offset += len(line) + 1

    def _stated_elsewhere(self, document: Document) -> Iterator[Statement]:
        """Fields labelled as a marking (a cover-table row, a labelled line, the footer) and table cells
        that are nothing but a marking in capitals."""
        for field in document.fields():
            if self.sections.matches(field.key):
                statement = self._value(field.value, field.value_position, document)
                if statement is not None:
                    yield statement
        for table in document.tables:
            for row in table.rows:
                for cell in row:
                    match = _BARE.match(cell.text)
                    if match and match["marking"].isupper() and self._is_marking(match["marking"]):
                        column = cell.column + match.start("marking")
                        yield Statement(match["marking"], Position(cell.line, column))

    def _value(self, value: str, position: Position, document: Document) -> Statement | None:
        """A field's value as a marking statement: all of it ("Not protectively marked"), or the marking
        it starts with ("OFFICIAL – No restrictions")."""
        match = _BARE.match(value)
        if match is not None and self._is_marking(match["marking"]):
            return Statement(match["marking"], Position(position.line, position.column + match.start("marking")))
        first = self.in_sentence.search(value) if self.in_sentence is not None else None
        if first is None or value[: first.start()].strip(_STAMP_EDGE):
            return None
        return Statement(first.group(), Position(position.line, position.column + first.start()))

    def _whole_block(self, document: Document, block: Paragraph | ListItem) -> tuple[Statement | None, bool]:
        """The block as a marking statement, if it is nothing but a marking, and whether it is labelled ('Classification:')."""
        if len(block.text) > _LONGEST_STATEMENT:
            return None, False
        match = _BARE.match(block.text)
        if match is None or not self._is_marking(match["marking"]):
            return None, False
        position = document.position_in(block.line, block.text, match.start("marking"))
        return Statement(match["marking"], position), match["label"] is not None

    def _heading(self, title: str, line: int, lines: list[str]) -> Statement | None:
        """A heading that is only a marking (a page header written as a heading)."""
        match = _BARE.match(title)
        if match is None or not self._is_marking(match["marking"]):
            return None
        text = match["marking"]
        column = lines[line - 1].find(text) + 1 if line - 1 < len(lines) else 1
        return Statement(text, Position(line, max(column, 1)))

    def _within(self, document: Document, block: Paragraph | ListItem) -> Iterator[Statement]:
        if self.in_sentence is None:
            return
        for match in self.in_sentence.finditer(block.text):
            yield Statement(match.group(), document.position_in(block.line, block.text, match.start()))

    def _is_marking(self, text: str) -> bool:
        return self.current(text) is not None or self.legacy_of(text) is not None


def _legacy_fix(document: Document, statement: Statement, classification: str) -> Fix | None:
    """The body's legacy marking replaced by the current one the front matter states: safe, since the
    front matter is what the published header and footer print."""
    line, column = statement.position.line, statement.position.column
    source = document.lines[line - 1] if line - 1 < len(document.lines) else ""
    if source[column - 1 : column - 1 + len(statement.text)] != statement.text:
        return None  # not written as read (a marking across a line break): leave it to a person
    edit = Edit(line, column, line, column + len(statement.text), classification)
    return Fix(f"write {classification}, the front matter classification, for '{statement.text}'", (edit,), safe=True)


def _stamps(line: str, match: re.Match[str]) -> bool:
    """Whether a marking found in ``line``, a short line, stamps it: in capitals, at one end of a line that
    is no sentence."""
    if not match.group().isupper() or line.rstrip().endswith("."):
        return False
    return not line[: match.start()].strip(_STAMP_EDGE) or not line[match.end() :].strip(_STAMP_EDGE)


def _applied(line: str, start: int) -> bool:
    """Whether the words before ``start`` apply the marking there (see :data:`_APPLIED`); only the words just
    before it are read, so that a paragraph of many markings is read in linear time."""
    before = line[:start] if start <= _APPLIED_WINDOW else "…" + line[start - _APPLIED_WINDOW : start]
    return _APPLIED.search(before) is not None


def build(options: Mapping[str, Any]) -> ProtectiveMarking:
    given = options_of(Options, options)
    entries = [Legacy(entry["marking"], entry["use"], entry.get("alternative")) for entry in given.legacy]
    titles = Titles.of(given.section_titles, given.section_terms)
    markings = given.markings
    return ProtectiveMarking(
        markings,
        {canonical(entry.marking): entry for entry in entries},
        titles,
        sentence_pattern(markings, [entry.marking for entry in entries]),
    )


def sentence_pattern(markings: tuple[str, ...], legacy: list[str]) -> Pattern | None:
    """One pattern for markings inside a sentence, longest first (OFFICIAL-SENSITIVE before OFFICIAL)."""
    alternatives = [(marking, _words(marking)) for marking in markings]
    for marking in legacy:
        words = _words(marking)
        alternatives.append((marking, f"(?i:{words})" if len(marking.split()) > 1 else _words(marking.upper())))
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=lambda item: -len(item[0]))
    return compile_pattern(rf"(?<![\w-])(?:{'|'.join(pattern for _, pattern in ordered)})(?![\w-])", 0)


def _words(marking: str) -> str:
    return r"[\s\-–—]+".join(re.escape(word) for word in _SEPARATORS.split(marking.strip()) if word)

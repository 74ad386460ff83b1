"""acronyms: every acronym is spelled out in full at its first use, and only there.

An acronym is a word of two or more capital letters, perhaps with digits or
"&", written alone or with a plural, possessive or hyphenated ending: "CT",
"APP", "A&E", "PCSOs", "PCSO's", "PCSO-led". These are not acronyms:

- a word listed in ``capital_words`` (protective markings such as OFFICIAL
  and RESTRICTED, DRAFT, emphasis such as NOT);
- a word of a run of capitals: three or more words in capitals together, or
  two of which one is listed in ``capital_words``, is a small word such as OF
  or AND, or is five letters or longer ("NOT PROTECTIVELY MARKED",
  "OFFICIAL-SENSITIVE", "TOP SECRET"); and every word of a text with no
  small letters at all (a heading in capitals);
- a roman numeral (II, IV, XII), an id as ``id_pattern`` reads one (O38,
  W1000, SDV047) and the document's own id;
- what is written in a code span, a web address or a link's target;
- a label in capitals that begins a line ("AUTHOR: Head of Learning").

Ordinals and units written on their number ("1ST", "10MB") are not words
in capitals at all; units written apart ("10 MB") are listed in ``allowed``.

A definition spells the acronym out next to it, in either order, or in a
glossary line: "Police Community Support Officer (PCSO)", "PCSO (Police
Community Support Officer)", "police community support officers (PCSOs)",
"UK General Data Protection Regulation (UK GDPR)", and a line that begins
"PCSO – Police Community Support Officer" or "APP: Authorised Professional
Practice". The initials of the full term must spell the acronym, loosely: each
part of a hyphenated word gives its letter ("anti-social behaviour (ASB)",
"Counter-Terrorism (CT)"), a compound word may give two ("pocket notebook (PNB)"),
and small words ("of", "and", "the", "for") and "Act" may give no letter
("the Police and Criminal Evidence Act 1984 (PACE)"); an acronym listed in
``known`` is also defined by its full term as listed. Anything else in
brackets ("(see the PCSO handbook)", "nuisance (ASB)") is not a definition.

Every text is read, in file order: the title, headings, paragraphs, list
items and footer values. ``terminology/undefined-acronym`` (warning) is
reported at the first use of an acronym that is never spelled out, with the
full term to write for one listed in ``known``; and at the first use in a
paragraph or list item that comes before the definition (the same paragraph
included), with the definition in ``related`` (a heading, the title or the
footer may name an acronym the text spells out later). ``allowed`` acronyms,
which every reader knows (UK, NHS, CCTV), never need a definition.
``terminology/redefined-acronym`` (info) is reported at a second definition
in a paragraph or list item, with the first in ``related`` (a heading may
repeat the definition the text gives).

Options::

    known:
      PCSO: Police Community Support Officer
      ASB: anti-social behaviour
    allowed: [UK, IT]
    capital_words: [OFFICIAL, RESTRICTED, DRAFT, NOT]
    id_pattern: '\\b[A-Z]{1,3}\\d{1,5}\\b'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.diagnostics import Finding, Position, Related, Severity
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document, PositionOf
from pcso_policy.rules import Rule

KIND = "acronyms"

UNDEFINED = Rule(
    "terminology/undefined-acronym",
    Severity.WARNING,
    "An acronym is used before it is spelled out in full, or never spelled out.",
    "Policies are read by the public and by new staff; an acronym they have not been told the meaning of is a "
    "barrier, and accessibility guidance asks for every abbreviation to be expanded at first use.",
    "Spell it out at its first use, 'Police Community Support Officer (PCSO)', and use the acronym alone after that.",
    "2.1. Update to PCSO role types.   <- PCSO is only spelled out in 3.2",
)
REDEFINED = Rule(
    "terminology/redefined-acronym",
    Severity.INFO,
    "An acronym is spelled out in full a second time.",
    "Defining once, at first use, keeps the text short and shows readers where the term was introduced.",
    "Keep the first definition and write the acronym alone at the later place.",
    "4.1. ... Police Community Support Officer (PCSO) ...   <- already defined in 3.2",
)
RULES = (UNDEFINED, REDEFINED)

DEFAULT_ID_PATTERN = r"\b[A-Z]{1,3}\d{1,5}\b"


@dataclass(frozen=True, slots=True)
class Options:
    known: Mapping[str, str] = field(default_factory=dict)
    allowed: tuple[str, ...] = ()
    capital_words: tuple[str, ...] = ()
    id_pattern: str = DEFAULT_ID_PATTERN

# Two capitals or more, perhaps with digits or '&' after the first ("A&E", "MI5"). The look-behind follows
# the first capital, so that re skips straight to capitals instead of testing the look-behind at every position.
_USE = re.compile(r"(?P<acronym>[A-Z](?<![\w&][A-Z])[0-9&]*[A-Z](?:[A-Z0-9&]*[A-Z0-9])?)(?=(?:s|'s|’s)?(?![\w&]))")
_DEFINITION = re.compile(
    r"\(\s*[\"'“‘]?(?:[A-Z][A-Za-z0-9&]*\s+)?(?P<acronym>[A-Z][A-Za-z0-9&]*[A-Z0-9])(?:s|'s|’s)?[\"'”’]?\s*\)"
)
"""The acronym in brackets after its full term: "(PCSO)", "(PCSOs)", "(DfE)", "(“CT”)", and after a word the
full term begins with: "UK General Data Protection Regulation (UK GDPR)"."""
_FULL_TERM_AFTER = re.compile(r"s?[ \t]*\((?P<term>[A-Za-z][^()\n]{0,150})\)")
"""The full term in brackets after the acronym, matched where the acronym ends: "PCSO (Police ... Officer)"."""
_GLOSSARY_AFTER = re.compile(r"[*_]*[ \t]*(?P<mark>[:=–—-])[ \t]*(?P<term>[A-Za-z][^\n.;:,()]{0,150})?")
"""What follows an acronym that begins a line of a glossary ("PCSO – Police Community Support Officer",
"**APP**: Authorised Professional Practice") or a label ("AUTHOR: Head of Learning")."""
_LINE_START = frozenset(" \t*_")
"""What may stand before an acronym at the start of a line (indentation, emphasis)."""
_LITERAL = re.compile(
    r"(?P<ticks>`{1,3})(?!`)[^`]{1,500}(?P=ticks)(?!`)"  # a code span (bounded: a lone backtick costs no more)
    r"|<!--.{0,1000}?-->"
    r"|\]\([^)\s]*"  # a link's target
    r"|<[A-Za-z][A-Za-z0-9+.-]*:[^>\s]*>"  # an autolink
    r"|(?:https?://|www\.)[^\s)>\]]*",
    re.DOTALL,
)
"""What is written for a machine to read, not a reader: its capitals are not acronyms."""
_LITERAL_MARKS = ("`", "<", "](", "://", "www.")
"""What every literal holds: most texts have none, and need no search for one."""
_TWO_CAPITALS = re.compile(r"[A-Z][0-9&]*[A-Z]")
"""What every use of an acronym holds (see ``_USE``): most texts have none, and need no closer reading."""
_RUN_GAP = re.compile(r"[\s\-–—/]+(?:[A-Z][\s\-–—/]+)*")
"""What may stand between two words of a run of capitals: spaces, dashes or slashes, and single capitals."""
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
"""Roman numerals to 39, as documents number parts and schedules; numerals of C, D, L and M are also police
ranks and roles (DC, DI, DCI, CC), which must be spelled out."""
_WORD = re.compile(r"[A-Za-z][\w'’]*")
_SKIPPABLE = frozenset({"of", "and", "the", "for", "in", "to", "on", "a", "an", "&", "act"})
"""Words that may give no letter: small words, and "Act" after the words of a title ("... Evidence Act 1984 (PACE)")."""
_SMALL_WORDS = frozenset({"OF", "AND", "THE", "FOR", "IN", "TO", "ON", "AN", "OR", "BY", "AT", "IS", "BE", "WITH"})
"""Words that make a run of capitals English, not acronyms ("FOR INFORMATION", "AND/OR")."""
_LONGEST_IN_RUN = 4
"""Letters of the longest word two words of capitals may have and still be read as two acronyms ("UK GDPR")."""


@dataclass(frozen=True, slots=True)
class Place:
    acronym: str
    position: Position


@dataclass(frozen=True, slots=True)
class Event:
    """A definition or a use of an acronym at an offset of a text."""

    offset: int
    acronym: str
    defines: bool


@dataclass(slots=True)
class _Reading:
    """What a document's texts have shown so far, in file order."""

    definitions: dict[str, Place] = field(default_factory=dict)
    """The first definition of each acronym, wherever it is written."""
    prose_definitions: dict[str, Place] = field(default_factory=dict)
    first_uses: dict[str, Place] = field(default_factory=dict)
    early_uses: dict[str, Place] = field(default_factory=dict)
    """The first use in a paragraph or list item that comes before any definition."""


@dataclass(frozen=True, slots=True)
class Acronyms:
    known: Mapping[str, str]
    allowed: frozenset[str]
    capital_words: frozenset[str] = frozenset()
    id_pattern: re.Pattern[str] = re.compile(DEFAULT_ID_PATTERN)
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        own_id = _own_id(document)
        reading = _Reading()
        for position_of, text, prose in _texts(document):
            for event in self.events(text, own_id):
                place = Place(event.acronym, position_of(event.offset))
                if event.defines:
                    yield from _define(reading, place, prose)
                elif event.acronym not in self.allowed:
                    reading.first_uses.setdefault(event.acronym, place)
                    if prose and event.acronym not in reading.definitions:
                        reading.early_uses.setdefault(event.acronym, place)
        yield from self._undefined(reading)

    def events(self, text: str, own_id: str | None = None) -> list[Event]:
        """Definitions and uses in ``text`` in order; a definition's own acronym is not a use."""
        bracketed = "(" in text  # every definition in brackets holds one (see ``_DEFINITION``)
        if not bracketed and _TWO_CAPITALS.search(text) is None:
            return []
        if text.isupper():  # no small letter in it: a heading or a marking in capitals
            return []
        found: list[Event] = []
        starts: list[int] = []
        ends: list[int] = []
        for match in _DEFINITION.finditer(text) if bracketed else ():
            if self.defines(text, match["acronym"], match.start()):
                found.append(Event(match.start("acronym"), match["acronym"], True))
                starts.append(match.start())
                ends.append(match.end())
        words = list(_USE.finditer(text))
        if not words:
            return found
        if starts:
            words = [match for match in words if not _inside(starts, ends, match.start())]
        found.extend(self._uses(text, words, own_id))
        return sorted(found, key=lambda event: event.offset) if starts else found

    def _uses(self, text: str, words: list[re.Match[str]], own_id: str | None) -> Iterator[Event]:
        """The uses and the definitions by a full term after the acronym among the words in capitals."""
        starts, ends = _spans(text, own_id, self.id_pattern)
        if starts:
            words = [match for match in words if not _inside(starts, ends, match.start())]
        capitals = self._in_runs(text, words)
        for match in words:
            acronym = match["acronym"]
            if match.start() in capitals or acronym in self.capital_words or _ROMAN.fullmatch(acronym):
                continue
            if _starts_line(text, match.start()):
                glossary = _GLOSSARY_AFTER.match(text, match.end())
                if glossary is not None and glossary["term"] and self.spelled_after(glossary["term"], acronym, True):
                    yield Event(match.start(), acronym, True)
                    continue
                if glossary is not None and glossary["mark"] == ":":  # a label in capitals, "AUTHOR: ..."
                    continue
            after = _FULL_TERM_AFTER.match(text, match.end())
            yield Event(match.start(), acronym, after is not None and self.spelled_after(after["term"], acronym))

    def _in_runs(self, text: str, words: Sequence[re.Match[str]]) -> set[int]:
        """The starts of the words that stand in a run of capitals (which are not acronyms)."""
        in_runs: set[int] = set()
        run: list[re.Match[str]] = []
        for match in [*words, None]:
            if match is not None and run and _RUN_GAP.fullmatch(text, run[-1].end(), match.start()):
                run.append(match)
                continue
            if len(run) > 1 and self._shouted(run):
                in_runs.update(word.start() for word in run)
            run = [match] if match is not None else []
        return in_runs

    def _shouted(self, run: Sequence[re.Match[str]]) -> bool:
        if len(run) > 2:
            return True
        for match in run:
            word = match["acronym"]
            if word in self.capital_words or word in _SMALL_WORDS or len(word) > _LONGEST_IN_RUN:
                return True
        return False

    def defines(self, before: str, acronym: str, end: int | None = None) -> bool:
        """Whether ``before`` (up to ``end``) ends with the words ``acronym`` stands for: initials, or its
        full term in ``known``.

        Only the end of the text is read, never a copy of all of it: a paragraph of 20,000 definitions
        would otherwise be copied and read once for each.
        """
        end = len(before) if end is None else end
        if spells(_last_words(before, 2 * len(acronym) + 2, end), acronym):  # the most words spells() reads
            return True
        full = self.known.get(acronym)
        if full is None:
            return False
        term = _normalise(full)
        words = _normalised_end(before, end, len(term) + 1)
        return words.endswith(term) or words.endswith(term + "s")

    def spelled_after(self, term: str, acronym: str, opening: bool = False) -> bool:
        """Whether ``term``, written after ``acronym``, is its full term: all of it (in brackets) or, ``opening``,
        its first words (in a glossary, where a description may follow)."""
        if spells(term, acronym, whole=not opening, from_start=opening):
            return True
        full = self.known.get(acronym)
        if full is None:
            return False
        written, wanted = _normalise(term), _normalise(full)
        if opening:
            return written.startswith(wanted)
        return written in (wanted, wanted + "s")

    def _undefined(self, reading: _Reading) -> Iterator[Finding]:
        for acronym, use in reading.first_uses.items():
            definition = reading.definitions.get(acronym)
            early = reading.early_uses.get(acronym)
            if definition is None:
                yield Finding.spanning(UNDEFINED.id, use.position.line, use.position.column, acronym, self._never(acronym))
            elif early is not None:
                message = (
                    f"'{acronym}' is used before it is spelled out on line {definition.position.line}: "
                    "move the definition to this first use"
                )
                related = (Related(definition.position.line, definition.position.column, f"'{acronym}' is defined here"),)
                yield Finding.spanning(UNDEFINED.id, early.position.line, early.position.column, acronym, message, related)

    def _never(self, acronym: str) -> str:
        if acronym in self.known:
            return f"'{acronym}' is never spelled out: write '{self.known[acronym]} ({acronym})' at its first use"
        return (
            f"'{acronym}' is never spelled out: write its full term followed by '({acronym})' at its first use "
            "(or, if every reader knows it, list it in allowed in checks/terminology.yaml)"
        )


def _define(reading: _Reading, place: Place, prose: bool) -> Iterator[Finding]:
    """Record a definition; a second one in the text is reported (a heading may repeat the text's)."""
    reading.definitions.setdefault(place.acronym, place)
    if not prose:
        return
    first = reading.prose_definitions.get(place.acronym)
    if first is None:
        reading.prose_definitions[place.acronym] = place
        return
    message = f"'{place.acronym}' is spelled out again; it was defined on line {first.position.line}: write '{place.acronym}' alone"
    related = (Related(first.position.line, first.position.column, f"'{place.acronym}' is first defined here"),)
    yield Finding(REDEFINED.id, place.position.line, place.position.column, message, related=related)


def _texts(document: Document) -> Iterator[tuple[PositionOf, str, bool]]:
    """The title and every text of the document in file order, each with whether it is a paragraph or a
    list item (headings and footer values may name an acronym before the text spells it out)."""
    prose = document.prose()
    next_prose = 0  # texts() holds the paragraphs' and list items' own texts, in the order prose() gives them
    title = document.title_text()
    title_line = title[0](0).line if title else 0
    for position_of, text in document.texts():
        if title is not None and title_line < position_of(0).line:
            yield title[0], title[1], False
            title = None
        is_prose = next_prose < len(prose) and text is prose[next_prose].text
        next_prose += is_prose
        yield position_of, text, is_prose
    if title is not None:
        yield title[0], title[1], False


def _spans(text: str, own_id: str | None, id_pattern: re.Pattern[str]) -> tuple[list[int], list[int]]:
    """The starts and ends, in order, of what is not an acronym however it is written: literals, ids, the own id."""
    spans = [match.span() for match in _LITERAL.finditer(text)] if _may_hold_literal(text) else []
    for match in id_pattern.finditer(text):
        spans.append(match.span())
    if own_id:
        at = text.find(own_id)
        while at >= 0:
            spans.append((at, at + len(own_id)))
            at = text.find(own_id, at + len(own_id))
    spans.sort()
    starts: list[int] = []
    ends: list[int] = []
    for start, end in spans:
        if ends and start < ends[-1]:  # overlapping spans are merged, so that one search finds the holder
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _may_hold_literal(text: str) -> bool:
    for mark in _LITERAL_MARKS:
        if mark in text:
            return True
    return False


def _starts_line(text: str, offset: int) -> bool:
    """Whether only indentation or emphasis stands between the start of its line and ``offset`` (read
    back a few characters only: a long line is not read again for each word in it)."""
    head = text[max(0, offset - 8) : offset]
    if "\n" in head:
        head = head[head.rindex("\n") + 1 :]
    elif offset > 8:
        return False
    return all(character in _LINE_START for character in head)


def _inside(starts: list[int], ends: list[int], offset: int) -> bool:
    """Whether ``offset`` falls in one of the spans (in order, not overlapping) that ``starts`` and ``ends`` give."""
    index = bisect.bisect_right(starts, offset) - 1
    return index >= 0 and offset < ends[index]


def _own_id(document: Document) -> str | None:
    value = document.meta.get("id")
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return None
    return str(value).strip() or None


def _last_words(text: str, count: int, end: int | None = None) -> str:
    """The end of ``text`` (up to ``end``) holding its last ``count`` words whole (a definition is read
    from there back, so the text before a bracket need not be read from the start of a long paragraph)."""
    end = len(text) if end is None else end
    size = 16 * (count + 2)
    while size < end:
        tail = text[end - size : end]
        if len(_WORD.findall(tail)) > count:  # the first word may be cut in two: it is not among the last
            return tail
        size *= 4
    return text[:end]


def _normalised_end(text: str, end: int, length: int) -> str:
    """The end of ``_normalise(text[:end])``, at least ``length`` characters of it where the text has them.

    Normalising a piece of the text that ends at ``end`` gives an end of what normalising all of it
    gives: case and apostrophes are folded character by character, and white space is collapsed
    within the piece as within the whole (a word cut in two at the piece's start is only shorter).
    """
    size = 2 * length + 16
    while size < end:
        normalised = _normalise(text[end - size : end])
        if len(normalised) >= length:
            return normalised
        size *= 4
    return _normalise(text[:end])


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


def spells(words: str, acronym: str, whole: bool = False, from_start: bool = False) -> bool:
    """Whether the initials of ``words`` spell ``acronym``: of the words ending the text, of the words
    beginning it (``from_start``), or of all of them (``whole``).

    A small word may give its letter or none; the parts of a hyphenated word are words of their own
    ("anti-social" gives AS, "Counter-Terrorism" CT); a compound word may give the initial of its
    second part too ("pocket notebook (PNB)").
    """
    found = _WORD.findall(words)  # a word holds no hyphen: "anti-social" is two
    most = 2 * len(acronym) + 2  # more words than an acronym's letters can spell, small words skipped
    if not whole:
        found = found[:most] if from_start else found[-most:]
    letters = [letter for letter in acronym.upper() if letter.isalpha()]
    if not from_start:  # read from the last word back
        found.reverse()
        letters.reverse()
    wanted = len(letters)
    # Each state is how many of the acronym's letters the words read so far spell.
    states = {0}
    for word in found:
        states = _spelled_with(states, word, letters, from_start)
        if wanted in states and not whole:
            return True
        if not states:
            return False
    return wanted in states


def _spelled_with(states: set[int], word: str, letters: list[str], from_start: bool) -> set[int]:
    """The states ``word`` leads to from ``states``: it gives its initial, or (compound) its initial and
    an inner one, or (a small word) nothing."""
    initial = word[0].upper()
    optional = word.casefold() in _SKIPPABLE
    inner: str | None = None  # worked out only when the word's initial is the first of two letters
    spelled: set[int] = set()
    for count in states:
        if optional:
            spelled.add(count)
        if count < len(letters) and letters[count] == initial:
            spelled.add(count + 1)
        if count + 1 < len(letters):
            first, second = (letters[count], letters[count + 1]) if from_start else (letters[count + 1], letters[count])
            if first == initial:
                if inner is None:
                    inner = _inner_initials(word)
                if second in inner:
                    spelled.add(count + 2)
    return spelled


def _inner_initials(word: str) -> str:
    """The letters that may begin the second part of a compound word: three letters in, and three from its end."""
    return word[3:-2].upper()


def build(options: Mapping[str, Any]) -> Acronyms:
    given = options_of(Options, options)
    return Acronyms(
        known=dict(given.known),
        allowed=frozenset(given.allowed),
        capital_words=frozenset(given.capital_words),
        id_pattern=re.compile(given.id_pattern),
    )

"""alignment: sections that reproduce a national text say which version, and still match it.

A policy declares in its front matter which of its sections reproduce a
national reference text kept in ``references/`` (see ``references/README.md``)::

    aligns_with:
      - source: college-of-policing/pcso-role-and-purpose
        version: "2022-06-06"
        section: "4.3"

``section`` is a numbered paragraph (``4.3.``) whose list follows it, or a
numbered heading (``## 4. Policy``) and the list directly under it. Its
top-level list items are compared with the reference items of the declared
version, word by word: punctuation, curly or straight quotes, dash styles,
white space and (with ``ignore_case``) letter case do not count.

Matching (``pcso_policy/drift.py``) pairs identical points first, then finds
a local point that merges several national ones (in any order, one of them
possibly cut short: at least ``fragment_words`` of its words in a row, beside
a point the local one contains) and a national point split over consecutive
local points, then pairs the rest most similar first: a
pair is *reworded* when its word similarity ratio (difflib) reaches
``reworded``, or when ``contained`` of one point's words stand in order in the
other (a truncated or extended point). So one change gives one finding, never
"missing" plus "extra". Unpaired national points are missing, unpaired local
points are extra; points outside the longest run in national order are
reordered.

A declared version older than the newest one registered is stale, and so is
a date the section's own text gives the national text ("defined by College
of Policing, updated in June 2022") that disagrees with the declared
version: a phrase of ``date_statements.version`` (or ``first_published``)
directly followed by a date (optionally "in", "on", "of" between). Only the
aligned paragraph (or the paragraphs of the aligned heading) is read for it.
Month precision agrees with any day of that month.

Outside declared sections, a passage whose paragraphs or list items match at
least ``undeclared_min_points`` points of a registered text's current version
is an undeclared copy.

``pcso-policy align PATH`` prints the whole comparison point by point.

Options::

    reworded: 0.6              # similarity ratio from which a point is the national point reworded
    contained: 0.8             # share of words that makes one point stand inside another
    min_words: 3               # fewest words in common for containment to count
    fragment_words: 6          # fewest words in a row of a point cut short inside a merge
    ignore_case: true
    undeclared_min_points: 2
    date_statements:
      version: ['\\bupdated\\b', '\\brevised\\b']
      first_published: ['\\bfirst\\s+published\\b']
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pcso_policy.check import CheckContext
from pcso_policy.dates import find_dates, parse_iso
from pcso_policy.diagnostics import Finding, Position, Related, Severity
from pcso_policy.drift import Comparison, Pair, Thresholds, Words, compare, similarity, tokens, words
from pcso_policy.kinds.options import options_of
from pcso_policy.model import Document, ListItem, Paragraph, Section
from pcso_policy.patterns import Pattern, compile_pattern
from pcso_policy.references import FOLDER, Reference, References, version_order
from pcso_policy.rules import Rule

KIND = "alignment"

MISSING_ITEM = Rule(
    "alignment/missing-item",
    Severity.WARNING,
    "A point of the national text is missing from the section that declares it reproduces that text.",
    "A force that copies the College of Policing's list and silently drops a point tells its officers less than the "
    "national role says. A warning, not an error: a force may leave a point out on purpose, but it must be seen.",
    "Add the point where the message says, word for word (`pcso-policy align FILE` shows the whole list), or stop "
    "declaring in aligns_with that the section reproduces the national text.",
    "aligns_with: [{source: college-of-policing/pcso-role-and-purpose, version: \"2022-06-06\", section: \"4.3\"}]\n"
    "4.3. ... PCSOs should:   <- national point 8 'Respond to incidents of low-level offending ...' is missing",
    needs_front_matter=True,
)
MODIFIED_ITEM = Rule(
    "alignment/modified-item",
    Severity.WARNING,
    "A point reproduces a national point with different words, merges two points, splits one, or leaves part out.",
    "A section that claims to reproduce the national text but rewords it says something the College does not; "
    "readers trust the claim and cannot see the change. A warning: the text still exists and may be intended, "
    "but the declaration should be true.",
    "Copy the national wording (the message shows each difference as 'national' -> 'local'), keep merged or split "
    "points as the national text lists them, or remove the aligns_with declaration if the section is the force's own.",
    "- Be integrated into a neighbourhood policing team (usually geographic ...)\n"
    "  <- 'normally geographic' -> 'usually geographic'",
    needs_front_matter=True,
)
EXTRA_ITEM = Rule(
    "alignment/extra-item",
    Severity.INFO,
    "A point in an aligned section that is not in the national text.",
    "Local additions are allowed, but a reader of a list introduced as the College's text should be able to tell "
    "which points are the force's own.",
    "Nothing to fix if the addition is intended; otherwise move it out of the reproduced list or mark it as local.",
    "- Patrol on foot in the ward at least twice a week.   <- not a point of 'Role and purpose'",
    needs_front_matter=True,
)
REORDERED = Rule(
    "alignment/reordered",
    Severity.INFO,
    "The points of an aligned section stand in another order than in the national text.",
    "The order does not change what the points say, so this is information; keeping the national order makes the "
    "copy easy to compare when the national text changes.",
    "Move the point to where the message says the national text puts it.",
    "- Gather information and intelligence ...   <- national point 7 stands before point 6",
    needs_front_matter=True,
)
STALE_VERSION = Rule(
    "alignment/stale-version",
    Severity.WARNING,
    "A section is declared to reproduce an old version of a national text, or states a date that is not the declared version's.",
    "National guidance is revised; a copy of an old version goes on telling officers what the College no longer says, "
    "and a sentence that dates the national text differently from the declaration leaves readers unsure which they read.",
    "Compare with the current version (`pcso-policy align FILE`), update the section and the declared version, and "
    "make the section's own date for the national text agree with it.",
    "version: \"2019-07-01\"   <- '2022-06-06' is the current version of college-of-policing/pcso-role-and-purpose",
    needs_front_matter=True,
)
UNKNOWN_SOURCE = Rule(
    "alignment/unknown-source",
    Severity.ERROR,
    "aligns_with names a national text or version that is not in references/.",
    "The declaration cannot be checked at all, so a typing mistake would silently switch the alignment check off. "
    "An error, because the fix is always in the repository's own hands.",
    "Correct the source or version to one registered under references/, or add the text there as "
    "references/<publisher>/<source>/<version>.md (see references/README.md).",
    "source: college-of-policing/pcso-role-and-purpse   <- did you mean 'college-of-policing/pcso-role-and-purpose'?",
    needs_front_matter=True,
)
UNDECLARED = Rule(
    "alignment/undeclared",
    Severity.INFO,
    "A passage closely matches points of a registered national text but is not declared in aligns_with.",
    "An undeclared copy is not checked against the national text, so it can go stale unnoticed.",
    "Declare it in aligns_with with the source, version and section the message suggests.",
    "4.2. PCSOs should: - Gather information and intelligence ...   <- add aligns_with for section 4.2",
    needs_front_matter=True,
)
RULES = (MISSING_ITEM, MODIFIED_ITEM, EXTRA_ITEM, REORDERED, STALE_VERSION, UNKNOWN_SOURCE, UNDECLARED)

Block = tuple[Paragraph | ListItem, tuple[str, ...], Counter[str], frozenset[str]]
"""A paragraph or list item with its words, their counts and their set."""

_DATE_GAP = re.compile(r"[\s,:]*(?:(?:in|on|of|dated)\s+)?", re.IGNORECASE)
_THRESHOLDS = Thresholds()


@dataclass(frozen=True, slots=True)
class Options:
    reworded: float = _THRESHOLDS.reworded
    contained: float = _THRESHOLDS.contained
    min_words: int = _THRESHOLDS.min_words
    fragment_words: int = _THRESHOLDS.fragment_words
    ignore_case: bool = True
    undeclared_min_points: int = 2
    date_statements: Mapping[str, list[str]] = field(default_factory=dict)
    """Role (``version``, ``first_published``) -> its patterns."""


@dataclass(frozen=True, slots=True)
class Alignment:
    """One ``aligns_with`` entry resolved against the registry and the document."""

    index: int
    source: str
    version: str
    section: str
    reference: Reference | None
    current: Reference | None
    anchor: Paragraph | Section | None
    """The paragraph or heading the entry names; None when the document has no such section."""
    items: tuple[ListItem, ...] = ()
    comparison: Comparison | None = None


@dataclass(frozen=True, slots=True)
class AlignmentCheck:
    thresholds: Thresholds
    ignore_case: bool
    statements: Mapping[str, tuple[Pattern, ...]]
    undeclared_min_points: int
    rules: tuple[Rule, ...] = RULES
    _nationals_by_registry: dict[int, list[_National]] = field(default_factory=dict, compare=False, repr=False)

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        references = context.references()
        declared: set[int] = set()
        for alignment in self.alignments(document, references):
            yield from self._findings(document, alignment, references)
            if alignment.anchor is not None:
                declared.update(_lines_of(alignment.anchor))
        yield from self._undeclared(document, references, declared)

    def alignments(self, document: Document, references: References) -> list[Alignment]:
        entries = document.meta.get("aligns_with")
        if not isinstance(entries, list):
            return []
        found: list[Alignment] = []
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not all(isinstance(entry.get(key), str) for key in ("source", "version", "section")):
                continue
            source, version, section = entry["source"], entry["version"], entry["section"]
            reference, current = references.get(source, version), references.current(source)
            anchor, items = _find_section(document, section)
            comparison = None
            if reference is not None and anchor is not None:
                national = [words(item.text, self.ignore_case) for item in reference.items]
                local = [words(item.text, self.ignore_case) for item in items]
                comparison = compare(national, local, self.thresholds)
            found.append(Alignment(index, source, version, section, reference, current, anchor, items, comparison))
        return found

    def _findings(self, document: Document, alignment: Alignment, references: References) -> Iterator[Finding]:
        if alignment.reference is None:
            yield _unknown(document, alignment, references)
            return
        yield from self._staleness(document, alignment)
        if alignment.anchor is None:
            position = _entry_position(document, alignment, "section")
            message = (
                f"section '{alignment.section}' named in aligns_with is not in the document, so none of the "
                f"{len(alignment.reference.items)} points of {alignment.reference.describe()} can be found: "
                "correct the section number"
            )
            yield Finding(MISSING_ITEM.id, position.line, position.column, message)
            return
        assert alignment.comparison is not None
        yield from _pair_findings(document, alignment, alignment.comparison)

    def _staleness(self, document: Document, alignment: Alignment) -> Iterator[Finding]:
        reference, current = alignment.reference, alignment.current
        assert reference is not None and current is not None
        version_at = _entry_position(document, alignment, "version")
        if version_order(reference.version) < version_order(current.version):
            message = (
                f"aligns_with declares version {reference.version} of {reference.publisher} '{reference.title}', but the "
                f"current version is {current.version}: run 'pcso-policy align {document.path}' to see what changed, "
                f"then update section {alignment.section} and the declared version"
            )
            yield Finding(STALE_VERSION.id, version_at.line, version_at.column, message)
        if alignment.anchor is None:
            return
        stated = {"version": reference.version, "first_published": reference.first_published}
        for line, text in _anchor_texts(alignment.anchor):
            seen: set[int] = set()
            for role, found in self._stated_dates(text):
                expected = parse_iso(stated.get(role))
                if expected is None or expected.same_as(found.date) or found.start in seen:
                    continue
                seen.add(found.start)
                position = document.position_in(line, text, found.start)
                name = f"{reference.publisher} '{reference.title}'"
                if role == "version":
                    message = (
                        f"'{found.text}' does not date the declared version of {name}, which is of {expected} "
                        f"(aligns_with version {reference.version}): correct the date or the declared version"
                    )
                else:
                    message = f"'{found.text}' is not when {name} was first published ({expected}): correct the date"
                related = (Related(version_at.line, version_at.column, f"version {reference.version} declared here"),)
                yield Finding(STALE_VERSION.id, position.line, position.column, message, related=related)

    def _stated_dates(self, text: str) -> Iterator[tuple[str, Any]]:
        dates = find_dates(text)
        for role, patterns in self.statements.items():
            for pattern in patterns:
                for match in pattern.finditer(text):
                    following = next((found for found in dates if found.start >= match.end()), None)
                    if following is not None and _DATE_GAP.fullmatch(text, match.end(), following.start):
                        yield role, following

    def _undeclared(self, document: Document, references: References, declared: set[int]) -> Iterator[Finding]:
        candidates: list[tuple[Paragraph | ListItem, tuple[str, ...]]] = []
        for block in document.prose():
            if block.line not in declared:
                found = tokens(block.text, self.ignore_case)
                if len(found) >= self.thresholds.min_words:
                    candidates.append((block, found))
        if not candidates:
            return
        pairs = [_word_pairs(found) for _, found in candidates]
        prepared: dict[int, Block] = {}
        for national in self._nationals(references):
            near = national.near(pairs)
            if len(near) < self.undeclared_min_points:
                continue
            matched: dict[int, Paragraph | ListItem] = {}
            for item_index, positions in sorted(near.items()):
                blocks = [_prepared(prepared, position, candidates) for position in positions]
                match = self._first_match(*national.items[item_index], blocks)
                if match is not None:
                    matched[item_index] = match
            if len(matched) >= self.undeclared_min_points:
                yield _undeclared_finding(document, national.reference, matched)

    def _nationals(self, references: References) -> list[_National]:
        """The current version of every source, prepared for the search, once per registry."""
        key = id(references)
        if key not in self._nationals_by_registry:
            nationals = []
            for source in references.sources:
                current = references.current(source)
                assert current is not None
                nationals.append(_National.of(current, [tokens(item.text, self.ignore_case) for item in current.items]))
            self._nationals_by_registry[key] = nationals
        return self._nationals_by_registry[key]

    def _first_match(
        self, national: tuple[str, ...], counts: Counter[str], vocabulary: frozenset[str], blocks: list[Block]
    ) -> Paragraph | ListItem | None:
        limits = self.thresholds
        size, distinct = len(national), len(counts)
        for block, local, local_counts, local_vocabulary in blocks:
            shared = vocabulary & local_vocabulary
            # Cheap filters before difflib. A match shares a good part of the shorter text's distinct
            # words; and the words in common, counted with repeats, bound what difflib can match.
            if len(shared) * 10 < 3 * min(distinct, len(local_vocabulary)):
                continue
            bound = sum(min(counts[word], local_counts[word]) for word in shared)
            local_size = len(local)
            contained_bound = max(limits.contained * min(size, local_size), limits.min_words)
            if bound < limits.reworded * (size + local_size) / 2 and bound < contained_bound:
                continue
            sim = similarity(national, local)
            contained = max(sim.national_share, sim.local_share) >= limits.contained and sim.matched >= limits.min_words
            if sim.ratio >= limits.reworded or contained:
                return block
        return None


_SHARED_PAIRS = 2
"""A block sharing fewer adjacent word pairs with a national point cannot hold a reworded or truncated
copy of it (those keep runs of words), so the two are not compared word by word."""


@dataclass(frozen=True, slots=True)
class _National:
    """A national text's points with their words, and which points hold each adjacent pair of words."""

    reference: Reference
    items: list[tuple[tuple[str, ...], Counter[str], frozenset[str]]]
    holders: dict[tuple[str, str], tuple[int, ...]]
    known: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, reference: Reference, items: list[tuple[str, ...]]) -> _National:
        holders: dict[tuple[str, str], list[int]] = {}
        for index, found in enumerate(items):
            for pair in _word_pairs(found):
                holders.setdefault(pair, []).append(index)
        prepared = [(found, Counter(found), frozenset(found)) for found in items]
        return cls(reference, prepared, {pair: tuple(indexes) for pair, indexes in holders.items()}, frozenset(holders))

    def near(self, pairs: list[frozenset[tuple[str, str]]]) -> dict[int, list[int]]:
        """For each point, the blocks (positions in ``pairs``, in order) sharing enough pairs with it."""
        near: dict[int, list[int]] = {}
        for position, block_pairs in enumerate(pairs):
            shared = block_pairs & self.known
            if len(shared) < _SHARED_PAIRS:
                continue
            counts = Counter(index for pair in shared for index in self.holders[pair])
            for index, count in counts.items():
                if count >= _SHARED_PAIRS:
                    near.setdefault(index, []).append(position)
        return near


def _prepared(prepared: dict[int, Block], position: int, candidates: list[tuple[Paragraph | ListItem, tuple[str, ...]]]) -> Block:
    """A candidate block with its word counts and set, computed the first time a point needs them."""
    if position not in prepared:
        block, found = candidates[position]
        prepared[position] = (block, found, Counter(found), frozenset(found))
    return prepared[position]


def _word_pairs(found: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    return frozenset(itertools.pairwise(found))


def _find_section(document: Document, number: str) -> tuple[Paragraph | Section | None, tuple[ListItem, ...]]:
    for paragraph in document.paragraphs:
        if paragraph.number == number:
            return paragraph, _top_level(paragraph.items)
    for section in document.all_sections():
        if section.number == number:
            return section, _top_level(section.list_items)
    return None, ()


def _top_level(items: list[ListItem]) -> tuple[ListItem, ...]:
    if not items:
        return ()
    depth = min(item.depth for item in items)
    return tuple(item for item in items if item.depth == depth)


def _lines_of(anchor: Paragraph | Section) -> set[int]:
    if isinstance(anchor, Paragraph):
        return {anchor.line, *(item.line for item in anchor.items)}
    return {anchor.line, *(p.line for p in anchor.paragraphs), *(item.line for item in anchor.list_items)}


def _anchor_texts(anchor: Paragraph | Section) -> list[tuple[int, str]]:
    if isinstance(anchor, Paragraph):
        return [(anchor.line, anchor.text)]
    return [(paragraph.line, paragraph.text) for paragraph in anchor.paragraphs]


def _entry_position(document: Document, alignment: Alignment, key: str) -> Position:
    assert document.front_matter is not None
    return document.front_matter.value_position_of(("aligns_with", alignment.index, key))


def _unknown(document: Document, alignment: Alignment, references: References) -> Finding:
    source = alignment.source
    versions = references.versions(source)
    if versions:
        position = _entry_position(document, alignment, "version")
        message = (
            f"version '{alignment.version}' of {source} is not registered (registered: {', '.join(versions)}): declare "
            f"one of those, or add {FOLDER}/{source}/{alignment.version}.md"
        )
        return Finding(UNKNOWN_SOURCE.id, position.line, position.column, message)
    position = _entry_position(document, alignment, "source")
    problem = references.problem_for(source)
    if problem is not None:
        message = f"the national text '{source}' cannot be read: {problem}: fix that reference file"
    else:
        nearest = references.nearest_source(source)
        hint = f"did you mean '{nearest}'?" if nearest else f"add it as {FOLDER}/{source}/<version>.md"
        message = f"'{source}' is not a national text registered in {FOLDER}/: {hint}"
    return Finding(UNKNOWN_SOURCE.id, position.line, position.column, message)


def _pair_findings(document: Document, alignment: Alignment, comparison: Comparison) -> Iterator[Finding]:
    reference = alignment.reference
    anchor = alignment.anchor
    assert reference is not None and anchor is not None
    national = [words(item.text) for item in reference.items]
    items = alignment.items
    describe = reference.describe()
    where = f"section {alignment.section}"
    local_of = {i: pair.local for pair in comparison.pairs for i in pair.national if pair.local}
    for pair in comparison.pairs:
        if pair.status == "missing":
            i = pair.national[0]
            message = (
                f"national point {i + 1} of {describe} is missing from {where}: '{national[i].opening()}': "
                f"add it {_missing_place(i, local_of, items)}"
            )
            yield Finding(MISSING_ITEM.id, anchor.line, anchor.column, message)
        elif pair.status == "extra":
            item = items[pair.local[0]]
            message = (
                f"'{words(item.text).opening()}' is not a point of {describe}: a local addition, "
                f"allowed but listed so that it stays visible"
            )
            yield Finding(EXTRA_ITEM.id, item.line, item.column, message)
        elif pair.status != "same":
            yield _modified(document, pair, items, national, describe)
    for j in comparison.moved:
        yield _reordered(items[j], j, comparison, national, describe)


def _missing_place(i: int, local_of: dict[int, tuple[int, ...]], items: tuple[ListItem, ...]) -> str:
    for before in range(i - 1, -1, -1):
        if before in local_of:
            item = items[local_of[before][-1]]
            return f"after '{words(item.text).opening()}' (line {item.line})"
    return "as the first point"


def _modified(document: Document, pair: Pair, items: tuple[ListItem, ...], national: list[Words], describe: str) -> Finding:
    first = items[pair.local[0]]
    diff = _diff_text(pair)
    numbers = " and ".join(str(i + 1) for i in pair.national)
    openings = "; ".join(f"'{national[i].opening(4)}'" for i in pair.national)
    related: tuple[Related, ...] = ()
    if pair.status == "merged":
        message = (
            f"merges national points {numbers} of {describe} ({openings}) into one point: "
            "list them separately as the national text does"
        )
        message += f"; it also differs: {diff}" if diff else ""
        line, column = first.line, first.column
    elif pair.status == "split":
        message = f"splits national point {numbers} of {describe} ({openings}) over {len(pair.local)} points: keep it as one point"
        message += f"; it also differs: {diff}" if diff else ""
        line, column = first.line, first.column
        related = tuple(Related(items[j].line, items[j].column, "continues the split point") for j in pair.local[1:])
    else:
        verb = {"delete": "leaves out words of", "insert": "adds words to"}.get(_only_kind(pair), "rewords")
        message = f"{verb} national point {numbers} of {describe} ({openings}): {diff}: copy the national wording"
        if pair.changes:
            position = document.position_in(first.line, first.text, pair.changes[0].local_offset)
        else:
            position = Position(first.line, first.column)
        line, column = position.line, position.column
    return Finding(MODIFIED_ITEM.id, line, column, message, related=related)


def _only_kind(pair: Pair) -> str:
    kinds = {change.kind for change in pair.changes}
    return kinds.pop() if len(kinds) == 1 else "replace"


def _diff_text(pair: Pair, limit: int = 3) -> str:
    shown = ", ".join(str(change) for change in pair.changes[:limit])
    more = len(pair.changes) - limit
    return f"{shown} and {more} more" if more > 0 else shown


def _reordered(item: ListItem, j: int, comparison: Comparison, national: list[Words], describe: str) -> Finding:
    pair = next(pair for pair in comparison.pairs if pair.local and pair.local[0] == j)
    i = pair.national[0]
    if i == 0:
        place = "first"
    else:
        place = f"after point {i} ('{national[i - 1].opening(4)}')"
    message = f"national point {i + 1} ('{national[i].opening(4)}') is out of order: {describe} puts it {place}"
    return Finding(REORDERED.id, item.line, item.column, message)


def _undeclared_finding(document: Document, reference: Reference, matched: dict[int, Paragraph | ListItem]) -> Finding:
    first = min(matched.values(), key=lambda block: (block.line, block.column))
    section = _section_number(document, first)
    points = ", ".join(str(i + 1) for i in sorted(matched))
    declaration = f'{{source: {reference.source}, version: "{reference.version}", section: "{section}"}}'
    message = (
        f"this passage reproduces points {points} of {reference.describe()} but aligns_with does not declare it: "
        f"add {declaration} to aligns_with so that it is checked"
    )
    return Finding(UNDECLARED.id, first.line, first.column, message)


def _section_number(document: Document, block: Paragraph | ListItem) -> str:
    for paragraph in document.paragraphs:
        if paragraph is block or any(item is block for item in paragraph.items):
            if paragraph.number:
                return paragraph.number
    number = "?"
    for section in document.all_sections():
        if section.line <= block.line and section.number:
            number = section.number
    return number


def build(options: Mapping[str, Any]) -> AlignmentCheck:
    given = options_of(Options, options)
    # The schema's "number" takes 1 and its "integer" takes 3.0.
    thresholds = Thresholds(
        reworded=float(given.reworded),
        contained=float(given.contained),
        min_words=int(given.min_words),
        fragment_words=int(given.fragment_words),
    )
    statements = {role: tuple(compile_pattern(source) for source in patterns) for role, patterns in given.date_statements.items()}
    return AlignmentCheck(thresholds, bool(given.ignore_case), statements, int(given.undeclared_min_points))

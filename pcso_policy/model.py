"""The document model that checks read instead of raw text.

Every element carries the 1-based line (and column) where it starts in the
original file, front matter included, so a finding can point at it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pcso_policy.diagnostics import Position
from pcso_policy.text import normalise_title

KeyPath = tuple[str | int, ...]
PositionOf = Callable[[int], Position]
"""Turns an offset in a text the model gives into the position in the file where it stands."""


FOOTER_LABELS = frozenset(
    normalise_title(label)
    for label in (
        "Policy reference", "Reference", "Policy number", "Policy ref", "Document reference", "Procedure reference",
        "Contact point", "Contact", "Policy owner", "Owner", "Document owner", "Author", "Policy lead",
        "Date last reviewed", "Last reviewed", "Date of last review", "Reviewed", "Next review", "Next review date",
        "Review date", "Date of next review", "Due for review", "Date approved", "Approved on", "Approval date",
        "Version", "Protective marking", "Security marking", "Classification", "Security classification",
        "Date published", "Published", "Effective date", "Date issued",
    )
)
"""Labels a footer is made of, as compared (:func:`pcso_policy.text.normalise_title`). Without a ``---`` line
before it, a trailing block of ``Label: value`` lines is a footer only when its labels are of these; a force's
own labels (those its checks read, see :func:`pcso_policy.check.footer_labels`) are added to them."""


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The YAML mapping between the opening and closing ``---`` lines.

    ``positions`` maps a key path such as ``("aligns_with", 0, "version")`` to
    where that key (for mapping entries) or item (for list entries) starts.
    ``value_positions`` does the same for the value written after the key.
    """

    data: dict[str, Any]
    start_line: int
    end_line: int
    positions: dict[KeyPath, Position]
    value_positions: dict[KeyPath, Position]

    def position_of(self, path: KeyPath) -> Position:
        """Where ``path`` is written, or its nearest written ancestor."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return Position(self.start_line, 1)

    def value_position_of(self, path: KeyPath) -> Position:
        return self.value_positions.get(path) or self.position_of(path)


@dataclass(frozen=True, slots=True)
class ListItem:
    text: str
    line: int
    column: int
    end_line: int
    depth: int
    ordered: bool


@dataclass(slots=True)
class Paragraph:
    """A paragraph; ``number`` is set for numbered paragraphs such as ``2.1. text``."""

    text: str
    line: int
    column: int
    end_line: int
    number: str | None = None
    items: list[ListItem] = field(default_factory=list)
    """The list items of lists that follow it before the next paragraph or heading."""


@dataclass(frozen=True, slots=True)
class TableCell:
    text: str
    line: int
    column: int
    header: bool


@dataclass(slots=True)
class Table:
    """A Markdown table: its rows of cells, the header row first."""

    line: int
    end_line: int
    rows: list[list[TableCell]] = field(default_factory=list)


@dataclass(slots=True)
class Section:
    """A heading and what stands under it until the next heading of its level or above.

    ``number`` is the section's outline number however the heading writes it ("3" for
    "3.", "3.0", "Section 3 –"); ``written`` is the heading text as it stands, and
    ``written_number`` its number as the author wrote it ("3.0"), for messages.
    """

    level: int
    title: str
    number: str | None
    line: int
    column: int
    end_line: int
    written: str = ""
    written_number: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    list_items: list[ListItem] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    """Direct subsections."""
    key: str = field(init=False, default="")
    """The title as compared (see :func:`pcso_policy.text.normalise_title`), worked out once."""

    def __post_init__(self) -> None:
        self.key = normalise_title(self.title)

    @property
    def heading(self) -> str:
        return self.written or self.title


Scope = Literal["title", "heading", "prose", "table", "footer"]
"""Where a text stands: the document title, a section heading, a paragraph or list item, a table cell, the footer."""
BODY_SCOPES: frozenset[Scope] = frozenset({"heading", "prose", "table", "footer"})


@dataclass(frozen=True, slots=True)
class Field:
    """A ``Label: value`` the document states: a footer line such as ``Date last reviewed: February 2022``,
    a labelled paragraph line or list item, or a two-cell table row (``| Review date | 01/07/2027 |``)."""

    label: str
    value: str
    line: int
    column: int
    value_column: int
    scope: Scope
    value_line: int = 0
    """The line of the value when it stands apart from its label (a table row's second cell); else ``line``."""
    key: str = field(init=False, default="")
    """The label as compared: case, spacing and punctuation ignored (see :func:`pcso_policy.text.normalise_title`)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", normalise_title(self.label))  # the frozen dataclass idiom

    @property
    def value_position(self) -> Position:
        return Position(self.value_line or self.line, self.value_column)


@dataclass(frozen=True, slots=True)
class Block:
    """A top-level Markdown block with its 1-based line span (inclusive)."""

    kind: str
    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class Comment:
    """A top-level HTML comment block such as an inline suppression."""

    text: str
    line: int
    column: int
    end_line: int


@dataclass(slots=True)
class Document:
    """A parsed policy file.

    ``front_matter`` is ``None`` when the file has none or it could not be read;
    the parser has then reported why.
    """

    path: str
    text: str
    lines: list[str]
    front_matter: FrontMatter | None
    body_line: int
    """The 1-based line where the Markdown body starts."""
    title: str | None = None
    sections: list[Section] = field(default_factory=list)
    """Top-level sections in order; nested ones are in ``Section.children``."""
    paragraphs: list[Paragraph] = field(default_factory=list)
    list_items: list[ListItem] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    footer: list[Field] = field(default_factory=list)
    footer_line: int | None = None
    """Where the footer starts: its ``---`` line, or its first field when no rule opens it."""
    footer_prose: list[Paragraph | ListItem] = field(default_factory=list)
    """The footer's paragraphs and list items that are not fields: its closing lines ("If you require
    this document in another format ...")."""
    labelled: list[Field] = field(default_factory=list)
    """The body's ``Label: value`` lines outside the footer (see :meth:`fields`)."""
    blocks: list[Block] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    _prose: list[Paragraph | ListItem] | None = field(default=None, init=False, repr=False, compare=False)
    _texts: list[tuple[Scope, PositionOf, str]] | None = field(default=None, init=False, repr=False, compare=False)
    _texts_in: dict[frozenset[Scope], list[tuple[PositionOf, str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """What :meth:`prose` and :meth:`texts` return, kept because many checks ask for them (the parser
    has filled the document before any check runs)."""
    _positions: dict[tuple[int, int], _TextPositions] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Each block text's position map (by its line and the text's identity), made on first use."""

    @property
    def meta(self) -> dict[str, Any]:
        return self.front_matter.data if self.front_matter else {}

    @property
    def doc_type(self) -> str:
        value = self.meta.get("type", "policy")
        return value if isinstance(value, str) else "policy"

    def all_sections(self) -> list[Section]:
        """Every section, depth first, in document order."""
        found: list[Section] = []
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            found.append(section)
            stack.extend(reversed(section.children))
        return found

    def prose(self) -> list[Paragraph | ListItem]:
        """Paragraphs and list items (not headings, not the footer) in document order."""
        if self._prose is None:
            self._prose = sorted([*self.paragraphs, *self.list_items], key=lambda block: (block.line, block.column))
        return self._prose

    def position_in(self, line: int, text: str, offset: int) -> Position:
        """The file position of ``text[offset]``, where ``text`` is a block's content starting on ``line``.

        Block contents lose indentation and list markers, so each of their lines
        is found again in its source line.
        """
        return self._in_block(line, text)(offset)

    def texts(self, scopes: frozenset[Scope] = BODY_SCOPES) -> list[tuple[PositionOf, str]]:
        """The texts standing in ``scopes``, in file order, each with its position map.

        By default every heading, paragraph, list item, table cell, footer value and closing line
        of the footer: what a reader of the body reads (the title is the scope ``title``).
        """
        if self._texts is None:
            self._texts = self._all_texts()
        found = self._texts_in.get(scopes)
        if found is None:
            found = self._texts_in[scopes] = [(at, text) for scope, at, text in self._texts if scope in scopes]
        return found

    def _all_texts(self) -> list[tuple[Scope, PositionOf, str]]:
        texts: list[tuple[int, int, Scope, PositionOf, str]] = []
        title = self.title_text()
        if title is not None:
            texts.append((title[0](0).line, 0, "title", *title))
        for block in self.prose():
            texts.append((block.line, block.column, "prose", self._in_block(block.line, block.text), block.text))
        for section in self.all_sections():
            start = max(self.lines[section.line - 1].find(section.title), 0)
            texts.append((section.line, start, "heading", _on_line(section.line, start), section.title))
        for table in self.tables:
            for row in table.rows:
                for cell in row:
                    texts.append((cell.line, cell.column, "table", _in_cell(cell), cell.text))
        for item in self.footer:
            texts.append((item.line, item.value_column, "footer", _on_line(item.line, item.value_column - 1), item.value))
        for block in self.footer_prose:
            texts.append((block.line, block.column, "footer", self._in_block(block.line, block.text), block.text))
        texts.sort(key=lambda entry: (entry[0], entry[1]))
        return [(scope, position_of, text) for _, _, scope, position_of, text in texts]

    def title_text(self) -> tuple[PositionOf, str] | None:
        """The document title (the first ``#`` heading) with its position map, if it has one."""
        if not self.title:
            return None
        for number in range(self.body_line, len(self.lines) + 1):
            source = self.lines[number - 1]
            if source.lstrip().startswith("#") and self.title in source:
                return _on_line(number, source.find(self.title)), self.title
        return None

    def _in_block(self, line: int, text: str) -> _TextPositions:
        # Keyed by identity, not by the text: hashing a long paragraph for every finding in it would cost
        # as much as the search the map saves. The map keeps the text, so its identity is not reused.
        key = (line, id(text))
        found = self._positions.get(key)
        if found is None or found.text is not text:
            found = self._positions[key] = _TextPositions(self.lines, line, text)
        return found

    def fields(self) -> list[Field]:
        """Every ``Label: value`` the document states, footer included, in file order."""
        return sorted([*self.labelled, *self.footer], key=lambda item: (item.line, item.column))

    def footer_field(self, *labels: str) -> Field | None:
        """The footer's first field with one of ``labels`` (compared as :attr:`Field.key` is)."""
        wanted = {normalise_title(label) for label in labels}
        for item in self.footer:
            if item.key in wanted:
                return item
        return None


class _TextPositions:
    """The file position of each offset in a block's text (see :meth:`Document.position_in`).

    The text's line breaks are found once and each of its lines looked up in the file once, so that
    placing every one of thousands of citations in a long paragraph costs a binary search each, not a
    pass over the paragraph each. It holds the file's lines, not the document: a document holding
    maps that hold it would be a reference cycle, freed only by the garbage collector's slow passes.
    """

    __slots__ = ("lines", "line", "text", "breaks", "columns")

    def __init__(self, lines: list[str], line: int, text: str) -> None:
        self.lines = lines
        self.line = line
        self.text = text
        breaks: list[int] = []
        at = text.find("\n")
        while at >= 0:
            breaks.append(at)
            at = text.find("\n", at + 1)
        self.breaks = breaks
        self.columns: dict[int, int] = {}
        """Per line of the text, the 0-based column where it stands in its file line."""

    def __call__(self, offset: int) -> Position:
        text = self.text
        if offset < 0:
            return _position_in(self.lines, self.line, text, offset)  # counted from the end, as a slice would
        offset = min(offset, len(text))
        index = bisect.bisect_left(self.breaks, offset)  # the line breaks before the offset
        start = self.breaks[index - 1] + 1 if index else 0
        column = self.columns.get(index)
        if column is None:
            end = self.breaks[index] if index < len(self.breaks) else len(text)
            column = self.columns[index] = _column_of(self.lines, self.line + index, text[start:end])
        return Position(self.line + index, column + offset - start + 1)


def _column_of(lines: list[str], file_line: int, text_line: str) -> int:
    """Where a line of a block's text starts in its file line (0 when it cannot be found)."""
    source = lines[file_line - 1] if file_line - 1 < len(lines) else ""
    start = source.find(text_line) if text_line else -1
    return max(start, 0)


def _position_in(lines: list[str], line: int, text: str, offset: int) -> Position:
    """What :class:`_TextPositions` answers, computed from scratch (for an offset counted from the end)."""
    before = text[:offset].split("\n")
    file_line = line + len(before) - 1
    text_line = text.split("\n")[len(before) - 1]
    source = lines[file_line - 1] if file_line - 1 < len(lines) else ""
    start = source.find(text_line) if text_line else -1
    return Position(file_line, max(start, 0) + len(before[-1]) + 1)


def _on_line(line: int, start: int) -> PositionOf:
    return lambda offset: Position(line, start + offset + 1)


def _in_cell(cell: TableCell) -> PositionOf:
    """A table cell's position map: its text has the pipes the source escapes ("a \\| b") unescaped."""
    if "|" not in cell.text:
        return _on_line(cell.line, cell.column - 1)
    text = cell.text
    return lambda offset: Position(cell.line, cell.column + offset + text.count("|", 0, max(offset, 0)))

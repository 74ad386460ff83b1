"""Turning a policy file's bytes into a :class:`~pcso_policy.model.Document`.

The file is decoded as UTF-8, its front matter read with PyYAML's safe loader
(see :mod:`pcso_policy.frontmatter`) and its body parsed once with
markdown-it-py (CommonMark plus tables). markdown-it counts lines from 0 and
from the start of the body; :meth:`_Builder.line` is the one place that turns
that into a 1-based line of the file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pcso_policy.diagnostics import Finding
from pcso_policy.frontmatter import read_front_matter
from pcso_policy.model import (
    FOOTER_LABELS,
    Block,
    Comment,
    Document,
    Field,
    FrontMatter,
    ListItem,
    Paragraph,
    Scope,
    Section,
    Table,
    TableCell,
)
from pcso_policy.text import normalise_title

_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(---|\.\.\.)[ \t]*$")
_SECTION_NUMBER = re.compile(
    r"^(?:(?:section|part)[ \t]+)?(?P<number>\d{1,3}(?:\.\d{1,3})*)[.)]?"  # "## 2024 changes" is a year, not section 2024
    r"(?:[ \t]*[:–—-][ \t]*|[ \t]+)(?P<title>\S.*)$",
    re.IGNORECASE,
)
"""The numbering styles forces head sections with: "3. Scope", "3 Scope", "3.0 Scope", "Section 3 – Scope",
"Part 3: Scope", "3) Scope", "4 – Policy"."""
_PARAGRAPH_NUMBER = re.compile(r"^(\d+(?:\.\d+)+)\.?(?=[ \t]|$)")
_LABEL_LINE = re.compile(r"^(?P<emphasis>\*\*|__)?([A-Za-z][A-Za-z][A-Za-z ()/'-]{0,48}?)\.?[ \t]*:(?P=emphasis)?[ \t]+(\S.*)$")
"""A ``Label: value`` line ("Date last reviewed: February 2022", "**Owner:** Head of Partnerships", "Policy ref.:
A104", the label without its abbreviating full stop), matched against a stripped line, whose value so ends in a
non-space: a lazy value followed by ``[ \t]*$`` would find the same end, but try every space of a padded line
against every later one (quadratic)."""
_BOLD_LABEL_LINE = re.compile(r"^(?P<emphasis>\*\*|__)([A-Za-z][A-Za-z][A-Za-z ()/'-]{0,48}?)\.?(?P=emphasis)[ \t]*:[ \t]+(\S.*)$")
"""The same with the colon after the emphasis ("**Owner**: Head of Partnerships")."""
_BLANK_LABEL = re.compile(r"^(?:\*\*|__)?(?P<label>[A-Za-z][A-Za-z ()/'-]{0,48}?)\.?(?:\*\*|__)?[ \t]*:(?:\*\*|__)?$")
"""A label with no value after it ("Date last reviewed:"), a footer template's blank."""
_DASH_LINE = re.compile(r"^([A-Za-z][A-Za-z ()/'-]{0,48}?)[ \t]+[–—-][ \t]+(\S.*)$")
"""A footer line with a dash for its colon ("Contact point - Head of Unit"), for known labels only."""
_FIELD_SEPARATOR = re.compile(r"[·•|]")
"""Between fields written on one footer line ("Reference: A104 · Contact: Head of Estates"); one character,
so that splitting a line padded with spaces stays linear."""


@dataclass(frozen=True, slots=True)
class ParseResult:
    document: Document | None
    findings: list[Finding]
    tokens: list[Token] = field(default_factory=list)
    """The body's markdown-it tokens, for a caller that renders what it parsed (see :func:`parse_bytes`)."""


@functools.cache
def markdown_parser(inline: bool = False) -> MarkdownIt:
    """The one Markdown dialect policies are read in: CommonMark plus tables.

    Checks read each block's source text (``inline.content``), never its
    inline children, so lint skips the inline pass (more than a third of
    parsing); the DOCX renderer, which writes inline markup, keeps it. Both
    build the same blocks, and so the same document model.
    """
    parser = MarkdownIt("commonmark").enable("table")
    return parser if inline else parser.disable("inline")


BOM = b"\xef\xbb\xbf"


def is_comment(html: str) -> bool:
    """Whether raw HTML is an HTML comment alone: a note or a suppression, which render skips."""
    text = html.strip()
    return text.startswith("<!--") and text.endswith("-->")


def parse_bytes(
    path: str, data: bytes, markdown: MarkdownIt | None = None, footer_labels: frozenset[str] = FOOTER_LABELS
) -> ParseResult:
    """Parse a policy file's raw bytes; never raises on bad input.

    ``markdown`` replaces the lint parser when the caller also renders the
    tokens (``markdown_parser(inline=True)``); the model built is the same.
    """
    data = data.removeprefix(BOM)  # editors such as Notepad write one; it is not part of the text
    if not data.strip():
        return ParseResult(None, [Finding("parse/empty", 1, 1, "file is empty: a policy needs front matter and a body")])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        message = "file is UTF-16 text, not UTF-8: save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"
        return ParseResult(None, [Finding("parse/encoding", 1, 1, message)])
    if b"\x00" in data:
        return ParseResult(None, [_binary(data)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return ParseResult(None, [not_utf8(data, error)])
    return parse_text(path, text, markdown, footer_labels)


def parse_text(
    path: str, text: str, markdown: MarkdownIt | None = None, footer_labels: frozenset[str] = FOOTER_LABELS
) -> ParseResult:
    """Parse a policy's text. ``footer_labels`` (as compared, see :func:`pcso_policy.text.normalise_title`)
    are the labels that make a trailing block of ``Label: value`` lines a footer without a ``---`` line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    findings: list[Finding] = []
    front_matter, body_index = _front_matter(lines, findings)
    document = Document(path=path, text=text, lines=lines, front_matter=front_matter, body_line=body_index + 1)
    body = "\n".join(lines[body_index:])
    tokens = (markdown or markdown_parser()).parse(body)
    _Builder(document, body_index, footer_labels).build(tokens)
    return ParseResult(document, findings, tokens)


def read_metadata(data: bytes) -> dict[str, Any]:
    """Only the front matter of a policy file's bytes, or ``{}`` when it has none that can be read.

    For questions about many files at once (which policy has which id) where
    parsing every body would be wasted work.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front_matter, _ = _front_matter(lines, [])
    return front_matter.data if front_matter is not None else {}


def _front_matter(lines: list[str], findings: list[Finding]) -> tuple[FrontMatter | None, int]:
    """Read the front matter; return it and the 0-based index of the body's first line."""
    if not _FENCE.match(lines[0]):
        findings.append(
            Finding(
                "parse/missing-front-matter",
                1,
                1,
                "file does not start with YAML front matter: put the policy's keys between two '---' lines at the top",
            )
        )
        return None, 0
    for index in range(1, len(lines)):
        if _FENCE_END.match(lines[index]):
            result = read_front_matter("\n".join(lines[1:index]), 1, index + 1)
            findings.extend(result.findings)
            return result.front_matter, index + 1
    message = "front matter opened with '---' on line 1 is never closed: add a '---' line after the last key"
    findings.append(Finding("parse/unclosed-front-matter", 1, 1, message))
    return None, len(lines)


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of the byte at ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    return line, len(data[line_start:offset].decode("utf-8", errors="replace")) + 1


def _binary(data: bytes) -> Finding:
    line, column = byte_position(data, data.index(b"\x00"))
    message = "file holds NUL bytes, so it is binary, not a Markdown policy: remove it or exclude its path"
    return Finding("parse/binary", line, column, message)


def not_utf8(data: bytes, error: UnicodeDecodeError) -> Finding:
    """The finding for ``data`` (without a byte-order mark) that failed to decode as UTF-8."""
    line, column = byte_position(data, error.start)
    byte = data[error.start]
    return Finding(
        "parse/encoding",
        line,
        column,
        f"file is not UTF-8 (byte 0x{byte:02X} cannot be decoded): save it as UTF-8, for example with 'iconv -f WINDOWS-1252 -t UTF-8'",
    )


class _Builder:
    """Walks markdown-it's token stream once and fills the document model."""

    def __init__(self, document: Document, body_index: int, footer_labels: frozenset[str]) -> None:
        self.doc = document
        self.body_index = body_index
        self.footer_labels = footer_labels
        self.stack: list[Section] = []
        self.in_footer = False
        self.last_paragraph: Paragraph | None = None
        self.lists: list[str] = []
        self.table: Table | None = None
        self.cell_ends: list[int] = []
        """Where each cell of the current table row ends in its source line (0-based, exclusive)."""

    def line(self, token: Token) -> int:
        """The 1-based file line where ``token`` starts."""
        assert token.map is not None
        return token.map[0] + self.body_index + 1

    def end_line(self, token: Token) -> int:
        """The 1-based file line where ``token`` ends (inclusive)."""
        assert token.map is not None
        return token.map[1] + self.body_index

    def column(self, line: int) -> int:
        source = self.doc.lines[line - 1]
        return len(source) - len(source.lstrip()) + 1

    def build(self, tokens: list[Token]) -> None:
        footer_start = _footer_start(tokens, self.footer_labels)
        for index, token in enumerate(tokens):
            if token.map is not None and token.level == 0:
                self.doc.blocks.append(Block(token.type.removesuffix("_open"), self.line(token), self.end_line(token)))
            if index == footer_start:
                self.in_footer = True
                self.doc.footer_line = self.line(token)
                self._close_sections(0)
            self._token(token, tokens, index)
        self._close_sections(0)

    def _token(self, token: Token, tokens: list[Token], index: int) -> None:
        kind = token.type
        if kind == "heading_open":
            self._heading(token, tokens[index + 1])
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append(kind)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            self._list_item(token, tokens, index)
        elif kind == "paragraph_open" and not self.lists and self.table is None:
            self._paragraph(token, tokens[index + 1])
        elif kind == "table_open":
            self._table_open(token)
        elif kind == "table_close":
            self.table = None
        elif kind == "tr_open" and self.table is not None:
            self.table.rows.append([])
            self.cell_ends = []
        elif kind in ("th_open", "td_open"):
            self._cell(tokens[index + 1], header=kind == "th_open")
        elif kind == "tr_close" and self.table is not None:
            self._row_fields(self.table.rows[-1])
        elif kind == "html_block" and token.content.lstrip().startswith("<!--"):
            line = self.line(token)
            self.doc.comments.append(Comment(token.content.strip(), line, self.column(line), self.end_line(token)))

    def _heading(self, token: Token, inline: Token) -> None:
        level = int(token.tag[1:])
        line = self.line(token)
        text = inline.content.strip()
        if level == 1 and self.doc.title is None and not self.doc.sections:
            self.doc.title = text
            return
        plain = _unemphasised(text)
        match = _SECTION_NUMBER.match(plain)
        written_number, title = (match["number"], match["title"]) if match else (None, plain)
        number = outline_number(written_number) if written_number else None
        self._close_sections(level)
        section = Section(level, title, number, line, self.column(line), line, text, written_number)
        if self.stack:
            self.stack[-1].children.append(section)
        else:
            self.doc.sections.append(section)
        self.stack.append(section)
        self.last_paragraph = None

    def _close_sections(self, level: int) -> None:
        """Close every open section of ``level`` or deeper (all for 0)."""
        while self.stack and (level == 0 or self.stack[-1].level >= level):
            self.stack.pop()

    def _extend_sections(self, end_line: int) -> None:
        for section in self.stack:
            section.end_line = max(section.end_line, end_line)

    def _paragraph(self, token: Token, inline: Token) -> None:
        line = self.line(token)
        text = inline.content
        if self.in_footer:
            if not self._footer(line, text):
                self.doc.footer_prose.append(Paragraph(text, line, self.column(line), self.end_line(token)))
            return
        match = _PARAGRAPH_NUMBER.match(text)
        paragraph = Paragraph(text, line, self.column(line), self.end_line(token), match.group(1) if match else None)
        self.doc.paragraphs.append(paragraph)
        self.last_paragraph = paragraph
        self._extend_sections(paragraph.end_line)
        if self.stack:
            self.stack[-1].paragraphs.append(paragraph)
        for offset, source_line in enumerate(text.split("\n")):
            found = self._field(line + offset, source_line, "prose")
            if found is not None:
                self.doc.labelled.append(found)

    def _footer(self, line: int, text: str) -> bool:
        """Record the paragraph's ``Label: value`` lines, if every line is one, holds several ("Policy
        reference: A104 · Contact: Head of Estates") or is a known label left blank ("Date last reviewed:",
        a field whose value is empty); a paragraph that goes on as prose holds none. Whether it was read as
        fields."""
        found: list[Field] = []
        for offset, source_line in enumerate(text.split("\n")):
            items = self._fields_of_line(line + offset, source_line)
            if not items:
                blank = self._blank(line + offset, source_line)
                if blank is None:
                    return False
                items = [blank]
            found.extend(items)
        self.doc.footer.extend(found)
        return True

    def _blank(self, file_line: int, text: str) -> Field | None:
        """A known footer label left blank ("Date last reviewed:") as a field whose value is empty."""
        label = blank_label(text, self.footer_labels)
        if label is None:
            return None
        raw = self.doc.lines[file_line - 1] if file_line - 1 < len(self.doc.lines) else ""
        column = raw.find(label) + 1
        return Field(label, "", file_line, max(column, 1), max(column, 1) + len(label), "footer")

    def _fields_of_line(self, file_line: int, text: str) -> list[Field]:
        whole = self._field(file_line, text, "footer", self.footer_labels)
        parts = _FIELD_SEPARATOR.split(text)
        if len(parts) == 1:
            return [whole] if whole is not None else []
        items: list[Field] = []
        start = 0
        for part in parts:
            item = self._field(file_line, part, "footer", self.footer_labels, start)
            if item is None:
                return [whole] if whole is not None else []
            items.append(item)
            start = item.value_column - 1 + len(item.value)
        return items

    def _field(
        self, file_line: int, text: str, scope: Scope, labels: frozenset[str] = frozenset(), start: int = 0
    ) -> Field | None:
        """``text``, a line of a block standing on ``file_line``, as a ``Label: value`` field, if it is one;
        with ``labels``, also as ``Label – value`` when the label is one of them. ``start`` is where in
        the file line to look for it."""
        parts = label_and_value(text, labels)
        if parts is None:
            return None
        label, value = parts
        raw = self.doc.lines[file_line - 1] if file_line - 1 < len(self.doc.lines) else ""
        column = raw.find(label, start) + 1
        value_column = raw.find(value, max(column - 1, 0) + len(label)) + 1
        return Field(label, value, file_line, max(column, 1), max(value_column, 1), scope)

    def _list_item(self, token: Token, tokens: list[Token], index: int) -> None:
        line = self.line(token)
        inline = _first_inline(tokens, index)
        text = inline.content if inline else ""
        ordered = self.lists[-1] == "ordered_list_open"
        item = ListItem(text, line, self.column(line), self.end_line(token), len(self.lists), ordered)
        if self.in_footer:
            if not self._footer(line, text.split("\n", 1)[0]):
                self.doc.footer_prose.append(item)
            return
        self.doc.list_items.append(item)
        self._extend_sections(item.end_line)
        if self.stack:
            self.stack[-1].list_items.append(item)
        if self.last_paragraph is not None:
            self.last_paragraph.items.append(item)
        found = self._field(line, text.split("\n", 1)[0], "prose")
        if found is not None:
            self.doc.labelled.append(found)

    def _table_open(self, token: Token) -> None:
        self.table = Table(self.line(token), self.end_line(token))
        if self.in_footer:
            return  # a footer table's rows are read as footer fields only
        self.doc.tables.append(self.table)
        self._extend_sections(self.table.end_line)
        if self.stack:
            self.stack[-1].tables.append(self.table)

    def _cell(self, inline: Token, header: bool) -> None:
        if self.table is None or not self.table.rows:
            return
        row = self.table.rows[-1]
        line = self.line(inline)
        source = self.doc.lines[line - 1] if line - 1 < len(self.doc.lines) else ""
        after = self.cell_ends[-1] if row else 0
        column, end = _cell_span(source, inline.content, after)
        self.cell_ends.append(end)
        row.append(TableCell(inline.content, line, column, header))

    def _row_fields(self, row: list[TableCell]) -> None:
        """A row of two cells ("| Review date | 01/07/2027 |"), or of two pairs, states labelled values."""
        if len(row) not in (2, 4):
            return
        for label, value in zip(row[::2], row[1::2], strict=True):
            match = _TABLE_LABEL.match(label.text)
            if match is None or not value.text.strip():
                continue
            scope: Scope = "footer" if self.in_footer else "table"
            column = label.column + label.text.find(match["label"])  # the label's words, not its emphasis
            item = Field(match["label"], value.text.strip(), label.line, column, value.column, scope, value.line)
            (self.doc.footer if self.in_footer else self.doc.labelled).append(item)


_TABLE_LABEL = re.compile(r"^(?:\*\*|__)?(?P<label>[A-Za-z][A-Za-z ()/'-]{0,48}?)\.?(?:\*\*|__)?[ \t]*:?(?:\*\*|__)?$")
"""A table cell that labels the next one ("Review date", "**Owner:**"); ``label`` is its words."""
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _cell_span(source: str, content: str, after: int) -> tuple[int, int]:
    """The 1-based column where a table cell's ``content`` stands in its ``source`` line, searched from
    ``after`` (where the row's previous cell ends), and where it ends (0-based, exclusive).

    markdown-it gives the content with escaped pipes unescaped ("a \\| b" as "a | b"); a cell that still
    cannot be found (an empty one) is placed after the pipe that opens it."""
    for written in (content.replace("|", "\\|"), content):
        found = source.find(written, after) if written else -1
        if found >= 0:
            return found + 1, found + len(written)
    pipe = _UNESCAPED_PIPE.search(source, after)
    opening = pipe.end() if pipe else after
    start = opening
    while start < len(source) and source[start] in " \t":
        start += 1
    if start == len(source) or source[start] == "|":
        start = opening  # an empty cell: its first column
    return start + 1, start


def label_and_value(line: str, dashed: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """A ``Label: value`` line split into its label and value, emphasis and hard line break removed.

    A label in ``dashed`` (as compared, see :func:`pcso_policy.text.normalise_title`) may also stand
    before a dash ("Contact point – Head of Unit"): footers are written both ways.
    """
    text = line.strip().removesuffix("\\").rstrip()  # a Markdown hard line break ("Contact point: Head of Unit\\")
    match = _LABEL_LINE.match(text) or _BOLD_LABEL_LINE.match(text)
    if match is not None:
        return match.group(2), match.group(3)
    dash = _DASH_LINE.match(text) if dashed else None
    if dash is not None and normalise_title(dash.group(1)) in dashed:
        return dash.group(1), dash.group(2)
    return None


def blank_label(line: str, labels: frozenset[str]) -> str | None:
    """The label, if ``line`` is one of ``labels`` (as compared) with no value after it ("Date last reviewed:")."""
    blank = _BLANK_LABEL.match(line.strip().removesuffix("\\").rstrip())
    return blank["label"] if blank is not None and normalise_title(blank["label"]) in labels else None


def _unemphasised(heading: str) -> str:
    """A heading without the bold or italics around all of it ("**1. Scope**", as Word exports write it)."""
    for mark in ("**", "__", "*", "_"):
        if len(heading) > 2 * len(mark) and heading.startswith(mark) and heading.endswith(mark):
            return heading[len(mark) : -len(mark)].strip()
    return heading


def outline_number(number: str) -> str:
    """A section number as an outline number: "3.0", the style of forces that number paragraphs 3.1, is 3."""
    return number.removesuffix(".0") if number.count(".") == 1 else number


def _first_inline(tokens: list[Token], index: int) -> Token | None:
    depth = 0
    for position in range(index + 1, len(tokens)):  # not a slice: copying the rest of a long list per item is quadratic
        token = tokens[position]
        if token.type == "inline":
            return token
        depth += token.nesting
        if depth < 0:
            return None
    return None


def _footer_start(tokens: list[Token], labels: frozenset[str]) -> int | None:
    """Index of the token that opens the footer, if the document has one.

    The footer is what follows the document's last thematic break, provided no heading follows it (a break
    between sections is not a footer). Without such a break, it is the first of the trailing paragraphs that
    is made of ``Label: value`` lines with a known footer label (see :data:`FOOTER_LABELS`), provided it does
    not take the whole of the last section's content, and that what follows it is more such lines or, after
    two known labels or more, a closing line ("For further information ...").
    """
    rule = _last_rule(tokens)
    if rule is not None:
        return rule
    trailing: list[int] = []
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if token.level != 0 or token.type == "paragraph_close" or token.type == "html_block":
            continue
        if token.type != "paragraph_open":
            break
        trailing.append(index)
    trailing.reverse()
    counts = [_known_labels(tokens[index + 1].content, labels) for index in trailing]
    known_after = [0] * (len(counts) + 1)  # from each paragraph to the end: known labels, and whether all are fields
    fields_after = [True] * (len(counts) + 1)
    for position in range(len(counts) - 1, -1, -1):
        known_after[position] = known_after[position + 1] + (counts[position] or 0)
        fields_after[position] = fields_after[position + 1] and counts[position] is not None
    for position, index in enumerate(trailing):
        if not counts[position] or position == 0 and _follows_heading(tokens, index):
            continue
        if fields_after[position + 1] or known_after[position] >= 2:
            return index
    return None


def _last_rule(tokens: list[Token]) -> int | None:
    """Index of the document's last top-level thematic break, if no heading follows it: whatever stands
    after it (lines, list items, a table) is the footer."""
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if token.type == "heading_open":
            return None
        if token.type == "hr" and token.level == 0:
            return index
    return None


def _known_labels(text: str, labels: frozenset[str]) -> int | None:
    """How many known footer labels a paragraph's lines have (a line may hold several, "Reference: A104 ·
    Contact: Head of Estates"; a known label left blank, "Date last reviewed:", counts), or ``None`` if
    not every line is a field."""
    known = 0
    for line in text.split("\n"):
        parts = label_and_value(line, labels)
        if parts is None:
            if not blank_label(line, labels):
                return None
            known += 1
            continue
        fields = [label_and_value(part, labels) for part in _FIELD_SEPARATOR.split(line)]
        if len(fields) > 1 and all(fields):
            known += sum(normalise_title(field[0]) in labels for field in fields if field)
        else:
            known += normalise_title(parts[0]) in labels
    return known


def _follows_heading(tokens: list[Token], index: int) -> bool:
    for previous in range(index - 1, -1, -1):
        token = tokens[previous]
        if token.level == 0 and token.type != "html_block":
            return token.type == "heading_close"
    return False

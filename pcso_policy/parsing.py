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
    Block,
    Comment,
    Document,
    FooterField,
    FrontMatter,
    ListItem,
    Paragraph,
    Section,
)

_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(---|\.\.\.)[ \t]*$")
_SECTION_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?[ \t]+(\S.*)$")  # "## 2024 changes" is a year, not section 2024
_PARAGRAPH_NUMBER = re.compile(r"^(\d+(?:\.\d+)+)\.?(?=[ \t]|$)")
_FOOTER_LINE = re.compile(r"^([A-Z][A-Za-z][A-Za-z ()/'-]{0,48}?)[ \t]*:[ \t]+(\S.*)$")
"""Matched against a stripped line, whose value so ends in a non-space: a lazy value followed by ``[ \t]*$`` would
find the same end, but try every space of a padded line against every later one (quadratic)."""


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


def parse_bytes(path: str, data: bytes, markdown: MarkdownIt | None = None) -> ParseResult:
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
    return parse_text(path, text, markdown)


def parse_text(path: str, text: str, markdown: MarkdownIt | None = None) -> ParseResult:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    findings: list[Finding] = []
    front_matter, body_index = _front_matter(lines, findings)
    document = Document(path=path, text=text, lines=lines, front_matter=front_matter, body_line=body_index + 1)
    body = "\n".join(lines[body_index:])
    tokens = (markdown or markdown_parser()).parse(body)
    _Builder(document, body_index).build(tokens)
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

    def __init__(self, document: Document, body_index: int) -> None:
        self.doc = document
        self.body_index = body_index
        self.stack: list[Section] = []
        self.in_footer = False
        self.last_paragraph: Paragraph | None = None
        self.lists: list[str] = []

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
        footer_start = _last_rule(tokens)
        for index, token in enumerate(tokens):
            if token.map is not None and token.level == 0:
                self.doc.blocks.append(Block(token.type.removesuffix("_open"), self.line(token), self.end_line(token)))
            if index == footer_start:
                self.in_footer = True
                self._close_sections(0)
            if token.type == "heading_open":
                self._heading(token, tokens[index + 1])
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                self.lists.append(token.type)
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif token.type == "list_item_open":
                self._list_item(token, tokens, index)
            elif token.type == "paragraph_open" and not self.lists:
                self._paragraph(token, tokens[index + 1])
            elif token.type == "html_block" and token.content.lstrip().startswith("<!--"):
                line = self.line(token)
                self.doc.comments.append(Comment(token.content.strip(), line, self.column(line), self.end_line(token)))
        self._close_sections(0)

    def _heading(self, token: Token, inline: Token) -> None:
        level = int(token.tag[1:])
        line = self.line(token)
        text = inline.content.strip()
        if level == 1 and self.doc.title is None and not self.doc.sections:
            self.doc.title = text
            return
        match = _SECTION_NUMBER.match(text)
        number, title = (match.group(1), match.group(2)) if match else (None, text)
        self._close_sections(level)
        section = Section(level, title, number, line, self.column(line), line)
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

    def _paragraph(self, token: Token, inline: Token) -> None:
        line = self.line(token)
        text = inline.content
        if self.in_footer:
            self._footer(line, text)
            return
        match = _PARAGRAPH_NUMBER.match(text)
        paragraph = Paragraph(text, line, self.column(line), self.end_line(token), match.group(1) if match else None)
        self.doc.paragraphs.append(paragraph)
        self.last_paragraph = paragraph
        for section in self.stack:
            section.end_line = paragraph.end_line
        if self.stack:
            self.stack[-1].paragraphs.append(paragraph)

    def _footer(self, line: int, text: str) -> None:
        """Record the paragraph's ``Label: value`` lines, if every line is one."""
        matches: list[re.Match[str]] = []
        for source_line in text.split("\n"):
            match = _FOOTER_LINE.match(source_line.strip())
            if match is None:
                return
            matches.append(match)
        for offset, match in enumerate(matches):
            file_line = line + offset
            raw = self.doc.lines[file_line - 1]
            column = raw.find(match.group(1)) + 1
            value_column = raw.find(match.group(2), column - 1 + len(match.group(1))) + 1
            self.doc.footer.append(FooterField(match.group(1), match.group(2), file_line, column, value_column))

    def _list_item(self, token: Token, tokens: list[Token], index: int) -> None:
        if self.in_footer:
            return
        line = self.line(token)
        inline = _first_inline(tokens, index)
        ordered = self.lists[-1] == "ordered_list_open"
        item = ListItem(inline.content if inline else "", line, self.column(line), self.end_line(token), len(self.lists), ordered)
        self.doc.list_items.append(item)
        for section in self.stack:
            section.end_line = max(section.end_line, item.end_line)
        if self.stack:
            self.stack[-1].list_items.append(item)
        if self.last_paragraph is not None:
            self.last_paragraph.items.append(item)


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


def _last_rule(tokens: list[Token]) -> int | None:
    """Index of the top-level thematic break that opens the footer, if any.

    The footer is what follows the document's last thematic break, provided
    no heading follows it (a break between sections is not a footer).
    """
    for index in range(len(tokens) - 1, -1, -1):
        if tokens[index].type == "heading_open":
            return None
        if tokens[index].type == "hr" and tokens[index].level == 0:
            return index
    return None

"""The policy body, Markdown to WordprocessingML, one markdown-it token at a time.

The lint parser (:mod:`pcso_policy.parsing`) skips markdown-it's inline pass;
rendering needs it (bold, links, code), so this module keeps its own parser.
Every construct becomes its Word equivalent: headings take the Heading
styles, lists real numbering definitions, tables a repeating header row. A
construct with no faithful Word form (raw HTML, images) is a
:class:`RenderError` naming its line, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markdown_it.token import Token

from pcso_policy.builtin.links import link_problem
from pcso_policy.builtin.links import message as link_message
from pcso_policy.errors import PcsoPolicyError
from pcso_policy.parsing import is_comment
from pcso_policy.render import wordml
from pcso_policy.render.wordml import Block, Hyperlink, Paragraph, Table, escape

if TYPE_CHECKING:
    from pcso_policy.render.package import DocumentPackage

LIST_INDENT = 720
"""Twentieths of a point each list level is indented by (half an inch)."""

_TEXT_ALIGN = re.compile(r"text-align:\s*(left|center|right)")
_BULLETS = ("\u2022", "\u25e6", "\u25aa")


class RenderError(PcsoPolicyError):
    """A policy the renderer cannot turn into a faithful Word document."""

    def __init__(self, path: str, line: int, message: str, column: int | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        where = f"{line}:{column}" if column is not None else f"{line}"
        super().__init__(f"{path}:{where}: {message}")


def plain_text(inline: Token) -> str:
    """An inline token's text without its markup, as a reader sees it."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def source_headings(tokens: list[Token]) -> list[tuple[int, str]]:
    """Every heading of a token stream as (level, text)."""
    return [(int(token.tag[1:]), plain_text(tokens[index + 1])) for index, token in enumerate(tokens) if token.type == "heading_open"]


@dataclass(slots=True)
class _List:
    num_id: int
    level: int
    """0-based list level (Word's ``ilvl``)."""


@dataclass(slots=True)
class _Item:
    level: int
    num_id: int
    numbered: bool = False
    """Whether the item's number has been written (on its first paragraph)."""


@dataclass
class BodyWriter:
    """Writes a policy body as WordprocessingML blocks (:attr:`blocks`)."""

    package: DocumentPackage
    path: str
    body_index: int
    """0-based file line of the body's first line (markdown-it counts from the body)."""
    break_lines: frozenset[int] = frozenset()
    """File lines whose line break is kept (the ``Label: value`` lines of the footer)."""
    blocks: list[Block] = field(default_factory=list)
    _lists: list[_List] = field(default_factory=list)
    _items: list[_Item] = field(default_factory=list)
    _quote_depth: int = 0
    _abstract: dict[str, int] = field(default_factory=dict)

    def style_id(self, name: str) -> str:
        return self.package.template.style_ids[name.casefold()]

    def _add_paragraph(self, style: str | None = None) -> Paragraph:
        paragraph = Paragraph(self.style_id(style) if style is not None else None)
        self.blocks.append(paragraph)
        return paragraph

    def write(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            index = self._block(tokens, index)

    def line(self, token: Token) -> int:
        return (token.map[0] if token.map else 0) + self.body_index + 1

    def _block(self, tokens: list[Token], index: int) -> int:
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            paragraph = self._add_paragraph(f"heading {int(token.tag[1:])}")
            self._inline(paragraph, tokens[index + 1], self.line(token))
            return index + 3
        if kind == "paragraph_open":
            paragraph = self._paragraph()
            self._inline(paragraph, tokens[index + 1], self.line(token))
            return index + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            self._open_list(token, ordered=kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self._lists.pop()
        elif kind == "list_item_open":
            current = self._lists[-1]
            self._items.append(_Item(current.level, current.num_id))
        elif kind == "list_item_close":
            item = self._items.pop()
            if not item.numbered:
                self._items.append(item)
                self._paragraph()
                self._items.pop()
        elif kind == "blockquote_open":
            self._quote_depth += 1
        elif kind == "blockquote_close":
            self._quote_depth -= 1
        elif kind in ("fence", "code_block"):
            self._code(token)
        elif kind == "hr":
            self._paragraph().bottom_border = True
        elif kind == "table_open":
            return self._table(tokens, index)
        elif kind == "html_block":
            if not is_comment(token.content):
                raise RenderError(self.path, self.line(token), "raw HTML cannot be published as Word: write it as Markdown")
        elif kind not in ("paragraph_close", "heading_close"):
            raise RenderError(self.path, self.line(token), f"cannot render Markdown '{kind}': rewrite it as plain Markdown")
        return index + 1

    # Paragraph kinds

    def _paragraph(self, style: str | None = None) -> Paragraph:
        """A new body paragraph, styled for where it stands (quote, list item)."""
        if self._items:
            item = self._items[-1]
            paragraph = self._add_paragraph("List Paragraph")
            if not item.numbered:
                item.numbered = True
                paragraph.numbering = (item.level, item.num_id)
            else:
                paragraph.indent = LIST_INDENT * (item.level + 1)
            if style:
                paragraph.style_id = self.style_id(style)
            return paragraph
        if self._quote_depth:
            paragraph = self._add_paragraph(style or "Quote")
            if self._quote_depth > 1:
                paragraph.indent = 567 * self._quote_depth
            return paragraph
        return self._add_paragraph(style)

    def _code(self, token: Token) -> None:
        paragraph = self._paragraph("Source Code")
        lines = token.content.rstrip("\n").split("\n")
        verbatim = self.style_id("Verbatim Char")
        for number, text in enumerate(lines):
            paragraph.content.append(wordml.run(text, verbatim, line_break=number < len(lines) - 1))

    # Lists

    def _number_pending_item(self) -> None:
        """An item that opens with a list or table still gets its own number first."""
        if self._items and not self._items[-1].numbered:
            self._paragraph()

    def _open_list(self, token: Token, ordered: bool) -> None:
        self._number_pending_item()
        level = len(self._lists)
        delimiter = token.markup[-1:] if ordered else ""
        abstract = self._abstract_num("decimal" + delimiter if ordered else "bullet")
        start = int(token.attrGet("start") or 1) if ordered else None
        self._lists.append(_List(self.package.numbering.add_num(abstract, level, start), level))

    def _abstract_num(self, kind: str) -> int:
        """The id of this document's numbering definition for ``kind``, added on first use."""
        if kind not in self._abstract:
            levels = "".join(_level(kind, level) for level in range(9))
            self._abstract[kind] = self.package.numbering.add_abstract(f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}')
        return self._abstract[kind]

    # Tables

    def _table(self, tokens: list[Token], index: int) -> int:
        rows: list[list[Paragraph]] = []
        lines: list[int] = []
        header_rows = 0
        in_head = False
        index += 1
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                rows.append([])
                lines.append(self.line(token))
                header_rows += in_head
            elif token.type in ("th_open", "td_open"):
                match = _TEXT_ALIGN.search(str(token.attrGet("style") or ""))
                cell = Paragraph(align=match.group(1) if match else None)
                self._inline(cell, tokens[index + 1], lines[-1], bold=len(rows) <= header_rows)
                rows[-1].append(cell)
            index += 1
        self._number_pending_item()
        if self.blocks and isinstance(self.blocks[-1], Table):
            self.blocks.append(Paragraph())  # Word merges two tables that touch
        self.blocks.append(Table(self.style_id("Table Grid"), rows, header_rows, self.package.template.text_width))
        return index + 1

    # Inline content

    def _inline(self, paragraph: Paragraph, inline: Token, line: int, bold: bool = False) -> None:
        strong = 1 if bold else 0
        emphasis = 0
        link: Hyperlink | None = None
        for child in inline.children or []:
            kind = child.type
            if kind == "text":
                self._run(paragraph, link, child.content, strong > 0, emphasis > 0)
            elif kind == "code_inline":
                self._run(paragraph, link, child.content, strong > 0, emphasis > 0, style="Verbatim Char")
            elif kind == "strong_open":
                strong += 1
            elif kind == "strong_close":
                strong -= 1
            elif kind == "em_open":
                emphasis += 1
            elif kind == "em_close":
                emphasis -= 1
            elif kind in ("softbreak", "hardbreak"):
                if kind == "hardbreak" or line in self.break_lines:
                    self._run(paragraph, link, "", False, False, line_break=True)
                else:
                    self._run(paragraph, link, " ", strong > 0, emphasis > 0)
                line += 1
            elif kind == "link_open":
                link = self._hyperlink(str(child.attrGet("href") or ""), line)
                paragraph.content.append(link)
            elif kind == "link_close":
                link = None
            elif kind == "html_inline" and is_comment(child.content):
                line += child.content.count("\n")
            elif kind == "image":
                raise RenderError(self.path, line, "images cannot be published yet: describe the image in words or link to it")
            elif kind == "html_inline":
                raise RenderError(self.path, line, f"raw HTML {child.content!r} cannot be published as Word: write it as Markdown")
            else:
                raise RenderError(self.path, line, f"cannot render inline Markdown '{kind}': rewrite it as plain Markdown")

    def _run(
        self,
        paragraph: Paragraph,
        link: Hyperlink | None,
        text: str,
        bold: bool,
        italic: bool,
        style: str | None = None,
        line_break: bool = False,
    ) -> None:
        style = style or ("Hyperlink" if link is not None else None)
        run = wordml.run(text, self.style_id(style) if style is not None else None, bold, italic, line_break)
        (link.runs if link is not None else paragraph.content).append(run)

    def _hyperlink(self, href: str, line: int) -> Hyperlink:
        problem = link_problem(href)
        if problem is not None:  # render_document refuses these first, at their column; this guards what it missed
            raise RenderError(self.path, line, link_message(href, problem))
        if href.startswith("#"):
            return Hyperlink(f'w:anchor="{escape(href[1:])}" w:history="1"')
        return Hyperlink(f'r:id="{self.package.relate_hyperlink(href)}" w:history="1"')


def _level(kind: str, level: int) -> str:
    left = LIST_INDENT * (level + 1)
    if kind == "bullet":
        text, number_format = _BULLETS[level % len(_BULLETS)], "bullet"
    else:
        text, number_format = f"%{level + 1}{kind.removeprefix('decimal') or '.'}", "decimal"
    return (
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="360"/></w:pPr></w:lvl>'
    )

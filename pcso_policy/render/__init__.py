"""Rendering a policy as a Word document (DOCX).

:func:`render_bytes` turns a policy's bytes into DOCX bytes: the Markdown body
(:mod:`.markdown`) inside the document frame (:mod:`.frame`: title block,
marking, page footer, properties), in a template (:mod:`.template`), saved
reproducibly (:mod:`.package`), the body written as WordprocessingML text
(:mod:`.wordml`). ``pcso-policy render`` is :mod:`pcso_policy.commands.render`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from pcso_policy.builtin.links import unsafe_links
from pcso_policy.characters import invalid_characters, invalid_message
from pcso_policy.model import Document
from pcso_policy.parsing import markdown_parser, parse_bytes
from pcso_policy.render.frame import Frame, core_properties, frame_of, insert_title_block, mark_pages
from pcso_policy.render.markdown import BodyWriter, RenderError, source_headings
from pcso_policy.render.package import DocumentPackage
from pcso_policy.render.template import prepared_template

__all__ = ["ParsedPolicy", "Rendered", "RenderError", "parse_policy", "render_bytes", "render_document"]


@dataclass(frozen=True, slots=True)
class Rendered:
    data: bytes
    frame: Frame
    headings: list[tuple[int, str]]
    """The source's headings as (level, text), for checking the document read back."""


@dataclass(frozen=True, slots=True)
class ParsedPolicy:
    """A policy's model and the tokens (inline markup included) it was built from, parsed once for both."""

    document: Document
    tokens: list[Token]


def parse_policy(path: str, data: bytes) -> ParsedPolicy:
    """A policy parsed for rendering; a :class:`RenderError` when it cannot be read at all."""
    parsed = parse_bytes(path, data, markdown_parser(inline=True))
    if parsed.document is None:
        finding = parsed.findings[0]
        raise RenderError(path, finding.line, finding.message)
    return ParsedPolicy(parsed.document, parsed.tokens)


def render_document(document: Document, template: Path | None = None, tokens: list[Token] | None = None) -> Rendered:
    """The DOCX of ``document``; ``tokens`` are its body's tokens with inline markup, when already parsed."""
    _refuse_invalid_characters(document)
    _refuse_unsafe_links(document)
    frame = frame_of(document)
    body_index = document.body_line - 1
    if tokens is None:
        tokens = markdown_parser(inline=True).parse("\n".join(document.lines[body_index:]))
    prepared = prepared_template(template)
    package = DocumentPackage(prepared)
    footer_lines = frozenset(field.line for field in document.footer)
    writer = BodyWriter(package, document.path, body_index, footer_lines)
    writer.write(tokens)
    insert_title_block(writer.blocks, frame, prepared.style_ids, prepared.text_width)
    body = "".join(block.xml() for block in writer.blocks)
    changed = {**mark_pages(prepared, frame), **core_properties(prepared, frame)}
    return Rendered(package.to_bytes(body, changed, frame.date), frame, source_headings(tokens))


def _refuse_invalid_characters(document: Document) -> None:
    """Text Word cannot hold is refused with the message lint gives (publication/invalid-character)."""
    for occurrence in invalid_characters(document.lines):
        raise RenderError(document.path, occurrence.line, invalid_message(occurrence), occurrence.column)


def _refuse_unsafe_links(document: Document) -> None:
    """A link outside the allow-list is refused with the message lint gives (publication/link-scheme), never
    published as a live hyperlink nor quietly turned into text: publishing does not change what a policy says."""
    for link in unsafe_links(document):
        raise RenderError(document.path, link.line, link.message, link.column)


def render_bytes(path: str, data: bytes, template: Path | None = None) -> Rendered:
    parsed = parse_policy(path, data)
    return render_document(parsed.document, template, parsed.tokens)



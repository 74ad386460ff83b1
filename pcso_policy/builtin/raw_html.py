"""``publication/raw-html``: what ``render`` and ``publish`` refuse, reported by ``lint`` at its line and column.

The renderer (:mod:`pcso_policy.render.markdown`) has no faithful Word form
for raw HTML or for images, and refuses a policy holding either rather than
drop it silently:

- an HTML block (``<div>``, ``<table>``, ``<details>``, ``<?...?>``,
  ``<!DOCTYPE>``, ``<![CDATA[...]]>``) that is not an HTML comment;
- inline HTML (``<span>``, ``<br>``, ``<b>``, ``</u>``) that is not one;
- an image, ``![alt](src)`` or ``![alt][ref]``, wherever it stands (a link
  round it, a table cell): one finding, whatever its alternative text holds.

HTML comments (``<!-- ... -->``: suppressions and notes) are skipped, as
render skips them; so are entities (``&amp;``), autolinks
(``<https://...>``, ``<team@example.org>``), a ``<`` in code or a code block,
and a ``<`` that starts no tag (``a < b``). Markdown is read as render reads
it (CommonMark with tables, markdown-it), so the two never disagree; a file is
parsed again only when it holds something that could be a tag or an image.

A policy that lint passes is one render can publish: the rule is an error,
whatever the policy's status, since render refuses drafts too. A suppression
silences the lint finding, never the renderer (as for
``publication/link-scheme``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.model import Document
from pcso_policy.parsing import is_comment
from pcso_policy.rules import Rule

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

    from pcso_policy.check import CheckContext

RAW_HTML = Rule(
    "publication/raw-html",
    Severity.ERROR,
    "Raw HTML (a block or an inline tag, other than an HTML comment) or an image, which render and publish refuse.",
    "A Word document has no faithful form for HTML or for an image the policy only points at: the renderer refuses "
    "the policy rather than publish it with something silently missing, so a policy holding either cannot be "
    "published until it is rewritten. HTML comments (suppressions, notes) are fine.",
    "Write it as Markdown: **bold**, *italic*, a list or a table instead of tags, a backslash at the end of a line "
    "for a line break; describe an image in words or link to it ([diagram of the process](https://...)). A suppression "
    "silences this finding, never the renderer.",
    "Stop <b>only</b> when safe.<br>   <- write: Stop **only** when safe.\\",
)
RULES = (RAW_HTML,)

_MIGHT = re.compile(r"<[A-Za-z/?]|<![A-Za-z\[]|!\[")
"""Where a tag, a declaration, a processing instruction or an image could start."""
_FOUND = "pcso_policy_raw_html"
_IN_IMAGE = "pcso_policy_raw_html_image"
_SHOWN = 60


@dataclass(frozen=True, slots=True)
class RawHtml:
    line: int
    column: int
    text: str
    """What was written: the tag, the first line of the block, the image."""
    message: str


@dataclass(frozen=True, slots=True)
class _Found:
    offset: int
    text: str
    image: bool


def might_hold_raw_html(text: str) -> bool:
    """Whether ``text`` could hold what render refuses (a superset): a tag, a declaration or an image could
    start in it, or a comment is never closed or has text after it on the line that closes it (an HTML
    block, which render refuses whole). Most policies hold only comments, and need no second parse."""
    if _MIGHT.search(text) is not None:
        return True
    opened = text.find("<!--")
    while opened >= 0:
        closed = text.find("-->", opened + 4)
        if closed < 0:
            return True
        line_end = text.find("\n", closed)
        if text[closed + 3 : line_end if line_end >= 0 else len(text)].strip():
            return True
        opened = text.find("<!--", closed + 3)
    return False


def raw_html(document: Document) -> list[RawHtml]:
    """Every raw HTML block, inline tag and image of the body that render refuses, in file order."""
    if not might_hold_raw_html(document.text):  # the front matter too: a superset, and no copy of the body
        return []
    start = document.body_line - 1
    body = "\n".join(document.lines[start:])
    return sorted(_find(document, start, body), key=lambda found: (found.line, found.column))


def _find(document: Document, body_index: int, body: str) -> Iterator[RawHtml]:
    parser = _parser()
    env: dict[str, Any] = {}
    line = 0
    for token in parser.parse(body, env):
        if token.map:
            line = token.map[0]
        if token.type == "html_block" and not is_comment(token.content):
            offset = len(token.content) - len(token.content.lstrip())
            first = token.content.strip().split("\n", 1)[0].strip()
            position = document.position_in(body_index + line + 1, token.content, offset)
            yield RawHtml(position.line, position.column, first, _block_message(first))
        elif token.type == "inline":
            env[_FOUND] = []
            parser.inline.parse(token.content, parser, env, [])
            for found in env[_FOUND]:
                position = document.position_in(body_index + line + 1, token.content, found.offset)
                message = _image_message(found.text) if found.image else _inline_message(found.text)
                yield RawHtml(position.line, position.column, found.text, message)


def _shown(text: str) -> str:
    text = " ".join(text.split())
    shown = text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
    return shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "\u2026"


def _block_message(first: str) -> str:
    return (
        f"raw HTML block '{_shown(first)}' cannot be published (render refuses it): write it as Markdown, "
        "a list, a table or paragraphs; only an HTML comment may stay"
    )


_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _inline_message(tag: str) -> str:
    if _LINE_BREAK.fullmatch(tag):
        instead = "end the line with a backslash (\\) for a line break, or start a new paragraph"
    else:
        instead = "write it as Markdown (**bold**, *italic*, a link) or as plain text"
    return f"raw HTML '{_shown(tag)}' cannot be published (render refuses it): {instead}"


def _image_message(image: str) -> str:
    return f"image '{_shown(image)}' cannot be published yet (render refuses it): describe the image in words or link to it"


@functools.cache
def _parser() -> MarkdownIt:
    """The dialect render reads (CommonMark plus tables), recording where each inline tag and image starts."""
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline.html_inline import html_inline
    from markdown_it.rules_inline.image import image

    def recording_html(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not html_inline(state, silent):
            return False
        if not silent and not state.env.get(_IN_IMAGE):
            content = state.tokens[-1].content
            if not is_comment(content):
                state.env[_FOUND].append(_Found(start, content, image=False))
        return True

    def recording_image(state: StateInline, silent: bool) -> bool:
        start = state.pos
        depth = state.env.get(_IN_IMAGE, 0)
        state.env[_IN_IMAGE] = depth + 1  # what the alternative text holds is part of the image's one finding
        try:
            found = image(state, silent)
        finally:
            state.env[_IN_IMAGE] = depth
        if found and not silent and not depth:
            state.env[_FOUND].append(_Found(start, state.src[start : state.pos], image=True))
        return found

    parser = MarkdownIt("commonmark").enable("table").disable("inline")  # inline text is parsed block by block
    parser.inline.ruler.at("html_inline", recording_html)
    parser.inline.ruler.at("image", recording_image)
    return parser


@dataclass(frozen=True, slots=True)
class RawHtmlCheck:
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        for found in raw_html(document):
            yield Finding.spanning(RAW_HTML.id, found.line, found.column, found.text, found.message)

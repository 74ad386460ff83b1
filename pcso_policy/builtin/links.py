"""``publication/link-scheme``: the links a published document may carry.

A hyperlink in a Word document is handed, when the reader clicks it, to
whatever program their computer registers for its scheme: ``ms-msdt:`` ran
the Windows troubleshooter with an attacker's arguments (CVE-2022-30190,
"Follina"), ``search-ms:`` opens a search of a remote share, ``ms-word:``
opens a remote document, ``file:`` and a network path (``\\\\server\\share``,
``//server/share``) make Windows connect to a server and offer it the
reader's credentials. A published policy links only to

- web pages and email addresses: ``http``, ``https`` and ``mailto`` (a
  ``mailto`` link may set only ``to``, ``cc``, ``bcc``, ``subject`` and
  ``body``; some mail programs attach files for other fields);
- places in the document (``#section``) and documents beside it by a relative
  path (``policies/o38.md``, ``../guidance.pdf``), as rendering always has.

``tel:`` is not among them: a telephone number is written as text, which every
reader, printed copy and screen reader can use, and a scheme more is one more
program a click starts. The allow-list is the same for every force, so this is
a built-in check; :func:`unsafe_links` is also what ``render`` and ``publish``
refuse a policy for (a suppression silences the lint finding, never the
renderer), and :func:`link_problem` what the read-back of a published document
refuses a hyperlink for.

Links are found as markdown-it finds them (inline, reference-style and
autolinks), including those markdown-it itself leaves as text
(``javascript:``, ``vbscript:``, ``file:``, ``data:``), since their author
meant a link. Most policies hold no link that needs a second look: a file
is parsed again only when the start of one of its link destinations is not
plainly allowed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.model import Document
from pcso_policy.rules import Rule

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

    from pcso_policy.check import CheckContext

ALLOWED_SCHEMES = ("http", "https", "mailto")
MAILTO_FIELDS = frozenset({"to", "cc", "bcc", "subject", "body"})

LINK_SCHEME = Rule(
    "publication/link-scheme",
    Severity.ERROR,
    "A link a published document must not carry: a scheme other than http, https or mailto (ms-msdt:, "
    "search-ms:, ms-word:, javascript:, file:, data:, tel: ...), a network or Windows path, or a mailto link "
    "with fields other than to, cc, bcc, subject and body.",
    "Word hands a clicked link to whatever program the reader's computer registers for its scheme: ms-msdt: "
    "links ran attackers' commands (CVE-2022-30190), search-ms: and file: links and network paths make Windows "
    "connect to another server and offer it the reader's credentials. The public downloads published policies, "
    "so render and publish refuse such a link as well.",
    "Link to the web page (https://...) or the email address (mailto:...) instead, link another policy by its "
    "relative path (policies/o38.md), or write the address as plain text.",
    "[report a problem](ms-msdt:/id%20PCWDiagnostic)   <- use [report a problem](https://www.example.police.uk/report)",
)
RULES = (LINK_SCHEME,)

_DESTINATION = re.compile(
    r"\]\((?:\s|>)*(<[^>\n]*|\S*)|\]:(?:\s|>)*(<[^>\n]*|\S*)|<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\x00-\x20]*)>"
)
"""Where a link destination can start: after ``](`` (inline), ``]:`` (a reference definition) or ``<`` (an autolink);
whitespace and a block quote's ``>`` may come first. A superset: a destination markdown-it reads is a prefix of what
this reads (an autolink exactly), so when each of these is plainly allowed, so is every link."""
_FOUND = "pcso_policy_links"
_SHOWN = 60


def link_problem(href: str) -> str | None:
    """Why ``href`` (a link destination, as written or as markdown-it normalises it) may not be a live link in a
    published document, as the end of a sentence; ``None`` when it may.

    Percent-encoding is undone first (a reader's program may undo it), then: ``#...`` is a place in the
    document; a colon before the first ``/``, ``?`` or ``#`` ends a scheme, which must be allowed; anything
    else is a relative path, which must not hold a backslash or start with ``//`` (a network location).
    """
    text = _decoded(href)
    if text.startswith("#"):
        return None
    head = re.split(r"[/?#]", text, maxsplit=1)[0]
    if ":" in head:
        scheme = head.split(":", 1)[0]
        if scheme.lower() == "mailto":
            return _mailto_problem(text)
        if scheme.lower() in ALLOWED_SCHEMES:
            return None
        if len(scheme) == 1 and scheme.isalpha():
            return "is a path on a Windows drive, which readers of the published document cannot open"
        return f"uses the scheme '{_shown(scheme)}:', which Word hands to another program"
    if "\\" in text or text.startswith("//"):
        return "is a network or Windows path, to which Windows connects with the reader's credentials"
    return None


def _decoded(href: str) -> str:
    text = href
    for _ in range(4):  # %2525... decoded as often as a chain of programs might
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def _mailto_problem(text: str) -> str | None:
    _, _, query = text.partition("?")
    for field in filter(None, query.split("&")):
        name = field.split("=", 1)[0].strip().lower()
        if name not in MAILTO_FIELDS:
            return f"is a mailto link setting '{_shown(name)}', which some mail programs act on (attaching files)"
    return None


def _shown(text: str) -> str:
    shown = text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
    return shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "\u2026"


def message(destination: str, problem: str) -> str:
    """The finding's (and the renderer's) message for a link to ``destination``."""
    return (
        f"link to '{_shown(destination)}' {problem}: link to an https, http or mailto address or a relative path "
        "instead, or write it as plain text"
    )


@dataclass(frozen=True, slots=True)
class UnsafeLink:
    line: int
    column: int
    destination: str
    """The destination as written (or as normalised, where it could not be found in the source)."""
    message: str


def unsafe_links(document: Document) -> list[UnsafeLink]:
    """Every link of the body that may not be published, in file order (a reference definition once,
    however many links use it)."""
    if not _might_be_unsafe(document.text):  # the front matter too: a superset, and no copy of the body
        return []
    start = document.body_line - 1
    body = "\n".join(document.lines[start:])
    return sorted(_Finder(document, start).find(body), key=lambda link: (link.line, link.column))


def _might_be_unsafe(body: str) -> bool:
    for match in _DESTINATION.finditer(body):
        head = next(group for group in match.groups() if group is not None).removeprefix("<")
        if "&" in head or "\\" in head or link_problem(head) is not None:  # entities and escapes are undone by markdown-it
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Found:
    offset: int
    """Where the destination (a reference link's label) starts in the inline text."""
    href: str
    written: str | None
    """The destination as written, for an inline link or autolink; ``None`` for a reference link."""


class _Finder:
    def __init__(self, document: Document, body_index: int) -> None:
        self.document = document
        self.body_index = body_index

    def find(self, body: str) -> Iterator[UnsafeLink]:
        parser = _parser()
        env: dict[str, Any] = {}
        tokens = parser.parse(body, env)
        references: dict[str, dict[str, Any]] = env.get("references", {})
        reported: set[str] = set()
        line = 0
        for token in tokens:
            if token.map:
                line = token.map[0]
            if token.type != "inline":
                continue
            env[_FOUND] = []
            parser.inline.parse(token.content, parser, env, [])
            for found in env[_FOUND]:
                problem = link_problem(found.href)
                if problem is None:
                    continue
                if found.written is not None:
                    position = self.document.position_in(self.body_index + line + 1, token.content, found.offset)
                    yield UnsafeLink(position.line, position.column, found.written, message(found.written, problem))
                elif found.href not in reported:
                    reported.add(found.href)
                    yield self._definition(references, found, problem, token.content, line)

    def _definition(self, references: dict[str, dict[str, Any]], found: _Found, problem: str, content: str, line: int) -> UnsafeLink:
        """A reference link's problem, placed at the destination of the first definition giving its address."""
        definition = next((ref for ref in references.values() if ref.get("href") == found.href and ref.get("map")), None)
        if definition is None:  # cannot happen: the link took its address from a definition
            position = self.document.position_in(self.body_index + line + 1, content, found.offset)
            return UnsafeLink(position.line, position.column, found.href, message(found.href, problem))
        first = self.body_index + definition["map"][0]
        last = self.body_index + definition["map"][1]
        line_number, column, written = _definition_destination(self.document.lines, first, last)
        shown = written or found.href
        return UnsafeLink(line_number, column, shown, message(shown, problem))


_DEFINITION_DESTINATION = re.compile(r"\]:[ \t]*(?:\n[ \t>]*)?(<[^>\n]*>?|\S+)")


def _definition_destination(lines: list[str], first: int, last: int) -> tuple[int, int, str | None]:
    """The 1-based line and column of a definition's destination (``first``, ``last``: its 0-based file lines),
    and the destination as written; the definition's ``[`` where the destination cannot be found."""
    text = "\n".join(lines[first:last])
    opening = max(text.find("["), 0)
    label_end = _label_end(text, opening)
    match = _DEFINITION_DESTINATION.match(text, label_end) if label_end >= 0 else None
    offset = match.start(1) if match else opening
    before = text[:offset]
    line = first + before.count("\n")
    column = offset - (before.rfind("\n") + 1) + 1
    return line + 1, column, match.group(1) if match else None


def _label_end(text: str, opening: int) -> int:
    """The index of the ``]`` closing the label that opens at ``opening`` (backslash escapes skipped), or -1."""
    index = opening + 1
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == "]":
            return index
        index += 1
    return -1


@functools.cache
def _parser() -> MarkdownIt:
    """The policies' dialect (CommonMark plus tables) recording each link's destination where it is written."""
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline.autolink import autolink
    from markdown_it.rules_inline.link import link

    class _EveryLink(MarkdownIt):
        def validateLink(self, url: str) -> bool:
            return True  # markdown-it leaves javascript: and friends as text; the author meant a link all the same

    def recording_link(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        written = None if silent else _inline_destination(state, start)
        if not link(state, silent):
            return False
        if not silent:
            href = _opened_href(state, count)
            if written is not None and state.md.normalizeLink(written[1]) == href:
                state.env[_FOUND].append(_Found(written[0], href, written[2]))
            else:
                state.env[_FOUND].append(_Found(start, href, None))
        return True

    def recording_autolink(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not autolink(state, silent):
            return False
        if not silent:
            written = state.src[start + 1 : state.pos - 1]
            state.env[_FOUND].append(_Found(start + 1, _opened_href(state, count), written))
        return True

    parser = _EveryLink("commonmark").enable("table").disable("inline")  # inline text is parsed block by block
    parser.inline.ruler.at("link", recording_link)
    parser.inline.ruler.at("autolink", recording_autolink)
    return parser


def _opened_href(state: StateInline, count: int) -> str:
    opened = next(token for token in state.tokens[count:] if token.type == "link_open")
    return str(opened.attrGet("href") or "")


def _inline_destination(state: StateInline, start: int) -> tuple[int, str, str] | None:
    """For ``[text](destination ...)`` at ``start``: the destination's offset, its text as markdown-it reads it
    and as written; ``None`` when no inline destination follows the label."""
    if state.src[start] != "[":
        return None
    label_end = state.md.helpers.parseLinkLabel(state, start, True)
    if label_end < 0 or label_end + 1 >= state.posMax or state.src[label_end + 1] != "(":
        return None
    position = label_end + 2
    while position < state.posMax and state.src[position] in " \t\n":
        position += 1
    result = state.md.helpers.parseLinkDestination(state.src, position, state.posMax)
    if not result.ok:
        return None
    if state.src[position] == "<":  # <destination>: placed and shown without its brackets
        return position + 1, result.str, state.src[position + 1 : result.pos - 1]
    return position, result.str, state.src[position : result.pos]


@dataclass(frozen=True, slots=True)
class LinkCheck:
    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        for found in unsafe_links(document):
            yield Finding.spanning(LINK_SCHEME.id, found.line, found.column, found.destination, found.message)

"""Text a pull request controls, made safe to show: in a terminal, in a CI log, in a file a person opens.

A policy's text, its YAML values and its file name all come from whoever
wrote the change. Printed raw, a newline in a YAML value starts a line of the
CI log of its own (``::error ...``, ``::stop-commands::`` and ``::add-mask::``
are GitHub Actions workflow commands), an escape sequence recolours, retitles
or clears the reviewer's terminal, and bidirectional controls make a line read
differently from what it holds (Trojan Source). Every human-facing output
passes what it shows through :func:`shown` (one value) or :func:`line` (a
whole output line); ordinary text, accented letters, typographic quotes and
dashes pass unchanged, so the output of a normal policy does not change.

What :func:`shown` writes escaped, Python-style:

- C0 controls (``\\n``, ``\\r``, ``\\t``, ``\\x1b`` for ESC ...), DEL and the C1
  controls U+0080 to U+009F (``\\x85`` is NEL, ``\\x9b`` the one-byte CSI);
- the Unicode line and paragraph separators (``\\u2028``, ``\\u2029``);
- the bidirectional embeddings, overrides, isolates and marks
  (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C);
- a lone surrogate: a file name's byte that is not UTF-8 (Python reads it
  as U+DC80 to U+DCFF) is shown as that byte, ``\\xff``; any other lone
  surrogate (YAML's ``"\\ud800"``) as ``\\ud800``;
- ``[`` after ``##`` and letters (``##[error]``, ``##vso[...]``,
  ``##teamcity[...]``): the GitHub runner reads the legacy ``##[command]``
  form anywhere in a line, Azure Pipelines ``##vso[`` likewise.

A backslash itself is not escaped: what is shown is meant for reading, and
the escapes above cannot be used to forge anything.

:func:`line` also makes sure no line begins with ``::`` (after white space,
which the runner skips): its first colon is shown as ``\\x3a``.

For JSON text, which other programs read back, :func:`json_text` keeps every
value as it is (``\\u0023`` for the ``#`` of ``##[``, ``\\u2028`` and the like)
except lone surrogates, which JSON's UTF-8 cannot carry: those become the
same ``\\xff`` text a person sees.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pcso_policy.diagnostics import Diagnostic

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\u2028\u2029{_BIDI}\ud800-\udfff]|##[A-Za-z]*\\[")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_UNSAFE = re.compile(f"[\\x7f-\\x9f\u2028\u2029{_BIDI}\ud800-\udfff]|#(?=#[A-Za-z]*\\[)")


def _escape(match: re.Match[str]) -> str:
    found = match.group()
    if len(found) > 1:  # ##[ (or ##vso[ ...): its bracket
        return found[:-1] + "\\x5b"
    return escape_char(found)


def escape_char(char: str) -> str:
    """One unsafe character as :func:`shown` writes it."""
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def shown(text: str) -> str:
    """``text`` with every character that could act on a terminal or a CI log shown escaped."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def line(text: str) -> str:
    """One line of human-facing output: :func:`shown`, and never beginning with ``::``."""
    text = shown(text)
    stripped = text.lstrip()
    if stripped.startswith("::"):
        at = len(text) - len(stripped)
        text = text[:at] + "\\x3a" + text[at + 1 :]
    return text


def lines(text: str) -> str:
    """Every line of ``text`` (joined by ``\\n``) through :func:`line`; the line breaks are kept."""
    return "\n".join(line(part) for part in text.split("\n"))


def printable(text: str) -> str:
    """``text`` with lone surrogates only shown escaped (``\\xff``): a file name UTF-8 can carry."""
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda match: escape_char(match.group()), text)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "#":
        return "\\u0023"
    if 0xD800 <= code <= 0xDFFF:
        return "\\" + escape_char(char)  # a JSON string holding a backslash, then x and the byte
    return f"\\u{code:04x}"


def json_text(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) safe to print and to encode as UTF-8.

    Only string literals can hold these characters, and each replacement is a
    JSON escape inside one, so the document means the same (lone surrogates
    aside, which become the text ``\\xff``).
    """
    if _JSON_UNSAFE.search(text) is None:
        return text
    return _JSON_UNSAFE.sub(_json_escape, text)


def printable_paths(diagnostics: list[Diagnostic], digests: Mapping[str, bytes]) -> tuple[list[Diagnostic], Mapping[str, bytes]]:
    """``diagnostics`` with file names UTF-8 can carry (lone surrogates shown as ``\\xff``), and the line
    digests keyed to match: what fingerprints hash and baselines store. Unchanged (no copy) when every
    name is UTF-8 already."""
    odd = {path for path in {diagnostic.path for diagnostic in diagnostics} if _SURROGATE.search(path)}
    if not odd:
        return diagnostics, digests
    renamed = [dataclasses.replace(d, path=printable(d.path)) if d.path in odd else d for d in diagnostics]
    return renamed, {printable(path): lines for path, lines in digests.items()}

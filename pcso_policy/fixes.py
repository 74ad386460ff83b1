"""Fixes: edits a finding offers, and applying them to a file's bytes without touching anything else.

An edit's positions are those of findings: 1-based lines and columns in
characters of the line as users see them, counted on the text with line
endings normalised (as :mod:`pcso_policy.parsing` reads it), the end
exclusive. :func:`apply` maps them back onto the file's original bytes, so a
byte-order mark, CRLF or CR line endings and the front matter's formatting
outside the edited ranges are kept byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

BOM = b"\xef\xbb\xbf"
"""As :data:`pcso_policy.parsing.BOM`; kept here so that diagnostics can name a fix without importing the parser."""
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text from ``line``:``column`` up to ``end_line``:``end_column`` (exclusive) by ``replacement``."""

    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """What a finding offers to change: ``safe`` when the meaning cannot change, so ``lint --fix`` applies it."""

    description: str
    edits: tuple[Edit, ...]
    safe: bool


class FixError(ValueError):
    """Edits that cannot be applied: overlapping, outside the file, or on a file that is not UTF-8."""


def apply(data: bytes, edits: Iterable[Edit]) -> bytes:
    """``data`` with the non-overlapping ``edits`` applied; every byte outside their ranges is kept."""
    bom = BOM if data.startswith(BOM) else b""
    try:
        text = data[len(bom) :].decode("utf-8")
    except UnicodeDecodeError as error:
        raise FixError(f"the file is not UTF-8 text: {error}") from None
    lines = _lines(text)
    ranges = [(_offset(lines, edit.line, edit.column), _offset(lines, edit.end_line, edit.end_column), edit) for edit in edits]
    ranges.sort(key=lambda entry: (entry[0], entry[1]))
    pieces: list[str] = []
    done = 0
    previous: tuple[int, int] | None = None
    for start, end, edit in ranges:
        if end < start:
            raise FixError(f"an edit ends ({edit.end_line}:{edit.end_column}) before it starts ({edit.line}:{edit.column})")
        if previous is not None and (start < previous[1] or start == previous[0]):
            raise FixError(f"edits overlap at {edit.line}:{edit.column}: apply them one at a time")
        pieces.append(text[done:start])
        pieces.append(_with_line_ending(edit.replacement, lines[edit.line - 1][1]))
        done = end
        previous = (start, end)
    pieces.append(text[done:])
    return bom + "".join(pieces).encode("utf-8")


def _lines(text: str) -> list[tuple[int, str, int]]:
    """Each line's offset in ``text``, its line ending (empty for the last), and its length without it."""
    lines: list[tuple[int, str, int]] = []
    start = 0
    for ending in _LINE_END.finditer(text):
        lines.append((start, ending.group(), ending.start() - start))
        start = ending.end()
    lines.append((start, "", len(text) - start))
    return lines


def _offset(lines: list[tuple[int, str, int]], line: int, column: int) -> int:
    if not 1 <= line <= len(lines):
        raise FixError(f"an edit is at line {line}, and the file has {len(lines)}")
    start, _, length = lines[line - 1]
    if not 1 <= column <= length + 1:
        raise FixError(f"an edit is at column {column} of line {line}, which has {length} characters")
    return start + column - 1


def _with_line_ending(replacement: str, ending: str) -> str:
    """A replacement's line breaks written as the file writes the edited line's."""
    if "\n" not in replacement or ending in ("", "\n"):
        return replacement
    return replacement.replace("\n", ending)

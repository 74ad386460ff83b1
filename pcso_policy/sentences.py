"""Sentences of a block of prose, for checks that judge a statement sentence by sentence.

A sentence ends at ``.``, ``!`` or ``?`` followed by white space and a
capital letter (or an opening quote or bracket before one), as in "PCSOs
cannot arrest. However ...". A full stop that belongs to an abbreviation
("e.g. Kent", "i.e. a member of staff", "s. 149", "para. 2") or an initial
("J. Smith") does not end one, and neither does a paragraph number's ("6.1."
stands alone before the sentence it numbers, which is harmless). With
``clauses``, a semicolon followed by white space ends one too ("PCSOs cannot
arrest; they may detain").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_END = re.compile(r"[.!?]+[\"'’”)\]]*\s+(?=[\"'‘“(\[]?[A-Z])")
_END_OR_SEMICOLON = re.compile(r"(?:[.!?]+[\"'’”)\]]*\s+(?=[\"'‘“(\[]?[A-Z])|;\s+)")
_LAST_WORD = re.compile(r"([^\W\d_](?:[\w.]*[^\W_])?)\.?$")
ABBREVIATIONS = frozenset(
    {
        *("e.g", "eg", "i.e", "ie", "etc", "cf", "viz", "vs", "approx", "incl"),
        *("no", "nos", "para", "paras", "s", "ss", "sch", "art", "reg", "regs", "pt", "ch", "vol"),
    }
)
"""Words whose full stop is an abbreviation's, lower case and without their last full stop."""


def sentences(text: str, clauses: bool = False) -> Iterator[tuple[int, str]]:
    """Each sentence of ``text`` with its offset in ``text``, in order; together they are the whole text."""
    end = _END_OR_SEMICOLON if clauses else _END
    start = 0
    for match in end.finditer(text):
        if text[match.start()] == "." and _abbreviation_before(text, start, match.start()):
            continue
        yield start, text[start : match.end()]
        start = match.end()
    if start < len(text):
        yield start, text[start:]


def _abbreviation_before(text: str, start: int, stop: int) -> bool:
    """Whether the word ending at ``stop`` (a full stop's offset) is an abbreviation or an initial."""
    word = _LAST_WORD.search(text, start, stop)
    if word is None:
        return False
    found = word.group(1).casefold()
    return len(found) == 1 or found in ABBREVIATIONS

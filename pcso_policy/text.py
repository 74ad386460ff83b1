"""How titles, labels and words are compared: one normalisation for every kind.

Policies written by different forces spell the same heading or label many
ways: "Date  last reviewed :", "DATE LAST REVIEWED", "Equality & diversity
impact", "Review and Monitoring". Every comparison of a heading, a ``Label:``
or a word goes through this module, so that a title a force accepts for one
check is accepted by all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_NOT_WORD = re.compile(r"[\W_]+")
_AMPERSAND = re.compile(r"\s*&\s*")


def normalise_title(title: str) -> str:
    """A heading or ``Label:`` as compared: case, punctuation and spacing ignored, '&' read as 'and'
    ('Date  last reviewed :' and 'DATE LAST REVIEWED' are the same label)."""
    return " ".join(title_words(title))


def title_words(title: str) -> tuple[str, ...]:
    """The words of a heading or label, folded ('Equality & Diversity' -> ('equality', 'and', 'diversity'))."""
    text = _AMPERSAND.sub(" and ", title).replace("’", "'").replace("'", "")
    return tuple(_NOT_WORD.sub(" ", text.casefold()).split())


@dataclass(frozen=True, slots=True)
class Titles:
    """Which headings (or labels) name one thing: some exact titles, or any title holding one of some terms.

    'Review and monitoring' holds the term 'review'; 'Security protective marking' holds 'marking'. Exact
    titles are for words too common to be a term on their own ('Policy' names the policy section, while
    'Who this policy applies to' names the scope).
    """

    titles: frozenset[str] = frozenset()
    terms: tuple[str, ...] = ()
    """The terms as compared, each between two spaces, so that a term is found as whole words by a
    substring search of the title between two spaces."""

    @classmethod
    def of(cls, titles: Iterable[str] = (), terms: Iterable[str] = ()) -> Titles:
        return cls(frozenset(normalise_title(title) for title in titles), tuple(f" {normalise_title(term)} " for term in terms))

    def exactly(self, key: str) -> bool:
        """Whether ``key`` (a title as :func:`normalise_title` gives it) is one of the exact titles."""
        return key in self.titles

    def matches(self, key: str) -> bool:
        """Whether ``key`` is an exact title or holds a term."""
        if key in self.titles:
            return True
        padded = f" {key} "
        return any(term in padded for term in self.terms)

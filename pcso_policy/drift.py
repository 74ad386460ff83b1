"""How a local list drifts from a national text's points: word-level comparison and matching.

Texts are compared as sequences of words. Punctuation, curly versus straight
quotes, dash styles, white space and (by default) letter case do not count:
"anti-social behaviour (ASB)" and "anti‑social behaviour, ASB" are the same
words. Similarity is :class:`difflib.SequenceMatcher` over those words.

:func:`compare` pairs local points with national points so that each common
kind of drift gives one answer, not a cascade of "missing" plus "extra":

1. identical points pair first;
2. a local point that contains two or more national points, in any order, is a *merge* (beside a
   point it contains, another may be shortened: see ``_merged_parts``);
3. a national point spread over two or more consecutive local points is a *split*;
4. the remaining pairs, most similar first, are *reworded* when their
   similarity ratio reaches ``reworded`` or when nearly all the words of one
   stand in order in the other (``contained``: a truncated or extended point);
5. what is left is *missing* (national) or *extra* (local).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:['’‘][^\W_]+)*")
_QUOTES = str.maketrans({"’": "'", "‘": "'"})
QUOTE_WORDS = 8
"""A quoted change longer than this many words is shortened in the middle."""


@dataclass(frozen=True, slots=True)
class Words:
    """A text and its comparable words, each with its span in the text."""

    text: str
    tokens: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    def quote(self, start: int, end: int) -> str:
        """The original text of words ``start:end``, shortened in the middle when long."""
        if end - start > QUOTE_WORDS:
            head = self.text[self.spans[start][0] : self.spans[start + QUOTE_WORDS - 3][1]]
            tail = self.text[self.spans[end - 2][0] : self.spans[end - 1][1]]
            return f"{head} ... {tail}"
        if start >= end:
            return ""
        return self.text[self.spans[start][0] : self.spans[end - 1][1]]

    def opening(self, count: int = 6) -> str:
        """The first words of the text, for messages ('Respond to incidents of low-level offending...')."""
        if len(self.tokens) <= count:
            return self.text.strip()
        return self.text[: self.spans[count - 1][1]] + "..."


def words(text: str, ignore_case: bool = True) -> Words:
    normal = text.translate(_QUOTES)  # one character for one: spans stay those of ``text``
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(normal):
        tokens.append(match.group().casefold() if ignore_case else match.group())
        spans.append(match.span())
    return Words(text, tuple(tokens), tuple(spans))


def tokens(text: str, ignore_case: bool = True) -> tuple[str, ...]:
    """The words of :func:`words` without their spans, faster (for scanning whole documents)."""
    normal = text.translate(_QUOTES)
    return tuple(_WORD.findall(normal.casefold() if ignore_case else normal))


def joined(parts: Sequence[Words]) -> Words:
    """Several texts read as one (merged or split points)."""
    text = ""
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    for part in parts:
        offset = len(text) + (1 if text else 0)
        text = f"{text} {part.text}" if text else part.text
        tokens.extend(part.tokens)
        spans.extend((start + offset, end + offset) for start, end in part.spans)
    return Words(text, tuple(tokens), tuple(spans))


@dataclass(frozen=True, slots=True)
class Similarity:
    matched: int
    """Words that stand in both, in the same order."""
    ratio: float
    """``2 * matched / (national words + local words)``: 1.0 for the same words."""
    national_share: float
    """How much of the national point the local one keeps."""
    local_share: float
    """How much of the local point comes from the national one."""


def similarity(national: Sequence[str], local: Sequence[str]) -> Similarity:
    if not national or not local:
        return Similarity(0, 0.0, 0.0, 0.0)
    matcher = difflib.SequenceMatcher(None, national, local, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return Similarity(matched, 2 * matched / (len(national) + len(local)), matched / len(national), matched / len(local))


@dataclass(frozen=True, slots=True)
class Change:
    """One word-level difference, quoted with a word of unchanged context."""

    national: str
    local: str
    local_offset: int
    """Where the change starts in the local text (its first changed word, or the context word)."""
    kind: str
    """``replace``, ``delete`` (the local text leaves words out) or ``insert`` (it adds words)."""

    def __str__(self) -> str:
        return f"'{self.national}' -> '{self.local}'"


def word_changes(national: Words, local: Words) -> tuple[Change, ...]:
    """The differences between two texts, word by word, in the local text's order.

    Changes separated by a single unchanged word are shown as one.
    """
    matcher = difflib.SequenceMatcher(None, national.tokens, local.tokens, autojunk=False)
    groups: list[list[int]] = []
    kinds: list[set[str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if groups and i1 - groups[-1][1] <= 1 and j1 - groups[-1][3] <= 1:
            groups[-1][1], groups[-1][3] = i2, j2
            kinds[-1].add(tag)
        else:
            groups.append([i1, i2, j1, j2])
            kinds.append({tag})
    changes: list[Change] = []
    for (i1, i2, j1, j2), tags in zip(groups, kinds, strict=True):
        if i2 < len(national.tokens) and j2 < len(local.tokens):
            i2, j2 = i2 + 1, j2 + 1  # one following word of context
        elif i1 > 0 and j1 > 0:
            i1, j1 = i1 - 1, j1 - 1  # at the end: one preceding word
        offset = local.spans[j1][0] if j1 < len(local.spans) else len(local.text.rstrip())
        kind = tags.pop() if len(tags) == 1 else "replace"
        changes.append(Change(national.quote(i1, i2), local.quote(j1, j2), offset, kind))
    return tuple(changes)


@dataclass(frozen=True, slots=True)
class Thresholds:
    reworded: float = 0.6
    """Similarity ratio from which a local point is the national point reworded."""
    contained: float = 0.8
    """Share of words from which one point stands inside another (truncated, extended, merged, split)."""
    min_words: int = 3
    """Fewest words in common for containment to count."""
    fragment_words: int = 6
    """Fewest consecutive words of a national point that, beside another national point in one local point,
    make it a shortened part of a merge."""


@dataclass(frozen=True, slots=True)
class Pair:
    """How national points and local points correspond."""

    status: str
    """``same``, ``reworded``, ``merged``, ``split``, ``missing`` or ``extra``."""
    national: tuple[int, ...]
    local: tuple[int, ...]
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    pairs: tuple[Pair, ...]
    moved: tuple[int, ...]
    """Local points (indices) that stand out of the national order."""

    def count(self, status: str) -> int:
        return sum(1 for pair in self.pairs if pair.status == status)

    @property
    def aligned(self) -> bool:
        return not self.moved and all(pair.status == "same" for pair in self.pairs)


def compare(national: Sequence[Words], local: Sequence[Words], thresholds: Thresholds = Thresholds()) -> Comparison:
    """Pair local points with national points (see the module documentation for the order)."""
    free_national = list(range(len(national)))
    free_local = list(range(len(local)))
    pairs: list[Pair] = []

    def take(status: str, nationals: tuple[int, ...], locals_: tuple[int, ...], read_as: tuple[int, ...] = ()) -> None:
        """Pair them; ``read_as``: the national points in the order the local text gives them, if not theirs."""
        changes: tuple[Change, ...] = ()
        if status in ("reworded", "merged", "split"):
            changes = word_changes(joined([national[i] for i in read_as or nationals]), joined([local[j] for j in locals_]))
        pairs.append(Pair(status, nationals, locals_, changes))
        for i in nationals:
            free_national.remove(i)
        for j in locals_:
            free_local.remove(j)

    first_of = {}
    for i in reversed(range(len(national))):
        first_of[national[i].tokens] = i
    for j in range(len(local)):
        i = first_of.get(local[j].tokens, -1)
        if i in free_national:
            take("same", (i,), (j,))

    sims = {(i, j): similarity(national[i].tokens, local[j].tokens) for i in free_national for j in free_local}
    for j in list(free_local):
        parts = _merged_parts(j, free_national, national, local, sims, thresholds)
        if len(parts) >= 2 and _better_together(parts, j, national, local, sims, thresholds, merged=True):
            take("merged", tuple(sorted(parts)), (j,), read_as=parts)
    for i in list(free_national):
        parts = tuple(j for j in free_local if _contains(sims[i, j].local_share, sims[i, j], thresholds))
        adjacent = len(parts) >= 2 and parts[-1] - parts[0] == len(parts) - 1
        if adjacent and _better_together(parts, i, national, local, sims, thresholds, merged=False):
            take("split", (i,), parts)
    candidates = sorted(
        ((sim.ratio, i, j) for (i, j), sim in sims.items() if _one_to_one(sim, thresholds)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    for _, i, j in candidates:
        if i in free_national and j in free_local:
            take("reworded", (i,), (j,))
    for i in list(free_national):
        take("missing", (i,), ())
    for j in list(free_local):
        take("extra", (), (j,))
    pairs.sort(key=lambda pair: (pair.national[0] if pair.national else len(national), pair.local[:1]))
    return Comparison(tuple(pairs), _moved(pairs))


def _merged_parts(
    j: int,
    free_national: list[int],
    national: Sequence[Words],
    local: Sequence[Words],
    sims: dict[tuple[int, int], Similarity],
    thresholds: Thresholds,
) -> tuple[int, ...]:
    """The national points local point ``j`` may merge, in the order it gives them.

    Points it contains (``contained``) are parts. Once there is one, a point is a part too when the local
    point keeps the ``reworded`` share of its words, or when what the contained parts leave of the local
    point is, to the ``contained`` share, a run of at least ``fragment_words`` of its words: a merge that
    shortens a point ("Respond to incidents of low-level offending and ASB, and defuse conflict ..."). Without
    that the shortened point would be reported missing besides the merge taken for an extended other point.
    """
    whole = [i for i in free_national if _contains(sims[i, j].national_share, sims[i, j], thresholds)]
    if not whole:
        return ()
    rest = _left_over(local[j].tokens, [national[i].tokens for i in whole])
    partial = [i for i in free_national if i not in whole and _part_of_merge(national[i].tokens, rest, sims[i, j], thresholds)]
    return tuple(sorted([*whole, *partial], key=lambda i: (_place_in(national[i].tokens, local[j].tokens), i)))


def _part_of_merge(point: Sequence[str], rest: Sequence[str], sim: Similarity, thresholds: Thresholds) -> bool:
    if sim.national_share >= thresholds.reworded and sim.matched >= thresholds.min_words:
        return True
    if len(rest) < thresholds.fragment_words:
        return False
    run = difflib.SequenceMatcher(None, point, rest, autojunk=False).find_longest_match(0, len(point), 0, len(rest)).size
    return run >= thresholds.fragment_words and run >= thresholds.contained * len(rest)


def _left_over(whole: Sequence[str], parts: list[Sequence[str]]) -> list[str]:
    """The words of ``whole`` that none of ``parts`` matches, in order."""
    used: set[int] = set()
    for part in parts:
        matcher = difflib.SequenceMatcher(None, part, whole, autojunk=False)
        for block in matcher.get_matching_blocks():
            used.update(range(block.b, block.b + block.size))
    return [word for index, word in enumerate(whole) if index not in used]


def _place_in(part: Sequence[str], whole: Sequence[str]) -> int:
    """Where in ``whole`` the longest run of words it shares with ``part`` starts."""
    matcher = difflib.SequenceMatcher(None, part, whole, autojunk=False)
    return matcher.find_longest_match(0, len(part), 0, len(whole)).b


def _contains(share: float, sim: Similarity, thresholds: Thresholds) -> bool:
    return share >= thresholds.contained and sim.matched >= thresholds.min_words


def _one_to_one(sim: Similarity, thresholds: Thresholds) -> bool:
    if sim.ratio >= thresholds.reworded:
        return True
    return _contains(max(sim.national_share, sim.local_share), sim, thresholds)


def _better_together(
    parts: tuple[int, ...],
    whole: int,
    national: Sequence[Words],
    local: Sequence[Words],
    sims: dict[tuple[int, int], Similarity],
    thresholds: Thresholds,
    merged: bool,
) -> bool:
    """Whether the parts read together match the whole better than any one part does: a higher ratio, or (a
    merge with a shortened part) at least ``fragment_words`` more words matched."""
    if merged:  # the parts in the order the local point gives them
        together = similarity(joined([national[i] for i in parts]).tokens, local[whole].tokens)
        singles = [sims[i, whole] for i in parts]
    else:
        together = similarity(national[whole].tokens, joined([local[j] for j in parts]).tokens)
        singles = [sims[whole, j] for j in parts]
    better = together.ratio > max(single.ratio for single in singles)
    more = merged and together.matched >= max(single.matched for single in singles) + thresholds.fragment_words
    return together.ratio >= thresholds.reworded and (better or more)


def _moved(pairs: list[Pair]) -> tuple[int, ...]:
    """Local points outside the longest run that keeps the national order."""
    placed = sorted((pair.local[0], pair.national[0]) for pair in pairs if pair.local and pair.national)
    order = [national for _, national in placed]
    keep = _longest_increasing(order)
    return tuple(placed[index][0] for index in range(len(placed)) if index not in keep)


def _longest_increasing(values: list[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence (quadratic: lists are short)."""
    if not values:
        return set()
    length = [1] * len(values)
    previous = [-1] * len(values)
    for k in range(len(values)):
        for before in range(k):
            if values[before] < values[k] and length[before] + 1 > length[k]:
                length[k], previous[k] = length[before] + 1, before
    k = max(range(len(values)), key=lambda index: (length[index], -index))
    kept: set[int] = set()
    while k != -1:
        kept.add(k)
        k = previous[k]
    return kept

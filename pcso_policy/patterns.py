"""Regular expressions that check files give, compiled so that most texts are refused without a search.

Python's ``re`` tries every alternative of a pattern at every position of a
text, which makes a list of case-ignoring phrases the costliest part of
linting a policy. Nearly every phrase a check file lists needs some literal
words ("reviewed", "authorit"), so :class:`Pattern` first asks whether the
text holds them (a fast substring test on the text lower-cased once) and runs
the expression only when it does. A search it skips could not have matched:
the results are exactly those of the plain expression.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from re import _casefix, _constants, _parser  # type: ignore[attr-defined]

_REPEATS = (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT)

_UNSURE = frozenset(
    chr(equivalent)
    for lower, others in _casefix._EXTRA_CASES.items()
    for equivalent in (lower, *others)
    if equivalent > 127
) | {"\u0307"}
"""Characters for which ``str.lower`` and a case-ignoring ``re`` disagree: the long s matches 's', the
Greek final sigma 'σ', and 'İ' lower-cases to 'i' plus a combining dot (U+0307). A text holding one is searched
in full, and a literal holding one is not relied on."""
_UNSURE_CLASS = re.compile("[" + "".join(sorted(_UNSURE)) + "]")

Need = str | tuple[str, tuple["Need", ...]]
"""What a text must hold for a pattern to match: a literal (lower case), or ("all"|"any", needs)."""
ALWAYS: Need = ("all", ())


class Pattern:
    """An expression that searches only texts holding the literals every match needs.

    It is compiled when a text first needs it: compiling costs more than
    reading its literals, and in most runs most of a check file's
    expressions meet no text that could match.
    """

    __slots__ = ("pattern", "flags", "need", "_holds", "_regex")

    def __init__(self, pattern: str, flags: int, need: Need | None = None) -> None:
        self.pattern = pattern
        self.flags = flags
        self.need = need_of(pattern, flags) if need is None else need
        self._holds = predicate(self.need)
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(self.pattern, self.flags)
        return self._regex

    def _regex_for(self, text: str) -> re.Pattern[str] | None:
        """The expression to search ``text`` with, or None when it could not match there."""
        if self._holds is None:
            return self.regex
        folded = _folded(text)
        return self.regex if folded is None or self._holds(folded) else None

    def could_match(self, text: str) -> bool:
        return self._regex_for(text) is not None

    def search(self, text: str) -> re.Match[str] | None:
        regex = self._regex_for(text)
        return regex.search(text) if regex is not None else None

    def match(self, text: str) -> re.Match[str] | None:
        regex = self._regex_for(text)
        return regex.match(text) if regex is not None else None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        regex = self._regex_for(text)
        return regex.fullmatch(text) if regex is not None else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        regex = self._regex_for(text)
        return regex.finditer(text) if regex is not None else iter(())

    def findall(self, text: str) -> list[object]:
        regex = self._regex_for(text)
        return regex.findall(text) if regex is not None else []

    def __repr__(self) -> str:
        return f"Pattern({self.pattern!r})"


def compile_pattern(pattern: str, flags: int = re.IGNORECASE) -> Pattern:
    """``pattern`` as a :class:`Pattern`, compiled when first searched with; a syntax error is a
    ``re.error`` at once (check files' expressions are also held to their schemas' ``regex`` format)."""
    return Pattern(pattern, flags)


class AnyOf(Pattern):
    """Alternatives in one expression that, for each text, searches with only those whose literals it holds.

    An alternative left out cannot match anywhere in the text, so the leftmost
    match, and which alternative makes it, are those of the whole expression.
    """

    __slots__ = ("alternatives", "_narrowed")

    def __init__(self, alternatives: list[str], flags: int) -> None:
        needs = [need_of(alternative, flags) for alternative in alternatives]
        # One test for "could any alternative match", so that most texts are refused in a single call.
        super().__init__(_join(alternatives), flags, ALWAYS if ALWAYS in needs else ("any", tuple(needs)))
        self.alternatives = [(alternative, predicate(need)) for alternative, need in zip(alternatives, needs, strict=True)]
        self._narrowed: dict[tuple[int, ...], re.Pattern[str]] = {}

    def _regex_for(self, text: str) -> re.Pattern[str] | None:
        folded = _folded(text)
        if folded is None:
            return self.regex
        if self._holds is not None and not self._holds(folded):
            return None
        chosen = tuple(index for index, (_, holds) in enumerate(self.alternatives) if holds is None or holds(folded))
        if not chosen:
            return None
        if len(chosen) == len(self.alternatives):
            return self.regex
        if chosen not in self._narrowed:
            self._narrowed[chosen] = re.compile(_join([self.alternatives[index][0] for index in chosen]), self.flags)
        return self._narrowed[chosen]


def _join(alternatives: list[str]) -> str:
    return "|".join(f"(?:{alternative})" for alternative in alternatives) if alternatives else r"(?!)"


def any_of(patterns: Iterable[str], flags: int = re.IGNORECASE) -> Pattern:
    """One pattern that matches where any of ``patterns`` does; with none, one that never matches."""
    return AnyOf(list(patterns), flags)


def need_of(pattern: str, flags: int) -> Need:
    """The literals a match of ``pattern`` cannot do without, read from the parsed expression.

    ``re._parser`` is private, but it is the only reader of Python's own
    expression syntax; should it ever refuse, the pattern is simply always searched.
    """
    parsed = _parser.parse(pattern, flags)  # an invalid expression is a re.error here, as re.compile gives
    try:
        return _need(parsed)
    except Exception:  # noqa: BLE001 - any surprise means "no shortcut", never a wrong answer
        return ALWAYS


def _need(items: Iterable[tuple[object, object]]) -> Need:
    parts: list[Need] = []
    run: list[str] = []
    for op, argument in items:
        if op is _constants.LITERAL:
            run.append(chr(argument))  # type: ignore[arg-type]
            continue
        _keep_literal(run, parts)
        run = []
        part = _need_of_item(op, argument)
        if part != ALWAYS:
            parts.append(part)
    _keep_literal(run, parts)
    if len(parts) == 1:
        return parts[0]
    # Longest literals first: the rarest words refuse a text soonest.
    return ("all", tuple(sorted(parts, key=lambda part: -len(part) if isinstance(part, str) else 0)))


def _need_of_item(op: object, argument: object) -> Need:
    if op is _constants.SUBPATTERN:
        return _need(argument[3])  # type: ignore[index]
    if op is _constants.ATOMIC_GROUP:
        return _need(argument)  # type: ignore[arg-type]
    if op in _REPEATS and argument[0] >= 1:  # type: ignore[index]
        return _need(argument[2])  # type: ignore[index]
    if op is _constants.BRANCH:
        options = tuple(_need(branch) for branch in argument[1])  # type: ignore[index]
        return ALWAYS if ALWAYS in options else ("any", options)
    return ALWAYS  # classes, anchors, look-arounds, back-references: nothing literal they insist on


def _keep_literal(run: list[str], parts: list[Need]) -> None:
    literal = "".join(run)
    lowered = literal.lower()
    if len(literal) >= _SHORTEST and len(lowered) == len(literal) and _UNSURE.isdisjoint(lowered):
        parts.append(lowered)


_SHORTEST = 3
"""Shorter literals ("a", "of", "no") are in nearly every text: testing for them costs more than it saves."""


def predicate(need: Need) -> Callable[[str], bool] | None:
    """A function telling whether a lower-cased text holds ``need``; ``None`` when every text does.

    The need is written out as one Python expression of ``in`` tests and
    compiled, because walking the nested tuples for every text cost more than
    the searches it saved. The literals enter the source only through ``repr``.
    """
    if need == ALWAYS:
        return None
    test: Callable[[str], bool] = eval(f"lambda text: {_expression(need)}")  # noqa: S307 - the source is built from repr() of literals
    return test


def _expression(need: Need) -> str:
    if isinstance(need, str):
        return f"{need!r} in text"
    kind, parts = need
    joiner = " and " if kind == "all" else " or "
    return "(" + joiner.join(_expression(part) for part in parts) + ")"


@functools.lru_cache(maxsize=64)
def _folded(text: str) -> str | None:
    """``text`` lower-cased, or ``None`` when it holds a character lower-casing cannot speak for.

    Cached because a run asks of the same document text and block texts for
    many patterns in turn.
    """
    folded = text.lower()
    return None if _UNSURE_CLASS.search(folded) else folded

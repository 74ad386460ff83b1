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
from typing import Any

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
    """``pattern`` as a :class:`Pattern`, compiled when first searched with. A syntax error is a ``re.error``
    at once, but what only compiling finds (a look-behind of varying width) is not: a check file's
    expressions are held to :func:`invalid` when it is loaded."""
    return Pattern(pattern, flags)


def invalid(pattern: str) -> str | None:
    """Why ``pattern``, a regular expression of a check file, cannot be searched with: Python's reason
    ("missing ), unterminated subpattern at position 10"); None when it can.

    Kinds search several expressions as one (``(?:a)|(?:b)``, see :func:`any_of`) or set one inside a
    larger expression, so it must compile inside a group too: flags at its start (``(?i)``) would then stand
    in the middle of the whole, which Python refuses.
    """
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        return str(error)
    try:
        re.compile(f"(?:{pattern})")
    except (re.error, OverflowError, RecursionError) as error:
        flags = _LEADING_FLAGS.match(pattern)
        if flags is None:  # no other cause is known; Python's reason counts '(?:' in its position
            return f"{error}, once set inside a larger expression"
        return (
            f"the flags '{flags.group()}' at its start apply to a whole expression, and the check searches this one "
            f"inside a larger one: write them for a group, '{flags.group()[:-1]}:...)'"
        )
    return None


_LEADING_FLAGS = re.compile(r"\(\?[a-zA-Z]+\)")


class AnyOf(Pattern):
    """Alternatives in one expression that, for each text, searches with only those whose literals it holds.

    An alternative left out cannot match anywhere in the text, so the leftmost
    match, and which alternative makes it, are those of the whole expression.
    """

    __slots__ = ("alternatives", "_narrowed")

    def __init__(self, alternatives: list[str], flags: int) -> None:
        # Each alternative is read as it stands in the whole, inside a group: flags at its start are then an error now,
        # not at the first search that needs the whole expression.
        parsed = [_parser.parse(f"(?:{alternative})", flags) for alternative in alternatives]
        _refuse_shared_names(alternatives, parsed)
        needs = [_parsed_need(each) for each in parsed]
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


def _refuse_shared_names(alternatives: list[str], parsed: list[Any]) -> None:
    """Two alternatives that name the same group cannot be one expression: a ``re.error`` saying which."""
    owners: dict[str, str] = {}
    for alternative, each in zip(alternatives, parsed, strict=True):
        for name in each.state.groupdict:
            if name in owners:
                raise re.error(
                    f"'{owners[name]}' and '{alternative}' are searched as one expression and both name a group "
                    f"'{name}': rename one of the groups, or write (?:...) for a group nothing reads"
                )
            owners[name] = alternative


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
    return _parsed_need(_parser.parse(pattern, flags))  # an invalid expression is a re.error here, as re.compile gives


def _parsed_need(parsed: Any) -> Need:
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


MAX_LENGTH = 1000
"""The longest expression a check file may give (the bundled ones are under 150 characters)."""
MAX_DEPTH = 10
"""The deepest nesting of groups a check file's expression may have (the bundled ones nest two deep).
``re`` parses and compiles an expression recursively: a few hundred nested groups exhaust Python's stack."""
_MANY = 10
"""A repetition that may run more times than this is read as unbounded when judging its backtracking."""


def refusal(pattern: str) -> str | None:
    """Why ``pattern``, from a repository's check file, is refused before it meets any text; None when it is not.

    Refused: an expression longer than :data:`MAX_LENGTH`, one nesting groups deeper than
    :data:`MAX_DEPTH`, and the shapes whose backtracking grows exponentially with the text: a
    repetition inside a repetition with nothing between their runs that the inner one cannot match
    (``(a+)+``, ``(\\s*x?)*``), and a repetition of alternatives that can begin the same way
    (``(?:a|a)+``, ``(?:day|d\\w+)+``). Possessive repetitions (``a++``) and atomic groups
    (``(?>...)``) never backtrack and are not refused. Shapes that are merely slow on text built for
    them remain possible, which is why every file's lint also has a time limit. An expression that
    does not compile is left to :func:`invalid`, which says why.
    """
    if len(pattern) > MAX_LENGTH:
        return f"is {len(pattern):,} characters long, more than the {MAX_LENGTH:,} allowed: split it into several patterns"
    depth = group_depth(pattern)
    if depth > MAX_DEPTH:
        return f"nests groups {depth} deep, more than the {MAX_DEPTH} allowed: write it flatter or as several patterns"
    try:
        parsed = _parser.parse(pattern, re.IGNORECASE)  # case ignored: the flag most kinds search with, and the wider
    except (re.error, RecursionError, OverflowError):
        return None
    shape = _backtracking(list(parsed))
    if shape is None:
        return None
    return (
        f"{shape}: on some texts (such as a long run of one character) trying every way it can match takes longer "
        "than any run can wait; rewrite it, or make the inner repetition possessive ('a++') or the group atomic ('(?>...)')"
    )


def group_depth(pattern: str) -> int:
    """How deep ``pattern``'s groups nest, read from its text (escapes and character classes skipped)."""
    depth = deepest = 0
    index, length = 0, len(pattern)
    while index < length:
        character = pattern[index]
        if character == "\\":
            index += 2
            continue
        if character == "[":
            index += 1
            if index < length and pattern[index] == "^":
                index += 1
            if index < length and pattern[index] == "]":  # a ']' first in a class is itself
                index += 1
            while index < length and pattern[index] != "]":
                index += 2 if pattern[index] == "\\" else 1
        elif character == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif character == ")":
            depth -= 1
        index += 1
    return deepest


class _Chars:
    """The characters some part of an expression can consume: a set, categories (``\\d``, ``\\s``,
    ``\\w`` and their negations) or any character at all."""

    __slots__ = ("any", "chars", "categories")

    def __init__(self, any_char: bool = False, chars: frozenset[str] = frozenset(), categories: frozenset[object] = frozenset()):
        self.any = any_char
        self.chars = chars
        self.categories = categories

    def __or__(self, other: _Chars) -> _Chars:
        return _Chars(self.any or other.any, self.chars | other.chars, self.categories | other.categories)

    def empty(self) -> bool:
        return not (self.any or self.chars or self.categories)

    def meets(self, other: _Chars) -> bool:
        """Whether some character could be consumed by both."""
        if self.empty() or other.empty():
            return False
        if self.any or other.any or self.chars & other.chars:
            return True
        if any(_in_category(c, k) for c in self.chars for k in other.categories):
            return True
        if any(_in_category(c, k) for c in other.chars for k in self.categories):
            return True
        return any(_in_category(c, k1) and _in_category(c, k2) for k1 in self.categories for k2 in other.categories for c in _SAMPLES)


_NO_CHARS = _Chars()
_ANY_CHAR = _Chars(any_char=True)
_SAMPLES = "a_1 \n-é٣\u00a0."
"""Characters standing for every category and its negation: a letter, the underscore, an ASCII and an
Arabic digit, white space, punctuation; two categories share a character exactly when they share one of these."""
_CATEGORY_TESTS: dict[object, re.Pattern[str]] = {
    _constants.CATEGORY_DIGIT: re.compile(r"\d"),
    _constants.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    _constants.CATEGORY_SPACE: re.compile(r"\s"),
    _constants.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    _constants.CATEGORY_WORD: re.compile(r"\w"),
    _constants.CATEGORY_NOT_WORD: re.compile(r"\W"),
}


def _in_category(character: str, category: object) -> bool:
    test = _CATEGORY_TESTS.get(category)
    return test is None or test.fullmatch(character) is not None


def _folds(character: str) -> frozenset[str]:
    return frozenset({character, character.lower(), character.upper()})


def _chars_of(items: Iterable[tuple[object, object]]) -> _Chars:
    """Every character ``items`` could consume anywhere in a match."""
    found = _NO_CHARS
    for op, argument in items:
        found = found | _chars_of_item(op, argument)
        if found.any:
            return found
    return found


def _chars_of_item(op: object, argument: Any) -> _Chars:
    if op is _constants.LITERAL:
        return _Chars(chars=_folds(chr(argument)))
    if op is _constants.IN:
        found = _NO_CHARS
        for kind, value in argument:
            if kind is _constants.LITERAL:
                found = found | _Chars(chars=_folds(chr(value)))
            elif kind is _constants.RANGE and value[1] - value[0] <= 256:
                found = found | _Chars(chars=frozenset(c for n in range(value[0], value[1] + 1) for c in _folds(chr(n))))
            elif kind is _constants.CATEGORY:
                found = found | _Chars(categories=frozenset({value}))
            else:  # a negated class, a wide range
                return _ANY_CHAR
        return found
    if op in _REPEATS:
        return _chars_of(argument[2])
    if op is _constants.SUBPATTERN:
        return _chars_of(argument[3])
    if op is _constants.ATOMIC_GROUP:
        return _chars_of(argument)
    if op is _constants.BRANCH:
        found = _NO_CHARS
        for branch in argument[1]:
            found = found | _chars_of(branch)
        return found
    if op in (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT):
        return _NO_CHARS  # zero width
    return _ANY_CHAR  # any character, a back-reference, a conditional: anything


def _first(items: list[tuple[object, object]]) -> tuple[_Chars, bool]:
    """The characters a match of ``items`` can begin with, and whether it can be empty."""
    found = _NO_CHARS
    for op, argument in items:
        chars, nullable = _first_of_item(op, argument)
        found = found | chars
        if not nullable:
            return found, False
    return found, True


def _first_of_item(op: object, argument: Any) -> tuple[_Chars, bool]:
    if op in _REPEATS:
        chars, nullable = _first(argument[2])
        return chars, nullable or argument[0] == 0
    if op is _constants.SUBPATTERN:
        return _first(argument[3])
    if op is _constants.ATOMIC_GROUP:
        return _first(argument)
    if op is _constants.BRANCH:
        found, nullable = _NO_CHARS, False
        for branch in argument[1]:
            chars, empty = _first(branch)
            found, nullable = found | chars, nullable or empty
        return found, nullable
    if op in (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT):
        return _NO_CHARS, True
    if op is _constants.GROUPREF:
        return _ANY_CHAR, True
    return _chars_of_item(op, argument), False


def _backtracking(items: list[tuple[object, object]]) -> str | None:
    """The first shape in ``items`` whose backtracking grows exponentially, described; None when there is none."""
    for op, argument in items:
        found: str | None = None
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            body: list[tuple[object, object]] = list(argument[2])  # type: ignore[index]
            if argument[1] > _MANY:  # type: ignore[index]
                found = _nested_repeat(body) or _overlapping_branch(body)
            found = found or _backtracking(body)
        elif op is _constants.SUBPATTERN:
            found = _backtracking(list(argument[3]))  # type: ignore[index]
        elif op is _constants.BRANCH:
            found = next((shape for branch in argument[1] if (shape := _backtracking(list(branch)))), None)  # type: ignore[index]
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
            found = _backtracking(list(argument[1]))  # type: ignore[index]
        if found:
            return found
        # Possessive repetitions and atomic groups never give back what they matched: nothing in them backtracks.
    return None


def _inner_repeats(items: list[tuple[object, object]]) -> Iterator[tuple[object, Any]]:
    """The repetitions of more than one run inside ``items`` that can backtrack (not possessive, not atomic)."""
    for op, argument in _walk(items):
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and argument[1] > 1:
            yield op, argument


def _unwrapped(items: list[tuple[object, object]]) -> list[tuple[object, object]]:
    while len(items) == 1 and items[0][0] is _constants.SUBPATTERN:
        items = list(items[0][1][3])  # type: ignore[index]
    return items


def _nested_repeat(body: list[tuple[object, object]]) -> str | None:
    """A repetition inside this repetition's ``body`` that nothing required between runs sets apart."""
    items = _unwrapped(body)
    for inner in _inner_repeats(items):
        inner_chars = _chars_of([inner])
        # An item that is or holds the inner repetition can match what it matches, so it never sets runs apart.
        delimited = any(not _first_of_item(*item)[1] and not _chars_of([item]).meets(inner_chars) for item in items)
        if not delimited:
            return "repeats a repetition with nothing between their runs that the inner one cannot also match, as (a+)+ does"
    return None


def _overlapping_branch(body: list[tuple[object, object]]) -> str | None:
    """Alternatives inside this repetition's ``body`` that can begin the same way (or both match nothing)."""
    for op, argument in _walk(body):
        if op is not _constants.BRANCH:
            continue
        branches = [list(branch) for branch in argument[1]]
        firsts = [_first(branch) for branch in branches]
        for index, (chars, nullable) in enumerate(firsts):
            for offset, (other, other_nullable) in enumerate(firsts[index + 1 :], start=index + 1):
                if nullable and other_nullable:
                    return "repeats alternatives that match the same text, as (?:a|a)+ does"
                if chars.meets(other) and not _diverge(branches[index], branches[offset]):
                    return "repeats alternatives that can begin the same way, as (?:a|a)+ does"
    return None


def _diverge(one: list[tuple[object, object]], other: list[tuple[object, object]]) -> bool:
    """Whether two alternatives' leading characters differ somewhere, so that no text starts both
    ('&#160;' and '&nbsp;' part at their second character)."""
    for (op, argument), (other_op, other_argument) in zip(one, other, strict=False):
        if op not in _SINGLE or other_op not in _SINGLE:
            return False
        if not _chars_of_item(op, argument).meets(_chars_of_item(other_op, other_argument)):
            return True
    return False


_SINGLE = (_constants.LITERAL, _constants.NOT_LITERAL, _constants.IN, _constants.ANY)
"""Items that consume exactly one character."""


def _walk(items: list[tuple[object, object]]) -> Iterator[tuple[object, Any]]:
    """Every item of ``items`` and, inside groups, repetitions and alternatives that can backtrack, theirs."""
    for op, argument in items:
        yield op, argument
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            yield from _walk(list(argument[2]))  # type: ignore[index]
        elif op is _constants.SUBPATTERN:
            yield from _walk(list(argument[3]))  # type: ignore[index]
        elif op is _constants.BRANCH:
            for branch in argument[1]:  # type: ignore[index]
                yield from _walk(list(branch))

"""The literal shortcut of pcso_policy.patterns never changes what a search finds."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from pcso_policy.patterns import ALWAYS, any_of, compile_pattern, invalid

ROOT = Path(__file__).resolve().parents[1]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


@cache
def check_file_patterns() -> list[str]:
    """Every string of the bundled check files that compiles as an expression: the patterns users write."""
    found: list[str] = []
    for path in sorted((ROOT / "checks").glob("*.yaml")):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            try:
                re.compile(text)
            except re.error:
                continue
            found.append(text)
    return found


@cache
def words() -> list[str]:
    """Words the check files' patterns look for, to make matches likely."""
    return sorted({word for pattern in check_file_patterns() for word in re.findall(r"[A-Za-z]{2,}", pattern)})


TRICKY = ["ſ", "ı", "İ", "K", "Σ", "ς", "µ", "’", "\u00a0", "\n", " ", "-", "(", "1998", "2018"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.one_of(st.sampled_from(words()), st.sampled_from(TRICKY), st.text(max_size=4)), max_size=30))
    spellings: list[Callable[[str], str]] = [str, str.upper, str.title, lambda text: text.replace("s", "ſ")]
    spell = draw(st.sampled_from(spellings))
    return " ".join(spell(piece) for piece in pieces)


@given(st.data())
@example(data=None)
def test_search_finds_what_re_finds(data: st.DataObject | None) -> None:
    patterns = check_file_patterns()
    if data is None:  # a fixed case every run: the long s is a case-ignoring 's'
        pattern, text = r"\breviewed\s+every\b", "The policy is reviewed every year, reviewed eveRY ſummer, REVIEWED EVERY"
    else:
        pattern, text = data.draw(st.sampled_from(patterns)), data.draw(texts())
    fast, plain = compile_pattern(pattern), re.compile(pattern, re.IGNORECASE)
    assert _spans(fast.finditer(text)) == _spans(plain.finditer(text))
    found, expected = fast.search(text), plain.search(text)
    assert (found and found.span()) == (expected and expected.span())


@given(st.data())
def test_any_of_finds_what_the_whole_alternation_finds(data: st.DataObject) -> None:
    unnamed = [pattern for pattern in check_file_patterns() if "(?P<" not in pattern]  # a name may be used once
    chosen = data.draw(st.lists(st.sampled_from(unnamed), min_size=1, max_size=6, unique=True))
    text = data.draw(texts())
    plain = re.compile("|".join(f"(?:{pattern})" for pattern in chosen), re.IGNORECASE)
    assert _spans(any_of(chosen).finditer(text)) == _spans(plain.finditer(text))


def _spans(matches: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
    return [match.span() for match in matches]


@pytest.mark.parametrize(
    ("pattern", "text", "searched"),
    [
        (r"police\s+authorit(?:y|ies)", "the police and crime commissioner", False),
        (r"police\s+authorit(?:y|ies)", "the Police Authority", True),
        (r"\bPCSOs?\b", "Police Community Support Officers", False),
        (r"HMIC|Her\s+Majesty's", "her majesty's", True),
        (r"\breview\b", "a ſtrange text", True),  # the long s: lower-casing cannot speak for it
        (r"\binspector\b", "İNSPECTOR", True),  # 'İ' lower-cases to two characters
    ],
)
def test_a_text_without_the_needed_words_is_not_searched(pattern: str, text: str, searched: bool) -> None:
    assert compile_pattern(pattern).could_match(text) is searched


def test_a_pattern_with_no_literal_is_always_searched() -> None:
    assert compile_pattern(r"[A-Z]{2,}\d+").need == ALWAYS
    assert compile_pattern(r"(?:colou?r)?\d").could_match("xyz")  # the optional word is not needed


def test_any_of_needs_one_alternative() -> None:
    pattern = any_of([r"\bnext\s+review\b", r"\bapproved\s+on\b"])
    assert not pattern.could_match("reviewed in January")
    match = pattern.search("Approved on 1 May")
    assert match is not None and match.group() == "Approved on"
    assert any_of([]).search("anything") is None


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("as follows(", "missing ), unterminated subpattern at position 10"),
        ("(?<=as +)follows", "look-behind requires fixed-width pattern"),  # found only by compiling, not by parsing
        ("as{4294967296}", "the repetition number is too large"),  # an OverflowError, not a re.error
        ("as (?i)follows", "global flags not at the start of the expression at position 3"),
        (
            "(?ix)as follows",
            "the flags '(?ix)' at its start apply to a whole expression, and the check searches this one inside a "
            "larger one: write them for a group, '(?ix:...)'",
        ),
    ],
)
def test_invalid_gives_the_reason_a_pattern_cannot_be_searched_with(pattern: str, reason: str) -> None:
    assert invalid(pattern) == reason


@pytest.mark.parametrize("pattern", [r"\bas\s++follows\s*+:\s*+$", r"(?i:as) follows", r"(?<=\bthe )follows", r"(?P<id>[A-Z]\d+)"])
def test_invalid_passes_a_pattern_that_compiles_alone_and_in_a_group(pattern: str) -> None:
    assert invalid(pattern) is None


def test_any_of_refuses_at_once_what_it_could_only_search_as_one_expression_later() -> None:
    """Each alternative is valid on its own; the whole would fail at the first text holding both words."""
    with pytest.raises(re.error) as raised:
        any_of(["(?P<x>assessed)", "(?P<x>EIA)"])
    assert str(raised.value).startswith("'(?P<x>assessed)' and '(?P<x>EIA)' are searched as one expression and both name a group 'x'")
    with pytest.raises(re.error, match="global flags not at the start"):
        any_of(["as follows", "(?i)the following"])
    assert any_of(["(?P<x>assessed)", "(?P<y>EIA)"]).search("The EIA assessed age") is not None

"""accessibility: the capitals run finds what its plain form (look-behind first) finds."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pcso_policy.kinds.accessibility import _CAPS_WORD, build

PLAIN = re.compile(rf"(?<![\w-]){_CAPS_WORD}(?:\s+{_CAPS_WORD}){{3,}}(?![\w-])")


@given(st.text(alphabet="ABCDa-’& \n1", max_size=40))
def test_capitals_runs_are_found_as_the_plain_look_behind_finds_them(text: str) -> None:
    check = build({"caps_words": 4})
    assert [m.span() for m in check.caps_run.finditer(text)] == [m.span() for m in PLAIN.finditer(text)]


def test_a_run_inside_a_word_is_not_a_run() -> None:
    check = build({"caps_words": 4})
    assert check.caps_run.search("xDO NOT USE THIS") is None
    match = check.caps_run.search("DO NOT USE THIS")
    assert match is not None and match.group() == "DO NOT USE THIS"

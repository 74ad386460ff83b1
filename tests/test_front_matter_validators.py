"""The quick front-matter validator never passes what jsonschema (which explains errors) would refuse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pcso_policy.builtin.front_matter import _validator, quickly_valid
from pcso_policy.parsing import read_metadata

ROOT = Path(__file__).resolve().parents[1]

VALID = {
    "id": "O38",
    "title": "Police Community Support Officers",
    "owner": "Head of Partnerships",
    "status": "approved",
    "last_reviewed": "2025-01",
    "next_review": "2027-01",
    "review_cycle_months": 24,
    "amendments": [{"date": "2025-01", "summary": "Reviewed."}],
    "references": ["W1000"],
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "O38", "2025-13", "2025-02-30", "2025-02", "approved", "has space", "OFFICIAL", "x" * 50]),
    st.text(max_size=6),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6
)


def _agree(data: Any) -> None:
    if quickly_valid(data):
        assert list(_validator().iter_errors(data)) == [], data


@given(
    st.dictionaries(st.sampled_from([*VALID, "unknown", "aligns_with", "classification", "publication"]), values, max_size=4),
    st.lists(st.sampled_from(list(VALID)), max_size=3),
)
def test_mutated_front_matter_is_judged_alike(changes: dict[str, Any], removed: list[str]) -> None:
    data = {**VALID, **changes}
    for key in removed:
        data.pop(key, None)
    _agree(data)


def test_every_fixture_front_matter_is_judged_alike() -> None:
    judged = 0
    for path in sorted((ROOT / "tests" / "fixtures").rglob("*.md")):
        if not path.is_file():  # the unreadable-file fixture is a dangling link
            continue
        data = read_metadata(path.read_bytes())
        if data:
            _agree(data)
            judged += 1
    assert judged > 50


def test_the_quick_validator_leaves_the_data_alone() -> None:
    data = dict(VALID)
    quickly_valid(data)
    assert data == VALID

"""Every example in docs/checks.md is a valid check file, and every check kind has one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pcso_policy.checkfiles import load_check_file
from pcso_policy.kinds import KINDS

DOC = Path(__file__).resolve().parents[1] / "docs" / "checks.md"
EXAMPLES = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_example_is_a_valid_check_file(number: int, tmp_path: Path) -> None:
    path = tmp_path / f"example-{number}.yaml"
    path.write_text(EXAMPLES[number], encoding="utf-8")
    assert load_check_file(path)


def test_every_kind_has_an_example() -> None:
    shown = {kind for example in EXAMPLES for kind in re.findall(r"kind: ([\w-]+)", example)}
    assert sorted(set(KINDS) - shown) == []

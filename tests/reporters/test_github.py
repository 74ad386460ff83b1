"""GitHub Actions workflow commands: one annotation per finding, escaped as the runner expects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pcso_policy.reporters.github import format_github
from tests.reporters.sample import sample_report

COMMAND = re.compile(r"^::(?P<level>error|warning|notice) (?P<props>[^:]*)::(?P<message>[^\r\n]*)$")


def unescape(value: str) -> str:
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, plain)
    return value


def test_one_annotation_per_finding_with_position_and_title(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    lines = format_github(sample_report(tmp_path)).splitlines()
    parsed = [COMMAND.match(line) for line in lines]
    assert all(parsed) and len(parsed) == 3
    levels = [match["level"] for match in parsed if match]
    assert levels == ["error", "warning", "notice"]
    flagged = parsed[1]
    assert flagged is not None
    props = dict(item.split("=", 1) for item in flagged["props"].split(","))
    assert props == {
        "file": "policies/t1.md",
        "line": "11",
        "col": "6",
        "endLine": "11",
        "endColumn": "10",
        "title": "pcso-policy terminology/flag",
    }
    assert unescape(flagged["message"]) == 'says FLAG, "quoted": 100% sure,\nreally'


def test_property_values_escape_separators() -> None:
    from pcso_policy.reporters.github import escape_property

    assert escape_property("a,b:c%d\n") == "a%2Cb%3Ac%25d%0A"

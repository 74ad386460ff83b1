"""GitHub Actions workflow commands: one annotation per finding, escaped as the runner expects."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from pcso_policy.diagnostics import Diagnostic, Severity
from pcso_policy.reporters import Report
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


def _report_with(tmp_path: Path, diagnostics: list[Diagnostic]) -> Report:
    sample = sample_report(tmp_path)
    return dataclasses.replace(sample, result=dataclasses.replace(sample.result, diagnostics=diagnostics))


def _findings(path: str, severity: Severity, count: int, start: int = 1) -> list[Diagnostic]:
    return [Diagnostic(path, line, 1, "terminology/flag", severity, f"finding {line}", line, 1) for line in range(start, start + count)]


def test_errors_come_first_whatever_the_path_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GitHub shows 10 annotations of each kind in the order printed: a warning in a.md must not push
    an error of z.md out, and every error comes before the first warning."""
    monkeypatch.chdir(tmp_path)
    found = [*_findings("a.md", Severity.INFO, 2), *_findings("a.md", Severity.WARNING, 3, 10), *_findings("z.md", Severity.ERROR, 2)]
    levels = [line.split(" ", 1)[0].strip(":") for line in format_github(_report_with(tmp_path, found)).splitlines()]
    assert levels == ["error"] * 2 + ["warning"] * 3 + ["notice"] * 2


def test_a_notice_says_when_github_shows_only_some(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    found = [*_findings("a.md", Severity.WARNING, 25), *_findings("b.md", Severity.ERROR, 11)]
    lines = format_github(_report_with(tmp_path, found)).splitlines()
    assert len(lines) == 37
    first = lines[0]  # printed first, so it is always among the 10 notices GitHub shows
    assert first.startswith("::notice title=pcso-policy%3A more findings than annotations::")
    assert "11 errors and 25 warnings" in first and "GitHub shows 10 annotations of each kind" in first
    assert "all 36 are listed in this step's log" in first
    exactly_ten = _findings("a.md", Severity.WARNING, 10) + _findings("a.md", Severity.ERROR, 10, 20)
    assert not format_github(_report_with(tmp_path, exactly_ten)).startswith("::notice")


def test_long_messages_are_shortened_saying_where_the_rest_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    others = ", ".join(f"policies/force-{number:04}/o38-police-community-support-officers.md" for number in range(330))
    long = Diagnostic("a.md", 2, 1, "references/duplicate-id", Severity.ERROR, f"id O38 is also the id of {others}", 2, 4)
    assert len(long.message) > 18_000
    (line,) = format_github(_report_with(tmp_path, [long])).splitlines()
    match = COMMAND.match(line)
    assert match is not None
    message = unescape(match["message"])
    assert message.startswith(long.message[:1_000] + "… (")
    rest = f"({len(long.message) - 1_000:,} more characters: the whole message is in pcso-policy lint's text or JSON output)"
    assert message.endswith(rest)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    assert format_github(_report_with(tmp_path, [long])).rstrip().endswith("the whole message is in the job summary)")


def test_paths_are_the_repository_s_wherever_it_ran(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = sample_report(tmp_path)
    monkeypatch.chdir(tmp_path / "policies")
    moved = [dataclasses.replace(d, path="./t1.md") for d in sample.result.diagnostics]
    report = Report(dataclasses.replace(sample.result, diagnostics=moved), sample.registry, tmp_path / "policies", top=tmp_path)
    files = {line.split("file=", 1)[1].split(",", 1)[0] for line in format_github(report).splitlines()}
    assert files == {"policies/t1.md"}


def test_the_step_summary_lists_everything_inside_a_code_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pcso_policy.reporters.github import step_summary

    monkeypatch.chdir(tmp_path)
    hostile = Diagnostic("a.md", 3, 1, "terminology/flag", Severity.ERROR, "````\n</pre><script>x()</script> [a](javascript:b)", 3, 2)
    found = [*_findings("b.md", Severity.WARNING, 12), hostile]
    text = step_summary(_report_with(tmp_path, found), 100_000)
    assert text.startswith("### pcso-policy lint\n\n1 error and 12 warnings in 2 files, most severe first")
    fence = "`````"  # longer than the message's run of four backticks: nothing in it can close the block
    body = text.split(f"{fence}text\n", 1)[1].split(f"\n{fence}\n", 1)[0].split("\n")
    assert body[0] == "a.md:3:1: error terminology/flag ````\\n</pre><script>x()</script> [a](javascript:b)"
    assert body[1:] == [f"b.md:{line}:1: warning terminology/flag finding {line}" for line in range(1, 13)]


def test_the_step_summary_keeps_within_its_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pcso_policy.reporters.github import step_summary

    monkeypatch.chdir(tmp_path)
    text = step_summary(_report_with(tmp_path, _findings("b.md", Severity.WARNING, 5_000)), 50_000)
    assert len(text.encode("utf-8")) <= 50_000
    listed = text.count("warning terminology/flag")
    assert 0 < listed < 5_000 and text.rstrip().endswith(f"{5_000 - listed:,} more not listed: a job summary holds at most 1 MiB.")

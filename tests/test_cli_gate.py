"""The CI-gate options of ``lint``: --output, --statistics, baselines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pcso_policy.cli import run
from tests.support import built_in_only, write
from tests.test_cli import VALID

TWO_PROBLEMS = VALID.replace("status: draft", "status: live").replace("review_cycle_months: 24", "review_cycle_months: soon")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return built_in_only(tmp_path)


def test_output_file_gets_the_format_and_the_terminal_the_text(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", TWO_PROBLEMS)
    assert run(["lint", "--format", "json", "--output", "report.json", "policies"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "Checked 1 file: 2 errors, 0 warnings, 0 infos."
    assert "policies/t1.md:5:9: error front-matter/enum" in out
    assert len(json.loads((workdir / "report.json").read_text())["diagnostics"]) == 2
    assert [p.name for p in workdir.iterdir() if p.name.startswith(".report")] == []


def test_output_into_a_missing_folder_is_a_usage_error(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", VALID)
    assert run(["lint", "--format", "sarif", "--output", "nowhere/report.sarif", "policies"]) == 2
    assert "folder 'nowhere' does not exist" in capsys.readouterr().err
    assert not (workdir / "nowhere").exists()


def test_statistics_count_findings_per_rule(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", TWO_PROBLEMS)
    write(workdir, "policies/t2.md", TWO_PROBLEMS.replace("T1", "T2"))
    run(["lint", "--statistics", "policies"])
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == ["     2  front-matter/enum", "     2  front-matter/type"]


def test_statistics_go_to_stderr_when_stdout_carries_json(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", TWO_PROBLEMS)
    run(["lint", "--format", "json", "--statistics", "policies"])
    captured = capsys.readouterr()
    json.loads(captured.out)
    assert "1  front-matter/enum" in captured.err


def test_baseline_hides_recorded_findings_even_after_lines_move(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = write(workdir, "policies/t1.md", TWO_PROBLEMS)
    assert run(["lint", "--write-baseline", "baseline.json", "policies"]) == 1
    capsys.readouterr()
    recorded = json.loads((workdir / "baseline.json").read_text())
    assert [entry["rule"] for entry in recorded["findings"]] == ["front-matter/enum", "front-matter/type"]
    assert {entry["path"] for entry in recorded["findings"]} == {"policies/t1.md"}

    policy.write_text(TWO_PROBLEMS.replace("owner: Head of Policy", "owner: Head of Policy\nforce: Kent Police"))
    assert run(["lint", "--baseline", "baseline.json", "policies"]) == 0
    assert capsys.readouterr().out == (
        "Checked 1 file: 0 errors, 0 warnings, 0 infos. 2 known findings recorded in the baseline not shown.\n"
    )

    policy.write_text(TWO_PROBLEMS.replace("status: live", "status: gone"))
    assert run(["lint", "--baseline", "baseline.json", "policies"]) == 1
    out = capsys.readouterr().out
    assert "'status' is 'gone'" in out and "review_cycle_months" not in out


def test_rewriting_the_baseline_drops_fixed_findings(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = write(workdir, "policies/t1.md", TWO_PROBLEMS)
    run(["lint", "--write-baseline", "baseline.json", "policies"])
    policy.write_text(TWO_PROBLEMS.replace("status: live", "status: draft"))
    assert run(["lint", "--baseline", "baseline.json", "--write-baseline", "baseline.json", "policies"]) == 0
    recorded = json.loads((workdir / "baseline.json").read_text())
    assert [entry["rule"] for entry in recorded["findings"]] == ["front-matter/type"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "does not exist: create it with --write-baseline"),
        ("{not json", "is not valid JSON (line 1)"),
        ('{"version": 9, "findings": []}', "is not a pcso-policy baseline of version 2"),
        ('{"version": 2, "findings": [{"rule": "x"}]}', "finding 1 lacks rule, path or fingerprint"),
    ],
)
def test_a_bad_baseline_is_a_clear_usage_error(
    workdir: Path, capsys: pytest.CaptureFixture[str], content: str | None, expected: str
) -> None:
    write(workdir, "policies/t1.md", VALID)
    if content is not None:
        write(workdir, "baseline.json", content)
    assert run(["lint", "--baseline", "baseline.json", "policies"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pcso-policy: error: baseline 'baseline.json'") and expected in err

"""The CI platforms as they really are: what each consumer of lint's output accepts and shows.

- GitHub code scanning rejects a SARIF run of more than 25,000 results and shows locations only
  relative to the repository, linked related locations only when the message links them;
- a GitHub Actions step shows 10 annotations of each kind and drops the rest without a word;
- GitLab shows one failure per JUnit test case, and Jenkins validates against junit-10.xsd;
- ``--min-severity`` leaves the least severe findings out of every format, never the exit status.

Many findings are made up (fake diagnostics), not linted from thousands of files.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pcso_policy.cli import run
from pcso_policy.diagnostics import Diagnostic, Related, Severity
from pcso_policy.reporters import Report
from pcso_policy.reporters.sarif import format_sarif
from tests.reporters.sample import sample_report
from tests.reporters.test_junit import XSD, schema_errors
from tests.support import write

ROOT = Path(__file__).resolve().parents[1]
KENT = ROOT / "policies" / "kent" / "o38-police-community-support-officers.md"
SARIF_SCHEMA = ROOT.parent / "shared" / "external-schemas" / "sarif" / "sarif-schema-2.1.0.json"
AS_OF = "2026-11-23"
"""Kent on this day: 2 errors (review/date-conflict, publication/personal-data) and 4 warnings."""


def many(report: Report, counts: dict[Severity, int]) -> Report:
    """``report`` with ``counts`` findings of each severity, in path order: infos in a.md, then warnings in
    b.md, errors last in c.md (so the most severe are the last a path-ordered list would give)."""
    path = report.result.diagnostics[0].path
    names = {Severity.INFO: "a.md", Severity.WARNING: "b.md", Severity.ERROR: "c.md"}
    diagnostics = [
        Diagnostic(path.replace("t1.md", names[severity]), number % 500 + 1, 1, "terminology/flag", severity, f"{severity.value} {number}",
                   number % 500 + 1, 5, (Related(1, 1, "the first"),))
        for severity in (Severity.INFO, Severity.WARNING, Severity.ERROR)
        for number in range(counts.get(severity, 0))
    ]
    return dataclasses.replace(report, result=dataclasses.replace(report.result, diagnostics=diagnostics))


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


# SARIF ------------------------------------------------------------------------------------------------


def test_sarif_keeps_to_github_s_25000_results_a_run_most_severe_first(workdir: Path) -> None:
    """The issue's repository: 28,786 results, most of them infos, in one run."""
    report = many(sample_report(workdir), {Severity.ERROR: 1_200, Severity.WARNING: 4_000, Severity.INFO: 23_586})
    run_ = json.loads(format_sarif(report))["runs"][0]
    results = run_["results"]
    assert len(results) == 25_000
    levels = [result["level"] for result in results]
    assert levels == ["error"] * 1_200 + ["warning"] * 4_000 + ["note"] * 19_800
    assert run_["properties"] == {"resultsFound": 28_786, "resultsGiven": 25_000, "resultsLeftOut": 3_786}
    (notification,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "warning"
    assert "28,786 findings" in notification["message"]["text"] and "3,786 left out (3,786 infos)" in notification["message"]["text"]


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason="../shared/external-schemas is not beside this checkout")
def test_a_capped_sarif_log_is_valid(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jsonschema import Draft7Validator

    from pcso_policy.reporters import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 5)
    log = json.loads(format_sarif(many(sample_report(workdir), {Severity.ERROR: 2, Severity.WARNING: 9})))
    assert len(log["runs"][0]["results"]) == 5
    assert list(Draft7Validator(json.loads(SARIF_SCHEMA.read_text())).iter_errors(log)) == []


def test_sarif_under_the_cap_says_nothing_of_it(workdir: Path) -> None:
    run_ = json.loads(format_sarif(sample_report(workdir)))["runs"][0]
    assert "invocations" not in run_ and "properties" not in run_


def test_related_locations_past_github_s_1000_are_left_out(workdir: Path) -> None:
    sample = sample_report(workdir)
    first = sample.result.diagnostics[0]
    crowded = dataclasses.replace(first, related=tuple(Related(line, 1, f"copy {line}") for line in range(1, 1_101)))
    report = dataclasses.replace(sample, result=dataclasses.replace(sample.result, diagnostics=[crowded]))
    (result,) = json.loads(format_sarif(report))["runs"][0]["results"]
    assert len(result["relatedLocations"]) == 1_000


def test_lint_says_on_standard_error_what_the_cap_left_out(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcso_policy.reporters import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 3)
    shutil.copy(KENT, workdir / "o38.md")
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--format", "sarif", "--output", "x.sarif", "o38.md"]) == 1
    err = capsys.readouterr().err
    assert "pcso-policy: warning: 6 findings, more than the 3 results a run GitHub code scanning accepts" in err
    results = json.loads((workdir / "x.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [result["level"] for result in results] == ["error", "error", "warning"]


# Paths as GitHub reads them ---------------------------------------------------------------------------


@pytest.fixture
def checkout(workdir: Path) -> Path:
    """A git repository whose policies sit in policies/kent/ and whose configuration is at its top."""
    subprocess.run(["git", "init", "-q", str(workdir)], check=True)
    write(workdir, ".pcso-policy.toml", 'paths = ["policies"]\n')
    (workdir / "policies" / "kent").mkdir(parents=True)
    shutil.copy(KENT, workdir / "policies" / "kent" / KENT.name)
    return workdir


@pytest.mark.parametrize("config", [True, False], ids=["configured", "no configuration"])
def test_paths_are_from_the_repository_top_when_run_inside_a_folder(
    checkout: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, config: bool
) -> None:
    if not config:
        (checkout / ".pcso-policy.toml").unlink()  # the project root is then the working folder
    monkeypatch.chdir(checkout / "policies")
    expected = f"policies/kent/{KENT.name}"
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--format", "github", "./kent"]) == 1
    files = {line.split("file=", 1)[1].split(",", 1)[0] for line in capsys.readouterr().out.splitlines()}
    assert files == {expected}
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--format", "sarif", "--output", "../x.sarif", "./kent"]) == 1
    results = json.loads((checkout / "x.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    assert {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results} == {expected}
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--format", "junit", "--output", "../x.xml", "./kent"]) == 1
    assert [case.get("name") for case in ET.parse(checkout / "x.xml").getroot().iter("testcase")] == [expected]
    capsys.readouterr()
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "./kent"]) == 1
    assert capsys.readouterr().out.startswith(f"./kent/{KENT.name}:9:14: warning")  # the terminal's paths: as given


# GitHub annotations -----------------------------------------------------------------------------------


@pytest.fixture
def twenty_copies(workdir: Path) -> Path:
    """Twenty copies of Kent under one id: 60 errors (each copy's two, and references/duplicate-id naming the
    nineteen others, over 1,000 characters) and 80 warnings."""
    for number in range(20):
        shutil.copy(KENT, workdir / f"o38-police-community-support-officers-copy-{number:02}.md")
    return workdir


def test_github_step_with_more_than_it_shows(twenty_copies: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--format", "github", "."]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("::notice title=pcso-policy%3A more findings than annotations::pcso-policy found 60 errors and 80 warnings")
    kinds = [line.split(" ", 1)[0] for line in lines[1:]]
    assert kinds == ["::error"] * 60 + ["::warning"] * 80
    duplicate = next(line for line in lines if "references/duplicate-id" in line)
    assert len(duplicate.split("::", 2)[2]) < 1_300 and "more characters: the whole message is in" in duplicate


def test_github_step_summary_gets_the_whole_list(
    twenty_copies: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = twenty_copies / "summary.txt"  # not a policy: the run lints every .md here
    summary.write_text("## What the workflow wrote before\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--format", "github", "."]) == 1
    out = capsys.readouterr().out
    assert "listed in this step's log and in the job summary" in out.splitlines()[0]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## What the workflow wrote before\n### pcso-policy lint\n\n60 errors and 80 warnings in 20 files")
    assert text.count(": error ") == 60 and text.count(": warning ") == 80
    others = ", ".join(f"./o38-police-community-support-officers-copy-{number:02}.md" for number in range(1, 20))
    assert f"error references/duplicate-id id O38 is also the id of {others}: give each document its own id" in text


def test_no_step_summary_when_the_annotations_show_everything(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = workdir / "summary.txt"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    shutil.copy(KENT, workdir / "o38.md")
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--format", "github", "o38.md"]) == 1
    assert not capsys.readouterr().out.startswith("::notice title")
    assert not summary.exists()


def test_an_unwritable_step_summary_is_a_warning_not_a_failure(
    twenty_copies: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(twenty_copies / "missing" / "summary.txt"))
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--format", "github", "."]) == 1
    assert "pcso-policy: warning: cannot add the findings to the job summary" in capsys.readouterr().err


# JUnit ------------------------------------------------------------------------------------------------


def _junit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, ET.Element, str]:
    code = run(["lint", "--no-cache", "--as-of", AS_OF, "--format", "junit", *args])
    text = capsys.readouterr().out
    return code, ET.fromstring(text), text


def test_junit_fails_a_test_exactly_when_lint_fails(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(KENT, workdir / "o38.md")
    code, root, text = _junit(capsys, "o38.md")
    assert code == 1 and root.get("failures") == "1" and len(list(root.iter("failure"))) == 1
    code, root, warned = _junit(capsys, "--ignore", "review/date-conflict,publication/personal-data", "o38.md")
    assert code == 0 and root.get("failures") == "0" and list(root.iter("failure")) == []  # warnings alone: lint passes
    (case,) = root.iter("testcase")
    assert (case.findtext("system-out") or "").count(": warning ") == 4
    if XSD.is_file():
        assert schema_errors(text) == [] and schema_errors(warned) == []


# --min-severity ---------------------------------------------------------------------------------------


@pytest.fixture
def kent(workdir: Path) -> Path:
    shutil.copy(KENT, workdir / "o38.md")
    return workdir


def test_min_severity_in_the_text_report_and_its_summary(kent: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--min-severity", "error", "--statistics", "o38.md"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[1] for line in lines[:2]] == ["error", "error"]
    assert lines[2] == "Checked 1 file: 2 errors (warnings and infos not reported: --min-severity error)."
    assert [line.split()[1] for line in lines[3:]] == ["publication/personal-data", "review/date-conflict"]  # statistics: shown ones
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--min-severity", "warning", "o38.md"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "Checked 1 file: 2 errors, 4 warnings (infos not reported: --min-severity warning)."
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--min-severity", "info", "o38.md"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "Checked 1 file: 2 errors, 4 warnings, 0 infos."


@pytest.mark.parametrize("output_format", ["json", "sarif", "github", "junit"])
def test_min_severity_leaves_warnings_out_of_every_format(kent: Path, capsys: pytest.CaptureFixture[str], output_format: str) -> None:
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--min-severity", "error", "--format", output_format, "o38.md"]) == 1
    out = capsys.readouterr().out
    if output_format == "json":
        document = json.loads(out)
        assert [finding["severity"] for finding in document["diagnostics"]] == ["error", "error"]
        assert document["summary"] == {"files": 1, "errors": 2, "warnings": 0, "infos": 0, "min_severity": "error"}
    elif output_format == "sarif":
        run_ = json.loads(out)["runs"][0]
        assert [result["level"] for result in run_["results"]] == ["error", "error"]
        assert run_["properties"] == {"minSeverity": "error"}
    elif output_format == "github":
        assert [line.split(" ", 1)[0] for line in out.splitlines()] == ["::error", "::error"]
    else:
        assert "warning" not in out and len(list(ET.fromstring(out).iter("failure"))) == 1


def test_min_severity_never_changes_the_exit_status(kent: Path) -> None:
    warnings_only = ["--ignore", "review/date-conflict,publication/personal-data", "o38.md"]
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--min-severity", "error", *warnings_only]) == 0
    assert run(["lint", "--no-cache", "--as-of", AS_OF, *warnings_only]) == 0
    assert run(["lint", "--no-cache", "--as-of", AS_OF, "--min-severity", "error", "o38.md"]) == 1


def test_a_baseline_records_every_finding_whatever_min_severity_reports(kent: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["lint", "--no-cache", "--as-of", AS_OF, "o38.md"]
    assert run([*args, "--min-severity", "error", "--write-baseline", "baseline.json"]) == 1
    assert len(json.loads((kent / "baseline.json").read_text(encoding="utf-8"))["findings"]) == 6
    capsys.readouterr()
    assert run([*args, "--min-severity", "warning", "--baseline", "baseline.json"]) == 0
    assert capsys.readouterr().out == (
        "Checked 1 file: 0 errors, 0 warnings (infos not reported: --min-severity warning). "
        "6 known findings recorded in the baseline not shown.\n"
    )


def test_min_severity_takes_only_a_severity(kent: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lint", "--min-severity", "fatal", "o38.md"]) == 2
    assert "'fatal' is not one of 'error', 'warning', 'info'" in capsys.readouterr().err

"""JUnit XML parsed back as GitLab and Jenkins read it, and validated against the Jenkins xUnit plugin's schema."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pcso_policy.diagnostics import Diagnostic, Severity
from pcso_policy.reporters import Report
from pcso_policy.reporters.junit import format_junit
from tests.reporters.sample import sample_report

XSD = Path(__file__).resolve().parents[3] / "shared" / "external-schemas" / "junit" / "junit-10.xsd"


def schema_errors(text: str) -> list[str]:
    """What the Jenkins xUnit plugin's junit-10.xsd says of ``text`` (lxml, as the plugin validates)."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.fromstring(text.encode("utf-8"))
    return [] if schema.validate(document) else [f"{error.line}: {error.message}" for error in schema.error_log]


def with_diagnostics(report: Report, diagnostics: list[Diagnostic], paths: list[str] | None = None) -> Report:
    result = dataclasses.replace(report.result, diagnostics=diagnostics, paths=paths or report.result.paths)
    return dataclasses.replace(report, result=result)


def test_a_test_case_per_file_and_one_failure_listing_its_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = ET.fromstring(format_junit(sample_report(tmp_path)))
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {"policies/clean.md", "policies/t1.md"}
    assert list(cases["policies/clean.md"]) == []
    failures = cases["policies/t1.md"].findall("failure")
    assert len(failures) == 1  # GitLab shows one failure a test case: the one lists every error
    assert failures[0].get("type") == "front-matter/enum"
    assert failures[0].get("message") == "front-matter/enum: 'status' is 'live': use one of draft, approved"
    assert failures[0].text == "policies/t1.md:5:9: error front-matter/enum 'status' is 'live': use one of draft, approved"
    out = cases["policies/t1.md"].findtext("system-out")  # the warning and the info: listed, not failures
    assert out == (
        'policies/t1.md:11:6: warning terminology/flag says FLAG, "quoted": 100% sure,\nreally\n'
        "policies/t1.md:13:18: info parse/suppression-unused an info finding"
    )


def test_characters_xml_cannot_carry_are_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = sample_report(tmp_path)
    first = report.result.diagnostics[0]
    report.result.diagnostics[0] = dataclasses.replace(first, message="bad \x01 byte")
    root = ET.fromstring(format_junit(report))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "front-matter/enum: bad \ufffd byte"


@pytest.mark.skipif(not XSD.is_file(), reason="../shared/external-schemas is not beside this checkout")
def test_valid_against_the_jenkins_xunit_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = sample_report(tmp_path)
    assert schema_errors(format_junit(report)) == []
    assert schema_errors(format_junit(with_diagnostics(report, []))) == []
    old = (
        '<testsuites name="pcso-policy" tests="1" failures="0" errors="0" skipped="0">'
        '<testsuite name="s" tests="1" failures="0" errors="0"><testcase name="a" file="a.md"/></testsuite></testsuites>'
    )
    assert len(schema_errors(old)) == 2  # what the report used to hold: the schema does refuse it


def test_many_errors_in_a_file_are_one_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = sample_report(tmp_path)
    path = report.result.diagnostics[0].path
    errors = [Diagnostic(path, line, 1, "structure/numbering", Severity.ERROR, f"gap at {line}", line, 1) for line in range(1, 8)]
    root = ET.fromstring(format_junit(with_diagnostics(report, errors)))
    (case,) = [case for case in root.iter("testcase") if case.get("name") == "policies/t1.md"]
    (failure,) = case.findall("failure")
    assert failure.get("message") == "structure/numbering: gap at 1 (and 6 more errors)"
    assert (failure.text or "").split("\n") == [f"policies/t1.md:{line}:1: error structure/numbering gap at {line}" for line in range(1, 8)]


def test_a_file_with_only_warnings_passes_as_lint_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = sample_report(tmp_path)
    warnings = [d for d in report.result.diagnostics if d.severity is not Severity.ERROR]
    root = ET.fromstring(format_junit(with_diagnostics(report, warnings)))
    suite = root.find("testsuite")
    assert suite is not None and root.get("failures") == suite.get("failures") == "0"
    assert list(root.iter("failure")) == [] and list(root.iter("skipped")) == []
    (out,) = [case.findtext("system-out") for case in root.iter("testcase") if case.get("name") == "policies/t1.md"]
    assert out is not None and "warning terminology/flag" in out


def test_names_are_paths_from_the_top_of_the_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run inside policies/ (the project root there), the names are still the repository's paths, which
    stay the same from run to run, as GitLab's comparison with the target branch needs."""
    sample = sample_report(tmp_path)
    monkeypatch.chdir(tmp_path / "policies")
    moved = [dataclasses.replace(d, path="t1.md") for d in sample.result.diagnostics]
    result = dataclasses.replace(sample.result, diagnostics=moved, paths=["clean.md", "t1.md"])
    report = Report(result, sample.registry, tmp_path / "policies", top=tmp_path)
    root = ET.fromstring(format_junit(report))
    assert [case.get("name") for case in root.iter("testcase")] == ["policies/clean.md", "policies/t1.md"]
    assert (root.findtext("testsuite/testcase/failure") or "").startswith("policies/t1.md:5:9: error")

"""JUnit XML parsed back as GitLab and Jenkins read it."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pcso_policy.reporters.junit import format_junit
from tests.reporters.sample import sample_report


def test_a_test_case_per_file_and_a_failure_per_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = ET.fromstring(format_junit(sample_report(tmp_path)))
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {"policies/clean.md", "policies/t1.md"}
    assert cases["policies/clean.md"].findall("failure") == []
    failures = cases["policies/t1.md"].findall("failure")
    assert [failure.get("type") for failure in failures] == ["front-matter/enum", "terminology/flag", "parse/suppression-unused"]
    assert failures[1].get("message") == 'terminology/flag: says FLAG, "quoted": 100% sure,\nreally'
    assert (failures[0].text or "").startswith("policies/t1.md:5:9: error front-matter/enum")


def test_characters_xml_cannot_carry_are_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = sample_report(tmp_path)
    first = report.result.diagnostics[0]
    report.result.diagnostics[0] = dataclasses.replace(first, message="bad \x01 byte")
    root = ET.fromstring(format_junit(report))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "front-matter/enum: bad \ufffd byte"

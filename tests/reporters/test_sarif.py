"""SARIF output checked against the published SARIF 2.1.0 schema and GitHub's reading of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from pcso_policy.reporters.sarif import format_sarif
from tests.reporters.sample import POLICY, sample_report

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "external-schemas" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.skipif(not SCHEMA.is_file(), reason="../shared/external-schemas is not beside this checkout")
def test_sarif_is_valid_against_the_published_schema(workdir: Path) -> None:
    log = json.loads(format_sarif(sample_report(workdir)))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft7Validator(json.loads(SCHEMA.read_text())).iter_errors(log)]
    assert errors == []


def test_sarif_results_locations_and_rules(workdir: Path) -> None:
    log = json.loads(format_sarif(sample_report(workdir)))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert log["version"] == "2.1.0"
    assert len({rule["id"] for rule in rules}) == len(rules)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == workdir.as_uri() + "/"
    first, flagged, info = run["results"]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "front-matter/enum"
    assert "How to fix it" in rules[first["ruleIndex"]]["help"]["text"]
    assert first["level"] == "error" and flagged["level"] == "warning" and info["level"] == "note"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "policies/t1.md", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 5, "startColumn": 9, "endLine": 5, "endColumn": 13}
    assert info["locations"][0]["physicalLocation"]["region"] == {"startLine": 13, "startColumn": 18}
    related = flagged["relatedLocations"]
    assert related == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "policies/t1.md", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 13, "startColumn": 18},
            },
            "id": 0,
            "message": {"text": "FLAG again here"},
        }
    ]


def test_fingerprints_survive_edits_elsewhere_but_not_on_the_line(workdir: Path) -> None:
    before = json.loads(format_sarif(sample_report(workdir)))["runs"][0]["results"]
    shifted = POLICY.replace("1.1. FLAG", "0.9. A new paragraph.\n\n1.1. FLAG")
    after = json.loads(format_sarif(sample_report(workdir, shifted)))["runs"][0]["results"]
    edited = json.loads(format_sarif(sample_report(workdir, POLICY.replace("with", "without"))))["runs"][0]["results"]
    prints = [[result["partialFingerprints"] for result in results] for results in (before, after, edited)]
    assert prints[0] == prints[1]
    assert prints[0][1] != prints[2][1]
    assert prints[0][0] == prints[2][0]

"""SARIF output checked against the published SARIF 2.1.0 schema and GitHub's reading of it."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from pcso_policy.fixes import Edit, Fix
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
    assert "uri" not in run["originalUriBaseIds"]["%SRCROOT%"]  # the machine's own path is nobody's business
    first, flagged, info = run["results"]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "front-matter/enum"
    assert "How to fix it" in rules[first["ruleIndex"]]["help"]["text"]
    assert "#### How to fix it" in rules[first["ruleIndex"]]["help"]["markdown"]
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


def test_no_absolute_path_of_the_machine_in_the_log(workdir: Path) -> None:
    text = format_sarif(sample_report(workdir))
    assert str(workdir) not in text and workdir.as_uri() not in text
    base = json.loads(text)["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]
    assert set(base) == {"description"}


def test_every_rule_has_markdown_help_github_shows_instead_of_the_text(workdir: Path) -> None:
    rules = json.loads(format_sarif(sample_report(workdir)))["runs"][0]["tool"]["driver"]["rules"]
    assert all(rule["help"]["markdown"].startswith(f"**{rule['id']}**") for rule in rules)
    by_id = {rule["id"]: rule["help"]["markdown"] for rule in rules}
    # HTML-looking text in the documentation is shown, not swallowed as a tag; the example is a code block.
    assert "\\<!-- pcso-policy: disable=group/name" in by_id["parse/suppression-invalid"]
    assert "#### Example\n\n```text\n" in by_id["parse/suppression-invalid"]
    assert "aligns\\_with" in by_id["alignment/unknown-source"]


def test_information_uri_only_when_the_project_has_an_address(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pcso_policy.reporters import sarif

    driver = json.loads(format_sarif(sample_report(workdir)))["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    monkeypatch.setattr(sarif, "INFORMATION_URI", "https://example.org/pcso-policy")
    driver = json.loads(format_sarif(sample_report(workdir)))["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://example.org/pcso-policy"


def test_related_locations_are_linked_from_the_message(workdir: Path) -> None:
    results = json.loads(format_sarif(sample_report(workdir)))["runs"][0]["results"]
    flagged = results[1]
    ids = [place["id"] for place in flagged["relatedLocations"]]
    links = [int(target) for target in re.findall(r"\]\((\d+)\)", flagged["message"]["text"])]
    assert links == ids == [0]
    assert flagged["message"]["text"].endswith("(see [FLAG again here](0) (line 13))")


def test_a_mention_of_the_related_line_becomes_the_link() -> None:
    from pcso_policy.diagnostics import Related
    from pcso_policy.reporters.sarif import linked_message

    message = "'February 2022' contradicts January 2025 (last_reviewed, line 8) and on line 41: correct whichever is wrong"
    related = (Related(8, 15, "the front matter's last_reviewed"), Related(41, 3, "stated [here]"), Related(90, 1, "a\\b"))
    assert linked_message(message, related) == (
        "'February 2022' contradicts January 2025 (last_reviewed, [line 8](0)) and on [line 41](1): correct whichever is wrong"
        " (see [a\\\\b](2) (line 90))"
    )
    assert linked_message("on line 80 and line 8", (Related(8, 1, "x"),)) == "on line 80 and [line 8](0)"


def test_text_from_a_policy_that_reads_as_a_link_does_not_link() -> None:
    from pcso_policy.reporters.sarif import linked_message

    quoted = "link '[open](javascript:alert(1))' and [here](0) are not allowed"
    assert linked_message(quoted, ()) == "link '\\[open\\](javascript:alert(1))' and \\[here\\](0) are not allowed"
    assert linked_message("[not a link] and a ] bracket", ()) == "[not a link] and a ] bracket"


LINE_HASH = re.compile(r"^[0-9a-f]{16}:[1-9][0-9]*$")


def test_primary_location_line_hash_github_matches_alerts_by(workdir: Path) -> None:
    def hashes(policy: str) -> list[str]:
        results = json.loads(format_sarif(sample_report(workdir, policy)))["runs"][0]["results"]
        return [result["partialFingerprints"]["primaryLocationLineHash"] for result in results]

    before = hashes(POLICY)
    assert all(LINE_HASH.match(value) for value in before)
    assert hashes(POLICY.replace("1.1. FLAG", "0.9. A new paragraph.\n\n1.1. FLAG")) == before  # lines moved: same
    edited = hashes(POLICY.replace("with", "without"))  # the warning's line changed; the others did not
    assert edited[1] != before[1] and (edited[0], edited[2]) == (before[0], before[2])


def test_two_findings_of_a_rule_on_lines_alike_are_two_alerts(workdir: Path) -> None:
    import dataclasses

    from pcso_policy.diagnostics import Diagnostic, Severity
    from pcso_policy.fingerprints import line_digests

    policy = POLICY + "\nSame text.\n\nSame text.\n"
    report = sample_report(workdir, policy)
    path = report.result.diagnostics[0].path
    lines = policy.split("\n")
    same = [number for number, text in enumerate(lines, start=1) if text == "Same text."]
    twins = [Diagnostic(path, number, 1, "terminology/flag", Severity.WARNING, "x", number, 1) for number in same]
    digests = {path: line_digests(policy.encode("utf-8"))}
    result = dataclasses.replace(report.result, diagnostics=twins, line_digests=digests)
    results = json.loads(format_sarif(dataclasses.replace(report, result=result)))["runs"][0]["results"]
    first, second = (result["partialFingerprints"]["primaryLocationLineHash"] for result in results)
    assert first.split(":")[0] == second.split(":")[0] and (first[-2:], second[-2:]) == (":1", ":2")


def test_a_fix_is_a_sarif_fix(workdir: Path) -> None:
    report = sample_report(workdir)
    flagged = report.result.diagnostics[1]
    fix = Fix("write 'flag' for 'FLAG'", (Edit(flagged.line, 6, flagged.line, 10, "flag"),), safe=True)
    report.result.diagnostics[1] = dataclasses.replace(flagged, fix=fix)
    log = json.loads(format_sarif(report))
    first, fixed, info = log["runs"][0]["results"]
    assert "fixes" not in first and "fixes" not in info
    assert fixed["fixes"] == [
        {
            "description": {"text": "write 'flag' for 'FLAG'"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "policies/t1.md", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": flagged.line, "startColumn": 6, "endLine": flagged.line, "endColumn": 10},
                            "insertedContent": {"text": "flag"},
                        }
                    ],
                }
            ],
            "properties": {"safe": True},
        }
    ]


@pytest.mark.skipif(not SCHEMA.is_file(), reason="../shared/external-schemas is not beside this checkout")
def test_a_sarif_fix_is_valid_against_the_published_schema(workdir: Path) -> None:
    report = sample_report(workdir)
    flagged = report.result.diagnostics[1]
    edits = (Edit(flagged.line, 6, flagged.line, 10, "flag"), Edit(flagged.line + 2, 1, flagged.line + 2, 5, "1.2."))
    report.result.diagnostics[1] = dataclasses.replace(flagged, fix=Fix("two edits", edits, safe=False))
    log = json.loads(format_sarif(report))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft7Validator(json.loads(SCHEMA.read_text())).iter_errors(log)]
    assert errors == []
    assert log["runs"][0]["results"][1]["fixes"][0]["properties"] == {"safe": False}

"""SARIF 2.1.0, the format GitHub code scanning and other static-analysis viewers ingest.

One ``reportingDescriptor`` per rule (its ``explain`` text as help), one
result per finding with its physical location relative to ``%SRCROOT%`` (the
project root), ``relatedLocations`` for the other places it rests on, and a
``partialFingerprints`` entry that survives edits elsewhere in the file.
Columns count Unicode code points, as Python strings do.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from pcso_policy import __version__
from pcso_policy.diagnostics import Diagnostic, Severity
from pcso_policy.fingerprints import KEY, fingerprints, project_path
from pcso_policy.reporters.report import Report
from pcso_policy.rules import Rule

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
ROOT_ID = "%SRCROOT%"


def format_sarif(report: Report) -> str:
    rules = list(report.registry.values())
    index = {rule.id: position for position, rule in enumerate(rules)}
    diagnostics = report.result.diagnostics
    prints = fingerprints(diagnostics, report.root, report.result.line_digests)
    results = [_result(d, index[d.rule], fp, report) for d, fp in zip(diagnostics, prints, strict=True)]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "pcso-policy", "version": __version__, "rules": [_rule(rule) for rule in rules]}},
        "originalUriBaseIds": {ROOT_ID: {"uri": report.root.absolute().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": rule.explain()},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": [rule.group]},
    }


def _result(diagnostic: Diagnostic, rule_index: int, fingerprint: str, report: Report) -> dict[str, Any]:
    uri = quote(project_path(diagnostic.path, report.root))
    result: dict[str, Any] = {
        "ruleId": diagnostic.rule,
        "ruleIndex": rule_index,
        "level": LEVEL[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [_location(uri, _region(diagnostic))],
        "partialFingerprints": {KEY: fingerprint},
    }
    if diagnostic.related:
        result["relatedLocations"] = [
            {**_location(uri, {"startLine": r.line, "startColumn": r.column}), "id": number, "message": {"text": r.message}}
            for number, r in enumerate(diagnostic.related)
        ]
    return result


def _location(uri: str, region: dict[str, int]) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": ROOT_ID}, "region": region}}


def _region(diagnostic: Diagnostic) -> dict[str, int]:
    region = {"startLine": diagnostic.line, "startColumn": diagnostic.column}
    if (diagnostic.end_line, diagnostic.end_column) > (diagnostic.line, diagnostic.column):
        region |= {"endLine": diagnostic.end_line, "endColumn": diagnostic.end_column}
    return region

"""SARIF 2.1.0, the format GitHub code scanning and other static-analysis viewers ingest.

One ``reportingDescriptor`` per rule (its ``explain`` text as help), one
result per finding with its physical location relative to ``%SRCROOT%`` (the
project root), ``relatedLocations`` for the other places it rests on, and a
``partialFingerprints`` entry that survives edits elsewhere in the file.
Columns count Unicode code points, as Python strings do.

The log is written result by result (:func:`sarif_chunks`): the run's
header is one ``json.dumps`` with an empty ``results`` list, then each
result is dumped on its own and indented to its place, so the text is what
one ``json.dumps(log, indent=2)`` of the whole log gives, without the whole
log (for 20,000 files, 160,000 results and 200 MB of text) ever being built
in memory. A URI percent-encodes the bytes of its file's name, so a name that
is not UTF-8 is a valid URI (``bad%FF.md``); in text fields such a name is
shown ``bad\\xff.md`` (see :mod:`pcso_policy.sanitise`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from pcso_policy import __version__
from pcso_policy.diagnostics import Diagnostic, Severity
from pcso_policy.fingerprints import KEY, fingerprints, project_path
from pcso_policy.reporters.report import Report
from pcso_policy.rules import Rule
from pcso_policy.sanitise import json_text, printable_paths

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
ROOT_ID = "%SRCROOT%"


def format_sarif(report: Report) -> str:
    return "".join(sarif_chunks(report))


_RESULTS = '"results": []'
_INDENT = " " * 8
"""Where a result stands in the log: ``runs[0].results[n]``, four levels in."""


def sarif_chunks(report: Report) -> Iterator[str]:
    """The SARIF log in pieces: the header up to the results, then one result at a time, then the rest."""
    rules = list(report.registry.values())
    index = {rule.id: position for position, rule in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "pcso-policy", "version": __version__, "rules": [_rule(rule) for rule in rules]}},
        "originalUriBaseIds": {ROOT_ID: {"uri": report.root.absolute().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [],
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    head, found, tail = json.dumps(log, indent=2, ensure_ascii=False).rpartition(_RESULTS)
    assert found, "results is the run's last member"
    yield json_text(head) + '"results": ['
    shown = report.result.diagnostics
    diagnostics, digests = printable_paths(shown, report.result.line_digests)
    prints = fingerprints(diagnostics, report.root, digests)
    uris: dict[str, str] = {}
    for number, (raw, diagnostic, fingerprint) in enumerate(zip(shown, diagnostics, prints, strict=True)):
        uri = uris.get(raw.path)
        if uri is None:
            uri = uris[raw.path] = _uri(raw.path, report)
        text = json.dumps(_result(diagnostic, index[diagnostic.rule], fingerprint, uri), indent=2, ensure_ascii=False)
        yield ("\n" if number == 0 else ",\n") + _INDENT + json_text(text).replace("\n", "\n" + _INDENT)
    yield ("\n      ]" if shown else "]") + json_text(tail) + "\n"


def _uri(path: str, report: Report) -> str:
    """The file's path relative to the project root, its bytes percent-encoded (a name need not be UTF-8)."""
    return quote(project_path(path, report.root).encode("utf-8", "surrogateescape"))


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": rule.explain()},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": [rule.group]},
    }


def _result(diagnostic: Diagnostic, rule_index: int, fingerprint: str, uri: str) -> dict[str, Any]:
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

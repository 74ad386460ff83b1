"""SARIF 2.1.0, the format GitHub code scanning and other static-analysis viewers ingest.

One ``reportingDescriptor`` per rule (its ``explain`` text as help, in plain
text and Markdown), one result per finding with its physical location
relative to ``%SRCROOT%`` (the top of the git work tree, which is what GitHub
reads a relative path against; the project root outside git),
``relatedLocations`` for the other places it rests on, each linked from the
message (``[line 8](0)``, the link GitHub shows), and two
``partialFingerprints``: ours, and the ``primaryLocationLineHash`` GitHub
code scanning matches alerts by, both surviving edits elsewhere in the file.
Columns count Unicode code points, as Python strings do.

What GitHub accepts (code scanning, "SARIF support"): at most 25,000 results a
run (of which it shows 5,000, by severity) and 1,000 locations a result. A
run with more findings keeps the most severe 25,000, errors first, and says
how many it left out in the run's ``properties`` and in a notification of its
invocation (and :func:`capped_note` says so for standard error). Results are
always given most severe first.

``originalUriBaseIds`` names ``%SRCROOT%`` without its ``uri``: the machine's
absolute path is nobody's business (SARIF 2.1.0, 3.14.14, allows leaving out
an absolute ``uri``), and a consumer resolves the relative locations against
its own checkout, as GitHub does.

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
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from pcso_policy import __version__
from pcso_policy.diagnostics import Diagnostic, Related, Severity
from pcso_policy.fingerprints import KEY, LINE_HASH_KEY, fingerprints, primary_line_hashes
from pcso_policy.fixes import Fix
from pcso_policy.reporters.report import RANK, Report
from pcso_policy.rules import Rule
from pcso_policy.sanitise import json_text, printable_paths

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
ROOT_ID = "%SRCROOT%"
MAX_RESULTS = 25_000
"""Results a run may hold: GitHub code scanning rejects a run with more ("SARIF support", results per run)."""
MAX_LOCATIONS = 1_000
"""Locations a result may hold ("SARIF support", location per result); related locations past it are left out."""

INFORMATION_URI: str | None = None
"""The project's home page, for ``tool.driver.informationUri``. This repository has no published address
yet, so the property is left out rather than pointing anywhere made up; set the address here (the one
place) once there is one. A rule's documentation travels in the log itself (``help``)."""


def format_sarif(report: Report) -> str:
    return "".join(sarif_chunks(report))


_RESULTS = '"results": []'
_INDENT = " " * 8
"""Where a result stands in the log: ``runs[0].results[n]``, four levels in."""


def sarif_chunks(report: Report) -> Iterator[str]:
    """The SARIF log in pieces: the header up to the results, then one result at a time, then the rest."""
    rules = list(report.registry.values())
    index = {rule.id: position for position, rule in enumerate(rules)}
    driver: dict[str, Any] = {"name": "pcso-policy", "version": __version__}
    if INFORMATION_URI is not None:
        driver["informationUri"] = INFORMATION_URI
    driver["rules"] = [_rule(rule) for rule in rules]
    shown = report.result.diagnostics
    run: dict[str, Any] = {"tool": {"driver": driver}}
    note = capped_note(report)
    if note is not None:
        notification = {"level": "warning", "message": {"text": note}}
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [notification]}]
    run["originalUriBaseIds"] = {
        ROOT_ID: {"description": {"text": "The top of the repository's work tree: every location is relative to it."}}
    }
    run["columnKind"] = "unicodeCodePoints"
    properties = _run_properties(report)
    if properties:
        run["properties"] = properties
    run["results"] = []
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    head, found, tail = json.dumps(log, indent=2, ensure_ascii=False).rpartition(_RESULTS)
    assert found, "results is the run's last member"
    yield json_text(head) + '"results": ['
    diagnostics, digests = printable_paths(shown, report.result.line_digests)
    prints = fingerprints(diagnostics, report.root, digests)  # in path and line order, as baselines count them
    hashes = primary_line_hashes(diagnostics, digests)
    order = sorted(range(len(shown)), key=lambda number: RANK[shown[number].severity])[:MAX_RESULTS]
    uris: dict[str, str] = {}
    for number, at in enumerate(order):
        raw, diagnostic = shown[at], diagnostics[at]
        uri = uris.get(raw.path)
        if uri is None:
            uri = uris[raw.path] = _uri(raw.path, report)
        result = _result(diagnostic, index[diagnostic.rule], {KEY: prints[at], LINE_HASH_KEY: hashes[at]}, uri)
        text = json.dumps(result, indent=2, ensure_ascii=False)
        yield ("\n" if number == 0 else ",\n") + _INDENT + json_text(text).replace("\n", "\n" + _INDENT)
    yield ("\n      ]" if order else "]") + json_text(tail) + "\n"


def capped_note(report: Report) -> str | None:
    """What the cap of :data:`MAX_RESULTS` results a run left out, in words; None when nothing was."""
    diagnostics = report.result.diagnostics
    if len(diagnostics) <= MAX_RESULTS:
        return None
    kept = sorted(diagnostics, key=lambda diagnostic: RANK[diagnostic.severity])
    left = Counter(diagnostic.severity for diagnostic in kept[MAX_RESULTS:])
    parts = [f"{left[severity]:,} {severity.value}{'' if left[severity] == 1 else 's'}" for severity in RANK if left[severity]]
    return (
        f"{len(diagnostics):,} findings, more than the {MAX_RESULTS:,} results a run GitHub code scanning accepts: "
        f"the {MAX_RESULTS:,} most severe are given, {len(diagnostics) - MAX_RESULTS:,} left out ({', '.join(parts)}); "
        "--min-severity leaves out the least severe on purpose"
    )


def _run_properties(report: Report) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    found = len(report.result.diagnostics)
    if found > MAX_RESULTS:
        properties |= {"resultsFound": found, "resultsGiven": MAX_RESULTS, "resultsLeftOut": found - MAX_RESULTS}
    if report.left_out:
        properties["minSeverity"] = report.min_severity.value
    return properties


def _uri(path: str, report: Report) -> str:
    """The file's path relative to the repository's top, its bytes percent-encoded (a name need not be UTF-8)."""
    return quote(report.repository_path(path).encode("utf-8", "surrogateescape"))


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": rule.explain(), "markdown": help_markdown(rule)},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": [rule.group]},
    }


def help_markdown(rule: Rule) -> str:
    """What ``pcso-policy explain`` prints, as Markdown: GitHub shows it on each alert instead of ``help.text``."""
    return (
        f"**{rule.id}** (default severity: {rule.severity.value})\n\n"
        f"{_markdown(rule.summary)}\n\n"
        f"#### Why it matters\n\n{_markdown(rule.why)}\n\n"
        f"#### How to fix it\n\n{_markdown(rule.fix)}\n\n"
        f"#### Example\n\n{_code_block(rule.example)}\n"
    )


_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_MARKDOWN_SPECIAL = re.compile(r"([\\*_\[\]<>|~])")
_BLOCK_START = re.compile(r"^([ \t]*)(?:([#>+=-])|(\d+)([.)]))", re.MULTILINE)


def _markdown(text: str) -> str:
    """Prose as Markdown that shows it as written: the characters Markdown would act on escaped, outside
    the `code spans` the documentation already uses, and so is a line that would begin a heading or a list."""
    parts = _CODE_SPAN.split(text.strip())
    escaped = "".join(part if index % 2 else _MARKDOWN_SPECIAL.sub(r"\\\1", part) for index, part in enumerate(parts))
    return _BLOCK_START.sub(_escape_block_start, escaped)


def _escape_block_start(match: re.Match[str]) -> str:
    indent, marker, number, delimiter = match.groups()
    return f"{indent}\\{marker}" if marker else f"{indent}{number}\\{delimiter}"


def _code_block(text: str) -> str:
    """``text`` as a fenced code block no line of it can close (the fence is longer than any run of backticks)."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.strip()}\n{fence}"


def _result(diagnostic: Diagnostic, rule_index: int, prints: dict[str, str], uri: str) -> dict[str, Any]:
    related = diagnostic.related[:MAX_LOCATIONS]
    result: dict[str, Any] = {
        "ruleId": diagnostic.rule,
        "ruleIndex": rule_index,
        "level": LEVEL[diagnostic.severity],
        "message": {"text": linked_message(diagnostic.message, related)},
        "locations": [_location(uri, _region(diagnostic))],
        "partialFingerprints": prints,
    }
    if related:
        result["relatedLocations"] = [
            {**_location(uri, {"startLine": r.line, "startColumn": r.column}), "id": number, "message": {"text": r.message}}
            for number, r in enumerate(related)
        ]
    if diagnostic.fix is not None:
        result["fixes"] = [_fix(diagnostic.fix, uri)]
    return result


def _fix(fix: Fix, uri: str) -> dict[str, Any]:
    """A finding's fix as SARIF states one (a replacement of each edit's region); whether it is safe to
    apply without a person's look is a property, SARIF having no word for it."""
    replacements = [
        {
            "deletedRegion": {
                "startLine": edit.line,
                "startColumn": edit.column,
                "endLine": edit.end_line,
                "endColumn": edit.end_column,
            },
            "insertedContent": {"text": edit.replacement},
        }
        for edit in fix.edits
    ]
    return {
        "description": {"text": fix.description},
        "artifactChanges": [{"artifactLocation": {"uri": uri, "uriBaseId": ROOT_ID}, "replacements": replacements}],
        "properties": {"safe": fix.safe},
    }


_LINK_LIKE = re.compile(r"\[(?=[^\[\]]*\]\()|\](?=\()")
"""A bracket of what a viewer would read as an embedded link, ``[text](destination)``."""


def linked_message(message: str, related: tuple[Related, ...]) -> str:
    """The message with each related location linked from it, as GitHub shows them: its first mention
    of ``line N`` becomes ``[line N](id)``, and a place it does not mention is added at the end.

    A message quotes the policy, which may hold text that reads as a link (``[text](javascript:...)``,
    ``[here](0)``): the brackets of such text are escaped (``\\[``), so only the tool's own links link.
    """
    text = _LINK_LIKE.sub(lambda match: "\\" + match.group(), message)
    unmentioned: list[str] = []
    for number, place in enumerate(related):
        mention = re.compile(rf"(?<![\[\w\\])line {place.line}(?!\d)(?!\]\()")
        found = mention.search(text)
        if found is not None:
            text = f"{text[: found.start()]}[line {place.line}]({number}){text[found.end():]}"
        else:
            label = _LINK_TEXT.sub(lambda match: "\\" + match.group(), place.message)
            unmentioned.append(f"[{label}]({number}) (line {place.line})")
    if unmentioned:
        text += f" (see {'; '.join(unmentioned)})"
    return text


_LINK_TEXT = re.compile(r"[\\\[\]]")
"""What SARIF 2.1.0 (3.11.6) escapes with a backslash inside the text of an embedded link."""


def _location(uri: str, region: dict[str, int]) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": ROOT_ID}, "region": region}}


def _region(diagnostic: Diagnostic) -> dict[str, int]:
    region = {"startLine": diagnostic.line, "startColumn": diagnostic.column}
    if (diagnostic.end_line, diagnostic.end_column) > (diagnostic.line, diagnostic.column):
        region |= {"endLine": diagnostic.end_line, "endColumn": diagnostic.end_column}
    return region

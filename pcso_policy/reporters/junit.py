"""JUnit XML as GitLab and Jenkins read it: a test case per file, a failure per finding.

A file without findings is a passing test case, so the report also shows
what was checked. Characters XML 1.0 cannot carry are replaced (U+FFFD; a
file name's byte that is not UTF-8 is shown ``\\xff``). The report may be
printed to a CI log, so a line break, a C1 control, a Unicode line separator
or a bidirectional control inside a message, and the ``#`` of ``##[``, are
written as character references (``&#10;``): parsed back, every message is
what it was, but no line of the file begins a workflow command.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from pcso_policy.diagnostics import Diagnostic
from pcso_policy.reporters.report import Report
from pcso_policy.sanitise import printable

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_IN_A_LINE = re.compile("\r|\n(?! *<)|[\x80-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|#(?=#[A-Za-z]*\\[)")
"""What may not stand raw in the serialised report: a line break inside a text (the indentation's
line breaks are followed by a tag), C1 and bidirectional controls, line separators, ``##[``."""
SUITE = "pcso-policy lint"


def format_junit(report: Report) -> str:
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in report.result.diagnostics:
        by_path[diagnostic.path].append(diagnostic)
    paths = list(dict.fromkeys([*report.result.paths, *by_path]))
    failed = sum(1 for path in paths if by_path.get(path))
    counts = {"tests": str(len(paths)), "failures": str(failed), "errors": "0", "skipped": "0"}
    suites = ET.Element("testsuites", {"name": "pcso-policy", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": SUITE, **counts})
    for path in paths:
        case = ET.SubElement(suite, "testcase", {"classname": SUITE, "name": _clean(path), "file": _clean(path)})
        for diagnostic in by_path.get(path, []):
            failure = ET.SubElement(
                case, "failure", {"type": diagnostic.rule, "message": _clean(f"{diagnostic.rule}: {diagnostic.message}")}
            )
            failure.text = _clean(
                f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: "
                f"{diagnostic.severity.value} {diagnostic.rule} {diagnostic.message}"
            )
    ET.indent(suites)
    text = _IN_A_LINE.sub(lambda match: f"&#{ord(match.group())};", ET.tostring(suites, encoding="unicode"))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", printable(text))

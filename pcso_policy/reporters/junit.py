"""JUnit XML as GitLab and Jenkins read it: a test case per file, failed exactly when lint fails.

The shape, decided by what the readers do:

- **One test case per file linted** (``name`` the file's path from the top of
  the repository, ``classname`` ``pcso-policy lint``): a policy passes or
  fails as a whole, and the report shows everything that was checked.
- **At most one** ``<failure>`` **in it.** GitLab (and other readers) show one
  failure per test case, so a file's errors are one failure listing every
  one of them, a line each (``path:line:col: error rule message``); its
  ``message`` names the first and how many more.
- **Failed exactly when lint fails.** A test case fails when its file has an
  error, the severity that makes lint exit 1. Warnings and infos are listed
  in the test case's ``<system-out>`` (GitLab shows it with the test case):
  a file with warnings alone is a passed test, as lint exits 0 for it, not a
  skipped one (nothing was skipped).
- **Valid against the Jenkins xUnit plugin's** ``junit-10.xsd``: no ``skipped``
  on ``<testsuites>``, no ``file`` on ``<testcase>``.

Characters XML 1.0 cannot carry are replaced (U+FFFD; a file name's byte that
is not UTF-8 is shown ``\\xff``). The report may be printed to a CI log, so a
line break, a C1 control, a Unicode line separator or a bidirectional control
inside a text or attribute, and the ``#`` of ``##[``, are written as character
references (``&#10;``): parsed back, every message is what it was, but no line
of the file begins a workflow command.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from pcso_policy.diagnostics import Diagnostic, Severity
from pcso_policy.reporters.report import Report
from pcso_policy.sanitise import printable

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_IN_A_LINE = re.compile("\r|\n(?! *<)|[\x80-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|#(?=#[A-Za-z]*\\[)")
"""What may not stand raw in the serialised report: a line break inside a text (the indentation's
line breaks are followed by a tag), C1 and bidirectional controls, line separators, ``##[``."""
SUITE = "pcso-policy lint"


def format_junit(report: Report) -> str:
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in report.result.diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    paths = list(dict.fromkeys([*report.result.paths, *by_path]))
    failed = 0
    suites = ET.Element("testsuites", {"name": "pcso-policy"})
    suite = ET.SubElement(suites, "testsuite", {"name": SUITE})
    for path in paths:
        case = ET.SubElement(suite, "testcase", {"classname": SUITE, "name": _clean(report.repository_path(path))})
        findings = by_path.get(path, [])
        errors = [diagnostic for diagnostic in findings if diagnostic.severity is Severity.ERROR]
        others = [diagnostic for diagnostic in findings if diagnostic.severity is not Severity.ERROR]
        if errors:
            failed += 1
            first = errors[0]
            more = f" (and {len(errors) - 1:,} more error{'' if len(errors) == 2 else 's'})" if len(errors) > 1 else ""
            attributes = {"type": first.rule, "message": _clean(f"{first.rule}: {first.message}{more}")}
            ET.SubElement(case, "failure", attributes).text = _listing(report, errors)
        if others:
            ET.SubElement(case, "system-out").text = _listing(report, others)
    counts = {"tests": str(len(paths)), "failures": str(failed), "errors": "0"}
    suites.attrib.update(counts)
    suite.attrib.update({**counts, "skipped": "0"})
    ET.indent(suites)
    text = _IN_A_LINE.sub(lambda match: f"&#{ord(match.group())};", ET.tostring(suites, encoding="unicode"))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


def _listing(report: Report, findings: list[Diagnostic]) -> str:
    return _clean("\n".join(_line(report, diagnostic) for diagnostic in findings))


def _line(report: Report, diagnostic: Diagnostic) -> str:
    where = report.repository_path(diagnostic.path)
    return f"{where}:{diagnostic.line}:{diagnostic.column}: {diagnostic.severity.value} {diagnostic.rule} {diagnostic.message}"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", printable(text))

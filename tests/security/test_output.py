"""Safe on untrusted pull requests: what the tool prints and writes.

A pull request controls every file: the policy text, its YAML values and the
file names (git stores newlines and bytes that are not UTF-8 in names). Each
test plants such input and checks what a reviewer's terminal, a CI log, a
spreadsheet, a calendar, a browser or a code-scanning upload receives:

- no line of human-facing output carries a control character, an escape
  sequence, a Unicode line separator or a bidirectional control (each is
  shown escaped, ``\\x1b``), begins with ``::`` (a GitHub workflow command)
  or holds ``##[`` (the runner's legacy command form, read anywhere in a line);
- a file name that is not UTF-8 gives valid output, the name shown as ``\\xff``;
- an output file that cannot be written, or that names a linted policy, is a
  usage error before anything is written, and the source is never touched;
- the HTML report carries a strict Content-Security-Policy and no policy
  text breaks out of its markup;
- SARIF is written result by result, never held whole in memory.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import hashlib
import io
import json
import os
import re
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from pcso_policy.cli import run
from pcso_policy.diagnostics import Diagnostic, Related, Severity
from pcso_policy.reporters import Report
from pcso_policy.reporters.sarif import format_sarif
from tests.support import FRONT_MATTER, write

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "tests" / "fixtures" / "publish" / "t100-body-worn-video.md"
SARIF_SCHEMA = ROOT.parent / "shared" / "external-schemas" / "sarif" / "sarif-schema-2.1.0.json"
AS_OF = "2026-11-23"

HOSTILE = r"""---
id: "E1\n::error file=evil.md,line=1::forged by the id"
title: "=HYPERLINK(\"http://example.invalid\",\"open\") \e[31mred\e]0;retitled\a\e[2J \u2028 \u202eevil\u202c
  ##[error]legacy \x85nel \x9b1m"
owner: "::add-mask::owner\n::stop-commands::token"
status: "live\r::warning::carriage return"
last_reviewed: "2025-01"
next_review: "2026-01"
review_cycle_months: 24
aligns_with:
  - source: college-of-policing/pcso-role-and-purpose
    version: "2022-06-06"
    section: "4.3\n::error::forged by the section"
  - source: college-of-policing/pcso-role-and-purpose
    version: "2022-06-06"
    section: "4.3"
---

# Hostile policy

## 4. Policy

4.3. A PCSO should:

- Be ##[error]from the body.
"""
"""Front matter whose values forge workflow commands, retitle and clear a terminal, reverse text and
start a spreadsheet formula; every one is reported (overdue, bad status, unknown section ...)."""

NAMES = [
    "evil.md",
    "new\n::error file=name.md::forged by a file name.md",
    "cr\r::warning::forged by a carriage return.md",
    "##[error]hash.md",
    "esc\x1b]0;retitled\x07\x1b[2J.md",
    "bidi\u202egnp.md",
]
"""File names a pull request can commit (each holds the hostile policy)."""

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def assert_safe(text: str, newline: str = "\n") -> None:
    """What a terminal or a CI log may receive: UTF-8, and no line that acts on either."""
    text.encode("utf-8")  # strict: a lone surrogate would fail on a UTF-8 terminal
    for number, line in enumerate(text.split(newline), start=1):
        assert "\n" not in line and "\r" not in line, f"line {number} breaks: {line!r}"
        assert UNSAFE.search(line) is None, f"line {number} holds {UNSAFE.search(line)!r}: {line!r}"
        assert not line.lstrip().startswith("::"), f"line {number} is a workflow command: {line!r}"
        assert re.search(r"##[A-Za-z]*\[", line) is None, f"line {number} is a legacy workflow command: {line!r}"


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (``tmp``) whose ``policies/`` holds the hostile policy under every hostile name."""
    for name in NAMES:
        write(tmp_path / "policies", name, HOSTILE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def printed(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# 1. CI-log and terminal injection ---------------------------------------------------------------------


def test_lint_text_output_shows_every_hostile_value_escaped(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = printed(capsys, "lint", "--no-cache", "--as-of", AS_OF, "--statistics", "policies")
    assert code == 1
    assert_safe(out)
    assert_safe(err)
    assert "policies/new\\n::error file=name.md::forged by a file name.md:" in out  # the name, shown escaped
    assert "policies/esc\\x1b]0;retitled\\x07\\x1b[2J.md:" in out
    assert "policies/##\\x5berror]hash.md:" in out
    assert "policies/bidi\\u202egnp.md:" in out
    assert "infos.\n" in out and "Checked 6 files" in out


def test_lint_terminal_report_beside_output_is_escaped_too(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = printed(capsys, "lint", "--no-cache", "--as-of", AS_OF, "--format", "sarif", "--output", "x.sarif", "policies")
    assert code == 1
    assert_safe(out)
    assert "Checked 6 files" in out


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_json_formats_on_the_terminal_carry_no_command(
    hostile: Path, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    code, out, _ = printed(capsys, "lint", "--no-cache", "--as-of", AS_OF, "--format", output_format, "policies")
    assert code == 1
    assert_safe(out)
    values = "\0".join(_strings(json.loads(out)))
    assert "policies/##[error]hash.md" in values  # the value itself is kept: only its spelling in JSON changed
    assert "policies/new\n::error file=name.md::forged by a file name.md" in values
    assert "policies/bidi\u202egnp.md" in values


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_junit_on_the_terminal_carries_no_command_and_keeps_every_message(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = printed(capsys, "lint", "--no-cache", "--as-of", AS_OF, "--format", "junit", "policies")
    assert code == 1
    assert_safe(out)
    root = ET.fromstring(out)
    texts = [failure.text or "" for failure in root.iter("failure")]
    assert any("\n::error file=name.md::forged by a file name.md" in text for text in texts)  # read back as it was
    assert any("##[error]hash.md" in text for text in texts)
    names = {case.get("name") for case in root.iter("testcase")}
    assert "policies/new\n::error file=name.md::forged by a file name.md" in names


def test_github_annotations_stay_one_command_a_line(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = printed(capsys, "lint", "--no-cache", "--as-of", AS_OF, "--format", "github", "policies")
    assert code == 1
    lines = out.split("\n")
    assert lines.pop() == ""
    command = re.compile(r"^::(error|warning|notice) (file|title)=[^:\r\n]*::[^\r\n]*$")  # title=: the count GitHub hides
    assert lines and all(command.match(line) for line in lines), [line for line in lines if not command.match(line)]


@pytest.mark.parametrize("output_format", ["text", "csv", "json", "ics"])
def test_reviews_in_every_format_carry_no_command(
    hostile: Path, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    code, out, err = printed(capsys, "reviews", "--as-of", AS_OF, "--format", output_format, "policies")
    assert code == 0
    assert_safe(out, "\r\n" if output_format in ("csv", "ics") else "\n")
    assert_safe(err)


def test_reviews_text_shows_the_title_escaped(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = printed(capsys, "reviews", "--as-of", AS_OF, "policies")
    assert "::add-mask::owner\\n::stop-commands::token" in out  # the owner cell, at no line's start
    assert "\nE1\\n::error file=evil.md,line=1::forged by the id  " in out  # the id cell, starting a line
    assert "policies/esc\\x1b]0;retitled\\x07\\x1b[2J.md" in out


def test_reviews_csv_cells_are_text_a_spreadsheet_does_not_run(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = printed(capsys, "reviews", "--as-of", AS_OF, "--format", "csv", "policies")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert len(rows) == len(NAMES)
    for row in rows:
        assert row["title"].startswith("'=HYPERLINK("), row["title"]
        assert "\\x1b[31mred" in row["title"] and "\x1b" not in row["title"]
        assert row["id"] == "E1\\n::error file=evil.md,line=1::forged by the id"
        assert row["owner"] == "\\x3a:add-mask::owner\\n::stop-commands::token"
        for key, value in row.items():
            if key != "days":  # a number, -296 days when overdue
                    assert value[:1] not in ("=", "+", "-", "@", "\t", "\r", "\n"), value


def test_reviews_calendar_is_valid_and_shows_the_values_escaped(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import icalendar

    _, out, _ = printed(capsys, "reviews", "--as-of", AS_OF, "--format", "ics", "policies")
    calendar = icalendar.Calendar.from_ical(out)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(NAMES)
    for event in events:
        summary = str(event["SUMMARY"])
        assert "\\x1b[31mred" in summary and "\x1b" not in summary
        assert "##\\x5berror]legacy" in summary
    for line in out.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75  # folded, as RFC 5545 requires


def test_no_fold_of_the_calendar_starts_a_line_with_a_command() -> None:
    import datetime

    from pcso_policy import ics, reviews
    from pcso_policy.dates import PartialDate

    due = datetime.date(2027, 1, 31)
    for offset in range(80):  # a fold falls at every place of the forged command, in turn
        for forged in ("::error::forged", " " * 90 + "::error::forged", ":" * offset + "error::forged"):
            review = reviews.Review(
                "policies/p.md", "P1", "x" * offset + forged, "o" * offset + forged, "approved",
                PartialDate(2025, 1, None), PartialDate(2027, 1, None), due, 69, reviews.DUE_SOON,
            )
            text = ics.calendar([review], datetime.date(2026, 11, 23), "policies")
            assert_safe(text, "\r\n")


def test_align_text_shows_values_and_names_escaped(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = printed(capsys, "align", "policies")
    assert code in (0, 1), err
    assert_safe(out)
    assert "section 4.3\\n::error::forged by the section" in out
    assert "##\\x5berror]from the body" in out


def test_publish_messages_show_names_and_reasons_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "policies", "ok\n::error::forged by a published name.md", CLEAN.read_bytes())
    write(tmp_path / "policies", "refused\n::error::forged by a refused name.md", HOSTILE)
    code, out, err = printed(capsys, "publish", "--out", "published", "--as-of", AS_OF, "policies")
    assert code == 1, err
    assert_safe(out)
    assert_safe(err)
    assert "published policies/ok\\n::error::forged by a published name.md -> " in out
    assert "refused policies/refused\\n::error::forged by a refused name.md:" in out
    assert "status is 'live\\r::warning::carriage return'" in out


def test_the_sanitiser_leaves_ordinary_text_alone() -> None:
    from pcso_policy.sanitise import line, shown

    ordinary = "Police community support officers’ “powers” – café, naïve, 2.1., 50%, C:\\path, ## 4. Policy, a::b"
    assert shown(ordinary) == ordinary == line(ordinary)
    assert shown("a\nb\r\tc\x1b[2J\x7f\x9b\x85\u2028\u2029\u202e\u2066\u200f") == (
        "a\\nb\\r\\tc\\x1b[2J\\x7f\\x9b\\x85\\u2028\\u2029\\u202e\\u2066\\u200f"
    )
    assert shown("bad\udcff.md \ud800") == "bad\\xff.md \\ud800"
    assert shown("##[error]a ##vso[task.setvariable]b ###[c") == "##\\x5berror]a ##vso\\x5btask.setvariable]b ###\\x5bc"
    assert line("::error::x") == "\\x3a:error::x"
    assert line(" \u00a0::error::x") == " \u00a0\\x3a:error::x"


# 2. File names that are not UTF-8 ----------------------------------------------------------------------


@pytest.fixture
def non_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``policies/bad<0xff>.md``, a policy with one error (front-matter/enum), beside a clean one."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policies").mkdir()
    try:
        (tmp_path / "policies" / os.fsdecode(b"bad\xff.md")).write_text(FRONT_MATTER.replace("draft", "live") + "\n# T\n")
    except (OSError, UnicodeError):
        pytest.skip("this file system does not store file names that are not UTF-8")
    write(tmp_path / "policies", "clean.md", FRONT_MATTER.replace("T1", "T2") + "\n# T\n")
    write(tmp_path, ".pcso-policy.toml", "bundled_checks = false\n")
    return tmp_path


def test_non_utf8_name_in_text_output(non_utf8: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = printed(capsys, "lint", "--no-cache", "policies")
    assert code == 1, err
    assert_safe(out)
    assert out.startswith("policies/bad\\xff.md:5:9: error front-matter/enum ")


def test_non_utf8_name_in_github_annotations(non_utf8: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = printed(capsys, "lint", "--no-cache", "--format", "github", "policies")
    assert code == 1, err
    out.encode("utf-8")
    assert out.startswith("::error file=policies/bad\\xff.md,line=5,col=9,")


def test_non_utf8_name_in_sarif(non_utf8: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = printed(capsys, "lint", "--no-cache", "--format", "sarif", "--output", "x.sarif", "policies")
    assert code == 1, err
    log = json.loads((non_utf8 / "x.sarif").read_text(encoding="utf-8"))
    (result,) = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "policies/bad%FF.md"
    if SARIF_SCHEMA.is_file():
        from jsonschema import Draft7Validator

        assert list(Draft7Validator(json.loads(SARIF_SCHEMA.read_text())).iter_errors(log)) == []


def test_non_utf8_name_in_json_output(non_utf8: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = printed(capsys, "lint", "--no-cache", "--format", "json", "--output", "x.json", "policies")
    assert code == 1, err
    (finding,) = json.loads((non_utf8 / "x.json").read_text(encoding="utf-8"))["diagnostics"]
    assert finding["path"] == "policies/bad\\xff.md"
    code, out, _ = printed(capsys, "lint", "--no-cache", "--format", "json", "policies")
    assert json.loads(out)["diagnostics"][0]["path"] == "policies/bad\\xff.md"
    out.encode("utf-8")


def test_non_utf8_name_in_junit(non_utf8: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = printed(capsys, "lint", "--no-cache", "--format", "junit", "--output", "x.xml", "policies")
    assert code == 1, err
    names = {case.get("name") for case in ET.parse(non_utf8 / "x.xml").getroot().iter("testcase")}
    assert names == {"policies/bad\\xff.md", "policies/clean.md"}


def test_non_utf8_name_in_a_baseline(non_utf8: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = printed(capsys, "lint", "--no-cache", "--write-baseline", "baseline.json", "policies")
    assert code == 1, err
    (entry,) = json.loads((non_utf8 / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert entry["path"] == "policies/bad\\xff.md"
    code, out, err = printed(capsys, "lint", "--no-cache", "--baseline", "baseline.json", "policies")
    assert code == 0, err
    assert "1 known finding recorded in the baseline not shown" in out


def test_non_utf8_name_in_the_html_report(non_utf8: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = printed(capsys, "report", "--html", "site", "policies")
    assert code == 0, err
    texts = " ".join(lxml.html.parse(str(page)).getroot().text_content() for page in (non_utf8 / "site").rglob("*.html"))
    assert "policies/bad\\xff.md" in texts


@pytest.mark.parametrize("output_format", ["json", "csv", "ics"])
def test_non_utf8_name_in_reviews(non_utf8: Path, capsys: pytest.CaptureFixture[str], output_format: str) -> None:
    code, _, err = printed(capsys, "reviews", "--format", output_format, "--output", "reviews.out", "policies")
    assert code == 0, err
    text = (non_utf8 / "reviews.out").read_bytes().decode("utf-8")
    if output_format == "json":
        paths = [review["path"] for review in json.loads(text)["reviews"]]
    elif output_format == "csv":
        paths = [row["path"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    else:
        import icalendar

        paths = [str(event["DESCRIPTION"]).rsplit("File: ", 1)[1] for event in icalendar.Calendar.from_ical(text).walk("VEVENT")]
    assert sorted(paths) == ["policies/bad\\xff.md", "policies/clean.md"]


# 3. Output files: unwritable, or naming a source -------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, ".pcso-policy.toml", "bundled_checks = false\n")
    write(tmp_path / "policies", "a.md", FRONT_MATTER.replace("draft", "live") + "\n# T\n")
    return tmp_path


def _unchanged(repo: Path) -> None:
    assert (repo / "policies" / "a.md").read_text() == FRONT_MATTER.replace("draft", "live") + "\n# T\n"
    assert (repo / ".pcso-policy.toml").read_text() == "bundled_checks = false\n"
    assert not (repo / ".pcso-policy-cache").exists()  # nothing was written, not even the cache
    assert not (repo / "baseline.json").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--output", "/nonexistent/x.json"], "folder '/nonexistent' does not exist"),
        (["--output", "policies/a.md"], "is one of the policies being linted"),
        (["--output", "./policies/../policies/a.md"], "is one of the policies being linted"),
        (["--output", ".pcso-policy.toml"], "is the configuration"),
        (["--write-baseline", "policies/a.md"], "is one of the policies being linted"),
        (["--write-baseline", "/nonexistent/b.json"], "folder '/nonexistent' does not exist"),
        (["--output", "same.json", "--write-baseline", "same.json"], "name the same file"),
    ],
)
def test_lint_output_files_are_checked_before_anything_is_written(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    extra = [] if "--write-baseline" in args else ["--write-baseline", "baseline.json"]
    code, out, err = printed(capsys, "lint", "--format", "json", *args, *extra, "policies")
    assert code == 2, out + err
    assert says in err and err.startswith("pcso-policy: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    _unchanged(repo)
    assert not (repo / "same.json").exists()


def test_lint_output_may_not_be_a_folder(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = printed(capsys, "lint", "--output", "policies", "--write-baseline", "baseline.json", "policies")
    assert code == 2 and "'policies' is a directory" in err and "Traceback" not in err, out + err
    _unchanged(repo)


def test_lint_output_may_not_replace_the_baseline_it_reads(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lint", "--no-cache", "--write-baseline", "known.json", "policies"]) == 1
    before = (repo / "known.json").read_bytes()
    capsys.readouterr()
    code, _, err = printed(capsys, "lint", "--no-cache", "--baseline", "known.json", "--output", "known.json", "policies")
    assert code == 2 and "is the baseline being read" in err
    assert (repo / "known.json").read_bytes() == before


def test_lint_output_in_a_read_only_folder(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    locked = repo / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.geteuid() == 0:  # root may write anywhere: make the folder read-only as a read-only mount would
        real = os.access
        monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path).resolve() == locked else real(path, mode, **kw))
    code, _, err = printed(capsys, "lint", "--output", "locked/x.json", "policies")
    assert code == 2 and "cannot write 'locked/x.json': folder 'locked' is not writable" in err, err
    _unchanged(repo)
    assert list(locked.iterdir()) == []


def test_reviews_output_is_checked_too(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = printed(capsys, "reviews", "--format", "csv", "--output", "policies/a.md", "policies")
    assert code == 2 and "is one of the policies being read" in err, err
    code, _, err = printed(capsys, "reviews", "--format", "csv", "--output", ".pcso-policy.toml", "policies")
    assert code == 2 and "'.pcso-policy.toml' is the configuration" in err, err
    code, _, err = printed(capsys, "reviews", "--format", "csv", "--output", "/nonexistent/r.csv", "policies")
    assert code == 2 and "folder '/nonexistent' does not exist" in err, err
    _unchanged(repo)


def test_report_never_replaces_a_folder_holding_policies(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo / "policies", ".pcso-policy-report", "planted by a pull request\n")  # the marker of an earlier report
    for target in ("policies", "."):
        code, _, err = printed(capsys, "report", "--html", target, "policies")
        assert code == 2, err
        assert "was not written by 'pcso-policy report'" in err, err
    _unchanged(repo)


def test_report_into_an_unwritable_folder(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    locked = repo / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.geteuid() == 0:
        real = os.access
        monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path).resolve() == locked else real(path, mode, **kw))
    code, _, err = printed(capsys, "report", "--html", "locked/site", "policies")
    assert code == 2 and "folder 'locked' is not writable" in err, err
    assert list(locked.iterdir()) == []


# 4. The HTML report's Content-Security-Policy ------------------------------------------------------------

BREAKOUT = '</script><script>window.pwned=1</script>"><img src=x onerror="window.pwned=2"></style><b>bold</b>'


@pytest.fixture
def breakout_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    value = json.dumps(BREAKOUT)
    policy = (
        HOSTILE.replace('title: "=HYPERLINK', f"title: {value}\nx_title: \"=HYPERLINK")
        .replace('owner: "::add-mask::owner\\n::stop-commands::token"', f"owner: {value}")
        .replace('id: "E1\\n::error file=evil.md,line=1::forged by the id"', f"id: {value}")
    )
    write(tmp_path / "policies", "x<script>window.pwned=3</script>.md", policy + f"\n{BREAKOUT}\n")
    write(tmp_path / "policies", "evil.md", HOSTILE)
    assert run(["report", "--html", "site", "--as-of", AS_OF, "policies"]) == 0
    return tmp_path / "site"


def _csp(document: lxml.html.HtmlElement) -> dict[str, list[str]]:
    (meta,) = document.xpath("//meta[@http-equiv='Content-Security-Policy']")
    directives = [part.split() for part in meta.get("content").split(";") if part.strip()]
    return {name: values for name, *values in directives}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def test_every_page_has_a_strict_csp_allowing_only_its_own_inline_code(breakout_site: Path) -> None:
    pages = list(breakout_site.rglob("*.html"))
    assert len(pages) == 3
    for page in pages:
        document = lxml.html.document_fromstring(page.read_bytes())
        head = document.find("head")
        assert head is not None and head[0].get("charset") == "utf-8"
        assert head[1].get("http-equiv") == "Content-Security-Policy", page  # before any style or script
        csp = _csp(document)
        assert csp["default-src"] == ["'none'"]
        assert csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'none'"]
        styles = [element.text or "" for element in document.iter("style")]
        scripts = [element.text or "" for element in document.iter("script")]
        assert csp["style-src"] == [_hash(text) for text in styles]
        assert csp["script-src"] == ([_hash(text) for text in scripts] or ["'none'"])
        assert "'unsafe-inline'" not in page.read_text()


def test_no_policy_text_breaks_out_of_the_markup(breakout_site: Path) -> None:
    for page in breakout_site.rglob("*.html"):
        document = lxml.html.document_fromstring(page.read_bytes())
        assert len(document.xpath("//script")) == (1 if page.name == "index.html" else 0), page
        assert document.xpath("//img | //b | //*[@style]") == [], page
        assert [attribute for element in document.iter() for attribute in element.attrib if attribute.startswith("on")] == []
        assert "window.pwned" not in "".join(element.text or "" for element in document.iter("script"))
    text = " ".join(lxml.html.parse(str(page)).getroot().text_content() for page in breakout_site.rglob("*.html"))
    assert BREAKOUT in text  # shown as text, every character of it
    assert "\\x1b[31mred" in text and "\x1b" not in text


def test_the_browser_runs_only_the_report_own_script(breakout_site: Path, tmp_path: Path) -> None:
    from tests import browser

    planted = tmp_path / "planted.html"  # an inline script the policy does not allow, to show it is enforced
    index = (breakout_site / "index.html").read_text()
    planted.write_text(index.replace("</body>", "<script>window.pwned=4</script></body>"))
    session = browser.start(*browser.find_or_skip())
    try:
        for page in [*breakout_site.rglob("*.html"), planted]:
            session.get(browser.url(page))
            assert session.execute_script("return window.pwned === undefined")
            log = session.get_log("browser")  # type: ignore[no-untyped-call]
            errors = [entry["message"] for entry in log if entry["level"] == "SEVERE"]
            if page == planted:
                assert any("Content Security Policy" in message for message in errors), errors
            else:
                assert errors == [], (page, errors)
        session.get(browser.url(breakout_site / "index.html"))
        assert session.find_element("id", "shown").text == "2 of 2 policies shown"  # the report's own script ran
    finally:
        session.quit()


# 5. SARIF streamed ------------------------------------------------------------------------------------


def _big_report(folder: Path, count: int) -> Report:
    from tests.reporters.sample import sample_report

    sample = sample_report(folder)
    path = sample.result.diagnostics[0].path
    diagnostics = [
        Diagnostic(
            path, number % 13 + 1, 1, "terminology/flag", Severity.WARNING, f"finding {number} says FLAG", number % 13 + 1, 5,
            (Related(1, 1, "the first of two"),),
        )
        for number in range(count)
    ]
    result = dataclasses.replace(sample.result, diagnostics=diagnostics)
    return Report(result, sample.registry, sample.root)


class _Sink(io.TextIOBase):
    """A stream that keeps nothing, as a file on disk keeps nothing in memory."""

    def __init__(self) -> None:
        self.size = 0
        self.digest = hashlib.sha256()

    def write(self, text: str) -> int:
        self.size += len(text)
        self.digest.update(text.encode("utf-8"))
        return len(text)


def test_sarif_is_written_result_by_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pcso_policy.reporters import chunks

    monkeypatch.chdir(tmp_path)
    report = _big_report(tmp_path, 20_000)
    sink = _Sink()
    tracemalloc.start()
    try:
        for chunk in chunks("sarif", report):
            sink.write(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    whole = format_sarif(report)
    assert sink.size == len(whole) and sink.digest.hexdigest() == hashlib.sha256(whole.encode("utf-8")).hexdigest()
    assert len(whole) > 20_000_000  # ~ 1 KB a result
    assert peak < 8_000_000, f"{peak / 1e6:.1f} MB held while writing {len(whole) / 1e6:.0f} MB of SARIF"


def test_streamed_sarif_is_what_one_json_dump_of_the_log_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.reporters.sample import sample_report

    monkeypatch.chdir(tmp_path)
    for report in (sample_report(tmp_path), _big_report(tmp_path, 3), _big_report(tmp_path, 0)):
        text = format_sarif(report)
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_lint_sarif_output_file_matches_the_reporter(repo: Path) -> None:
    assert run(["lint", "--no-cache", "--format", "sarif", "--output", "x.sarif", "policies"]) == 1
    written = (repo / "x.sarif").read_text(encoding="utf-8")
    assert json.loads(written)["runs"][0]["results"][0]["ruleId"] == "front-matter/enum"
    assert written.endswith("}\n")


def test_render_never_writes_over_the_policy_it_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "p.md"
    source.write_bytes((Path(__file__).resolve().parents[1] / "fixtures" / "publish" / "t100-body-worn-video.md").read_bytes())
    before = source.read_bytes()
    assert run(["render", "p.md", "-o", "./p.md"]) == 2
    assert "is one of the policies being rendered" in capsys.readouterr().err
    assert source.read_bytes() == before


def test_written_reports_are_readable_by_the_team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pcso_policy.atomic import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "report.json", "{}\n")
    finally:
        os.umask(old)
    assert (tmp_path / "report.json").stat().st_mode & 0o777 == 0o644


def test_usage_errors_show_hostile_text_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["lint", "no\n::error::forged"]) == 2
    err = capsys.readouterr().err
    assert "\n::" not in err and "no\\n::error::forged" in err

"""``pcso-policy lint --fix`` and ``--diff`` in a repository made by ``init``: what is written, what is
left alone, exit statuses, idempotence, and the fix in the JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pcso_policy.cli import run

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "fixes" / "terminology" / "substitution"
POLICY = "policies/procedure.md"
BROKEN = "policies/broken.md"


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert run(["init"]) == 0
    (tmp_path / POLICY).write_bytes((FIXTURE / "procedure.md").read_bytes())
    return tmp_path


def lint(*arguments: str) -> int:
    return run(["lint", "--no-cache", "--as-of", "2026-11-23", *arguments])


def test_fix_writes_the_safe_fixes_and_reports_what_remains(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = lint("--fix", "policies")
    out = capsys.readouterr().out
    assert (repository / POLICY).read_bytes() == (FIXTURE / "procedure.fixed.md").read_bytes()
    assert "terminology/substitution" not in out
    assert "structure/missing-section" in out  # what no fix changes is still reported
    assert out.endswith("Fixed 6 findings in 1 file\n")
    assert code == 1  # errors remain


def test_a_second_fix_changes_nothing(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lint("--fix", "policies")
    fixed = (repository / POLICY).read_bytes()
    capsys.readouterr()
    lint("--fix", "policies")
    assert capsys.readouterr().out.endswith("Fixed 0 findings in 0 files\n")
    assert (repository / POLICY).read_bytes() == fixed


def test_fix_keeps_crlf_endings_and_the_byte_order_mark(repository: Path) -> None:
    crlf = b"\xef\xbb\xbf" + (FIXTURE / "procedure.md").read_bytes().replace(b"\n", b"\r\n")
    (repository / POLICY).write_bytes(crlf)
    lint("--fix", "policies")
    assert (repository / POLICY).read_bytes() == b"\xef\xbb\xbf" + (FIXTURE / "procedure.fixed.md").read_bytes().replace(b"\n", b"\r\n")


def test_diff_shows_what_fix_would_write_and_writes_nothing(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (repository / POLICY).read_bytes()
    capsys.readouterr()
    assert lint("--diff", "policies") == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- a/{POLICY}\n+++ b/{POLICY}\n@@ ")
    assert "-# PSCO deployment procedure\n+# PCSO deployment procedure\n" in out
    assert "-    summary: PSCO" not in out  # the front matter is not prose
    assert (repository / POLICY).read_bytes() == before
    lint("--fix", "policies")
    capsys.readouterr()
    assert lint("--diff", "policies") == 0
    assert capsys.readouterr().out == ""


def test_plain_lint_never_writes(repository: Path) -> None:
    before = (repository / POLICY).read_bytes()
    assert lint("policies") == 1
    assert (repository / POLICY).read_bytes() == before


def test_a_file_whose_front_matter_cannot_be_read_is_not_fixed(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = (FIXTURE / "procedure.md").read_bytes().replace(b"owner: Neighbourhood", b"owner: [Neighbourhood", 1)
    (repository / BROKEN).write_bytes(broken)
    capsys.readouterr()
    assert lint("--diff", "policies") == 1
    assert BROKEN not in capsys.readouterr().out
    lint("--fix", "policies")
    out = capsys.readouterr().out
    assert f"{BROKEN}:5:7: error parse/yaml-syntax" in out
    assert f"{BROKEN}:14:3: warning terminology/substitution" in out
    assert (repository / BROKEN).read_bytes() == broken
    assert out.endswith("Fixed 6 findings in 1 file\n")


def test_json_carries_each_fix(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    lint("--format", "json", "--select", "terminology", POLICY)
    diagnostics = json.loads(capsys.readouterr().out)["diagnostics"]
    first = diagnostics[0]
    assert (first["rule"], first["line"], first["column"]) == ("terminology/substitution", 14, 3)
    edit = {"line": 14, "column": 3, "end_line": 14, "end_column": 7, "replacement": "PCSO"}
    assert first["fix"] == {"description": "write 'PCSO' for 'PSCO'", "safe": True, "edits": [edit]}
    assert all("fix" in diagnostic for diagnostic in diagnostics if diagnostic["rule"] == "terminology/substitution")
    assert all("fix" not in diagnostic for diagnostic in diagnostics if diagnostic["rule"] != "terminology/substitution")


def test_json_fix_summary_line_goes_to_standard_error(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    lint("--fix", "--format", "json", "policies")
    captured = capsys.readouterr()
    assert json.loads(captured.out)["summary"]["files"] == 2  # with init's example policy
    assert "Fixed 6 findings in 1 file" in captured.err


def test_fix_refuses_standard_input(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint("--fix", "-") == 2
    assert "standard input" in capsys.readouterr().err


KENT = Path(__file__).resolve().parents[2] / "policies" / "kent" / "o38-police-community-support-officers.md"


def test_unsafe_fixes_set_the_kent_footer_date_from_the_front_matter_only_when_asked(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The headline defect: the footer says February 2022, the front matter and 2.1 say January 2025. Which is
    true only a person can say, so the fix is unsafe: --fix leaves it, --unsafe-fixes applies it."""
    kent = repository / "policies" / "o38.md"
    kent.write_bytes(KENT.read_bytes())
    lint("--fix", "policies/o38.md")
    assert kent.read_bytes() == KENT.read_bytes()
    capsys.readouterr()
    assert lint("--diff", "--unsafe-fixes", "policies/o38.md") == 1
    assert "-Date last reviewed: February 2022\n+Date last reviewed: January 2025\n" in capsys.readouterr().out
    lint("--fix", "--unsafe-fixes", "--format", "json", "policies/o38.md")
    rules = [d["rule"] for d in json.loads(capsys.readouterr().out)["diagnostics"]]
    assert "review/date-conflict" not in rules
    changed = [(a, b) for a, b in zip(KENT.read_text().split("\n"), kent.read_text().split("\n"), strict=True) if a != b]
    assert changed == [("Date last reviewed: February 2022", "Date last reviewed: January 2025")]

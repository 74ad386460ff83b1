"""``pcso-policy align``: the drift report as a user runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pcso_policy.cli import run

ROOT = Path(__file__).resolve().parents[1]
KENT = ROOT / "policies" / "kent" / "o38-police-community-support-officers.md"
RULES = ROOT / "tests" / "fixtures" / "rules" / "alignment"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


def test_kent_is_aligned(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["align", str(KENT.relative_to(ROOT))]) == 0
    out = capsys.readouterr().out
    assert "section 4.3 (line 60) against College of Policing 'Role and purpose', version 2022-06-06 (current)" in out
    assert "    1  same      line 62   Be integrated into a neighbourhood policing team (normally geographic but..." in out
    assert "  aligned: 11 same\n" in out
    assert out.endswith("1 declared alignment(s) in 1 file(s): 0 with drift.\n")


def test_drift_is_shown_point_by_point_and_exits_1(in_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "drift.md"
    text = KENT.read_text(encoding="utf-8").replace("normally geographic", "usually geographic")
    text = text.replace("- Gather information and intelligence to assist and support law enforcement and community objectives.\n", "")
    policy.write_text(text + "", encoding="utf-8")
    assert run(["align", str(policy)]) == 1
    out = capsys.readouterr().out
    assert "    1  reworded  line 62" in out
    assert "'normally geographic' -> 'usually geographic'" in out
    assert "    7  missing             Gather information and intelligence to assist and support law enforcement..." in out
    assert "  drift: 9 same, 1 reworded, 1 missing\n" in out


def test_extras_stand_after_the_point_they_follow(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["align", "--format", "json", str(RULES / "extra-item" / "fail.md")]) == 1
    (entry,) = json.loads(capsys.readouterr().out)["files"][0]["alignments"]
    assert [row["status"] for row in entry["points"]][-2:] == ["same", "extra"]
    assert entry["points"][-1]["local"][0]["line"] == 28


def test_json_gives_the_same_as_data(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["align", "--format", "json", str(RULES / "modified-item" / "fail-merged.md")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"files": 1, "alignments": 1, "drifted": 1}
    (entry,) = data["files"][0]["alignments"]
    assert entry["status"] == "drift" and entry["current_version"] == "2022-06-06"
    assert entry["counts"] == {"same": 9, "reworded": 0, "merged": 2, "split": 0, "missing": 0, "extra": 0, "out_of_order": 0}
    merged = [row for row in entry["points"] if row["status"] == "merged"]
    assert [(row["number"], row["id"], row["local"][0]["line"]) for row in merged] == [
        (8, "low-level-offending", 24),
        (9, "conflict-defusal", 24),
    ]


def test_an_old_version_is_drift(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(RULES / "stale-version" / "references", tmp_path / "references")
    shutil.copy(RULES / "stale-version" / "fail.md", tmp_path / "policy.md")
    (tmp_path / ".pcso-policy.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["align", "policy.md"]) == 1
    out = capsys.readouterr().out
    assert "version 2019-07-01 (NOT current: 2022-06-06 is)" in out
    assert "  drift: 10 same\n" in out


def test_a_file_without_alignment(in_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "plain.md"
    policy.write_text("---\nid: T1\n---\n\n# T\n", encoding="utf-8")
    assert run(["align", str(policy)]) == 0
    assert "declares no alignment (aligns_with)" in capsys.readouterr().out


def test_an_unreadable_reference_text_is_named_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(RULES / "unknown-source" / "references", tmp_path / "references")
    shutil.copy(RULES / "unknown-source" / "fail-invalid-reference.md", tmp_path / "policy.md")
    (tmp_path / ".pcso-policy.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["align", "policy.md"]) == 2
    err = capsys.readouterr().err
    assert "references/college-of-policing/broken-text/2020-01-01.md:9: unknown key 'txt': did you mean 'text'?" in err
    assert "Traceback" not in err


def test_usage_errors(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["align"]) == 2
    assert run(["align", "no/such/file.md"]) == 2
    assert "path 'no/such/file.md' does not exist" in capsys.readouterr().err

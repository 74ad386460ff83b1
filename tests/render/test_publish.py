"""``pcso-policy publish``: only approved, lint-clean policies, checked after writing, recorded, immutable."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import pytest

from pcso_policy.cli import run
from pcso_policy.publish import MANIFEST_VERSION, Entry, Manifest
from pcso_policy.render.readback import Readback, problems
from tests.render.helpers import CLEAN, KENT, ROOT

AS_OF = "2026-01-15"
"""A date on which the clean fixture is neither overdue nor due soon (next review June 2027)."""


@pytest.fixture(autouse=True)
def project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # publish lints with the project's configuration and checks/


def publish(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["publish", "--as-of", AS_OF, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def copy(tmp_path: Path, text: str, name: str = "t100.md") -> Path:
    path = tmp_path / "src" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_publishes_an_approved_clean_policy_with_its_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "published"
    code, stdout, stderr = publish(capsys, str(CLEAN.relative_to(ROOT)), "--out", str(out))
    assert (code, stderr) == (0, ""), stdout
    assert "published tests/fixtures/publish/t100-body-worn-video.md -> " in stdout
    assert stdout.endswith("Published 1 of 1 policy, refused 0.\n")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest == {
        "manifest_version": 1,
        "published": [
            {
                "id": "T100",
                "version": "1.2",
                "title": "Body-worn video policy",
                "source": "tests/fixtures/publish/t100-body-worn-video.md",
                "source_sha256": sha256(CLEAN),
                "docx": "T100-1.2.docx",
                "docx_sha256": sha256(out / "T100-1.2.docx"),
                "linted_as_of": AS_OF,
            }
        ],
    }
    assert sorted(path.name for path in out.iterdir()) == ["T100-1.2.docx", "manifest.json"], "no temporary files left"


def test_refuses_a_draft_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = copy(tmp_path, CLEAN.read_text().replace("status: approved", "status: draft"))
    out = tmp_path / "published"
    code, stdout, _ = publish(capsys, str(draft), "--out", str(out))
    assert code == 1
    assert f"refused {draft}:\n  {draft}:7:9: status is 'draft', not 'approved': only approved policies are published\n" in stdout
    assert not (out / "T100-1.2.docx").exists() and not (out / "manifest.json").exists()


def test_refuses_the_kent_policy_and_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "published"
    code, stdout, _ = publish(capsys, "policies/kent", "--out", str(out), "--as-of", "2026-11-23")
    assert code == 1
    kent = "policies/kent/o38-police-community-support-officers.md"
    assert stdout.startswith(f"refused {kent}:\n")
    assert f"  {kent}:108:21: error review/date-conflict 'February 2022' contradicts" in stdout
    assert "front matter has no 'version' text" in stdout and "front matter has no 'classification' text" in stdout
    assert "warning" not in stdout, "warnings do not block publication and are not reasons"
    assert stdout.endswith("Published 0 of 1 policy, refused 1.\n")
    assert list(out.iterdir()) == []


def test_refuses_a_policy_with_lint_errors_even_when_approved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = CLEAN.read_text().replace("## 6. Equality impact", "## 6. Equality impact\n\n## 6b. Empty")
    broken = copy(tmp_path, text.replace("Date last reviewed: June 2025", "Date last reviewed: May 2021"))
    code, stdout, _ = publish(capsys, str(broken), "--out", str(tmp_path / "out"))
    assert code == 1 and "error review/date-conflict" in stdout


def test_republishing_the_same_content_is_a_no_op(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "published"
    source = str(CLEAN.relative_to(ROOT))
    assert publish(capsys, source, "--out", str(out))[0] == 0
    before = (out / "T100-1.2.docx").stat().st_mtime_ns, (out / "manifest.json").read_bytes()
    code, stdout, _ = publish(capsys, source, "--out", str(out))
    assert code == 0 and "unchanged" in stdout
    assert ((out / "T100-1.2.docx").stat().st_mtime_ns, (out / "manifest.json").read_bytes()) == before


def test_refuses_to_overwrite_a_published_version_with_different_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "published"
    original = copy(tmp_path, CLEAN.read_text())
    assert publish(capsys, str(original), "--out", str(out))[0] == 0
    published = (out / "T100-1.2.docx").read_bytes()
    original.write_text(CLEAN.read_text().replace("Cameras are funded", "Cameras are paid for"), encoding="utf-8")
    code, stdout, _ = publish(capsys, str(original), "--out", str(out))
    assert code == 1
    assert "T100 version 1.2 is already published from a different source" in stdout and "bump 'version'" in stdout
    assert (out / "T100-1.2.docx").read_bytes() == published

    original.write_text(original.read_text().replace('version: "1.2"', 'version: "1.3"'), encoding="utf-8")
    assert publish(capsys, str(original), "--out", str(out))[0] == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert [(entry["id"], entry["version"]) for entry in manifest["published"]] == [("T100", "1.2"), ("T100", "1.3")]
    assert (out / "T100-1.2.docx").read_bytes() == published


def test_never_overwrites_a_file_the_manifest_does_not_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "published"
    out.mkdir()
    (out / "T100-1.2.docx").write_bytes(b"someone else's file")
    code, stdout, _ = publish(capsys, str(CLEAN.relative_to(ROOT)), "--out", str(out))
    assert code == 1 and "does not record it" in stdout
    assert (out / "T100-1.2.docx").read_bytes() == b"someone else's file"


def test_publishes_the_good_and_refuses_the_bad_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = copy(tmp_path, CLEAN.read_text(), "a.md")
    draft = copy(tmp_path, CLEAN.read_text().replace("status: approved", "status: consultation").replace("T100", "T101"), "b.md")
    code, stdout, _ = publish(capsys, str(good), str(draft), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "Published 1 of 2 policies, refused 1." in stdout and f"refused {draft}" in stdout


def test_a_corrupt_manifest_is_a_usage_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "published"
    out.mkdir()
    (out / "manifest.json").write_text("{not json")
    code, _, stderr = publish(capsys, str(CLEAN.relative_to(ROOT)), "--out", str(out))
    assert code == 2 and stderr.startswith("pcso-policy: error: ") and "manifest cannot be read" in stderr
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1


def test_the_readback_check_names_what_is_wrong() -> None:
    broken = Readback(
        title="Other",
        language="en-US",
        core_language="en-US",
        headers=("OFFICIAL",),
        footers=("T1 · Version 1 · Page 1 of 1",),
        footer_fields=(frozenset({"PAGE"}),),
        headings=((1, "Title"), (3, "1. Deep")),
    )
    found = problems(broken, "Title", "OFFICIAL", True, [(1, "Title"), (2, "1. Marking")])
    assert found == [
        "document title is 'Other', not the policy's title 'Title'",
        "document language is 'en-US', not en-GB",
        "a page header of this unapproved document does not say DRAFT",
        "the marking 'OFFICIAL' is missing from a page footer",
        "a page footer of this unapproved document does not say DRAFT",
        "a page footer lacks the 'Page X of Y' fields",
        "the document's headings differ from the source's (missing '1. Marking')",
        "heading '1. Deep' is at level 3 after level 1: a reader's outline would have a gap",
    ]


def test_render_command_writes_drafts_marked_and_errors_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "kent.docx"
    assert run(["render", str(KENT.relative_to(ROOT)), "-o", str(output)]) == 0
    assert output.read_bytes()[:2] == b"PK"
    bad = copy(tmp_path, CLEAN.read_text().replace("4.1. Officers", "![camera](camera.png)\n\n4.1. Officers"))
    capsys.readouterr()
    assert run(["render", str(bad), "-o", str(tmp_path / "bad.docx")]) == 2
    err = capsys.readouterr().err
    assert err == f"pcso-policy: error: {bad}:39: images cannot be published yet: describe the image in words or link to it\n"
    assert not (tmp_path / "bad.docx").exists()


def test_a_heading_level_gap_is_refused_after_reading_the_document_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gap = copy(tmp_path, CLEAN.read_text().replace("4.3. Retention depends", "#### Retention detail\n\n4.3. Retention depends"))
    out = tmp_path / "out"
    code, stdout, _ = publish(capsys, str(gap), "--out", str(out))
    assert code == 1, stdout
    assert "heading 'Retention detail' is at level 4 after level 2: a reader's outline would have a gap" in stdout
    assert list(out.iterdir()) == [], "the failed document is removed and nothing is recorded"


def test_a_written_document_that_fails_its_check_is_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pcso_policy.publish.problems", lambda *_: ["the marking 'OFFICIAL' is missing from a page footer"])
    out = tmp_path / "out"
    code, stdout, _ = publish(capsys, str(CLEAN.relative_to(ROOT)), "--out", str(out))
    assert code == 1 and "rendered document check failed: the marking 'OFFICIAL' is missing from a page footer" in stdout
    assert list(out.iterdir()) == []


def test_the_manifest_is_written_as_json_dumps_writes_it(tmp_path: Path) -> None:
    """Recording an entry serialises only that entry; the file is still exactly ``json.dumps`` of the whole manifest."""
    manifest = Manifest(tmp_path / "manifest.json")

    def expected() -> str:
        published = [asdict(manifest.entries[key]) for key in sorted(manifest.entries)]
        return json.dumps({"manifest_version": MANIFEST_VERSION, "published": published}, indent=2, ensure_ascii=False) + "\n"

    assert manifest.text() == expected()
    title = 'Title with "quotes",\nnewline and \u00e9'
    manifest.add(Entry("T2", "1.0", title, "src/t2.md", "a" * 64, "T2-1.0.docx", "b" * 64, "2026-01-15"))
    manifest.add(Entry("T1", "2.0", "Another", "src/t1.md", "c" * 64, "T1-2.0.docx", "d" * 64, "2026-01-15"))
    assert (tmp_path / "manifest.json").read_text(encoding="utf-8") == expected()
    assert Manifest(tmp_path / "manifest.json").text() == expected(), "a loaded manifest writes the same text"

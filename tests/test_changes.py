"""``--changed-since`` in a real temporary git repository."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pytest

from pcso_policy.cli import run
from tests.support import git, write
from tests.test_cli import VALID


def policy(policy_id: str, references: Sequence[str] = (), source: str | None = None) -> str:
    text = VALID.replace("id: T1", f"id: {policy_id}")
    if references:
        text = text.replace("review_cycle_months: 24", "review_cycle_months: 24\nreferences: [" + ", ".join(references) + "]")
    if source:
        text = text.replace(
            "review_cycle_months: 24",
            f'review_cycle_months: 24\naligns_with:\n  - {{source: {source}, version: "2022-06-06", section: "4.3"}}',
        )
    return text


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    write(tmp_path, "pyproject.toml", '[tool.pcso-policy]\npaths = ["policies"]\n')
    write(tmp_path, "policies/a.md", policy("A1"))
    write(tmp_path, "policies/b.md", policy("B1", references=["A1"]))
    write(tmp_path, "policies/c.md", policy("C1", source="college/role"))
    write(tmp_path, "policies/d.md", policy("D1"))
    write(tmp_path, "references/college/role/2022-06-06.md", "---\ntitle: Role\n---\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "start")
    return tmp_path


def linted(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert run(["lint", "--format", "junit", "--changed-since", "main"]) in (0, 1)
    report = ET.fromstring(capsys.readouterr().out)
    return sorted(str(case.get("name")) for case in report.iter("testcase"))


def test_nothing_changed_lints_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert linted(capsys) == []


def test_a_changed_policy_and_those_citing_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "policies/a.md", policy("A1").replace("Test policy", "Changed policy"))
    assert linted(capsys) == ["policies/a.md", "policies/b.md"]


def test_a_new_untracked_policy(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "policies/e.md", policy("E1"))
    assert linted(capsys) == ["policies/e.md"]


def test_a_copy_duplicating_an_unchanged_policys_id_meets_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The attack: a pull request adds a file whose id is an unchanged policy's (D1). Linting only the
    new file would never see two documents with one id; both must be linted, so duplicate-id fires."""
    write(repo, "policies/copy.md", policy("D1"))
    assert run(["lint", "--format", "json", "--changed-since", "main"]) == 1
    diagnostics = json.loads(capsys.readouterr().out)["diagnostics"]
    assert sorted((d["path"], d["rule"]) for d in diagnostics if d["rule"] == "references/duplicate-id") == [
        ("policies/copy.md", "references/duplicate-id"),
        ("policies/d.md", "references/duplicate-id"),
    ]
    # An existing policy given another's id: it meets that one (d.md), and those citing its old id (b.md
    # cites A1) are linted too, so references/unresolved sees the id they cite has gone.
    write(repo, "policies/copy.md", policy("E1"))
    write(repo, "policies/a.md", policy("D1"))
    assert linted(capsys) == ["policies/a.md", "policies/b.md", "policies/copy.md", "policies/d.md"]


def test_a_ref_that_looks_like_an_option_is_never_given_to_git(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lint", "--changed-since", "--output=written.txt"]) == 2
    assert capsys.readouterr().err == "pcso-policy: error: unknown git ref '--output=written.txt': give a branch, tag or commit\n"
    assert not (repo / "written.txt").exists()


def test_a_deleted_policy_relints_those_citing_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "rm", "-q", "policies/a.md")
    assert linted(capsys) == ["policies/b.md"]


def test_a_renamed_policy(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "mv", "policies/d.md", "policies/d-renamed.md")
    assert linted(capsys) == ["policies/d-renamed.md"]


def test_a_changed_national_reference_relints_aligned_policies(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "references/college/role/2024-01-01.md", "---\ntitle: Role, new version\n---\n")
    assert linted(capsys) == ["policies/c.md"]


def test_a_changed_configuration_relints_everything(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "pyproject.toml", '[tool.pcso-policy]\npaths = ["policies"]\nignore = ["review"]\n')
    assert linted(capsys) == ["policies/a.md", "policies/b.md", "policies/c.md", "policies/d.md"]


def test_json_output_in_changed_files_mode(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "policies/d.md", policy("D1").replace("status: draft", "status: live"))
    assert run(["lint", "--format", "json", "--changed-since", "HEAD"]) == 1
    diagnostics = json.loads(capsys.readouterr().out)["diagnostics"]
    assert {d["path"] for d in diagnostics} == {"policies/d.md"}


def test_unknown_ref_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lint", "--changed-since", "no-such-branch"]) == 2
    assert capsys.readouterr().err == "pcso-policy: error: unknown git ref 'no-such-branch': give a branch, tag or commit\n"


def test_outside_a_git_repository_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    write(tmp_path, "policies/a.md", policy("A1"))
    assert run(["lint", "--changed-since", "main", "policies"]) == 2
    assert "is not inside a git repository" in capsys.readouterr().err

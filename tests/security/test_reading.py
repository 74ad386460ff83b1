"""Files a pull request can plant: links out of the repository, devices, pipes.

Each test builds a repository (a folder holding ``.git``) beside a secret
that a link points at, and checks that no command reads the secret, quotes
it, hangs or crashes: the link is a ``parse/unreadable`` finding or a usage
error naming it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pcso_policy.cli import run
from tests.support import write

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "tests" / "fixtures" / "publish" / "t100-body-worn-video.md"
SECRET = "AUTHORIZATION: basic c2VjcmV0LXRva2VuLXRoYXQtbXVzdC1uZXZlci1sZWFr"
OUTSIDE_LINK = "is a symbolic link to a file outside the repository"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp/repo`` (a git work tree holding one clean policy) and ``tmp/secret.txt`` beside it."""
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    write(repository, "policies/t100.md", CLEAN.read_bytes())
    write(tmp_path, "secret.txt", f"---\nid: S1\ntitle: {SECRET}\n---\n\n# {SECRET}\n")
    monkeypatch.chdir(repository)
    return repository


def everything_printed(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


COMMANDS = [
    ["lint", "--no-cache", "policies"],
    ["lint", "--no-cache", "--format", "json", "policies"],
    ["lint", "--no-cache", "--format", "sarif", "policies"],
    ["lint", "--no-cache", "--format", "junit", "policies"],
    ["lint", "--no-cache", "--format", "github", "policies"],
    ["lint", "--no-cache", "--write-baseline", "baseline.json", "policies"],
    ["reviews", "policies"],
    ["align", "policies"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_policy_linked_to_a_file_outside_is_never_read(args: list[str], repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("../../secret.txt", repo / "policies" / "config.md")
    code, printed = everything_printed(capsys, *args)
    assert SECRET not in printed and "Traceback" not in printed
    written = [path.read_text(errors="replace") for path in repo.rglob("*") if path.is_file() and path.suffix in (".json", ".sarif")]
    assert all(SECRET not in text for text in written)
    if args[0] == "lint":
        assert code == 2 and OUTSIDE_LINK in printed
    if args[0] == "align":
        assert code == 2 and OUTSIDE_LINK in printed


def test_the_html_report_neither_reads_nor_shows_a_linked_secret(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("../../secret.txt", repo / "policies" / "config.md")
    assert run(["report", "--html", "site", "--as-of", "2026-01-15"]) == 0
    pages = "".join(path.read_text(encoding="utf-8") for path in (repo / "site").rglob("*.html"))
    assert SECRET not in pages and OUTSIDE_LINK in pages


def test_a_link_that_stays_inside_the_repository_is_read(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "shared/t200.md", CLEAN.read_text(encoding="utf-8").replace("T100", "T200"))
    os.symlink("../shared/t200.md", repo / "policies" / "t200.md")
    code, printed = everything_printed(capsys, "lint", "--no-cache", "--as-of", "2026-01-15", "--format", "json", "policies")
    assert code == 0, printed
    assert json.loads(printed)["summary"]["files"] == 2


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/stdin", "/dev/urandom"])
def test_a_policy_linked_to_a_device_is_refused_at_once(target: str, repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink(target, repo / "policies" / "device.md")
    for args in (["lint", "--no-cache", "--format", "sarif", "policies"], ["reviews", "policies"], ["align", "policies"]):
        code, printed = everything_printed(capsys, *args)
        assert "Traceback" not in printed and "internal error" not in printed, printed
        assert code == 2 if args[0] != "reviews" else code == 0


def test_a_named_pipe_does_not_hang_lint(repo: Path) -> None:
    os.mkfifo(repo / "policies" / "pipe.md")
    done = subprocess.run(
        [sys.executable, "-m", "pcso_policy", "lint", "--no-cache", "--format", "json", "policies"],
        cwd=repo, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 2, done.stderr
    [finding] = [d for d in json.loads(done.stdout)["diagnostics"] if d["path"].endswith("pipe.md")]
    assert finding["rule"] == "parse/unreadable" and "named pipe" in finding["message"]


def test_configured_paths_outside_the_repository_are_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, ".pcso-policy.toml", 'paths = ["../"]\n')
    code, printed = everything_printed(capsys, "lint", "--no-cache")
    assert code == 2 and "configured path '../' is outside the project" in printed and ".pcso-policy.toml:1" in printed


def test_a_checks_folder_outside_the_repository_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo.parent, "elsewhere/force.yaml", "checks: []\n")
    write(repo, ".pcso-policy.toml", 'checks = "../elsewhere"\n')
    code, printed = everything_printed(capsys, "lint", "--no-cache")
    assert code == 2 and "the checks folder '../elsewhere' is outside the project" in printed


def test_a_check_file_linked_out_of_the_repository_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "checks").mkdir()
    os.symlink("../../secret.txt", repo / "checks" / "force.yaml")
    code, printed = everything_printed(capsys, "lint", "--no-cache")
    assert code == 2 and SECRET not in printed and f"force.yaml: cannot read check file: it {OUTSIDE_LINK}" in printed


def test_a_national_text_linked_out_of_the_repository_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = repo / "references" / "college-of-policing" / "pcso-role-and-purpose"
    folder.mkdir(parents=True)
    os.symlink("../../../../secret.txt", folder / "2026-01-01.md")
    write(repo, "policies/o38.md", (ROOT / "policies" / "kent" / "o38-police-community-support-officers.md").read_bytes())
    code, printed = everything_printed(capsys, "align", "policies")
    assert SECRET not in printed and "Traceback" not in printed
    assert code == 0, "the bundled text still serves; the linked one is not registered"


def test_a_configuration_linked_out_of_the_repository_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("../secret.txt", repo / ".pcso-policy.toml")
    code, printed = everything_printed(capsys, "lint", "--no-cache")
    assert code == 2 and SECRET not in printed and "cannot read configuration" in printed


def test_a_cited_unknown_id_does_not_read_linked_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cited = CLEAN.read_text(encoding="utf-8").replace("---\n", "---\nreferences: [Q99]\n", 1)
    write(repo, "policies/t100.md", cited)
    os.symlink("../../secret.txt", repo / "policies" / "other.md")
    code, printed = everything_printed(capsys, "lint", "--no-cache", "--format", "json", "policies/t100.md")
    assert "references/unresolved" in printed and SECRET not in printed

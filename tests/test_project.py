"""A force's own repository: the bundled rule set and national texts, with the repository's own on top.

Each test makes a repository that holds only what it names (no checks/, no
references/ unless written), as a force's repository does, and runs the
command line in it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pcso_policy.cli import run
from tests.support import write

ROOT = Path(__file__).resolve().parents[1]
KENT = ROOT / "policies" / "kent" / "o38-police-community-support-officers.md"
GOLDEN = json.loads((ROOT / "tests" / "golden" / "kent.json").read_text(encoding="utf-8"))
SIX_DEFECTS = [(d["rule"], d["line"], d["column"]) for d in GOLDEN["diagnostics"]]
BUNDLED_TEXT = ROOT / "references" / "college-of-policing" / "pcso-role-and-purpose" / "2022-06-06.md"

TRAINING_REQUIRED = """\
checks:
  - kind: required-sections
    description: This force also requires a training section in every policy.
    options:
      types:
        policy:
          - name: training
            titles: [Training, Training and development]
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding only the Kent policy, as policies/o38.md."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "policies/o38.md", KENT.read_bytes())
    return tmp_path


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[tuple[str, int, int]], str]:
    code = run(["lint", "--no-cache", "--format", "json", "--as-of", "2026-11-23", *args])
    captured = capsys.readouterr()
    found = [(d["rule"], d["line"], d["column"]) for d in json.loads(captured.out)["diagnostics"]] if captured.out else []
    return code, found, captured.err


def test_a_repository_of_policies_alone_gets_every_bundled_check(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, found, err = lint(capsys)
    assert (code, found, err) == (1, SIX_DEFECTS, "")


def test_a_repository_check_file_adds_a_required_section(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "checks/force.yaml", TRAINING_REQUIRED)
    _, found, _ = lint(capsys)
    added = [finding for finding in found if finding not in SIX_DEFECTS]
    assert [rule for rule, _, _ in added] == ["structure/missing-section"]
    assert [finding for finding in found if finding in SIX_DEFECTS] == SIX_DEFECTS


def test_a_repository_file_named_as_a_bundled_one_replaces_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "checks/terminology.yaml", "checks: []\n")
    _, found, _ = lint(capsys)
    assert [f for f in SIX_DEFECTS if f not in found] == [("terminology/undefined-acronym", 43, 13)]
    assert run(["rules"]) == 0
    listing = capsys.readouterr().out
    assert _row(listing, "terminology/undefined-acronym")[2] == "not"  # "not configured": the bundled file is replaced
    assert _row(listing, "review/date-conflict")[2:4] == ["bundled", "review.yaml"]


def _row(listing: str, rule_id: str) -> list[str]:
    return next(line.split() for line in listing.splitlines() if line.startswith(rule_id + " "))


def test_the_bundled_rule_set_can_be_switched_off_or_narrowed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, ".pcso-policy.toml", "bundled_checks = false\n")
    assert lint(capsys)[:2] == (0, [])
    write(repo, ".pcso-policy.toml", 'bundled_checks = ["review.yaml"]\n')
    _, found, _ = lint(capsys)
    assert found == [finding for finding in SIX_DEFECTS if finding[0].startswith("review/")]


def test_an_unknown_bundled_file_is_a_usage_error_at_its_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, ".pcso-policy.toml", 'paths = ["policies"]\nbundled_checks = ["reveiw.yaml"]\n')
    code, _, err = lint(capsys)
    assert code == 2
    assert err.startswith(f"pcso-policy: error: {repo / '.pcso-policy.toml'}:2: bundled_checks names 'reveiw.yaml'")
    assert "review.yaml" in err


def test_a_configured_checks_folder_that_does_not_exist_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, ".pcso-policy.toml", 'checks = "force-checks"\n')
    code, _, err = lint(capsys)
    assert code == 2
    assert "configured checks folder 'force-checks' does not exist" in err


def test_a_selection_that_leaves_no_check_to_fire_says_so(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, found, err = lint(capsys, "--select", "parse")
    assert (code, found) == (0, [])
    assert "the rule selection leaves no check that can fire" in err
    assert lint(capsys, "--select", "review")[2] == ""


def _replacement_text(changed: str) -> str:
    return BUNDLED_TEXT.read_text(encoding="utf-8").replace("Gather information", changed)


def test_the_repository_copy_of_a_bundled_national_text_wins_and_align_says_so(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["align", "policies"]) == 0
    assert "replacing the bundled one" not in capsys.readouterr().out
    write(repo, "references/college-of-policing/pcso-role-and-purpose/2022-06-06.md", _replacement_text("Collect information"))
    assert run(["align", "policies"]) == 1
    out = capsys.readouterr().out
    assert "version 2022-06-06 (current) [the repository's own copy, replacing the bundled one]" in out
    assert "'Collect information' -> 'Gather information'" in out
    assert ("alignment/modified-item", 68, 3) in lint(capsys)[1]


def test_a_repository_adds_a_newer_version_of_a_bundled_text(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    newer = BUNDLED_TEXT.read_text(encoding="utf-8").replace('version: "2022-06-06"', 'version: "2026-10-01"')
    write(repo, "references/college-of-policing/pcso-role-and-purpose/2026-10-01.md", newer)
    _, found, _ = lint(capsys)
    assert [f for f in found if f[0] == "alignment/stale-version"] == [("alignment/stale-version", 14, 14)]


def test_version_names_the_rule_set_and_national_texts(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("pcso-policy ")
    assert lines[1].startswith(f"bundled rule set {(ROOT / 'checks' / 'VERSION').read_text().strip()} (8 check files: ")
    assert "  college-of-policing/pcso-role-and-purpose 2022-06-06" in lines


def test_kinds_say_which_check_files_use_them(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "checks/force.yaml", TRAINING_REQUIRED)
    assert run(["kinds"]) == 0
    listing = capsys.readouterr().out
    assert "    used by: checks/force.yaml, bundled structure.yaml\n" in listing
    assert run(["explain", "structure/missing-section"]) == 0
    assert "Configured by: checks/force.yaml, bundled structure.yaml\n" in capsys.readouterr().out


def test_a_check_file_name_cannot_drive_the_terminal(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "checks/force\x1b[2J.yaml", TRAINING_REQUIRED)
    for command in (["rules"], ["kinds"], ["explain", "structure/missing-section"]):
        assert run(command) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "checks/force\\x1b[2J.yaml" in out

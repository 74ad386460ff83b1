"""The cache and parallel runs give exactly what a serial, uncached run gives."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pcso_policy import cache as cache_module
from pcso_policy import engine as engine_module
from pcso_policy.cli import run

ROOT = Path(__file__).resolve().parents[1]
KENT = ROOT / "policies" / "kent" / "o38-police-community-support-officers.md"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of this repository's checks and references with variants of the Kent policy (in a folder
    of ``tmp_path``, which the tests keep other folders in)."""
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    for folder in ("checks", "references"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / ".pcso-policy.toml").write_text('paths = ["policies"]\n', encoding="utf-8")
    kent = KENT.read_text(encoding="utf-8")
    variants = {
        "kent.md": kent,
        "broken-status.md": kent.replace("id: O38", "id: O39").replace("status: approved", "status: live"),
        "no-front-matter.md": kent.split("---\n", 2)[2],
        "suppressed.md": kent.replace("id: O38", "id: O40").replace(
            "## 1. Marking", '## 1. Marking\n\n<!-- pcso-policy: disable=marking reason="agreed" -->'
        ),
        "empty.md": "",
    }
    for name, text in variants.items():
        path = root / "policies" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def default_folder(project: Path) -> Path:
    """Where the project's cache is by default: its folder of the user cache folder."""
    return cache_module.project_folder(cache_module.user_folder(), project)


def lint_json(capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, dict[str, Any]]:
    code = run(["lint", "--format", "json", "--as-of", "2026-11-23", *options])
    return code, json.loads(capsys.readouterr().out)


def test_cached_and_parallel_runs_equal_a_serial_uncached_run(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reference = lint_json(capsys, "--no-cache")
    assert reference[1]["diagnostics"], "the variants must produce findings for the comparison to mean something"
    assert lint_json(capsys) == reference
    assert lint_json(capsys) == reference
    assert lint_json(capsys, "--no-cache", "--jobs", "2") == reference
    assert lint_json(capsys, "--jobs", "3", "--cache-dir", str(project / "other-cache")) == reference


def test_a_warm_run_parses_nothing(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    cold = lint_json(capsys)

    def must_not_parse(path: str, data: bytes) -> object:
        raise AssertionError(f"{path} was parsed although it is cached")

    monkeypatch.setattr(engine_module, "parse_bytes", must_not_parse)
    assert lint_json(capsys) == cold


def test_changed_inputs_are_not_served_from_the_cache(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lint_json(capsys)
    kent = project / "policies" / "kent.md"
    kent.write_text(kent.read_text(encoding="utf-8").replace("status: approved", "status: withdrawn!"), encoding="utf-8")
    _, changed_file = lint_json(capsys)
    assert any("withdrawn!" in d["message"] for d in changed_file["diagnostics"])
    (project / ".pcso-policy.toml").write_text('paths = ["policies"]\nignore = ["front-matter"]\n', encoding="utf-8")
    _, changed_config = lint_json(capsys)
    assert not any(d["rule"].startswith("front-matter/") for d in changed_config["diagnostics"])


def test_a_corrupt_or_unwritable_cache_costs_speed_not_correctness(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = lint_json(capsys, "--no-cache")
    lint_json(capsys)
    database = default_folder(project) / "entries.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE entries SET value = '{not json'")
    connection.close()
    assert lint_json(capsys) == reference
    database.write_bytes(b"not a database at all" * 100)
    assert lint_json(capsys) == reference
    blocked = project / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    assert lint_json(capsys, "--cache-dir", str(blocked / "cache")) == reference


def test_runs_sharing_a_cache_at_once_all_answer_alike(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reference = lint_json(capsys, "--no-cache")
    command = [sys.executable, "-m", "pcso_policy", "lint", "--format", "json", "--as-of", "2026-11-23"]
    runs = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    for process in runs:
        out, err = process.communicate(timeout=120)
        assert json.loads(out) == reference[1], err.decode()
    with sqlite3.connect(default_folder(project) / "entries.sqlite3") as connection:
        values = [row[0] for row in connection.execute("SELECT value FROM entries")]
    connection.close()
    assert len(values) == len(list((project / "policies").iterdir())), "one whole entry per policy, whoever wrote it"
    assert all(json.loads(value.partition(":")[2])["findings"] is not None for value in values)
    assert lint_json(capsys) == reference


def test_the_cache_folder_marks_itself(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lint_json(capsys)
    cache = default_folder(project)
    assert (cache / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache / ".gitignore").read_text(encoding="utf-8").endswith("*\n")


def test_a_change_to_the_tool_itself_changes_the_salt(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's edited check, or an upgrade that keeps the version number, is never served old results."""
    import datetime

    from pcso_policy import cache

    before = cache.salt([], ["rule"], datetime.date(2026, 11, 23))
    monkeypatch.setattr(cache, "_code_digest", lambda: b"other code")
    assert cache.salt([], ["rule"], datetime.date(2026, 11, 23)) != before


def test_the_cache_lives_in_the_user_cache_folder_one_folder_per_project(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """$PCSO_POLICY_CACHE_DIR, else $XDG_CACHE_HOME/pcso-policy, else ~/.cache/pcso-policy; never the checkout."""
    monkeypatch.delenv("PCSO_POLICY_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    reference = lint_json(capsys, "--no-cache")
    assert lint_json(capsys) == reference
    home_cache = tmp_path / "home" / ".cache" / "pcso-policy"
    assert [path.name for path in home_cache.glob("*/entries.sqlite3")] == ["entries.sqlite3"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert lint_json(capsys) == reference
    assert len(list((tmp_path / "xdg" / "pcso-policy").glob("*/entries.sqlite3"))) == 1
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/xdg")  # not absolute: ignored, as the XDG specification says
    assert lint_json(capsys) == reference and not (project / "relative").exists()
    monkeypatch.setenv("PCSO_POLICY_CACHE_DIR", str(tmp_path / "named"))
    assert lint_json(capsys) == reference
    assert (tmp_path / "named" / "key").is_file() and (tmp_path / "named" / "CACHEDIR.TAG").is_file()
    other = tmp_path / "other-project"
    shutil.copytree(project, other)
    monkeypatch.chdir(other)
    assert lint_json(capsys) == reference
    assert len(list((tmp_path / "named").glob("*/entries.sqlite3"))) == 2, "one database per project root"
    assert not (project / ".pcso-policy-cache").exists() and not (other / ".pcso-policy-cache").exists()


def test_an_unwritable_user_cache_folder_costs_speed_quietly(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = lint_json(capsys, "--no-cache")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the user cache folder should be", encoding="utf-8")
    monkeypatch.setenv("PCSO_POLICY_CACHE_DIR", str(blocked / "cache"))
    assert run(["lint", "--format", "json", "--as-of", "2026-11-23"]) == reference[0]
    captured = capsys.readouterr()
    assert json.loads(captured.out) == reference[1] and captured.err == ""


def test_runs_making_the_key_at_once_agree_on_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key appears whole or not at all: a run never reads half a key, and every run uses the first one made."""
    import threading

    base = tmp_path / "user-cache"
    monkeypatch.setenv("PCSO_POLICY_CACHE_DIR", str(base))
    start = threading.Barrier(8)
    found: list[bytes] = []

    def locate() -> None:
        start.wait()
        found.append(cache_module.locate(tmp_path / "project", None).secret)

    threads = [threading.Thread(target=locate) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 8 and len(set(found)) == 1
    assert (base / cache_module.KEY).read_bytes() == found[0]
    assert [path.name for path in base.iterdir() if path.name.startswith(".key-")] == []

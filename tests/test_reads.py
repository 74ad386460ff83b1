"""No command reads or parses a policy file twice in one run.

Reads are counted by Python's audit hook, which sees every ``open`` the
process makes (``open()``, ``Path.read_bytes``, ``os.open``), so a second
read by any route is caught; parses are counted at
:func:`pcso_policy.parsing.parse_text`, which every parse goes through. Both
are logged to one file descriptor, which ``--jobs`` workers (forked) inherit,
so their reads and parses count too.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pcso_policy import parsing
from pcso_policy.cli import run
from tests.support import commit_all, write

ROOT = Path(__file__).resolve().parents[1]
KENT = ROOT / "policies" / "kent" / "o38-police-community-support-officers.md"
CLEAN = ROOT / "tests" / "fixtures" / "publish" / "t100-body-worn-video.md"

_log: int | None = None
"""The descriptor reads and parses are logged to while a test records them (os.write opens nothing)."""


def _record(what: str, path: str | bytes | os.PathLike[str]) -> None:
    if _log is not None:
        os.write(_log, f"{what} {os.path.realpath(os.fsdecode(path))}\n".encode())


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        _record("read", args[0])


sys.addaudithook(_audit)  # audit hooks cannot be removed: it records only while a test asks it to


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A repository holding the Kent policy and an approved clean one; yields the log of reads and parses."""
    global _log
    repository = tmp_path / "repository"
    monkeypatch.chdir(write(repository, "policies/o38.md", KENT.read_bytes()).parents[1])
    write(repository, "policies/t100.md", CLEAN.read_bytes())
    real_parse = parsing.parse_text

    def parse_text(path: str, text: str, *args: Any, **kwargs: Any) -> parsing.ParseResult:
        _record("parse", path)
        return real_parse(path, text, *args, **kwargs)

    monkeypatch.setattr(parsing, "parse_text", parse_text)
    log = tmp_path / "log"
    _log = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        yield log
    finally:
        os.close(_log)
        _log = None


def of_policies(log: Path, what: str) -> Counter[str]:
    entries = [line.split(" ", 1) for line in log.read_text().splitlines()]
    return Counter(path for kind, path in entries if kind == what and path.endswith(("/policies/o38.md", "/policies/t100.md")))


COMMANDS = [
    ["lint", "--no-cache"],
    ["lint"],
    ["lint", "--no-cache", "--format", "json"],
    ["lint", "--no-cache", "--format", "sarif"],
    ["lint", "--no-cache", "--format", "junit"],
    ["lint", "--no-cache", "--format", "github"],
    ["lint", "--no-cache", "--write-baseline", "baseline.json"],
    ["lint", "--no-cache", "--jobs", "2"],
    ["align", "policies"],
    ["reviews"],
    ["reviews", "--format", "ics"],
    ["report", "--html", "site"],
    ["publish", "--out", "published"],
    ["render", "policies/o38.md", "-o", "o38.docx"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_each_policy_is_read_once_and_parsed_once(args: list[str], recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dated = args[0] not in ("align", "render")
    code = run([args[0], "--as-of", "2026-01-15", *args[1:]] if dated else args)
    capsys.readouterr()
    assert code in (0, 1)
    expected = 1 if args[0] == "render" else 2
    for what in ("read", "parse"):
        counts = of_policies(recorded, what)
        assert len(counts) == expected and set(counts.values()) == {1}, f"{what}: {counts}"


def test_a_citation_of_an_unknown_policy_reads_no_linted_file_again(recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cited = CLEAN.read_text(encoding="utf-8").replace("---\n", "---\nreferences: [Q99]\n", 1)
    write(Path.cwd(), "policies/t100.md", cited)
    recorded.write_text("")  # writing the case is not a read of the run
    run(["lint", "--no-cache", "--as-of", "2026-01-15", "--format", "json"])
    assert "references/unresolved" in capsys.readouterr().out, "the case must make the check look for Q99 in the repository"
    counts = of_policies(recorded, "read")
    assert len(counts) == 2 and set(counts.values()) == {1}, f"read: {counts}"


def test_changed_since_reads_each_policy_once(recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commit_all(Path.cwd())
    cited = KENT.read_text(encoding="utf-8").replace("---\n", "---\nreferences: [T100]\n", 1)
    write(Path.cwd(), "policies/o38.md", cited)  # it now cites T100, which changes too
    write(Path.cwd(), "policies/t100.md", CLEAN.read_text(encoding="utf-8") + "\nA new closing line.\n")
    recorded.write_text("")
    run(["lint", "--no-cache", "--as-of", "2026-01-15", "--format", "json", "--changed-since", "HEAD"])
    linted = {d["path"] for d in json.loads(capsys.readouterr().out)["diagnostics"]}
    assert "policies/o38.md" in linted, "the case must lint both policies"
    for what in ("read", "parse"):
        counts = of_policies(recorded, what)
        assert len(counts) == 2 and set(counts.values()) == {1}, f"{what}: {counts}"

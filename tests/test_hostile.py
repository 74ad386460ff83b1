"""A corpus of hostile and awkward inputs, each with the answer it must get: a clear finding or usage error."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from pcso_policy.cli import run
from tests.support import FRONT_MATTER, built_in_only, write

ROOT = Path(__file__).resolve().parents[1]
KENT = (ROOT / "policies" / "kent" / "o38-police-community-support-officers.md").read_text(encoding="utf-8")
HEAD = FRONT_MATTER + "\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return built_in_only(tmp_path)


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]], str]:
    code = run(["lint", "--no-cache", "--format", "json", "--as-of", "2026-11-23", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    diagnostics = json.loads(captured.out)["diagnostics"] if captured.out else []
    return code, diagnostics, captured.err


def rules(diagnostics: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    return [(d["rule"], d["line"], d["column"]) for d in diagnostics]


def test_pasted_from_word_smart_quotes_dashes_are_fine_invisible_ones_reported(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "p.md", HEAD + "1.1. \u201cQuoted\u201d \u2013 text\u00a0\n\n1.2. Zero\u200bwidth and soft\u00adhyphen.\n")
    code, diagnostics, _ = lint(capsys, "--select", "publication,parse", "p.md")
    assert rules(diagnostics) == [("publication/invisible-character", 11, 21), ("publication/invisible-character", 13, 10)]
    assert code == 0


def test_control_characters_are_errors_at_their_position(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "p.md", HEAD + "1.1. Bell\x07 and form\x0cfeed.\n")
    code, diagnostics, _ = lint(capsys, "--select", "publication", "p.md")
    assert rules(diagnostics) == [("publication/invalid-character", 11, 10), ("publication/invalid-character", 11, 20)]
    assert code == 1


def test_windows_line_endings_bom_and_tabs_read_like_unix_text(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "unix.md", KENT)
    front, body = KENT.split("\n---\n", 1)
    write(workdir, "windows.md", ("\ufeff" + front + "\n---\n" + body.replace("- ", "-\t")).replace("\n", "\r\n"))
    config = ("--config", str(ROOT / "pyproject.toml"))
    _, unix, _ = lint(capsys, *config, "unix.md")
    _, windows, _ = lint(capsys, *config, "windows.md")
    assert rules(windows) == rules(unix) and unix


def test_a_windows_1252_file_is_reported_at_its_first_bad_byte(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "p.md", (HEAD + "1.1. Caf\u00e9 \u2013 r\u00e9sum\u00e9.\n").encode("cp1252"))
    code, diagnostics, _ = lint(capsys, "p.md")
    assert rules(diagnostics) == [("parse/encoding", 11, 9)]
    assert "iconv -f WINDOWS-1252" in diagnostics[0]["message"] and code == 1


def test_a_stray_binary_is_reported_not_parsed(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/logo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _, diagnostics, _ = lint(capsys, "policies")
    assert rules(diagnostics) == [("parse/binary", 3, 1)]  # the line of the first NUL byte


def test_yaml_aliases_that_multiply_data_are_refused(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    laughs = "\n".join(['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)])
    write(workdir, "p.md", f"---\n{laughs}\n---\n\nText.\n")
    _, diagnostics, _ = lint(capsys, "p.md")
    assert [d["rule"] for d in diagnostics] == ["parse/yaml-alias"]


def test_deeply_nested_lists_and_quotes(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nested_list = "".join("  " * depth + "- item\n" for depth in range(300))
    write(workdir, "p.md", HEAD + "> " * 2000 + "quoted\n\n" + nested_list)
    code, diagnostics, _ = lint(capsys, "--select", "parse,publication", "p.md")
    assert diagnostics == [] and code == 0


def test_a_50_mb_file_is_too_large_and_read_no_further(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open(workdir / "big.md", "wb") as handle:
        handle.write(HEAD.encode())
        handle.truncate(50_000_000)
    _, diagnostics, _ = lint(capsys, "big.md")
    assert rules(diagnostics) == [("parse/too-large", 1, 1)]
    assert "larger than 5 MB" in diagnostics[0]["message"]


def test_a_very_long_line_and_a_5000_character_heading(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "p.md", HEAD + "## " + "Heading " * 625 + "\n\n" + "word " * 200_000 + "PSCO\n")
    _, diagnostics, _ = lint(capsys, "--config", str(ROOT / "pyproject.toml"), "--select", "terminology/substitution", "p.md")
    assert rules(diagnostics) == [("terminology/substitution", 13, 1_000_001)]


def test_front_matter_of_10000_keys(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = "".join(f"extra_{number}: {number}\n" for number in range(10_000))
    write(workdir, "p.md", HEAD.replace("review_cycle_months: 24\n", "review_cycle_months: 24\n" + keys) + "Text.\n")
    code, diagnostics, _ = lint(capsys, "--select", "front-matter/unknown-key", "p.md")
    assert len(diagnostics) == 10_000 and diagnostics[0]["line"] == 9 and code == 1


def test_a_symlink_loop_in_a_policy_folder(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/p.md", HEAD + "Text.\n")
    os.symlink("../policies", workdir / "policies" / "loop")
    os.symlink("self.md", workdir / "policies" / "self.md")
    code, diagnostics, _ = lint(capsys, "--select", "parse", "policies")
    assert [(Path(d["path"]).name, d["rule"]) for d in diagnostics] == [("self.md", "parse/unreadable")]
    assert "too many levels of symbolic links" in diagnostics[0]["message"] and code == 2


def test_a_file_that_disappears_or_cannot_be_read(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(workdir, "policies/a.md", HEAD + "Text.\n")
    write(workdir, "policies/b.md", HEAD + "Text.\n")
    real_open = os.open

    def hostile_open(file: Any, *args: Any, **kwargs: Any) -> Any:  # policies are opened with os.open (pcso_policy.reading)
        if str(file).endswith("a.md"):
            os.unlink(file)
        if str(file).endswith("b.md"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", hostile_open)
    code, diagnostics, _ = lint(capsys, "--select", "parse", "policies")
    assert [(Path(d["path"]).name, d["message"]) for d in diagnostics] == [
        ("a.md", "cannot read file: no such file or directory"),
        ("b.md", "cannot read file: permission denied"),
    ]
    assert code == 2


def test_a_path_with_spaces_and_non_ascii_characters(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "Politiques de sécurité/Règles PCSO – été.md", HEAD.replace("status: draft", "status: live") + "Text.\n")
    _, diagnostics, _ = lint(capsys, "--select", "front-matter", "Politiques de sécurité")
    assert [(d["path"], d["rule"]) for d in diagnostics] == [("Politiques de sécurité/Règles PCSO – été.md", "front-matter/enum")]


def test_a_huge_table(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = "".join(f"| PCSO {number} | Grade D | SDV{number:05d} |\n" for number in range(20_000))
    write(workdir, "p.md", HEAD + "## 1. Roles\n\n| Role | Grade | Code |\n| --- | --- | --- |\n" + rows)
    code, diagnostics, _ = lint(capsys, "--select", "structure/empty-section,publication", "p.md")
    assert diagnostics == [] and code == 0


def test_render_refuses_text_word_cannot_hold_with_lints_message(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "p.md", HEAD.replace("status: draft", "status: draft\nclassification: OFFICIAL") + "1.1. Form\x0cfeed.\n")
    _, diagnostics, _ = lint(capsys, "--select", "publication", "p.md")
    assert run(["render", "p.md", "-o", "p.docx"]) == 2
    err = capsys.readouterr().err
    assert err == f"pcso-policy: error: p.md:12:10: {diagnostics[0]['message']}\n"
    assert (diagnostics[0]["line"], diagnostics[0]["column"]) == (12, 10)
    assert not (workdir / "p.docx").exists() and list(workdir.glob(".p.docx*")) == []


def _kill_in_workers(monkeypatch: pytest.MonkeyPatch, marker: str, once: Path | None = None) -> None:
    """Make the character check end its own process (as the out-of-memory killer would) on a file holding
    ``marker``, in a worker only; with ``once``, only the first time (a transient kill)."""
    import signal

    from pcso_policy.builtin.characters import CharacterCheck

    parent = os.getpid()
    real_check = CharacterCheck.check

    def killing_check(self: CharacterCheck, document: Any, context: Any) -> Any:
        if marker in document.text and os.getpid() != parent:
            try:
                if once is not None:
                    os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                os.kill(os.getpid(), signal.SIGKILL)
            except FileExistsError:
                pass
        return real_check(self, document, context)

    monkeypatch.setattr(CharacterCheck, "check", killing_check)


def test_a_worker_killed_while_linting_names_the_file(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b", "c", "d"):
        write(workdir, f"policies/{name}.md", HEAD + ("1.1. KILL\n" if name == "c" else "1.1. Text.\n"))
    _kill_in_workers(monkeypatch, "KILL")
    code, diagnostics, err = lint(capsys, "--jobs", "2", "policies")
    assert code == 2 and diagnostics == [] and "internal error" not in err
    assert err.startswith("pcso-policy: error: policies/c.md: the process linting this file was killed by SIGKILL")


def test_a_worker_killed_once_is_relinted_and_the_run_is_whole(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b", "c", "d", "e", "f"):
        write(workdir, f"policies/{name}.md", HEAD.replace("status: draft", "status: live") + "1.1. Text KILL.\n")
    _, serial, _ = lint(capsys, "policies")
    _kill_in_workers(monkeypatch, "KILL", once=workdir / "killed-once")
    code, parallel, err = lint(capsys, "--jobs", "2", "policies")
    assert (workdir / "killed-once").exists(), "a worker must have been killed for the test to mean something"
    assert parallel == serial and len(serial) == 6 and code == 1 and err == ""


def test_an_integer_of_5000_digits_in_front_matter(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "p.md", HEAD.replace("review_cycle_months: 24\n", "review_cycle_months: " + "9" * 5000 + "\n") + "Text.\n")
    code, diagnostics, err = lint(capsys, "p.md")
    assert rules(diagnostics) == [("parse/yaml-syntax", 8, 22)] and code == 1 and "internal error" not in err
    assert "a number of 5,000 digits, more than the 4,300" in diagnostics[0]["message"]


def test_front_matter_nested_100000_deep_does_not_crash_the_process(workdir: Path) -> None:
    import subprocess
    import sys

    write(workdir, "p.md", "---\nid: T1\nnested: " + "[" * 100_000 + "]" * 100_000 + "\n---\n\nText.\n")
    command = [sys.executable, "-m", "pcso_policy", "lint", "--no-cache", "--format", "json", "p.md"]
    done = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr  # not -11: libyaml's composer recursed once per '[' and overflowed its stack
    assert rules(json.loads(done.stdout)["diagnostics"]) == [("parse/yaml-syntax", 3, 58)]


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("(?:a|a)+$", "repeats alternatives that match the same text"),
        ("(\\s*x?)*:", "repeats a repetition with nothing between their runs"),
        ("(?:" * 11 + "a" + ")" * 11, "nests groups 11 deep, more than the 10 allowed"),
        ("(?:" * 1000 + "a" + ")" * 1000, "is 4,001 characters long, more than the 1,000 allowed"),  # was a RecursionError
    ],
    ids=["alternatives", "nested-repetition", "deep", "long"],
)
def test_a_force_pattern_that_could_backtrack_without_end_is_refused_at_its_line(
    workdir: Path, capsys: pytest.CaptureFixture[str], pattern: str, problem: str
) -> None:
    phrases = f"      phrases:\n        - ok\n        - '{pattern}'\n"
    write(workdir, "checks/mine.yaml", "checks:\n  - kind: announced-list\n    options:\n" + phrases)
    write(workdir, ".pcso-policy.toml", 'checks = "checks"\nbundled_checks = false\n')
    write(workdir, "p.md", HEAD + "Text.\n")
    code, diagnostics, err = lint(capsys, "p.md")
    assert code == 2 and diagnostics == []
    assert err.startswith("pcso-policy: error: ") and "checks/mine.yaml:6: in checks.0.options.phrases.1: the regular expression '" in err
    assert problem in err and "internal error" not in err and err.count("\n") == 1


def test_the_bracket_count_finds_the_place_the_parser_would() -> None:
    """libyaml 0.2.5 refuses deep flow nesting before yielding events; the fallback must agree with the
    event count that older libyaml allows (the test above runs whichever this machine has)."""
    from pcso_policy.frontmatter import MAX_DEPTH, _deep_flow_bracket, _too_deep

    source = "id: T1\nnested: " + "[" * 100 + "]" * 100  # every libyaml yields the events of 100 levels
    by_events = _too_deep(source, 0, "front matter")
    assert by_events is not None
    line, column = _deep_flow_bracket(source) or (0, 0)
    assert (line + 1, column + 1) == (by_events.line, by_events.column) == (2, len("nested: ") + MAX_DEPTH)
    quoted = "id: T1\ntitle: '" + "[" * 100 + "'\nnote: \"[\\\"[\"  # [[[\n"
    assert _deep_flow_bracket(quoted) is None

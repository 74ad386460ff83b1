"""The command line at a terminal: colour, progress, --quiet, --exit-zero, standard input, shell completion."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pcso_policy import terminal
from pcso_policy.cli import run
from tests.support import FRONT_MATTER, built_in_only, write

ROOT = Path(__file__).resolve().parents[1]
VALID = FRONT_MATTER + "\n# Test policy\n"
LIVE = VALID.replace("status: draft", "status: live")
SGR = re.compile(r"\x1b\[[0-9;]*m")


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "TERM", "CI"):
        monkeypatch.delenv(name, raising=False)
    return built_in_only(tmp_path)


def _run(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: bytes | None = None) -> tuple[int, Terminal, Terminal]:
    """Run with standard output and standard error both terminals (and ``stdin`` as standard input)."""
    out, err = Terminal(), Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    return run(list(args)), out, err


# Colour --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "tty", "env", "wanted"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": ""}, True),  # set but empty: no-color.org says it does not count
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", False, {"FORCE_COLOR": "0"}, False),
        ("auto", False, {"CLICOLOR_FORCE": "1"}, True),
        ("auto", False, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins
        ("auto", True, {"TERM": "dumb"}, False),
        ("always", False, {"NO_COLOR": "1"}, True),  # the command line wins over the environment
        ("never", True, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_wanted(choice: str, tty: bool, env: dict[str, str], wanted: bool) -> None:
    stream = Terminal() if tty else io.StringIO()
    assert terminal.colour_wanted(choice, stream, env) is wanted


def test_a_terminal_gets_colour_and_the_same_text(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, "policies/t1.md", LIVE)
    assert run(["lint", "policies"]) == 1
    plain = capsys.readouterr().out
    code, out, _ = _run(monkeypatch, "lint", "policies")
    coloured = out.getvalue()
    assert code == 1
    assert coloured != plain and SGR.sub("", coloured) == plain
    assert "\x1b[1;31merror\x1b[0m" in coloured  # errors in red
    assert coloured.splitlines()[-1].startswith("\x1b[1;31mChecked 1 file: 1 error")


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ((), {}, False),  # not a terminal: byte for byte what it always was
        (("--color", "always"), {}, True),
        (("--colour", "always"), {}, True),
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_colour_off_a_terminal(
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    env: dict[str, str],
    coloured: bool,
) -> None:
    write(workdir, "policies/t1.md", VALID)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert run(["lint", *args, "policies"]) == 0
    out = capsys.readouterr().out
    assert ("\x1b[" in out) is coloured
    assert SGR.sub("", out) == "Checked 1 file: 0 errors, 0 warnings, 0 infos.\n"


def test_never_means_never(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(workdir, "policies/t1.md", LIVE)
    _, out, _ = _run(monkeypatch, "lint", "--color", "never", "policies")
    assert "\x1b" not in out.getvalue()


def test_colour_adds_only_its_own_sequences_to_hostile_text(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file name and a YAML value holding escape sequences and workflow commands are shown escaped, coloured
    or not: the only escape sequences written are the tool's own colours."""
    name = "::error::x\x1b]0;title\x07.md"
    write(workdir, f"policies/{name}", VALID.replace("status: draft", 'status: "\\e[2J::warning::forged\\u202e"'))
    monkeypatch.chdir(workdir / "policies")  # so that the line starts with the name
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, _ = _run(monkeypatch, "lint", name)
    coloured = out.getvalue()
    monkeypatch.delenv("FORCE_COLOR")
    _, plain_out, _ = _run(monkeypatch, "lint", "--color", "never", name)
    plain = plain_out.getvalue()
    assert code == 1
    assert SGR.sub("", coloured) == plain
    assert set(SGR.findall(coloured)) <= {"\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[36m", "\x1b[1;32m"}
    assert "\x1b" not in SGR.sub("", coloured) and "\u202e" not in coloured and "\x07" not in coloured
    assert plain.startswith(
        "\\x3a:error::x\\x1b]0;title\\x07.md:5:9: error front-matter/enum 'status' is '\\x1b[2J::warning::forged\\u202e'"
    )


# Progress ------------------------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_counts_at_most_every_half_second_and_clears_its_line() -> None:
    stream, clock = Terminal(), Clock()
    counter = terminal.Progress(stream, 3, clock=clock)
    counter.advance()
    assert stream.getvalue() == ""  # a run shorter than half a second shows nothing
    clock.now = 0.6
    counter.advance()
    clock.now = 0.7
    counter.advance()  # 0.1 s after the last line: not shown
    assert stream.getvalue() == "\rpcso-policy: 2 of 3 files"
    counter.finish()
    assert stream.getvalue().endswith("\r" + " " * len("pcso-policy: 2 of 3 files") + "\r")
    assert "\x1b" not in stream.getvalue()


def test_parallel_progress_says_when_the_processes_take_over() -> None:
    stream = Terminal()
    counter = terminal.Progress(stream, 2, jobs=4, clock=Clock())
    counter.advance(2)
    assert stream.getvalue() == "\rpcso-policy: checking 2 files in 4 processes\u2026"
    alone = Terminal()
    terminal.Progress(alone, 1, jobs=2, clock=Clock()).advance()
    assert alone.getvalue() == "\rpcso-policy: checking 1 file in 2 processes\u2026"


@pytest.mark.parametrize(
    ("tty", "env", "shown"),
    [(True, {}, True), (False, {}, False), (True, {"CI": "true"}, False), (True, {"CI": "false"}, True)],
)
def test_progress_only_on_a_terminal_and_never_in_ci(tty: bool, env: dict[str, str], shown: bool) -> None:
    stream = Terminal() if tty else io.StringIO()
    assert (terminal.progress(stream, 10, env=env) is not None) is shown


def _many(workdir: Path, count: int) -> None:
    for number in range(count):
        write(workdir, f"policies/p{number}.md", VALID.replace("id: T1", f"id: T{number}"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_lint_shows_progress_on_standard_error_of_a_terminal(workdir: Path, monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    _many(workdir, 3)
    monkeypatch.setattr(terminal.Progress, "INTERVAL", 0.0)
    code, out, err = _run(monkeypatch, "lint", "--no-cache", "--color", "never", "--jobs", jobs, "policies")
    assert code == 0
    assert out.getvalue() == "Checked 3 files: 0 errors, 0 warnings, 0 infos.\n"  # stdout never gets it
    shown = err.getvalue()
    expected = "\rpcso-policy: 3 of 3 files" if jobs == "1" else "\rpcso-policy: checking 3 files in 2 processes\u2026"
    assert expected in shown
    assert shown.endswith(" \r")  # cleared before the report


def test_no_progress_in_ci_or_with_quiet(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _many(workdir, 3)
    monkeypatch.setattr(terminal.Progress, "INTERVAL", 0.0)
    _, _, err = _run(monkeypatch, "lint", "--no-cache", "--quiet", "policies")
    assert err.getvalue() == ""
    monkeypatch.setenv("CI", "1")
    _, _, err = _run(monkeypatch, "lint", "--no-cache", "policies")
    assert err.getvalue() == ""


# --quiet and --exit-zero ------------------------------------------------------------------------------


def test_quiet_prints_the_findings_and_nothing_else(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", VALID)
    assert run(["lint", "--quiet", "policies"]) == 0
    assert capsys.readouterr() == ("", "")
    write(workdir, "policies/t2.md", LIVE.replace("T1", "T2"))
    assert run(["lint", "-q", "--select", "front-matter,terminology", "policies"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "policies/t2.md:5:9: error front-matter/enum 'status' is 'live', which is not allowed: use one of draft, consultation, "
        "approved, withdrawn"
    ]
    assert err == ""  # not even the note that no configured check raises terminology/
    assert run(["lint", "--select", "front-matter,terminology", "policies"]) == 1
    assert "note: no configured check raises 'terminology'" in capsys.readouterr().err


def test_quiet_leaves_machine_formats_whole(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", VALID)
    assert run(["lint", "--quiet", "--format", "json", "policies"]) == 0
    assert '"summary"' in capsys.readouterr().out


def test_exit_zero_reports_errors_and_exits_0(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", LIVE)
    assert run(["lint", "--exit-zero", "policies"]) == 0
    assert "error front-matter/enum" in capsys.readouterr().out
    write(workdir, "policies/bad.md", b"\xff")  # not UTF-8: still an error finding
    assert run(["lint", "--exit-zero", "policies"]) == 0
    assert run(["lint", "--exit-zero", "policies/missing.md"]) == 2  # a usage error is never hidden


def test_exit_zero_does_not_hide_an_unreadable_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", VALID)
    (workdir / "policies" / "gone.md").symlink_to(workdir / "nowhere.md")
    assert run(["lint", "--exit-zero", "policies"]) == 2
    assert "parse/unreadable" in capsys.readouterr().out


# Standard input ---------------------------------------------------------------------------------------------


def test_dash_lints_standard_input_as_stdin(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = _run(monkeypatch, "lint", "--color", "never", "-", stdin=LIVE.encode())
    assert code == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("<stdin>:5:9: error front-matter/enum 'status' is 'live'")
    assert lines[-1] == "Checked 1 file: 1 error, 0 warnings, 0 infos."  # the configured paths are not linted too


def test_stdin_filename_names_it_and_stands_for_that_file(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(workdir, "policies/t1.md", LIVE)  # on disk: an error; in the editor: fixed
    write(workdir, "policies/t2.md", VALID.replace("T1", "T2"))
    code, out, _ = _run(monkeypatch, "lint", "-q", "--stdin-filename", "policies/t1.md", "policies", "-", stdin=VALID.encode())
    assert (code, out.getvalue()) == (0, "")
    code, out, _ = _run(monkeypatch, "lint", "--color=never", "--stdin-filename", "policies/t1.md", "policies", "-", stdin=VALID.encode())
    assert (code, out.getvalue()) == (0, "Checked 2 files: 0 errors, 0 warnings, 0 infos.\n")
    code, out, _ = _run(monkeypatch, "lint", "--format", "json", "--stdin-filename", "policies/x.md", stdin=LIVE.encode())
    assert code == 1 and '"path": "policies/x.md"' in out.getvalue()


def test_standard_input_is_bounded_by_the_file_size_limit(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(workdir, ".pcso-policy.toml", "bundled_checks = false\nmax_file_size_mb = 0.001\n")
    code, out, err = _run(monkeypatch, "lint", "-", stdin=VALID.encode() + b"x" * 1001)
    assert code == 2 and out.getvalue() == ""
    assert "standard input holds more than 0.001 MB" in err.getvalue()
    code, _, _ = _run(monkeypatch, "lint", "-", stdin=b"x" * 1000)
    assert code == 1  # exactly the limit is read (and is no policy)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--stdin-filename", "x.md", "policies"), "give - among the paths"),
        (("--changed-since", "HEAD", "-"), "standard input is no file in git"),
        (("--stdin-filename", " ", "-"), "--stdin-filename needs a file name"),
    ],
)
def test_standard_input_misuse_is_a_usage_error(
    workdir: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    write(workdir, "policies/t1.md", VALID)
    assert run(["lint", *args]) == 2
    assert message in capsys.readouterr().err


def test_an_empty_standard_input_is_an_empty_file(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = _run(monkeypatch, "lint", "--color", "never", "-", stdin=b"")
    assert code == 1 and out.getvalue().startswith("<stdin>:1:1: error parse/empty")


# Shell completion ---------------------------------------------------------------------------------------


def _complete(env: dict[str, str]) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "pcso_policy"], env={**os.environ, **env}, capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


@pytest.mark.parametrize(
    ("shell", "expected"),
    [
        ("bash", "complete -o nosort -F _pcso_policy_completion pcso-policy"),
        ("zsh", "compdef _pcso_policy_completion pcso-policy"),
        ("fish", "complete --no-files --command pcso-policy"),
    ],
)
def test_the_completion_script_is_produced(shell: str, expected: str) -> None:
    assert expected in _complete({"_PCSO_POLICY_COMPLETE": f"{shell}_source"})


def test_completion_completes_commands_and_options() -> None:
    commands = _complete({"_PCSO_POLICY_COMPLETE": "bash_complete", "COMP_WORDS": "pcso-policy re", "COMP_CWORD": "1"})
    assert {"plain,reviews", "plain,render", "plain,report"} <= set(commands.split())
    options = _complete({"_PCSO_POLICY_COMPLETE": "bash_complete", "COMP_WORDS": "pcso-policy lint --co", "COMP_CWORD": "2"})
    assert {"plain,--color", "plain,--colour", "plain,--config"} <= set(options.split())

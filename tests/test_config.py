"""Configuration: discovery, what select/ignore/severity do, and errors that name the file and line.

tests/test_cli.py already covers an unknown setting (with its suggestion), severity from
pyproject.toml and --select/--ignore on the command line; these tests cover the rest.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pcso_policy.cli import run
from pcso_policy.config import DEFAULT_MAX_FILE_SIZE, Config, discover, load
from pcso_policy.diagnostics import Severity
from pcso_policy.errors import ConfigError
from tests.support import write

# A policy with two findings: front-matter/enum (status: live) and front-matter/unknown-key (foo).
POLICY = """---
id: T1
title: Test policy
owner: Head of Policy
status: live
last_reviewed: "2025-01"
next_review: "2027-01"
review_cycle_months: 24
foo: bar
---

# Test policy
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "policies/t1.md", POLICY)
    return tmp_path


def lint_rules(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[tuple[str, str]]]:
    code = run(["lint", "--no-cache", "--as-of", "2026-11-23", "--format", "json", *args])
    report = json.loads(capsys.readouterr().out)
    return code, [(d["rule"], d["severity"]) for d in report["diagnostics"]]


# Discovery


def test_dedicated_file_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.pcso-policy]\nselect = ["review"]\n')
    dedicated = write(tmp_path, ".pcso-policy.toml", 'select = ["parse"]\n')
    assert discover(tmp_path) == dedicated
    assert load(discover(tmp_path), tmp_path).select == ("parse",)


def test_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.pcso-policy]\nselect = ["review"]\n')
    write(tmp_path, "sub/pyproject.toml", '[project]\nname = "other"\n')
    assert discover(tmp_path / "sub") == tmp_path / "pyproject.toml"


def test_the_nearest_folder_wins_and_relative_paths_are_read_from_it(tmp_path: Path) -> None:
    write(tmp_path, ".pcso-policy.toml", 'select = ["parse"]\n')
    nearer = write(tmp_path, "force/pyproject.toml", '[tool.pcso-policy]\npaths = ["docs"]\n')
    (tmp_path / "force" / "deep").mkdir()
    assert discover(tmp_path / "force" / "deep") == nearer
    config = load(nearer, tmp_path / "force" / "deep")
    assert (config.root, config.paths, config.source) == (tmp_path / "force", ("docs",), nearer)


def test_quoted_table_name_is_found(tmp_path: Path) -> None:
    pyproject = write(tmp_path, "pyproject.toml", '[tool."pcso-policy"]\nignore = ["review"]\n')
    assert discover(tmp_path) == pyproject
    assert load(pyproject, tmp_path).ignore == ("review",)


def test_discovery_stops_at_the_top_of_the_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The attack: a ``.pcso-policy.toml`` in a folder above the checkout (a CI runner's shared build
    folder, /tmp) that switches every rule off for every repository below it."""
    monkeypatch.setenv("HOME", str(tmp_path / "elsewhere"))
    write(tmp_path, ".pcso-policy.toml", 'select = []\nignore = ["parse", "front-matter"]\n')
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "policies" / "kent").mkdir(parents=True)
    assert discover(tmp_path / "repo" / "policies" / "kent") is None
    (tmp_path / "worktree").mkdir()
    write(tmp_path, "worktree/.git", "gitdir: /elsewhere/.git/worktrees/worktree\n")  # a linked work tree, a submodule
    assert discover(tmp_path / "worktree") is None
    inside = write(tmp_path, "repo/.pcso-policy.toml", 'select = ["parse"]\n')
    assert discover(tmp_path / "repo" / "policies" / "kent") == inside


def test_a_shared_parent_configuration_is_not_applied_to_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same through the command line: the shared parent's severities, which would turn every error
    into an info, do not apply to the repository's run."""
    monkeypatch.setenv("HOME", str(tmp_path / "elsewhere"))
    write(tmp_path, ".pcso-policy.toml", 'severity = { "front-matter/enum" = "info", "front-matter/unknown-key" = "info" }\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo, "policies/t1.md", POLICY)
    monkeypatch.chdir(repo)
    code, found = lint_rules(capsys, "--select", "front-matter", "policies")
    assert (code, found) == (1, [("front-matter/enum", "error"), ("front-matter/unknown-key", "error")])


def test_outside_a_repository_discovery_stops_at_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders above a home folder (/home, /) are shared with other users; a project outside any home
    folder and any repository searches up to the file system's root, as it always has."""
    home = tmp_path / "home" / "me"
    monkeypatch.setenv("HOME", str(home))
    write(tmp_path, "home/.pcso-policy.toml", 'ignore = ["front-matter"]\n')
    (home / "policies").mkdir(parents=True)
    assert discover(home / "policies") is None
    mine = write(home, ".pcso-policy.toml", 'select = ["parse"]\n')
    assert discover(home / "policies") == mine
    (tmp_path / "srv" / "policies").mkdir(parents=True)
    shared = write(tmp_path, ".pcso-policy.toml", 'select = ["review"]\n')
    assert discover(tmp_path / "srv" / "policies") == shared


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    config = load(None, tmp_path)
    assert config == Config(root=tmp_path)
    assert (config.paths, config.checks, config.max_file_size) == (("policies",), "checks", DEFAULT_MAX_FILE_SIZE)


def test_settings_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        ".pcso-policy.toml",
        'paths = ["a", "b"]\nexclude = ["**/draft-*.md"]\nselect = ["front-matter", "review/overdue"]\n'
        'ignore = ["front-matter/enum"]\nseverity = { "review/overdue" = "warning" }\nmax_file_size_mb = 0.5\n',
    )
    config = load(path, tmp_path)
    assert config.paths == ("a", "b")
    assert config.exclude == ("**/draft-*.md",)
    assert config.select == ("front-matter", "review/overdue")
    assert config.ignore == ("front-matter/enum",)
    assert config.severity == {"review/overdue": Severity.WARNING}
    assert config.max_file_size == 500_000


# select, ignore and severity from configuration, through the command line


def test_select_from_configuration(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, ".pcso-policy.toml", 'select = ["front-matter/unknown-key"]\n')
    assert lint_rules(capsys) == (1, [("front-matter/unknown-key", "error")])


def test_ignore_from_configuration(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, ".pcso-policy.toml", 'select = ["front-matter"]\nignore = ["front-matter/unknown-key"]\n')
    assert lint_rules(capsys) == (1, [("front-matter/enum", "error")])


def test_command_line_select_replaces_the_configured_one(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, ".pcso-policy.toml", 'select = ["front-matter/unknown-key"]\n')
    assert lint_rules(capsys, "--select", "front-matter/enum") == (1, [("front-matter/enum", "error")])


def test_severity_from_configuration_can_turn_every_error_into_a_warning(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        workdir,
        ".pcso-policy.toml",
        'select = ["front-matter"]\nseverity = { "front-matter/enum" = "warning", "front-matter/unknown-key" = "info" }\n',
    )
    assert lint_rules(capsys) == (0, [("front-matter/enum", "warning"), ("front-matter/unknown-key", "info")])


def test_explicit_config_file_overrides_discovery(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, ".pcso-policy.toml", 'select = ["front-matter/enum"]\n')
    (workdir / ".git").mkdir()  # a repository: a configuration in ci/ may name ../policies, inside it
    other = write(workdir, "ci/strict.toml", 'select = ["front-matter/unknown-key"]\npaths = ["../policies"]\n')
    assert lint_rules(capsys, "--config", str(other)) == (1, [("front-matter/unknown-key", "error")])


# Errors: exit 2, one line, no traceback, naming the file (and line when there is one)


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    return captured.err.strip()


@pytest.mark.parametrize(
    ("setting", "line", "message"),
    [
        (
            'paths = ["policies"]\nselect = ["front-matter/enun"]\n',
            2,
            "no such rule 'front-matter/enun'; did you mean 'front-matter/enum'?",
        ),
        ('ignore = ["reviw"]\n', 1, "no such rule 'reviw'; did you mean 'review'?"),
        ('severity = { "review/overdo" = "warning" }\n', 1, "no such rule 'review/overdo'; did you mean 'review/overdue'?"),
    ],
    ids=["select", "ignore", "severity"],
)
def test_unknown_rule_in_configuration_names_the_file_the_line_and_the_rule(
    workdir: Path, capsys: pytest.CaptureFixture[str], setting: str, line: int, message: str
) -> None:
    config = write(workdir, ".pcso-policy.toml", setting)
    assert run(["lint", "--no-cache"]) == 2
    err = error_line(capsys)
    assert err.startswith(f"pcso-policy: error: {config}:{line}: "), err
    assert message in err


@pytest.mark.parametrize(
    ("setting", "line", "message"),
    [
        ('severity = { "front-matter/enum" = "fatal" }\n', 1, "'fatal' is not one of ['error', 'warning', 'info']"),
        ('paths = ["policies"]\nselect = "parse"\n', 2, "setting 'select': 'parse' is not of type 'array'"),
        ("max_file_size_mb = 0\n", 1, "setting 'max_file_size_mb'"),
        ('select = [parse]\n', 1, "not valid TOML"),
    ],
    ids=["severity-level", "select-type", "max-file-size", "toml-syntax"],
)
def test_bad_configuration_is_one_line_naming_file_and_line(
    workdir: Path, capsys: pytest.CaptureFixture[str], setting: str, line: int, message: str
) -> None:
    config = write(workdir, ".pcso-policy.toml", setting)
    with pytest.raises(ConfigError) as raised:
        load(config, workdir)
    assert (raised.value.path, raised.value.line) == (str(config), line)
    assert run(["lint", "--no-cache"]) == 2
    err = error_line(capsys)
    assert err.startswith(f"pcso-policy: error: {config}:{line}: ")
    assert message in err


def test_bad_setting_in_pyproject_names_its_line(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = write(workdir, "pyproject.toml", '[project]\nname = "x"\n\n[tool.pcso-policy]\nignore = "review"\n')
    assert run(["lint", "--no-cache"]) == 2
    assert error_line(capsys).startswith(f"pcso-policy: error: {pyproject}:5: setting 'ignore'")


def test_configuration_that_is_not_utf8_names_the_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write(workdir, ".pcso-policy.toml", b'# Caf\xe9 policies\nselect = ["parse"]\n')
    assert run(["lint", "--no-cache"]) == 2
    assert error_line(capsys) == f"pcso-policy: error: {config}: configuration is not UTF-8 text"


def test_a_configured_checks_folder_that_does_not_exist_is_a_usage_error(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, ".pcso-policy.toml", 'checks = "force-checks"\n')
    assert run(["lint", "--no-cache"]) == 2
    assert "configured checks folder 'force-checks' does not exist" in error_line(capsys)

"""``pcso-policy init``: a new policy repository that lints clean, whose hook and CI jobs run as written,
and which never overwrites what is already there."""

from __future__ import annotations

import datetime
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from pcso_policy import config as config_module
from pcso_policy import resources
from pcso_policy.cli import _INIT_PARTS, run
from pcso_policy.commands import init
from pcso_policy.project import Project
from tests.support import ci_commands, commit_all, missing

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
FILES = [
    ".pcso-policy.toml",
    "policies/example-policy.md",
    "checks/force.yaml",
    ".pre-commit-config.yaml",
    ".github/workflows/pcso-policy.yml",
    ".gitlab-ci.yml",
    ".gitignore",
]
POLICY = "policies/example-policy.md"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def env_with_tool(tmp_path: Path) -> dict[str, str]:
    """The environment with this interpreter's scripts (the installed ``pcso-policy``) first on PATH and
    pre-commit's store inside the test's folder."""
    scripts = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": os.pathsep.join([scripts, os.environ.get("PATH", "")]),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }


def git_commit_all(folder: Path) -> None:
    commit_all(folder, "init")
    # What actions/checkout with fetch-depth 0 leaves for a pull request into main.
    subprocess.run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=folder, check=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A folder set up by ``pcso-policy init`` run inside it; the working folder is the repository."""
    folder = tmp_path / "repo"
    folder.mkdir()
    monkeypatch.chdir(folder)
    assert run(["init"]) == 0
    capsys.readouterr()
    return folder


def test_init_writes_every_part_into_an_empty_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["init", "new"]) == 0
    assert sorted(tree(tmp_path / "new")) == sorted(FILES)
    out = capsys.readouterr().out.splitlines()
    # Paths as the user would type them from where they ran the command.
    assert out[: len(FILES) + 1] == ["Created:", *(f"  new/{name}" for name in FILES)]
    assert "Left alone" not in "\n".join(out)
    assert f"{len(FILES)} files created, 0 left alone" in out[len(FILES) + 1]


def test_starting_policy_lints_with_no_errors_and_no_warnings(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lint"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("Checked 1 file: 0 errors, 0 warnings")
    # Every bundled check file ran on it: "clean" is not an empty rule set.
    bundled = sorted(path.name for path in resources.checks_dir().glob("*.yaml"))
    ran = sorted(file.path.name for file in Project.load().catalogue.files if file.bundled)
    assert ran == bundled and bundled


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("## 6. Equality impact", "## 6. Notes", "structure/missing-section"),
        ("Date last reviewed: ", "Date last reviewed: January 2001 ", "review/date-conflict"),
        ("every two years", "every three years", "review/cycle-mismatch"),
        ("The next review is due by ", "The next review is due by January 2099, not ", "review/date-conflict"),
        ("1.1. OFFICIAL", "1.1. Restricted", "marking/legacy-marking"),
        ("Policy reference: Example policy (EX1)", "Policy reference: Example policy (EX2)", "references/footer-mismatch"),
    ],
)
def test_the_bundled_checks_read_the_starting_policy(repo: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, rule: str) -> None:
    path = repo / POLICY
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    run(["lint", "--format", "json"])
    rules = {finding["rule"] for finding in json.loads(capsys.readouterr().out)["diagnostics"]}
    assert rule in rules


def test_starting_policy_is_dated_from_the_day_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    day = datetime.date(2031, 12, 15)  # next_review crosses a year end
    assert init.run(init.InitSettings(tmp_path, today=day), io.StringIO()) == 0
    text = (tmp_path / POLICY).read_text(encoding="utf-8")
    assert 'last_reviewed: "2031-12"' in text and 'next_review: "2033-12"' in text
    assert "Date last reviewed: December 2031" in text and "due by December 2033" in text
    monkeypatch.chdir(tmp_path)
    assert run(["lint", "--as-of", day.isoformat()]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


def test_the_written_dates_default_to_today(repo: Path) -> None:
    today = datetime.date.today()
    assert f'last_reviewed: "{today:%Y-%m}"' in (repo / POLICY).read_text(encoding="utf-8")


def test_configuration_loads_and_its_commented_examples_are_valid_settings(repo: Path) -> None:
    path = repo / ".pcso-policy.toml"
    loaded = config_module.load(config_module.discover(repo), repo)
    assert loaded.source == path and loaded.paths == ("policies",)
    text = path.read_text(encoding="utf-8")
    examples = re.findall(r"^# ([a-z_]+) = .*$", text, re.MULTILINE)
    assert "bundled_checks" in examples
    known = set(json.loads((ROOT / "schemas" / "config.schema.json").read_text(encoding="utf-8"))["properties"])
    assert set(examples) | {"paths"} == known, "every setting is shown"
    # Uncommented, every example is a setting the whole project accepts (known rules, bundled file names).
    path.write_text(re.sub(r"^# ([a-z_]+ = )", r"\1", text, flags=re.MULTILINE), encoding="utf-8")
    project = Project.load()
    assert project.config.bundled_checks == ("structure.yaml", "review.yaml", "marking.yaml", "publication.yaml")
    assert project.config.exclude == ("policies/archive/*",)


def test_ci_files_are_the_documented_examples(repo: Path) -> None:
    assert (repo / ".github/workflows/pcso-policy.yml").read_bytes() == (EXAMPLES / "github-workflow.yml").read_bytes()
    assert (repo / ".gitlab-ci.yml").read_bytes() == (EXAMPLES / "gitlab-ci.yml").read_bytes()


def test_examples_are_read_from_docs_and_ship_in_the_wheel() -> None:
    assert resources.examples_dir() == EXAMPLES
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]["docs/examples"] == "pcso_policy/_examples"


def lint_commands(ci_file: Path) -> list[tuple[str, dict[str, str]]]:
    """The ``pcso-policy`` shell lines of a CI file, as written, each with the variables set for it."""
    return ci_commands(yaml.safe_load(ci_file.read_text(encoding="utf-8")))


def run_shell(line: str, variables: dict[str, str], folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    assert "${{" not in line, f"an expression inside a run: {line!r} (pass it through env:)"
    return subprocess.run(["bash", "-c", line], cwd=folder, env={**env, **variables}, capture_output=True, text=True, check=False)


REPORT_ONLY = " || [ $? -eq 1 ]"
"""How a CI line that only writes a report (the SARIF job; the lint job is the gate) lets findings pass."""


@pytest.mark.parametrize("ci_file", [".github/workflows/pcso-policy.yml", ".gitlab-ci.yml"])
def test_ci_lint_commands_pass_then_fail_on_an_error(repo: Path, tmp_path: Path, ci_file: str) -> None:
    # The `pip install "$PCSO_POLICY"` lines are not run: the package under test is already installed.
    git_commit_all(repo)
    env = env_with_tool(tmp_path)
    assert shutil.which("pcso-policy", path=env["PATH"]), "the pcso-policy console script is installed"
    commands = lint_commands(repo / ci_file)
    assert any(" lint" in line for line, _ in commands), f"{ci_file} runs no pcso-policy lint"
    for line, variables in commands:
        completed = run_shell(line, variables, repo, env)
        assert completed.returncode == 0, f"{line}: {completed.stdout}{completed.stderr}"
    path = repo / POLICY
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: live"), encoding="utf-8")
    gates = [(line, variables) for line, variables in commands if not line.endswith(REPORT_ONLY)]
    assert gates, f"{ci_file} has no lint that fails the job"
    for line, variables in commands:
        completed = run_shell(line, variables, repo, env)
        expected = 0 if line.endswith(REPORT_ONLY) else 1
        assert completed.returncode == expected, f"{line} exited {completed.returncode}: {completed.stdout}{completed.stderr}"
        if expected == 0:
            assert completed.stdout.splitlines()[0].startswith(f"{POLICY}:8:9: error front-matter/enum"), completed.stdout


def test_ci_reports_name_the_starting_policy(repo: Path, tmp_path: Path) -> None:
    git_commit_all(repo)
    env = env_with_tool(tmp_path)
    for ci_file in (".github/workflows/pcso-policy.yml", ".gitlab-ci.yml"):
        for line, variables in lint_commands(repo / ci_file):
            run_shell(line, variables, repo, env)
    # What the GitLab job declares as its JUnit report, and the SARIF file the workflow uploads.
    gitlab = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    junit = (repo / gitlab["pcso-policy"]["artifacts"]["reports"]["junit"]).read_text(encoding="utf-8")
    assert f'name="{POLICY}"' in junit
    workflow = yaml.safe_load((repo / ".github/workflows/pcso-policy.yml").read_text(encoding="utf-8"))
    upload = next(step for job in workflow["jobs"].values() for step in job["steps"] if "upload-sarif" in step.get("uses", ""))
    sarif = json.loads((repo / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []


def pre_commit(folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("pre_commit") is None:
        missing("pre-commit is not installed: it is in the 'test' extra (pip install -e '.[test]')")
    command = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)


def test_pre_commit_hook_runs_pcso_policy(repo: Path, tmp_path: Path) -> None:
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for entry in hooks["repos"] for hook in entry["hooks"]] == ["pcso-policy"]
    (repo / "README.md").write_text("# Our policies\n\nNot a policy: the hook leaves it alone.\n", encoding="utf-8")
    git_commit_all(repo)
    env = env_with_tool(tmp_path)
    passed = pre_commit(repo, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^pcso-policy lint\.+Passed$", passed.stdout, re.MULTILINE), passed.stdout
    path = repo / POLICY
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: live"), encoding="utf-8")
    subprocess.run(["git", "add", POLICY], cwd=repo, check=True)
    failed = pre_commit(repo, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"{POLICY}:8:9: error front-matter/enum" in failed.stdout, failed.stdout


def test_pre_commit_config_installs_pcso_policy_from_its_repository() -> None:
    """No package on PyPI is ours: what the written configuration tells a user to install is this repository."""
    commands = [line for line in init.PRE_COMMIT.splitlines() if re.match(r"#   \S", line)]  # the indented examples
    installs = [line for line in commands if "pip install" in line]
    assert installs == ['#   python -m pip install "pcso-policy @ git+https://github.com/EDIT-ME/pcso-policy@EDIT-ME"']
    assert "#   - repo: https://github.com/EDIT-ME/pcso-policy" in commands
    # The one mention of the bare name is the warning against it.
    bare = [line for line in init.PRE_COMMIT.splitlines() if re.search(r"pip install\s+[\"']?pcso-policy(?!\s*@)", line)]
    assert bare == ["# `pip install pcso-policy` would install whatever someone registered there):"]
    config = yaml.safe_load(init.PRE_COMMIT)
    (hook,) = config["repos"][0]["hooks"]
    assert hook["files"] == "^policies/"


def test_force_checks_file_is_inert_until_its_example_is_used(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "checks" / "force.yaml"
    project = Project.load()
    assert path in [file.path for file in project.catalogue.files]
    assert [origin for origin in project.catalogue.origins if origin == "checks/force.yaml"] == []
    # The example, uncommented as the file says, adds a required section the starting policy lacks.
    text = path.read_text(encoding="utf-8")
    example = "\n".join(line.removeprefix("# ") for line in text.splitlines() if line.startswith("#   ") or line == "# checks:")
    path.write_text(example + "\n", encoding="utf-8")
    assert run(["lint", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["diagnostics"]
    assert [(finding["rule"], "consultation" in finding["message"]) for finding in findings] == [("structure/missing-section", True)]


def test_existing_files_are_left_alone_and_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".gitlab-ci.yml").write_text("our own pipeline\n", encoding="utf-8")
    assert run(["init", "--add", "all"]) == 0
    assert (tmp_path / ".gitlab-ci.yml").read_text(encoding="utf-8") == "our own pipeline\n"
    out = capsys.readouterr().out
    assert out.split("Left alone (already there):\n")[1].splitlines()[0] == "  .gitlab-ci.yml"
    assert "  .gitlab-ci.yml\n" not in out.split("Left alone")[0]
    assert sorted(tree(tmp_path)) == sorted(FILES)


def test_a_non_empty_folder_needs_add_and_gets_nothing_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("ours\n", encoding="utf-8")
    assert run(["init"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "not empty" in err[0] and "--add" in err[0]
    assert tree(tmp_path) == {"notes.txt": b"ours\n"}


def test_add_writes_only_the_parts_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("ours\n", encoding="utf-8")
    assert run(["init", "--add", "config", "--add", "gitlab"]) == 0
    assert sorted(tree(tmp_path)) == [".gitlab-ci.yml", ".pcso-policy.toml", "notes.txt"]
    assert run(["init", "--add", "nonsense"]) == 2


def test_a_folder_holding_only_git_counts_as_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    assert run(["init"]) == 0
    assert set(FILES) <= set(tree(tmp_path))


def test_nothing_is_written_outside_the_folder_through_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "policies").symlink_to(outside, target_is_directory=True)
    monkeypatch.chdir(folder)
    assert run(["init", "--add", "all"]) == 2
    assert "outside" in capsys.readouterr().err
    assert list(outside.iterdir()) == []
    assert [path.name for path in folder.iterdir()] == ["policies"]


def test_cli_parts_are_the_commands_parts() -> None:
    assert _INIT_PARTS == (init.ALL, *init.PARTS)


def test_init_says_the_ci_files_need_their_install_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CI jobs and the hook it writes install from a placeholder address, and stop until it is replaced."""
    monkeypatch.chdir(tmp_path)
    assert run(["init"]) == 0
    out = capsys.readouterr().out
    assert "replace each EDIT-ME in .pre-commit-config.yaml, .github/workflows/pcso-policy.yml, .gitlab-ci.yml" in out
    for name in (".pre-commit-config.yaml", ".github/workflows/pcso-policy.yml", ".gitlab-ci.yml"):
        assert "EDIT-ME" in (tmp_path / name).read_text(encoding="utf-8")

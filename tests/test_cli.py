"""The command line as a user meets it: exit codes, formats and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pcso_policy.cli import run
from tests.support import FRONT_MATTER, built_in_only, write

ROOT = Path(__file__).resolve().parents[1]
KENT = ROOT / "policies" / "kent" / "o38-police-community-support-officers.md"

VALID = FRONT_MATTER + "\n# Test policy\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return built_in_only(tmp_path)


def test_clean_file_exits_0(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", VALID)
    assert run(["lint", "policies"]) == 0
    assert capsys.readouterr().out == "Checked 1 file: 0 errors, 0 warnings, 0 infos.\n"


def test_errors_exit_1_with_one_line_per_finding(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", VALID.replace("status: draft", "status: live"))
    assert run(["lint", "policies"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("policies/t1.md:5:9: error front-matter/enum 'status' is 'live'")
    assert out[-1] == "Checked 1 file: 1 error, 0 warnings, 0 infos."


def test_default_paths_come_from_configuration_else_policies(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", VALID)
    assert run(["lint"]) == 0
    write(workdir, "docs/t2.md", VALID.replace("T1", "T2"))
    write(workdir, ".pcso-policy.toml", 'paths = ["docs"]\nbundled_checks = false\n')
    capsys.readouterr()
    assert run(["lint", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["files"] == 1


def test_json_contract(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/b.md", VALID.replace("status: draft", "status: draft\nstatus: approved"))
    write(workdir, "policies/a.md", VALID.replace("owner: Head of Policy\n", ""))
    assert run(["lint", "--format", "json", "policies"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "diagnostics": [
            {
                "path": "policies/a.md",
                "line": 1,
                "column": 1,
                "end_line": 1,
                "end_column": 1,
                "rule": "front-matter/missing-key",
                "severity": "error",
                "message": "required key 'owner' is missing: add it",
                "related": [],
            },
            {
                "path": "policies/b.md",
                "line": 6,
                "column": 1,
                "end_line": 6,
                "end_column": 1,
                "rule": "front-matter/duplicate-key",
                "severity": "error",
                "message": "key 'status' is given twice (first at line 5); YAML keeps only the last: remove one",
                "related": [{"line": 5, "column": 1, "message": "'status' first given here"}],
            },
        ],
        "summary": {"files": 2, "errors": 2, "warnings": 0, "infos": 0},
    }


def test_select_and_ignore(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", VALID.replace("status: draft", "status: live\nfoo: bar"))
    assert run(["lint", "--format", "json", "--select", "front-matter", "--ignore", "front-matter/enum"]) == 1
    rules = [d["rule"] for d in json.loads(capsys.readouterr().out)["diagnostics"]]
    assert rules == ["front-matter/unknown-key"]


def test_select_and_ignore_may_be_repeated(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", VALID.replace("status: draft", "status: live\nfoo: bar"))
    args = ["lint", "--format", "json", "--select", "front-matter/enum", "--select", "front-matter/unknown-key,parse"]
    assert run([*args, "--ignore", "parse", "--ignore", "front-matter/enum"]) == 1
    rules = [d["rule"] for d in json.loads(capsys.readouterr().out)["diagnostics"]]
    assert rules == ["front-matter/unknown-key"]
    assert run(args) == 1
    rules = sorted(d["rule"] for d in json.loads(capsys.readouterr().out)["diagnostics"])
    assert rules == ["front-matter/enum", "front-matter/unknown-key"]


def test_severity_from_configuration(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", VALID.replace("status: draft", "status: live"))
    (workdir / ".pcso-policy.toml").unlink()
    write(workdir, "pyproject.toml", '[tool.pcso-policy]\nbundled_checks = false\nseverity = { "front-matter/enum" = "warning" }\n')
    assert run(["lint"]) == 0
    assert "warning front-matter/enum" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "nowhere"], "path 'nowhere' does not exist"),
        (["lint", "empty"], "no Markdown policy files (*.md) found under 'empty'"),
        (["lint", "--select", "front-mater"], "no such rule 'front-mater'; did you mean 'front-matter'?"),
        (["lint", "--as-of", "23/11/2026", "policies"], "'23/11/2026' is not a date written YYYY-MM-DD"),
        (["lint", "--format", "xml", "policies"], "'xml' is not one of"),
        (["explain", "review/overdo"], "no such rule 'review/overdo'"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line(
    workdir: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    write(workdir, "policies/t1.md", VALID)
    (workdir / "empty").mkdir()
    assert run(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_bad_configuration_names_file_line_and_key(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", VALID)
    write(workdir, ".pcso-policy.toml", 'paths = ["policies"]\nselct = ["parse"]\n')
    assert run(["lint"]) == 2
    assert capsys.readouterr().err.strip() == (
        "pcso-policy: error: .pcso-policy.toml:2: unknown setting 'selct': did you mean 'select'?"
    ).replace(".pcso-policy.toml", str(workdir / ".pcso-policy.toml"))


def test_unexpected_error_is_one_line_unless_debug(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(workdir, "policies/t1.md", VALID)

    def broken(*args: object, **keywords: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("pcso_policy.engine.parse_bytes", broken)
    assert run(["lint"]) == 2
    err = capsys.readouterr().err
    assert err == "pcso-policy: internal error: boom. Rerun with --debug for details and report it.\n"
    assert run(["--debug", "lint"]) == 2
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_lint_never_writes_to_sources(workdir: Path) -> None:
    policy = write(workdir, "policies/t1.md", VALID + "\r\n\t trailing  \r\n")
    before = (policy.read_bytes(), policy.stat().st_mtime_ns)
    run(["lint", "policies"])
    assert (policy.read_bytes(), policy.stat().st_mtime_ns) == before


def test_kent_policy_lints_from_the_repository(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code = run(["lint", "--as-of", "2026-11-23", "--format", "json", "policies"])
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["files"] == 1
    assert code == (1 if report["summary"]["errors"] else 0)


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "front-matter/unknown-key" in listing and "parse/yaml-syntax" in listing
    assert run(["explain", "front-matter/unknown-key"]) == 0
    text = capsys.readouterr().out
    for heading in ("Why it matters", "How to fix it", "Example"):
        assert heading in text


def test_python_dash_m_entry_point() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "pcso_policy", "rules"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "parse/empty" in done.stdout


def test_selecting_rules_no_configured_check_raises_says_so(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "policies/t1.md", VALID)
    assert run(["lint", "--select", "review,front-matter", "policies"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "pcso-policy: note: no configured check raises 'review': add a 'review-dates' check to checks/\n"
    assert captured.out == "Checked 1 file: 0 errors, 0 warnings, 0 infos.\n"


def test_every_format_the_cli_offers_has_a_reporter() -> None:
    from pcso_policy.cli import FORMATS
    from pcso_policy.reporters import REPORTERS

    assert sorted(FORMATS) == sorted(REPORTERS)
    assert all(callable(REPORTERS[name]) for name in FORMATS)


def _imported_by(args: list[str], cwd: Path) -> set[str]:
    """The modules a whole process imports to run ``pcso-policy ARGS`` in ``cwd``."""
    import subprocess
    import sys

    script = "import sys; from pcso_policy.cli import run; code = run(sys.argv[1:]); print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, capture_output=True, text=True, check=False)
    return set(done.stdout.split("\n")[-2].split())


def test_a_command_imports_only_what_it_needs(workdir: Path) -> None:
    write(workdir, "policies/t1.md", VALID)
    (workdir / ".pcso-policy.toml").unlink()  # the bundled rule set, as a force runs it
    heavy = {"jsonschema", "docx", "multiprocessing", "xml.etree.ElementTree", "pcso_policy.render"}
    assert _imported_by(["--version"], workdir).isdisjoint({*heavy, "sqlite3", "yaml", "markdown_it", "pcso_policy.kinds"})
    linted = _imported_by(["lint", "--no-cache", "policies"], workdir)
    assert "pcso_policy.kinds" in linted and linted.isdisjoint(heavy), linted & heavy

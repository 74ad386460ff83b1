"""Check files (checks/*.yaml): a malformed one is a ConfigError naming the file and the line,
and the command line turns it into one line on stderr with exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcso_policy.checkfiles import load_check_file, load_checks
from pcso_policy.cli import run
from pcso_policy.errors import ConfigError
from pcso_policy.kinds.required_sections import RequiredSections
from tests.support import write

REPO = Path(__file__).resolve().parents[1]

GOOD = """\
checks:
  - kind: required-sections
    description: Mandatory sections.
    options:
      types:
        policy:
          - name: review
            titles: [Review, Monitoring and review]
"""

# Each case: the file's text, the line the error must name, and what its message must say.
MALFORMED: dict[str, tuple[str | bytes, int, str]] = {
    "yaml-syntax": (
        GOOD.replace("description: Mandatory sections.", "description: Sections: the mandatory ones"),
        3,
        "check file is not valid YAML",
    ),
    "unknown-top-level-key": (GOOD.replace("checks:", "chekcs:"), 1, "unknown key 'chekcs': did you mean 'checks'?"),
    "unknown-entry-key": (GOOD.replace("    options:", "    optoins:"), 4, "unknown key 'optoins': did you mean 'options'?"),
    "unknown-kind": (
        GOOD.replace("kind: required-sections", "kind: required-section"),
        2,
        "unknown check kind 'required-section': did you mean 'required-sections'?",
    ),
    "option-unknown-key": (
        GOOD.replace("titles: [Review", "title: [Review"),
        8,
        "unknown key 'title': did you mean 'titles'?",
    ),
    "option-wrong-type": (GOOD.replace("[Review, Monitoring and review]", "Review"), 8, "checks.0.options.types.policy.0.titles"),
    "option-missing-key": (GOOD.replace("            titles: [Review, Monitoring and review]\n", ""), 7, "'terms' is a required property"),
    # The name that breaks propertyNames is reported at its own line, not at the mapping holding it.
    "option-bad-value": (GOOD.replace("policy:", "policies:"), 6, "'policies' is not one of ['policy', 'procedure', 'role-profile']"),
    # Like a policy's parse/encoding finding: the line of the first byte that is not UTF-8.
    "not-utf8": (GOOD.replace("Mandatory sections.", "Sections \x00 policy.").encode().replace(b"\x00", b"\x92"), 3, "not UTF-8"),
    "yaml-tag": (GOOD.replace("Mandatory sections.", "!!python/object/apply:os.system ['true']"), 3, "YAML tag"),
    "yaml-alias": (
        GOOD.replace("[Review, Monitoring and review]", "&t [Review]\n          - name: again\n            titles: *t"),
        10,
        "aliases",
    ),
    "not-a-mapping": ("- kind: required-sections\n", 1, "not a mapping"),
    "empty": ("# nothing yet\n", 1, "empty"),
    "checks-not-a-list": ("checks:\n  kind: required-sections\n", 1, "in checks: {'kind': 'required-sections'} is not of type 'array'"),
    # Python's reason, at the pattern's own line, before the schema's "is not a 'regex'".
    "pattern-does-not-compile": (
        GOOD.replace("titles: [Review, Monitoring and review]", "titles: [Review]\n            lines: ['^OFFICIAL(']"),
        9,
        "in checks.0.options.types.policy.0.lines.0: '^OFFICIAL(' is not a valid regular expression: "
        "missing ), unterminated subpattern at position 9",
    ),
    # Each valid alone, but a kind searches a list of patterns as one expression: at the options, naming both.
    "patterns-searched-as-one": (
        GOOD.replace("titles: [Review, Monitoring and review]", "titles: [Review]\n            lines: ['(?P<m>OFFICIAL)', '(?P<m>TOP)']"),
        4,
        "in checks.0.options: '(?P<m>OFFICIAL)' and '(?P<m>TOP)' are searched as one expression and both name a group 'm'",
    ),
}


def test_a_good_check_file_builds_its_checks(tmp_path: Path) -> None:
    (check,) = load_check_file(write(tmp_path, "structure.yaml", GOOD))
    assert isinstance(check, RequiredSections)
    assert [requirement.name for requirement in check.requirements["policy"]] == ["review"]


def test_the_repository_check_files_load() -> None:
    assert load_checks(REPO / "checks")


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_check_file_names_the_file_and_the_line(tmp_path: Path, case: str) -> None:
    content, line, message = MALFORMED[case]
    path = write(tmp_path, "bad.yaml", content)
    with pytest.raises(ConfigError) as raised:
        load_check_file(path)
    error = raised.value
    assert (error.path, error.line) == (str(path), line), error.detail
    assert message in error.detail
    assert str(error).startswith(f"{path}:{line}: ")


def test_a_check_file_that_cannot_be_read_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "checks" / "gone.yaml"
    path.parent.mkdir()
    path.symlink_to("missing.yaml")
    with pytest.raises(ConfigError, match="cannot read check file") as raised:
        load_checks(path.parent)
    assert raised.value.path == str(path)


def test_every_yaml_file_in_the_folder_is_loaded(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yml", GOOD)
    write(tmp_path, "notes.txt", "not a check file")
    assert len(load_checks(tmp_path)) == 2


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        "policies/t1.md",
        '---\nid: T1\ntitle: Test policy\nowner: Head of Policy\nstatus: draft\nlast_reviewed: "2025-01"\n'
        'next_review: "2027-01"\nreview_cycle_months: 24\n---\n\n# Test policy\n\n## 1. Review\n\n1.1. Text.\n',
    )
    return tmp_path


def test_the_cli_uses_the_check_files_of_the_project(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, "checks/structure.yaml", GOOD.replace("titles: [Review,", "titles: [Annual review,"))
    assert run(["lint", "--as-of", "2026-11-23", "--select", "structure/missing-section", "policies"]) == 1
    assert "missing section: review" in capsys.readouterr().out


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_the_cli_reports_a_malformed_check_file_in_one_line_with_exit_2(
    workdir: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    content, line, message = MALFORMED[case]
    path = write(workdir, "checks/bad.yaml", content)
    assert run(["lint", "--as-of", "2026-11-23", "policies"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"pcso-policy: error: {path}:{line}: ")
    assert message in captured.err
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err

"""The registry of national reference texts: loading, validation with file and line, versions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pcso_policy.errors import ConfigError
from pcso_policy.references import load, load_file, version_order

ROOT = Path(__file__).resolve().parents[1]
ROLE = "college-of-policing/pcso-role-and-purpose"
PROFILE = "college-of-policing/pcso-professional-profile"

VALID = """---
source: {source}
publisher: College of Policing
title: Test text
version: "{version}"
items_section: Points
items:
  - id: first
    text: The first point.
  - id: second
    text: The second point, with a comma.
---

# Test text

## Points

- The first point.
- The second point,
  with a comma.
"""


def write(folder: Path, source: str, version: str, text: str | None = None) -> Path:
    path = folder / source / f"{version}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else VALID.format(source=source, version=version), encoding="utf-8")
    return path


def test_the_bundled_texts_are_valid() -> None:
    references = load(ROOT / "references")
    assert references.problems == ()
    assert references.versions(ROLE) == ("2022-06-06",)
    assert references.versions(PROFILE) == ("undated",)
    role = references.current(ROLE)
    assert role is not None and len(role.items) == 11 and role.items[0].id == "integrated-npt"
    assert role.describe() == "College of Policing 'Role and purpose' (6 June 2022)"
    assert role.first_published == "2019-07-01"
    profile = references.current(PROFILE)
    assert profile is not None and profile.date is None and len(profile.items) == 10
    assert profile.describe().endswith("(undated)")


def test_items_remember_their_line() -> None:
    role = load(ROOT / "references").current(ROLE)
    assert role is not None
    lines = (ROOT / "references" / ROLE / "2022-06-06.md").read_text(encoding="utf-8").split("\n")
    assert all(item.text in lines[item.line - 1] for item in role.items)


def test_the_newest_version_is_current_and_undated_sorts_first(tmp_path: Path) -> None:
    for version in ("2023-01-05", "undated", "2019-07-01"):
        write(tmp_path, "pub/text", version if version != "undated" else "undated")
    references = load(tmp_path)
    assert references.versions("pub/text") == ("undated", "2019-07-01", "2023-01-05")
    current = references.current("pub/text")
    assert current is not None and current.version == "2023-01-05"
    assert version_order("undated") < version_order("2001-01-01")


def test_readme_files_are_not_texts_and_a_missing_folder_is_empty(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Notes\n", encoding="utf-8")
    assert load(tmp_path).sources == {} and load(tmp_path).problems == ()
    assert load(tmp_path / "absent").sources == {}


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("publisher: College of Policing\n", "publisher: College of Policing\nauthor: someone\n"), 4, "unknown key 'author'"),
        (("  - id: second\n", "  - id: Second Point\n"), 10, "does not match"),
        (("  - id: second\n", "  - id: first\n"), 10, "item id 'first' is used twice"),
        (("title: Test text\n", ""), 1, "'title' is a required property"),
        (("items_section: Points\n", "items_section: Duties\n"), 6, "the body has no heading 'Duties'"),
        (("- The first point.\n", "- The first points.\n"), 9, "item 'first' is not word for word list item 1 of 'Points'"),
        (
            ("- The second point,\n  with a comma.\n", "- The second point,\n  with a comma.\n- A third.\n"),
            16,
            "has 3 list items but items lists 2",
        ),
        (("items:\n", "items: [\n"), 8, "not valid YAML"),
    ],
)
def test_a_broken_file_is_named_with_its_line(tmp_path: Path, change: tuple[str, str], line: int, message: str) -> None:
    text = VALID.format(source="pub/text", version="2020-02-02")
    assert change[0] in text
    path = write(tmp_path, "pub/text", "2020-02-02", text.replace(change[0], change[1], 1))
    with pytest.raises(ConfigError) as raised:
        load_file(path, tmp_path)
    assert (raised.value.path, raised.value.line) == (str(path), line)
    assert message in raised.value.detail


def test_a_file_must_sit_where_its_source_and_version_say(tmp_path: Path) -> None:
    moved = write(tmp_path, "pub/other", "2020-02-02", VALID.format(source="pub/text", version="2020-02-02"))
    with pytest.raises(ConfigError, match=r":2: source 'pub/text' does not match the file's folder 'pub/other'"):
        load_file(moved, tmp_path)
    renamed = write(tmp_path, "pub/text", "2021-01-01", VALID.format(source="pub/text", version="2020-02-02"))
    with pytest.raises(ConfigError, match=r":5: version '2020-02-02' does not match the file name '2021-01-01.md'"):
        load_file(renamed, tmp_path)


def test_a_version_must_be_a_real_date(tmp_path: Path) -> None:
    path = write(tmp_path, "pub/text", "2020-02-30", VALID.format(source="pub/text", version="2020-02-30"))
    with pytest.raises(ConfigError, match=r":5: version '2020-02-30' is not a real date"):
        load_file(path, tmp_path)


def test_first_published_cannot_follow_the_version(tmp_path: Path) -> None:
    text = VALID.format(source="pub/text", version="2020-02-02").replace("items_section", 'first_published: "2021-03"\nitems_section')
    path = write(tmp_path, "pub/text", "2020-02-02", text)
    with pytest.raises(ConfigError, match=r":6: first_published 2021-03 is after the version date 2020-02-02"):
        load_file(path, tmp_path)


def test_a_file_without_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "pub/text", "2020-02-02", "# Just a body\n")
    with pytest.raises(ConfigError, match=r":1: reference text has no front matter"):
        load_file(path, tmp_path)


def test_load_keeps_each_bad_file_as_a_problem_and_the_good_ones(tmp_path: Path) -> None:
    write(tmp_path, "pub/text", "2020-02-02")
    write(tmp_path, "pub/broken", "2020-02-02", VALID.format(source="pub/broken", version="2020-02-02").replace("title: Test text\n", ""))
    references = load(tmp_path)
    assert list(references.sources) == ["pub/text"]
    (problem,) = references.problems
    assert str(problem).startswith(f"{tmp_path.name}/pub/broken/2020-02-02.md:1: ")
    assert references.problem_for("pub/broken") is problem and references.problem_for("pub/text") is None
    assert references.nearest_source("pub/txt") == "pub/text"


def test_a_file_is_parsed_again_only_when_it_changes(tmp_path: Path) -> None:
    path = write(tmp_path, "pub/text", "2020-02-02")
    first = load_file(path, tmp_path)
    assert load_file(path, tmp_path) is first
    path.write_text(VALID.format(source="pub/text", version="2020-02-02").replace("Test text", "Renamed"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_file(path, tmp_path).title == "Renamed"

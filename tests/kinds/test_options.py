"""Each check kind's contract in one place: its ``Options`` dataclass, its schema and its documentation agree.

For every kind of ``KINDS``: the dataclass has a field for exactly the schema's options, a default exactly
where the schema does not require the option, the default the schema states; the module's ``Options::``
example is valid and builds; its documentation names every option; and ``pcso-policy explain`` lists
them with their defaults. A regular expression of a check file that does not compile is a configuration
error at its line, whichever kind and option it belongs to.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import json
import re
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from pcso_policy import validation
from pcso_policy.checkfiles import load_check_file
from pcso_policy.cli import run
from pcso_policy.kinds import KINDS, Kind
from pcso_policy.kinds.options import default_of
from pcso_policy.resources import load_schema
from tests.support import FRONT_MATTER, write

NAMES = sorted(KINDS)
Path_ = tuple[str | int, ...]


def schema_of(name: str) -> dict[str, Any]:
    return load_schema(f"kinds/{name}.schema.json")


def example_of(kind: Kind) -> dict[str, Any]:
    """The options of the indented YAML block after ``Options::`` in the kind's docstring."""
    doc = inspect.cleandoc(kind.__doc__ or "") + "\n"
    match = re.search(r"^Options::\n\n((?:[ \t]+\S.*\n|[ \t]*\n)+)", doc, re.MULTILINE)
    assert match is not None, f"{kind.KIND}: the docstring has no indented block after 'Options::'"
    data = yaml.safe_load(textwrap.dedent(match.group(1)))
    assert isinstance(data, dict), f"{kind.KIND}: the Options:: example is not a mapping"
    return data


def fields_of(kind: Kind) -> dict[str, dataclasses.Field[Any]]:
    assert dataclasses.is_dataclass(kind.Options), f"{kind.KIND}: Options is not a dataclass"
    return {field.name: field for field in dataclasses.fields(kind.Options)}




def plain(value: Any) -> Any:
    """A default as YAML and JSON write it: tuples as lists, mappings as dicts."""
    if isinstance(value, (tuple, list)):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    return value


# (a) to (c): the dataclass and the schema -----------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_the_options_are_exactly_the_schema_properties(name: str) -> None:
    kind = KINDS[name]
    assert sorted(fields_of(kind)) == sorted(schema_of(name).get("properties", {}))


@pytest.mark.parametrize("name", NAMES)
def test_an_option_has_a_default_exactly_when_the_schema_does_not_require_it(name: str) -> None:
    required = set(schema_of(name).get("required", []))
    for option, field in fields_of(KINDS[name]).items():
        has_default = default_of(field) is not dataclasses.MISSING
        assert has_default != (option in required), f"{name}: {option}"


@pytest.mark.parametrize("name", NAMES)
def test_the_schema_states_each_default_as_the_dataclass_has_it(name: str) -> None:
    properties = schema_of(name).get("properties", {})
    example = example_of(KINDS[name])
    for option, field in fields_of(KINDS[name]).items():
        default = default_of(field)
        if default is dataclasses.MISSING:
            assert "default" not in properties[option], f"{name}: {option} is required but the schema states a default"
            continue
        assert "default" in properties[option], f"{name}: the schema does not state the default of {option}"
        assert properties[option]["default"] == plain(default), f"{name}: {option}"
        with_default = {**example, option: plain(default)}
        assert validation.errors(f"kinds/{name}.schema.json", with_default) == [], f"{name}: the default of {option}"


# (d), (e): the documentation --------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_the_documented_example_is_valid_and_builds(name: str, tmp_path: Path) -> None:
    kind = KINDS[name]
    example = example_of(kind)
    assert [error.message for error in validation.errors(f"kinds/{name}.schema.json", example)] == []
    text = yaml.safe_dump({"checks": [{"kind": name, "options": example}]}, allow_unicode=True)
    (check,) = load_check_file(write(tmp_path, "example.yaml", text))  # as a force's file: its patterns checked too
    assert check.rules == kind.RULES


@pytest.mark.parametrize("name", NAMES)
def test_the_documentation_names_every_option(name: str) -> None:
    kind = KINDS[name]
    doc = kind.__doc__ or ""
    shown = set(example_of(kind))
    for option in fields_of(kind):
        assert option in shown or f"``{option}``" in doc, f"{name}: the docstring neither shows nor names {option}"


# (f): explain ----------------------------------------------------------------------------------------


def options_section(text: str) -> list[str]:
    """The lines under the heading "Options and defaults" of an explanation."""
    lines = text.splitlines()
    starts = [index for index, line in enumerate(lines) if line.startswith("Options and defaults (")]
    assert len(starts) == 1, text
    section = []
    for line in lines[starts[0] + 1 :]:
        if not line.startswith("  "):
            break
        section.append(line)
    return section


def shown_default(value: Any) -> str:
    return yaml.safe_dump(plain(value), default_flow_style=True, width=1_000_000).removesuffix("\n...\n").strip()


@pytest.mark.parametrize("name", NAMES)
def test_explain_shows_each_option_with_its_default_and_description(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    kind = KINDS[name]
    properties = schema_of(name).get("properties", {})
    expected = []
    for option, field in fields_of(kind).items():
        default = default_of(field)
        state = "required" if default is dataclasses.MISSING else f"default: {shown_default(default)}"
        expected.append(f"  {option} ({state}): {properties[option]['description']}")
    for argument in (name, kind.RULES[0].id):
        assert run(["explain", argument]) == 0
        section = options_section(capsys.readouterr().out)
        top_level = [line for line in section if not line.startswith("   ")]
        assert top_level == (expected or ["  none"]), argument


def test_explain_shows_the_options_of_items(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["explain", "excluded-powers"]) == 0
    section = options_section(capsys.readouterr().out)
    assert "    never_held (default: false): PCSOs have never held this power" in "\n".join(section)
    assert any(line.startswith("    source (required): the law that excludes it") for line in section)
    assert any(line.startswith("    except (optional): regular expressions") for line in section)


# Regular expressions --------------------------------------------------------------------------------


def regex_paths(schema: Mapping[str, Any], root: Mapping[str, Any], data: Any, path: Path_ = ()) -> Iterator[Path_]:
    """The path of each regular expression (``"format": "regex"``) the schema allows, in ``data``'s shape:
    the first item of a list, the first key of a mapping of free keys (or ``policy``)."""
    reference = schema.get("$ref")
    if isinstance(reference, str):
        target: Any = root
        for part in reference.removeprefix("#/").split("/"):
            target = target[part]
        yield from regex_paths(target, root, data, path)
        return
    if schema.get("format") == "regex":
        yield path
    if "items" in schema:
        yield from regex_paths(schema["items"], root, data[0] if isinstance(data, list) and data else None, (*path, 0))
    for key, child in schema.get("properties", {}).items():
        yield from regex_paths(child, root, data.get(key) if isinstance(data, dict) else None, (*path, key))
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping):
        key = next(iter(data), "policy") if isinstance(data, dict) and data else "policy"
        yield from regex_paths(extra, root, data.get(key) if isinstance(data, dict) else None, (*path, key))


def with_value(data: Any, path: Path_, value: Any) -> Any:
    """A copy of ``data`` with ``value`` at ``path``, the lists and mappings on the way made as needed."""
    data = copy.deepcopy(data)
    holder = data
    for part, after in zip(path, path[1:], strict=False):
        empty: Any = [] if isinstance(after, int) else {}
        if isinstance(part, int):
            if len(holder) <= part:
                holder.append(empty)
        elif part not in holder or holder[part] is None:
            holder[part] = empty
        holder = holder[part]
    last = path[-1]
    if isinstance(last, int) and len(holder) <= last:
        holder.append(value)
    else:
        holder[last] = value
    return data


REGEX_OPTIONS = [
    (name, path)
    for name in NAMES
    for path in regex_paths(schema_of(name), schema_of(name), example_of(KINDS[name]))
]
BAD_PATTERNS = {
    "unterminated": ("as follows(", "missing ), unterminated subpattern at position 10"),
    "look-behind": ("(?<=as +)follows", "look-behind requires fixed-width pattern"),
    "too-many": ("as{4294967296} follows", "the repetition number is too large"),
    "global-flag": (
        "(?i)as follows",
        "the flags '(?i)' at its start apply to a whole expression, and the check searches this one inside a "
        "larger one: write them for a group, '(?i:...)'",
    ),
}


@pytest.mark.parametrize("name", NAMES)
def test_every_regular_expression_a_schema_declares_is_tried(name: str) -> None:
    """At least one path for each ``"format": "regex"`` of the schema (one of ``$defs`` may serve several)."""
    declared = json.dumps(schema_of(name)).count('"format": "regex"')
    assert len([path for kind, path in REGEX_OPTIONS if kind == name]) >= declared


def string_paths(data: Any, path: Path_ = ()) -> Iterator[Path_]:
    if isinstance(data, str):
        yield path
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from string_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from string_paths(value, (*path, index))


@pytest.mark.parametrize("name", NAMES)
def test_no_option_but_those_declared_regular_expressions_is_compiled(name: str) -> None:
    """An option that is no regular expression may hold '(' (where its schema allows it) and still build:
    the kind escapes it (or never compiles it), so only the declared ones need checking at load."""
    kind = KINDS[name]
    example = example_of(kind)
    declared = set(regex_paths(schema_of(name), schema_of(name), example))
    for path in string_paths(example):
        if path in declared:
            continue
        changed = with_value(example, path, "(")
        if validation.errors(f"kinds/{name}.schema.json", changed):
            continue  # the schema refuses '(' there (an enum, a pattern): it cannot reach the kind
        kind.build(changed)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with one policy whose only checks are its own ``checks/force.yaml``."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, ".pcso-policy.toml", 'checks = "checks"\nbundled_checks = false\n')
    write(tmp_path, "policies/p.md", FRONT_MATTER + "\n# Test policy\n\n## 1. Scope\n\n1.1. Text.\n")
    return tmp_path


@pytest.mark.parametrize("bad", sorted(BAD_PATTERNS))
@pytest.mark.parametrize(("name", "path"), REGEX_OPTIONS, ids=[f"{name}:{'.'.join(map(str, path))}" for name, path in REGEX_OPTIONS])
def test_a_pattern_that_does_not_compile_is_an_error_at_its_line(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, path: Path_, bad: str
) -> None:
    pattern, reason = BAD_PATTERNS[bad]
    options = with_value(example_of(KINDS[name]), path, pattern)
    text = yaml.safe_dump({"checks": [{"kind": name, "options": options}]}, sort_keys=False, allow_unicode=True, width=1_000_000)
    write(project, "checks/force.yaml", text)
    line = next(number for number, content in enumerate(text.splitlines(), start=1) if pattern in content)
    where = ".".join(str(part) for part in ("checks", 0, "options", *path))
    assert run(["lint", "--as-of", "2026-11-23", "policies"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    shown = project / "checks" / "force.yaml"
    assert captured.err == (
        f"pcso-policy: error: {shown}:{line}: in {where}: '{pattern}' is not a valid regular expression: {reason}\n"
    )

"""Loading ``checks/*.yaml``: what a force requires, as data.

Each file is read with the same safe, position-keeping YAML reader as front
matter, validated against ``schemas/checks.schema.json`` and each entry's
options against its kind's schema. Any problem is a :class:`ConfigError`
naming the file, the line and the key.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pcso_policy import reading, validation
from pcso_policy.check import Check
from pcso_policy.config import DEFAULT_MAX_FILE_SIZE
from pcso_policy.errors import ConfigError
from pcso_policy.frontmatter import read_front_matter
from pcso_policy.kinds import KINDS
from pcso_policy.kinds.options import OptionError
from pcso_policy.model import FrontMatter, KeyPath
from pcso_policy.parsing import BOM, not_utf8
from pcso_policy.patterns import invalid, refusal
from pcso_policy.resources import load_schema


def load_checks(folder: Path) -> tuple[Check, ...]:
    """Every check defined in ``folder``'s ``*.yaml`` files, in file-name order."""
    checks: list[Check] = []
    for path in sorted(folder.glob("*.y*ml")):
        checks.extend(load_check_file(path))
    return tuple(checks)


def load_check_file(path: Path, trusted: bool = False, root: Path | None = None) -> list[Check]:
    """The checks one file defines. ``trusted``: a bundled file, validated by this package's tests
    (tests/test_checkfiles.py) rather than on every run, which would cost more than a lint.
    ``root``: the project the file belongs to, which a link must not lead out of."""
    shown = str(path)
    try:
        data = reading.read_bytes(path, DEFAULT_MAX_FILE_SIZE, root)
    except reading.TooLarge:
        raise ConfigError(shown, None, f"check file is larger than {DEFAULT_MAX_FILE_SIZE / 1_000_000:g} MB") from None
    except reading.Refused as refused:
        raise ConfigError(shown, None, f"cannot read check file: {refused.reason}") from None
    data = data.removeprefix(BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        finding = not_utf8(data, error)
        raise ConfigError(shown, finding.line, finding.message.replace("file is not UTF-8", "check file is not UTF-8")) from None
    result = read_front_matter(text, 0, text.count("\n") + 1, label="check file")
    if result.findings or result.front_matter is None:
        problem = result.findings[0]
        raise ConfigError(shown, problem.line, problem.message)
    document = result.front_matter
    if not trusted:
        _raise_first("checks.schema.json", document.data, (), document, shown)
    checks: list[Check] = []
    for index, entry in enumerate(document.data["checks"]):
        checks.append(_build(entry, ("checks", index), document, shown, trusted))
    return checks


def _build(entry: dict[str, Any], path: KeyPath, document: FrontMatter, shown: str, trusted: bool) -> Check:
    name = entry["kind"]
    kind = KINDS.get(name)
    if kind is None:
        close = difflib.get_close_matches(name, list(KINDS), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known kinds are {', '.join(KINDS)}"
        raise ConfigError(shown, document.value_position_of((*path, "kind")).line, f"unknown check kind '{name}': {hint}")
    options = entry.get("options", {})
    base: KeyPath = (*path, "options")
    if not trusted:
        _raise_bad_pattern(f"kinds/{name}.schema.json", options, base, document, shown)
        _raise_first(f"kinds/{name}.schema.json", options, base, document, shown)
    try:
        return kind.build(options)
    except OptionError as error:
        where: KeyPath = (*base, *error.where)
        raise ConfigError(shown, document.position_of(where).line, f"in {_dotted(where)}: {error.message}") from None
    except re.error as error:  # expressions valid one by one that the kind cannot search as one (see patterns.any_of)
        raise ConfigError(shown, document.position_of(base).line, f"in {_dotted(base)}: {error}") from None


def _raise_bad_pattern(schema_name: str, options: object, base: KeyPath, document: FrontMatter, shown: str) -> None:
    """A :class:`ConfigError` at the first regular expression of ``options`` that
    :func:`pcso_policy.patterns.refusal` refuses (too long, too deep, or backtracking without end) or that
    does not compile (:func:`pcso_policy.patterns.invalid`), naming the option and Python's reason.

    Checked before the schema, whose ``regex`` format says only "is not a 'regex'", and refusals first:
    compiling one of a thousand nested groups exhausts Python's stack.
    """
    schema = load_schema(schema_name)
    for where, pattern in _patterns(schema, schema, options, ()):
        path: KeyPath = (*base, *where)
        quoted = pattern if len(pattern) <= 60 else pattern[:57] + "..."
        problem = refusal(pattern)
        if problem is not None:
            message = f"in {_dotted(path)}: the regular expression '{quoted}' {problem}"
        else:
            reason = invalid(pattern)
            if reason is None:
                continue
            message = f"in {_dotted(path)}: '{quoted}' is not a valid regular expression: {reason}"
        raise ConfigError(shown, document.value_position_of(path).line, message)


def _dotted(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)


def _patterns(schema: Any, root: Mapping[str, Any], data: object, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """Each string of ``data`` that ``schema`` declares a regular expression (``"format": "regex"``), with its path."""
    if not isinstance(schema, Mapping):
        return
    reference = schema.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/"):
        target: Any = root
        for part in reference[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, Mapping) else {}
        yield from _patterns(target, root, data, path)
    if isinstance(data, str) and schema.get("format") == "regex":
        yield path, data
    elif isinstance(data, Mapping):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, value in data.items():
            yield from _patterns(properties.get(key, extra), root, value, (*path, str(key)))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _patterns(schema.get("items"), root, item, (*path, index))


def _raise_first(schema_name: str, data: object, base: KeyPath, document: FrontMatter, shown: str) -> None:
    errors = validation.errors(schema_name, data)
    if not errors:
        return
    error = errors[0]
    path: KeyPath = (*base, *error.absolute_path)
    if "propertyNames" in error.schema_path and isinstance(error.instance, str):
        path = (*path, error.instance)  # the name that broke the rule, not the mapping that holds it
    where = ".".join(str(part) for part in path) or "the file"
    message = f"in {where}: {error.message}"
    if error.validator == "additionalProperties":
        unknown, hint = validation.unknown_key(error)
        message = f"in {where}: unknown key '{unknown}': {hint}"
        path = (*path, unknown)
    raise ConfigError(shown, document.position_of(path).line, message)

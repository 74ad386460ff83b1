"""Finding the data shipped with the tool: JSON Schemas, the recommended checks, the national texts.

The repository's top-level ``schemas/``, ``checks/`` and ``references/`` are the
source of truth. A wheel carries them inside the package as ``_schemas``,
``_checks`` and ``_references``; in a source checkout or an editable install
they are read where they stand.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside = _PACKAGE / f"_{name}"
    return inside if inside.is_dir() else _PACKAGE.parent / name


def schema_dir() -> Path:
    return _bundled("schemas")


def checks_dir() -> Path:
    """The bundled rule set: the recommended ``checks/*.yaml``."""
    return _bundled("checks")


def references_dir() -> Path:
    """The bundled national reference texts."""
    return _bundled("references")


def examples_dir() -> Path:
    """The CI examples of ``docs/examples/``, which ``init`` copies into a new repository."""
    inside = _PACKAGE / "_examples"
    return inside if inside.is_dir() else _PACKAGE.parent / "docs" / "examples"


RULESET_VERSION_FILE = "VERSION"
"""A file in the bundled ``checks/`` holding the rule set's version, bumped when a check changes."""


def ruleset_version() -> str:
    try:
        return (checks_dir() / RULESET_VERSION_FILE).read_text(encoding="utf-8").strip() or "unversioned"
    except OSError:
        return "unversioned"


def bundled_reference_versions() -> list[tuple[str, str]]:
    """``(source, version)`` of each bundled national text, from file names alone (nothing is parsed)."""
    folder = references_dir()
    found: list[tuple[str, str]] = []
    for path in sorted(folder.rglob("*.md")):
        if path.name.lower() != "readme.md":
            found.append((path.parent.relative_to(folder).as_posix(), path.stem))
    return found


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """Load ``schemas/<name>`` once per process."""
    with (schema_dir() / name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema

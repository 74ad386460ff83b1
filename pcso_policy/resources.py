"""Finding the JSON Schemas shipped with the tool.

In a source checkout or an editable install they are the repository's
``schemas/`` folder; a wheel carries the same files as ``pcso_policy/_schemas``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


def schema_dir() -> Path:
    bundled = _PACKAGE / "_schemas"
    return bundled if bundled.is_dir() else _PACKAGE.parent / "schemas"


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """Load ``schemas/<name>`` once per process."""
    with (schema_dir() / name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema

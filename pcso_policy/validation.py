"""JSON Schema validation that pays for explanations only when something fails.

fastjsonschema compiles a schema into a function that answers valid or not,
quickly; jsonschema (about 60 ms to import, more than linting a policy) is
imported only to explain, with each error's path, data that fails.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import fastjsonschema

from pcso_policy.resources import load_schema

if TYPE_CHECKING:
    from jsonschema import ValidationError


@functools.cache
def _quick(schema_name: str) -> Callable[[Any], object]:
    # use_default=False: fastjsonschema would otherwise write the schema's defaults into the data.
    validate: Callable[[Any], object] = fastjsonschema.compile(load_schema(schema_name), use_default=False)
    return validate


@functools.cache
def _explainer(schema_name: str) -> Any:
    from jsonschema import Draft202012Validator

    # The formats fastjsonschema checks (a "regex" must compile) must be checked here too, or data it
    # refuses would be explained as valid.
    return Draft202012Validator(load_schema(schema_name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def unknown_key(error: ValidationError, noun: str = "keys") -> tuple[str, str]:
    """For an ``additionalProperties`` error: the first key the schema does not know, and a hint
    naming the nearest known one (or all of them)."""
    import difflib

    schema = error.schema if isinstance(error.schema, Mapping) else {}
    known = sorted(schema.get("properties", {}))
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    unknown = next((str(key) for key in instance if key not in known), "")
    close = difflib.get_close_matches(unknown, known, n=1)
    return unknown, f"did you mean '{close[0]}'?" if close else f"known {noun} are {', '.join(known)}"


def errors(schema_name: str, data: object) -> list[ValidationError]:
    """What is wrong with ``data`` against ``schemas/<schema_name>``, sorted by path; empty when valid."""
    try:
        _quick(schema_name)(data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    found: list[ValidationError] = list(_explainer(schema_name).iter_errors(data))
    return sorted(found, key=lambda error: [str(part) for part in error.absolute_path])

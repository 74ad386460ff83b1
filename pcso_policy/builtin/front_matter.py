"""``front-matter/*``: the front-matter contract of ``schemas/policy.schema.json``.

The schema is the single source of truth; this check runs it with jsonschema
and turns each violation into a finding at the offending key's line, with a
message written from the schema's own ``description`` of the key.
"""

from __future__ import annotations

import datetime
import difflib
import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import fastjsonschema

from pcso_policy.diagnostics import Finding, Position, Severity
from pcso_policy.model import Document, FrontMatter, KeyPath
from pcso_policy.resources import load_schema
from pcso_policy.rules import Rule

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

    from pcso_policy.check import CheckContext

ERROR = Severity.ERROR

RULES = (
    Rule(
        "front-matter/missing-key",
        ERROR,
        "A key the front-matter contract requires is missing.",
        "id, title, owner, status, last_reviewed, next_review and review_cycle_months are what the review, "
        "publishing and reporting features rely on.",
        "Add the key with its value.",
        "---\nid: O38\ntitle: Police community support officers policy\n---   <- owner, status, ... missing",
        needs_front_matter=True,
    ),
    Rule(
        "front-matter/unknown-key",
        ERROR,
        "A key the front-matter contract does not know; the nearest known key is suggested.",
        "A misspelt key ('next_reveiw') is silently ignored by every tool, so the date it holds is never checked.",
        "Correct the spelling, or remove the key. 'pcso-policy explain front-matter/unknown-key' and "
        "schemas/policy.schema.json list the known keys.",
        "next_reveiw: \"2027-01\"   -> next_review: \"2027-01\"",
        needs_front_matter=True,
    ),
    Rule(
        "front-matter/duplicate-key",
        ERROR,
        "A key is given twice in the same mapping.",
        "YAML keeps only the last value, so the first one silently disappears.",
        "Remove one of the two.",
        "status: draft\nstatus: approved",
        needs_front_matter=True,
    ),
    Rule(
        "front-matter/type",
        ERROR,
        "A value has the wrong type (a number where text is expected, a single value where a list is expected).",
        "YAML guesses types: 'version: 1.10' is the number 1.1 and 'section: 4.3' a number, not the text written.",
        "Write the value in the form the message names; quote numbers that are really text.",
        "review_cycle_months: two years   -> review_cycle_months: 24\nsection: 4.3   -> section: \"4.3\"",
        needs_front_matter=True,
    ),
    Rule(
        "front-matter/enum",
        ERROR,
        "A value is not one of those the contract allows (status, type, equality_impact).",
        "Reports, the publishing gate and document-type checks act on these exact values.",
        "Use one of the values the message lists.",
        "status: live   -> status: approved",
        needs_front_matter=True,
    ),
    Rule(
        "front-matter/format",
        ERROR,
        "A value is not written in the required form: a date that is not YYYY-MM or YYYY-MM-DD or does not "
        "exist, an id with spaces, a version that is not dotted numbers.",
        "Dates in one form can be compared and checked for consistency; '31/02/2025' cannot.",
        "Write the value as the message says.",
        "last_reviewed: January 2025   -> last_reviewed: \"2025-01\"",
        needs_front_matter=True,
    ),
    Rule(
        "front-matter/value",
        ERROR,
        "A value breaks another limit of the contract: an empty text, a number out of range, a list with repeats.",
        "Such values are almost always a slip that later checks would misread.",
        "Correct the value as the message says.",
        "review_cycle_months: 0",
        needs_front_matter=True,
    ),
)

_RULE_BY_VALIDATOR = {
    "required": "front-matter/missing-key",
    "additionalProperties": "front-matter/unknown-key",
    "type": "front-matter/type",
    "enum": "front-matter/enum",
    "const": "front-matter/enum",
    "pattern": "front-matter/format",
    "format": "front-matter/format",
}


def _is_policy_date(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the type keyword reports non-strings
    parts = value.split("-")
    if len(parts) not in (2, 3) or len(parts[0]) != 4 or any(len(p) != 2 for p in parts[1:]):
        return False
    try:
        numbers = [int(part) for part in parts]
        datetime.date(numbers[0], numbers[1], numbers[2] if len(numbers) == 3 else 1)
    except ValueError:
        return False
    return True


@functools.cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker  # only to explain front matter that fails

    checker = FormatChecker(formats=())
    checker.checks("policy-date")(_is_policy_date)
    return Draft202012Validator(load_schema("policy.schema.json"), format_checker=checker)


@functools.cache
def _is_valid() -> Callable[..., object]:
    """A compiled validator that only answers valid or not, an order of magnitude faster than jsonschema.

    Most front matter is valid, so the check asks it first and runs jsonschema,
    which explains each error with its path, only for front matter that fails.
    ``use_default=False``: fastjsonschema would otherwise write the schema's
    defaults into the data it checks.
    """
    return fastjsonschema.compile(
        load_schema("policy.schema.json"), formats={"policy-date": _is_policy_date}, use_default=False
    )


def quickly_valid(data: object) -> bool:
    try:
        _is_valid()(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


class FrontMatterCheck:
    """Validates a document's front matter against the policy schema."""

    rules: tuple[Rule, ...] = RULES

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        front_matter = document.front_matter
        if front_matter is None or quickly_valid(front_matter.data):
            return
        errors = sorted(_validator().iter_errors(front_matter.data), key=lambda e: [str(p) for p in e.absolute_path])
        for error in errors:
            yield from _findings(error, front_matter)


def _findings(error: ValidationError, front_matter: FrontMatter) -> Iterator[Finding]:
    path: KeyPath = tuple(error.absolute_path)
    rule = _RULE_BY_VALIDATOR.get(str(error.validator), "front-matter/value")
    if error.validator == "additionalProperties":
        yield from _unknown_keys(error, path, front_matter)
        return
    if error.validator == "required":
        pos = front_matter.position_of(path) if path else Position(front_matter.start_line, 1)
        yield Finding(rule, pos.line, pos.column, f"{_where(path)}required key '{_missing_key(error)}' is missing: add it")
        return
    pos = front_matter.value_position_of(path)
    yield Finding(rule, pos.line, pos.column, _message(error, path))


def _where(path: KeyPath) -> str:
    return f"in '{_dotted(path)}': " if path else ""


def _dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _missing_key(error: ValidationError) -> str:
    # jsonschema says "'owner' is a required property"; the key is the quoted name.
    return str(error.message).split("'")[1] if error.message.count("'") >= 2 else str(error.message)


def _unknown_keys(error: ValidationError, path: KeyPath, front_matter: FrontMatter) -> Iterator[Finding]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = sorted(schema.get("properties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    for key in instance:
        if key in known:
            continue
        pos = front_matter.position_of((*path, key))
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"known keys are: {', '.join(known)}"
        yield Finding("front-matter/unknown-key", pos.line, pos.column, f"{_where(path)}unknown key '{key}': {hint}")


def _message(error: ValidationError, path: KeyPath) -> str:
    name = _dotted(path) or "front matter"
    value = error.instance
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    wanted = schema.get("description")
    if error.validator in ("enum", "const"):
        allowed = ", ".join(str(v) for v in schema.get("enum", [schema.get("const")]))
        return f"'{name}' is {value!r}, which is not allowed: use one of {allowed}"
    if error.validator == "type":
        note = f" ({wanted})" if wanted else ""
        return f"'{name}' must be {_type_words(error.validator_value)}, not {_type_of(value)}{note}"
    if wanted:
        return f"'{name}' is {value!r}: it must be {wanted}"
    return f"'{name}': {error.message}"


def _type_words(expected: object) -> str:
    words = {"string": "text", "integer": "a whole number", "array": "a list", "object": "a mapping of keys"}
    names = expected if isinstance(expected, list) else [expected]
    return " or ".join(words.get(str(n), str(n)) for n in names)


def _type_of(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty"
    return f"{value!r}"

"""A check kind's options as one frozen dataclass: every option its schema allows, with its type and default.

Each kind module declares ``Options`` and builds its check from ``options_of(Options, mapping)``, the
mapping ``schemas/kinds/<kind>.schema.json`` has validated. ``tests/kinds/test_options.py`` holds the
dataclass, the schema and the module's documentation to the same options and defaults, and ``pcso-policy
explain`` lists the options from the dataclass and the schema.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pcso_policy.model import KeyPath

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

OptionsT = TypeVar("OptionsT", bound="DataclassInstance")


class OptionError(ValueError):
    """Options a kind cannot build a check from, at ``where``, a key path inside the options; loading a
    check file reports it at that key's line."""

    def __init__(self, where: KeyPath, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def options_of(cls: type[OptionsT], options: Mapping[str, Any]) -> OptionsT:
    """``cls`` filled from ``options``, a list as a tuple. A key ``cls`` has no field for, or a required field
    without its key, is an :class:`OptionError`: the schema and the dataclass disagree, or the options were
    not validated."""
    fields = {field.name: field for field in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in options.items():
        if key not in fields:
            known = ", ".join(fields) or "none"
            raise OptionError((key,), f"unknown option '{key}' (known options: {known})")
        values[key] = tuple(value) if isinstance(value, list) else value
    for name, field in fields.items():
        if name not in values and default_of(field) is dataclasses.MISSING:
            raise OptionError((), f"the option '{name}' is required")
    return cls(**values)


def default_of(field: dataclasses.Field[Any]) -> Any:
    """The field's default (made anew from its factory), or ``dataclasses.MISSING`` for a required option."""
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING

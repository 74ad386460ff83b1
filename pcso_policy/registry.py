"""The one place that knows every rule and every check: explicit imports, no discovery magic."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from pcso_policy import suppressions
from pcso_policy.builtin import front_matter, parse
from pcso_policy.diagnostics import Finding
from pcso_policy.model import Document
from pcso_policy.rules import Registry, Rule


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check may know beyond the document: the date review checks judge against."""

    as_of: datetime.date


class Check(Protocol):
    """A unit that reads one document and yields findings of the rules it declares."""

    rules: tuple[Rule, ...]

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]: ...


def builtin_checks() -> tuple[Check, ...]:
    return (front_matter.FrontMatterCheck(),)


def build_registry(checks: tuple[Check, ...]) -> Registry:
    """Every rule: those the parser and suppressions raise, and those the checks declare.

    An id declared twice is a programming error and fails at once.
    """
    declared = [rule for check in checks for rule in check.rules]
    return Registry([*parse.RULES, *suppressions.RULES, *declared])

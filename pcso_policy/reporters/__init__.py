"""Reporters turn a lint run into what a reader consumes: a person, a tool, a CI system.

``REPORTERS`` maps each ``--format`` name to its function. Each takes a
:class:`Report` and returns the whole output as text; the CLI decides where
it goes (the terminal, or a file written atomically).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from pcso_policy.reporters import github, json_output, junit, sarif, text
from pcso_policy.reporters.report import Report

Reporter = Callable[[Report], str]

REPORTERS: Mapping[str, Reporter] = MappingProxyType(
    {
        "text": text.format_text,
        "json": json_output.format_json,
        "sarif": sarif.format_sarif,
        "github": github.format_github,
        "junit": junit.format_junit,
    }
)

__all__ = ["REPORTERS", "Report", "Reporter"]

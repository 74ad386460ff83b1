"""Reporters turn a lint run into what a reader consumes: a person, a tool, a CI system.

``REPORTERS`` maps each ``--format`` name to its function. Each takes a
:class:`Report` and returns the whole output as text; the CLI decides where
it goes (the terminal, or a file written atomically). A reporter's module is
imported when its format is asked for (JUnit's XML library alone costs a
one-file lint a twentieth of its time).

A format whose output can be large (``json``, ``sarif``) also gives it in
pieces, finding by finding: :func:`chunks` yields them, so the CLI writes a
report of a hundred thousand findings without ever holding it whole.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping

from pcso_policy.reporters.report import Report

Reporter = Callable[[Report], str]

_WHERE = {
    "text": ("text", "format_text"),
    "json": ("json_output", "format_json"),
    "sarif": ("sarif", "format_sarif"),
    "github": ("github", "format_github"),
    "junit": ("junit", "format_junit"),
}
_CHUNKS = {"json": "json_chunks", "sarif": "sarif_chunks"}
"""The formats that also give their output in pieces: the function of their module that yields them."""


class _Reporters(Mapping[str, Reporter]):
    """Format name to reporter, each module imported on first use; an unknown name is a KeyError."""

    def __getitem__(self, name: str) -> Reporter:
        module, function = _WHERE[name]
        reporter: Reporter = getattr(importlib.import_module(f"pcso_policy.reporters.{module}"), function)
        return reporter

    def __iter__(self) -> Iterator[str]:
        return iter(_WHERE)

    def __len__(self) -> int:
        return len(_WHERE)


REPORTERS: Mapping[str, Reporter] = _Reporters()


def chunks(name: str, report: Report) -> Iterable[str]:
    """Format ``name``'s output in pieces whose concatenation is ``REPORTERS[name](report)``."""
    if name not in _CHUNKS:
        return (REPORTERS[name](report),)
    module = importlib.import_module(f"pcso_policy.reporters.{_WHERE[name][0]}")
    pieces: Callable[[Report], Iterator[str]] = getattr(module, _CHUNKS[name])
    return pieces(report)


__all__ = ["REPORTERS", "Report", "Reporter", "chunks"]

"""What a check is: the protocol every built-in check and check kind implements."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from pcso_policy.diagnostics import Finding
from pcso_policy.model import FOOTER_LABELS, Document
from pcso_policy.references import Library, References
from pcso_policy.rules import Rule


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check may know beyond the document."""

    as_of: datetime.date
    """The date review checks judge against (``--as-of``)."""
    root: Path = field(default_factory=Path)
    """The project root (where the configuration lives). Anything a check reads from here must
    also salt the cache (see :meth:`pcso_policy.project.Project.cache`)."""
    national_texts: Library | None = None
    """The national reference texts, read on first use; by default the bundled ones beneath
    ``root / "references"``."""

    def __post_init__(self) -> None:
        if self.national_texts is None:
            object.__setattr__(self, "national_texts", Library(self.root))  # the frozen dataclass idiom

    def references(self) -> References:
        assert self.national_texts is not None
        return self.national_texts.get()


class Check(Protocol):
    """A unit that reads one document and yields findings of the rules it declares."""

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules it may raise (read only: frozen dataclasses implement it as a field)."""
        ...

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]: ...


@runtime_checkable
class ProjectCheck(Check, Protocol):
    """A check that also looks across all documents of a run (duplicate ids, citations).

    ``summarize`` keeps what it needs of each document (small and picklable);
    ``finish`` sees every summary at the end and yields ``(path, finding)``.
    """

    def summarize(self, document: Document) -> object: ...

    def finish(self, summaries: Mapping[str, object], context: CheckContext) -> Iterator[tuple[str, Finding]]: ...


@runtime_checkable
class ReadsFooter(Protocol):
    """A check that reads footer fields by their labels (see :func:`footer_labels`)."""

    def footer_labels_read(self) -> frozenset[str]:
        """The labels it reads, as compared (:func:`pcso_policy.text.normalise_title`)."""
        ...


def footer_labels(checks: Iterable[Check]) -> frozenset[str]:
    """The labels that make a trailing block of ``Label: value`` lines a footer without a ``---`` line: the
    model's own (:data:`pcso_policy.model.FOOTER_LABELS`) and those a force's checks read."""
    labels = set(FOOTER_LABELS)
    for check in checks:
        if isinstance(check, ReadsFooter):
            labels.update(check.footer_labels_read())
    return frozenset(labels)

"""A content-addressed cache of what linting one file found, so an unchanged repository re-lints at once.

An entry is keyed by the file's bytes and a *salt* naming everything else
its findings depend on: the tool's version, the configuration, the check
files, the national reference texts, the rules that run and the ``--as-of``
date. Entries are JSON text in an SQLite database (a cache restored from CI storage
must never be able to run code); SQLite's locking makes two runs sharing the
folder at once safe: the worst case is that both compute the same entry.

Project-wide checks keep per-file summaries in the entry, so their
``summarize`` must return JSON-compatible data.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcso_policy import __version__
from pcso_policy.diagnostics import Finding, Related
from pcso_policy.model import Comment
from pcso_policy.suppressions import Suppression

FORMAT = 1
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache of pcso-policy; see https://bford.info/cachedir/\n"


@dataclass(frozen=True, slots=True)
class FileResult:
    """What linting one file's content yields before the project-wide phase."""

    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...] = ()
    summaries: tuple[tuple[int, Any], ...] = ()
    """(index of the project check, its JSON-compatible summary of the file)."""


def salt(inputs: Iterable[Path], settings: Iterable[str], as_of: datetime.date) -> str:
    """A digest of every input besides the file itself that findings depend on."""
    digest = hashlib.sha256(f"pcso-policy {__version__} format {FORMAT} as-of {as_of.isoformat()}\n".encode())
    digest.update(_code_digest())
    for setting in settings:
        digest.update(setting.encode("utf-8") + b"\0")
    for path in sorted(inputs):
        digest.update(str(path).encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-")
    return digest.hexdigest()


@functools.cache
def _code_digest() -> bytes:
    """The tool's own code and schemas: a changed check must not be served old results under the same version."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.json"), *_schema_files()]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def _schema_files() -> list[Path]:
    """The schemas, wherever this installation keeps them (beside the package in a checkout)."""
    checkout = Path(__file__).resolve().parents[1] / "schemas"
    return sorted(checkout.rglob("*.json")) if checkout.is_dir() else []


class Cache:
    """Entries in one SQLite database in the cache folder, written in a single transaction per run.

    One file per entry cost a run about a millisecond of system time per
    policy (create, write, rename); SQLite (in the standard library) stores a
    run's entries at once, looks them up by key, and serialises runs that share
    the folder with its own locking.
    """

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt.encode("ascii")
        self._pending: list[tuple[str, str]] = []
        self._connection: sqlite3.Connection | None = None
        self._unusable = False

    def key(self, data: bytes) -> str:
        return hashlib.sha256(self.salt + b"\0" + data).hexdigest()

    def get(self, key: str) -> FileResult | None:
        connection = self._open(create=False)
        if connection is None:
            return None
        try:
            row = connection.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
            return decode(json.loads(row[0])) if row is not None else None
        except (sqlite3.Error, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        """Keep an entry for :meth:`flush`; an entry that cannot be encoded is simply not kept."""
        try:
            self._pending.append((key, json.dumps(encode(result), separators=(",", ":"))))
        except (TypeError, ValueError):
            return
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write the entries kept since the last flush; a cache that cannot be written only costs speed."""
        pending, self._pending = self._pending, []
        connection = self._open(create=True) if pending else None
        if connection is None:
            return
        try:
            with connection:
                connection.executemany("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", pending)
        except sqlite3.Error:
            self._unusable = True

    def close(self) -> None:
        self.flush()
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _open(self, create: bool) -> sqlite3.Connection | None:
        """The database, or None when there is none yet (and ``create`` is false) or it cannot be used."""
        if self._connection is not None or self._unusable:
            return self._connection
        path = self.folder / DATABASE
        if not create and not path.is_file():
            return None
        try:
            self._prepare_folder()
            connection = sqlite3.connect(path, timeout=LOCK_TIMEOUT_SECONDS)
            connection.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        except (OSError, sqlite3.Error):
            self._unusable = True  # a file where the folder should be, a damaged database: run without
            return None
        self._connection = connection
        return connection

    def _prepare_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, content in (("CACHEDIR.TAG", TAG), (".gitignore", "# created by pcso-policy\n*\n")):
            if not (self.folder / name).exists():
                (self.folder / name).write_text(content, encoding="utf-8")


DATABASE = "entries.sqlite3"
FLUSH_EVERY = 500
"""Entries kept before they are written: few transactions, and memory that does not grow with the repository."""
LOCK_TIMEOUT_SECONDS = 30.0
"""How long a run waits for another one writing to the same cache before giving up on storing its entries."""


def encode(result: FileResult) -> dict[str, Any]:
    return {
        "findings": [_finding(finding) for finding in result.findings],
        "suppressions": [_suppression(suppression) for suppression in result.suppressions],
        "summaries": [[index, summary] for index, summary in result.summaries],
    }


def decode(data: dict[str, Any]) -> FileResult:
    return FileResult(
        findings=tuple(_read_finding(item) for item in data["findings"]),
        suppressions=tuple(_read_suppression(item) for item in data["suppressions"]),
        summaries=tuple((int(index), summary) for index, summary in data["summaries"]),
    )


def _finding(finding: Finding) -> list[Any]:
    related = [[r.line, r.column, r.message] for r in finding.related]
    return [finding.rule, finding.line, finding.column, finding.message, finding.end_line, finding.end_column, related]


def _read_finding(item: list[Any]) -> Finding:
    rule, line, column, message, end_line, end_column, related = item
    return Finding(rule, line, column, message, end_line, end_column, tuple(Related(*r) for r in related))


def _suppression(suppression: Suppression) -> dict[str, Any]:
    comment = suppression.comment
    return {
        "comment": [comment.text, comment.line, comment.column, comment.end_line],
        "rules": list(suppression.rules),
        "reason": suppression.reason,
        "until": suppression.until.isoformat() if suppression.until else None,
        "lines": [suppression.first_line, suppression.last_line],
    }


def _read_suppression(item: dict[str, Any]) -> Suppression:
    until = datetime.date.fromisoformat(item["until"]) if item["until"] else None
    first, last = item["lines"]
    return Suppression(Comment(*item["comment"]), tuple(item["rules"]), item["reason"], until, first, last)

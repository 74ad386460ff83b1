"""A content-addressed cache of what linting one file found, so an unchanged repository re-lints at once.

An entry is keyed by the file's bytes and a *salt* naming everything else
its findings depend on: the tool's version, the configuration, the check
files, the national reference texts, the rules that run and the ``--as-of``
date. Entries are JSON (a cache restored from CI storage must never be able
to run code), written atomically, so two runs sharing the folder at once are
safe: the worst case is that both compute the same entry.

Project-wide checks keep per-file summaries in the entry, so their
``summarize`` must return JSON-compatible data.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
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
    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt.encode("ascii")
        self._ready = False
        self._folders: set[str] = set()
        self._written = 0
        self._writer: ThreadPoolExecutor | None = None

    def key(self, data: bytes) -> str:
        return hashlib.sha256(self.salt + b"\0" + data).hexdigest()

    def get(self, key: str) -> FileResult | None:
        try:
            text = (self.folder / key[:2] / f"{key[2:]}.json").read_text(encoding="utf-8")
            return decode(json.loads(text))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        """Store an entry in the background; :meth:`flush` waits until every entry is written.

        Writing an entry is mostly waiting for the file system, which a
        thread does while the run goes on linting.
        """
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pcso-policy-cache")
        self._writer.submit(self._write, key, result)

    def flush(self) -> None:
        """Wait for the entries given to :meth:`put` to be written (before a fork, and at the end of a run)."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None

    def _write(self, key: str, result: FileResult) -> None:
        """Store an entry; a cache that cannot be written only costs speed, never the run."""
        try:
            content = json.dumps(encode(result), separators=(",", ":")).encode("utf-8")
            folder = self._subfolder(key[:2])
            # A name no other process or earlier entry of this run uses, created exclusively: the same
            # guarantee as tempfile.mkstemp at a fraction of its cost, which counts on a cold run.
            self._written += 1
            temporary = os.path.join(folder, f".{key[2:]}.{os.getpid()}.{self._written}.tmp")
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                os.write(handle, content)
            finally:
                os.close(handle)
            os.replace(temporary, os.path.join(folder, f"{key[2:]}.json"))
        except (OSError, TypeError, ValueError):
            return

    def _subfolder(self, name: str) -> str:
        if name not in self._folders:
            self._prepare()
            (self.folder / name).mkdir(exist_ok=True)
            self._folders.add(name)
        return os.path.join(self.folder, name)

    def _prepare(self) -> None:
        if self._ready:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, content in (("CACHEDIR.TAG", TAG), (".gitignore", "# created by pcso-policy\n*\n")):
            if not (self.folder / name).exists():
                (self.folder / name).write_text(content, encoding="utf-8")
        self._ready = True


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

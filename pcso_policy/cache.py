"""A content-addressed cache of what linting one file found, so an unchanged repository re-lints at once.

An entry is keyed by the file's bytes and a *salt* naming everything else
its findings depend on: the tool's version, the configuration, the check
files, the national reference texts, the rules that run and the ``--as-of``
date. Entries are JSON text in an SQLite database (a cache restored from CI storage
must never be able to run code); SQLite's locking makes two runs sharing the
folder at once safe: the worst case is that both compute the same entry.

Every input of the key is public, so the key alone proves nothing: a pull
request could commit a database whose entries say its policies have no
findings. So (see :func:`locate`):

- the cache lives outside the checkout by default, in the user's cache folder
  (``$PCSO_POLICY_CACHE_DIR``, else ``$XDG_CACHE_HOME/pcso-policy``, else
  ``~/.cache/pcso-policy``), one subfolder per project named from a digest of
  the project root's real path; a default that would lie inside the checkout
  is refused;
- each entry carries an HMAC-SHA256 of its key and value under a random key
  kept in that user cache folder (``key``, mode 0600, made on first use),
  never in a cache folder itself and never in a repository: an entry that
  does not verify is a miss;
- a cache folder that is (or holds) a symbolic link, or that git tracks, is
  refused, and the files the cache creates are created without following links.

Project-wide checks keep per-file summaries in the entry, so their
``summarize`` must return JSON-compatible data.
"""

from __future__ import annotations

import datetime
import errno
import functools
import hashlib
import hmac
import json
import os
import sqlite3
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcso_policy import __version__, git, reading
from pcso_policy.diagnostics import Finding, Related
from pcso_policy.fixes import Edit, Fix
from pcso_policy.model import Comment
from pcso_policy.suppressions import Suppression

FORMAT = 4
"""2: an entry's value is ``MAC:JSON``; 3: an entry records the rules skipped for want of a front matter;
4: a finding carries its fix."""
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache of pcso-policy; see https://bford.info/cachedir/\n"


@dataclass(frozen=True, slots=True)
class FileResult:
    """What linting one file's content yields before the project-wide phase."""

    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...] = ()
    summaries: tuple[tuple[int, Any], ...] = ()
    """(index of the project check, its JSON-compatible summary of the file)."""
    skipped: tuple[str, ...] = ()
    """Rules not checked on the file because they rest on a front matter it lacks: neither their project-wide
    findings nor an unused suppression of them is reported."""


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
    the folder with its own locking. Each value is ``MAC:JSON``, the MAC an
    HMAC-SHA256 of the entry's key and JSON under ``secret``: an entry written
    by anyone without the secret, edited, or moved to another key is a miss.
    """

    def __init__(self, folder: Path, salt: str, secret: bytes) -> None:
        self.folder = folder
        self.salt = salt.encode("ascii")
        self.secret = secret
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
            if row is None or not isinstance(row[0], str):
                return None
            mac, _, text = row[0].partition(":")
            if not hmac.compare_digest(mac, self._mac(key, text)):
                return None  # forged, edited, moved from another key, or written under another secret
            return decode(json.loads(text))
        except (sqlite3.Error, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        """Keep an entry for :meth:`flush`; an entry that cannot be encoded is simply not kept."""
        try:
            text = json.dumps(encode(result), separators=(",", ":"))
        except (TypeError, ValueError):
            return
        self._pending.append((key, f"{self._mac(key, text)}:{text}"))
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()

    def _mac(self, key: str, text: str) -> str:
        return hmac.new(self.secret, key.encode("utf-8") + b"\0" + text.encode("utf-8"), hashlib.sha256).hexdigest()

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
        if not create and not _regular(path):
            return None
        try:
            self._prepare_folder()
            _create(path, b"")  # without following a link; SQLite takes an empty file for a new database
            if not _regular(path):
                raise OSError(errno.ELOOP, "the database is not a regular file", str(path))
            connection = sqlite3.connect(path, timeout=LOCK_TIMEOUT_SECONDS)
            connection.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        except (OSError, sqlite3.Error):
            self._unusable = True  # a file where the folder should be, a damaged database: run without
            return None
        self._connection = connection
        return connection

    def _prepare_folder(self) -> None:
        _make_folder(self.folder)
        for name, content in (("CACHEDIR.TAG", TAG), (".gitignore", "# created by pcso-policy\n*\n")):
            _create(self.folder / name, content.encode("utf-8"))


DATABASE = "entries.sqlite3"
FLUSH_EVERY = 500
"""Entries kept before they are written: few transactions, and memory that does not grow with the repository."""
LOCK_TIMEOUT_SECONDS = 30.0
"""How long a run waits for another one writing to the same cache before giving up on storing its entries."""


# Where the cache lives, and its key

ENVIRONMENT = "PCSO_POLICY_CACHE_DIR"
"""Names the user cache folder (the key, and one subfolder per project) instead of the default."""
KEY = "key"
KEY_BYTES = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class Refused(Exception):
    """A cache folder or key the tool will not use, and why, in words for a one-line message.

    ``named`` says whether it is the folder ``--cache-dir`` named (a usage error: the user asked for
    it) or the default location (a warning: the run goes on without a cache)."""

    def __init__(self, message: str, named: bool) -> None:
        self.message = message
        self.named = named
        super().__init__(message)


class Unavailable(Exception):
    """The user cache folder cannot be made or read (no home folder, read-only, full): no cache, quietly."""


@dataclass(frozen=True, slots=True)
class Location:
    folder: Path
    """The folder of this project's database."""
    secret: bytes
    """The key its entries are authenticated with."""


def user_folder() -> Path:
    """The user cache folder: ``$PCSO_POLICY_CACHE_DIR``, else ``$XDG_CACHE_HOME/pcso-policy`` (when
    absolute), else ``~/.cache/pcso-policy`` (``%LOCALAPPDATA%/pcso-policy`` on Windows)."""
    named = os.environ.get(ENVIRONMENT)
    if named:
        return Path(os.path.abspath(named))
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "pcso-policy"
    local = os.environ.get("LOCALAPPDATA", "")
    if os.name == "nt" and os.path.isabs(local):
        return Path(local) / "pcso-policy"
    home = os.path.expanduser("~")
    if not os.path.isabs(home):
        raise Unavailable("no home folder")
    return Path(home) / ".cache" / "pcso-policy"


def project_folder(base: Path, root: Path) -> Path:
    """The project's subfolder of the user cache folder ``base``, named from its root's real path."""
    return base / hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()[:24]


def locate(root: Path, named: Path | None) -> Location:
    """Where the project at ``root`` keeps its cache (``named``: the folder ``--cache-dir`` gave) and
    the key its entries are authenticated with; :class:`Refused` or :class:`Unavailable` otherwise.

    The checkout is the top of the git work tree ``root`` lies in, else ``root``. The user cache
    folder must lie outside it; a named folder may lie inside it if git does not track it and no
    link leads there. No cache folder may be, or hold, a symbolic link.
    """
    top = git.work_tree_top(root)
    checkout = top or root
    base = user_folder()
    if _inside(base, checkout):
        raise Refused(
            f"the cache folder '{base}' is inside the checkout, where a pull request could put files: "
            f"set {ENVIRONMENT} to a folder outside it",
            named=False,
        )
    _refuse_links(base, f"the cache folder '{base}'", f"delete it (it is rebuilt) or set {ENVIRONMENT}", named=False)
    secret = _secret(base)
    if named is None:
        folder = project_folder(base, root)
        _refuse_links(folder, f"the cache folder '{folder}'", "delete it (it is rebuilt)", named=False)
        return Location(folder, secret)
    shown = f"cache folder '{named}'"
    _refuse_links(
        named, shown, "name the folder it leads to, or pass --no-cache", named=True,
        holds="delete the folder (it is rebuilt), or pass --no-cache",
    )
    if _inside(named, checkout):
        link = _link_between(named, checkout)
        if link is not None:
            message = f"{shown} is reached through a symbolic link ('{link}'): name the folder it leads to, or pass --no-cache"
            raise Refused(message, named=True)
        if top is not None:
            try:
                is_tracked = git.tracked(top, named)
            except git.GitError as error:
                message = f"cannot tell whether git tracks {shown} ({error.detail}): name a folder outside the checkout, or pass --no-cache"
                raise Refused(message, named=True) from None
            if is_tracked:
                message = f"{shown} is tracked by git: a cache is never part of the repository (git rm -r --cached it), or pass --no-cache"
                raise Refused(message, named=True)
    return Location(named, secret)


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it, as written or once links are resolved (of a
    path not made yet, the part that is): a link inside the checkout may lead anywhere."""
    return reading.inside(path, folder) or reading.inside(os.path.realpath(path), os.path.realpath(folder))


def _link_between(path: Path, top: Path) -> str | None:
    """The first symbolic link on the way down from ``top`` to ``path`` (which is inside it once resolved)."""
    absolute, base = Path(os.path.abspath(path)), Path(os.path.abspath(top))
    if not absolute.is_relative_to(base):
        return str(path)  # inside only once links are resolved: a link elsewhere leads in
    current = base
    for part in absolute.relative_to(base).parts:
        current = current / part
        if os.path.islink(current):
            return str(current)
    return None


def _refuse_links(folder: Path, shown: str, fix: str, named: bool, holds: str | None = None) -> None:
    """:class:`Refused` when ``folder`` is a symbolic link, holds one, or belongs to another user."""
    try:
        info = os.lstat(folder)
    except OSError:
        return  # not made yet (or not makeable: making it fails quietly later)
    if stat.S_ISLNK(info.st_mode):
        raise Refused(f"{shown} is a symbolic link: {fix}", named)
    if not stat.S_ISDIR(info.st_mode):
        return
    if _foreign(info):
        raise Refused(f"{shown} belongs to another user: {fix}", named)
    try:
        links = sorted(entry.name for entry in os.scandir(folder) if entry.is_symlink())
    except OSError:
        return
    if links:
        raise Refused(f"{shown} holds a symbolic link ('{links[0]}'): {holds or fix}", named)


def _foreign(info: os.stat_result) -> bool:
    uid = getattr(os, "geteuid", None)
    return uid is not None and info.st_uid != uid()


def _secret(base: Path) -> bytes:
    """The key kept in ``base``, made on first use; :class:`Refused` when it may not be the user's secret."""
    path = base / KEY
    shown = f"the cache key '{path}'"
    for _ in range(3):
        try:
            descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW)
        except FileNotFoundError:
            _make_key(base, path)
            continue
        except OSError as error:
            if error.errno == errno.ELOOP or os.path.islink(path):
                raise Refused(f"{shown} is a symbolic link: delete it (a new one is made)", named=False) from None
            raise Unavailable(str(error)) from None
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                raise Refused(f"{shown} is not a regular file: delete it (a new one is made)", named=False)
            if _foreign(info) or (os.name != "nt" and info.st_mode & 0o077):
                raise Refused(f"{shown} can be read or written by other users: delete it (a new one is made)", named=False)
            secret = os.read(descriptor, KEY_BYTES + 1)
        finally:
            os.close(descriptor)
        if len(secret) != KEY_BYTES:
            raise Refused(f"{shown} is damaged: delete it (a new one is made)", named=False)
        return secret
    raise Unavailable("the cache key keeps disappearing")


def _make_key(base: Path, path: Path) -> None:
    """A new random key at ``path``, whole before it appears there (two runs at once agree on one)."""
    import secrets

    try:
        _make_folder(base)
        _create(base / "CACHEDIR.TAG", TAG.encode("utf-8"))
        temporary = base / f".key-{os.getpid()}-{secrets.token_hex(8)}"
        _create(temporary, secrets.token_bytes(KEY_BYTES), exclusive=True)
    except OSError as error:
        raise Unavailable(str(error)) from None
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another run made one first: theirs is used
    except OSError:
        try:
            os.rename(temporary, path)  # a file system without hard links
        except OSError as error:
            raise Unavailable(str(error)) from None
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _make_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.path.islink(folder):
        raise OSError(errno.ELOOP, "the cache folder is a symbolic link", str(folder))


def _create(path: Path, content: bytes, exclusive: bool = False) -> None:
    """Create ``path`` holding ``content`` (mode 0600) unless it exists; never through a link."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    except FileExistsError:
        if exclusive:
            raise
        return
    try:
        os.write(descriptor, content)
    finally:
        os.close(descriptor)


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def encode(result: FileResult) -> dict[str, Any]:
    return {
        "findings": [_finding(finding) for finding in result.findings],
        "suppressions": [_suppression(suppression) for suppression in result.suppressions],
        "summaries": [[index, summary] for index, summary in result.summaries],
        "skipped": list(result.skipped),
    }


def decode(data: dict[str, Any]) -> FileResult:
    return FileResult(
        findings=tuple(_read_finding(item) for item in data["findings"]),
        suppressions=tuple(_read_suppression(item) for item in data["suppressions"]),
        summaries=tuple((int(index), summary) for index, summary in data["summaries"]),
        skipped=tuple(data["skipped"]),
    )


def _finding(finding: Finding) -> list[Any]:
    related = [[r.line, r.column, r.message] for r in finding.related]
    fix = _fix(finding.fix) if finding.fix is not None else None
    return [finding.rule, finding.line, finding.column, finding.message, finding.end_line, finding.end_column, related, fix]


def _read_finding(item: list[Any]) -> Finding:
    rule, line, column, message, end_line, end_column, related, fix = item
    read_fix = _read_fix(fix) if fix is not None else None
    return Finding(rule, line, column, message, end_line, end_column, tuple(Related(*r) for r in related), read_fix)


def _fix(fix: Fix) -> list[Any]:
    edits = [[e.line, e.column, e.end_line, e.end_column, e.replacement] for e in fix.edits]
    return [fix.description, fix.safe, edits]


def _read_fix(item: list[Any]) -> Fix:
    description, safe, edits = item
    return Fix(description, tuple(Edit(*edit) for edit in edits), bool(safe))


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

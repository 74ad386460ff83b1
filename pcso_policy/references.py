"""The registry of national reference texts kept in ``references/``.

Each text is ``references/<publisher>/<source>/<version>.md``: front matter
validated by ``schemas/reference.schema.json`` (source, publisher, title,
version, first_published, items_section, items) and the transcribed document
as its body. Beyond the schema, a file must sit where its ``source`` and
``version`` say, its item ids must be unique, and its ``items`` must be the
list items of its ``items_section`` heading, word for word.

A source may have several versions; the newest is the current one. A version
is the publisher's date (``"2022-06-06"``) or ``undated`` when the document
states none. An undated version sorts before every dated one: nothing shows
it is newer, and a dated version added later supersedes it.

Loading never raises on a bad file: :func:`load` keeps each file's first
problem (path, line, message) in :attr:`References.problems`, and
:func:`load_file` raises :class:`ConfigError` naming the file and line. Files
are parsed once per process and modification time.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, replace
from pathlib import Path

from pcso_policy import reading
from pcso_policy.config import DEFAULT_MAX_FILE_SIZE
from pcso_policy.dates import PartialDate, parse_iso
from pcso_policy.errors import ConfigError
from pcso_policy.model import Document, FrontMatter, KeyPath
from pcso_policy.parsing import parse_bytes

FOLDER = "references"
UNDATED = "undated"


@dataclass(frozen=True, slots=True)
class ReferenceItem:
    id: str
    text: str
    line: int
    """Where the item's ``text`` is written in the reference file."""


@dataclass(frozen=True, slots=True)
class Reference:
    """One version of a national text."""

    source: str
    publisher: str
    title: str
    version: str
    first_published: str | None
    items_section: str
    items: tuple[ReferenceItem, ...]
    path: Path
    bundled: bool = False
    """Whether the text ships with pcso-policy rather than sitting in the repository's ``references/``."""

    @property
    def date(self) -> PartialDate | None:
        """The version date, or None when undated."""
        return parse_iso(self.version)

    def describe(self) -> str:
        """``College of Policing 'Role and purpose' (6 June 2022)`` for messages."""
        when = str(self.date) if self.date else "undated"
        return f"{self.publisher} '{self.title}' ({when})"


def version_order(version: str) -> tuple[int, str]:
    """Sort key: undated first, then dated versions oldest to newest."""
    return (0, "") if version == UNDATED else (1, version)


@dataclass(frozen=True, slots=True)
class Problem:
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return str(ConfigError(str(self.path), self.line, self.message))


@dataclass(frozen=True, slots=True)
class References:
    """Every valid reference text under one folder, by source id, oldest version first."""

    sources: dict[str, tuple[Reference, ...]]
    problems: tuple[Problem, ...] = ()
    replaced: frozenset[tuple[str, str]] = frozenset()
    """``(source, version)`` pairs where the repository's copy replaces the bundled one."""

    def get(self, source: str, version: str) -> Reference | None:
        return next((ref for ref in self.sources.get(source, ()) if ref.version == version), None)

    def current(self, source: str) -> Reference | None:
        versions = self.sources.get(source)
        return versions[-1] if versions else None

    def versions(self, source: str) -> tuple[str, ...]:
        return tuple(ref.version for ref in self.sources.get(source, ()))

    def nearest_source(self, source: str) -> str | None:
        close = difflib.get_close_matches(source, list(self.sources), n=1)
        return close[0] if close else None

    def problem_for(self, source: str) -> Problem | None:
        """A problem with a file that would have held ``source``, if any."""
        for problem in self.problems:
            if problem.path.parent.as_posix().endswith(f"/{source}"):
                return problem
        return None


def load(folder: Path, bundled: bool = False) -> References:
    """Every ``*.md`` under ``folder`` except README files; an absent folder is an empty registry."""
    found: dict[str, list[Reference]] = {}
    problems: list[Problem] = []
    paths = sorted(path for path in folder.rglob("*.md") if path.name.lower() != "readme.md") if folder.is_dir() else []
    for path in paths:
        try:
            reference = load_file(path, folder, trusted=bundled)
        except ConfigError as error:
            problems.append(Problem(_shown(path, folder.parent), error.line, error.detail))
            continue
        if bundled:
            reference = replace(reference, bundled=True)
        found.setdefault(reference.source, []).append(reference)
    return References(_ordered(found), tuple(problems))


def _ordered(found: dict[str, list[Reference]]) -> dict[str, tuple[Reference, ...]]:
    return {source: tuple(sorted(refs, key=lambda ref: version_order(ref.version))) for source, refs in sorted(found.items())}


def layered(bundled: References, own: References) -> References:
    """The bundled texts with a repository's on top: its copy of a bundled source and version wins."""
    found: dict[str, list[Reference]] = {source: list(refs) for source, refs in bundled.sources.items()}
    replaced: set[tuple[str, str]] = set()
    for source, refs in own.sources.items():
        for reference in refs:
            versions = found.setdefault(source, [])
            for earlier in list(versions):
                if earlier.version == reference.version:
                    versions.remove(earlier)
                    replaced.add((source, reference.version))
            versions.append(reference)
    return References(_ordered(found), (*bundled.problems, *own.problems), frozenset(replaced))


def _shown(path: Path, root: Path) -> Path:
    try:
        return path.relative_to(root)
    except ValueError:
        return path


def load_file(path: Path, folder: Path, trusted: bool = False) -> Reference:
    """One reference file, validated; :class:`ConfigError` names the file and line of its first problem."""
    try:
        stat = path.stat()
    except OSError as error:
        raise ConfigError(str(path), None, f"cannot read reference text: {error.strerror}") from None
    return _load_cached(path, folder, stat.st_mtime_ns, stat.st_size, trusted)


@functools.lru_cache(maxsize=256)
def _load_cached(path: Path, folder: Path, mtime_ns: int, size: int, trusted: bool) -> Reference:
    """``trusted``: a bundled text, whose schema this package's tests check (tests/test_references.py);
    where it stands and its items against its body are checked every time, which costs little."""
    shown = str(path)
    try:
        data = reading.read_bytes(path, DEFAULT_MAX_FILE_SIZE, None if trusted else folder.parent)
    except reading.TooLarge:
        raise ConfigError(shown, None, f"reference text is larger than {DEFAULT_MAX_FILE_SIZE / 1_000_000:g} MB") from None
    except reading.Refused as refused:
        raise ConfigError(shown, None, f"cannot read reference text: {refused.reason}") from None
    parsed = parse_bytes(shown, data)
    document = parsed.document
    if document is None or document.front_matter is None:
        problem = parsed.findings[0] if parsed.findings else None
        if problem is None or not data.lstrip().startswith(b"---"):
            raise ConfigError(shown, 1, "reference text has no front matter: put its keys between two '---' lines at the top")
        raise ConfigError(shown, problem.line, problem.message)
    front = document.front_matter
    if not trusted:
        _validate(front, shown)
    reference = _reference(front, path)
    _check_place(reference, front, path, folder)
    _check_items(reference, front, document)
    return reference


def _validate(front: FrontMatter, shown: str) -> None:
    from pcso_policy.validation import errors as schema_errors
    from pcso_policy.validation import unknown_key

    errors = schema_errors("reference.schema.json", front.data)
    if not errors:
        return
    error = errors[0]
    path: KeyPath = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        unknown, hint = unknown_key(error)
        path = (*path, unknown)
        message = f"unknown key '{unknown}': {hint}"
    else:
        where = ".".join(str(part) for part in path) or "front matter"
        message = f"in {where}: {error.message}"
    raise ConfigError(shown, front.position_of(path).line, message)


def _reference(front: FrontMatter, path: Path) -> Reference:
    data = front.data
    items = tuple(
        ReferenceItem(item["id"], item["text"], front.value_position_of(("items", index, "text")).line)
        for index, item in enumerate(data["items"])
    )
    return Reference(
        data["source"], data["publisher"], data["title"], data["version"], data.get("first_published"),
        data["items_section"], items, path,
    )


def _check_place(reference: Reference, front: FrontMatter, path: Path, folder: Path) -> None:
    shown = str(path)
    try:
        expected_source = path.parent.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        expected_source = reference.source
    if reference.source != expected_source:
        line = front.value_position_of(("source",)).line
        message = f"source '{reference.source}' does not match the file's folder '{expected_source}': move the file or correct source"
        raise ConfigError(shown, line, message)
    if reference.version != path.stem:
        line = front.value_position_of(("version",)).line
        message = f"version '{reference.version}' does not match the file name '{path.name}': name the file '{reference.version}.md'"
        raise ConfigError(shown, line, message)
    if reference.version != UNDATED and reference.date is None:
        raise ConfigError(shown, front.value_position_of(("version",)).line, f"version '{reference.version}' is not a real date")
    first = parse_iso(reference.first_published)
    if first is not None and reference.date is not None and first.first_day() > reference.date.last_day():
        line = front.value_position_of(("first_published",)).line
        raise ConfigError(shown, line, f"first_published {reference.first_published} is after the version date {reference.version}")


def _check_items(reference: Reference, front: FrontMatter, document: Document) -> None:
    shown = str(reference.path)
    seen: set[str] = set()
    for index, item in enumerate(reference.items):
        if item.id in seen:
            line = front.value_position_of(("items", index, "id")).line
            raise ConfigError(shown, line, f"item id '{item.id}' is used twice: give each item its own id")
        seen.add(item.id)
    section = next((s for s in document.all_sections() if s.title == reference.items_section), None)
    if section is None:
        line = front.value_position_of(("items_section",)).line
        raise ConfigError(shown, line, f"the body has no heading '{reference.items_section}' (items_section): transcribe that section")
    body = [" ".join(li.text.split()) for li in section.list_items if li.depth == 1]
    for index, item in enumerate(reference.items):
        text = " ".join(item.text.split())
        if index >= len(body) or body[index] != text:
            where = f"list item {index + 1} of '{reference.items_section}'"
            raise ConfigError(shown, item.line, f"item '{item.id}' is not word for word {where} in the body: make them the same")
    if len(body) > len(reference.items):
        counted = f"'{reference.items_section}' has {len(body)} list items but items lists {len(reference.items)}"
        raise ConfigError(shown, section.line, f"{counted}: list every one")


class Library:
    """A project's national texts, the bundled ones beneath the repository's ``references/``, read on first use.

    Runs that never compare a section with a national text never read one.
    """

    def __init__(self, root: Path, bundled: bool = True) -> None:
        self.root = root
        self.bundled = bundled
        self._loaded: References | None = None

    def get(self) -> References:
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded

    def _load(self) -> References:
        from pcso_policy.resources import references_dir

        own_folder = self.root / FOLDER
        bundled_folder = references_dir()
        own = load(own_folder)
        if not self.bundled:
            return own
        if _same_folder(own_folder, bundled_folder):
            return load(bundled_folder, bundled=True)
        return layered(load(bundled_folder, bundled=True), own)

    def inputs(self) -> list[Path]:
        """Every file the texts are read from, for the cache's salt."""
        from pcso_policy.resources import references_dir

        folders = [self.root / FOLDER, *([references_dir()] if self.bundled else [])]
        return sorted({path for folder in folders if folder.is_dir() for path in folder.rglob("*.md")})


def _same_folder(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return False

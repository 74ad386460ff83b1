"""``pcso-policy publish``: the gate between an approved policy and its published Word document.

A policy is published only when it is ``approved``, lints without errors
(judged on ``--as-of``), names its version and classification, and renders.
Each DOCX is written atomically, then read back from disk and checked (title,
language, marking in every header and footer, page numbers, every heading of
the source at its level, no gaps between heading levels): the published
artefact is checked, not only its source. ``manifest.json`` in the output
folder records each published version with the SHA-256 of its source and of
its DOCX. A published version is immutable: the same id and version with
different content is refused.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

from pcso_policy import files
from pcso_policy.atomic import write_atomic
from pcso_policy.commands import EXIT_ERRORS, EXIT_OK, configured_paths, load_catalogue, load_config, rule_selection
from pcso_policy.diagnostics import Diagnostic, Severity
from pcso_policy.engine import Engine
from pcso_policy.errors import UsageError
from pcso_policy.locking import folder_lock
from pcso_policy.model import Document
from pcso_policy.parsing import ParseResult, markdown_parser
from pcso_policy.render import ParsedPolicy, RenderError, Rendered, parse_policy, render_document
from pcso_policy.render.readback import problems, read_back

MANIFEST = "manifest.json"
LOCK_WAIT_SECONDS = 30.0
"""How long a run waits for another one publishing to the same folder before giving up."""
MANIFEST_VERSION = 1
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class PublishSettings:
    """Everything ``pcso-policy publish`` was asked to do."""

    out: Path
    paths: tuple[str, ...] = ()
    as_of: datetime.date | None = None
    template: Path | None = None
    config_file: Path | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One published version, as the manifest records it."""

    id: str
    version: str
    title: str
    source: str
    """The source file, relative to the project root."""
    source_sha256: str
    docx: str
    """The DOCX file name inside the output folder."""
    docx_sha256: str
    linted_as_of: str


class Manifest:
    """The output folder's record of published versions, keyed by (id, version)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[tuple[str, str], Entry] = {}
        self._texts: dict[tuple[str, str], str] = {}
        """Each entry as it appears in the file, so that recording one more does not serialise them all again."""
        if path.exists():
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            for item in data["published"]:
                entry = Entry(**item)
                self.entries[(entry.id, entry.version)] = entry
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise UsageError(f"{self.path}: the manifest cannot be read ({error}): restore it from where published files are kept") from None

    def get(self, policy_id: str, version: str) -> Entry | None:
        return self.entries.get((policy_id, version))

    def add(self, entry: Entry) -> None:
        key = (entry.id, entry.version)
        self.entries[key] = entry
        self._texts[key] = _entry_text(entry)
        write_atomic(self.path, self.text())

    def text(self) -> str:
        """The manifest file: what ``json.dumps(..., indent=2, ensure_ascii=False)`` writes for it, and a final newline."""
        for key, entry in self.entries.items():
            if key not in self._texts:
                self._texts[key] = _entry_text(entry)
        published = ",\n".join(self._texts[key] for key in sorted(self.entries))
        items = f"[\n{published}\n  ]" if published else "[]"
        return f'{{\n  "manifest_version": {MANIFEST_VERSION},\n  "published": {items}\n}}\n'


def _entry_text(entry: Entry) -> str:
    """One entry as it stands in the manifest's ``published`` list (two levels of indentation in)."""
    lines = json.dumps(asdict(entry), indent=2, ensure_ascii=False).split("\n")
    return "\n".join("    " + line for line in lines)


def _remove_interrupted_writes(folder: Path) -> None:
    """Temporary files of a run that was killed mid-write (the lock says no run is writing now)."""
    for leftover in folder.glob(".*.tmp"):
        if leftover.name.startswith((f".{MANIFEST}.", ".")) and leftover.is_file():
            leftover.unlink(missing_ok=True)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def publish(settings: PublishSettings, out: TextIO) -> int:
    config = load_config(settings.config_file)
    registry, checks = load_catalogue(config)
    selection = rule_selection(registry, config)
    targets = settings.paths or configured_paths(config.root, config.paths, Path.cwd())
    paths = files.collect(targets, config.exclude, config.root)
    as_of = settings.as_of or datetime.date.today()
    kept = _Kept()
    engine = Engine(
        registry, checks, selection, as_of, root=config.root, max_file_size=config.max_file_size,
        markdown=markdown_parser(inline=True), on_parsed=kept.add,
    )
    errors: dict[str, list[Diagnostic]] = {}
    for diagnostic in engine.lint_files(paths).diagnostics:
        if diagnostic.severity is Severity.ERROR:
            errors.setdefault(diagnostic.path, []).append(diagnostic)
    if settings.out.exists() and not settings.out.is_dir():
        raise UsageError(f"--out '{settings.out}' is a file: give a folder for the published documents")
    settings.out.mkdir(parents=True, exist_ok=True)
    refused = 0
    with folder_lock(settings.out, LOCK_WAIT_SECONDS, out):
        _remove_interrupted_writes(settings.out)
        gate = _Gate(settings, Manifest(settings.out / MANIFEST), config.root.resolve(), as_of)
        for path in paths:
            reasons = gate.publish(path, errors.get(path, []), out, kept.pop(path))
            if reasons:
                refused += 1
                out.write(f"refused {path}:\n" + "".join(f"  {reason}\n" for reason in reasons))
    out.write(f"Published {len(paths) - refused} of {len(paths)} {'policy' if len(paths) == 1 else 'policies'}, refused {refused}.\n")
    return EXIT_ERRORS if refused else EXIT_OK


@dataclass
class _Gate:
    settings: PublishSettings
    manifest: Manifest
    root: Path
    """The project root, resolved."""
    as_of: datetime.date

    def publish(self, path: str, errors: list[Diagnostic], out: TextIO, kept: tuple[bytes, ParsedPolicy] | None) -> list[str]:
        """Publish one policy, from what the lint gate parsed when it was kept; return why it was refused."""
        try:
            data, parsed = kept if kept is not None else _read_and_parse(path)
        except (OSError, RenderError) as error:
            return [str(error) if isinstance(error, RenderError) else f"{path}: cannot read: {error}"]
        reasons = _source_reasons(parsed.document, errors)
        if reasons:
            return reasons
        try:
            rendered = render_document(parsed.document, self.settings.template, parsed.tokens)
        except RenderError as error:
            return [f"{error}"]
        frame = rendered.frame
        version = frame.version or ""
        entry = Entry(
            id=frame.id,
            version=version,
            title=frame.title,
            source=_relative(path, self.root),
            source_sha256=sha256(data),
            docx=f"{_UNSAFE.sub('-', frame.id)}-{_UNSAFE.sub('-', version)}.docx",
            docx_sha256=sha256(rendered.data),
            linted_as_of=self.as_of.isoformat(),
        )
        target = self.settings.out / entry.docx
        earlier = self.manifest.get(entry.id, entry.version)
        if earlier is not None:
            return self._republish(path, entry, earlier, target, rendered, out)
        if target.exists():
            if sha256(target.read_bytes()) == entry.docx_sha256:
                # A run killed between writing the document and recording it left exactly this file:
                # rendering is reproducible, so checking and recording it completes that run.
                return self._record(path, entry, target, rendered, out)
            return [f"{path}: {target} exists but the manifest does not record it: move it away, publishing never overwrites a file it did not record"]
        return self._write(path, entry, target, rendered, out)

    def _republish(self, path: str, entry: Entry, earlier: Entry, target: Path, rendered: Rendered, out: TextIO) -> list[str]:
        if (earlier.source_sha256, earlier.docx_sha256) != (entry.source_sha256, entry.docx_sha256):
            changed = "source" if earlier.source_sha256 != entry.source_sha256 else "document (template or tool changed)"
            return [
                f"{path}: {entry.id} version {entry.version} is already published from a different {changed} "
                f"(sha256 {earlier.docx_sha256[:12]}...): a published version never changes; bump 'version' in the front matter"
            ]
        if target.exists() and sha256(target.read_bytes()) == entry.docx_sha256:
            out.write(f"unchanged {path} -> {target} (already published)\n")
            return []
        return self._write(path, entry, target, rendered, out)

    def _write(self, path: str, entry: Entry, target: Path, rendered: Rendered, out: TextIO) -> list[str]:
        """Write the DOCX, then check the file on disk; one that fails is removed (no earlier file had its name)."""
        write_atomic(target, rendered.data)
        return self._record(path, entry, target, rendered, out)

    def _record(self, path: str, entry: Entry, target: Path, rendered: Rendered, out: TextIO) -> list[str]:
        """Check the document on disk and record it in the manifest; one that fails its check is removed."""
        written = target.read_bytes()
        reasons = [] if sha256(written) == entry.docx_sha256 else [f"{target}: the file on disk differs from what was written"]
        reasons = reasons or _document_reasons(str(target), rendered, written)
        if reasons:
            os.unlink(target)
            return reasons
        self.manifest.add(entry)
        out.write(f"published {path} -> {target} ({entry.id} version {entry.version}, sha256 {entry.docx_sha256[:12]}...)\n")
        return []


class _Kept:
    """What the lint gate parsed (with inline markup, as the renderer reads it), kept for rendering.

    The bytes published are then exactly the bytes linted, and each policy is
    parsed once. Parsed documents are large, so only the first
    :data:`KEPT_FOR_RENDERING` are kept; the others are read and parsed again.
    """

    def __init__(self) -> None:
        self._kept: dict[str, tuple[bytes, ParsedPolicy]] = {}

    def add(self, path: str, data: bytes, parsed: ParseResult) -> None:
        if parsed.document is not None and len(self._kept) < KEPT_FOR_RENDERING:
            self._kept[path] = (data, ParsedPolicy(parsed.document, parsed.tokens))

    def pop(self, path: str) -> tuple[bytes, ParsedPolicy] | None:
        return self._kept.pop(path, None)


KEPT_FOR_RENDERING = 200
"""About 130 KB each (the model and its tokens): enough for most repositories in one run, bounded for any."""


def _read_and_parse(path: str) -> tuple[bytes, ParsedPolicy]:
    data = Path(path).read_bytes()
    return data, parse_policy(path, data)


def _source_reasons(document: Document, errors: list[Diagnostic]) -> list[str]:
    """Why a policy's source may not be published: not approved, lint errors, no version or classification."""
    path = document.path
    reasons: list[str] = []
    meta = document.meta
    front = document.front_matter
    status = meta.get("status")
    if status != "approved":
        where = front.value_position_of(("status",)) if front is not None else None
        place = f"{path}:{where.line}:{where.column}" if where else f"{path}:1:1"
        reasons.append(f"{place}: status is {status!r}, not 'approved': only approved policies are published")
    for diagnostic in errors:
        reasons.append(f"{path}:{diagnostic.line}:{diagnostic.column}: error {diagnostic.rule} {diagnostic.message}")
    for key, why in (
        ("version", "a published document is identified by its id and version; add version: \"1.0\""),
        ("classification", "the published header and footer carry it; add classification: OFFICIAL (or the right marking)"),
    ):
        value: Any = meta.get(key)
        if not isinstance(value, str) or not value.strip():
            line = front.end_line if front is not None else 1
            reasons.append(f"{path}:{line}:1: front matter has no '{key}' text: {why}")
    return reasons


def _document_reasons(path: str, rendered: Rendered, data: bytes) -> list[str]:
    try:
        readback = read_back(data)
    except ValueError as error:
        return [f"{path}: the rendered document {error}"]
    frame = rendered.frame
    found = problems(readback, frame.title, frame.marking, frame.draft, rendered.headings)
    return [f"{path}: rendered document check failed: {problem}" for problem in found]


def _relative(path: str, root: Path) -> str:
    """``path`` relative to ``root`` (already resolved), or as given when it lies outside."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()

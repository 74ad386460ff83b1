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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pcso_policy.atomic import write_atomic
from pcso_policy.diagnostics import Diagnostic
from pcso_policy.errors import UsageError
from pcso_policy.model import Document
from pcso_policy.project import Policy
from pcso_policy.render import Rendered, RenderError, render_document
from pcso_policy.render.readback import problems, read_back
from pcso_policy.sanitise import json_text

MANIFEST = "manifest.json"
LOCK_WAIT_SECONDS = 30.0
"""How long a run waits for another one publishing to the same folder before giving up."""
MANIFEST_VERSION = 1
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


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
            message = f"{self.path}: the manifest cannot be read ({error}): restore it from where published files are kept"
            raise UsageError(message) from None

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
    lines = json_text(json.dumps(asdict(entry), indent=2, ensure_ascii=False)).split("\n")
    return "\n".join("    " + line for line in lines)


_OWN_TEMPORARY = re.compile(rf"\.(?:{re.escape(MANIFEST)}|[A-Za-z0-9._-]+\.docx)\.[a-z0-9_]{{8}}\.tmp")
"""The temporary files a run writes into the output folder: :func:`~pcso_policy.atomic.write_atomic`'s
``.NAME.XXXXXXXX.tmp`` (``tempfile.mkstemp``'s eight random characters) for the manifest and for the
documents it names (``ID-VERSION.docx``, in the characters :data:`_UNSAFE` leaves)."""


def remove_interrupted_writes(folder: Path) -> None:
    """Temporary files of a run that was killed mid-write (the lock says no run is writing now): only those
    this tool writes; anyone else's file in the folder, temporary or not, is left alone."""
    for leftover in folder.glob(".*.tmp"):
        if _OWN_TEMPORARY.fullmatch(leftover.name) and leftover.is_file() and not leftover.is_symlink():
            leftover.unlink(missing_ok=True)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(slots=True)
class Candidate:
    """What publishing one policy needs, taken from its one read and parse: the rendered document,
    or why it cannot be published whatever lint finds."""

    path: str
    source_sha256: str = ""
    before_lint: list[str] = field(default_factory=list)
    """Reasons listed before the lint errors (not approved)."""
    after_lint: list[str] = field(default_factory=list)
    """Reasons listed after them (no version or classification)."""
    unreadable: str | None = None
    """The reason that stands alone: the file cannot be read as a policy."""
    rendered: Rendered | None = None
    render_error: str | None = None
    """Why a source that may be published did not render."""

    def reasons(self, errors: list[Diagnostic]) -> list[str]:
        if self.unreadable is not None:
            return [self.unreadable]
        path = self.path
        lint = [f"{path}:{d.line}:{d.column}: error {d.rule} {d.message}" for d in errors]
        reasons = [*self.before_lint, *lint, *self.after_lint]
        if not reasons and self.render_error is not None:
            return [self.render_error]
        return reasons


def prepare(policy: Policy, template: Path | None) -> Candidate:
    """A candidate from a policy's one read and parse (with inline tokens); rendered only when its source allows."""
    path, data, parsed = policy.path, policy.data, policy.parsed
    candidate = Candidate(path)
    if data is None or parsed is None or parsed.document is None:
        finding = policy.problem()
        candidate.unreadable = str(RenderError(path, finding.line, finding.message))
        return candidate
    document = parsed.document
    candidate.source_sha256 = sha256(data)
    candidate.before_lint, candidate.after_lint = _source_reasons(document)
    if candidate.before_lint or candidate.after_lint:
        return candidate
    try:
        candidate.rendered = render_document(document, template, parsed.tokens)
    except RenderError as error:
        candidate.render_error = str(error)
    return candidate


@dataclass
class Gate:
    out: Path
    manifest: Manifest
    root: Path
    """The project root, resolved."""
    as_of: datetime.date

    def publish(self, candidate: Candidate, errors: list[Diagnostic], out: TextIO) -> list[str]:
        """Publish one prepared policy unless lint found errors; return why it was refused."""
        path = candidate.path
        reasons = candidate.reasons(errors)
        if reasons:
            return reasons
        rendered = candidate.rendered
        assert rendered is not None
        frame = rendered.frame
        version = frame.version or ""
        entry = Entry(
            id=frame.id,
            version=version,
            title=frame.title,
            source=_relative(path, self.root),
            source_sha256=candidate.source_sha256,
            docx=f"{_UNSAFE.sub('-', frame.id)}-{_UNSAFE.sub('-', version)}.docx",
            docx_sha256=sha256(rendered.data),
            linted_as_of=self.as_of.isoformat(),
        )
        target = self.out / entry.docx
        earlier = self.manifest.get(entry.id, entry.version)
        if earlier is not None:
            return self._republish(path, entry, earlier, target, rendered, out)
        if target.exists():
            if sha256(target.read_bytes()) == entry.docx_sha256:
                # A run killed between writing the document and recording it left exactly this file:
                # rendering is reproducible, so checking and recording it completes that run.
                return self._record(path, entry, target, rendered, out)
            return [
                f"{path}: {target} exists but the manifest does not record it: "
                "move it away, publishing never overwrites a file it did not record"
            ]
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


def _source_reasons(document: Document) -> tuple[list[str], list[str]]:
    """Why a policy's source may not be published whatever lint finds: not approved (listed before
    lint errors), no version or classification (listed after them)."""
    path = document.path
    meta = document.meta
    front = document.front_matter
    status = meta.get("status")
    before: list[str] = []
    if status != "approved":
        where = front.value_position_of(("status",)) if front is not None else None
        place = f"{path}:{where.line}:{where.column}" if where else f"{path}:1:1"
        before.append(f"{place}: status is {status!r}, not 'approved': only approved policies are published")
    after: list[str] = []
    for key, why in (
        ("version", "a published document is identified by its id and version; add version: \"1.0\""),
        ("classification", "the published header and footer carry it; add classification: OFFICIAL (or the right marking)"),
    ):
        value: Any = meta.get(key)
        if not isinstance(value, str) or not value.strip():
            line = front.end_line if front is not None else 1
            after.append(f"{path}:{line}:1: front matter has no '{key}' text: {why}")
    return before, after


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

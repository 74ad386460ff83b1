"""``--changed-since REF``: lint what a change touched, and what depends on it.

A policy file is linted when it differs from ``REF`` (added, modified,
renamed, or not yet tracked), when a policy it cites in ``references`` was
changed, renamed or deleted, or when a national reference text it declares in
``aligns_with`` changed. A change to the configuration or to ``checks/``
changes what every policy must satisfy, so then every policy is linted.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcso_policy import reading
from pcso_policy.config import Config
from pcso_policy.errors import UsageError
from pcso_policy.parsing import read_metadata
from pcso_policy.references import FOLDER as REFERENCES


@dataclass(frozen=True, slots=True)
class ChangeSet:
    ref: str
    top: Path
    current: frozenset[Path]
    """Files as they are now that differ from the ref (absolute, resolved)."""
    previous: tuple[str, ...]
    """Paths (relative to ``top``) at the ref of files since deleted or renamed away."""


def read_changes(root: Path, ref: str) -> ChangeSet:
    top_text = _git(root, "rev-parse", "--show-toplevel", failure=f"'{root}' is not inside a git repository: --changed-since needs one")
    top = Path(top_text.strip()).resolve()
    _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", failure=f"unknown git ref '{ref}': give a branch, tag or commit")
    current: set[Path] = set()
    previous: list[str] = []
    fields = _git(top, "diff", "--name-status", "-z", "--find-renames", ref, "--").split("\0")
    index = 0
    while index < len(fields) - 1:
        status = fields[index]
        if status.startswith(("R", "C")):
            if status.startswith("R"):
                previous.append(fields[index + 1])
            current.add((top / fields[index + 2]).resolve())
            index += 3
            continue
        if status.startswith("D"):
            previous.append(fields[index + 1])
        else:
            current.add((top / fields[index + 1]).resolve())
        index += 2
    for name in _git(top, "ls-files", "--others", "--exclude-standard", "-z").split("\0"):
        if name:
            current.add((top / name).resolve())
    return ChangeSet(ref, top, frozenset(current), tuple(previous))


class Reads:
    """The bytes of the policy files read to decide what to lint, kept so that lint does not read them again."""

    def __init__(self, paths: list[str], limit: int, root: Path) -> None:
        self.limit = limit
        self.root = root
        self.given = {os.path.realpath(path): path for path in paths}
        self.kept: dict[str, bytes] = {}
        """Bytes by path as given, of the files selected for linting."""

    def read(self, path: str | Path) -> bytes | None:
        """A policy's bytes (kept when it is one of the paths to lint), or None when they cannot be read."""
        from pcso_policy.engine import read_policy

        given = self.given.get(os.path.realpath(path))
        if given is not None and given in self.kept:
            return self.kept[given]
        data = read_policy(str(path), self.limit, self.root)
        if not isinstance(data, bytes):
            return None
        if given is not None:
            self.kept[given] = data
        return data


def select_changed(paths: list[str], ref: str, config: Config) -> tuple[list[str], dict[str, bytes]]:
    """The subset of ``paths`` (policy files) that the change since ``ref`` may affect, and the bytes
    of those of them read to decide it (hand them to the engine: no file is read twice)."""
    changes = read_changes(config.root, ref)
    if _rules_changed(changes, config):
        return paths, {}
    reads = Reads(paths, config.max_file_size, reading.boundary(config.root))
    changed_ids = _changed_policy_ids(changes, reads)
    changed_sources = _changed_reference_sources(changes, config.root.resolve() / REFERENCES)
    selected: list[str] = []
    for path in paths:
        if Path(path).resolve() in changes.current or _depends_on(path, changed_ids, changed_sources, reads):
            selected.append(path)
    return selected, {path: reads.kept[path] for path in selected if path in reads.kept}


def _rules_changed(changes: ChangeSet, config: Config) -> bool:
    checks = (config.root / config.checks).resolve()
    source = config.source.resolve() if config.source else None
    return any(path == source or path.is_relative_to(checks) for path in changes.current) or any(
        (changes.top / old).resolve().is_relative_to(checks) for old in changes.previous
    )


def _changed_policy_ids(changes: ChangeSet, reads: Reads) -> set[str]:
    ids: set[str] = set()
    for path in changes.current:
        if path.suffix.lower() in (".md", ".markdown") and path.is_file():
            data = reads.read(path)
            ids.add(_id(read_metadata(data)) if data is not None else "")
    for old in changes.previous:
        if old.lower().endswith((".md", ".markdown")):
            shown = subprocess.run(["git", "show", f"{changes.ref}:{old}"], cwd=changes.top, capture_output=True, check=False)
            ids.add(_id(read_metadata(shown.stdout)))
    ids.discard("")
    return ids


def _changed_reference_sources(changes: ChangeSet, references: Path) -> set[str]:
    sources: set[str] = set()
    candidates = [*changes.current, *((changes.top / old).resolve() for old in changes.previous)]
    for path in candidates:
        if path.is_relative_to(references):
            parts = path.relative_to(references).parts
            sources.add("/".join(parts[:-1]))
    return sources


def _depends_on(path: str, changed_ids: set[str], changed_sources: set[str], reads: Reads) -> bool:
    if not changed_ids and not changed_sources:
        return False
    data = reads.read(path)
    if data is None:
        return True  # linting it reports why it cannot be read
    meta = read_metadata(data)
    cited = meta.get("references")
    if isinstance(cited, list) and changed_ids.intersection(str(item) for item in cited):
        return True
    aligned = meta.get("aligns_with")
    if isinstance(aligned, list):
        return any(isinstance(item, dict) and str(item.get("source")) in changed_sources for item in aligned)
    return False


def _id(meta: dict[str, Any]) -> str:
    value = meta.get("id")
    return str(value) if value is not None else ""


def _git(folder: Path, *args: str, failure: str = "") -> str:
    try:
        completed = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed: --changed-since needs it") from None
    if completed.returncode != 0:
        detail = completed.stderr.strip().splitlines()
        raise UsageError(failure or f"git {args[0]} failed: {detail[-1] if detail else completed.returncode}")
    return completed.stdout

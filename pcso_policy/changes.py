"""``--changed-since REF``: lint what a change touched, and what depends on it.

A policy file is linted when it differs from ``REF`` (added, modified,
renamed, or not yet tracked), when a policy it cites in ``references`` was
changed, renamed or deleted, when its id is the id of such a policy (so a
copy that duplicates an unchanged policy's id meets that policy in
``references/duplicate-id``), or when a national reference text it declares
in ``aligns_with`` changed. A change to the configuration or to ``checks/``
changes what every policy must satisfy, so then every policy is linted.

Git runs as :mod:`pcso_policy.git` runs it: in the top folder of the
repository the project lives in, with nothing a configuration names run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcso_policy import git
from pcso_policy.config import Config
from pcso_policy.engine import read_policy
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
    modified: tuple[str, ...] = ()
    """Paths (relative to ``top``) of files changed in place: their version at the ref may have had another id."""


def read_changes(root: Path, ref: str) -> ChangeSet:
    """What differs from ``ref`` in the repository the project at ``root`` lives in (see :mod:`pcso_policy.git`:
    its top folder is found here, never taken from a folder a pull request could have made look like one)."""
    found = git.work_tree_top(root)
    if found is None:
        raise UsageError(f"'{root}' is not inside a git repository: --changed-since needs one")
    top_text = _git(found, "rev-parse", "--show-toplevel", failure=f"git cannot use the repository at '{found}'")
    top = Path(top_text.strip()).resolve()
    if top != found.resolve():
        raise UsageError(
            f"git takes '{top}', not '{found}' (which holds .git), for the top of the repository: "
            "--changed-since needs the repository the project lives in"
        )
    unknown = f"unknown git ref '{ref}': give a branch, tag or commit"
    if ref.startswith("-"):
        raise UsageError(unknown)  # never an option to git
    _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", failure=unknown, detail=False)
    current: set[Path] = set()
    previous: list[str] = []
    modified: list[str] = []
    fields = _git(top, "diff", "--name-status", "-z", "--find-renames", "--no-ext-diff", "--no-textconv", ref, "--").split("\0")
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
            if status.startswith(("M", "T")):
                modified.append(fields[index + 1])
            current.add((top / fields[index + 1]).resolve())
        index += 2
    for name in _git(top, "ls-files", "--others", "--exclude-standard", "-z").split("\0"):
        if name:
            current.add((top / name).resolve())
    return ChangeSet(ref, top, frozenset(current), tuple(previous), tuple(modified))


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
        given = self.given.get(os.path.realpath(path))
        if given is not None and given in self.kept:
            return self.kept[given]
        data = read_policy(str(path), self.limit, self.root)
        if not isinstance(data, bytes):
            return None
        if given is not None:
            self.kept[given] = data
        return data


def select_changed(paths: list[str], ref: str, config: Config, boundary: Path) -> tuple[list[str], dict[str, bytes]]:
    """The subset of ``paths`` (policy files) that the change since ``ref`` may affect, and the bytes
    of those of them read to decide it (hand them to the engine: no file is read twice), read within
    ``boundary`` as the engine reads."""
    changes = read_changes(config.root, ref)
    if _rules_changed(changes, config):
        return paths, {}
    reads = Reads(paths, config.max_file_size, boundary)
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
    """The ids of the policies changed, renamed or deleted, as they are and as they were at the ref."""
    ids: set[str] = set()
    for path in changes.current:
        if path.suffix.lower() in (".md", ".markdown") and path.is_file():
            data = reads.read(path)
            ids.add(_id(read_metadata(data)) if data is not None else "")
    old = [name for name in (*changes.previous, *changes.modified) if name.lower().endswith((".md", ".markdown"))]
    ids.update(_id(read_metadata(data)) for data in _at_ref(changes, old))
    ids.discard("")
    return ids


def _at_ref(changes: ChangeSet, names: list[str]) -> list[bytes]:
    """The contents at the ref of the files ``names`` (relative to the top), read by one git process."""
    if not names:
        return []
    request = "".join(f"{changes.ref}:{name}\n" for name in names if "\n" not in name).encode("utf-8", "surrogateescape")
    completed = git.run(changes.top, "cat-file", "--batch", stdin=request)
    found: list[bytes] = []
    stream, position = completed.stdout, 0
    while position < len(stream):
        end = stream.find(b"\n", position)
        if end < 0:
            break
        header = stream[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob" and header[2].isdigit():
            size = int(header[2])
            found.append(stream[position : position + size])
            position += size + 1
    return found


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
    if _id(meta) in changed_ids:
        return True  # it shares its id with a changed policy: references/duplicate-id must see both
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


def _git(folder: Path, *args: str, failure: str = "", detail: bool = True) -> str:
    """The output of a git command run as :mod:`pcso_policy.git` runs every one; a usage error saying
    ``failure`` (and, with ``detail``, git's own last line) when it fails."""
    try:
        return git.output(folder, *args)
    except git.GitError as error:
        if error.missing:
            raise UsageError("git is not installed: --changed-since needs it") from None
        message = failure or f"git {args[0]} failed"
        raise UsageError(f"{message}: {error.detail}" if detail else message) from None

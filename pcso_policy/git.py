"""The one way the tool runs git, and how it finds the repository a project lives in.

A pull request controls every file of a checkout, so git is run defensively:

- in the top folder of the repository the project lives in, found here (the
  nearest folder above the project holding ``.git``, a folder or a file).
  A ``.git`` inside another repository's tracked content (a fake repository a
  pull request brings in, with its own ``config``) is passed over for the
  repository around it; a folder that merely looks like a bare repository
  (``HEAD``, ``objects/``, ``refs/``, ``config`` committed as ordinary files)
  is never one, because git is always started in the top folder, where
  ``.git`` is found first, and with ``safe.bareRepository=explicit``;
- with ``core.fsmonitor`` off and ``core.hooksPath`` pointing at nothing, so
  no configured command runs; no pager, no prompt, no optional lock taken;
  ``--no-ext-diff --no-textconv`` where a command compares contents;
- with the environment otherwise as it is: the system and global
  configuration are the machine's and its user's (``safe.directory`` lives
  there), not the pull request's, so ``GIT_CONFIG_NOSYSTEM`` is not set.
  ``GIT_DIR`` and ``GIT_WORK_TREE`` are dropped: the repository is the one
  the project lives in, whatever a calling hook exported.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

SAFE_OPTIONS = (
    "--no-pager",
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.pager=cat",
    "-c", "safe.bareRepository=explicit",
)
"""Options before every git command (command-line configuration wins over every configuration file)."""

_DROPPED = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_NAMESPACE")


class GitError(Exception):
    """Git could not answer; ``detail`` is its last line of error output (or why it could not run)."""

    def __init__(self, detail: str, missing: bool = False) -> None:
        self.detail = detail
        self.missing = missing
        super().__init__(detail)


def run(folder: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """``git ARGS`` in ``folder`` as described above (given ``stdin``, else none): the completed
    process, whatever its exit status (:class:`GitError`, with ``missing``, when git is not installed)."""
    import subprocess

    environment = {name: value for name, value in os.environ.items() if name not in _DROPPED}
    environment.update(GIT_PAGER="cat", PAGER="cat", GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0")
    try:
        command = ["git", *SAFE_OPTIONS, *args]
        given = stdin if stdin is not None else b""  # never the terminal's: git must not wait on it
        return subprocess.run(command, cwd=folder, env=environment, input=given, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed", missing=True) from None
    except OSError as error:
        raise GitError(f"git could not run: {error.strerror or error}") from None


def output(folder: Path, *args: str) -> str:
    """The standard output of a git command that must succeed (file names as the file system writes
    them); :class:`GitError` with git's last line of error output otherwise."""
    completed = run(folder, *args)
    if completed.returncode != 0:
        lines = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(lines[-1] if lines else f"git {args[0]} exited with status {completed.returncode}")
    return os.fsdecode(completed.stdout)


def holders(start: Path) -> list[Path]:
    """The folders from ``start`` upwards that hold ``.git`` (a folder or a file), nearest first; the
    search stops below the folders ``GIT_CEILING_DIRECTORIES`` names, as git's does."""
    start = Path(os.path.abspath(start))
    ceilings = {Path(os.path.abspath(entry)) for entry in os.environ.get("GIT_CEILING_DIRECTORIES", "").split(os.pathsep) if entry}
    found: list[Path] = []
    for folder in (start, *start.parents):
        if folder != start and folder in ceilings:
            break
        if os.path.lexists(folder / ".git"):
            found.append(folder)
    return found


def work_tree_top(start: Path) -> Path | None:
    """The top folder of the git work tree ``start`` lies in, or None outside any repository.

    It is the nearest folder holding ``.git``, unless that folder is part of the tracked content of
    a repository around it (a ``.git`` no clone would create: a checkout's files never include one),
    in which case the repository around it is the project's. A submodule (tracked as a link to
    another repository) and an independent repository inside an untracked folder are repositories
    of their own, as git sees them.
    """
    found = holders(start)
    for index, nearest in enumerate(found):
        outer = found[index + 1] if index + 1 < len(found) else None
        if outer is None or not _tracked_content_of(outer, nearest):
            return nearest
    return None


def _tracked_content_of(outer: Path, folder: Path) -> bool:
    """Whether the repository at ``outer`` tracks files inside ``folder`` (a submodule's link is not content)."""
    relative = folder.relative_to(outer).as_posix()
    try:
        completed = run(outer, "ls-files", "--stage", "-z", "--", f":(literal){relative}")
    except GitError:
        return False
    if completed.returncode != 0:
        return False
    entries = [entry for entry in os.fsdecode(completed.stdout).split("\0") if entry]
    return any(entry.split("\t", 1)[-1] != relative or not entry.startswith("160000 ") for entry in entries)


def tracked(top: Path, path: Path) -> bool:
    """Whether the repository whose work tree is ``top`` tracks ``path`` or anything beneath it.

    :class:`GitError` when git cannot tell."""
    relative = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(top))).as_posix()
    return bool(output(top, "ls-files", "-z", "--", f":(literal){relative}").strip("\0"))

"""Finding the policy files a run lints, keeping each path as the user gave it."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path

from pcso_policy.errors import UsageError

SUFFIXES = (".md", ".markdown")


def collect(targets: Iterable[str], exclude: Iterable[str], root: Path) -> list[str]:
    """Every policy file under ``targets``, sorted, each path relative as given.

    A file named explicitly is always linted; folders are searched for
    Markdown files, leaving out hidden folders and ``exclude`` globs (matched
    against the path relative to ``root``). Symbolic links to folders are not
    followed, so a link loop cannot trap the walk.
    """
    patterns = tuple(exclude)
    found: list[str] = []
    for target in targets:
        path = Path(target)
        if path.is_file():
            found.append(target)
        elif path.is_dir():
            in_folder = _walk(target, patterns, root)
            if not in_folder:
                raise UsageError(f"no Markdown policy files (*.md) found under '{target}'")
            found.extend(in_folder)
        elif path.exists() or path.is_symlink():
            raise UsageError(f"'{target}' is neither a file nor a folder")
        else:
            raise UsageError(f"path '{target}' does not exist")
    return sorted(dict.fromkeys(found))


def _walk(folder: str, patterns: tuple[str, ...], root: Path) -> list[str]:
    found: list[str] = []
    for current, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.lower().endswith(SUFFIXES):
                continue
            path = os.path.join(current, name)
            if not _excluded(path, patterns, root):
                found.append(path)
    return found


def _excluded(path: str, patterns: tuple[str, ...], root: Path) -> bool:
    if not patterns:
        return False
    try:
        relative = Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = Path(path).as_posix()
    return any(fnmatch.fnmatch(relative, pattern) for pattern in patterns)

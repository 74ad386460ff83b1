"""The one way the tool reads a file a repository supplies: policies, check files, national texts, configuration.

A pull request controls every file of a checkout, symbolic links included.
So a file is read only when:

- it is a regular file (a device such as ``/dev/zero``, a named pipe or a
  socket is refused: reading one never ends, or blocks);
- a path inside the project (as written) stays inside it once its links are
  resolved: a policy that is a link to ``../.git/config``, a credentials file
  or ``/etc/shadow`` is refused, never read or quoted. A file the user names
  outside the project is theirs to name, and is read where it is;
- it is no larger than the limit: at most ``limit + 1`` bytes are read.

The file is opened at its resolved path without following a final link and
without blocking, and checked with ``fstat`` on the open descriptor, so it
cannot be swapped for a link or a pipe between the check and the read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class Refused(Exception):
    """Why a file was not read, in words for a message: ``cannot read file: <reason>``."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class TooLarge(Exception):
    """The file holds more than the limit; nothing of it is returned."""


def inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (both taken as they are: resolve them first if need be)."""
    try:
        return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == os.path.abspath(folder)
    except ValueError:  # different drives
        return False


def boundary(root: Path) -> Path:
    """What counts as inside the project: the top of the git work tree ``root`` lies in (the nearest
    folder holding ``.git``, as :func:`pcso_policy.git.holders` finds it), else ``root`` itself. A fake
    ``.git`` a pull request commits further down can only narrow it."""
    from pcso_policy.git import holders  # no git is run: the search reads the file system

    found = holders(root)
    return found[0] if found else root


def contained(path: Path, folder: Path) -> bool:
    """Whether ``path`` lies inside ``folder`` both as written and once links are resolved."""
    return inside(path, folder) and inside(path.resolve(), folder.resolve())


def read_bytes(path: str | os.PathLike[str], limit: int, root: Path | None) -> bytes:
    """At most ``limit`` bytes of the regular file at ``path``; :class:`Refused` or :class:`TooLarge` otherwise.

    ``root`` is the project root: a path written inside it must resolve inside it. None trusts the
    location (the package's own files, a file the user named on purpose such as a template).
    """
    real = os.path.realpath(path)
    if root is not None and inside(path, root) and not inside(real, os.path.realpath(root)):
        raise Refused("it is a symbolic link to a file outside the repository, which is never read: replace the link with the file")
    try:
        descriptor = os.open(real, _FLAGS)
    except OSError as error:  # ELOOP here: a link loop, or a link put in place after the path was resolved
        raise Refused((error.strerror or str(error)).lower()) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise Refused("is a directory")
        if not stat.S_ISREG(mode):
            raise Refused("it is not a regular file but a device, a named pipe or a socket, which is never read: remove it")
        os.set_blocking(descriptor, True)
        return _read_up_to(descriptor, limit)
    finally:
        os.close(descriptor)


def _read_up_to(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise TooLarge()
    return b"".join(chunks)


def read_text_file(path: Path, limit: int, root: Path | None, what: str) -> str:
    """A UTF-8 text file (configuration), or a one-line reason naming ``what`` it is, as :class:`Refused`."""
    try:
        data = read_bytes(path, limit, root)
    except TooLarge:
        raise Refused(f"the {what} is larger than {limit / 1_000_000:g} MB") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(f"the {what} is not UTF-8 text") from None

"""Writing output files so that a reader never sees a partial one, and never where a source is.

:func:`check_output` says, before a run writes anything, whether a file given
for output can be written and is not one of the run's sources (a report
written over the policy it lints would replace the policy).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pcso_policy.errors import UsageError
from pcso_policy.sanitise import shown


def write_atomic(path: Path, data: str | bytes | Iterable[str]) -> None:
    """Write ``data`` (text, bytes, or text in pieces) to a temporary file beside ``path``, then rename it into place.

    On any failure the temporary file is removed and ``path`` is untouched.
    """
    folder = _folder(path)
    if not folder.is_dir():
        raise UsageError(f"cannot write '{shown(str(path))}': folder '{shown(str(folder))}' does not exist")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise UsageError(f"cannot write '{shown(str(path))}': {error.strerror or error}") from None
    try:
        os.fchmod(handle, _mode_for(path))
        with os.fdopen(handle, "wb") as stream:
            if isinstance(data, (str, bytes)):
                stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            else:
                for piece in data:
                    stream.write(piece.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        _discard(temporary)
        raise UsageError(f"cannot write '{shown(str(path))}': {error.strerror or error}") from None
    except BaseException:
        _discard(temporary)
        raise


def _mode_for(path: Path) -> int:
    """The permissions the written file gets: those of the file it replaces, else what the umask
    leaves of rw-rw-rw- (mkstemp's own 0600 would hide a report from the rest of a team)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def check_output(
    path: Path, option: str, sources: Iterable[str] = (), others: Iterable[tuple[Path | None, str]] = (), doing: str = "linted"
) -> None:
    """Refuse, as a usage error naming it, an output file ``path`` (given as ``option``) that cannot be
    written, or that is one of ``sources`` (the policies being ``doing``) or one of ``others`` (each a
    file and what it is, such as "the configuration"): checked before the run writes anything."""
    name = shown(str(path))
    folder = _folder(path)
    if path.is_dir():
        raise UsageError(f"{option} '{name}' is a folder: give a file name")
    if not folder.is_dir():
        raise UsageError(f"cannot write '{name}': folder '{shown(str(folder))}' does not exist: create it or give {option} another file")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write '{name}': folder '{shown(str(folder))}' is not writable: give {option} another file")
    try:
        target = os.stat(path)
    except OSError:
        return  # no source can be a file that does not exist
    for other, what in others:
        if other is not None and _same(target, other):
            raise UsageError(f"{option} '{name}' is {what}: writing there would replace it; give {option} another file")
    for source in sources:
        if _same(target, source):
            raise UsageError(
                f"{option} '{name}' is one of the policies being {doing}: "
                f"writing there would replace the policy; give {option} another file"
            )


def _same(target: os.stat_result, other: str | Path) -> bool:
    """Whether ``other`` is the file ``target`` describes (the same one, by any name or link)."""
    try:
        found = os.stat(other)
    except OSError:
        return False
    return (found.st_dev, found.st_ino) == (target.st_dev, target.st_ino)


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _discard(temporary: str) -> None:
    try:
        os.unlink(temporary)
    except FileNotFoundError:
        pass

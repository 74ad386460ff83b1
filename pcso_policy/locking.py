"""An exclusive lock on an output folder, so two runs never write its manifest at once."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from pcso_policy.errors import UsageError


@contextlib.contextmanager
def folder_lock(folder: Path, wait_seconds: float, out: TextIO) -> Iterator[None]:
    """Hold the folder's lock; wait up to ``wait_seconds`` for another run to finish, then give up clearly.

    The lock is an ``flock`` on the folder itself, so it adds no file to what is
    published, and the operating system releases it when the holder exits,
    however it exits: a killed run never leaves the folder locked.
    """
    handle = os.open(folder, os.O_RDONLY)
    try:
        _acquire(handle, folder, wait_seconds, out)
        yield
    finally:
        os.close(handle)


def _acquire(handle: int, folder: Path, wait_seconds: float, out: TextIO) -> None:
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise UsageError(
                    f"'{folder}' is being published by another pcso-policy run: try again when it has finished"
                ) from None
            if not told:
                out.write(f"waiting for another pcso-policy run publishing to '{folder}' ...\n")
                told = True
            time.sleep(0.1)

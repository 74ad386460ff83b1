"""What a person at a terminal gets that a log or a file never does: colour, and progress on long runs.

Colour (``--color auto|always|never``, ``--colour`` too): ``always`` and
``never`` mean what they say. ``auto``, the default, colours standard output
when it is a terminal, except that

- ``NO_COLOR`` set to anything but the empty string turns colour off
  (https://no-color.org), and wins over the two below;
- ``FORCE_COLOR`` or ``CLICOLOR_FORCE`` set to anything but the empty string
  or ``0`` turns it on where standard output is not a terminal (a CI log
  that shows colours);
- ``TERM=dumb`` turns it off.

The colours are SGR sequences the tool writes itself around text already
passed through :mod:`pcso_policy.sanitise`, so nothing a policy holds can add
one.

Progress goes to standard error, only when standard error is a terminal and
``CI`` is not set (a CI log gets none, even through a pseudo-terminal): a
line rewritten in place (a carriage return, no escape sequence), at most
every half second and only once a run has taken that long, cleared before the
report is written.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TextIO

CHOICES = ("auto", "always", "never")

_RESET = "\x1b[0m"
_STYLES = {
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
    "red": "\x1b[1;31m",
    "yellow": "\x1b[1;33m",
    "cyan": "\x1b[36m",
    "green": "\x1b[1;32m",
}
SEVERITY_STYLES = {"error": "red", "warning": "yellow", "info": "cyan"}


def _set(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "") not in ("", "0")


def colour_wanted(choice: str, stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """Whether to colour what is written to ``stream``, for ``--color CHOICE`` (see the module's notes)."""
    if choice not in CHOICES:
        raise ValueError(f"--color {choice!r}: use one of {', '.join(CHOICES)}")
    if choice != "auto":
        return choice == "always"
    env = os.environ if env is None else env
    if env.get("NO_COLOR", ""):
        return False
    if _set(env, "FORCE_COLOR") or _set(env, "CLICOLOR_FORCE"):
        return True
    if env.get("TERM") == "dumb":
        return False
    return _is_terminal(stream)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # a closed or unusual stream
        return False


def paint(text: str, style: str, colour: bool) -> str:
    """``text`` in ``style`` (a name of :data:`_STYLES`) when ``colour``; else ``text`` itself."""
    if not colour or not text:
        return text
    return f"{_STYLES[style]}{text}{_RESET}"


class Progress:
    """A counter of files on standard error, rewritten in place: ``pcso-policy: 1,234 of 10,000 files``."""

    INTERVAL = 0.5
    """Seconds before the first line, and between two lines."""

    def __init__(self, stream: TextIO, total: int, jobs: int = 1, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.total = total
        self.jobs = jobs
        self.clock = clock
        self.done = 0
        self.started = clock()
        self.shown_at: float | None = None
        self.width = 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = self.clock()
        if self.done >= self.total and self.jobs > 1:
            # Reading is done; the processes now check every file with nothing to count here.
            self._show(f"checking {_files(self.total)} in {self.jobs} processes\u2026")
            return
        last = self.shown_at if self.shown_at is not None else self.started
        if now - last >= self.INTERVAL:
            self._show(f"{self.done:,} of {_files(self.total)}")
            self.shown_at = now

    def _show(self, text: str) -> None:
        line = f"pcso-policy: {text}"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = max(self.width, len(line))

    def finish(self) -> None:
        """Clear the line, if one was written, so the report starts on a clean line."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def _files(count: int) -> str:
    return f"{count:,} file" + ("" if count == 1 else "s")


def progress(stream: TextIO, total: int, jobs: int = 1, env: Mapping[str, str] | None = None) -> Progress | None:
    """A :class:`Progress` for ``total`` files on ``stream``, or None where there must be none: ``stream``
    is not a terminal, or ``CI`` is set."""
    env = os.environ if env is None else env
    if env.get("CI", "").lower() not in ("", "0", "false") or not _is_terminal(stream):
        return None
    return Progress(stream, total, jobs)

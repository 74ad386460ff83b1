"""Small helpers the command-line tests share."""

from __future__ import annotations

from pathlib import Path


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8, or bytes as they are) to ``folder/name``, creating folders."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path

"""Fingerprints that identify a finding by what it is about, not where it is.

A fingerprint hashes the rule, the file's path relative to the project root,
and the text of the line the finding points at (white space collapsed), plus
how many identical findings came before it in the file. Adding or removing
lines elsewhere in the file leaves it unchanged; editing the line itself
changes it, which is what baselines and SARIF ``partialFingerprints`` want.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from pcso_policy.diagnostics import Diagnostic

KEY = "pcsoPolicy/v2"
"""v2: the line is identified by its digest, taken when the file was read (v1 read the file again)."""


def project_path(path: str, root: Path) -> str:
    """``path`` (as given on the command line) relative to ``root``, with forward slashes."""
    return Path(os.path.relpath(Path(path).absolute(), root.absolute())).as_posix()


DIGEST_SIZE = 8


def line_digests(data: bytes) -> bytes:
    """A digest of each line of a file's bytes (white space collapsed), ``DIGEST_SIZE`` bytes each.

    Taken while the engine holds the bytes, so fingerprints never read a file
    again; lines are counted as the parser counts them.
    """
    text = data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    return b"".join(hashlib.blake2b(" ".join(line.split()).encode("utf-8"), digest_size=DIGEST_SIZE).digest() for line in text.split("\n"))


def fingerprints(diagnostics: list[Diagnostic], root: Path, digests: Mapping[str, bytes]) -> list[str]:
    """One fingerprint per diagnostic, in the same order, from the line digests of each file."""
    seen: Counter[str] = Counter()
    result: list[str] = []
    for diagnostic in diagnostics:
        lines = digests.get(diagnostic.path, b"")
        start = (diagnostic.line - 1) * DIGEST_SIZE
        content = lines[start : start + DIGEST_SIZE].hex() if diagnostic.line > 0 else ""
        identity = "\0".join((diagnostic.rule, project_path(diagnostic.path, root), content))
        digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
        seen[digest] += 1
        result.append(f"{digest}:{seen[digest]}")
    return result

"""Fingerprints that identify a finding by what it is about, not where it is.

A fingerprint hashes the rule, the file's path relative to the project root,
and the text of the line the finding points at (white space collapsed), plus
how many identical findings came before it in the file. Adding or removing
lines elsewhere in the file leaves it unchanged; editing the line itself
changes it, which is what baselines and SARIF ``partialFingerprints`` want.

GitHub code scanning reads one fingerprint only, ``primaryLocationLineHash``:
a hash of the content of the result's first line and, after a colon, which
occurrence of it this is (``39fa2ee980eb94b0:1``). :func:`primary_line_hashes`
gives one from the same line digests, so an upload through the REST API
(which computes none) still matches alerts across runs.
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
LINE_HASH_KEY = "primaryLocationLineHash"
"""The ``partialFingerprints`` entry GitHub code scanning matches alerts by."""


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


def _line_digest(diagnostic: Diagnostic, digests: Mapping[str, bytes]) -> bytes:
    """The digest of the line ``diagnostic`` points at; empty when the file's digests were not taken."""
    if diagnostic.line <= 0:
        return b""
    start = (diagnostic.line - 1) * DIGEST_SIZE
    return digests.get(diagnostic.path, b"")[start : start + DIGEST_SIZE]


_EMPTY_LINE = hashlib.blake2b(b"", digest_size=DIGEST_SIZE).digest()
"""What :func:`line_digests` gives an empty line: the content a file that could not be read is taken to have."""


def fingerprints(diagnostics: list[Diagnostic], root: Path, digests: Mapping[str, bytes]) -> list[str]:
    """One fingerprint per diagnostic, in the same order, from the line digests of each file."""
    seen: Counter[str] = Counter()
    result: list[str] = []
    for diagnostic in diagnostics:
        content = _line_digest(diagnostic, digests).hex()
        identity = "\0".join((diagnostic.rule, project_path(diagnostic.path, root), content))
        digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
        seen[digest] += 1
        result.append(f"{digest}:{seen[digest]}")
    return result


def primary_line_hashes(diagnostics: list[Diagnostic], digests: Mapping[str, bytes]) -> list[str]:
    """One ``primaryLocationLineHash`` per diagnostic, in the same order (give them in path and line order).

    The hash is the 16 hex digits of the line's digest (its content, white space collapsed: not its
    number, so edits elsewhere in the file leave it alone); the number after the colon counts the
    findings of the same rule on lines of the same content in the same file, so two such findings
    are two alerts, as GitHub numbers identical lines.
    """
    seen: Counter[tuple[str, str, bytes]] = Counter()
    result: list[str] = []
    for diagnostic in diagnostics:
        content = _line_digest(diagnostic, digests) or _EMPTY_LINE
        key = (diagnostic.path, diagnostic.rule, content)
        seen[key] += 1
        result.append(f"{content.hex()}:{seen[key]}")
    return result

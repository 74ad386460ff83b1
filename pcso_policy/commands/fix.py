"""``pcso-policy lint --fix`` and ``--diff``: apply the safe fixes findings carry, re-linting until none applies.

Fixes are applied to the files' contents in memory, round after round: each
round applies, per file, the safe fixes whose edits do not overlap one taken
before them, then lints again, because a fix moves what follows it and an
overlapping fix may no longer be wanted. A file whose front matter cannot be
read (what the ``parse/`` findings report) is never fixed. Nothing is written
here: the caller writes the files (``--fix``) or shows the difference (``--diff``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from pcso_policy.diagnostics import Diagnostic
from pcso_policy.engine import Engine, LintResult
from pcso_policy.fixes import Edit, Fix, FixError, apply
from pcso_policy.parsing import parse_bytes
from pcso_policy.sanitise import line, shown

MAX_ROUNDS = 10
"""Rounds of fixing and re-linting before giving up on reaching a file no fix changes."""


@dataclass
class Fixed:
    """What fixing found: the last lint (of the contents as fixed), and each changed file's bytes before and after."""

    result: LintResult
    before: dict[str, bytes] = field(default_factory=dict)
    after: dict[str, bytes] = field(default_factory=dict)
    fixes: int = 0
    """How many findings' fixes were applied."""

    @property
    def changed(self) -> list[str]:
        return [path for path in self.after if self.after[path] != self.before[path]]


def fix_files(
    engine: Engine,
    paths: list[str],
    already_read: dict[str, bytes],
    on_file: Callable[[], None] | None,
    unsafe: bool = False,
) -> Fixed:
    """Lint ``paths``, apply the safe fixes (and, ``unsafe``, the others), and lint again until no fix
    applies (at most :data:`MAX_ROUNDS`)."""
    contents = dict(already_read)
    fixed = Fixed(engine.lint_files(paths, contents, on_file))
    for _ in range(MAX_ROUNDS):
        applied = 0
        for path, fixes in _fixes_to_apply(fixed.result.diagnostics, unsafe).items():
            applied += _fix_one(engine, path, fixes, contents, fixed)
        if not applied:
            break
        fixed.fixes += applied
        fixed.result = engine.lint_files(paths, contents)
    return fixed


def _fixes_to_apply(diagnostics: list[Diagnostic], unsafe: bool) -> dict[str, list[Fix]]:
    by_path: dict[str, list[Fix]] = {}
    for diagnostic in diagnostics:
        if diagnostic.fix is not None and (diagnostic.fix.safe or unsafe):
            by_path.setdefault(diagnostic.path, []).append(diagnostic.fix)
    return by_path


def _fix_one(engine: Engine, path: str, fixes: list[Fix], contents: dict[str, bytes], fixed: Fixed) -> int:
    """Apply to ``path``'s content the fixes that do not overlap one taken before them; how many were applied."""
    data = contents[path] if path in contents else engine.read(path)
    if not isinstance(data, bytes) or not front_matter_readable(path, data):
        return 0
    taken = non_overlapping(fixes)
    try:
        new = apply(data, [edit for fix in taken for edit in fix.edits])
    except FixError:
        return 0  # edits that no longer fit the file (it changed since it was linted): left for a person
    if new == data:
        return 0
    fixed.before.setdefault(path, data)
    fixed.after[path] = contents[path] = new
    return len(taken)


def front_matter_readable(path: str, data: bytes) -> bool:
    """Whether the file has a front matter that reads without a ``parse/`` finding: only such a file is fixed."""
    parsed = parse_bytes(path, data)
    return parsed.document is not None and parsed.document.front_matter is not None and not parsed.findings


def non_overlapping(fixes: list[Fix]) -> list[Fix]:
    """The fixes, in file order, that overlap none taken before them; the others wait for the next round."""
    taken: list[Fix] = []
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for fix in sorted(fixes, key=lambda fix: min(_start(edit) for edit in fix.edits)):
        own = [(_start(edit), (edit.end_line, edit.end_column)) for edit in fix.edits]
        if any(_overlap(span, other) for span in own for other in spans):
            continue
        taken.append(fix)
        spans.extend(own)
    return taken


def _start(edit: Edit) -> tuple[int, int]:
    return (edit.line, edit.column)


def _overlap(one: tuple[tuple[int, int], tuple[int, int]], other: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    return one[0] == other[0] or (one[0] < other[1] and other[0] < one[1])


def unified_diff(path: str, before: bytes, after: bytes) -> Iterator[str]:
    """What fixing ``path`` changes, as a unified diff whose lines are safe to print."""
    old = before.decode("utf-8-sig").splitlines()
    new = after.decode("utf-8-sig").splitlines()
    for text in difflib.unified_diff(old, new, f"a/{path}", f"b/{path}", lineterm=""):
        yield line(text) if text.startswith(("---", "+++", "@@")) else shown(text)

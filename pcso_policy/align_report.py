"""``pcso-policy align``: every point of each declared alignment, side by side with the national text.

For each ``aligns_with`` entry of each file: the national text and version
(and whether it is current), then one row per national point in national
order: ``same``, ``reworded`` (with the word differences), ``merged``,
``split`` or ``missing``, with the local line; local points that are not
national (``extra``) stand after the local point they follow. ``--format
json`` gives the same as data.

Exit codes: 0 every declared alignment is current and matches word for
word, in order; 1 some drift; 2 a usage error, or a reference text that
cannot be read (named with its file and line).
"""

from __future__ import annotations

from typing import Any

from pcso_policy.drift import Change, words
from pcso_policy.errors import ConfigError
from pcso_policy.kinds.alignment import Alignment, AlignmentCheck
from pcso_policy.model import Document
from pcso_policy.references import References
from pcso_policy.sanitise import line

STATUSES = ("same", "reworded", "merged", "split", "missing", "extra")
"""What a national point can be in a section, in the order counts are given."""
REPLACING = "repository-replacing-bundled"
"""``text_from`` of a national text the repository keeps its own copy of, in place of the bundled one."""


def file_report(path: str, document: Document | None, check: AlignmentCheck, references: References) -> dict[str, Any]:
    """Every ``aligns_with`` entry of one parsed policy, compared point by point."""
    if document is None:
        return {"path": path, "alignments": []}
    alignments = check.alignments(document, references)
    for alignment in alignments:
        problem = references.problem_for(alignment.source) if alignment.reference is None else None
        if problem is not None:
            raise ConfigError(str(problem.path), problem.line, problem.message)
    return {"path": path, "alignments": [_entry(alignment, references) for alignment in alignments]}


def summary(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole comparison as ``--format json`` gives it."""
    drifted = sum(1 for report in reports for entry in report["alignments"] if entry["status"] != "aligned")
    return {
        "files": reports,
        "summary": {"files": len(reports), "alignments": sum(len(r["alignments"]) for r in reports), "drifted": drifted},
    }


def _entry(alignment: Alignment, references: References) -> dict[str, Any]:
    reference, current, comparison = alignment.reference, alignment.current, alignment.comparison
    entry: dict[str, Any] = {
        "source": alignment.source,
        "version": alignment.version,
        "section": alignment.section,
        "current_version": current.version if current else None,
        "line": alignment.anchor.line if alignment.anchor else None,
    }
    if reference is None:
        return {**entry, "status": "unknown-source", "points": []}
    replaced = (reference.source, reference.version) in references.replaced
    origin = REPLACING if replaced else ("bundled" if reference.bundled else "repository")
    entry |= {"publisher": reference.publisher, "title": reference.title, "text_from": origin}
    if comparison is None:
        return {**entry, "status": "section-not-found", "points": []}
    rows = _rows(alignment)
    counts = {status: sum(1 for row in rows if row["status"] == status) for status in STATUSES}
    counts["out_of_order"] = len(comparison.moved)
    aligned = comparison.aligned and current is not None and current.version == reference.version
    return {**entry, "status": "aligned" if aligned else "drift", "counts": counts, "points": rows}


def _rows(alignment: Alignment) -> list[dict[str, Any]]:
    assert alignment.reference is not None and alignment.comparison is not None
    items, national = alignment.items, alignment.reference.items
    moved = set(alignment.comparison.moved)
    rows: list[dict[str, Any]] = []
    extras: list[dict[str, Any]] = []
    for pair in alignment.comparison.pairs:
        local = [{"line": items[j].line, "text": " ".join(items[j].text.split())} for j in pair.local]
        changes = [_change(change) for change in pair.changes]
        if pair.status == "extra":
            extras.append(
                {"number": None, "id": None, "status": "extra", "national": None, "local": local, "changes": [], "out_of_order": False}
            )
            continue
        for i in pair.national:
            rows.append({
                "number": i + 1,
                "id": national[i].id,
                "status": pair.status,
                "national": national[i].text,
                "local": local,
                "changes": changes,
                "out_of_order": any(j in moved for j in pair.local),
            })
    for extra in extras:
        line = extra["local"][0]["line"]
        at = max((k + 1 for k, row in enumerate(rows) if row["local"] and row["local"][0]["line"] < line), default=0)
        rows.insert(at, extra)
    return rows


def _change(change: Change) -> dict[str, str]:
    return {"national": change.national, "local": change.local, "kind": change.kind}


def format_text(data: dict[str, Any]) -> str:
    """The comparison for a person; every line through :func:`pcso_policy.sanitise.line`, since file names,
    ``aligns_with`` values, national texts and the policy's own points come from the repository."""
    lines: list[str] = []
    for report in data["files"]:
        lines.append(report["path"])
        if not report["alignments"]:
            lines.append("  declares no alignment (aligns_with)")
        for entry in report["alignments"]:
            lines.extend(_entry_lines(entry))
        lines.append("")
    summary = data["summary"]
    lines.append(f"{summary['alignments']} declared alignment(s) in {summary['files']} file(s): {summary['drifted']} with drift.")
    return "\n".join(line(text) for text in lines) + "\n"


def _entry_lines(entry: dict[str, Any]) -> list[str]:
    where = f"section {entry['section']}" + (f" (line {entry['line']})" if entry["line"] else "")
    if entry["status"] == "unknown-source":
        return [f"  {where}: '{entry['source']}' version {entry['version']} is not registered in references/"]
    current = "current" if entry["current_version"] == entry["version"] else f"NOT current: {entry['current_version']} is"
    head = f"  {where} against {entry['publisher']} '{entry['title']}', version {entry['version']} ({current})"
    if entry["text_from"] == REPLACING:
        head += " [the repository's own copy, replacing the bundled one]"
    if entry["status"] == "section-not-found":
        return [head, f"    the document has no section {entry['section']}"]
    lines = [head]
    for row in entry["points"]:
        number = str(row["number"]) if row["number"] else "+"
        line = f"line {row['local'][0]['line']}" if row["local"] else ""
        text = row["local"][0]["text"] if row["local"] else row["national"]
        moved = "  (out of order)" if row["out_of_order"] else ""
        lines.append(f"  {number:>3}  {row['status']:<8}  {line:<8}  {words(text).opening(10)}{moved}")
        lines.extend(f"{'':>26}'{change['national']}' -> '{change['local']}'" for change in row["changes"])
    counts = entry["counts"]
    parts = [f"{counts[status]} {status}" for status in STATUSES if counts[status] or status == "same"]
    if counts["out_of_order"]:
        parts.append(f"{counts['out_of_order']} out of order")
    lines.append(f"  {entry['status']}: {', '.join(parts)}")
    return lines

"""The variety corpus (tests/corpus/README.md): no false alarm on documents other forces would write, every
known defect found at its line."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from pcso_policy.cli import run

CORPUS = Path(__file__).parent / "corpus"
DOCUMENTS = sorted(path for path in CORPUS.glob("*.md") if path.name != "README.md")
REPORTED = ("error", "warning")
LEEWAY = 1
"""Lines either way a defect may be reported from where its list puts it."""


@dataclass(frozen=True)
class Defect:
    rule: str
    line: int
    why: str


def defects_of(document: Path) -> list[Defect]:
    listed = document.with_name(document.name.removesuffix(".md") + ".defects.yaml")
    if not listed.is_file():
        return []
    return [Defect(item["rule"], item["line"], item["why"]) for item in yaml.safe_load(listed.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def reported() -> dict[str, list[dict[str, Any]]]:
    """The errors and warnings of one lint of the whole corpus, by file name."""
    output = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(output):
        patch.chdir(CORPUS)  # its own repository: no configuration, the bundled checks
        run(["lint", "--no-cache", "--format", "json", "--as-of", "2026-12-01", *(document.name for document in DOCUMENTS)])
    by_file: dict[str, list[dict[str, Any]]] = {document.name: [] for document in DOCUMENTS}
    for diagnostic in json.loads(output.getvalue())["diagnostics"]:
        if diagnostic["severity"] in REPORTED:
            by_file[Path(diagnostic["path"]).name].append(diagnostic)
    return by_file


def shown(diagnostic: dict[str, Any]) -> str:
    return f"{diagnostic['line']}:{diagnostic['column']} {diagnostic['rule']} {diagnostic['message']}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=[document.name for document in DOCUMENTS])
def test_each_listed_defect_is_found_and_nothing_else(document: Path, reported: dict[str, list[dict[str, Any]]]) -> None:
    found = list(reported[document.name])
    missed: list[Defect] = []
    for defect in defects_of(document):
        match = next((d for d in found if d["rule"] == defect.rule and abs(d["line"] - defect.line) <= LEEWAY), None)
        if match is None:
            missed.append(defect)
        else:
            found.remove(match)
    unlisted = [shown(d) for d in found]
    assert (missed, unlisted) == ([], []), [shown(d) for d in reported[document.name]]


def test_the_corpus_is_varied_enough() -> None:
    clean = [document for document in DOCUMENTS if not defects_of(document)]
    assert len(DOCUMENTS) >= 40
    assert len(clean) * 2 == len(DOCUMENTS)

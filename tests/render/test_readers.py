"""Programs nobody here wrote read the DOCX: LibreOffice lays it out as PDF, pandoc reads it back as Markdown."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from pcso_policy.parsing import markdown_parser
from pcso_policy.render.markdown import plain_text
from tests.render.helpers import CLEAN, CONSTRUCTS, KENT, pdf_pages, program, rendered, to_pdf


def write(tmp_path: Path, source: Path) -> Path:
    docx = tmp_path / (source.stem + ".docx")
    docx.write_bytes(rendered(source).data)
    return docx


def test_libreoffice_lays_out_kent_with_the_marking_and_page_numbers_on_every_page(tmp_path: Path) -> None:
    pages = pdf_pages(to_pdf(write(tmp_path, KENT), tmp_path))
    assert len(pages) >= 2, "a multi-page document, so 'every page' means something"
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.strip().splitlines() if line.strip()]
        assert lines[0] == "NOT PROTECTIVELY MARKED", f"page {number} does not open with the marking"
        assert lines[-1] == "NOT PROTECTIVELY MARKED", f"page {number} does not close with the marking"
        assert f"O38 \u00b7 Version not stated \u00b7 Page {number} of {len(pages)}" in page
        assert "DRAFT" not in page


def test_libreoffice_shows_draft_on_every_page_of_a_draft(tmp_path: Path) -> None:
    pages = pdf_pages(to_pdf(write(tmp_path, CONSTRUCTS), tmp_path))
    for number, page in enumerate(pages, start=1):
        assert "DRAFT \u2013 NOT APPROVED" in page and "OFFICIAL-SENSITIVE" in page, f"page {number}"
        assert f"Page {number} of {len(pages)}" in page


def pandoc_blocks(docx: Path) -> list[dict]:
    result = subprocess.run([program("pandoc"), "-f", "docx", "-t", "json", str(docx)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["blocks"]


def _text(inlines: list[dict]) -> str:
    """Plain text of pandoc inlines."""
    parts: list[str] = []
    for inline in inlines:
        kind = inline["t"]
        content: Any = inline.get("c")  # pandoc JSON: its shape depends on the kind
        if kind == "Str":
            parts.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind == "Code":
            parts.append(content[1])
        elif kind in ("Emph", "Strong", "Underline", "SmallCaps", "Strikeout"):
            parts.append(_text(content))
        elif kind in ("Link", "Span"):
            parts.append(_text(content[1]))
    return "".join(parts)


def _walk(blocks: list[dict], found: dict[str, list]) -> None:
    for block in blocks:
        kind = block["t"]
        content: Any = block.get("c")
        if kind == "Header":
            found["headings"].append((content[0], _text(content[2])))
        elif kind in ("BulletList", "OrderedList"):
            items = content if kind == "BulletList" else content[1]
            for item in items:
                if item and item[0]["t"] in ("Plain", "Para"):
                    found["items"].append(" ".join(_text(item[0]["c"]).split()))
                _walk(item, found)
        elif kind == "BlockQuote":
            _walk(content, found)
        elif kind == "Table":
            _table(content, found)


def _table(content: list, found: dict[str, list]) -> None:
    head, bodies = content[3], content[4]
    rows = [*head[1], *(row for body in bodies for row in body[3])]
    cells = []
    for row in rows:
        cells.append([" ".join(_text(block["c"]) for cell in [c] for block in cell[4]).strip() for c in row[1]])
    found["tables"].append(cells)


def source_structure(path: Path) -> dict[str, list]:
    text = path.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    tokens = markdown_parser(inline=True).parse(body)
    found: dict[str, list] = {"headings": [], "items": [], "tables": []}
    in_item = 0
    table: list[list[str]] | None = None
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            found["headings"].append((int(token.tag[1:]), plain_text(tokens[index + 1])))
        elif token.type == "list_item_open":
            in_item = 1
        elif token.type == "inline" and in_item == 1 and tokens[index - 1].type == "paragraph_open":
            found["items"].append(" ".join(plain_text(token).split()))
            in_item = 0
        elif token.type == "table_open":
            table = []
        elif token.type == "tr_open" and table is not None:
            table.append([])
        elif token.type == "inline" and table is not None and tokens[index - 1].type in ("th_open", "td_open"):
            table[-1].append(plain_text(token))
        elif token.type == "table_close" and table is not None:
            found["tables"].append(table)
            table = None
    return found


def test_pandoc_reads_back_the_same_headings_list_items_and_table_cells(tmp_path: Path) -> None:
    for source in (KENT, CONSTRUCTS, CLEAN):
        docx = write(tmp_path, source)
        found: dict[str, list] = {"headings": [], "items": [], "tables": []}
        _walk(pandoc_blocks(docx), found)
        expected = source_structure(source)
        assert found["headings"] == expected["headings"], source.name
        assert found["items"] == expected["items"], source.name
        assert found["tables"][1:] == expected["tables"], f"{source.name}: tables after the title block"
        title_block = dict(row for row in found["tables"][0][1:])
        assert title_block["Reference"] == rendered(source).frame.id

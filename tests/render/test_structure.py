"""The rendered DOCX read back with python-docx: every construct in its Word form."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from pcso_policy.render import RenderError, render_bytes
from pcso_policy.render.readback import problems, read_back
from pcso_policy.render.template import builtin_template
from tests.render.helpers import CLEAN, CONSTRUCTS, KENT, rendered


def open_docx(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def constructs() -> DocxDocument:
    return open_docx(rendered(CONSTRUCTS).data)


def numbering(document: DocxDocument, paragraph: DocxParagraph) -> tuple[int, str, str] | None:
    """(level, format, level text) of a numbered paragraph, looked up in numbering.xml as Word would."""
    properties: Any = paragraph._p.pPr  # python-docx types numPr and its children as bare descriptors
    if properties is None or properties.numPr is None:
        return None
    level = properties.numPr.ilvl.val
    num = document.part.numbering_part.element.num_having_numId(properties.numPr.numId.val)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = document.part.numbering_part.element.xpath(f'./w:abstractNum[@w:abstractNumId="{abstract_id}"]')[0]
    lvl = next(element for element in abstract.findall(qn("w:lvl")) if element.get(qn("w:ilvl")) == str(level))
    return level, lvl.find(qn("w:numFmt")).get(qn("w:val")), lvl.find(qn("w:lvlText")).get(qn("w:val"))


def start_of(document: DocxDocument, paragraph: DocxParagraph) -> int | None:
    properties: Any = paragraph._p.pPr  # as in numbering()
    num = document.part.numbering_part.element.num_having_numId(properties.numPr.numId.val)
    override = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
    return None if override is None else int(override.get(qn("w:val")))


def style_name(styled: DocxParagraph | DocxTable) -> str:
    """The name of a paragraph's or table's style (python-docx gives the default style where none is set)."""
    assert styled.style is not None
    return styled.style.name


def test_headings_are_heading_styles_at_their_levels(constructs: DocxDocument) -> None:
    headings = [(style_name(p), p.text) for p in constructs.paragraphs if style_name(p).startswith("Heading")]
    assert headings == [
        ("Heading 1", "Every construct policy"),
        ("Heading 2", "1. Text"),
        ("Heading 3", "1.3. A third-level heading"),
        ("Heading 4", "A fourth-level heading"),
        ("Heading 2", "2. Lists"),
        ("Heading 2", "3. Table"),
        ("Heading 2", "4. Quote and code"),
    ]


def test_inline_formatting_and_hyperlink(constructs: DocxDocument) -> None:
    paragraph = next(p for p in constructs.paragraphs if p.text.startswith("1.1."))
    runs = {run.text: run for run in paragraph.runs}
    assert runs["bold"].bold and not runs["bold"].italic
    assert runs["italic"].italic and not runs["italic"].bold
    assert runs["both"].bold and runs["both"].italic
    assert runs["inline code"].style.name == "Verbatim Char"
    assert paragraph.text.endswith("in one paragraph that wraps onto a second source line."), "a soft break is a space"
    links = paragraph.hyperlinks
    assert [(link.text, link.address) for link in links] == [("link", "https://www.gov.uk/")]
    assert links[0].runs[0].style.name == "Hyperlink"


def test_numbered_paragraphs_are_kept_as_written_not_turned_into_lists(constructs: DocxDocument) -> None:
    paragraph = next(p for p in constructs.paragraphs if p.text.startswith("1.2."))
    assert numbering(constructs, paragraph) is None
    assert paragraph.text == "1.2. A line with a hard break\nand the text after it."


def test_lists_are_real_word_lists_with_levels(constructs: DocxDocument) -> None:
    items = [(p.text, numbering(constructs, p)) for p in constructs.paragraphs if numbering(constructs, p)]
    assert items == [
        ("First bullet", (0, "bullet", "\u2022")),
        ("Second bullet with bold", (0, "bullet", "\u2022")),
        ("Nested bullet", (1, "bullet", "\u25e6")),
        ("Deeper bullet", (2, "bullet", "\u25aa")),
        ("Third bullet", (0, "bullet", "\u2022")),
        ("Third step", (0, "decimal", "%1.")),
        ("Fourth step", (0, "decimal", "%1.")),
        ("Sub-step one", (1, "decimal", "%2.")),
        ("Sub-step two", (1, "decimal", "%2.")),
        ("A list in the quote", (0, "bullet", "\u2022")),
    ]
    texts = [p.text for p in constructs.paragraphs]
    assert not any(text.startswith(("\u2022", "- ", "* ")) for text in texts), "no typed bullet characters"


def test_ordered_lists_start_where_the_source_does(constructs: DocxDocument) -> None:
    by_text = {p.text: p for p in constructs.paragraphs}
    assert start_of(constructs, by_text["Third step"]) == 3
    assert start_of(constructs, by_text["Sub-step one"]) == 1


def test_a_second_paragraph_in_a_list_item_is_indented_not_numbered(constructs: DocxDocument) -> None:
    paragraph = next(p for p in constructs.paragraphs if p.text == "A second paragraph in the third bullet.")
    assert numbering(constructs, paragraph) is None
    assert paragraph.paragraph_format.left_indent is not None and paragraph.paragraph_format.left_indent > 0


def test_table_cells_header_row_and_alignment(constructs: DocxDocument) -> None:
    table = constructs.tables[1]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Left", "Centre", "Right"],
        ["a1", "b1", "10"],
        ["a2", "b2", "200"],
    ]
    header = table.rows[0]._tr
    assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None, "header row repeats and is read as a header"
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert table.rows[1]._tr.trPr is None or table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert table.cell(1, 1).paragraphs[0].alignment == 1 and table.cell(1, 2).paragraphs[0].alignment == 2
    assert style_name(table) == "Table Grid"


def test_quote_code_and_rule(constructs: DocxDocument) -> None:
    styles = {p.text: style_name(p) for p in constructs.paragraphs}
    assert styles["A quoted paragraph."] == "Quote"
    code = next(p for p in constructs.paragraphs if p.text.startswith("code line one"))
    assert style_name(code) == "Source Code"
    assert code.text == "code line one\n    indented code line"
    rules = [p for p in constructs.paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None]
    assert len(rules) == 1 and rules[0].text == ""


def test_title_block_after_the_title_with_a_header_row(constructs: DocxDocument) -> None:
    body = constructs.element.body
    assert body[0].tag == qn("w:p") and body[1].tag == qn("w:tbl"), "title heading, then the title block"
    rows = {row.cells[0].text: row.cells[1].text for row in constructs.tables[0].rows}
    assert rows["Reference"] == "R1"
    assert rows["Version"] == "0.3"
    assert rows["Status"].startswith("Consultation") and "DRAFT" in rows["Status"]
    assert rows["Owner"] == "Head of Policy"
    assert rows["Last reviewed"] == "15 March 2026" and rows["Next review"] == "March 2028"
    assert rows["Equality impact"] == "Low" and rows["Classification"] == "OFFICIAL-SENSITIVE"
    header = constructs.tables[0].rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None


def test_marking_header_footer_and_page_fields() -> None:
    document = open_docx(rendered(CLEAN).data)
    section = document.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["OFFICIAL"]
    assert section.header.paragraphs[0].alignment == 1
    assert [p.text for p in section.footer.paragraphs] == ["T100 \u00b7 Version 1.2 \u00b7 Page 1 of 1", "OFFICIAL"]
    instructions = [node.text.strip() for node in section.footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]


def test_drafts_are_marked_draft_in_header_and_footer(constructs: DocxDocument) -> None:
    header = [p.text for p in constructs.sections[0].header.paragraphs]
    assert header == ["DRAFT \u2013 NOT APPROVED (status: consultation)", "OFFICIAL-SENSITIVE"]
    assert constructs.sections[0].footer.paragraphs[0].text.startswith("DRAFT")


def test_approved_documents_say_no_draft() -> None:
    document = open_docx(rendered(CLEAN).data)
    texts = [p.text for p in document.sections[0].header.paragraphs + document.sections[0].footer.paragraphs]
    assert not any("DRAFT" in text for text in texts)


def test_core_properties_come_from_the_front_matter() -> None:
    properties = open_docx(rendered(CLEAN).data).core_properties
    assert properties.title == "Body-worn video policy"
    assert properties.author == "Head of Operational Support"
    assert properties.category == "OFFICIAL"
    assert properties.keywords == "T100; policy; Example Constabulary"
    assert properties.subject == "Example Constabulary policy T100"
    assert properties.version == "1.2" and properties.identifier == "T100"
    assert properties.language == "en-GB" and properties.content_status == "Approved"
    assert properties.created == properties.modified == datetime.datetime(2025, 6, 12, tzinfo=datetime.UTC)
    assert properties.comments == "" and "python-docx" not in (properties.last_modified_by or "")
    core = zipfile.ZipFile(io.BytesIO(rendered(CLEAN).data)).read("docProps/core.xml").decode()
    assert "<cp:revision>1.2</cp:revision>" in core, "revision is the version, kept as text"


def test_language_is_english_united_kingdom() -> None:
    readback = read_back(rendered(KENT).data)
    assert readback.language == "en-GB" and readback.core_language == "en-GB"
    assert "en-US" not in zipfile.ZipFile(io.BytesIO(rendered(KENT).data)).read("word/styles.xml").decode()


def test_the_kent_policy_reads_back_without_problems() -> None:
    result = rendered(KENT)
    frame = result.frame
    assert problems(read_back(result.data), frame.title, frame.marking, frame.draft, result.headings) == []
    assert frame.marking == "NOT PROTECTIVELY MARKED", "without a classification, the body's marking section is shown"


def test_builtin_template_is_a4_en_gb_sans_serif_12pt_left_without_python_docx_traces() -> None:
    data = builtin_template()
    template = open_docx(data)
    section = template.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    normal = template.styles["Normal"]
    assert normal.font.name == "Calibri" and normal.font.size >= Pt(12)
    assert normal.paragraph_format.alignment == 0  # left
    for name in ("List Paragraph", "Table Grid", "Quote", "Source Code", "Verbatim Char", "Hyperlink", "Heading 1"):
        assert template.styles[name] is not None
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert not any("thumbnail" in name for name in names)
    text = b"".join(zipfile.ZipFile(io.BytesIO(data)).read(name) for name in names).decode("utf-8", "replace")
    assert "python-docx" not in text and "en-US" not in text
    assert template.core_properties.language == "en-GB"


def test_a_force_template_keeps_its_styles_page_setup_and_header(tmp_path: Path) -> None:
    force = docx.Document()
    force.sections[0].header.paragraphs[0].text = "KENT POLICE LOGO"
    force.styles["Heading 1"].font.name = "Georgia"
    force.add_paragraph("Sample text that must not survive")
    path = tmp_path / "force.docx"
    force.save(str(path))
    result = open_docx(render_bytes(str(CLEAN), CLEAN.read_bytes(), template=path).data)
    assert result.styles["Heading 1"].font.name == "Georgia"
    width = result.sections[0].page_width
    assert width is not None and round(width.inches, 1) == 8.5, "the force's page size, not ours"
    assert [p.text for p in result.sections[0].header.paragraphs] == ["OFFICIAL", "KENT POLICE LOGO"]
    assert "Sample text that must not survive" not in [p.text for p in result.paragraphs]
    assert result.styles["Source Code"] is not None, "styles the template lacks are added"
    assert read_back(render_bytes(str(CLEAN), CLEAN.read_bytes(), template=path).data).language == "en-GB"


def test_a_template_that_is_not_a_docx_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "force.docx"
    path.write_text("not a zip")
    with pytest.raises(Exception, match="is not a Word document"):
        render_bytes(str(CLEAN), CLEAN.read_bytes(), template=path)


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("Text.\n\n<div>raw</div>\n", 4, "raw HTML"),
        ("Text with <span>inline</span> HTML.\n", 2, "raw HTML '<span>'"),
        ("Text.\n\n![diagram](chart.png)\n", 4, "images cannot be published"),
    ],
)
def test_a_construct_it_cannot_render_is_an_error_naming_the_line(body: str, line: int, message: str) -> None:
    """``line`` counts from the line after the title heading."""
    source = CLEAN.read_text().split("# Body-worn video policy")[0] + "# Title\n\n" + body
    line += source.split("\n").index("# Title") + 1
    with pytest.raises(RenderError, match=message) as caught:
        render_bytes("x.md", source.encode())
    assert caught.value.line == line
    assert str(caught.value).startswith(f"x.md:{line}: ")


def test_comments_are_not_content() -> None:
    source = CLEAN.read_text().replace("## 1. Marking", "<!-- pcso-policy: disable=x reason=\"y\" -->\n## 1. Marking")
    document = open_docx(render_bytes("x.md", source.encode()).data)
    assert not any("pcso-policy" in p.text for p in document.paragraphs)


def test_footer_lines_keep_their_line_breaks() -> None:
    document = open_docx(rendered(KENT).data)
    footer = next(p for p in document.paragraphs if p.text.startswith("Policy reference:"))
    assert footer.text.split("\n") == [
        "Policy reference: Police community support officers policy (O38)",
        "Contact point: Head of Partnerships",
        "Date last reviewed: February 2022",
    ]


def python_docx_readback(data: bytes) -> tuple[object, ...]:
    """What the read-back check sees, read with the whole of python-docx (as ``read_back`` once did)."""
    document = open_docx(data)
    stories = []
    for section in document.sections:
        stories.append((section.header, section.footer))
        if section.different_first_page_header_footer:
            stories.append((section.first_page_header, section.first_page_footer))
        if document.settings.odd_and_even_pages_header_footer:
            stories.append((section.even_page_header, section.even_page_footer))
    headers = tuple("\n".join(p.text for p in header.paragraphs) for header, _ in stories)
    footers = tuple("\n".join(p.text for p in footer.paragraphs) for _, footer in stories)
    fields = tuple(
        frozenset(node.text.split()[0] for node in footer._element.iter(qn("w:instrText")) if node.text and node.text.split())
        for _, footer in stories
    )
    headings = tuple((int(style_name(p)[-1]), p.text.strip()) for p in document.paragraphs if style_name(p).lower().startswith("heading "))
    properties = document.core_properties
    return properties.title, properties.language, headers, footers, fields, headings


def test_read_back_reads_what_python_docx_reads(tmp_path: Path) -> None:
    """``read_back`` reads only the parts it checks; on a template with first-page and even-page headers
    over two sections, it still sees exactly what python-docx sees."""
    force = docx.Document()
    force.add_section()
    last = force.sections[-1]
    last.different_first_page_header_footer = True
    force.settings.odd_and_even_pages_header_footer = True
    last.header.is_linked_to_previous = last.first_page_header.is_linked_to_previous = False
    last.header.paragraphs[0].text = "LOGO"
    last.first_page_header.paragraphs[0].text = "FIRST PAGE LOGO"
    path = tmp_path / "force.docx"
    force.save(str(path))
    for data in (rendered(CONSTRUCTS).data, rendered(KENT).data, render_bytes(str(CLEAN), CLEAN.read_bytes(), template=path).data):
        readback = read_back(data)
        seen = (readback.title, readback.core_language, readback.headers, readback.footers, readback.footer_fields, readback.headings)
        assert seen == python_docx_readback(data)
    forced = read_back(render_bytes(str(CLEAN), CLEAN.read_bytes(), template=path).data)
    assert forced.headers == ("OFFICIAL\nLOGO", "OFFICIAL\nFIRST PAGE LOGO", "OFFICIAL")

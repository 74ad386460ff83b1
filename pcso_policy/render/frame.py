"""The document around the policy text: title block, marking, page footer, properties.

Everything here comes from the front matter, never from the clock, so that
the same source renders to the same bytes on any day.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import _Footer, _Header
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from pcso_policy.model import Document
from pcso_policy.render.markdown import RenderError
from pcso_policy.render.styles import LANGUAGE, style_ids

MARKING_TITLES = frozenset({"marking", "protective marking", "security marking", "security classification", "classification"})
"""Section titles whose first paragraph states the marking when the front matter has no ``classification``."""

DRAFT_COLOUR = RGBColor(0xC0, 0x00, 0x00)
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_LEADING_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Frame:
    """What the document frame shows, read from a policy's front matter."""

    id: str
    title: str
    status: str
    marking: str
    """The protective marking as shown in the header and footer (upper case)."""
    version: str | None = None
    owner: str | None = None
    force: str | None = None
    doc_type: str = "policy"
    last_reviewed: str | None = None
    next_review: str | None = None
    equality_impact: str | None = None
    approved_by: str | None = None
    approved_on: str | None = None

    @property
    def draft(self) -> bool:
        return self.status != "approved"

    @property
    def date(self) -> datetime.datetime:
        """The document's date: its approval, else its last review, else the DOS epoch."""
        for value in (self.approved_on, self.last_reviewed):
            parsed = _parse_date(value)
            if parsed is not None:
                return datetime.datetime(parsed.year, parsed.month, parsed.day, tzinfo=datetime.timezone.utc)
        return datetime.datetime(1980, 1, 1, tzinfo=datetime.timezone.utc)

    @property
    def reference_line(self) -> str:
        version = f"Version {self.version}" if self.version else "Version not stated"
        return f"{self.id} \u00b7 {version}"


def frame_of(document: Document) -> Frame:
    """The frame of a parsed policy; a :class:`RenderError` when it lacks what a document must show."""
    meta = document.meta
    if document.front_matter is None:
        raise RenderError(document.path, 1, "no front matter: a published document needs its id, title and status")
    values = {key: _text(meta.get(key)) for key in ("id", "title", "status")}
    for key, value in values.items():
        if value is None:
            line = document.front_matter.position_of((key,)).line
            raise RenderError(document.path, line, f"front matter has no '{key}': add it, the published document shows it")
    return Frame(
        id=values["id"] or "",
        title=values["title"] or "",
        status=values["status"] or "",
        marking=_marking(document).upper(),
        version=_text(meta.get("version")),
        owner=_text(meta.get("owner")),
        force=_text(meta.get("force")),
        doc_type=document.doc_type,
        last_reviewed=_text(meta.get("last_reviewed")),
        next_review=_text(meta.get("next_review")),
        equality_impact=_text(meta.get("equality_impact")),
        approved_by=_text(meta.get("approved_by")),
        approved_on=_text(meta.get("approved_on")),
    )


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float, datetime.date)):
        text = str(value).strip()
        return text or None
    return None


def _marking(document: Document) -> str:
    """The front matter's classification, else what the body's marking section says."""
    classification = _text(document.meta.get("classification"))
    if classification:
        return classification
    for section in document.all_sections():
        if " ".join(_NOT_WORD.sub(" ", section.title.casefold()).split()) in MARKING_TITLES and section.paragraphs:
            stated = _LEADING_NUMBER.sub("", section.paragraphs[0].text.strip()).rstrip(".").strip()
            if stated:
                return stated
    raise RenderError(document.path, 1, "no protective marking: set 'classification' in the front matter (for example OFFICIAL)")


def _parse_date(value: str | None) -> datetime.date | None:
    match = _DATE.match(value or "")
    if match is None:
        return None
    try:
        return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
    except ValueError:
        return None


def display_date(value: str | None) -> str:
    """``2025-01`` as 'January 2025', ``2025-01-15`` as '15 January 2025'."""
    parsed = _parse_date(value)
    if parsed is None:
        return value or "Not stated"
    month_year = f"{_MONTHS[parsed.month - 1]} {parsed.year}"
    return month_year if len(value or "") == 7 else f"{parsed.day} {month_year}"


# Title block


def title_block_rows(frame: Frame) -> list[tuple[str, str]]:
    rows = [("Reference", frame.id), ("Title", frame.title)]
    if frame.force:
        rows.append(("Force", frame.force))
    rows += [
        ("Version", frame.version or "Not stated"),
        ("Status", frame.status.capitalize() + (" (not approved: DRAFT)" if frame.draft else "")),
        ("Owner", frame.owner or "Not stated"),
        ("Last reviewed", display_date(frame.last_reviewed)),
        ("Next review", display_date(frame.next_review)),
        ("Equality impact", (frame.equality_impact or "Not stated").capitalize()),
        ("Classification", frame.marking),
    ]
    if frame.approved_by:
        rows.append(("Approved by", frame.approved_by))
    if frame.approved_on:
        rows.append(("Approved on", display_date(frame.approved_on)))
    return rows


def add_title_block(document: DocxDocument, frame: Frame) -> None:
    """A two-column table of the document's facts, after the title heading (or first)."""
    rows = [("Document information", "Detail"), *title_block_rows(frame)]
    table = document.add_table(rows=len(rows), cols=2)
    table._tbl.tblStyle_val = style_ids(document)["table grid"]
    for number, ((label, value), row) in enumerate(zip(rows, table.rows)):
        label_cell, value_cell = row.cells
        label_cell.paragraphs[0].add_run(label).bold = True
        value_cell.paragraphs[0].add_run(value).bold = number == 0 or None
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    body = document.element.body
    element = table._tbl
    body.remove(element)
    first = body[0] if len(body) else None
    if first is not None and first.tag == qn("w:p") and first.style == style_ids(document).get("heading 1"):
        first.addnext(element)
    else:
        body.insert(0, element)
    # A table straight before another, or as the body's last block, is joined or cut by Word.
    following = element.getnext()
    if following is None or following.tag in (qn("w:tbl"), qn("w:sectPr")):
        element.addnext(parse_xml(f"<w:p {nsdecls('w')}/>"))


# Header and footer


def mark_pages(document: DocxDocument, frame: Frame) -> None:
    """The marking (and DRAFT) at the top and bottom of every page, and the page footer."""
    ids = style_ids(document)
    settings = document.settings.odd_and_even_pages_header_footer
    for section in document.sections:
        headers: list[tuple[_Header, _Footer]] = [(section.header, section.footer)]
        if section.different_first_page_header_footer:
            headers.append((section.first_page_header, section.first_page_footer))
        if settings:
            headers.append((section.even_page_header, section.even_page_footer))
        for header, footer in headers:
            header.is_linked_to_previous = False
            footer.is_linked_to_previous = False
            _mark_header(header, frame, ids["header"])
            _mark_footer(footer, frame, ids["footer"])


def _fresh_paragraph(container: _Header | _Footer, at_top: bool) -> Paragraph:
    """An empty paragraph at the top or bottom of a header or footer, reusing a lone empty one."""
    paragraphs = container.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text and not container._element.xpath(".//w:drawing|.//w:pict|.//w:tbl"):
        return paragraphs[0]
    if at_top and paragraphs:
        return paragraphs[0].insert_paragraph_before()
    return container.add_paragraph()


def _centred(paragraph: Paragraph, style_id: str) -> Paragraph:
    paragraph._p.style = style_id
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _mark_header(header: _Header, frame: Frame, style_id: str) -> None:
    marking = _centred(_fresh_paragraph(header, at_top=True), style_id)
    marking.add_run(frame.marking).bold = True
    if frame.draft:
        draft = _centred(marking.insert_paragraph_before(), style_id)
        run = draft.add_run(f"DRAFT \u2013 NOT APPROVED (status: {frame.status})")
        run.bold = True
        run.font.size = Pt(16)
        run.font.color.rgb = DRAFT_COLOUR


def _mark_footer(footer: _Footer, frame: Frame, style_id: str) -> None:
    reference = _centred(_fresh_paragraph(footer, at_top=False), style_id)
    if frame.draft:
        run = reference.add_run("DRAFT \u00b7 ")
        run.bold = True
        run.font.color.rgb = DRAFT_COLOUR
    reference.add_run(f"{frame.reference_line} \u00b7 Page ")
    _field(reference, "PAGE")
    reference.add_run(" of ")
    _field(reference, "NUMPAGES")
    marking = _centred(footer.add_paragraph(), style_id)
    marking.add_run(frame.marking).bold = True


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that every reader updates as it lays out pages."""
    runs = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r><w:t>1</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    )
    for run in runs:
        paragraph._p.append(parse_xml(run.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))


# Properties


def set_properties(document: DocxDocument, frame: Frame) -> None:
    """Core properties from the front matter; nothing from the clock or the template's author."""
    properties = document.core_properties
    properties.title = frame.title
    properties.subject = " ".join(part for part in (frame.force, frame.doc_type, frame.id) if part)
    properties.author = frame.owner or ""
    properties.last_modified_by = frame.owner or ""
    properties.keywords = "; ".join(part for part in (frame.id, frame.doc_type, frame.force) if part)
    properties.category = frame.marking
    properties.comments = ""
    properties.content_status = frame.status.capitalize()
    properties.identifier = frame.id
    properties.language = LANGUAGE
    properties.version = frame.version or ""
    properties.created = frame.date.replace(tzinfo=None)
    properties.modified = frame.date.replace(tzinfo=None)
    element = properties._element
    for name in ("cp:lastPrinted", "cp:revision"):
        for child in element.findall(qn(name)):
            element.remove(child)
    if frame.version:
        element.get_or_add_revision().text = frame.version

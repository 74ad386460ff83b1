"""The document around the policy text: title block, marking, page footer, properties.

Everything here comes from the front matter, never from the clock, so that
the same source renders to the same bytes on any day.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.coreprops import CT_CoreProperties
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement

from pcso_policy.dates import parse_iso
from pcso_policy.model import Document
from pcso_policy.render import wordml
from pcso_policy.render.markdown import RenderError
from pcso_policy.render.readback import paragraph_text
from pcso_policy.render.styles import LANGUAGE
from pcso_policy.render.wordml import Block, Paragraph, Table, escape

if TYPE_CHECKING:
    from pcso_policy.render.template import PreparedTemplate

MARKING_TITLES = frozenset({"marking", "protective marking", "security marking", "security classification", "classification"})
"""Section titles whose first paragraph states the marking when the front matter has no ``classification``."""

DRAFT_COLOUR = "C00000"
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
            parsed = parse_iso(value)
            if parsed is not None:
                day = parsed.first_day()
                return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
        return datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)

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


def display_date(value: str | None) -> str:
    """``2025-01`` as 'January 2025', ``2025-01-15`` as '15 January 2025'."""
    parsed = parse_iso(value)
    return str(parsed) if parsed is not None else value or "Not stated"


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


def insert_title_block(blocks: list[Block], frame: Frame, style_ids: dict[str, str], text_width: int) -> None:
    """A two-column table of the document's facts, after the title heading (or first)."""
    rows = [("Document information", "Detail"), *title_block_rows(frame)]
    cells = [
        [Paragraph(content=[wordml.run(label, bold=True)]), Paragraph(content=[wordml.run(value, bold=number == 0)])]
        for number, (label, value) in enumerate(rows)
    ]
    table = Table(style_ids["table grid"], cells, header_rows=1, width=text_width)
    first = blocks[0] if blocks else None
    at = 1 if isinstance(first, Paragraph) and first.style_id == style_ids.get("heading 1") else 0
    blocks.insert(at, table)
    # A table straight before another, or as the body's last block, is joined or cut by Word.
    following = blocks[at + 1] if at + 1 < len(blocks) else None
    if following is None or isinstance(following, Table):
        blocks.insert(at + 1, Paragraph())


# Header and footer


def mark_pages(template: PreparedTemplate, frame: Frame) -> dict[str, bytes]:
    """The marking (and DRAFT) at the top and bottom of every page, and the page footer: the changed parts."""
    stories: dict[str, BaseOxmlElement] = {}

    def story(name: str) -> BaseOxmlElement:
        if name not in stories:  # a part two kinds of page share is marked once per kind, as before
            stories[name] = parse_xml(template.parts[name])
        return stories[name]

    for header_part, footer_part in template.page_parts:
        _mark_header(story(header_part), frame, template.style_ids["header"])
        _mark_footer(story(footer_part), frame, template.style_ids["footer"])
    return {name: serialize_part_xml(element) for name, element in stories.items()}


def _place(story: BaseOxmlElement, style_id: str, runs: str, at_top: bool, reuse: bool = True) -> BaseOxmlElement:
    """A centred paragraph of ``runs`` at the top or bottom of a header or footer; with ``reuse``, a lone empty one."""
    paragraphs = story.findall(qn("w:p"))
    content = parse_xml(f"<w:p {nsdecls('w')}>{runs}</w:p>")
    if reuse and len(paragraphs) == 1 and not paragraph_text(paragraphs[0]) and not story.xpath(".//w:drawing|.//w:pict|.//w:tbl"):
        paragraph = paragraphs[0]
        ct_p = cast(CT_P, paragraph)  # python-docx's parser makes every w:p a CT_P
        ct_p.style = style_id
        ct_p.get_or_add_pPr().jc_val = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.extend(list(content))
        return paragraph
    content.insert(0, parse_xml(f'<w:pPr {nsdecls("w")}><w:pStyle w:val="{escape(style_id)}"/><w:jc w:val="center"/></w:pPr>'))
    if at_top and paragraphs:
        paragraphs[0].addprevious(content)
    else:
        story.append(content)
    return content


def _mark_header(header: BaseOxmlElement, frame: Frame, style_id: str) -> None:
    _place(header, style_id, wordml.run(frame.marking, bold=True), at_top=True)
    if frame.draft:
        _place(header, style_id, _draft_run(f"DRAFT \u2013 NOT APPROVED (status: {frame.status})", size=32), at_top=True)


def _mark_footer(footer: BaseOxmlElement, frame: Frame, style_id: str) -> None:
    draft = _draft_run("DRAFT \u00b7 ") if frame.draft else ""
    runs = draft + wordml.run(f"{frame.reference_line} \u00b7 Page ") + _field("PAGE") + wordml.run(" of ") + _field("NUMPAGES")
    _place(footer, style_id, runs, at_top=False)
    _place(footer, style_id, wordml.run(frame.marking, bold=True), at_top=False, reuse=False)


def _draft_run(text: str, size: int | None = None) -> str:
    """A bold run in the draft colour (and ``size`` half-points), as python-docx writes one."""
    size_xml = f'<w:sz w:val="{size}"/>' if size else ""
    return f'<w:r><w:rPr><w:b/><w:color w:val="{DRAFT_COLOUR}"/>{size_xml}</w:rPr>{wordml.run_content(text)}</w:r>'


def _field(instruction: str) -> str:
    """A Word field (PAGE, NUMPAGES) that every reader updates as it lays out pages."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


# Properties


def core_properties(template: PreparedTemplate, frame: Frame) -> dict[str, bytes]:
    """The template's core properties part with the policy's properties."""
    properties = CoreProperties(cast(CT_CoreProperties, parse_xml(template.parts[template.core_part])))
    set_properties(properties, frame)
    return {template.core_part: serialize_part_xml(properties._element)}


def set_properties(properties: CoreProperties, frame: Frame) -> None:
    """Core properties from the front matter; nothing from the clock or the template's author."""
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

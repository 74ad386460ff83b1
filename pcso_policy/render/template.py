"""Opening the Word template a document is rendered into.

The built-in template (``template.docx`` beside this module, made by
``scripts/make_template.py``) is A4, English (United Kingdom), Calibri 12 pt,
left aligned. A force's own ``--template`` keeps its styles, page setup and
header content (a logo); styles the renderer needs and the template lacks are
added, and the language is set to English (United Kingdom) either way.

A template is prepared once per process (:func:`prepared_template`): opened
with python-docx, given the styles, language, headers, footers and numbering
part every document needs, and kept as the bytes of its parts. Each policy is
then written into it (:class:`~pcso_policy.render.package.DocumentPackage`)
without opening the template again.
"""

from __future__ import annotations

import functools
import io
import zipfile
from copy import deepcopy
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Inches
from lxml import etree

from pcso_policy.errors import UsageError
from pcso_policy.render.package import ZipEntry, deflate, relationships_name
from pcso_policy.render.styles import ensure_styles, set_language, style_ids
from pcso_policy.render.wordml import R_NAMESPACE, W_NAMESPACE

_BODY_MARK = "pcso-policy body"


def builtin_template() -> bytes:
    return resources.files("pcso_policy.render").joinpath("template.docx").read_bytes()


@dataclass(frozen=True, slots=True)
class PreparedTemplate:
    """A template ready to render into, as the bytes of its parts (ZIP names without a leading '/')."""

    parts: dict[str, bytes]
    deflated: dict[str, ZipEntry]
    """Every part, deflated, for those a document leaves as they are."""
    style_ids: dict[str, str]
    """Style name (case folded) to style id."""
    document_part: str
    document_head: str
    """``document.xml`` up to where the body's content goes."""
    document_tail: str
    """``document.xml`` from the body's section properties on."""
    page_parts: tuple[tuple[str, str], ...]
    """The (header, footer) parts of each kind of page (every page; first page; even pages)."""
    numbering_part: str
    relationships_part: str
    relationship_ids: frozenset[str]
    hyperlinks: dict[str, str]
    """The relationship id of each external hyperlink target the template already has (python-docx reuses them)."""
    core_part: str
    text_width: int
    """The width between the margins in EMU, which a table spans."""


def prepared_template(template: Path | None) -> PreparedTemplate:
    """The built-in template or a force's, prepared once per process for the same bytes."""
    if template is None:
        return _prepare(builtin_template())
    data = _read_force_template(template)
    try:
        return _prepare(data)
    except (ValueError, KeyError, zipfile.BadZipFile) as error:
        raise UsageError(
            f"template '{template}' cannot be used ({error}): save it from Word as a Word Document (.docx), not a template (.dotx)"
        ) from None


def _read_force_template(template: Path) -> bytes:
    try:
        data = template.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read template '{template}': {(error.strerror or str(error)).lower()}") from None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UsageError(f"template '{template}' is not a Word document (.docx): save it from Word as .docx")
    return data


def clear_body(document: DocxDocument) -> None:
    """Remove the template's sample content, keeping its page setup (the last section's properties)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


@functools.lru_cache(maxsize=4)
def _prepare(data: bytes) -> PreparedTemplate:
    document = docx.Document(io.BytesIO(data))
    ensure_styles(document)
    set_language(document)
    clear_body(document)
    page_parts = _add_page_parts(document)
    core_part = _name(document.part.package._core_properties_part)  # python-docx adds one when the template has none
    numbering_part = _name(document.part.numbering_part)
    head, tail = _split_document(document)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as saved:
        parts = {name: saved.read(name) for name in saved.namelist()}
    document_part = _name(document.part)
    relationships = document.part.rels
    return PreparedTemplate(
        parts=parts,
        deflated={name: deflate(name, part) for name, part in parts.items()},
        style_ids=style_ids(document.styles.element),
        document_part=document_part,
        document_head=head,
        document_tail=tail,
        page_parts=page_parts,
        numbering_part=numbering_part,
        relationships_part=relationships_name(document_part),
        relationship_ids=frozenset(relationships),
        hyperlinks={rel.target_ref: rel_id for rel_id, rel in relationships.items() if rel.is_external and rel.reltype == RT.HYPERLINK},
        core_part=core_part,
        text_width=_text_width(document),
    )


def _add_page_parts(document: DocxDocument) -> tuple[tuple[str, str], ...]:
    """Unlink every header and footer a page can show, so each document writes its own; their part names."""
    pairs: list[tuple[str, str]] = []
    for section in document.sections:
        kinds = [(section.header, section.footer)]
        if section.different_first_page_header_footer:
            kinds.append((section.first_page_header, section.first_page_footer))
        if document.settings.odd_and_even_pages_header_footer:
            kinds.append((section.even_page_header, section.even_page_footer))
        for header, footer in kinds:
            header.is_linked_to_previous = False
            footer.is_linked_to_previous = False
            pairs.append((_name(header.part), _name(footer.part)))
    return tuple(pairs)


def _split_document(document: DocxDocument) -> tuple[str, str]:
    """``document.xml`` as the text before and after the body's content, with ``w:`` and ``r:`` declared on the root."""
    root = _with_prefixes(document.element)
    body = root.find(qn("w:body"))
    assert body is not None, "python-docx opened the template, so its document has a body"
    mark = etree.Comment(_BODY_MARK)
    body.insert(0, mark)
    head, tail = serialize_part_xml(root).decode("utf-8").split(f"<!--{_BODY_MARK}-->")
    body.remove(mark)
    return head, tail


def _with_prefixes(root: etree._Element) -> etree._Element:
    """``root``, or a copy of it declaring the prefixes the body is written with when it does not."""
    if root.nsmap.get("w") == W_NAMESPACE and root.nsmap.get("r") == R_NAMESPACE:
        return root
    copy = etree.Element(root.tag, dict(root.attrib), nsmap={**root.nsmap, "w": W_NAMESPACE, "r": R_NAMESPACE})
    copy.extend(deepcopy(child) for child in root)
    return copy


def _text_width(document: DocxDocument) -> int:
    """The width python-docx gives a table: between the last section's margins."""
    if not len(document.sections):
        return int(Inches(6.5))
    section = document.sections[-1]
    return int((section.page_width or Inches(8.5)) - (section.left_margin or Inches(1)) - (section.right_margin or Inches(1)))


def _name(part: Part) -> str:
    return str(part.partname).lstrip("/")


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
from typing import TYPE_CHECKING, cast

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.oxml import serialize_part_xml
from docx.opc.package import OpcPackage
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn
from docx.package import Package
from docx.shared import Inches
from lxml import etree

from pcso_policy.errors import UsageError
from pcso_policy.render import active
from pcso_policy.render.package import ZipEntry, deflate, relationships_name, serialize
from pcso_policy.render.styles import ensure_styles, set_language, style_ids
from pcso_policy.render.wordml import R_NAMESPACE, W_NAMESPACE

if TYPE_CHECKING:
    from docx.parts.document import DocumentPart

_BODY_MARK = "pcso-policy body"

MAX_TEMPLATE_BYTES = 32 * 2**20
"""The largest template file read (a force's Word template with its logo is well under a megabyte)."""
MAX_UNPACKED_BYTES = 128 * 2**20
"""The most all of a template's parts may unpack to, as its ZIP directory declares (reading stops there)."""
MAX_PARTS = 1000
MAX_RATIO = 100
"""How many times its packed size a part over :data:`_RATIO_FROM` bytes may unpack to (Word's XML: about 10)."""
_RATIO_FROM = 2**20
_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_XML_GENERIC = frozenset({CT.WML_WEB_SETTINGS, CT.WML_FONT_TABLE, CT.OFC_THEME, CT.WML_FOOTNOTES, CT.WML_ENDNOTES})
"""XML parts python-docx keeps as bytes, parsed here to be cleaned."""


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
    core_part: str
    text_width: int
    """The width between the margins in EMU, which a table spans."""


class TemplateProblem(ValueError):
    """Why a template's bytes cannot be prepared, as the end of a sentence about the template."""


_SAVE_AS_DOCX = "save it from Word as a Word Document (.docx)"


def prepared_template(template: Path | None) -> PreparedTemplate:
    """The built-in template or a force's, prepared once per process for the same bytes.

    A force's template is checked before anything in it is unpacked or parsed (its size, what its parts
    unpack to, no XML document type declarations: :func:`_checked_archive`), then sanitised as it is prepared
    (:func:`_sanitise`): what it holds beyond what a policy document needs is dropped.
    """
    if template is None:
        return _prepare(builtin_template())
    data = _read_force_template(template)
    try:
        return _prepare(data, checked=True)
    except TemplateProblem as problem:
        raise UsageError(f"template '{template}' {problem}: {_SAVE_AS_DOCX}") from None
    except (ValueError, KeyError, IndexError, AttributeError, TypeError, zipfile.BadZipFile, etree.LxmlError) as error:
        # python-docx meets a malformed package with whatever error the first thing it lacks raises
        raise UsageError(f"template '{template}' cannot be used ({type(error).__name__}: {error}): {_SAVE_AS_DOCX}") from None


def _read_force_template(template: Path) -> bytes:
    try:
        size = template.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise UsageError(
                f"template '{template}' is {size / 2**20:.0f} MB, more than a Word template needs "
                f"({MAX_TEMPLATE_BYTES // 2**20} MB at most): use the force's template without embedded media"
            )
        data = template.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read template '{template}': {(error.strerror or str(error)).lower()}") from None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UsageError(f"template '{template}' is not a Word document (.docx): save it from Word as .docx")
    return data


def _checked_archive(data: bytes) -> bytes:
    """The template's parts, re-packed from reads that stop at the sizes its ZIP directory declares, once
    those are within what any template needs; refused (:class:`TemplateProblem`) beyond them (a ZIP bomb), or
    when an XML part declares a document type (entities: python-docx's parser does not expand them, but would
    save their references into the published document).

    Nothing is unpacked past the declared sizes: a part that inflates further is cut there (Python's
    ``zipfile`` unpacks a whole part in one call when asked for all of it, so python-docx never reads the
    template's own archive), and a cut part is an XML or CRC error.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > MAX_PARTS:
            raise TemplateProblem(f"has {len(members)} parts, more than any Word document ({MAX_PARTS} at most)")
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if total > MAX_UNPACKED_BYTES or (member.file_size > _RATIO_FROM and ratio > MAX_RATIO):
                raise TemplateProblem(
                    f"has a part '{member.filename}' that unpacks to {member.file_size / 2**20:,.0f} MB "
                    f"({ratio:,.0f} times its packed size): it is not an ordinary Word document, and was not unpacked"
                )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as repacked:
            for member in members:
                part = _read_bounded(archive, member)
                if member.filename.endswith((".xml", ".rels")) or part.lstrip()[:1] == b"<" or part.startswith(_BOMS):
                    try:
                        active.parse(part)
                    except active.UnsafeXml as error:
                        raise TemplateProblem(f"has a part '{member.filename}' holding {error}, and was not used") from None
                repacked.writestr(zipfile.ZipInfo(member.filename), part)
    return buffer.getvalue()


def _read_bounded(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A part's bytes, unpacked a megabyte at a time and never past its declared size."""
    chunks: list[bytes] = []
    left = member.file_size
    with archive.open(member) as stream:
        while left > 0:
            chunk = stream.read(min(left, 2**20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    return b"".join(chunks)


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def clear_body(document: DocxDocument) -> None:
    """Remove the template's sample content, keeping its page setup (the last section's properties)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


@functools.lru_cache(maxsize=4)
def _prepare(data: bytes, checked: bool = False) -> PreparedTemplate:
    """The template ``data`` prepared; ``checked`` first by :func:`_checked_archive` (a force's)."""
    document = _open(_checked_archive(data) if checked else data)
    clear_body(document)
    _sanitise(document)
    ensure_styles(document)
    set_language(document)
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
        core_part=core_part,
        text_width=_text_width(document),
    )


def _open(data: bytes) -> DocxDocument:
    """The template as python-docx opens it (``docx.Document``), refusing a macro-enabled document or a template."""
    part = Package.open(io.BytesIO(data)).main_document_part
    content_type = part.content_type
    if content_type != CT.WML_DOCUMENT_MAIN:
        if "macroEnabled" in content_type:
            raise TemplateProblem("is macro-enabled (.docm or .dotm): published documents carry no macros")
        if content_type == _TEMPLATE_MAIN:
            raise TemplateProblem("is a Word template (.dotx), not a document")
        raise TemplateProblem(f"is not a Word document (its main part is {content_type!r})")
    return cast(DocxDocument, cast("DocumentPart", part).document)  # as docx.Document: a WML package's main part is a DocumentPart


def _sanitise(document: DocxDocument) -> None:
    """Keep only the parts, relationships and content a policy document needs (:mod:`.active`).

    Every part reachable from the package is visited once: its relationships are cut to the types its kind
    of part may have, to parts of the content type each implies, internal only, and (for headers, footers,
    pictures) to those its XML names; its XML loses fields other than page numbering, objects, controls,
    embedded fonts, attached templates and whatever named a relationship it lost; ``docProps/app.xml`` becomes
    :data:`~pcso_policy.render.active.NEUTRAL_APP`. A part nothing reaches any more is not saved. A template
    holding none of it comes out as it went in, byte for byte.
    """
    package = document.part.package
    _prune(package, active.PACKAGE, set())
    seen: set[int] = set()
    queue: list[Part] = [rel.target_part for rel in package.rels.values()]
    while queue:
        part = queue.pop(0)
        if id(part) in seen:
            continue
        seen.add(id(part))
        _clean_part(part)
        queue.extend(rel.target_part for rel in part.rels.values() if not rel.is_external)


def _clean_part(part: Part) -> None:
    content_type = part.content_type
    if content_type == CT.OFC_EXTENDED_PROPERTIES:
        part._blob = active.NEUTRAL_APP
        _prune(part, content_type, set())
        return
    root: etree._Element | None = None
    if isinstance(part, XmlPart):
        root = part.element
    elif content_type in _XML_GENERIC:
        root = active.parse(part.blob)
    if root is None:
        _prune(part, content_type, set())
        return
    _prune(part, content_type, active.referenced(root))
    if active.clean(root, set(part.rels)):
        _prune(part, content_type, active.referenced(root))
        if not isinstance(part, XmlPart):
            part._blob = serialize(root)


def _prune(source: OpcPackage | Part, source_type: str, referenced: set[str]) -> None:
    """Drop the relationships of ``source`` that :mod:`.active` does not allow (or that it names no more)."""
    allowed = active.RELATIONSHIPS.get(source_type, frozenset())
    rels = source.rels
    for rel_id, rel in list(rels.items()):
        keep = (
            not rel.is_external
            and rel.reltype in allowed
            and rel.target_part.content_type in active.PART_TYPES.get(rel.reltype, frozenset())
            and (rel.reltype not in active.EXPLICIT or rel_id in referenced)
        )
        if not keep:
            del rels[rel_id]
            rels.related_parts.pop(rel_id, None)


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


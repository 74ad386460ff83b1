"""What a published document may hold, as one allow-list for the template's sanitiser and the read-back.

A Word document can carry content that acts when it is opened or clicked:
fields that run other programs or fetch from the network (``DDEAUTO``,
``INCLUDEPICTURE "http://..."``, ``INCLUDETEXT``), relationships to files
outside the document (a UNC or http target, which Windows fetches and offers
the reader's credentials to), an attached ``.dotm`` template (macros), a
``vbaProject.bin``, OLE objects and ActiveX controls, embedded fonts (parsed
by the system's font engine), custom XML data, mail-merge data sources, and
properties naming the template's author's company, manager and template
path. A policy document needs none of it:

- **parts** (:data:`PART_TYPES`, :data:`RELATIONSHIPS`): the main document, its
  styles, numbering, settings, web settings, font table, theme, headers and
  footers, footnotes and endnotes, pictures (PNG, JPEG, GIF, BMP, TIFF, EMF,
  WMF) in those, and the core and extended properties; each reached by the
  relationship type that names it and of the content type that type implies;
- **external relationships**: none but the hyperlinks the body writes, from the
  main document, to an address :func:`~pcso_policy.builtin.links.link_problem`
  allows;
- **fields**: only ``PAGE`` and ``NUMPAGES`` (with ``\\*`` format switches), the
  page numbering the frame writes;
- **elements** (:data:`FORBIDDEN`): no objects, controls, imported chunks,
  sub-documents, attached template or schema, mail merge, document variables,
  embedded fonts, data bindings, frames, nor hyperlinks on drawings; and no
  ``href`` or ``src`` attribute (VML's own links to files);
- **extended properties** (``docProps/app.xml``): :data:`NEUTRAL_APP`, the
  built-in template's, which names no company, manager or template;
- **XML**: no document type declaration, so no entity is ever defined, let
  alone expanded.

:func:`clean` removes what a template's XML part holds beyond that (the
template is prepared with it, :mod:`.template`); :func:`found_in` lists it
(the read-back refuses a document holding any, :mod:`.readback`). Both read
the same tables, so the read-back refuses exactly what the sanitiser drops.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE = "urn:schemas-microsoft-com:office:office"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
V = "urn:schemas-microsoft-com:vml"

IMAGE_TYPES = frozenset({CT.PNG, CT.JPEG, CT.GIF, CT.BMP, CT.TIFF, CT.X_EMF, CT.X_WMF, "image/jpg", "image/x-png"})
PART_TYPES: dict[str, frozenset[str]] = {
    RT.OFFICE_DOCUMENT: frozenset({CT.WML_DOCUMENT_MAIN}),
    RT.CORE_PROPERTIES: frozenset({CT.OPC_CORE_PROPERTIES}),
    RT.EXTENDED_PROPERTIES: frozenset({CT.OFC_EXTENDED_PROPERTIES}),
    RT.STYLES: frozenset({CT.WML_STYLES}),
    RT.NUMBERING: frozenset({CT.WML_NUMBERING}),
    RT.SETTINGS: frozenset({CT.WML_SETTINGS}),
    RT.WEB_SETTINGS: frozenset({CT.WML_WEB_SETTINGS}),
    RT.FONT_TABLE: frozenset({CT.WML_FONT_TABLE}),
    RT.THEME: frozenset({CT.OFC_THEME}),
    RT.HEADER: frozenset({CT.WML_HEADER}),
    RT.FOOTER: frozenset({CT.WML_FOOTER}),
    RT.FOOTNOTES: frozenset({CT.WML_FOOTNOTES}),
    RT.ENDNOTES: frozenset({CT.WML_ENDNOTES}),
    RT.IMAGE: IMAGE_TYPES,
}
"""The content types of the part each kept relationship type may reach."""

PACKAGE = ""
"""The package itself, as the source of relationships (``_rels/.rels``)."""
_STORY_RELATIONSHIPS = frozenset({RT.IMAGE})
RELATIONSHIPS: dict[str, frozenset[str]] = {
    PACKAGE: frozenset({RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES, RT.EXTENDED_PROPERTIES}),
    CT.WML_DOCUMENT_MAIN: frozenset(
        {
            RT.STYLES,
            RT.NUMBERING,
            RT.SETTINGS,
            RT.WEB_SETTINGS,
            RT.FONT_TABLE,
            RT.THEME,
            RT.HEADER,
            RT.FOOTER,
            RT.FOOTNOTES,
            RT.ENDNOTES,
            RT.IMAGE,
        }
    ),
    CT.WML_HEADER: _STORY_RELATIONSHIPS,
    CT.WML_FOOTER: _STORY_RELATIONSHIPS,
    CT.WML_FOOTNOTES: _STORY_RELATIONSHIPS,
    CT.WML_ENDNOTES: _STORY_RELATIONSHIPS,
    CT.WML_NUMBERING: _STORY_RELATIONSHIPS,  # picture bullets
    CT.OFC_THEME: _STORY_RELATIONSHIPS,  # picture fills
}
"""The internal relationship types each kind of part (by content type) may have; any other part has none."""
EXPLICIT = frozenset({RT.HEADER, RT.FOOTER, RT.IMAGE, RT.HYPERLINK})
"""Relationship types the part's XML names by id: one it does not name is not needed."""
EXTERNAL = frozenset({(CT.WML_DOCUMENT_MAIN, RT.HYPERLINK)})
"""The only external relationships a published document has: the body's hyperlinks (never a template's)."""

NEUTRAL_APP = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>pcso-policy</Application><DocSecurity>0</DocSecurity></Properties>"
)
"""``docProps/app.xml`` of every published document: the built-in template's, naming no company, manager or template."""
APP_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
APP_ELEMENTS = frozenset({f"{{{APP_NAMESPACE}}}Application", f"{{{APP_NAMESPACE}}}DocSecurity"})


def _w(*names: str) -> dict[str, str]:
    return {f"{{{W}}}{name}": what for name, what in zip(names[::2], names[1::2], strict=True)}


FORBIDDEN: dict[str, str] = {
    **_w(
        "object", "an embedded or linked object (OLE)",
        "control", "an ActiveX control",
        "altChunk", "imported content (altChunk)",
        "subDoc", "a sub-document",
        "attachedTemplate", "an attached template",
        "attachedSchema", "an attached XML schema",
        "saveThroughXslt", "a transform applied on saving",
        "mailMerge", "a mail-merge data source",
        "docVars", "document variables (macro data)",
        "embedRegular", "an embedded font",
        "embedBold", "an embedded font",
        "embedItalic", "an embedded font",
        "embedBoldItalic", "an embedded font",
        "embedTrueTypeFonts", "the setting to embed fonts",
        "embedSystemFonts", "the setting to embed fonts",
        "dataBinding", "a data binding to custom XML",
        "frameset", "frames (other documents shown inside this one)",
        "delInstrText", "a deleted field instruction",
    ),
    f"{{{OFFICE}}}OLEObject": "an embedded or linked object (OLE)",
    f"{{{A}}}hlinkClick": "a hyperlink on a drawing",
    f"{{{A}}}hlinkHover": "a hyperlink on a drawing",
}  # fmt: skip
"""Elements a published document never holds, each with what it is."""
_CONTAINERS = frozenset({f"{{{W}}}drawing", f"{{{W}}}pict", f"{{{W}}}object"})
"""What is removed with an element that needs a relationship the template loses (a picture of a linked file)."""
_EXTENSION, _EXTENSIONS = f"{{{A}}}ext", f"{{{A}}}extLst"
URL_ATTRIBUTES = frozenset({"href", "src"})
"""Local names of attributes holding an address to fetch or open (VML's ``href``, ``o:href``, ``src``)."""
_RELATIONSHIP_ATTRIBUTES = (f"{{{OFFICE}}}relid",)
_DROPPED_ATTRIBUTE_ONLY = frozenset({f"{{{R}}}link", f"{{{R}}}href"})
"""Relationship attributes naming a linked file beside an embedded copy: only the attribute goes."""

ALLOWED_FIELD = re.compile(r"^\s*(?:PAGE|NUMPAGES)(?:\s+\\\*\s*[A-Za-z]+)*\s*$", re.IGNORECASE)
"""Page numbering, with format switches such as ``\\* MERGEFORMAT`` or ``\\* Arabic``."""

_FLD_CHAR, _INSTR_TEXT, _FLD_SIMPLE = f"{{{W}}}fldChar", f"{{{W}}}instrText", f"{{{W}}}fldSimple"
_FLD_TYPE, _INSTR, _R_RUN, _RPR = f"{{{W}}}fldCharType", f"{{{W}}}instr", f"{{{W}}}r", f"{{{W}}}rPr"
_HYPERLINK, _FLD_DATA = f"{{{W}}}hyperlink", f"{{{W}}}fldData"

SAFE_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


_DOCTYPE = "<!DOCTYPE"
_DOCTYPE_HELD = "a document type declaration (DOCTYPE, which defines XML entities), which a Word document never has"


class UnsafeXml(ValueError):
    """An XML part that declares a document type (and so may define entities), or is not XML; its message
    says what the part holds (``'word/styles.xml' holds ...``)."""


def parse(data: bytes) -> etree._Element:
    """A part's XML, parsed without loading or expanding anything; :class:`UnsafeXml` when it has a DOCTYPE."""
    if any(_DOCTYPE.encode(encoding) in data for encoding in ("utf-8", "utf-16-le", "utf-16-be")):
        raise UnsafeXml(_DOCTYPE_HELD)  # before libxml2 reads (and reports) its entities
    try:
        root = etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        raise UnsafeXml(f"XML that is not well-formed ({error})") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.system_url:
        raise UnsafeXml(_DOCTYPE_HELD)
    return root


@dataclass(slots=True)
class Field:
    """A complex field (``w:fldChar`` begin ... separate ... end) of a part, in document order."""

    begin: etree._Element | None
    instruction: str = ""
    instruction_elements: list[etree._Element] = field(default_factory=list)
    """Everything from ``begin`` to ``separate`` (the field code, nested fields in it included) and ``end``."""
    nested: bool = False
    phase: str = "instruction"

    @property
    def allowed(self) -> bool:
        return not self.nested and self.begin is not None and ALLOWED_FIELD.match(self.instruction) is not None


def fields(root: etree._Element) -> Iterator[Field]:
    """Every complex field of a part; a stray separator, end or instruction is a field of its own (never allowed)."""
    stack: list[Field] = []
    for run in root.iter(_R_RUN):
        for child in run:
            if child.tag == _RPR:
                continue
            kind = child.get(_FLD_TYPE) if child.tag == _FLD_CHAR else None
            if kind == "begin":
                if stack and stack[-1].phase == "instruction":
                    stack[-1].nested = True
                for outer in stack:
                    if outer.phase == "instruction":
                        outer.instruction_elements.append(child)
                stack.append(Field(child, instruction_elements=[child]))
                continue
            if not stack:
                if kind is not None or child.tag == _INSTR_TEXT:
                    yield Field(None, child.text or "", [child])
                continue
            for outer in stack:
                if outer.phase == "instruction":
                    outer.instruction_elements.append(child)
            top = stack[-1]
            if kind == "end":
                stack.pop()
                if top.phase != "instruction":
                    top.instruction_elements.append(child)
                yield top
            elif kind == "separate":
                top.phase = "result"
            elif child.tag == _INSTR_TEXT and top.phase == "instruction":
                top.instruction += child.text or ""
    for unfinished in stack:
        unfinished.begin = None  # never ended: never allowed
        yield unfinished


def _attributes_with_urls(element: etree._Element) -> list[str]:
    return [name for name in element.attrib if etree.QName(name).localname in URL_ATTRIBUTES and not name.startswith(f"{{{R}}}")]


def relationship_ids(element: etree._Element) -> Iterator[tuple[str, str]]:
    """Each (attribute, relationship id) by which ``element`` names a relationship of its part."""
    for name, value in element.attrib.items():
        if name.startswith(f"{{{R}}}") or name in _RELATIONSHIP_ATTRIBUTES:
            yield name, value


def referenced(root: etree._Element) -> set[str]:
    """Every relationship id a part's XML names."""
    return {value for element in root.iter() for _, value in relationship_ids(element)}


def found_in(root: etree._Element) -> list[str]:
    """What active content a part's XML holds, each as a phrase; empty when it holds none."""
    found: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in FORBIDDEN:
            found.append(FORBIDDEN[element.tag])
        elif element.tag == _FLD_SIMPLE and not ALLOWED_FIELD.match(element.get(_INSTR, "")):
            found.append(f"a field '{_shown(element.get(_INSTR, ''))}'")
        for name in _attributes_with_urls(element):
            found.append(f"a link to '{_shown(element.get(name, ''))}' ({etree.QName(name).localname} attribute)")
    for complex_field in fields(root):
        if not complex_field.allowed:
            found.append(f"a field '{_shown(complex_field.instruction)}'")
    return found


def clean(root: etree._Element, kept: set[str]) -> bool:
    """Remove from a template's part what :func:`found_in` would find, and what names a relationship not in
    ``kept`` (a hyperlink keeps its text); whether anything changed. A field other than page numbering keeps
    the text it last showed, as plain text."""
    changed = False
    for complex_field in list(fields(root)):
        if not complex_field.allowed:
            changed |= _remove_all(complex_field.instruction_elements)
    for simple in reversed(list(root.iter(_FLD_SIMPLE))):
        if not ALLOWED_FIELD.match(simple.get(_INSTR, "")):
            _remove_all(simple.findall(_FLD_DATA))
            _unwrap(simple)
            changed = True
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or _detached(element, root):
            continue
        if element.tag in FORBIDDEN:
            _remove(_container(element) if element.tag in (f"{{{W}}}control", f"{{{OFFICE}}}OLEObject") else element)
            changed = True
            continue
        for name in _attributes_with_urls(element):
            del element.attrib[name]
            changed = True
        for name, value in list(relationship_ids(element)):
            if value in kept or not value:
                continue
            changed = True
            if element.tag == _HYPERLINK:
                _unwrap(element)
                break
            if name in _DROPPED_ATTRIBUTE_ONLY:
                del element.attrib[name]
                continue
            container = _container(element)
            extensions = container.getparent() if container.tag == _EXTENSION else None
            _remove(container)
            if extensions is not None and not len(extensions):
                _remove(extensions)
            break
    return changed


def _container(element: etree._Element) -> etree._Element:
    """What goes with ``element``: the DrawingML extension holding it (an SVG beside a picture's PNG), else the
    drawing, picture or object holding it, else the element itself."""
    current: etree._Element | None = element
    while current is not None:
        parent = current.getparent()
        if current.tag == _EXTENSION and parent is not None and parent.tag == _EXTENSIONS:
            return current
        if current.tag in _CONTAINERS:
            return current
        current = parent
    return element


def _detached(element: etree._Element, root: etree._Element) -> bool:
    """Whether ``element`` went with an ancestor removed earlier in the same pass."""
    current: etree._Element | None = element
    while current is not None and current is not root:
        current = current.getparent()
    return current is None


def _remove(element: etree._Element) -> bool:
    parent = element.getparent()
    if parent is None:
        return False
    _keep_tail(element)
    parent.remove(element)
    return True


def _remove_all(elements: list[etree._Element]) -> bool:
    removed = False
    for element in elements:
        removed |= _remove(element)
    return removed


def _unwrap(element: etree._Element) -> None:
    """Replace ``element`` by its children."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    _remove(element)


def _keep_tail(element: etree._Element) -> None:
    """Whitespace after a removed element stays (WordprocessingML keeps no text outside ``w:t``)."""
    if element.tail:
        previous = element.getprevious()
        parent = element.getparent()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        elif parent is not None:
            parent.text = (parent.text or "") + element.tail


def _shown(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"

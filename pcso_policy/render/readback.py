"""Reading a rendered DOCX back as a reader would, and checking it.

``publish`` runs :func:`problems` on the written file, not on what it meant
to write: the published artefact is what is checked.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from pcso_policy.render.styles import LANGUAGE, default_language, style_ids

_HEADING_STYLE = re.compile(r"^heading [1-9]$")


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


def read_back(data: bytes) -> Readback:
    """Read ``data`` as a DOCX; a ``ValueError`` when it is not one."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as error:
        raise ValueError(f"not a readable Word document: {error}") from None
    headers: list[str] = []
    footers: list[str] = []
    fields: list[frozenset[str]] = []
    for section in document.sections:
        parts = [(section.header, section.footer)]
        if section.different_first_page_header_footer:
            parts.append((section.first_page_header, section.first_page_footer))
        if document.settings.odd_and_even_pages_header_footer:
            parts.append((section.even_page_header, section.even_page_footer))
        for header, footer in parts:
            headers.append("\n".join(paragraph.text for paragraph in header.paragraphs))
            footers.append("\n".join(paragraph.text for paragraph in footer.paragraphs))
            instructions = (node.text or "" for node in footer._element.iter(qn("w:instrText")))
            fields.append(frozenset(text.split()[0] for text in instructions if text.split()))
    levels = {style_id: int(name[-1]) for name, style_id in style_ids(document).items() if _HEADING_STYLE.match(name)}
    headings: list[tuple[int, str]] = []
    for paragraph in document.paragraphs:
        level = levels.get(paragraph._p.style or "")
        if level is not None:
            headings.append((level, paragraph.text.strip()))
    return Readback(
        title=document.core_properties.title,
        language=default_language(document),
        core_language=document.core_properties.language,
        headers=tuple(headers),
        footers=tuple(footers),
        footer_fields=tuple(fields),
        headings=tuple(headings),
    )


def problems(readback: Readback, title: str, marking: str, draft: bool, headings: list[tuple[int, str]]) -> list[str]:
    """What is wrong with a rendered document, each as a sentence; empty when it is sound."""
    found: list[str] = []
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

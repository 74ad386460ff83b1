"""Opening the Word template a document is rendered into.

The built-in template (``template.docx`` beside this module, made by
``scripts/make_template.py``) is A4, English (United Kingdom), Calibri 12 pt,
left aligned. A force's own ``--template`` keeps its styles, page setup and
header content (a logo); styles the renderer needs and the template lacks are
added, and the language is set to English (United Kingdom) either way.
"""

from __future__ import annotations

import io
import zipfile
from importlib import resources
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from pcso_policy.errors import UsageError
from pcso_policy.render.styles import ensure_styles, set_language


def builtin_template() -> bytes:
    return resources.files("pcso_policy.render").joinpath("template.docx").read_bytes()


def open_template(template: Path | None) -> DocxDocument:
    """The template as an empty document ready to render into."""
    if template is None:
        document = docx.Document(io.BytesIO(builtin_template()))
    else:
        document = _open_force_template(template)
    ensure_styles(document)
    set_language(document)
    clear_body(document)
    return document


def _open_force_template(template: Path) -> DocxDocument:
    try:
        data = template.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read template '{template}': {(error.strerror or str(error)).lower()}") from None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UsageError(f"template '{template}' is not a Word document (.docx): save it from Word as .docx")
    try:
        return docx.Document(io.BytesIO(data))
    except (ValueError, KeyError, zipfile.BadZipFile) as error:
        raise UsageError(
            f"template '{template}' cannot be used ({error}): save it from Word as a Word Document (.docx), not a template (.dotx)"
        ) from None


def clear_body(document: DocxDocument) -> None:
    """Remove the template's sample content, keeping its page setup (the last section's properties)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)

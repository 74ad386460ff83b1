"""Saving a document as the same bytes every time.

python-docx stamps each ZIP entry with the current time; here every entry
gets the document's own date, a fixed order ([Content_Types].xml first, as
Word writes it), fixed permissions and one compression level, so the same
source and template give byte-identical files on any machine and day.
"""

from __future__ import annotations

import datetime
import io
import zipfile

from docx.document import Document as DocxDocument

_FIRST = ("[Content_Types].xml", "_rels/.rels")


def to_bytes(document: DocxDocument, when: datetime.datetime) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise(buffer.getvalue(), when)


def normalise(data: bytes, when: datetime.datetime) -> bytes:
    """The ZIP ``data`` rewritten with fixed entry times, order and attributes."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        names = sorted(source.namelist(), key=lambda name: (name not in _FIRST, _FIRST.index(name) if name in _FIRST else 0, name))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name), compresslevel=9)
    return output.getvalue()

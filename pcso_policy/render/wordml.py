"""WordprocessingML written as text: paragraphs, runs and tables.

Building the body through python-docx's element API costs a schema-ordered
insertion per property and a Python call per character of text; a policy's
body is instead written here as one XML string and parsed once. The markup
is what python-docx writes for the same calls (``add_run``, ``bold``,
``add_table``), in the order the schema requires.
"""

from __future__ import annotations

from dataclasses import dataclass, field

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMU_PER_TWIP = 635


def escape(text: str) -> str:
    """``text`` as XML character data or attribute value."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _text_element(text: str) -> str:
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


def run_content(text: str) -> str:
    """Run content for ``text`` as python-docx writes it: tabs and line breaks as their own elements."""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        return _text_element(text) if text else ""
    parts: list[str] = []
    pending: list[str] = []
    for character in text:
        if character in "\t\n\r":
            if pending:
                parts.append(_text_element("".join(pending)))
                pending = []
            parts.append("<w:tab/>" if character == "\t" else "<w:br/>")
        else:
            pending.append(character)
    if pending:
        parts.append(_text_element("".join(pending)))
    return "".join(parts)


def run(text: str, style_id: str | None = None, bold: bool = False, italic: bool = False, line_break: bool = False) -> str:
    """A ``w:r``: an optional character style, bold and italic, then the text (and a line break)."""
    properties = (f'<w:rStyle w:val="{escape(style_id)}"/>' if style_id else "") + ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return (
        "<w:r>"
        + (f"<w:rPr>{properties}</w:rPr>" if properties else "")
        + run_content(text)
        + ("<w:br/>" if line_break else "")
        + "</w:r>"
    )


@dataclass(slots=True)
class Hyperlink:
    """A ``w:hyperlink`` and the runs inside it."""

    attributes: str
    runs: list[str] = field(default_factory=list)

    def xml(self) -> str:
        return f"<w:hyperlink {self.attributes}>{''.join(self.runs)}</w:hyperlink>"


@dataclass(slots=True)
class Paragraph:
    """A ``w:p`` being written: its properties, then its runs and hyperlinks."""

    style_id: str | None = None
    numbering: tuple[int, int] | None = None
    """(level, numId) of a list item's first paragraph."""
    bottom_border: bool = False
    indent: int | None = None
    """Left indent in twentieths of a point."""
    align: str | None = None
    content: list[str | Hyperlink] = field(default_factory=list)

    def xml(self) -> str:
        properties = self._properties()
        content = "".join(item if isinstance(item, str) else item.xml() for item in self.content)
        return f"<w:p>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}{content}</w:p>"

    def _properties(self) -> str:
        parts: list[str] = []
        if self.style_id is not None:
            parts.append(f'<w:pStyle w:val="{escape(self.style_id)}"/>')
        if self.numbering is not None:
            level, num_id = self.numbering
            parts.append(f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
        if self.bottom_border:
            parts.append('<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="808080"/></w:pBdr>')
        if self.indent is not None:
            parts.append(f'<w:ind w:left="{self.indent}"/>')
        if self.align is not None:
            parts.append(f'<w:jc w:val="{self.align}"/>')
        return "".join(parts)


@dataclass(slots=True)
class Table:
    """A ``w:tbl`` as python-docx's ``add_table`` makes it: equal columns across the text width."""

    style_id: str
    rows: list[list[Paragraph]]
    """Each row's cell paragraphs; a short row is padded with empty cells."""
    header_rows: int
    width: int
    """The text width in EMU, shared equally between the columns."""

    def xml(self) -> str:
        columns = max(len(row) for row in self.rows)
        column_width = round((self.width // columns) / EMU_PER_TWIP)
        grid = "".join(f'<w:gridCol w:w="{column_width}"/>' for _ in range(columns))
        cell_properties = f'<w:tcPr><w:tcW w:type="dxa" w:w="{column_width}"/></w:tcPr>'
        rows: list[str] = []
        for number, row in enumerate(self.rows):
            cells = [paragraph.xml() for paragraph in row] + ["<w:p/>"] * (columns - len(row))
            header = "<w:trPr><w:tblHeader/></w:trPr>" if number < self.header_rows else ""
            rows.append(f"<w:tr>{header}{''.join(f'<w:tc>{cell_properties}{cell}</w:tc>' for cell in cells)}</w:tr>")
        return (
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{escape(self.style_id)}"/><w:tblW w:type="auto" w:w="0"/>'
            '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        )


Block = Paragraph | Table

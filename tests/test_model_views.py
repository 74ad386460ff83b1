"""The document model's views that checks read: the footer, fields, tables, section numbers and texts by scope.

Each document is written as a list of body lines after a three-line front matter, so the
file line of each body line is noted beside it.
"""

from __future__ import annotations

import pytest

from pcso_policy.diagnostics import Position
from pcso_policy.model import BODY_SCOPES, FOOTER_LABELS, Document, Field, Scope
from pcso_policy.parsing import parse_bytes, parse_text

FRONT_MATTER = ["---", "id: T1", "---"]


def parse(*body: str) -> Document:
    """A document whose body lines start at file line 4."""
    document = parse_text("t.md", "\n".join([*FRONT_MATTER, *body, ""])).document
    assert document is not None
    return document


def fields(items: list[Field]) -> list[tuple[str, str, int, int, int, str]]:
    return [(f.label, f.value, f.line, f.column, f.value_column, f.scope) for f in items]


def spans(document: Document, scope: Scope) -> list[tuple[str, Position, Position]]:
    """Each text of ``scope`` with the positions of its first and last characters."""
    return [(text, at(0), at(len(text) - 1)) for at, text in document.texts(frozenset({scope}))]


# The footer after a rule


def test_list_items_after_the_last_rule_are_footer_fields() -> None:
    document = parse(
        "# Title",  # 4
        "",
        "## 1. Scope",  # 6
        "",
        "Text.",  # 8
        "",
        "---",  # 10
        "",
        "- Policy reference: A104",  # 12
        "- **Owner:** Head of Estates",  # 13
        "  and the estates team",  # 14: a continuation, not a field
    )
    assert document.footer_line == 10
    assert fields(document.footer) == [
        ("Policy reference", "A104", 12, 3, 21, "footer"),
        ("Owner", "Head of Estates", 13, 5, 14, "footer"),
    ]
    assert document.list_items == []
    assert document.labelled == []
    assert document.sections[0].end_line == 8


def test_a_two_or_four_cell_table_after_the_last_rule_is_the_footer() -> None:
    document = parse(
        "# Title",  # 4
        "",
        "## 1. Scope",  # 6
        "",
        "Text.",  # 8
        "",
        "---",  # 10
        "",
        "| Policy reference | A104 |",  # 12: the header row is a field too
        "| --- | --- |",
        "| **Contact point:** | Head of Estates |",  # 14
        "",
        "| Version | 2.1 | Date last reviewed | May 2025 |",  # 16
        "| --- | --- | --- | --- |",
    )
    assert document.footer_line == 10
    assert fields(document.footer) == [
        ("Policy reference", "A104", 12, 3, 22, "footer"),
        ("Contact point", "Head of Estates", 14, 5, 24, "footer"),
        ("Version", "2.1", 16, 3, 13, "footer"),
        ("Date last reviewed", "May 2025", 16, 19, 40, "footer"),
    ]
    assert document.footer[1].value_position == Position(14, 24)
    assert document.tables == [] and document.sections[0].tables == []
    assert document.footer_field("date last reviewed", "last reviewed") is document.footer[3]


def test_a_rule_followed_by_a_heading_opens_no_footer() -> None:
    document = parse("## 1. A", "", "---", "", "- Owner: Head", "", "## 2. B", "", "Version: 2")
    assert document.footer == [] and document.footer_line is None
    assert fields(document.labelled) == [("Owner", "Head", 8, 3, 10, "prose"), ("Version", "2", 12, 1, 10, "prose")]


# The footer without a rule


def test_trailing_known_labels_are_the_footer_without_a_rule() -> None:
    document = parse(
        "# Title",  # 4
        "",
        "## 9. Retention",  # 6
        "",
        "9.1 Records are kept for six years.",  # 8
        "",
        "Policy reference: Retention policy (A119)",  # 10
        "Contact point: Head of Information Management",  # 11
        "Date  last reviewed: March 2023",  # 12
    )
    assert document.footer_line == 10
    assert fields(document.footer) == [
        ("Policy reference", "Retention policy (A119)", 10, 1, 19, "footer"),
        ("Contact point", "Head of Information Management", 11, 1, 16, "footer"),
        ("Date  last reviewed", "March 2023", 12, 1, 22, "footer"),
    ]
    assert document.footer[2].key == "date last reviewed"
    assert [p.line for p in document.paragraphs] == [8]
    assert document.sections[0].end_line == 8


def test_a_last_section_whose_only_content_is_a_label_line_keeps_it() -> None:
    document = parse("# Title", "", "## 1. Scope", "", "Text.", "", "## 2. Ownership", "", "Owner: Head of Policy")
    assert document.footer == [] and document.footer_line is None
    assert fields(document.labelled) == [("Owner", "Head of Policy", 12, 1, 8, "prose")]
    ownership = document.sections[1]
    assert [p.text for p in ownership.paragraphs] == ["Owner: Head of Policy"]
    assert ownership.end_line == 12


def test_two_known_labels_as_the_only_content_of_the_last_section_stay_content() -> None:
    document = parse("## 7. Review", "", "Next review: May 2027", "Review date: May 2025")
    assert document.footer == []
    assert [p.line for p in document.sections[0].paragraphs] == [6]


def test_prose_after_a_one_label_paragraph_keeps_both_as_content() -> None:
    document = parse(
        "## 1. Scope",  # 4
        "",
        "Text.",  # 6
        "",
        "Owner: Head of Policy",  # 8
        "",
        "For further information, contact the policy team.",  # 10
    )
    assert document.footer == [] and document.footer_line is None
    assert [p.line for p in document.paragraphs] == [6, 8, 10]
    assert document.sections[0].end_line == 10


def test_closing_prose_after_two_known_labels_leaves_the_footer_in_place() -> None:
    document = parse(
        "## 1. Scope",  # 4
        "",
        "Text.",  # 6
        "",
        "Owner: Head of Policy",  # 8
        "Version: 2",  # 9
        "",
        "If you need this document in another format, contact the policy team.",  # 11
    )
    assert document.footer_line == 8
    assert [(f.label, f.line) for f in document.footer] == [("Owner", 8), ("Version", 9)]
    assert [p.line for p in document.paragraphs] == [6]
    assert [p.line for p in document.footer_prose] == [11]


def test_the_closing_lines_of_a_footer_are_footer_texts() -> None:
    document = parse(
        "## 1. Scope",  # 4
        "",
        "Text.",  # 6
        "",
        "---",  # 8
        "",
        "Policy reference: A104",  # 10
        "",
        "If you require this document in another format,",  # 12
        "  contact the policy team.",  # 13
        "",
        "- Translations are available on request.",  # 15
    )
    assert [(type(block).__name__, block.line) for block in document.footer_prose] == [("Paragraph", 12), ("ListItem", 15)]
    assert document.paragraphs == [document.sections[0].paragraphs[0]] and document.list_items == []
    assert spans(document, "footer") == [
        ("A104", Position(10, 19), Position(10, 22)),
        ("If you require this document in another format,\n  contact the policy team.", Position(12, 1), Position(13, 26)),
        ("Translations are available on request.", Position(15, 3), Position(15, 40)),
    ]


def test_a_last_paragraph_with_no_known_label_is_not_a_footer() -> None:
    document = parse("## 1. Application", "", "Text.", "", "Scope: all staff")
    assert document.footer == [] and document.footer_line is None
    assert fields(document.labelled) == [("Scope", "all staff", 8, 1, 8, "prose")]
    assert [p.line for p in document.sections[0].paragraphs] == [6, 8]


def test_an_unknown_label_in_the_footer_paragraph_is_a_footer_field_beside_known_ones() -> None:
    document = parse("## 1. Scope", "", "Text.", "", "Policy reference: A1", "Scope: all staff")
    assert [(f.label, f.scope) for f in document.footer] == [("Policy reference", "footer"), ("Scope", "footer")]


@pytest.mark.parametrize(
    ("line", "label", "column", "value_column"),
    [
        ("**Owner:** Head of Estates", "Owner", 3, 12),
        ("**Owner**: Head of Estates", "Owner", 3, 12),
        ("__Owner:__ Head of Estates", "Owner", 3, 12),
        ("OWNER:   Head of Estates", "OWNER", 1, 10),
        ("Owner : Head of Estates", "Owner", 1, 9),
        ("Owner: Head of Estates\\", "Owner", 1, 8),
        ("Owner – Head of Estates", "Owner", 1, 9),
        ("Owner — Head of Estates", "Owner", 1, 9),
        ("Owner - Head of Estates", "Owner", 1, 9),
        ("Owner.: Head of Estates", "Owner", 1, 9),
        ("**Owner.**: Head of Estates", "Owner", 3, 13),
    ],
)
def test_footer_labels_are_read_however_they_are_written(line: str, label: str, column: int, value_column: int) -> None:
    document = parse("## 1. Scope", "", "Text.", "", line, "Version: 2")
    assert fields(document.footer)[0] == (label, "Head of Estates", 8, column, value_column, "footer")
    assert document.footer[0].key == "owner"


def test_an_abbreviated_label_is_read_without_its_full_stop() -> None:
    document = parse("## 1. Scope", "", "Text.", "", "Policy ref.: A104", "Contact: Head of Estates")
    assert fields(document.footer)[0] == ("Policy ref", "A104", 8, 1, 14, "footer")
    assert document.footer_field("policy ref") is document.footer[0]
    table = parse("## 1. Control", "", "| Ref. | A104 |", "| --- | --- |")
    assert fields(table.labelled) == [("Ref", "A104", 6, 3, 10, "table")]


def test_a_dash_stands_for_a_colon_only_after_a_known_label() -> None:
    document = parse("## 1. Scope", "", "Text.", "", "---", "", "Contact point – Head of Unit", "Scope – all staff")
    assert document.footer == []  # the paragraph is not made of fields only
    document = parse("## 1. Scope", "", "Text.", "", "---", "", "Contact point – Head of Unit")
    assert fields(document.footer) == [("Contact point", "Head of Unit", 10, 1, 17, "footer")]


def test_a_known_label_left_blank_leaves_the_other_fields_of_its_paragraph() -> None:
    after_rule = parse(
        "## 1. Scope",  # 4
        "",
        "Text.",  # 6
        "",
        "---",  # 8
        "",
        "Policy reference: A104",  # 10
        "Contact point: Head of Estates",  # 11
        "Date last reviewed:",  # 12: left blank, a field whose value is empty
    )
    fields = [(f.label, f.value, f.line, f.column) for f in after_rule.footer]
    assert fields == [("Policy reference", "A104", 10, 1), ("Contact point", "Head of Estates", 11, 1), ("Date last reviewed", "", 12, 1)]
    without_rule = parse("## 1. Scope", "", "Text.", "", "Policy reference: A104", "**Date last reviewed:**")
    assert without_rule.footer_line == 8
    assert [(f.label, f.value, f.line, f.column) for f in without_rule.footer] == [
        ("Policy reference", "A104", 8, 1),
        ("Date last reviewed", "", 9, 3),
    ]


def test_a_blank_label_that_is_not_a_footer_label_keeps_the_paragraph_content() -> None:
    document = parse("## 1. Scope", "", "Text.", "", "Policy reference: A104", "Notes:")
    assert document.footer == []
    assert [p.line for p in document.paragraphs] == [6, 8]
    after_rule = parse("## 1. Scope", "", "Text.", "", "---", "", "Policy reference: A104", "Notes:")
    assert after_rule.footer == []  # a paragraph of the footer with a line that is not a field holds none


@pytest.mark.parametrize("separator", ["·", "•", "|"])
def test_several_fields_on_one_line(separator: str) -> None:
    line = f"Policy reference: A104 {separator} Contact: Head of Estates {separator} Date last reviewed: May 2025"
    document = parse("## 1. Scope", "", "Text.", "", line, "", "For further information, contact the estates team.")
    assert document.footer_line == 8
    assert fields(document.footer) == [
        ("Policy reference", "A104", 8, 1, 19, "footer"),
        ("Contact", "Head of Estates", 8, 26, 35, "footer"),
        ("Date last reviewed", "May 2025", 8, 53, 73, "footer"),
    ]


def test_a_separator_inside_a_value_keeps_the_line_one_field() -> None:
    document = parse("## 1. Scope", "", "Text.", "", "---", "", "Contact point: Estates | Facilities team")
    assert fields(document.footer) == [("Contact point", "Estates | Facilities team", 10, 1, 16, "footer")]


def test_windows_line_endings_and_a_bom_keep_footer_positions() -> None:
    body = ["# Title", "", "## 1. Scope", "", "Text.", "", "Policy reference: A1", "Owner: Head of Policy"]
    data = b"\xef\xbb\xbf" + "\r\n".join([*FRONT_MATTER, *body, ""]).encode()
    document = parse_bytes("t.md", data).document
    assert document is not None
    assert document.footer_line == 10
    assert fields(document.footer) == [
        ("Policy reference", "A1", 10, 1, 19, "footer"),
        ("Owner", "Head of Policy", 11, 1, 8, "footer"),
    ]
    assert document.footer[1].value == "Head of Policy"  # no '\r' left at the end
    assert [(s.number, s.line) for s in document.sections] == [("1", 6)]


def test_the_footer_labels_are_compared_as_titles() -> None:
    assert {"date last reviewed", "policy reference", "contact point", "owner"} <= FOOTER_LABELS
    assert "scope" not in FOOTER_LABELS


# Fields


def test_labelled_lines_of_paragraphs_and_list_items_are_prose_fields() -> None:
    document = parse(
        "## 1. Details",  # 4
        "",
        "The policy lead is named below.",  # 6
        "Policy lead: Head of Neighbourhoods",  # 7: the second line of the paragraph
        "",
        "- Review date: 01/07/2027",  # 9
        "- Scope: all staff",  # 10
        "  who patrol",  # 11
    )
    assert fields(document.labelled) == [
        ("Policy lead", "Head of Neighbourhoods", 7, 1, 14, "prose"),
        ("Review date", "01/07/2027", 9, 3, 16, "prose"),
        ("Scope", "all staff", 10, 3, 10, "prose"),
    ]
    assert document.labelled[0].value_position == Position(7, 14)
    assert document.labelled[1].key == "review date"


def test_two_and_four_cell_table_rows_are_table_fields() -> None:
    document = parse(
        "## 1. Document control",  # 4
        "",
        "| Owner | Head of Estates |",  # 6
        "| --- | --- |",
        "| **Review date:** | 01/07/2029 |",  # 8
        "| 2.1 | Amended |",  # 9: a number, not a label
        "| Author |  |",  # 10: no value
        "",
        "| Version | 3 | Status | approved |",  # 12
        "| --- | --- | --- | --- |",
        "",
        "| Change | Date | By |",  # 15: three cells
        "| --- | --- | --- |",
        "| Amended | May 2025 | Head |",
    )
    assert fields(document.labelled) == [
        ("Owner", "Head of Estates", 6, 3, 11, "table"),
        ("Review date", "01/07/2029", 8, 5, 22, "table"),
        ("Version", "3", 12, 3, 13, "table"),
        ("Status", "approved", 12, 17, 26, "table"),
    ]
    assert document.labelled[1].value_position == Position(8, 22)


def test_fields_lists_every_field_footer_included_in_file_order() -> None:
    document = parse(
        "| Protective marking | OFFICIAL |",  # 4: a cover table before the title
        "| --- | --- |",
        "",
        "# Title",  # 7
        "",
        "## 1. Scope",  # 9
        "",
        "Applies to: all staff",  # 11
        "",
        "---",  # 13
        "",
        "Owner: Head of Policy",  # 15
    )
    assert [(f.key, f.line, f.scope) for f in document.fields()] == [
        ("protective marking", 4, "table"),
        ("applies to", 11, "prose"),
        ("owner", 15, "footer"),
    ]


# Tables


def test_tables_cells_lines_columns_and_header_rows() -> None:
    document = parse(
        "| Protective marking | OFFICIAL |",  # 4
        "| --- | --- |",
        "",
        "# Title",  # 7
        "",
        "## 1. Powers",  # 9
        "",
        "| Power | Source |",  # 11
        "|:------|-------:|",
        "|  Stop and account |Schedule 3B |",  # 13
    )
    cover, powers = document.tables
    assert (cover.line, cover.end_line) == (4, 5)
    assert [(c.text, c.line, c.column, c.header) for c in cover.rows[0]] == [
        ("Protective marking", 4, 3, True),
        ("OFFICIAL", 4, 24, True),
    ]
    assert document.title == "Title"
    assert all(cover not in s.tables for s in document.all_sections())
    assert document.sections[0].tables == [powers]
    assert (powers.line, powers.end_line) == (11, 13)
    assert [[(c.text, c.line, c.column, c.header) for c in row] for row in powers.rows] == [
        [("Power", 11, 3, True), ("Source", 11, 11, True)],
        [("Stop and account", 13, 4, False), ("Schedule 3B", 13, 22, False)],
    ]
    assert document.sections[0].end_line == 13


def test_escaped_pipes_and_empty_cells_are_placed_in_their_source_line() -> None:
    document = parse(
        "## 1. Terms",  # 4
        "",
        "| Term | Meaning |",  # 6
        "| --- | --- |",
        "| a \\| b | either |",  # 8
        "|  | blank term |",  # 9
        "| c | |",  # 10
    )
    rows = document.tables[0].rows
    assert [(c.text, c.column) for c in rows[1]] == [("a | b", 3), ("either", 12)]
    assert [(c.text, c.column) for c in rows[2]] == [("", 2), ("blank term", 6)]
    assert [(c.text, c.column) for c in rows[3]] == [("c", 3), ("", 6)]
    texts = {text: position_of for position_of, text in document.texts(frozenset({"table"}))}
    assert texts["a | b"](4) == Position(8, 8)  # the 'b', after the escaped pipe


# Section numbers


@pytest.mark.parametrize(
    ("heading", "number", "title", "written_number"),
    [
        ("3. Scope", "3", "Scope", "3"),
        ("3 Scope", "3", "Scope", "3"),
        ("3.0 Scope", "3", "Scope", "3.0"),
        ("3.0. Scope", "3", "Scope", "3.0"),
        ("Section 3 – Scope", "3", "Scope", "3"),
        ("SECTION 3 - Scope", "3", "Scope", "3"),
        ("Part 2: Scope", "2", "Scope", "2"),
        ("3) Scope", "3", "Scope", "3"),
        ("4 – Policy", "4", "Policy", "4"),
        ("4.1.1 Detail", "4.1.1", "Detail", "4.1.1"),
        ("4.10 Detail", "4.10", "Detail", "4.10"),
        ("2024 changes", None, "2024 changes", None),
        ("Section 3", None, "Section 3", None),
        ("Scope", None, "Scope", None),
        ("**1. Scope**", "1", "Scope", "1"),
        ("_Section 2 – Scope_", "2", "Scope", "2"),
        ("**Scope**", None, "Scope", None),
    ],
)
def test_section_numbers_in_the_styles_forces_write(heading: str, number: str | None, title: str, written_number: str | None) -> None:
    (section,) = parse("# Title", "", f"## {heading}").sections
    assert (section.number, section.title, section.written, section.written_number) == (number, title, heading, written_number)
    assert section.heading == heading
    assert section.key == title.casefold()


def test_paragraphs_numbered_under_a_point_zero_section_belong_to_it() -> None:
    document = parse("## 1.0 Introduction", "", "1.1 First.", "", "1.2 Second.", "", "## 2.0 Scope", "", "2.1 All staff.")
    assert [(s.number, [p.number for p in s.paragraphs]) for s in document.sections] == [
        ("1", ["1.1", "1.2"]),
        ("2", ["2.1"]),
    ]


# Texts by scope


@pytest.fixture(scope="module")
def scoped() -> Document:
    return parse(
        "| Marking | OFFICIAL |",  # 4
        "| --- | --- |",
        "",
        "# Lone working policy",  # 7
        "",
        "## 1. Scope",  # 9
        "",
        "All staff who work",  # 11
        "  alone.",  # 12
        "",
        "- Carry a radio.",  # 14
        "  - Check in hourly.",  # 15
        "",
        "### Section 2 – Detail",  # 17
        "",
        "| Risk | Control |",  # 19
        "| --- | --- |",
        "| Injury | Buddy |",  # 21
        "",
        "Policy reference: A104",  # 23
        "Owner: Head of Safety",  # 24
    )


def test_title_scope(scoped: Document) -> None:
    assert spans(scoped, "title") == [("Lone working policy", Position(7, 3), Position(7, 21))]


def test_heading_scope(scoped: Document) -> None:
    assert spans(scoped, "heading") == [
        ("Scope", Position(9, 7), Position(9, 11)),
        ("Detail", Position(17, 17), Position(17, 22)),
    ]


def test_prose_scope(scoped: Document) -> None:
    assert spans(scoped, "prose") == [
        ("All staff who work\n  alone.", Position(11, 1), Position(12, 8)),
        ("Carry a radio.", Position(14, 3), Position(14, 16)),
        ("Check in hourly.", Position(15, 5), Position(15, 20)),
    ]


def test_table_scope(scoped: Document) -> None:
    assert spans(scoped, "table") == [
        ("Marking", Position(4, 3), Position(4, 9)),
        ("OFFICIAL", Position(4, 13), Position(4, 20)),
        ("Risk", Position(19, 3), Position(19, 6)),
        ("Control", Position(19, 10), Position(19, 16)),
        ("Injury", Position(21, 3), Position(21, 8)),
        ("Buddy", Position(21, 12), Position(21, 16)),
    ]


def test_footer_scope(scoped: Document) -> None:
    assert spans(scoped, "footer") == [
        ("A104", Position(23, 19), Position(23, 22)),
        ("Head of Safety", Position(24, 8), Position(24, 21)),
    ]


def test_body_scopes_are_every_text_but_the_title_in_file_order(scoped: Document) -> None:
    assert BODY_SCOPES == frozenset({"heading", "prose", "table", "footer"})
    body = [(text, at(0).line) for at, text in scoped.texts()]
    assert body == [
        ("Marking", 4),
        ("OFFICIAL", 4),
        ("Scope", 9),
        ("All staff who work\n  alone.", 11),
        ("Carry a radio.", 14),
        ("Check in hourly.", 15),
        ("Detail", 17),
        ("Risk", 19),
        ("Control", 19),
        ("Injury", 21),
        ("Buddy", 21),
        ("A104", 23),
        ("Head of Safety", 24),
    ]
    everything = scoped.texts(frozenset({"title", *BODY_SCOPES}))
    assert [text for _, text in everything][2] == "Lone working policy"

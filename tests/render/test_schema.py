"""Every XML part a reader parses is valid against the Office Open XML schemas (ISO/IEC 29500, ECMA-376)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pcso_policy.render.template import builtin_template
from tests.render.helpers import CLEAN, CONSTRUCTS, KENT, rendered
from tests.render.ooxml import SCHEMAS, part_errors, process_markup_compatibility, wml

# CI always has ../shared beside the checkout; only a developer's machine may lack it.
pytestmark = pytest.mark.skipif(not SCHEMAS.is_dir() and not os.environ.get("CI"), reason=f"the OOXML schemas are not at {SCHEMAS}")

EXPECTED_PARTS = {
    "word/document.xml",
    "word/styles.xml",
    "word/numbering.xml",
    "word/settings.xml",
    "word/header1.xml",
    "word/footer1.xml",
    "docProps/core.xml",
}


@pytest.mark.parametrize("source", [KENT, CONSTRUCTS, CLEAN], ids=["kent", "constructs", "clean"])
def test_rendered_parts_are_schema_valid(source: Path) -> None:
    errors = part_errors(rendered(source).data)
    assert EXPECTED_PARTS <= set(errors), "every part the test promises to validate is there"
    assert {part: problems for part, problems in errors.items() if problems} == {}


def test_the_builtin_template_is_schema_valid() -> None:
    errors = part_errors(builtin_template())
    assert {part: problems for part, problems in errors.items() if problems} == {}


def test_the_validator_catches_what_word_would_call_corrupt() -> None:
    """Elements out of schema order (w:jc before w:pStyle) must fail: the check has teeth."""
    package = zipfile.ZipFile(io.BytesIO(rendered(CLEAN).data))
    root = etree.fromstring(package.read("word/document.xml"))
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    properties = next(root.iter(f"{{{namespace}}}pPr"))
    properties.insert(0, etree.Element(f"{{{namespace}}}jc", {f"{{{namespace}}}val": "center"}))
    assert not wml().validate(process_markup_compatibility(root))


def test_the_core_properties_validator_rejects_an_unknown_element() -> None:
    from tests.render.ooxml import core

    package = zipfile.ZipFile(io.BytesIO(rendered(CLEAN).data))
    root = etree.fromstring(package.read("docProps/core.xml"))
    etree.SubElement(root, "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}author").text = "x"
    assert not core().validate(root)

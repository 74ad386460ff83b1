"""Fixes: applying edits to a file's bytes, carrying a fix from a check to a diagnostic, and the fixable rules."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from pcso_policy import cache
from pcso_policy.catalogue import load as load_catalogue
from pcso_policy.config import Config
from pcso_policy.diagnostics import Diagnostic, Finding
from pcso_policy.engine import Engine, RuleSelection
from pcso_policy.fixes import Edit, Fix, FixError, apply
from pcso_policy.kinds.terminology import SUBSTITUTION, in_case_of

REPO = Path(__file__).resolve().parents[1]
FIXES_DIR = Path(__file__).parent / "fixtures" / "fixes"
AS_OF = datetime.date(2026, 11, 23)


def test_an_edit_replaces_only_its_range() -> None:
    assert apply(b"a PSCO patrols\n", [Edit(1, 3, 1, 7, "PCSO")]) == b"a PCSO patrols\n"


def test_byte_order_mark_and_crlf_endings_are_kept() -> None:
    data = b"\xef\xbb\xbf---\r\nid: A1\r\n---\r\n\r\nOne PSCO.\r\nTwo PSCOs.\r\n"
    edits = [Edit(5, 5, 5, 9, "PCSO"), Edit(6, 5, 6, 9, "PCSO")]
    assert apply(data, edits) == b"\xef\xbb\xbf---\r\nid: A1\r\n---\r\n\r\nOne PCSO.\r\nTwo PCSOs.\r\n"


def test_old_mac_endings_and_an_edit_across_lines() -> None:
    data = "first café\rsecond line\rthird".encode()
    # Columns count characters, not bytes: 'é' is one column and two bytes.
    assert apply(data, [Edit(1, 7, 2, 7, "cafe\nsecond")]) == b"first cafe\rsecond line\rthird"
    assert apply(data, [Edit(3, 6, 3, 6, "!")]) == "first café\rsecond line\rthird!".encode()


def test_edits_apply_in_any_order_given() -> None:
    data = b"PSCO and PSCO\n"
    assert apply(data, [Edit(1, 10, 1, 14, "PCSO"), Edit(1, 1, 1, 5, "PCSO")]) == b"PCSO and PCSO\n"


@pytest.mark.parametrize(
    "edits",
    [
        [Edit(1, 1, 1, 5, "x"), Edit(1, 4, 1, 6, "y")],
        [Edit(1, 3, 1, 3, "x"), Edit(1, 3, 1, 3, "y")],
        [Edit(1, 3, 1, 3, "x"), Edit(1, 3, 1, 5, "y")],
    ],
)
def test_overlapping_edits_are_refused(edits: list[Edit]) -> None:
    with pytest.raises(FixError, match="overlap"):
        apply(b"abcdefgh\n", edits)


def test_touching_edits_are_not_overlapping() -> None:
    assert apply(b"abcdef\n", [Edit(1, 1, 1, 3, "X"), Edit(1, 3, 1, 5, "Y")]) == b"XYef\n"


@pytest.mark.parametrize(
    ("data", "edit", "problem"),
    [
        (b"abc\n", Edit(3, 1, 3, 2, "x"), "line 3"),
        (b"abc\n", Edit(1, 5, 1, 6, "x"), "column 5"),
        (b"abc\n", Edit(1, 3, 1, 2, "x"), "before it starts"),
        (b"ab\xffc\n", Edit(1, 1, 1, 2, "x"), "not UTF-8"),
    ],
)
def test_edits_that_do_not_fit_the_file_are_refused(data: bytes, edit: Edit, problem: str) -> None:
    with pytest.raises(FixError, match=problem):
        apply(data, [edit])


def test_a_fix_survives_the_cache() -> None:
    fix = Fix("write 'PCSO' for 'PSCO'", (Edit(3, 2, 3, 6, "PCSO"),), safe=True)
    found = cache.FileResult((Finding("terminology/substitution", 3, 2, "m", 3, 6, (), fix), Finding("parse/empty", 1, 1, "m")))
    assert cache.decode(cache.encode(found)) == found


def test_explain_says_whether_a_rule_is_fixable() -> None:
    assert "'pcso-policy lint --fix' applies" in SUBSTITUTION.explain()
    assert "Fixable" not in load_catalogue(Config(root=REPO)).registry["terminology/forbidden"].explain()


def test_the_right_term_follows_the_case_written_where_case_is_ignored() -> None:
    assert in_case_of("focussed", "focused") == "focused"
    assert in_case_of("Focussed", "focused") == "Focused"
    assert in_case_of("FOCUSSED", "focused") == "FOCUSED"


def lint(path: Path, rule: str, jobs: int = 1) -> list[Diagnostic]:
    config = Config(root=REPO)
    catalogue = load_catalogue(config)
    selection = RuleSelection.build(catalogue.registry, select=[rule])
    engine = Engine(catalogue.registry, catalogue.checks, selection, AS_OF, jobs=jobs)
    return engine.lint_files([str(path)]).diagnostics


def fixed(path: Path, rule: str) -> bytes:
    edits = [edit for d in lint(path, rule) if d.fix is not None and d.fix.safe for edit in d.fix.edits]
    return apply(path.read_bytes(), edits)


FIXTURES = sorted(FIXES_DIR.glob("*/*/*.md"))
BEFORE = [path for path in FIXTURES if not path.name.endswith(".fixed.md")]


@pytest.mark.parametrize("before", BEFORE, ids=[f"{p.parent.parent.name}/{p.parent.name}:{p.name}" for p in BEFORE])
@pytest.mark.parametrize("dress", ["lf", "crlf-bom"])
def test_fix_fixture(before: Path, dress: str, tmp_path: Path) -> None:
    """The fixture fixed is its .fixed.md, the rest of the file byte for byte; the rule then finds nothing
    fixable, and fixing again changes nothing. The same holds for the file saved with CRLF and a BOM."""
    rule = f"{before.parent.parent.name}/{before.parent.name}"
    after = before.with_name(before.name.removesuffix(".md") + ".fixed.md").read_bytes()
    data = before.read_bytes()
    if dress == "crlf-bom":
        data, after = (b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n") for text in (data, after))
    path = tmp_path / before.name
    path.write_bytes(data)
    assert [d for d in lint(path, rule) if d.fix is not None], "the fixture has nothing to fix"
    path.write_bytes(fixed(path, rule))
    assert path.read_bytes() == after
    assert not [d for d in lint(path, rule) if d.fix is not None]
    assert fixed(path, rule) == after


def test_fixes_travel_through_workers(tmp_path: Path) -> None:
    before = FIXES_DIR / "terminology" / "substitution" / "procedure.md"
    serial = lint(before, "terminology/substitution")
    assert serial and all(d.fix is not None for d in serial)
    assert lint(before, "terminology/substitution", jobs=2) == serial

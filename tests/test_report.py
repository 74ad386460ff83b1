"""`pcso-policy report --html DIR`: the static site, parsed back as HTML."""

from __future__ import annotations

import datetime
from pathlib import Path

import lxml.html
import pytest

from pcso_policy import html_report, reviews
from pcso_policy.cli import run
from tests.support import write

ROOT = Path(__file__).resolve().parents[1]
KENT = "policies/kent/o38-police-community-support-officers.md"
FIXTURES = "tests/fixtures/reviews"
AS_OF = "2026-11-23"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        assert run(["report", "--html", str(out), "--as-of", AS_OF, "policies", FIXTURES]) == 0
    return out


def _parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(path.read_bytes())


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def test_site_has_an_index_and_one_page_per_policy(site: Path) -> None:
    pages = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    assert pages == [
        "index.html",
        "policies/no-front-matter.html",
        "policies/o38.html",
        "policies/p1.html",
        "policies/p2.html",
        "policies/p3.html",
        "policies/p4.html",
        "policies/p5-draft.html",
    ]
    assert not [path for path in site.parent.iterdir() if path.name != "site"]  # no staging folder left behind


def test_every_page_is_english_with_real_headings(site: Path) -> None:
    for page in site.rglob("*.html"):
        document = _parse(page)
        assert document.get("lang") == "en-GB", page
        assert len(document.xpath("//h1")) == 1, page
        assert document.xpath("//title") and document.xpath("//meta[@charset='utf-8']"), page


def test_index_headings_and_table_headers(site: Path) -> None:
    document = _parse(site / "index.html")
    assert [_text(h) for h in document.xpath("//h1 | //h2")] == [
        "Policy reviews and findings",
        "Policies",
        "Reviews due by 2028-11-23",
    ]
    table = document.get_element_by_id("policies")
    headers = [(_text(th), th.get("scope")) for th in table.xpath("./thead/tr/th")]
    assert headers == [
        (name, "col")
        for name in (
            "Policy", "Title", "Owner", "Status", "Last reviewed", "Next review", "Review", "Errors", "Warnings", "Infos", "Alignment",
        )
    ]
    for row in table.xpath("./tbody/tr"):
        assert row[0].tag == "th" and row[0].get("scope") == "row"
    for th in document.xpath("//th"):
        assert th.get("scope") in ("col", "row")


def test_overview_shows_kent_with_its_status_in_words(site: Path) -> None:
    table = _parse(site / "index.html").get_element_by_id("policies")
    rows = {_text(row[0]): [_text(cell) for cell in row] for row in table.xpath("./tbody/tr")}
    assert rows["O38"] == [
        "O38",
        "Police community support officers policy",
        "Head of Partnerships",
        "approved",
        "2025-01",
        "2027-01",
        "Due soon: 69 days left",
        "2",
        "4",
        "0",
        "aligned",
    ]
    assert rows["P1"][6] == "Overdue: 176 days overdue"  # written, not only red
    assert rows["no-front-matter.md"][6].startswith("Unknown: no readable front matter")
    assert list(rows) == ["P1", "O38", "P4", "no-front-matter.md", "P5; draft", "P2", "P3"]  # most urgent first


def test_timeline_lists_reviews_due_in_two_years(site: Path) -> None:
    document = _parse(site / "index.html")
    timeline = document.xpath("//table[caption='Reviews in date order, overdue first']")[0]
    rows = [[_text(cell) for cell in row] for row in timeline.xpath("./tbody/tr")]
    assert [row[:3] for row in rows] == [
        ["Overdue", "2026-05-31", "P1 Custody policy"],
        ["2027 Q1 (January to March)", "2027-01-31", "O38 Police community support officers policy"],
        ["2027 Q1 (January to March)", "2027-02-28", rows[2][2]],
        ["2028 Q1 (January to March)", "2028-03-15", "P2 Partnership working policy"],
    ]
    (svg_title,) = document.xpath("//svg/title")
    assert "2027 Q1: 2" in _text(svg_title)


def test_links_between_pages_resolve(site: Path) -> None:
    index = _parse(site / "index.html")
    targets = {link.get("href") for link in index.xpath("//a[@href]")}
    assert targets == {f"policies/{path.name}" for path in (site / "policies").iterdir()}
    for page in (site / "policies").iterdir():
        links = [link.get("href") for link in _parse(page).xpath("//a[@href]")]
        assert links == ["../index.html"], page
        assert (page.parent / links[0]).resolve() == (site / "index.html").resolve()


def test_no_external_resources_or_urls(site: Path) -> None:
    for page in site.rglob("*.html"):
        document = _parse(page)
        assert not document.xpath("//link | //iframe | //img | //*[@src]"), page
        for element in document.iter():
            for value in element.attrib.values():
                assert "://" not in value and not value.startswith("//"), (page, value)
        head = page.read_text(encoding="utf-8").split("<body>")[0]
        assert "http:" not in head and "https:" not in head and "url(" not in head, page


def test_policy_page_lists_findings_at_their_lines(site: Path) -> None:
    document = _parse(site / "policies" / "o38.html")
    assert _text(document.xpath("//h1")[0]) == "O38 Police community support officers policy"
    assert [_text(h) for h in document.xpath("//h2")] == ["Findings", "Alignment with national texts"]
    facts = dict(zip((_text(dt) for dt in document.xpath("//dt")), (_text(dd) for dd in document.xpath("//dd")), strict=True))
    assert facts["Review"] == "Due soon: 69 days left (due by 2027-01-31)"
    assert facts["Next review"] == "2027-01"
    rows = [[_text(cell) for cell in row] for row in document.xpath("//table[caption='Findings by line']/tbody/tr")]
    assert [(row[0], row[2]) for row in rows] == [
        ("9:14", "review/due-soon"),
        ("37:6", "marking/legacy-marking"),
        ("43:13", "terminology/undefined-acronym"),
        ("90:65", "publication/equality-scope"),
        ("108:21", "review/date-conflict"),
        ("110:114", "publication/personal-data"),
    ]
    conflict = rows[4]
    assert conflict[1] == "Error"
    assert "'February 2022' contradicts the last review date January 2025" in conflict[3]
    assert conflict[4] == "Date last reviewed: February 2022"


def test_page_without_front_matter_explains_why(site: Path) -> None:
    document = _parse(site / "policies" / "no-front-matter.html")
    assert _text(document.xpath("//h1")[0]) == "no-front-matter.md"
    assert "parse/missing-front-matter" in _text(document.xpath("//table")[0])


def test_rewrite_replaces_a_previous_report_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert run(["report", "--html", str(out), "--as-of", AS_OF, FIXTURES]) == 0
    assert (out / "policies" / "p1.html").is_file()
    assert run(["report", "--html", str(out), "--as-of", AS_OF, KENT]) == 0
    assert sorted(path.name for path in (out / "policies").iterdir()) == ["o38.html"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]
    assert "Wrote a report of 1 policy to" in capsys.readouterr().out


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "documents"
    keep = write(out, "minutes.docx", b"precious")
    assert run(["report", "--html", str(out), "--as-of", AS_OF, KENT]) == 2
    assert "not written by 'pcso-policy report'" in capsys.readouterr().err
    assert keep.read_bytes() == b"precious" and sorted(path.name for path in out.iterdir()) == ["minutes.docx"]


def test_writes_into_an_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert run(["report", "--html", str(out), "--as-of", AS_OF, KENT]) == 0
    assert (out / "index.html").is_file()


def test_duplicate_ids_get_distinct_pages(tmp_path: Path) -> None:
    body = "---\nid: X1\nnext_review: '2027-01'\n---\n# X\n"
    write(tmp_path / "p", "a.md", body)
    write(tmp_path / "p", "b.md", body)
    out = tmp_path / "site"
    assert run(["report", "--html", str(out), "--as-of", AS_OF, str(tmp_path / "p")]) == 0
    assert sorted(path.name for path in (out / "policies").iterdir()) == ["x1-2.html", "x1.html"]


def test_hostile_text_is_escaped() -> None:
    as_of = datetime.date(2026, 11, 23)
    data = b"---\nid: '<script>alert(1)</script>'\ntitle: 'a & b'\nnext_review: '2027-01'\n---\n"
    page = html_report.PolicyPage(reviews.review_of("x.md", data, as_of, 90), "x.html")
    text = html_report.render_policy(page, as_of)
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; a &amp; b" in text


def test_policy_page_shows_alignment_side_by_side(site: Path) -> None:
    document = _parse(site / "policies" / "o38.html")
    (heading,) = document.xpath("//h3")
    assert _text(heading) == (
        "Section 4.3 (line 60) against College of Policing ‘Role and purpose’, version 2022-06-06 (current)"
    )
    table = document.xpath("//table[caption='Section 4.3 (line 60), point by point']")[0]
    assert [_text(th) for th in table.xpath("./thead/tr/th")] == ["Point", "Comparison", "National text", "This policy"]
    rows = table.xpath("./tbody/tr")
    assert len(rows) == 11 and all(_text(row[1]) == "Same" for row in rows)
    assert _text(rows[0][3]).startswith("line 62: Be integrated into a neighbourhood policing team")


def test_drift_is_shown_in_the_overview_and_on_the_page(tmp_path: Path) -> None:
    text = (ROOT / KENT).read_text(encoding="utf-8").replace("(normally geographic", "(usually geographic", 1)
    copy = write(tmp_path / "p", "o38.md", text)
    out = tmp_path / "site"
    assert run(["report", "--html", str(out), "--as-of", AS_OF, str(copy)]) == 0
    row = _parse(out / "index.html").xpath("//table[@id='policies']/tbody/tr")[0]
    assert _text(row[-1]) == "drift in 1 of 1"
    page = _parse(out / "policies" / "o38.html")
    first = page.xpath("//table[caption='Section 4.3 (line 60), point by point']/tbody/tr")[0]
    assert [part.strip() for part in first[1].itertext()] == ["Reworded", "‘normally geographic’ → ‘usually geographic’"]


def test_refuses_a_file_as_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = write(tmp_path, "report.html", "mine")
    assert run(["report", "--html", str(target), "--as-of", AS_OF, KENT]) == 2
    assert "is a file" in capsys.readouterr().err and target.read_text() == "mine"

"""Links in a published document: http, https, mailto, places in it and relative paths; nothing else is made live.

A link outside the allow-list (``ms-msdt:``, ``search-ms:``, ``ms-word:``, ``javascript:``, ``file:``,
``data:``, a network path ...) is refused by render and publish at the line and column lint
(``publication/link-scheme``) reports it at, never written as a hyperlink nor quietly turned into text.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from pcso_policy.check import CheckContext
from pcso_policy.cli import run
from pcso_policy.parsing import parse_text
from pcso_policy.registry import build_registry, builtin_checks
from pcso_policy.render import RenderError, render_bytes
from pcso_policy.render.readback import problems, read_back
from tests.render.helpers import CLEAN, ROOT

HEADING = "# Body-worn video policy"


def with_body(text: str) -> str:
    """The clean, approved fixture with ``text`` as a paragraph after its title."""
    source = CLEAN.read_text(encoding="utf-8")
    assert HEADING in source
    return source.replace(HEADING, f"{HEADING}\n\n{text}\n", 1)


def position_of(source: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate(source.split("\n"), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} is not in the source")


UNSAFE = [
    ("[the form](ms-msdt:/id%20PCWDiagnostic)", "ms-msdt:/id"),
    ("<ms-word:ofe|u|https://files.example.org/x.docx>", "ms-word:ofe"),
    ("[search](search-ms:query=x&crumb=location:\\\\files.example.org\\share)", "search-ms:"),
    ("[run](JaVaScRiPt:alert(1))", "JaVaScRiPt:"),  # markdown-it leaves these as text: still refused
    ("[file](file:///C:/policy.docx)", "file:"),
    ("[data](data:text/html,hello)", "data:"),
    ("[data image](data:image/png;base64,iVBORw0KGgo=)", "data:"),  # markdown-it would make this one live
    ("[vb](vbscript:msgbox)", "vbscript:"),
    ("[share](//files.example.org/share)", "//files"),
    ("[share](\\\\files.example.org\\share)", "\\\\files"),
    ("[phone](tel:101)", "tel:"),
    ("[mail](mailto:team@example.org?attach=C:/x.txt)", "mailto:"),
    ("[form][f]\n\n[f]: ms-msdt:/id%20PCWDiagnostic", "ms-msdt:"),
]


@pytest.mark.parametrize(("markdown", "at"), UNSAFE, ids=[at for _, at in UNSAFE])
def test_a_link_outside_the_allow_list_is_refused_where_lint_reports_it(markdown: str, at: str) -> None:
    source = with_body(f"A {markdown}")
    line, column = position_of(source, at)
    with pytest.raises(RenderError) as caught:
        render_bytes("x.md", source.encode())
    assert (caught.value.line, caught.value.column) == (line, column)
    assert str(caught.value).startswith(f"x.md:{line}:{column}: link to ")
    assert "link to an https, http or mailto address or a relative path instead" in str(caught.value)
    document = parse_text("x.md", source).document
    assert document is not None
    check = next(check for check in builtin_checks() if "publication/link-scheme" in {rule.id for rule in check.rules})
    findings = [(f.line, f.column, f.message) for f in check.check(document, CheckContext(datetime.date(2026, 1, 15)))]
    assert findings == [(line, column, str(caught.value).split(": ", 1)[1])], "lint and render agree"


def test_the_rule_is_an_error_by_default_with_its_documentation() -> None:
    rule = build_registry(builtin_checks())["publication/link-scheme"]
    assert rule.severity.value == "error"
    assert "ms-msdt" in rule.summary and "CVE-2022-30190" in rule.why and "relative path" in rule.fix
    assert "ms-msdt:" in rule.example


def hyperlinks(data: bytes) -> list[tuple[str, str]]:
    """Each hyperlink of the body as (kind, target): ('anchor', name) or ('external', relationship target)."""
    document = docx.Document(io.BytesIO(data))
    found: list[tuple[str, str]] = []
    for element in document.element.body.iter(qn("w:hyperlink")):
        anchor = element.get(qn("w:anchor"))
        if anchor is not None:
            found.append(("anchor", anchor))
        else:
            rel = document.part.rels[element.get(qn("r:id"))]
            assert rel.is_external
            found.append(("external", rel.target_ref))
    return found


def test_allowed_links_are_live_as_before() -> None:
    source = with_body(
        "See [GOV.UK](https://www.gov.uk/), [plain](http://example.org/a), <https://www.legislation.gov.uk/>, "
        "[the team](mailto:team@example.org?subject=O38), <team@example.org>, [O38](policies/o38.md), "
        "[guidance](../guidance.pdf) and [section 1](#marking)."
    )
    assert hyperlinks(render_bytes("x.md", source.encode()).data)[:8] == [
        ("external", "https://www.gov.uk/"),
        ("external", "http://example.org/a"),
        ("external", "https://www.legislation.gov.uk/"),
        ("external", "mailto:team@example.org?subject=O38"),
        ("external", "mailto:team@example.org"),
        ("external", "policies/o38.md"),  # relative paths stay relative links, as they always rendered
        ("external", "../guidance.pdf"),
        ("anchor", "marking"),
    ]


def test_the_read_back_refuses_a_hyperlink_outside_the_allow_list() -> None:
    """A document whose body links to ms-msdt: (written by anything but this renderer) is not published."""
    rendered = render_bytes("x.md", with_body("See [GOV.UK](https://www.gov.uk/).").encode())
    archive = zipfile.ZipFile(io.BytesIO(rendered.data))
    parts = {name: archive.read(name) for name in archive.namelist()}
    rels = parts["word/_rels/document.xml.rels"].decode()
    assert 'Target="https://www.gov.uk/"' in rels
    parts["word/_rels/document.xml.rels"] = rels.replace("https://www.gov.uk/", "ms-msdt:/id PCWDiagnostic").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    frame = rendered.frame
    assert problems(read_back(rendered.data), frame.title, frame.marking, frame.draft, rendered.headings) == []
    found = problems(read_back(buffer.getvalue()), frame.title, frame.marking, frame.draft, rendered.headings)
    assert found == [
        "it holds active content: 'word/document.xml' has an external relationship (hyperlink) to "
        "'ms-msdt:/id PCWDiagnostic', which uses the scheme 'ms-msdt:', which Word hands to another program"
    ]


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_publish_refuses_an_unsafe_link_even_when_lint_is_told_to_ignore_it(
    tmp_path: Path, in_root: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """A suppression silences the lint finding; rendering refuses the link all the same."""
    source = with_body(
        '<!-- pcso-policy: disable=publication/link-scheme reason="testing the renderer" -->\n'
        "Report it with [the troubleshooter](ms-msdt:/id%20PCWDiagnostic)."
    )
    policy = tmp_path / "src" / "t100.md"
    policy.parent.mkdir()
    policy.write_text(source, encoding="utf-8")
    out = tmp_path / "published"
    code = run(["publish", "--as-of", "2026-01-15", str(policy), "--out", str(out)])
    stdout = capsys.readouterr().out
    line, column = position_of(source, "ms-msdt:")
    assert code == 1
    assert f"{policy}:{line}:{column}: link to 'ms-msdt:/id%20PCWDiagnostic' uses the scheme 'ms-msdt:'" in stdout
    assert "error publication/link-scheme" not in stdout, "the suppression holds for lint"
    assert not list(out.glob("*.docx"))


def test_publish_refuses_an_unsafe_link_at_its_lint_finding(tmp_path: Path, in_root: None, capsys: pytest.CaptureFixture[str]) -> None:
    source = with_body("Report it with <search-ms:query=policy>.")
    policy = tmp_path / "src" / "t100.md"
    policy.parent.mkdir()
    policy.write_text(source, encoding="utf-8")
    code = run(["publish", "--as-of", "2026-01-15", str(policy), "--out", str(tmp_path / "published")])
    line, column = position_of(source, "search-ms:")
    assert code == 1
    assert f"{policy}:{line}:{column}: error publication/link-scheme link to 'search-ms:query=policy'" in capsys.readouterr().out


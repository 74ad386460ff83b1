"""``publication/raw-html`` reports exactly what render refuses: raw HTML and images, never a comment."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcso_policy.builtin.raw_html import RawHtml, might_hold_raw_html, raw_html
from pcso_policy.cli import run
from pcso_policy.parsing import parse_bytes
from pcso_policy.render import RenderError, render_bytes
from tests.support import FRONT_MATTER, built_in_only, write

FIXTURES = Path(__file__).parent / "fixtures" / "rules" / "publication" / "raw-html"
HEAD = FRONT_MATTER.replace("status: draft", "status: draft\nclassification: OFFICIAL") + "\n# Test policy\n\n"
"""Front matter render accepts (it needs a marking), and a title: the body starts on line 12."""


def _found(text: str) -> list[RawHtml]:
    parsed = parse_bytes("p.md", text.encode("utf-8"))
    assert parsed.document is not None
    return raw_html(parsed.document)


def _refused(text: str) -> RenderError | None:
    """Render's refusal of ``text`` for raw HTML or an image, if it refuses it for that."""
    try:
        render_bytes("p.md", text.encode("utf-8"))
    except RenderError as error:
        if "raw HTML" in str(error) or "images cannot be published" in str(error):
            return error
        raise
    return None


def _with_marking(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("status: draft", "status: draft\nclassification: OFFICIAL", 1)


def test_render_publishes_the_passing_fixture_and_refuses_each_failing_one_where_lint_says() -> None:
    assert _refused(_with_marking(FIXTURES / "pass.md")) is None
    for name in ("fail.md", "fail-images.md"):
        text = _with_marking(FIXTURES / name)
        refused = _refused(text)
        assert refused is not None, name
        assert refused.line == _found(text)[0].line, name


@pytest.mark.parametrize(
    "body",
    [
        "<div>x</div>",
        "<details>\n<summary>More</summary>\nText\n</details>",
        "Text <span>x</span> more.",
        "Line one<br>\nline two",
        "A second line\nwith <b>bold</b>.",
        "<!-- a --> <b>and a tag</b>",
        "- item\n- <i>item</i>",
        "> quote <kbd>K</kbd>",
        "| a |\n| - |\n| <br> |",
        "![alt](x.png)",
        "Text [![alt](x.png)](https://x.org)",
        "![ref][r]\n\n[r]: x.png",
        "# Heading <small>x</small>",
        "<![CDATA[ x ]]>",
        "<!DOCTYPE html>",
        "<!-- a comment never closed",
        "<!-- a comment --> and text after it",
        "<!-- over\ntwo lines --> and text",
    ],
)
def test_each_construct_render_refuses_is_found_at_the_line_render_names(body: str) -> None:
    text = HEAD + body + "\n"
    found = _found(text)
    refused = _refused(text)
    assert found and refused is not None
    assert refused.line == found[0].line


@pytest.mark.parametrize(
    "body",
    [
        "<!-- a comment -->",
        "<!--\nover\nlines\n-->",
        "Text <!-- inline comment --> text.",
        "&amp; &lt;b&gt; &nbsp;",
        "a < b and c > d, 1<2",
        "`<b>` and ``<br>``",
        "```\n<div>\n```",
        "    <div>indented</div>",
        "<https://www.gov.uk/> and <team@example.org>",
        "\\<b> and \\![x](y.png)",
        "[a link](https://x.org) and ![ alone",
    ],
)
def test_what_render_accepts_is_not_found(body: str) -> None:
    text = HEAD + body + "\n"
    assert _found(text) == []
    assert _refused(text) is None


_FRAGMENTS = st.sampled_from(
    [
        "text", "<b>", "</b>", "<br>", "<br/>", "<span class=\"x\">", "<!-- c -->", "<!--", "-->", "<div>", "</div>",
        "![a](x.png)", "![", "](y.png)", "[l](https://x.org)", "<https://x.org>", "<a@b.org>", "&amp;", "`", "``",
        "<", ">", "a < b", "\\<", "*", "**", "> ", "- ", "| a |", "| - |", "```", "    ", "<?x?>", "<!X>", "<![CDATA[",
    ]
)
_GLUE = st.sampled_from(["", " ", "\n", "\n\n"])


@given(st.lists(st.tuples(_FRAGMENTS, _GLUE), max_size=12))
def test_lint_finds_something_exactly_when_render_refuses(parts: list[tuple[str, str]]) -> None:
    text = HEAD + "".join(fragment + glue for fragment, glue in parts) + "\n"
    assert bool(_found(text)) == (_refused(text) is not None), text


def test_a_policy_holding_only_comments_is_not_parsed_again() -> None:
    kent = (Path(__file__).resolve().parents[1] / "policies/kent/o38-police-community-support-officers.md").read_text(encoding="utf-8")
    assert "<!--" in kent and not might_hold_raw_html(kent)
    assert might_hold_raw_html("<!-- a -->\n<!-- b") and might_hold_raw_html("<!-- a --> b")


def test_lint_reports_it_as_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    built_in_only(tmp_path)
    write(tmp_path, "policies/t1.md", FRONT_MATTER + "\n# Test policy\n\nStop <b>only</b> when safe.\n")
    assert run(["lint", "policies"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("policies/t1.md:13:6: error publication/raw-html raw HTML '<b>' cannot be published (render refuses it)")
    assert run(["explain", "publication/raw-html"]) == 0
    assert "render and publish refuse" in capsys.readouterr().out

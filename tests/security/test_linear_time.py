"""Inputs well under the size limit that took minutes to lint, each linted in seconds; and the per-file time limit.

Each input is the one the issue names, at its size, generated here. The time
bound of each test lies at least five times above what the fixed code takes
on this project's 2-core machine and at most a fifth of what the old code
took there (both with the whole bundled rule set, on these inputs or ones of
the same shape; "after" varies by half with the machine's other jobs), so
that a loaded CI machine passes it and the old code could not:

==========================================  ==========  =========  =====
input                                       before      after      bound
==========================================  ==========  =========  =====
footer line padded with 400 KB of spaces    407 s       0.05 s     5 s
200,000 '[' before '](' (no ')')            138 s       0.06 s     5 s
200,000 '![' before '](' (no ')')           252 s       0.17 s     5 s
5,000 '[a](' (no ')')                       > 5 min     0.01 s     5 s
announcement, then 200,000 spaces           116 s       0.07 s     5 s
100,000 list items                          213 s       4 to 6 s   30 s
20,000 citations in one paragraph           15.4 s      0.12 s     3 s
40,000 suppressions, read and applied       209 s       0.26 s     5 s
20,000 acronym definitions and uses         76 s        0.6 s      5 s
20,000 links and addresses in a paragraph   79 s        0.2-0.6 s  5 s
==========================================  ==========  =========  =====

Where the quadratic work was, and what replaced it, is said where the fix is:
``parsing._FOOTER_LINE`` and ``_first_inline``, ``model._TextPositions``,
``kinds.accessibility.links``, the possessive announced-list phrases of
``checks/structure.yaml``, ``kinds.acronyms``, ``suppressions._Index`` and ``_Targets``. The tests
below the timed ones hold each faster version to the answers of the plain
one it replaced, on random inputs.
"""

from __future__ import annotations

import datetime
import faulthandler
import os
import random
import re
import shlex
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import IO

import pytest

from pcso_policy.catalogue import load as load_catalogue
from pcso_policy.check import CheckContext
from pcso_policy.config import Config
from pcso_policy.diagnostics import Diagnostic, Finding, Severity
from pcso_policy.engine import Engine, RuleSelection
from pcso_policy.kinds import accessibility, acronyms
from pcso_policy.model import Document, _position_in, _TextPositions
from pcso_policy.parsing import parse_bytes
from pcso_policy.rules import Rule
from pcso_policy.suppressions import Suppression, apply_suppressions, read_suppressions, split_words
from tests.support import FRONT_MATTER, write

ROOT = Path(__file__).resolve().parents[2]
AS_OF = datetime.date(2026, 11, 23)
HEAD = FRONT_MATTER + "\n# Test policy\n\n## 1. Purpose\n\n"
"""The front matter (lines 1 to 9), the title (line 11) and a section heading (line 13); the body starts on line 15."""


HANG_BOUND_SECONDS = 120
"""A test here whose input the tool fails to read in linear time, or whose time limit fails to stop a
check that loops, would otherwise hang the run until CI's own limit."""


@pytest.fixture(scope="module")
def real_stderr(request: pytest.FixtureRequest) -> Iterator[IO[str]]:
    """The standard error pytest's capture stands in front of, for a traceback that must outlive the process."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        capture.suspend_global_capture()
    stream = os.fdopen(os.dup(2), "w")
    if capture is not None:
        capture.resume_global_capture()
    yield stream
    stream.close()


@pytest.fixture(autouse=True)
def hang_bound(real_stderr: IO[str]) -> Iterator[None]:
    """Ends the run, printing where every thread stands, when a test here outlives HANG_BOUND_SECONDS.

    faulthandler's watchdog is a thread of its own that needs no interpreter lock, so it fires even inside
    a regular expression's match, which holds the lock."""
    faulthandler.dump_traceback_later(HANG_BOUND_SECONDS, exit=True, file=real_stderr)
    yield
    faulthandler.cancel_dump_traceback_later()


@cache
def engine(*ignore: str) -> Engine:
    catalogue = load_catalogue(Config(root=ROOT))
    selection = RuleSelection.build(catalogue.registry, ignore=ignore)
    return Engine(catalogue.registry, catalogue.checks, selection, AS_OF, root=ROOT)


def timed(text: str, *ignore: str) -> tuple[float, list[Diagnostic], Document]:
    """Seconds to parse and lint ``text`` with every bundled check but those of the rules in ``ignore``
    (the engine built beforehand), what it found, and the document it was read as."""
    lint = engine(*ignore)
    lint.lint_bytes("policy.md", HEAD.encode())  # the first lint reads the national texts: not the input's time
    data = text.encode("utf-8")
    start = time.perf_counter()
    parsed = parse_bytes("policy.md", data)
    result = lint.lint_parsed(parsed)
    diagnostics = lint.finish({"policy.md": result}).diagnostics
    seconds = time.perf_counter() - start
    assert parsed.document is not None
    return seconds, diagnostics, parsed.document


def rules(diagnostics: list[Diagnostic]) -> set[str]:
    return {diagnostic.rule for diagnostic in diagnostics}


def test_a_footer_line_padded_with_400_kb_of_spaces() -> None:
    text = HEAD + "1.1. Text.\n\n---\n\nPolicy reference: Police community support officers" + " " * 400_000 + "policy (T1)\n"
    seconds, diagnostics, document = timed(text)
    assert seconds < 5
    footer = document.footer
    assert [(field.label, field.line, field.value_column) for field in footer] == [("Policy reference", 19, 19)]
    assert footer[0].value.endswith("policy (T1)") and "references/footer-mismatch" not in rules(diagnostics)


@pytest.mark.parametrize("opening", ["[", "!["])
def test_200000_brackets_before_a_link_that_never_closes(opening: str) -> None:
    # publication/raw-html reads a paragraph that might hold an image with markdown-it's inline parser,
    # which is linear but slow on this text (about 35 microseconds a '![', 7 s here): not the quadratic
    # search this test is about, so it does not run here.
    seconds, diagnostics, _ = timed(HEAD + "1.1. " + opening * 200_000 + "](\n", "publication/raw-html")
    assert seconds < 5
    assert "publication/accessibility" not in rules(diagnostics)  # no ')': neither a link nor an image


def test_5000_links_that_never_close() -> None:
    seconds, diagnostics, _ = timed(HEAD + "1.1. " + "[a](" * 5_000 + "\n")
    assert seconds < 5
    assert "publication/accessibility" not in rules(diagnostics)


def test_an_announcement_followed_by_200000_spaces() -> None:
    announcement = "1.1. This policy was reviewed and the following amendments have been made"
    seconds, diagnostics, _ = timed(HEAD + announcement + " " * 200_000 + "in full\n")
    assert seconds < 5
    assert "structure/empty-list" not in rules(diagnostics)  # the phrase must end the paragraph
    seconds, diagnostics, _ = timed(HEAD + announcement + " " * 200_000 + ":\n\n1.2. Next.\n")
    assert seconds < 5
    found = [d for d in diagnostics if d.rule == "structure/empty-list"]
    assert [(d.line, d.column) for d in found] == [(15, 35)]
    assert len(found[0].message) < 200  # the phrase is quoted with its white space as single spaces


@pytest.mark.parametrize(
    "paragraph",
    [
        "the following amendments have been made on " + "18 July 2024 " * 20_000 + ":",  # longer than a date
        "the following changes were made since" + " " * 200_000 + "version 1.2:",
        "Amendments made" + " in this version" * 20_000 + ":",
        "Amendments made" + " " * 200_000 + ":" + " " * 200_000 + "x",
        "the following changes:" + " " * 200_000 + "x",
        "This policy will be reviewed by" + " the Chief Constable" * 20_000 + " in March 2027.",
        "It is to be reviewed by" + " a" * 100_000 + " in",
        "Reviewed" + " " * 200_000 + "x | Reviewed" * 10_000,
    ],
    ids=["dated", "since", "made-in", "made-spaces", "following-spaces", "reviewed-by", "to-be-reviewed", "label"],
)
def test_announcement_and_review_phrases_on_long_paragraphs(paragraph: str) -> None:
    seconds, _, _ = timed(HEAD + "1.1. " + paragraph + "\n\n1.2. Next.\n")
    assert seconds < 5


def test_100000_list_items() -> None:
    text = HEAD + "1.1. The items:\n\n" + "".join(f"- item {number}\n" for number in range(100_000))
    seconds, _, document = timed(text)
    assert seconds < 30
    assert len(document.list_items) == 100_000
    assert document.list_items[-1].text == "item 99999" and document.paragraphs[0].items[-1].line == 100_016


def test_20000_citations_in_one_paragraph() -> None:
    front = FRONT_MATTER.replace("review_cycle_months: 24\n", "review_cycle_months: 24\nreferences: [W1000]\n")
    text = front + "\n# Test policy\n\n## 1. Purpose\n\n1.1. " + " ".join(["Policy W1000", "Policy W9999"] * 10_000) + "\n"
    seconds, diagnostics, _ = timed(text)
    assert seconds < 3
    undeclared = [d for d in diagnostics if d.rule == "references/undeclared"]
    assert [(d.line, d.column, "W9999" in d.message) for d in undeclared] == [(16, 26, True)]


def test_40000_suppression_comments() -> None:
    """The whole lint of this file is mostly markdown-it's (about 3 s): what is timed is the suppressions'
    own reading and applying, where the quadratic searches were (209 s before, 0.26 s after)."""
    blocks = "".join(
        f'<!-- pcso-policy: disable=terminology/substitution reason="quoted" -->\n1.{number}. The PSCO said.\n\n'
        for number in range(40_000)
    )
    document = parse_bytes("policy.md", (HEAD + blocks).encode()).document
    assert document is not None
    registry = engine().registry
    findings = [Finding("terminology/substitution", line, 10, "PSCO") for line in range(16, 16 + 3 * 40_000, 3)]
    start = time.perf_counter()
    suppressions, problems = read_suppressions(document, registry)
    kept = apply_suppressions(findings, suppressions, AS_OF, frozenset(registry))
    seconds = time.perf_counter() - start
    assert seconds < 5
    assert problems == [] and len(suppressions) == 40_000 and kept == []
    assert all(suppression.used for suppression in suppressions)


def test_20000_acronym_definitions_and_uses_in_one_paragraph() -> None:
    seconds, diagnostics, _ = timed(HEAD + "1.1. " + "Anti Social Behaviour (ASB) and PCSO " * 20_000 + "\n")
    assert seconds < 5
    redefined = [d for d in diagnostics if d.rule == "terminology/redefined-acronym"]
    undefined = [d for d in diagnostics if d.rule == "terminology/undefined-acronym"]
    assert len(redefined) == 19_999 and [(d.line, d.column) for d in undefined] == [(15, 38)]


def test_10000_reverse_definitions_runs_of_capitals_and_literals_in_one_paragraph() -> None:
    """Not a fix but a guard: what the acronym reader learnt later (a full term after the acronym, runs of
    capitals, code spans and addresses) is read in linear time too (about 0.7 s)."""
    repeated = "CT (Counter Terrorism), NOT PROTECTIVELY MARKED, `APP` and https://a.example/DCC; "
    seconds, diagnostics, _ = timed(HEAD + "1.1. " + repeated * 10_000 + "\n")
    assert seconds < 5
    redefined = [d for d in diagnostics if d.rule == "terminology/redefined-acronym"]
    undefined = [d for d in diagnostics if d.rule == "terminology/undefined-acronym"]
    assert len(redefined) == 9_999 and undefined == []


def test_20000_links_and_bare_addresses_in_one_paragraph() -> None:
    seconds, diagnostics, _ = timed(HEAD + "1.1. " + "[here](https://a.example) https://b.example " * 20_000 + "\n")
    assert seconds < 5
    assert len([d for d in diagnostics if d.rule == "publication/accessibility"]) == 40_000


# The time limit of each file.


SLOW = Rule("terminology/slow", Severity.WARNING, "Takes for ever.", "Tests.", "None.", "a")


class SlowCheck:
    """A check that meets a pattern's exponential case on every file holding 'SLOW', or loops in Python."""

    rules: tuple[Rule, ...] = (SLOW,)

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        if "SLOW-REGEX" in document.text:
            re.search(r"(?:a|a)+$", "a" * 60 + "b")  # 2^60 ways to fail: years, in re's C code
        if "SLOW-LOOP" in document.text:
            while True:
                pass
        yield from ()


def slow_engine(**options: object) -> Engine:
    from pcso_policy.registry import build_registry, builtin_checks

    checks = (*builtin_checks(), SlowCheck())
    registry = build_registry(checks)
    return Engine(registry, checks, RuleSelection.build(registry), AS_OF, root=ROOT, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("marker", ["SLOW-REGEX", "SLOW-LOOP"])
def test_a_file_that_takes_too_long_is_a_timeout_finding_and_the_run_goes_on(tmp_path: Path, marker: str) -> None:
    slow = write(tmp_path, "slow.md", HEAD + f"1.1. {marker}\n")
    fine = write(tmp_path, "fine.md", HEAD + "1.1. Text.\n")
    start = time.perf_counter()
    result = slow_engine(file_timeout=0.3).lint_files([str(slow), str(fine)])
    assert time.perf_counter() - start < 5  # the regular expression's match is interrupted too
    assert [(Path(d.path).name, d.rule, d.line, d.column, d.severity) for d in result.diagnostics] == [
        ("slow.md", "parse/timeout", 1, 1, Severity.ERROR)
    ]
    assert "took longer than 0.3 seconds" in result.diagnostics[0].message


def test_a_timeout_in_a_parallel_run(tmp_path: Path) -> None:
    paths = [str(write(tmp_path, f"p{number}.md", HEAD + ("1.1. SLOW-REGEX\n" if number == 2 else "1.1. Text.\n"))) for number in range(4)]
    result = slow_engine(file_timeout=0.3, jobs=2).lint_files(paths)
    assert [(Path(d.path).name, d.rule) for d in result.diagnostics] == [("p2.md", "parse/timeout")]


def test_a_timeout_is_never_cached(tmp_path: Path) -> None:
    """How long a file took says how busy the machine was, not what the file holds."""
    from pcso_policy.cache import Cache

    path = str(write(tmp_path, "slow.md", HEAD + "1.1. SLOW-LOOP\n"))
    cache = Cache(tmp_path / "cache", "salt", b"k" * 32)
    first = slow_engine(file_timeout=0.2, cache=cache).lint_files([path])
    assert [d.rule for d in first.diagnostics] == ["parse/timeout"]
    assert cache.get(cache.key(Path(path).read_bytes())) is None


def test_the_time_limit_is_a_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A repository's own pattern that meets its worst case: the file is reported, the run ends in time."""
    from pcso_policy.cli import run

    monkeypatch.chdir(tmp_path)
    write(tmp_path, ".pcso-policy.toml", "bundled_checks = false\nfile_timeout_seconds = 0.5\n")
    write(tmp_path, "checks/slow.yaml", "checks:\n  - kind: announced-list\n    options:\n      phrases: ['a*a*a*a*b']\n")
    write(tmp_path, "policies/slow.md", HEAD + "1.1. " + "a" * 3000 + "\n")
    write(tmp_path, "policies/fine.md", HEAD + "1.1. Text.\n")
    start = time.perf_counter()
    code = run(["lint", "--no-cache", "--as-of", "2026-11-23", "policies"])
    out = capsys.readouterr().out
    assert time.perf_counter() - start < 10
    assert "policies/slow.md:1:1: error parse/timeout linting this file took longer than 0.5 seconds" in out
    assert "fine.md" not in out and code == 1


def test_a_lint_outside_the_main_thread_runs_without_the_limit(tmp_path: Path) -> None:
    import threading

    path = str(write(tmp_path, "p.md", HEAD + "1.1. Text.\n"))
    found: list[object] = []
    worker = threading.Thread(target=lambda: found.append(slow_engine(file_timeout=0.2).lint_files([path])))
    worker.start()
    worker.join()
    assert len(found) == 1 and found[0].diagnostics == []  # type: ignore[attr-defined]


# The faster versions answer as the plain ones did.


def random_text(rng: random.Random, alphabet: str, size: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, size)))


def test_text_positions_answer_as_the_plain_search() -> None:
    rng = random.Random(7)
    for _ in range(2_000):
        lines = [random_text(rng, "ab \t-", 12) for _ in range(rng.randint(1, 6))]
        line = rng.randint(1, len(lines))
        text = "\n".join(source.strip(" -") for source in lines[line - 1 : line - 1 + rng.randint(1, 4)]) + random_text(rng, "ab\n", 3)
        positions = _TextPositions(lines, line, text)
        for offset in range(-2, len(text) + 3):
            assert positions(offset) == _position_in(lines, line, text, offset), (lines, line, text, offset)


def test_links_and_images_are_those_the_expressions_find() -> None:
    rng = random.Random(11)
    for _ in range(20_000):
        text = random_text(rng, "[]()!a \n", 16)
        assert [(link.start, link.end, link.label) for link in accessibility.links(text)] == [
            (match.start(), match.end(), match["text"]) for match in accessibility._LINK.finditer(text)
        ], text
        assert [(image.start, image.end, image.label) for image in accessibility.images(text)] == [
            (match.start(), match.end(), match["alt"]) for match in accessibility._IMAGE.finditer(text)
        ], text


def test_acronym_definitions_read_from_the_end_of_the_text_alone() -> None:
    check = acronyms.build({"known": {"PCSO": "Police Community Support Officer", "ASB": "anti-social behaviour"}})
    rng = random.Random(3)
    words = ["Police", "Community", "Support", "Officer", "Officers", "anti-social", "behaviour", "of", "the", "  ", "\n", "’"]
    for _ in range(3_000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
        end = rng.randint(0, len(text))
        for acronym in ("PCSO", "ASB", "CSO"):
            assert check.defines(text, acronym, end) == check.defines(text[:end], acronym), (text, end, acronym)


def test_suppressions_cover_what_the_plain_search_covered() -> None:
    rng = random.Random(13)
    for _ in range(300):
        blocks = []
        for number in range(rng.randint(1, 12)):
            if rng.random() < 0.5:
                rule = rng.choice(["terminology/substitution", "marking/legacy-marking"])
                blocks.append(f'<!-- pcso-policy: disable={rule} reason="r" -->')
            blocks.append(rng.choice([f"1.{number}. Text.", "- a\n- b", "<!-- note -->", "| a |\n| - |\n| b |"]))
        text = HEAD + "\n\n".join(blocks) + "\n"
        document = parse_bytes("policy.md", text.encode()).document
        assert document is not None
        registry = engine().registry
        suppressions, _ = read_suppressions(document, registry)
        lines = len(document.lines)
        findings = [
            Finding(rng.choice(["terminology/substitution", "marking/legacy-marking", "parse/empty"]), rng.randint(1, lines), 1, "x")
            for _ in range(20)
        ]
        kept = apply_suppressions(findings, suppressions, AS_OF, frozenset(registry))
        plain = [copy(s) for s in suppressions]
        expected = [f for f in findings if f.rule == "parse/empty" or not any(s.covers(f) for s in plain)]
        assert [f for f in kept if f.rule not in {"parse/suppression-unused"}] == expected
        for suppression in suppressions:
            target = next((b for b in document.blocks if b.line > suppression.comment.end_line and b.kind != "html_block"), None)
            assert target is not None and (suppression.first_line, suppression.last_line) == (target.line, target.end_line)


def copy(suppression: Suppression) -> Suppression:
    s = suppression
    return Suppression(s.comment, s.rules, s.reason, s.until, s.first_line, s.last_line)


def test_suppression_attributes_are_split_as_shlex_splits_them() -> None:
    rng = random.Random(17)
    pieces = ["a", "=", '"', "'", "\\", " ", "\t", "\n", "\r", "\x0b", "\u00a0", "#", "disable", "reason="]
    for _ in range(50_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert _split_or_error(split_words, text) == _split_or_error(shlex.split, text), repr(text)


def _split_or_error(split: Callable[[str], list[str]], text: str) -> list[str] | str:
    try:
        return split(text)
    except ValueError:
        return "unclosed quote"


def test_dates_and_cycles_in_one_long_sentence_are_found_in_linear_time() -> None:
    """Each date found was compared with every one found before it (20,000 in a sentence: 13 s)."""
    from pcso_policy.dates import find_dates, parse_cycle

    text = "reviewed in January 2025, " * 20_000 + "every 24 months, " * 20_000
    started = time.perf_counter()
    dates, cycles = find_dates(text), parse_cycle(text)
    assert len(dates) == 20_000 and len(cycles) == 20_000
    assert time.perf_counter() - started < 2  # 13 s before, about 0.4 s now


def test_the_span_index_answers_as_the_scan_of_every_span() -> None:
    from pcso_policy.dates import _Spans

    generator = random.Random(20261202)
    for _ in range(2_000):
        taken, kept = _Spans(), list[tuple[int, int]]()
        for _ in range(generator.randrange(40)):
            start, length = generator.randrange(60), generator.randrange(9)
            match = re.compile(f".{{{length}}}").match("x" * 100, start)
            assert match is not None
            scanned = any(s < match.end() and match.start() < e for s, e in kept)
            assert taken.overlaps(match) == scanned
            if not scanned:
                taken.add(match)
                kept.append((match.start(), match.end()))

"""`pcso-policy reviews`: review planning from the front matter, in every format."""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import datetime
import io
import json
import os
from pathlib import Path

import icalendar
import pytest

from pcso_policy import ics, reviews
from pcso_policy.cli import run
from tests.support import git, write

ROOT = Path(__file__).resolve().parents[1]
KENT = "policies/kent/o38-police-community-support-officers.md"
FIXTURES = "tests/fixtures/reviews"
AS_OF = "2026-11-23"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = run(["reviews", "--as-of", AS_OF, "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_kent_is_due_soon_by_the_end_of_january_2027(capsys: pytest.CaptureFixture[str]) -> None:
    code, payload = _json(capsys, KENT)
    assert code == 0
    assert payload["as_of"] == AS_OF and payload["due_soon_days"] == 90
    (o38,) = payload["reviews"]
    assert o38 == {
        "id": "O38",
        "title": "Police community support officers policy",
        "owner": "Head of Partnerships",
        "status": "approved",
        "last_reviewed": "2025-01",
        "next_review": "2027-01",
        "due": "2027-01-31",
        "days": 69,
        "state": "due soon",
        "path": KENT,
        "problem": None,
        "findings": [
            {
                "line": 108,
                "column": 21,
                "rule": "review/date-conflict",
                "severity": "error",
                "message": "'February 2022' contradicts the last review date January 2025 stated in the front matter "
                "(last_reviewed, line 8) and on line 41: correct whichever is wrong",
            }
        ],
    }


def test_text_output_of_kent(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["reviews", "--as-of", AS_OF, KENT]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "TITLE", "OWNER", "STATUS", "LAST", "NEXT", "DUE", "BY", "PATH", "STATE", "WHEN"]
    assert out[1] == (
        "O38  Police community support officers policy  Head of Partnerships  approved  2025-01  2027-01  2027-01-31  "
        f"{KENT}  due soon  69 days left"
    )
    assert out[2].startswith(f"{KENT}:108:21: error review/date-conflict 'February 2022' contradicts")
    assert out[3] == (
        "Reviews on 2026-11-23: 1 policy: 0 overdue, 1 due soon (within 90 days), 0 scheduled, 0 withdrawn, "
        "0 without a readable next review."
    )


def test_default_paths_are_the_configured_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, payload = _json(capsys)
    assert code == 0
    assert [review["path"] for review in payload["reviews"]] == [KENT]


def test_sorted_by_urgency_with_bad_input_listed(capsys: pytest.CaptureFixture[str]) -> None:
    code, payload = _json(capsys, FIXTURES, KENT)
    assert code == 0
    order = [(review["id"], review["state"]) for review in payload["reviews"]]
    assert order == [
        ("P1", "overdue"),
        ("O38", "due soon"),
        ("P4", "unknown"),
        (None, "unknown"),
        ("P5; draft", "scheduled"),
        ("P2", "scheduled"),
        ("P3", "withdrawn"),
    ]
    by_path = {Path(review["path"]).name: review for review in payload["reviews"]}
    assert by_path["overdue.md"]["days"] == -176  # due by 31 May 2026
    assert by_path["scheduled.md"]["due"] == "2028-03-15"  # a day-precision date is due on that day
    assert "no readable front matter" in by_path["no-front-matter.md"]["problem"]
    assert by_path["bad-date.md"]["problem"] == "next_review 'soon' is not YYYY-MM or YYYY-MM-DD"


def test_text_names_the_reason_for_a_file_without_front_matter(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["reviews", "--as-of", AS_OF, f"{FIXTURES}/no-front-matter.md"]) == 0
    captured = capsys.readouterr()
    assert "no readable front matter" in captured.out
    assert "withdrawn  no review planned" in reviews.format_text(
        [reviews.read_review(f"{FIXTURES}/withdrawn.md", datetime.date(2026, 11, 23), 90, 5_000_000)], datetime.date(2026, 11, 23), 90
    )
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00binary", "not UTF-8 text"),
        (b"---\nid: [unclosed\n---\n", "not valid YAML"),
        (b"---\n- a list\n---\n", "not valid YAML"),
        (b"---\nid: X\n", "not valid YAML"),  # never closed
        (b"---\nid: X\nnext_review: 2027-02-30\n---\n", "next_review '2027-02-30' is not YYYY-MM or YYYY-MM-DD"),
        (b"---\nid: X\nnext_review: [2027]\n---\n", "next_review '[2027]' is not"),
    ],
)
def test_hostile_files_never_raise(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path, "x.md", content)
    review = reviews.read_review(str(path), datetime.date(2026, 11, 23), 90, 5_000_000)
    assert review.state == "unknown"
    assert review.problem is not None and reason in review.problem


def test_too_large_and_unreadable_files_are_listed(tmp_path: Path) -> None:
    path = write(tmp_path, "big.md", b"---\nid: X\n---\n" + b"x" * 100)
    assert "larger than" in (reviews.read_review(str(path), datetime.date(2026, 11, 23), 90, 50).problem or "")
    assert "cannot be read" in (reviews.read_review(str(tmp_path / "gone.md"), datetime.date(2026, 11, 23), 90, 50).problem or "")


def test_unquoted_yaml_date_is_read() -> None:
    data = b"---\nid: X\nowner: A\nstatus: approved\nnext_review: 2026-12-01\n---\n"
    review = reviews.review_of("x.md", data, datetime.date(2026, 11, 23), 90)
    assert (review.due, review.days, review.state) == (datetime.date(2026, 12, 1), 8, "due soon")


def test_due_today_and_window_edges() -> None:
    data = b"---\nid: X\nnext_review: '2027-01'\n---\n"
    on_the_day = reviews.review_of("x.md", data, datetime.date(2027, 1, 31), 90)
    assert (on_the_day.days, on_the_day.state, on_the_day.when()) == (0, "due soon", "due today")
    day_after = reviews.review_of("x.md", data, datetime.date(2027, 2, 1), 90)
    assert (day_after.state, day_after.when()) == ("overdue", "1 day overdue")
    edge = reviews.review_of("x.md", data, datetime.date(2026, 11, 2), 90)
    assert (edge.days, edge.state) == (90, "due soon")
    assert reviews.review_of("x.md", data, datetime.date(2026, 11, 1), 90).state == "scheduled"


def test_owner_filter_is_case_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    _, payload = _json(capsys, "--owner", "head of partnerships", FIXTURES, KENT)
    assert [review["id"] for review in payload["reviews"]] == ["O38", "P2", "P3"]


def test_due_within_keeps_overdue_and_unjudgeable(capsys: pytest.CaptureFixture[str]) -> None:
    _, payload = _json(capsys, "--due-within", "90d", FIXTURES, KENT)
    assert [review["id"] for review in payload["reviews"]] == ["P1", "O38", "P4", None]
    _, payload = _json(capsys, "--due-within", "97d", FIXTURES)
    assert [review["id"] for review in payload["reviews"]] == ["P1", "P4", None, "P5; draft"]  # P5: due in 97 days
    _, payload = _json(capsys, "--due-within", "2y", FIXTURES)
    assert [review["id"] for review in payload["reviews"]] == ["P1", "P4", None, "P5; draft", "P2"]  # never withdrawn P3


@pytest.mark.parametrize(
    ("within", "end"),
    [("90d", "2027-02-21"), ("90", "2027-02-21"), ("2w", "2026-12-07"), ("3m", "2027-02-23"), ("1y", "2027-11-23")],
)
def test_window_end(within: str, end: str) -> None:
    assert reviews.window_end(datetime.date(2026, 11, 23), within).isoformat() == end


def test_window_end_clamps_to_the_end_of_a_short_month() -> None:
    assert reviews.window_end(datetime.date(2026, 1, 31), "1m") == datetime.date(2026, 2, 28)


@pytest.mark.parametrize("bad", ["soon", "-3d", "90 days", "d", ""])
def test_bad_window_is_a_usage_error(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["reviews", "--due-within", bad, KENT]) == 2
    assert "is not a period" in capsys.readouterr().err


def test_fail_on_overdue(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["reviews", "--as-of", AS_OF, "--fail-on-overdue", KENT]) == 0
    assert run(["reviews", "--as-of", "2027-02-01", "--fail-on-overdue", KENT]) == 1
    assert run(["reviews", "--as-of", "2027-02-01", KENT]) == 0  # listing alone never fails
    assert run(["reviews", "--as-of", AS_OF, "--fail-on-overdue", f"{FIXTURES}/bad-date.md"]) == 1
    assert run(["reviews", "--as-of", AS_OF, "--fail-on-overdue", f"{FIXTURES}/withdrawn.md"]) == 0
    capsys.readouterr()


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["reviews", "no/such/folder"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_csv_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["reviews", "--as-of", AS_OF, "--format", "csv", FIXTURES, KENT]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert list(rows[0]) == list(reviews.COLUMNS)
    long = next(row for row in rows if row["id"] == "P5; draft")
    assert long["title"].startswith("Stop and search, use of force; “body-worn video”")
    assert rows[0]["id"] == "P1" and rows[0]["days"] == "-176"


def test_output_file_is_written_atomically(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "reviews.ics"
    assert run(["reviews", "--as-of", AS_OF, "--format", "ics", "--output", str(target), KENT]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert [path.name for path in tmp_path.iterdir()] == ["reviews.ics"]


def _calendar(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[bytes, icalendar.Calendar]:
    assert run(["reviews", "--as-of", AS_OF, "--format", "ics", *args]) == 0
    text = capsys.readouterr().out
    return text.encode("utf-8"), icalendar.Calendar.from_ical(text)


def test_ics_of_kent_parses_back_with_one_all_day_event(capsys: pytest.CaptureFixture[str]) -> None:
    _, calendar = _calendar(capsys, KENT)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == ics.PRODID
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime.date(2027, 1, 31)  # a date, not a date-time: all day
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.decoded("DTEND") == datetime.date(2027, 2, 1)
    assert event.decoded("DTSTAMP") == datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)
    assert str(event["UID"]) == f"review-O38@{ics.identity(ROOT).key}.pcso-policy"
    assert str(event["SUMMARY"]) == "Review due: O38 Police community support officers policy"
    assert "Owner: Head of Partnerships\nStatus: approved\nLast reviewed: January 2025" in str(event["DESCRIPTION"])


def test_ics_has_the_events_expected_and_round_trips_hard_text(capsys: pytest.CaptureFixture[str]) -> None:
    raw, calendar = _calendar(capsys, FIXTURES, KENT)
    events = {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}
    # withdrawn P3 has no review; P4 and the file without front matter have no date: a reminder each
    assert sorted(events) == [
        "review-O38", "review-P1", "review-P2", "review-P4", "review-P5-draft", "review-tests-fixtures-reviews-no-front-matter.md"
    ]
    long = events["review-P5-draft"]
    assert str(long["SUMMARY"]) == (
        "Review due: P5; draft Stop and search, use of force; “body-worn video” — Kent & Medway "
        "neighbourhood officers’ and PCSOs’ procedure"
    )
    assert long.decoded("DTSTART") == datetime.date(2027, 2, 28)
    assert b"SUMMARY:Review due: P5\\; draft Stop and search\\, use of force\\;" in raw


def test_ics_lines_are_crlf_and_folded_within_75_octets(capsys: pytest.CaptureFixture[str]) -> None:
    raw, _ = _calendar(capsys, FIXTURES, KENT)
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)
    for line in lines:
        line.decode("utf-8")  # no line ends inside a multi-byte character


def test_ics_is_reproducible(capsys: pytest.CaptureFixture[str]) -> None:
    first, _ = _calendar(capsys, FIXTURES, KENT)
    second, _ = _calendar(capsys, FIXTURES, KENT)
    assert first == second


def test_uid_is_stable_when_the_review_moves() -> None:
    def uid(next_review: str) -> str:
        data = f"---\nid: O38\nnext_review: '{next_review}'\n---\n".encode()
        review = reviews.review_of("a.md", data, datetime.date(2026, 11, 23), 90)
        calendar = icalendar.Calendar.from_ical(ics.calendar([review], datetime.date(2026, 11, 23), "force-policies"))
        (event,) = calendar.walk("VEVENT")
        return str(event["UID"])

    assert uid("2027-01") == uid("2029-01") == "review-O38@force-policies.pcso-policy"


def test_duplicate_ids_get_distinct_uids() -> None:
    data = b"---\nid: O38\nnext_review: '2027-01'\n---\n"
    pair = [reviews.review_of(name, data, datetime.date(2026, 11, 23), 90) for name in ("a.md", "b.md")]
    calendar = icalendar.Calendar.from_ical(ics.calendar(pair, datetime.date(2026, 11, 23), "repo"))
    assert len({str(event["UID"]) for event in calendar.walk("VEVENT")}) == 2


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("a,b;c\\d", "a\\,b\\;c\\\\d"), ("two\nlines", "two\\nlines"), ("cr\r\nlf", "cr\\nlf")],
)
def test_escape(text: str, escaped: str) -> None:
    assert ics.escape(text) == escaped


def test_fold_counts_octets_not_characters() -> None:
    folded = ics.fold("SUMMARY:" + "é" * 80)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert "".join(part[1:] if index else part for index, part in enumerate(parts)) == "SUMMARY:" + "é" * 80
    assert ics.fold("short") == "short"


def test_only_review_consistency_findings_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    _, payload = _json(capsys, FIXTURES, KENT)
    rules = {item["rule"] for review in payload["reviews"] for item in review["findings"]}
    assert rules == {"review/date-conflict"}  # no parse/, structure/ or review/overdue noise
    by_id = {review["id"]: review for review in payload["reviews"]}
    assert by_id["P1"]["findings"] == []


def test_schedule_mismatch_is_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path,
        "x.md",
        "---\nid: X\ntitle: X\nowner: A\nstatus: approved\nlast_reviewed: '2025-01'\nnext_review: '2028-01'\n"
        "review_cycle_months: 24\n---\n# X\n",
    )
    _, payload = _json(capsys, str(path))
    assert [item["rule"] for item in payload["reviews"][0]["findings"]] == ["review/schedule-mismatch"]


def test_csv_carries_the_findings(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["reviews", "--as-of", AS_OF, "--format", "csv", KENT]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out, newline=""))
    assert row["findings"].startswith("108:21 review/date-conflict 'February 2022' contradicts")


def test_withdrawn_without_a_date_is_still_withdrawn() -> None:
    data = b"---\nid: X\nstatus: withdrawn\nnext_review: never\n---\n"
    review = reviews.review_of("x.md", data, datetime.date(2026, 11, 23), 90)
    assert (review.state, review.due, review.when()) == ("withdrawn", None, "no review planned")
    assert reviews.exit_code([review], fail_on_overdue=True) == 0


@pytest.mark.parametrize("far", ["99999y", "99999m", "9000y"])
def test_a_window_past_year_9999_is_a_usage_error(far: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["reviews", "--as-of", AS_OF, "--due-within", far, KENT]) == 2
    assert "past the year 9999" in capsys.readouterr().err


def test_csv_cells_never_start_a_spreadsheet_formula() -> None:
    from pcso_policy.reviews import _cell

    assert [_cell(v) for v in ("=HYPERLINK(1)", "+1", "-2", "@a", "Safe", None, 24)] == [
        "'=HYPERLINK(1)", "'+1", "'-2", "'@a", "Safe", "", 24
    ]


# The calendar as a strict reader sees it: libical, the C library behind Evolution and many servers --------


class _Libical:
    """libical's parser and restriction check (``icalrestriction_check``), called through ctypes."""

    def __init__(self, path: str) -> None:
        lib = ctypes.CDLL(path)
        pointer, text, number = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
        for name, result, arguments in [
            ("icalerror_set_errors_are_fatal", None, [number]),
            ("icalparser_parse_string", pointer, [text]),
            ("icalrestriction_check", number, [pointer]),
            ("icalcomponent_count_errors", number, [pointer]),
            ("icalcomponent_as_ical_string", text, [pointer]),
            ("icalcomponent_string_to_kind", number, [text]),
            ("icalproperty_string_to_kind", number, [text]),
            ("icalcomponent_get_first_component", pointer, [pointer, number]),
            ("icalcomponent_get_next_component", pointer, [pointer, number]),
            ("icalcomponent_count_properties", number, [pointer, number]),
            ("icalcomponent_free", None, [pointer]),
        ]:
            function = getattr(lib, name)
            function.restype, function.argtypes = result, arguments
        lib.icalerror_set_errors_are_fatal(0)
        self.lib = lib

    def check(self, text: str) -> tuple[list[str], list[dict[str, int]]]:
        """The X-LIC-ERROR lines libical adds when parsing ``text`` and checking its restrictions (the
        rules of RFC 5545, and of RFC 5546 for the METHOD given), and how often each event holds each
        property every event needs."""
        lib = self.lib
        root = lib.icalparser_parse_string(text.encode("utf-8"))
        assert root, "libical could not parse the calendar at all"
        try:
            lib.icalrestriction_check(root)
            shown = lib.icalcomponent_as_ical_string(root).decode("utf-8").replace("\r\n ", "").replace("\n ", "")
            errors = [line for line in shown.splitlines() if line.startswith("X-LIC-ERROR")]
            assert len(errors) == lib.icalcomponent_count_errors(root)
            vevent = lib.icalcomponent_string_to_kind(b"VEVENT")
            events = []
            event = lib.icalcomponent_get_first_component(root, vevent)
            while event:
                events.append(
                    {name: lib.icalcomponent_count_properties(event, lib.icalproperty_string_to_kind(name.encode())) for name in _NEEDED}
                )
                event = lib.icalcomponent_get_next_component(root, vevent)
            return errors, events
        finally:
            lib.icalcomponent_free(root)


_NEEDED = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY")
"""RFC 5545, 3.6.1: UID and DTSTAMP once, DTSTART once when there is no METHOD; DTEND and SUMMARY at most once."""


@pytest.fixture(scope="module")
def libical() -> _Libical:
    found = ctypes.util.find_library("ical")
    if found is None:
        message = "libical is not installed (Debian: apt-get install libical3)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return _Libical(found)


def _ics(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert run(["reviews", "--as-of", AS_OF, "--format", "ics", *args]) == 0
    return capsys.readouterr().out


def test_libical_accepts_the_calendar(libical: _Libical, capsys: pytest.CaptureFixture[str]) -> None:
    text = _ics(capsys, FIXTURES, KENT)
    errors, events = libical.check(text)
    assert errors == []
    assert len(events) == 6
    assert all(event == dict.fromkeys(_NEEDED, 1) for event in events), events


def test_libical_is_a_real_check(libical: _Libical, capsys: pytest.CaptureFixture[str]) -> None:
    """The check finds what it should: a published-scheduling METHOD without ORGANIZER (what the calendar
    used to say), a second UID, a date that is not one."""
    text = _ics(capsys, KENT)
    as_publish = text.replace("CALSCALE:GREGORIAN\r\n", "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n")
    errors, _ = libical.check(as_publish)
    assert any("ORGANIZER" in error for error in errors), errors
    uid = next(line for line in text.split("\r\n") if line.startswith("UID:"))
    errors, _ = libical.check(text.replace(uid, f"{uid}\r\n{uid}"))
    assert any("UID" in error for error in errors), errors
    errors, _ = libical.check(text.replace("DTSTART;VALUE=DATE:20270131", "DTSTART;VALUE=DATE:soon"))
    assert any("DATE" in error for error in errors), errors


def test_a_policy_without_a_readable_next_review_is_a_reminder_on_the_day(capsys: pytest.CaptureFixture[str]) -> None:
    calendar = icalendar.Calendar.from_ical(_ics(capsys, FIXTURES))
    events = {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}
    for uid, reason in [
        ("review-P4", "next_review 'soon' is not YYYY-MM or YYYY-MM-DD"),
        ("review-tests-fixtures-reviews-no-front-matter.md", "no readable front matter: start the file with YAML"),
    ]:
        event = events[uid]
        assert event.decoded("DTSTART") == datetime.date(2026, 11, 23) and event.decoded("DTEND") == datetime.date(2026, 11, 24)
        assert str(event["SUMMARY"]).startswith("No readable next review: ")
        assert f"Next review: cannot be planned: {reason}" in str(event["DESCRIPTION"])
    assert "review-P3" not in events  # withdrawn: no review is planned
    missing = reviews.review_of("x.md", b"---\nid: P9\n---\n", datetime.date(2026, 11, 23), 90)
    (event,) = icalendar.Calendar.from_ical(ics.calendar([missing], datetime.date(2026, 11, 23), "repo")).walk("VEVENT")
    assert "Next review: cannot be planned: no next_review in the front matter" in str(event["DESCRIPTION"])


def test_fixing_the_date_moves_the_reminder_instead_of_adding_an_event() -> None:
    def uids(next_review: str) -> list[str]:
        data = f"---\nid: O38\nnext_review: {next_review}\n---\n".encode()
        review = reviews.review_of("a.md", data, datetime.date(2026, 11, 23), 90)
        calendar = icalendar.Calendar.from_ical(ics.calendar([review], datetime.date(2026, 11, 23), "force-policies"))
        return [str(event["UID"]) for event in calendar.walk("VEVENT")]

    assert uids("soon") == uids("'2027-01'") == ["review-O38@force-policies.pcso-policy"]


# UIDs: the same in every clone, different for every force ---------------------------------------------------


def _clone(tmp_path: Path, folder: str, remote: str | None, config: str = "") -> Path:
    """A repository in ``tmp_path/folder`` holding one policy, with ``remote`` as its origin."""
    repo = tmp_path / folder
    write(repo, "policies/o38.md", "---\nid: O38\ntitle: PCSOs\nnext_review: '2027-01'\n---\n# PCSOs\n")
    write(repo, ".pcso-policy.toml", config or "bundled_checks = false\n")
    git(repo, "init", "-q")
    if remote is not None:
        git(repo, "remote", "add", "origin", remote)
    return repo


def _uids_in(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], str]:
    monkeypatch.chdir(repo)
    text = _ics(capsys)
    calendar = icalendar.Calendar.from_ical(text)
    return [str(event["UID"]) for event in calendar.walk("VEVENT")], text


def test_every_clone_of_a_repository_gives_the_same_uids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    https, _ = _uids_in(_clone(tmp_path, "policies", "https://github.com/kent-police/policies.git"), monkeypatch, capsys)
    ssh, _ = _uids_in(_clone(tmp_path, "workspace", "git@github.com:Kent-Police/policies"), monkeypatch, capsys)
    assert https == ssh == ["review-O38@github.com%2Fkent-police%2Fpolicies.pcso-policy"]


def test_two_forces_whose_repositories_share_a_name_get_different_uids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kent, _ = _uids_in(_clone(tmp_path / "a", "policies", "https://github.com/kent-police/policies.git"), monkeypatch, capsys)
    essex, _ = _uids_in(_clone(tmp_path / "b", "policies", "https://github.com/essex-police/policies.git"), monkeypatch, capsys)
    alike, _ = _uids_in(_clone(tmp_path / "c", "policies", "https://github.com/essex/police-policies.git"), monkeypatch, capsys)
    assert len({*kent, *essex, *alike}) == 3


def test_credentials_in_the_remote_never_reach_the_calendar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = "https://gitlab-ci-token:glcbt-SECRET@gitlab.example.org:8443/force/policies.git?private_token=TOKEN2"
    uids, text = _uids_in(_clone(tmp_path, "policies", remote), monkeypatch, capsys)
    assert uids == ["review-O38@gitlab.example.org%2Fforce%2Fpolicies.pcso-policy"]
    assert "SECRET" not in text and "TOKEN2" not in text and "gitlab-ci-token" not in text
    assert "X-WR-CALNAME:Policy reviews (gitlab.example.org/force/policies)" in text


def test_a_configured_calendar_id_names_the_calendar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = 'bundled_checks = false\ncalendar_id = "policies.kent.police.uk"\n'
    uids, _ = _uids_in(_clone(tmp_path, "workspace", "https://github.com/kent-police/policies.git", config), monkeypatch, capsys)
    assert uids == ["review-O38@policies.kent.police.uk.pcso-policy"]
    write(tmp_path / "workspace", ".pcso-policy.toml", 'calendar_id = "two words"\n')
    assert run(["reviews", "--format", "ics"]) == 2
    assert "setting 'calendar_id'" in capsys.readouterr().err


def test_without_a_remote_the_folder_names_the_calendar_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    uids, _ = _uids_in(_clone(tmp_path, "force-policies", None), monkeypatch, capsys)
    assert uids == ["review-O38@force-policies.pcso-policy"]


def test_a_project_in_a_subfolder_of_a_repository_is_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _clone(tmp_path, "monorepo", "https://github.com/force/everything.git")
    write(repo / "Policies", "policies/o38.md", (repo / "policies/o38.md").read_bytes())
    write(repo / "Policies", ".pcso-policy.toml", "bundled_checks = false\n")
    top, _ = _uids_in(repo, monkeypatch, capsys)
    inner, _ = _uids_in(repo / "Policies", monkeypatch, capsys)
    assert top == ["review-O38@github.com%2Fforce%2Feverything.pcso-policy"]
    assert inner == ["review-O38@github.com%2Fforce%2Feverything%2Fpolicies.pcso-policy"]


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("https://github.com/Kent-Police/policies.git", "github.com/kent-police/policies"),
        ("git@github.com:kent-police/policies.git", "github.com/kent-police/policies"),
        ("ssh://git@github.com:22/kent-police/policies/", "github.com/kent-police/policies"),
        ("https://user:p%40ss@dev.azure.com/org/project/_git/policies", "dev.azure.com/org/project/_git/policies"),
        ("https://x-access-token:ghs_abc@github.com/kent-police/policies#main", "github.com/kent-police/policies"),
        ("/srv/git/policies.git\n", "srv/git/policies"),
        ("file:///srv/git/policies.git", "srv/git/policies"),
        ("https://[oops/policies", None),
        ("", None),
    ],
)
def test_normalised_remote(url: str, normalised: str | None) -> None:
    assert ics.normalised_remote(url) == normalised

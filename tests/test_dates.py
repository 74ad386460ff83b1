"""The date reader on every way UK policy text writes a date or a review cycle."""

from __future__ import annotations

import datetime

import pytest

from pcso_policy.dates import PartialDate, find_dates, months_in_words, parse_cycle, parse_iso, parse_number


@pytest.mark.parametrize(
    ("text", "expected", "written"),
    [
        ("This policy was reviewed in January 2025 and", PartialDate(2025, 1), "January 2025"),
        ("reviewed in Jan 2025.", PartialDate(2025, 1), "Jan 2025"),
        ("updated Sept. 2024", PartialDate(2024, 9), "Sept. 2024"),
        ("Updated 6 June 2022", PartialDate(2022, 6, 6), "6 June 2022"),
        ("Updated 6th June 2022", PartialDate(2022, 6, 6), "6th June 2022"),
        ("on the 1st of March 2024", PartialDate(2024, 3, 1), "1st of March 2024"),
        ("on 22nd February 2022", PartialDate(2022, 2, 22), "22nd February 2022"),
        ("on 3rd May 2021", PartialDate(2021, 5, 3), "3rd May 2021"),
        ("dated 06/06/2022", PartialDate(2022, 6, 6), "06/06/2022"),
        ("dated 1/2/2023 (1 February)", PartialDate(2023, 2, 1), "1/2/2023"),
        ("due by 1.6.2027 at the latest", PartialDate(2027, 6, 1), "1.6.2027"),
        ("due by 01.06.2027.", PartialDate(2027, 6, 1), "01.06.2027"),
        ("on 6 JUNE 2022", PartialDate(2022, 6, 6), "6 JUNE 2022"),
        ("from jan 2025", PartialDate(2025, 1), "jan 2025"),
        ("on 6 May 2025", PartialDate(2025, 5, 6), "6 May 2025"),
        ("on 6 may 2025", PartialDate(2025, 5, 6), "6 may 2025"),
        ("in May 2025", PartialDate(2025, 5), "May 2025"),
        ("on 29 February 2024", PartialDate(2024, 2, 29), "29 February 2024"),
        ("(June 2022)", PartialDate(2022, 6), "June 2022"),
        ("Date last reviewed: February 2022", PartialDate(2022, 2), "February 2022"),
        ("in June 2022", PartialDate(2022, 6), "June 2022"),
        ("in June, 2022", PartialDate(2022, 6), "June, 2022"),
        ("in JANUARY 2027", PartialDate(2027, 1), "JANUARY 2027"),
        ("version 2025-01", PartialDate(2025, 1), "2025-01"),
        ("on 2025-01-14.", PartialDate(2025, 1, 14), "2025-01-14"),
        ("Review date: 04/2027", PartialDate(2027, 4), "04/2027"),
        ("due (12/2027).", PartialDate(2027, 12), "12/2027"),
        ("Due for review on: 01/07/2027", PartialDate(2027, 7, 1), "01/07/2027"),
        ("by 1/7/2027", PartialDate(2027, 7, 1), "1/7/2027"),
        ("by 1st July 2027", PartialDate(2027, 7, 1), "1st July 2027"),
        ("in Jul 2027", PartialDate(2027, 7), "Jul 2027"),
    ],
)
def test_each_format_is_read(text: str, expected: PartialDate, written: str) -> None:
    found = find_dates(text)
    assert [(item.date, item.text) for item in found] == [(expected, written)]
    assert text[found[0].start : found[0].end] == written


@pytest.mark.parametrize(
    "text",
    [
        "The Police Reform Act 2002 created the role",  # a bare year is not a date
        "role code SDV047 and grade D",
        "31 June 2022",  # no such day
        "12/31/2022",  # month first is not the UK order; month 31 does not exist
        "2025-13",
        "they may 2025 be asked",  # the verb, not the month
        "ISBN 978-1-2025-01",
        "29 February 2023",  # not a leap year
        "00/01/2024",
        "2025-00",
        "13.13.2024",
        "SDV047 June",
        "Grade D (role code SDV045)",
        "in 2025 and 2026",  # bare years
        "2June 2022",  # inside a word
        "Janet 2025",
        "pre-June 2022",
        "June 20225",
        "106/06/2022",  # inside a longer number
        "6/06/20225",
        "section 4.3.2.2022",
        "2025-01-14T10",
        "paragraph 4.3. In 2022 the College",
        "13/25/2027",  # neither order makes it a date: nothing is guessed
        "07/13/2027",  # month first
        "13/2027",  # no month 13
        "00/2027",
        "4/2027",  # a month and year take a two-digit month
        "31/06/2027",  # not 'June 2027': the day is impossible
        "Home Office Circular 12/2005",  # a circular's number
        "HOC 11/2011",
        "Home Office circular No. 12/2005",
        "ref 106/2027",
        "12/20275",
        "version 1.2/2027",
    ],
)
def test_what_is_not_a_date(text: str) -> None:
    assert find_dates(text) == []


def test_several_dates_in_order_with_positions() -> None:
    text = "Reviewed in January 2025; next review in January 2027 (see 06/06/2022)."
    found = find_dates(text)
    assert [str(item.date) for item in found] == ["January 2025", "January 2027", "6 June 2022"]
    assert [item.start for item in found] == [12, 41, 59]


def test_a_month_and_year_compares_at_month_precision() -> None:
    [found] = find_dates("Review date: 04/2027")
    assert found.date.precision == "month"
    assert found.date.same_as(PartialDate(2027, 4, 30)) and not found.date.same_as(PartialDate(2027, 5, 1))


def test_an_impossible_date_is_not_read_as_its_month() -> None:
    """'31 June 2022' is a typing error, not 'June 2022'; the text around it is still read."""
    text = "Reviewed on 31 June 2022 and on 1 July 2022."
    assert [(str(item.date), item.start) for item in find_dates(text)] == [("1 July 2022", 32)]


def test_positions_of_each_format_in_one_text() -> None:
    text = "A 6th June 2022; B 2025-01; C 06/06/2022; D Jan 2025; E 1.6.2027; F June, 2022."
    found = find_dates(text)
    assert [(item.start, item.end) for item in found] == [
        (text.index("6th"), text.index(";")),
        (text.index("2025-01"), text.index("2025-01") + 7),
        (text.index("06/06"), text.index("06/06") + 10),
        (text.index("Jan"), text.index("Jan") + 8),
        (text.index("1.6."), text.index("1.6.") + 8),
        (text.index("June,"), len(text) - 1),
    ]
    assert all(text[item.start : item.end] == item.text for item in found)


def test_dates_sort_by_day_with_month_precision_first() -> None:
    dates = [PartialDate(2025, 2), PartialDate(2025, 1, 14), PartialDate(2024, 12, 31), PartialDate(2025, 1)]
    assert sorted(dates) == [PartialDate(2024, 12, 31), PartialDate(2025, 1), PartialDate(2025, 1, 14), PartialDate(2025, 2)]
    assert PartialDate(2025, 1) < PartialDate(2025, 1, 1) < PartialDate(2025, 1, 2)
    assert PartialDate(2025, 1, 31) <= PartialDate(2025, 2) and PartialDate(2026, 1) > PartialDate(2025, 12, 31)


def test_partial_dates_are_frozen_values() -> None:
    date = PartialDate(2025, 1)
    with pytest.raises(AttributeError):
        date.year = 2026  # type: ignore[misc]
    assert {PartialDate(2025, 1), PartialDate(2025, 1)} == {date}
    assert PartialDate(2025, 1) != PartialDate(2025, 1, 1)


def test_precision_and_month_precision_comparison() -> None:
    month, day = PartialDate(2025, 1), PartialDate(2025, 1, 14)
    assert (month.precision, day.precision) == ("month", "day")
    assert month.same_as(day) and day.same_as(month)
    assert not day.same_as(PartialDate(2025, 1, 15))
    assert not month.same_as(PartialDate(2025, 2))
    assert month.first_day() == datetime.date(2025, 1, 1)
    assert month.last_day() == datetime.date(2025, 1, 31)
    assert PartialDate(2024, 2).last_day() == datetime.date(2024, 2, 29)
    assert str(month) == "January 2025" and str(day) == "14 January 2025"
    assert day.first_day() == day.last_day() == datetime.date(2025, 1, 14)
    assert PartialDate(2023, 2).last_day() == datetime.date(2023, 2, 28)
    assert PartialDate(2025, 12).last_day() == datetime.date(2025, 12, 31)
    assert not month.same_as(PartialDate(2024, 1)) and not PartialDate(2025, 1, 14).same_as(PartialDate(2024, 1, 14))
    assert PartialDate(2025, 1, 14).same_as(PartialDate(2025, 1, 14))


def test_adding_months_crosses_years_and_clamps_days() -> None:
    assert PartialDate(2025, 1).add_months(24) == PartialDate(2027, 1)
    assert PartialDate(2025, 11).add_months(3) == PartialDate(2026, 2)
    assert PartialDate(2024, 1, 31).add_months(1) == PartialDate(2024, 2, 29)
    assert PartialDate(2025, 3).add_months(-3) == PartialDate(2024, 12)
    assert PartialDate(2025, 12).add_months(1) == PartialDate(2026, 1)
    assert PartialDate(2025, 1).add_months(-1) == PartialDate(2024, 12)
    assert PartialDate(2025, 1).add_months(0) == PartialDate(2025, 1)
    assert PartialDate(2025, 11, 30).add_months(3) == PartialDate(2026, 2, 28)
    assert PartialDate(2023, 8, 31).add_months(6) == PartialDate(2024, 2, 29)
    assert PartialDate(2025, 6).add_months(120) == PartialDate(2035, 6)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01", PartialDate(2025, 1)),
        ("2025-01-06", PartialDate(2025, 1, 6)),
        (datetime.date(2025, 1, 6), PartialDate(2025, 1, 6)),
        ("2025-02-30", None),
        ("January 2025", None),
        (202501, None),
        (None, None),
    ],
)
def test_front_matter_values(value: object, expected: PartialDate | None) -> None:
    assert parse_iso(value) == expected


@pytest.mark.parametrize(
    ("text", "months", "written"),
    [
        ("will be reviewed every two years or when", 24, "every two years"),
        ("reviewed every 2 years", 24, "every 2 years"),
        ("reviewed every 24 months", 24, "every 24 months"),
        ("reviewed every eighteen months", 18, "every eighteen months"),
        ("reviewed every six months", 6, "every six months"),
        ("reviewed every three years", 36, "every three years"),
        ("reviewed annually", 12, "annually"),
        ("reviewed each year", 12, "each year"),
        ("reviewed every year", 12, "every year"),
        ("reviewed biennially", 24, "biennially"),
        ("reviewed every Year", 12, "every Year"),
        ("reviewed Annually.", 12, "Annually"),
        ("reviewed once a year", 12, "once a year"),
        ("reviewed yearly", 12, "yearly"),
        ("reviewed every other year", 24, "every other year"),
        ("reviewed triennially", 36, "triennially"),
        ("reviewed every two (2) years", 24, "every two (2) years"),
        ("reviewed every twenty-four months", 24, "every twenty-four months"),
        ("reviewed every twenty four months", 24, "every twenty four months"),
        ("reviewed every thirty-six months", 36, "every thirty-six months"),
        ("reviewed every twelve months", 12, "every twelve months"),
        ("reviewed every 1 year", 12, "every 1 year"),
        ("reviewed every one year", 12, "every one year"),
        ("reviewed on a three-yearly basis", 36, "three-yearly"),
        ("reviewed on a two yearly basis", 24, "two yearly"),
        ("reviewed six-monthly", 6, "six-monthly"),
        ("reviewed EVERY TWO YEARS", 24, "EVERY TWO YEARS"),
        ("reviewed every month", 1, "every month"),
    ],
)
def test_review_cycles_with_number_words(text: str, months: int, written: str) -> None:
    found = parse_cycle(text)
    assert [(item.months, item.text) for item in found] == [(months, written)]
    assert text[found[0].start : found[0].end] == written


@pytest.mark.parametrize(
    "text",
    [
        "reviewed regularly",
        "reviewed every two weeks",
        "reviewed every day",
        "everyone reviews",
        "every twenty-twelve months",  # not a number
        "the yearbook and the annual report",
        "every zero years",
        "a five year plan",
    ],
)
def test_what_is_not_a_cycle(text: str) -> None:
    assert parse_cycle(text) == []


def test_several_cycles_in_order_with_positions() -> None:
    text = "Reviewed every two years; training six-monthly and refreshed annually."
    found = parse_cycle(text)
    assert [(item.months, item.start, item.end) for item in found] == [
        (24, 9, 24),
        (6, text.index("six"), text.index("six") + 11),
        (12, text.index("annually"), text.index("annually") + 8),
    ]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("24", 24),
        ("two", 2),
        ("Eighteen", 18),
        ("twenty", 20),
        ("twenty-four", 24),
        ("twenty four", 24),
        ("thirty-six", 36),
        ("forty-eight", 48),
        ("sixty", 60),
        ("twenty-twelve", None),
        ("four-twenty", None),
        ("dozen", None),
        ("", None),
    ],
)
def test_number_words(text: str, number: int | None) -> None:
    assert parse_number(text) == number


def test_cycles_in_words() -> None:
    assert [months_in_words(m) for m in (12, 24, 18)] == ["every year", "every 2 years", "every 18 months"]

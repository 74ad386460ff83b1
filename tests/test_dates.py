"""The date reader on every way UK policy text writes a date or a review cycle."""

from __future__ import annotations

import datetime

import pytest

from pcso_policy.dates import PartialDate, find_cycles, find_dates, months_in_words, parse_iso


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
        ("in June 2022", PartialDate(2022, 6), "June 2022"),
        ("in June, 2022", PartialDate(2022, 6), "June, 2022"),
        ("in JANUARY 2027", PartialDate(2027, 1), "JANUARY 2027"),
        ("version 2025-01", PartialDate(2025, 1), "2025-01"),
        ("on 2025-01-14.", PartialDate(2025, 1, 14), "2025-01-14"),
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
    ],
)
def test_what_is_not_a_date(text: str) -> None:
    assert find_dates(text) == []


def test_several_dates_in_order_with_positions() -> None:
    text = "Reviewed in January 2025; next review in January 2027 (see 06/06/2022)."
    found = find_dates(text)
    assert [str(item.date) for item in found] == ["January 2025", "January 2027", "6 June 2022"]
    assert [item.start for item in found] == [12, 41, 59]


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


def test_adding_months_crosses_years_and_clamps_days() -> None:
    assert PartialDate(2025, 1).add_months(24) == PartialDate(2027, 1)
    assert PartialDate(2025, 11).add_months(3) == PartialDate(2026, 2)
    assert PartialDate(2024, 1, 31).add_months(1) == PartialDate(2024, 2, 29)
    assert PartialDate(2025, 3).add_months(-3) == PartialDate(2024, 12)


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
    ],
)
def test_review_cycles_with_number_words(text: str, months: int, written: str) -> None:
    found = find_cycles(text)
    assert [(item.months, item.text) for item in found] == [(months, written)]
    assert text[found[0].start : found[0].end] == written


def test_cycles_in_words() -> None:
    assert [months_in_words(m) for m in (12, 24, 18)] == ["every year", "every 2 years", "every 18 months"]

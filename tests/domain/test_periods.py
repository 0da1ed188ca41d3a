"""Reporting periods on the UK financial year (1 April - 31 March), at their edges."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_tui.domain.errors import UserError
from audit_tui.domain.periods import (
    Period,
    current_quarter,
    current_year,
    date_range,
    financial_year,
    fy_start_year,
    month,
    parse_period,
    quarter,
    quarter_of,
)


def span(p: Period) -> tuple[str, str, str, str]:
    return p.label, p.kind, p.start.isoformat(), p.end.isoformat()


def test_31_march_and_1_april_are_in_different_years() -> None:
    assert fy_start_year(date(2026, 3, 31)) == 2025
    assert fy_start_year(date(2026, 4, 1)) == 2026
    assert current_year(date(2026, 3, 31)).label == "2025-26"
    assert current_year(date(2026, 4, 1)).label == "2026-27"
    assert current_quarter(date(2026, 3, 31)).label == "2025-26 Q4"
    assert current_quarter(date(2026, 4, 1)).label == "2026-27 Q1"


@pytest.mark.parametrize(
    ("month_number", "q"),
    [(4, 1), (6, 1), (7, 2), (9, 2), (10, 3), (12, 3), (1, 4), (3, 4)],
)
def test_quarter_of_month(month_number: int, q: int) -> None:
    assert quarter_of(date(2025, month_number, 15)) == q


def test_financial_year_runs_april_to_march() -> None:
    assert span(financial_year(2025)) == ("2025-26", "year", "2025-04-01", "2026-03-31")
    assert span(financial_year(1999)) == ("1999-00", "year", "1999-04-01", "2000-03-31")


def test_quarters_of_a_year() -> None:
    assert span(quarter(2025, 1)) == ("2025-26 Q1", "quarter", "2025-04-01", "2025-06-30")
    assert span(quarter(2025, 2)) == ("2025-26 Q2", "quarter", "2025-07-01", "2025-09-30")
    assert span(quarter(2025, 3)) == ("2025-26 Q3", "quarter", "2025-10-01", "2025-12-31")
    # Q4 is January-March of the next calendar year.
    assert span(quarter(2025, 4)) == ("2025-26 Q4", "quarter", "2026-01-01", "2026-03-31")


def test_q4_contains_january_of_the_next_calendar_year() -> None:
    q4 = current_quarter(date(2026, 1, 15))
    assert q4 == quarter(2025, 4)
    assert q4.contains(date(2026, 1, 1)) and q4.contains(date(2026, 3, 31))
    assert not q4.contains(date(2025, 12, 31)) and not q4.contains(date(2026, 4, 1))


def test_previous() -> None:
    assert quarter(2025, 1).previous() == quarter(2024, 4)  # Q1 -> last year's Q4
    assert quarter(2025, 1).previous().label == "2024-25 Q4"
    assert quarter(2025, 4).previous() == quarter(2025, 3)
    assert financial_year(2025).previous() == financial_year(2024)
    assert month(2026, 1).previous() == month(2025, 12)
    assert month(2024, 3).previous().end == date(2024, 2, 29)  # leap year
    r = date_range(date(2025, 4, 10), date(2025, 4, 19))  # ten days
    assert r.previous() == date_range(date(2025, 3, 31), date(2025, 4, 9))


def test_last_n_is_oldest_first_and_crosses_years() -> None:
    labels = [p.label for p in quarter(2025, 2).last(4)]
    assert labels == ["2024-25 Q3", "2024-25 Q4", "2025-26 Q1", "2025-26 Q2"]
    assert [p.label for p in financial_year(2025).last(3)] == ["2023-24", "2024-25", "2025-26"]
    assert [p.label for p in month(2026, 2).last(3)] == ["2025-12", "2026-01", "2026-02"]
    assert quarter(2025, 1).last(1) == [quarter(2025, 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-26", ("2025-26", "year", "2025-04-01", "2026-03-31")),
        ("  2025-26  ", ("2025-26", "year", "2025-04-01", "2026-03-31")),
        ("1999-00", ("1999-00", "year", "1999-04-01", "2000-03-31")),
        ("2025-26 Q1", ("2025-26 Q1", "quarter", "2025-04-01", "2025-06-30")),
        ("2025-26 q4", ("2025-26 Q4", "quarter", "2026-01-01", "2026-03-31")),
        ("2025-26Q3", ("2025-26 Q3", "quarter", "2025-10-01", "2025-12-31")),
        ("2025-07", ("2025-07", "month", "2025-07-01", "2025-07-31")),
        ("2025-02", ("2025-02", "month", "2025-02-01", "2025-02-28")),
        ("2024-02", ("2024-02", "month", "2024-02-01", "2024-02-29")),
        ("2025-12", ("2025-12", "month", "2025-12-01", "2025-12-31")),
        (
            "2025-04-01..2025-09-30",
            ("2025-04-01..2025-09-30", "range", "2025-04-01", "2025-09-30"),
        ),
        (
            "2025-04-01 .. 2025-04-01",
            ("2025-04-01..2025-04-01", "range", "2025-04-01", "2025-04-01"),
        ),
    ],
)
def test_parse_period(text: str, expected: tuple[str, str, str, str]) -> None:
    assert span(parse_period(text)) == expected


def test_a_financial_year_wins_the_rare_tie_with_a_month() -> None:
    # "2011-12" could be December 2011; as documented, the financial year is meant.
    assert parse_period("2011-12").kind == "year"


USAGE = "use 2025-26, 2025-26 Q1, 2025-07 or 2025-04-01..2025-09-30"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f"period '' not understood: {USAGE}"),
        ("last year", f"period 'last year' not understood: {USAGE}"),
        ("2025-7", f"period '2025-7' not understood: {USAGE}"),
        ("2025-26 Q5", f"period '2025-26 Q5' not understood: {USAGE}"),
        ("2025/26", f"period '2025/26' not understood: {USAGE}"),
        (
            "2025-13",
            "period '2025-13': neither a month (01-12) nor a financial year"
            " (did you mean 2025-26?)",
        ),
        (
            "2025-27",
            "period '2025-27': neither a month (01-12) nor a financial year"
            " (did you mean 2025-26?)",
        ),
        (
            "2025-27 Q1",
            "period '2025-27 Q1': 2025-27 is not a financial year, which runs April to March"
            " (did you mean 2025-26?)",
        ),
        (
            "2025-02-30..2025-03-31",
            "period '2025-02-30..2025-03-31': day is out of range for month",
        ),
        ("2025-05-01..2025-04-01", "period 2025-05-01..2025-04-01: the end is before the start"),
    ],
)
def test_bad_period_is_one_clear_user_error(text: str, message: str) -> None:
    with pytest.raises(UserError) as info:
        parse_period(text)
    assert str(info.value) == message


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@settings(max_examples=150, deadline=None)
@given(days)
def test_every_day_is_in_its_own_quarter_and_year(d: date) -> None:
    q, y = current_quarter(d), current_year(d)
    assert q.contains(d) and y.contains(d)
    assert y.start <= q.start and q.end <= y.end
    assert q.label.startswith(y.label)
    assert parse_period(q.label) == q and parse_period(y.label) == y
    m = month(d.year, d.month)
    assert m.contains(d) and q.contains(m.start) and q.contains(m.end)


@settings(max_examples=60, deadline=None)
@given(st.integers(2000, 2098))
def test_quarters_tile_the_year_without_gaps(fy: int) -> None:
    quarters = [quarter(fy, q) for q in (1, 2, 3, 4)]
    year = financial_year(fy)
    assert quarters[0].start == year.start and quarters[-1].end == year.end
    for a, b in pairwise(quarters):
        assert a.end + timedelta(days=1) == b.start
        assert b.previous() == a
    assert quarters[0].previous().end + timedelta(days=1) == year.start


def test_a_period_in_progress_is_compared_with_the_same_months_a_year_before() -> None:
    from audit_tui.domain.periods import comparison_period, in_progress, months_covered

    today = date(2026, 11, 29)
    year = parse_period("2026-27")
    assert in_progress(year, today) and months_covered(year.start, today) == 8
    same = comparison_period(year, today)
    assert span(same) == ("2025-26", "year", "2025-04-01", "2025-11-29")
    q3 = parse_period("2026-27 Q3")
    assert in_progress(q3, today) and months_covered(q3.start, today) == 2
    assert span(comparison_period(q3, today)) == (
        "2025-26 Q3",
        "quarter",
        "2025-10-01",
        "2025-11-29",
    )
    # Finished periods, months and ranges are compared with the whole period before.
    for text, before in [
        ("2025-26", "2024-25"),
        ("2026-27 Q2", "2026-27 Q1"),
        ("2026-11", "2026-10"),
    ]:
        p = parse_period(text)
        assert not in_progress(p, today)
        assert comparison_period(p, today) == p.previous() and p.previous().label == before
    # The last day of a year is still in progress; a leap day a year before is 28 February.
    assert in_progress(year, date(2027, 3, 30)) and not in_progress(year, date(2027, 3, 31))
    leap = comparison_period(parse_period("2027-28"), date(2028, 2, 29))
    assert leap.end == date(2027, 2, 28)

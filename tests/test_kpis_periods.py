"""Periods as dates: a quarter ends on its last day, a year on 31 December, on an exact decimal-year grid."""

import datetime as dt

import pandas as pd

from kpis.periods import decimal_to_date, decimal_year, parse_periods, period_end, period_t


def test_quarter_and_year_ends_fall_on_exact_decimal_years():
    assert decimal_year(dt.date(2024, 3, 31)) == 2024.25
    assert decimal_year(dt.date(2024, 6, 30)) == 2024.5
    assert decimal_year(dt.date(2024, 9, 30)) == 2024.75
    assert decimal_year(dt.date(2024, 12, 31)) == 2025.0
    assert decimal_year(dt.date(2025, 1, 1)) == 2025 + 1 / (12 * 31)


def test_every_day_round_trips():
    day = dt.date(2023, 1, 1)
    while day < dt.date(2025, 1, 1):  # a leap year and a common one
        assert decimal_to_date(decimal_year(day)) == day
        day += dt.timedelta(days=1)


def test_period_end_dates():
    assert period_end("2026-Q1") == dt.date(2026, 3, 31)
    assert period_end("2026-Q4") == dt.date(2026, 12, 31)
    assert period_end("2026") == dt.date(2026, 12, 31)
    assert period_t("2026-Q3") == 2026.75
    assert period_t("2026") == 2027.0  # the end of 2026


def test_parse_periods_is_vectorised_and_keeps_the_index():
    s = pd.Series(["2024-Q2", "2024", "2024-Q2"], index=[7, 8, 9])
    out = parse_periods(s)
    assert list(out.index) == [7, 8, 9]
    assert out["year"].tolist() == [2024, 2024, 2024]
    assert out["quarter"].tolist() == [2, 0, 2]
    assert out["t"].tolist() == [2024.5, 2025.0, 2024.5]

"""Reporting periods as dates and decimal years: a quarter ends on its last day, a year on 31 December."""

from __future__ import annotations

import calendar
import datetime as dt
import math
from functools import lru_cache

import numpy as np
import pandas as pd

QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def decimal_year(d: dt.date | dt.datetime) -> float:
    """Time in years on a month grid: month m adds (m-1)/12, day k of an n-day month adds k/(12 n).

    A quarter's last day is exactly Y + q/4 and 31 December Y is exactly Y + 1, so the time between
    two reporting periods is a whole number of quarters, and rates computed by hand in a test match.
    """
    if isinstance(d, dt.datetime):
        d = d.date()
    days = calendar.monthrange(d.year, d.month)[1]
    return d.year + (d.month - 1) / 12 + d.day / (12 * days)


def decimal_to_date(t: float) -> dt.date:
    """Inverse of decimal_year (to the day); Y + 1 is 31 December Y, the end of year Y."""
    year = math.ceil(t - 1e-9) - 1
    months = (t - year) * 12  # in (0, 12]
    month = min(max(math.ceil(months - 1e-9), 1), 12)
    days = calendar.monthrange(year, month)[1]
    day = round((months - (month - 1)) * days)
    if day <= 0:
        return dt.date(year, month, 1) - dt.timedelta(days=1)
    return dt.date(year, month, min(day, days))


def year_end(year: int) -> float:
    """Decimal time of 31 December of `year` (baseline, milestone and target years are dated there)."""
    return float(year) + 1.0


def parse_period(period: str) -> tuple[int, int]:
    """'2026-Q1' -> (2026, 1); '2026' -> (2026, 0)."""
    if "-Q" in period:
        y, q = period.split("-Q")
        return int(y), int(q)
    return int(period), 0


def period_t(period: str) -> float:
    y, q = parse_period(period)
    return y + q / 4 if q else year_end(y)


def period_end(period: str) -> dt.date:
    y, q = parse_period(period)
    m, d = QUARTER_END[q or 4]
    return dt.date(y, m, d)


def parse_periods(periods: pd.Series) -> pd.DataFrame:
    """Vectorised parse of canonical periods: year, quarter (0 = whole year) and t (decimal year of the end)."""
    codes, uniques = pd.factorize(periods, sort=False)
    parsed = [parse_period(str(p)) for p in uniques]
    years = np.array([p[0] for p in parsed], dtype=np.int64)
    quarters = np.array([p[1] for p in parsed], dtype=np.int64)
    ts = np.where(quarters > 0, years + quarters / 4, years + 1.0)
    if len(parsed) == 0:
        years, quarters, ts = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    return pd.DataFrame(
        {"year": years[codes], "quarter": quarters[codes], "t": ts[codes]}, index=periods.index
    )


def t_to_iso(t: float | None) -> str | None:
    if t is None or t != t:  # None or NaN
        return None
    return _iso(float(t))


@lru_cache(maxsize=4096)
def _iso(t: float) -> str:
    return decimal_to_date(t).isoformat()

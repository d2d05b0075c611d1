"""Stale data for the Overview's badge: when an indicator's latest value is more than one period overdue."""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd

from . import methods as m


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, kept at the month's end when it was one (31 Mar + 6 = 30 Sep)."""
    y, mo = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, mo + 1
    last = calendar.monthrange(year, month)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month, last if month_end else min(day.day, last))


def period_months(frequency: str | None) -> int | None:
    """How often a value is expected, in months: the frequency's, or the events' reporting interval."""
    if frequency == "event":
        return m.EVENT_REPORT_MONTHS
    return m.FREQUENCY_MONTHS.get(frequency or "")


def stale_after(last_end: dt.date, frequency: str | None) -> dt.date | None:
    """The last day the data is still fresh: the latest period's end + (1 + STALE_PERIODS_LATE) periods."""
    months = period_months(frequency)
    if months is None:
        return None
    return add_months(last_end, months * (1 + m.STALE_PERIODS_LATE))


def is_stale(
    last_end: dt.date | None, frequency: str | None, today: dt.date, *, done=False
) -> bool:
    """No value for a newer period and more than one period overdue; never for no data or a reached target
    (a done event has nothing more to report)."""
    if last_end is None or done:
        return False
    limit = stale_after(last_end, frequency)
    return limit is not None and today > limit


def _date(x) -> dt.date | None:
    if x is None or (isinstance(x, float) and x != x) or x is pd.NaT:
        return None
    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    try:
        return dt.date.fromisoformat(str(x)[:10])
    except ValueError:
        return None


def staleness(status: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Per row of a status table: `stale` (bool) and `stale_after` (ISO date or None).

    Done = progress of at least 100 % (an event reported done, a target reached)."""
    rows = []
    for r in status.itertuples(index=False):
        last = _date(r.latest_date)
        done = pd.notna(r.progress) and float(r.progress) >= 1 - 1e-9
        limit = stale_after(last, r.frequency) if last else None
        rows.append(
            {
                "indicator": r.indicator,
                "region": r.region if isinstance(r.region, str) else "",
                "stale": is_stale(last, r.frequency, today, done=done),
                "stale_after": limit.isoformat() if limit else None,
            }
        )
    out = pd.DataFrame(rows, columns=["indicator", "region", "stale", "stale_after"])
    out["stale_after"] = pd.Series([r["stale_after"] for r in rows], dtype=object)
    return out

"""Freshness, the one rule: when an indicator's data is stale, read by the status flag "No recent report",
the Overview's badge and the Methodology page (the rule and why: methods.py, "Freshness")."""

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


def _days(due_days) -> int:
    """The producer's due days; none (no rule, as for an international index) = due on the period's end."""
    if due_days is None or pd.isna(due_days):
        return 0
    return int(due_days)


def next_due(last_end: dt.date, frequency: str | None, due_days=None) -> dt.date | None:
    """The due date of the next figure (the period after the latest one): its period's end + the
    producer's due days, as the reporting calendar counts it (kpis/calendar.due_date); overdue the day after."""
    months = period_months(frequency)
    if months is None:
        return None
    return add_months(last_end, months) + dt.timedelta(days=_days(due_days))


def stale_after(last_end: dt.date, frequency: str | None, due_days=None) -> dt.date | None:
    """The last day the data is still fresh: the next figure's due date + STALE_PERIODS_LATE periods,
    the day the figure after it falls due (month ends stay month ends, so both rules give one date)."""
    months = period_months(frequency)
    if months is None:
        return None
    return add_months(last_end, months * (1 + m.STALE_PERIODS_LATE)) + dt.timedelta(
        days=_days(due_days)
    )


def is_stale(
    last_end: dt.date | None, frequency: str | None, today: dt.date, *, due_days=None, done=False
) -> bool:
    """The next figure is overdue by more than STALE_PERIODS_LATE periods; never for no data or a reached
    target (a done event has nothing more to report)."""
    if last_end is None or done:
        return False
    limit = stale_after(last_end, frequency, due_days)
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


def _done(progress) -> bool:
    """A target reached or an event reported done: progress of at least 100 %."""
    return bool(pd.notna(progress) and float(progress) >= 1 - 1e-9)


def stale_rows(latest_dates, frequencies, due_days, progress, today: dt.date):
    """Per row: (stale, stale_after as a date or None) from the latest value's date (ISO text or a date),
    the frequency, the producer's due days and the progress. The engine's flag and the Overview's badge
    both come from here."""
    seen: dict = {}
    stale, after = [], []
    for last, freq, days, prog in zip(latest_dates, frequencies, due_days, progress, strict=True):
        key = (last, freq, _days(days))
        limit = seen.get(key, False)
        if limit is False:  # a status table repeats a few (date, frequency) pairs many times
            day = _date(last)
            limit = seen[key] = stale_after(day, freq, key[2]) if day else None
        # is_stale, with the limit computed once per pair
        stale.append(limit is not None and today > limit and not _done(prog))
        after.append(limit)
    return stale, after


def staleness(status: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Per row of a status table: `stale` (bool) and `stale_after` (ISO date or None).

    The producer's `due_days` come from the status table (none when it has no such column)."""
    n = len(status)
    days = status["due_days"] if "due_days" in status.columns else [None] * n
    stale, after = stale_rows(
        status["latest_date"], status["frequency"], days, status["progress"], today
    )
    region = [r if isinstance(r, str) else "" for r in status["region"]]
    out = pd.DataFrame(
        {"indicator": list(status["indicator"]), "region": region, "stale": stale},
        columns=["indicator", "region", "stale"],
    )
    out["stale"] = out["stale"].astype(bool)
    out["stale_after"] = pd.Series([d.isoformat() if d else None for d in after], dtype=object)
    return out

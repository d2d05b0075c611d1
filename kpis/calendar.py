"""Reporting calendar: per indicator, which period its producer owes, when it is due, and whether it is received,
due or overdue (the catalog's `producer` and `due_days`; published, non-DEMO values count as received)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .inputs import KpiInputs
from .periods import period_end

# Maroc IA 2030 was launched on 12 January 2026: periods from 2026 on are owed under the roadmap.
CALENDAR_START_YEAR = 2026
SCHEDULED = ("quarterly", "annual", "biennial")
STATUSES = ("overdue", "due", "received", "upcoming", "unscheduled")
COLUMNS = [
    "code",
    "producer",
    "frequency",
    "due_days",
    "period",
    "due_date",
    "status",
    "days_overdue",
    "overdue_periods",
    "next_due",
    "last_period",
    "last_reported",
]


def rules(inputs: KpiInputs) -> pd.DataFrame:
    """code, producer, due_days: from the inputs when they carry them, else from the shipped catalog."""
    ind = inputs.indicators
    if {"producer", "due_days"} <= set(ind.columns):
        return ind[["code", "producer", "due_days"]].copy()
    from loaders.catalog import load_catalog

    try:
        shipped = {i.code: i for i in load_catalog().indicators}
    except Exception:  # noqa: BLE001 - a broken shipped catalog must not stop a page
        shipped = {}
    return pd.DataFrame(
        {
            "code": ind["code"],
            "producer": [getattr(shipped.get(c), "producer", "") for c in ind["code"]],
            "due_days": [getattr(shipped.get(c), "due_days", None) for c in ind["code"]],
        }
    )


def periods_owed(frequency: str, until: dt.date) -> list[str]:
    """Every period from CALENDAR_START_YEAR whose end is before `until`, plus the next one (not yet ended)."""
    out = []
    year = CALENDAR_START_YEAR
    while True:
        if frequency == "quarterly":
            candidates = [f"{year}-Q{q}" for q in (1, 2, 3, 4)]
        elif frequency == "biennial":
            candidates = [str(year)] if (year - CALENDAR_START_YEAR) % 2 == 0 else []
        else:
            candidates = [str(year)]
        for p in candidates:
            out.append(p)
            if period_end(p) >= until:
                return out
        year += 1


def due_date(period: str, due_days: int) -> dt.date:
    """A period's figure is due `due_days` after its last day; it is overdue from the day after."""
    return period_end(period) + dt.timedelta(days=int(due_days))


def _local_date(v) -> dt.date | None:
    if v is None or pd.isna(v):
        return None
    from loaders.store import local_time

    return local_time(pd.Timestamp(v).to_pydatetime()).date()


def reporting(inputs: KpiInputs, today: dt.date) -> pd.DataFrame:
    """One row per indicator (COLUMNS), catalog order. `today` is a date in Morocco (loaders.store.local_today).

    status: overdue (a period whose due date has passed has no value; `period` is the oldest such), due (the
    latest ended period has no value yet, its due date is `due_date`), received (every ended period has a value),
    upcoming (no period has ended yet), unscheduled (no due rule: an international index, an event).
    """
    obs = inputs.observations
    obs = obs[~obs["demo"].astype(bool)]
    have = obs.groupby("indicator")["period"].agg(set).to_dict()
    last_at = obs.groupby("indicator")["loaded_at"].max().to_dict()
    rule = rules(inputs).set_index("code")
    rows = []
    for code, freq in zip(inputs.indicators["code"], inputs.indicators["frequency"], strict=True):
        producer = rule.at[code, "producer"] if code in rule.index else ""
        days = rule.at[code, "due_days"] if code in rule.index else None
        got = have.get(code, set())
        periods_got = sorted(got, key=lambda p: (period_end(p), p)) if got else []
        row = {
            "code": code,
            "producer": producer or "",
            "frequency": freq,
            "due_days": None if days is None or pd.isna(days) else int(days),
            "period": None,
            "due_date": None,
            "status": "unscheduled",
            "days_overdue": 0,
            "overdue_periods": 0,
            "next_due": None,
            "last_period": periods_got[-1] if periods_got else None,
            "last_reported": _local_date(last_at.get(code)),
        }
        if row["due_days"] is not None and freq in SCHEDULED:
            row.update(_schedule(freq, row["due_days"], got, today))
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _schedule(freq: str, days: int, got: set, today: dt.date) -> dict:
    owed = periods_owed(freq, today)
    ended = [p for p in owed if period_end(p) < today]
    upcoming = [p for p in owed if period_end(p) >= today]
    nxt = upcoming[0] if upcoming else None
    next_due = due_date(nxt, days) if nxt else None
    late = [p for p in ended if p not in got and due_date(p, days) < today]
    waiting = [p for p in ended if p not in got and p not in late]
    if late:
        d = due_date(late[0], days)
        return {
            "period": late[0],
            "due_date": d,
            "status": "overdue",
            "days_overdue": (today - d).days,
            "overdue_periods": len(late),
            "next_due": next_due,
        }
    if waiting:
        return {"period": waiting[0], "due_date": due_date(waiting[0], days), "status": "due"}
    if ended:
        return {
            "period": ended[-1],
            "due_date": due_date(ended[-1], days),
            "status": "received",
            "next_due": next_due,
        }
    return {"period": nxt, "due_date": next_due, "status": "upcoming", "next_due": next_due}


def records(table: pd.DataFrame) -> list[dict]:
    """The table as plain records: dates as YYYY-MM-DD, missing values None (for JSON and the CLI)."""
    out = []
    for r in table.to_dict("records"):
        rec = {}
        for k, v in r.items():
            if isinstance(v, dt.date):
                v = v.isoformat()
            elif v is None or (isinstance(v, float) and v != v):
                v = None
            elif hasattr(v, "item"):
                v = v.item()
            if isinstance(v, float) and k in ("due_days", "days_overdue", "overdue_periods"):
                v = int(v)
            rec[k] = v
        out.append(rec)
    return out


def overdue_codes(inputs: KpiInputs, today: dt.date) -> list[str]:
    """Codes of the indicators whose figure is overdue on `today` (Morocco), for the Overview's badge."""
    r = reporting(inputs, today)
    return r.loc[r["status"] == "overdue", "code"].tolist()


def summary(table: pd.DataFrame) -> dict[str, int]:
    """Counts per status (every status in STATUSES, zero when absent)."""
    counts = table["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def by_producer(table: pd.DataFrame, first: str | None = None) -> list[tuple[str, pd.DataFrame]]:
    """(producer, its rows) with `first` (an analyst's own producer) leading, then by most overdue."""
    groups = []
    for producer, rows in table[table["status"] != "unscheduled"].groupby("producer", sort=True):
        order = rows["status"].map({s: i for i, s in enumerate(STATUSES)})
        groups.append(
            (producer, rows.assign(_o=order).sort_values(["_o", "code"]).drop(columns="_o"))
        )
    groups.sort(key=lambda g: (g[0] != first, -int((g[1]["status"] == "overdue").sum()), g[0]))
    return groups

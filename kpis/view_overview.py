"""The Overview's filtered grids: per pillar, each indicator's row with its sparkline, progress against the
expected path and a stale badge, and the badges of indicators whose figure is overdue (no streamlit here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loaders.i18n import N_, fmt_date, name_col, translator

from . import methods as m
from . import views
from .freshness import staleness
from .inputs import KpiInputs
from .sources import producer_name
from .text import isnum, texts

# Filter values: the Overview's status groups, and data that is stale (kpis/freshness.py).
STATUS_FILTERS = (*m.STATUS_GROUP_ORDER, "stale")
STALE_LABEL = N_("Stale data")
COL_TREND = N_("Trend")
COL_EXPECTED = N_("Expected by now")
COL_FRESHNESS = N_("Freshness")
OVERDUE_LABEL = N_("Overdue")


def sparklines(
    keys: pd.DataFrame, points: pd.DataFrame
) -> dict[tuple[str, str], tuple[list[float], list[float]]]:
    """(indicator, region) -> (times in decimal years, values) the engine assessed, oldest first
    (region '' = national)."""
    if not len(points):
        return {}
    pts = points.sort_values(["gid", "t"], kind="stable")
    by_gid = {
        int(g): (f["t"].tolist(), f["value"].tolist())
        for g, f in pts.groupby("gid", sort=False)  # one series per indicator and region
    }
    out = {}
    for g, ind, reg in zip(keys["gid"], keys["indicator"], keys["region"], strict=True):
        if int(g) in by_gid:
            out[(ind, reg if isinstance(reg, str) else "")] = by_gid[int(g)]
    return out


@dataclass
class Grid:
    programme: str
    programme_label: str
    pillar: str
    pillar_label: str
    table: pd.DataFrame  # the grid: progress columns in % (0..100), trend as a list of values
    codes: list[str]
    details: pd.DataFrame  # indicator, period, baseline, source: what the grid has no room for
    overdue: list[tuple[str, str]] = field(
        default_factory=list
    )  # (indicator name, tooltip), grid order


def stale_note(after: str | None, lang: str) -> str:
    """'Stale since 1 Oct 2025': the day after a newer value was one period overdue."""
    _ = translator(lang)
    if not after:
        return _(STALE_LABEL)
    since = dt.date.fromisoformat(after) + dt.timedelta(days=1)
    return _("Stale since {date}", date=fmt_date(since, lang, "medium"))


def overdue_badges(inputs: KpiInputs, lang: str, today: dt.date) -> dict[str, str]:
    """{code: tooltip} of the indicators whose figure is overdue on `today` by the reporting calendar
    (kpis/calendar.py, the one rule): the period owed, its due date, its producer and how late it is."""
    from .calendar import overdue_codes, reporting

    codes = set(overdue_codes(inputs, today))
    if not codes:
        return {}
    t = texts(lang)
    table = reporting(inputs, today)
    out = {}
    for r in table[table["code"].isin(codes)].itertuples():
        due = t._(
            "{producer} owes the figure for {period}, due on {date}",
            period=t.period(r.period),
            date=fmt_date(r.due_date, lang, "medium"),
            producer=producer_name(r.producer, lang) or "—",
        )
        late = t.n_("{n} day late", "{n} days late", int(r.days_overdue))
        out[r.code] = f"{due} · {late}"
    return out


def overview_grids(
    status: pd.DataFrame,
    indicators: pd.DataFrame,
    pillars: pd.DataFrame,
    lang: str,
    *,
    today: dt.date,
    region: str = "",
    pillar_codes: list[str] | tuple = (),
    groups: list[str] | tuple = (),
    spark: dict | None = None,
    overdue: dict[str, str] | None = None,
) -> list[Grid]:
    """The Overview's rows for the nation (region '') or one region, filtered by pillar and by status group
    or staleness (empty filters keep everything); a region shows only the indicators reported by region.
    `overdue`: overdue_badges, given to each grid for the indicators it shows."""
    _ = translator(lang)
    rows = status[status["region"].fillna("") == region].copy()
    stale = staleness(rows, today).set_index("indicator")
    rows["region"] = ""
    inds = indicators
    if region:
        inds = inds[inds["by_region"].astype(bool)]
    pils = pillars[pillars["pillar"].isin(pillar_codes)] if pillar_codes else pillars
    by_code = rows.set_index("indicator")
    spark = spark or {}
    overdue = overdue or {}
    names = dict(zip(inds["code"], inds[name_col(lang)], strict=True))
    out = []
    for sec in views.overview_sections(rows, inds, pils, lang):
        t = sec.table.copy()
        codes = list(sec.codes)
        is_stale = [bool(stale["stale"].get(code, False)) for code in codes]
        keep = _kept(sec.tones, is_stale, groups)
        t[_(COL_TREND)] = [spark.get((code, region), ([], []))[1] for code in codes]
        t[_(views.COL_PROGRESS)] = [_share(by_code, code, "progress_display") for code in codes]
        t[_(COL_EXPECTED)] = [_share(by_code, code, "expected_now_progress") for code in codes]
        t[_(COL_FRESHNESS)] = [
            stale_note(stale.at[code, "stale_after"], lang) if s else ""
            for code, s in zip(codes, is_stale, strict=True)
        ]
        order, detail_cols = _columns(_)
        details = t[detail_cols][keep].reset_index(drop=True)
        t = t[order][keep].reset_index(drop=True)
        if len(t):
            kept = [c for c, k in zip(codes, keep, strict=True) if k]
            late = [(names.get(c, c), overdue[c]) for c in kept if c in overdue]
            out.append(
                Grid(
                    sec.programme,
                    sec.programme_label,
                    sec.pillar,
                    sec.pillar_label,
                    t,
                    kept,
                    details,
                    late,
                )
            )
    return out


def _kept(tones, is_stale: list[bool], groups) -> np.ndarray:
    """Which rows a status-group filter keeps ("stale" is a group of its own); no filter keeps all."""
    if not groups:
        return np.ones(len(is_stale), bool)
    return np.array(
        [
            tone in groups or ("stale" in groups and s)
            for tone, s in zip(tones, is_stale, strict=True)
        ],
        bool,
    )


def _columns(_) -> tuple[list[str], list[str]]:
    """The grid's columns, then those of its details row, as translated headers."""
    order = [
        _(views.COL_INDICATOR),
        _(views.COL_STATUS),
        _(views.COL_LATEST),
        _(COL_TREND),
        _(views.COL_PROGRESS),
        _(COL_EXPECTED),
        _(views.COL_TARGET),
        _(COL_FRESHNESS),
    ]
    details = [
        _(views.COL_INDICATOR),
        _(views.COL_PERIOD),
        _(views.COL_BASELINE),
        _(views.COL_SOURCE),
    ]
    return order, details


def _share(by_code: pd.DataFrame, code: str, col: str) -> float | None:
    """A percentage 0..100 for a progress bar (None when there is none)."""
    if code not in by_code.index:
        return None
    v = by_code.at[code, col]
    if not isnum(v):
        return None
    return round(100 * min(max(float(v), 0.0), 1.0), 1)


def stale_count(status: pd.DataFrame, today: dt.date, region: str = "") -> int:
    rows = status[status["region"].fillna("") == region]
    return int(staleness(rows, today)["stale"].sum())


STALE_HELP = N_(
    "Stale data: no value for a newer period although it was due more than one period ago (the "
    "indicator's frequency; events and the JAZARI count are expected to report every year until done)."
)

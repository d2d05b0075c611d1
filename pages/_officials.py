"""Cached reads of the officials' pages (sparklines, milestones, international ranks), shared by every session."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import streamlit as st

from loaders.store import local_today
from pages._ui import Ctx, kpi_inputs, served


@st.cache_data(show_spinner=False, max_entries=16)
def _spark(url: str, version: str, as_of: dt.date | None) -> dict:
    from kpis.engine import compute
    from kpis.view_overview import sparklines

    c = compute(kpi_inputs(url, version, as_of), today=as_of or local_today(), by_region=True)
    return sparklines(c.keys, c.points)


def spark(c: Ctx) -> dict:
    return served(c, "spark", _spark, c.store.url, c.version, c.as_of) or {}


@st.cache_data(show_spinner=False, max_entries=16)
def _milestones(url: str, version: str, as_of: dt.date | None) -> pd.DataFrame:
    from kpis.milestones import milestones_table

    return milestones_table(kpi_inputs(url, version, as_of), today=as_of or local_today())


def milestones(c: Ctx) -> pd.DataFrame:
    return served(c, "milestones", _milestones, c.store.url, c.version, c.as_of)


def observations(c: Ctx) -> pd.DataFrame:
    """The current observations as known on the page's date (the cached KPI inputs)."""
    return served(c, "inputs", kpi_inputs, c.store.url, c.version, c.as_of).observations


@st.cache_data(show_spinner=False)
def index_editions() -> pd.DataFrame:
    """data/catalog/index_editions.csv, as the catalog loader validated it."""
    from loaders.catalog import load_catalog

    rows = [e.model_dump() for e in load_catalog().index_editions]
    return pd.DataFrame(rows)


def today(c: Ctx) -> dt.date:
    return c.as_of or local_today()


# Pixel widths that fit the grid in the main column at 1440 px in every language: an Arabic grid is drawn with
# its columns reversed, so it must not scroll (it would open at its last column, away from the indicator's
# name). The grid is 978 px wide there and draws each column 12 px wider than asked, so the eight columns
# of either grid (Overview: expected by now, Pillar: gap) ask for 875 px; freshness gets room for its date.
WIDTHS = {
    "Indicator": 180,
    "Status": 100,
    "Latest value": 145,
    "Trend": 55,
    "Progress": 65,
    "Expected by now": 65,
    "Target": 125,
    "Freshness": 140,
    "Gap to the expected path (points)": 65,
}
# With no stale value the freshness column is left out and its width goes to these.
WIDER = {"Indicator": 70, "Latest value": 45, "Target": 25}


def fit_grid(table: pd.DataFrame, lang: str, *, rtl: bool) -> tuple[pd.DataFrame, dict]:
    """The grid as drawn: without the freshness column when nothing in it is stale (its width goes to the
    name, latest value and target), columns reversed in a right-to-left language."""
    shown, wider = _fit(table, lang, rtl=rtl)
    return shown, grid_config(lang, wider=wider)


def grid_config(lang: str, *, wider: bool = False) -> dict:
    """How the Overview's and the Pillar page's grids draw columns: trend as a sparkline, progress as bars,
    fixed widths, text flush right in Arabic."""
    from loaders.i18n import RTL_LANGS, translator

    cc = st.column_config
    _ = translator(lang)
    align = "right" if lang in RTL_LANGS else None
    extra = WIDER if wider else {}
    out = {
        _(k): cc.TextColumn(_(k), width=w + extra.get(k, 0), alignment=align)
        for k, w in WIDTHS.items()
        if k not in ("Trend", "Progress", "Expected by now", "Gap to the expected path (points)")
    }
    bar = {"min_value": 0, "max_value": 100, "format": "%.0f%%", "width": WIDTHS["Progress"]}
    out[_("Trend")] = cc.LineChartColumn(_("Trend"), width=WIDTHS["Trend"])
    out[_("Progress")] = cc.ProgressColumn(_("Progress"), **bar)
    out[_("Expected by now")] = cc.ProgressColumn(
        _("Expected by now"),
        help=_("The progress the straight path from the baseline to the target expects today."),
        **bar,
    )
    gap = "Gap to the expected path (points)"
    # The header is cut at this width: its tooltip gives it whole.
    out[_(gap)] = cc.TextColumn(_(gap), width=WIDTHS[gap], alignment=align, help=_(gap))
    return out


@st.cache_data(show_spinner=False, max_entries=128)
def _overview_view(url, version, as_of, method, lang, region, pillars, groups):
    """Everything the Overview draws below its filters, for one data version, date, method, language and
    filter set: computed once, then served from the cache on every rerun (warm runs draw only)."""
    from kpis import view_overview as vo
    from kpis import views
    from kpis.view_choices import catalog_indicator_options
    from loaders.i18n import RTL_LANGS
    from pages._ui import catalog_tables, kpi_status, literal

    day = as_of or local_today()
    st_df = kpi_status(url, version, as_of, method)
    cat = catalog_tables(url, version)
    rows = kpi_status(url, version, as_of, method, True) if region else st_df
    grids = vo.overview_grids(
        rows,
        cat["indicator"],
        cat["pillar"],
        lang,
        today=day,
        region=region,
        pillar_codes=list(pillars),
        groups=list(groups),
        spark=_spark(url, version, as_of),
        overdue=vo.overdue_badges(kpi_inputs(url, version, as_of), lang, day),
    )
    shown = []
    for g in grids:
        table, wider = _fit(g.table, lang, rtl=lang in RTL_LANGS)
        details = g.details.map(lambda v: literal(v) if isinstance(v, str) else v)
        if lang in RTL_LANGS:
            details = details[details.columns[::-1]]
        # Arrow tables: streamlit sends them as they are (no pandas conversion on every rerun).
        shown.append(
            (
                g.programme,
                g.programme_label,
                g.pillar,
                g.pillar_label,
                pa.Table.from_pandas(table, preserve_index=False),
                wider,
                pa.Table.from_pandas(details, preserve_index=False),
                g.overdue,
            )
        )
    return {
        "grids": shown,
        "choices": catalog_indicator_options(cat["indicator"], cat["pillar"], lang),
        "stale": vo.stale_count(st_df, day),
        "counts": views.headline_counts(st_df),
        "n": int((st_df["region"].fillna("") == "").sum()),
    }


def overview_view(c: Ctx, region: str, pillars: list[str], groups: list[str]) -> dict:
    return served(
        c,
        "overview_view",
        _overview_view,
        c.store.url,
        c.version,
        c.as_of,
        c.method,
        c.lang,
        region,
        tuple(pillars),
        tuple(groups),
    )


def _fit(table: pd.DataFrame, lang: str, *, rtl: bool) -> tuple[pd.DataFrame, bool]:
    from loaders.i18n import translator

    fresh = translator(lang)("Freshness")
    wider = fresh in table.columns and not table[fresh].astype(bool).any()
    if wider:
        table = table.drop(columns=fresh)
    return (table[table.columns[::-1]] if rtl else table), wider


@st.cache_data(show_spinner=False, max_entries=32)
def _stale_total(url, version, as_of, method) -> int:
    from kpis.view_overview import stale_count
    from pages._ui import kpi_status

    return stale_count(kpi_status(url, version, as_of, method), as_of or local_today())


def stale_total(c: Ctx) -> int:
    """How many indicators have stale data nationally (the Overview's filter says it)."""
    return served(c, "stale_total", _stale_total, c.store.url, c.version, c.as_of, c.method) or 0


@st.cache_resource(show_spinner=False, max_entries=32)
def _status_bars(url, version, as_of, method, lang):
    """The Overview's status chart as one shared figure object: st.plotly_chart takes a figure as it is
    (a figure copied out of st.cache_data, or a dict, is rebuilt and validated again on every run)."""
    from kpis import charts, views
    from kpis.methods import STATUS_BY_METHOD, STATUS_LABELS
    from loaders.i18n import translator
    from pages._ui import catalog_tables, kpi_status

    _ = translator(lang)
    order = [c for c in STATUS_BY_METHOD[method] + STATUS_BY_METHOD["trend"] if c != "no-data"]
    counts = views.pillar_status_counts(
        kpi_status(url, version, as_of, method), catalog_tables(url, version)["pillar"], lang
    )
    return charts.status_bars(
        counts,
        lang,
        labels={k: _(v) for k, v in STATUS_LABELS.items()},
        order=list(dict.fromkeys(order + ["no-data"])),
    )


def status_bars(c: Ctx):
    return served(c, "status_bars", _status_bars, c.store.url, c.version, c.as_of, c.method, c.lang)

"""Cached reads of the officials' pages (sparklines, milestones, international ranks), shared by every session."""

from __future__ import annotations

import datetime as dt

import pandas as pd
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


def grid_config(lang: str) -> dict:
    """How the Overview's and the Pillar page's grids draw columns: trend as a sparkline, progress as bars."""
    from kpis import view_overview as vo
    from kpis import views
    from loaders.i18n import translator

    cc = st.column_config
    _ = translator(lang)
    bar = {"min_value": 0.0, "max_value": 1.0, "format": "percent", "width": "small"}
    return {
        _(vo.COL_TREND): cc.LineChartColumn(_(vo.COL_TREND), width="small"),
        _(views.COL_PROGRESS): cc.ProgressColumn(_(views.COL_PROGRESS), **bar),
        _(vo.COL_EXPECTED): cc.ProgressColumn(
            _(vo.COL_EXPECTED),
            help=_("The progress the straight path from the baseline to the target expects today."),
            **bar,
        ),
        _(views.COL_INDICATOR): cc.TextColumn(_(views.COL_INDICATOR), width="large"),
    }

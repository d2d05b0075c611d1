"""What the Indicator and Regions pages let a person choose (indicators, regions, periods) and the Metric card they share."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.i18n import name_col

from .inputs import KpiInputs
from .periods import parse_period, period_t
from .text import texts


@dataclass
class Metric:
    label: str
    value: str
    note: str = ""
    help: str | None = None


def indicator_options(
    inputs: KpiInputs, lang: str, *, regional_only: bool = False
) -> dict[str, str]:
    """code -> "Pillar — Indicator name" in the language, ordered by programme, pillar, then catalog order."""
    return catalog_indicator_options(
        inputs.indicators, inputs.pillars, lang, regional_only=regional_only
    )


def catalog_indicator_options(
    indicators: pd.DataFrame, pillars: pd.DataFrame, lang: str, *, regional_only: bool = False
) -> dict[str, str]:
    """The same choices from the catalog tables (indicator, pillar) of the store."""
    name = name_col(lang)
    if "position" in pillars:
        pillars = pillars.sort_values("position")
    if "position" in indicators:
        indicators = indicators.sort_values("position")
    pillars = pillars.reset_index(drop=True)
    rank = {(p.programme, p.pillar): i for i, p in enumerate(pillars.itertuples())}
    plabel = {(p.programme, p.pillar): getattr(p, name) for p in pillars.itertuples()}
    ind = indicators.reset_index(drop=True)
    if regional_only:
        ind = ind[ind["by_region"].astype(bool)]
    rows = sorted(
        ind.itertuples(),
        key=lambda i: (rank.get((i.programme, i.pillar), len(rank)), i.Index),
    )
    return {
        i.code: f"{plabel.get((i.programme, i.pillar), i.pillar)} — {getattr(i, name)}"
        for i in rows
    }


def region_options(inputs: KpiInputs, lang: str) -> dict[str, str]:
    """'' (national) then every region ISO code -> its name in the language."""
    name = name_col(lang)
    out = {"": texts(lang)._("National")}
    out.update({r.iso: getattr(r, name) for r in inputs.regions.itertuples()})
    return out


def first_with_data(inputs: KpiInputs, codes: list[str], *, regional: bool = False) -> str:
    """The first of `codes` with a reported value (by a region when `regional`), else the first code:
    a page opened without a choice shows figures rather than an empty state when it can."""
    obs = inputs.observations
    if regional:
        obs = obs[obs["region"] != ""]
    have = set(obs["indicator"])
    return next((c for c in codes if c in have), codes[0])


def regional_periods(inputs: KpiInputs, code: str) -> list[str]:
    """Periods with at least one regional report, latest first (years for flows: they compare yearly totals)."""
    info = inputs.indicator(code)
    obs = inputs.observations
    periods = obs.loc[
        (obs["indicator"] == code) & (obs["region"] != ""), "period"
    ].drop_duplicates()
    if info["kind"] == "flow":
        years = sorted({parse_period(p)[0] for p in periods}, reverse=True)
        return [str(y) for y in years]
    return sorted(periods, key=period_t, reverse=True)

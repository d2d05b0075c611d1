"""What a sheet is read against: the catalog's matchers (cached per catalog) and its unit facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import Catalog
from ..i18n import name_col
from ..normalize import IndicatorMatcher, RegionMatcher
from ..problems import per_lang
from ..units import indicator_units


@dataclass
class Ctx:
    catalog: Catalog
    lang: str
    indicators: IndicatorMatcher
    regions: RegionMatcher
    additive: dict[str, bool] = field(default_factory=dict)
    percent: frozenset[str] = frozenset()  # indicators whose unit is a percentage


_MATCHERS: dict[str, tuple[IndicatorMatcher, RegionMatcher]] = {}


def context(catalog: Catalog, lang: str) -> Ctx:
    cache_key = f"{catalog.directory}:{catalog.digest}"
    if cache_key not in _MATCHERS:
        _MATCHERS[cache_key] = (IndicatorMatcher(catalog), RegionMatcher(catalog))
    ind, reg = _MATCHERS[cache_key]
    # Regions add up to the national value only for a level, flow or stock in a summed unit.
    units = indicator_units(catalog)
    additive = {
        i.code: i.kind in ("level", "flow", "cumulative")
        and i.code in units
        and units[i.code].aggregation == "sum"
        for i in catalog.indicators
    }
    percent = frozenset(c for c, u in units.items() if u.kind == "percent")
    return Ctx(catalog, lang, ind, reg, additive, percent)


def unknown_indicator(ctx: Ctx, value: str) -> dict:
    """The parameters of an `unknown-indicator` problem: the closest catalog code, if any."""
    codes = ctx.indicators.suggest(value)
    if not codes:
        return {"value": value}
    best = next(i for i in ctx.catalog.indicators if i.code == codes[0])
    return {
        "variant": "suggest",
        "value": value,
        "suggestion": per_lang(lambda lg: f"{codes[0]} ({getattr(best, name_col(lg))})"),
        "suggestions": codes,
    }


def unknown_region(ctx: Ctx, value: str) -> dict:
    """The parameters of an `unknown-region` problem: the closest current region, if any."""
    isos = ctx.regions.match(value).suggestions
    if not isos:
        return {"value": value}
    best = ctx.regions.regions[isos[0]]
    return {
        "variant": "suggest",
        "value": value,
        "suggestion": per_lang(lambda lg: getattr(best, name_col(lg))),
    }

"""The catalog's cross-file checks: references between files, repeated keys, dates after today, unit ranges and
index editions; each adds its problems to the one list `load_catalog` raises with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .i18n import N_
from .problems import Problem
from .units import UNITS_FILE, Unit

INDICATORS_FILE = "indicators.csv"
OBSERVATIONS_FILE = "observations_public.csv"
INDEX_EDITIONS_FILE = "index_editions.csv"

_WHY = {
    "non-finite": N_("is not a finite number"),
    "below-min": N_("is below the unit's minimum"),
    "above-max": N_("is above the unit's maximum"),
    "not-whole": N_("is not a whole number"),
}


def reporter(problems: list[Problem], file: str) -> Callable[..., None]:
    """`bad(row, column, code, variant="", **params)`: add one problem of `file` to `problems`."""

    def bad(row: int, column: str, code: str, variant: str = "", **params) -> None:
        problems.append(
            Problem(file=file, row=row, column=column, code=code, variant=variant, **params)
        )

    return bad


def check_indicators(pillars, indicators, problems: list[Problem]) -> None:
    """Each indicator's pillar is in pillars.csv, and no indicator code is listed twice."""
    bad = reporter(problems, INDICATORS_FILE)
    pillar_keys = {(p.programme, p.pillar) for _, p in pillars}
    seen: set[str] = set()
    for row, ind in indicators:
        if (ind.programme, ind.pillar) not in pillar_keys:
            bad(
                row, "pillar", "catalog-reference", "pillar", pillar=f"{ind.programme}/{ind.pillar}"
            )
        if ind.code in seen:
            bad(row, "code", "catalog-field", "duplicate", value=ind.code)
        seen.add(ind.code)


def check_observations(
    observations, by_code, listed_codes, isos, today: dt.date, problems: list[Problem]
) -> None:
    """One row per key; the indicator exists (a row refused by the schema is not reported twice), a
    regional value belongs to a regional indicator and a known region; nothing published after today."""
    bad = reporter(problems, OBSERVATIONS_FILE)
    first_row: dict[tuple[str, str, str], int] = {}
    for row, obs in observations:
        key = (obs.indicator, obs.period, obs.region)
        if key in first_row:
            what = f"{obs.indicator} {obs.period} {obs.region or 'national'}"
            bad(row, "period", "catalog-field", "repeated", what=what, first=first_row[key])
        first_row.setdefault(key, row)
        ind = by_code.get(obs.indicator)
        if ind is None and obs.indicator in listed_codes:
            continue
        if ind is None:
            bad(row, "indicator", "catalog-reference", "indicator", indicator=obs.indicator)
        elif obs.region and not ind.by_region:
            bad(row, "region", "catalog-reference", "national", indicator=obs.indicator)
        if obs.region and obs.region not in isos:
            bad(row, "region", "catalog-reference", "region", region=obs.region)
    for row, obs in observations:
        if obs.published > today:
            when = {"date": obs.published.isoformat(), "today": today.isoformat()}
            bad(row, "published", "catalog-field", "published", **when)


def check_editions(editions, observations, by_code, listed_codes, today, problems) -> None:
    """One row per index and edition, no edition from the future, the tracking indicator exists and
    is a rank, and an edition that is also a published observation gives the same rank."""
    bad = reporter(problems, INDEX_EDITIONS_FILE)
    published = {(o.indicator, o.period): (row, o) for row, o in observations if not o.region}
    first: dict[tuple[str, int], int] = {}
    for row, e in editions:
        key = (e.index, e.edition)
        if key in first:
            bad(row, "edition", "catalog-field", "repeated", what=f"{e.index} {e.edition}",
                first=first[key])  # fmt: skip
        first.setdefault(key, row)
        if e.edition > today.year:
            bad(row, "edition", "catalog-field", "edition", edition=e.edition)
        if not e.indicator:
            continue
        ind = by_code.get(e.indicator)
        if ind is None:
            if e.indicator not in listed_codes:
                bad(row, "indicator", "catalog-reference", "indicator", indicator=e.indicator)
            continue
        if ind.unit != "rank":
            bad(row, "indicator", "catalog-reference", "rank", indicator=e.indicator, unit=ind.unit)
            continue
        obs_row, obs = published.get((e.indicator, str(e.edition)), (None, None))
        if obs is not None and obs.value != e.morocco_rank:
            bad(
                row,
                "morocco_rank",
                "catalog-reference",
                detail=f"rank {e.morocco_rank} disagrees with {e.indicator} {e.edition} = "
                f"{obs.value:g} in {OBSERVATIONS_FILE} row {obs_row}",
            )


def check_units(indicators, observations, units: dict[str, Unit], problems: list[Problem]) -> None:
    """Every indicator's unit is in units.csv, and its baseline, milestones, target and published
    values are inside that unit's range (the same rule the readers apply to uploads)."""
    bad = reporter(problems, INDICATORS_FILE)
    by_code = {}
    for row, ind in indicators:
        unit = units.get(ind.unit)
        if unit is None:
            bad(row, "unit", "catalog-reference", "unit", unit=ind.unit, units_file=UNITS_FILE)
            continue
        by_code[ind.code] = unit
        values = [("baseline_value", ind.baseline_value), ("target_value", ind.target_value)]
        values += [("milestones", m.value) for m in ind.milestones]
        for field, v in values:
            why = None if v is None else unit.violation(v)
            if why:
                bad(row, field, "catalog-field", "range", value=f"{v:g}", why=_WHY[why])
    bad = reporter(problems, OBSERVATIONS_FILE)
    for row, obs in observations:
        unit = by_code.get(obs.indicator)
        why = unit.violation(obs.value) if unit else None
        if why:
            value = f"{obs.value:g}"
            bad(
                row,
                "value",
                "catalog-field",
                "range-unit",
                value=value,
                why=_WHY[why],
                unit=unit.code,
            )

"""Regional disparity of a regional indicator: per-capita values, coefficient of variation, max/min, lagging regions."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

from .inputs import KpiInputs
from .methods import LAGGING_RATIO, PER_CAPITA_SCALE
from .periods import parse_period, period_t
from .series import native_series, period_labels, yearly_series
from .units import is_intensive


def _f(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def disparity(inputs: KpiInputs, code: str, *, period: str | None = None) -> dict:
    """Compare the regions of a regional indicator at one period (default: the latest reported).

    Compared measure: the value per PER_CAPITA_SCALE inhabitants (2024 census) for counts and amounts,
    the value itself for percentages. Flows are compared on yearly totals (the latest complete year by
    default). Levels and cumulative totals use each region's latest value at or before the period
    (`carried` says so); for an event-driven cumulative count (e.g. institutes opened), a region that
    never reported has 0. CV = population standard deviation / mean of the measure over the regions
    with a value; max/min is undefined when a region is at 0. The reference is the national level of
    the measure (total per capita, or the population-weighted mean of percentages); a region lags
    below LAGGING_RATIO x reference (above reference / LAGGING_RATIO when lower is better).
    """
    info = inputs.indicator(code)
    if not info["by_region"]:
        raise ValueError(f"{code} is not reported by region")
    sub = inputs.only([code])
    regions = sub.regions
    pop = regions["population_2024"].to_numpy(float)
    at = _regional_values(sub, info, period)
    period, values = at.period, at.values
    intensive = is_intensive(info["unit"])
    comparison = info.get("comparison") or ("absolute" if intensive else "per-capita")
    reported = ~np.isnan(values)
    if info["frequency"] == "event" and info["kind"] == "cumulative" and period is not None:
        # A region that never reported an opening has none: 0, but it did not report.
        reported = reported & ~((values == 0) & (at.from_period == None))  # noqa: E711
    cmp = _compare(values, pop, comparison, intensive, info["direction"] == "down")
    rows = [
        {
            "iso": r.iso,
            "name_fr": r.name_fr,
            "name_en": r.name_en,
            "name_ar": r.name_ar,
            "population": int(pop[i]),
            "value": _f(values[i]),
            "period": at.from_period[i],
            "carried": bool(at.carried[i]),
            "incomplete_year": bool(at.incomplete[i]),
            "reported": bool(reported[i]),
            "per_capita": None if intensive else _f(cmp.per_capita[i]),
            "measure": _f(cmp.measure[i]),
            "relative_to_reference": _f(cmp.rel[i]),
            "lagging": bool(cmp.lagging[i]),
            "demo": bool(at.demo[i]),
        }
        for i, r in enumerate(regions.itertuples(index=False))
    ]
    return {
        "indicator": code,
        "period": period,
        "unit": info["unit"],
        "comparison": comparison,
        "measure": {"per-capita": "per_capita", "share": "share", "absolute": "value"}.get(
            comparison
        ),
        "lagging_judged": bool(cmp.judged),
        "per_capita_scale": PER_CAPITA_SCALE,
        "reference": _f(cmp.reference),
        "cv": _f(cmp.cv),
        "max_min_ratio": _f(cmp.ratio),
        "lagging": [r["iso"] for r in rows if r["lagging"]],
        "missing": [r["iso"] for r in rows if not r["reported"]],
        "reported": sum(r["reported"] for r in rows),
        "regions": rows,
        "flags": (["demo"] if at.demo.any() else [])
        + (["incomplete-year"] if at.incomplete.any() else []),
        "parameters": {
            "lagging_ratio": LAGGING_RATIO,
            "per_capita_scale": PER_CAPITA_SCALE,
            "population": "2024 census (HCP RGPH 2024)",
        },
    }


def _regional_values(sub: KpiInputs, info: dict, period: str | None) -> SimpleNamespace:
    """Each region's value at the period (default: the latest reported), with where it comes from:
    the period label it was reported for, DEMO, carried from an earlier period, an incomplete year."""
    native = native_series(sub)
    n_reg = len(sub.regions)
    kind = info["kind"]
    at = SimpleNamespace(
        period=period,
        values=np.full(n_reg, np.nan),
        demo=np.zeros(n_reg, bool),
        carried=np.zeros(n_reg, bool),
        incomplete=np.zeros(n_reg, bool),
        from_period=np.full(n_reg, None, dtype=object),
    )
    if kind == "flow":
        yearly = yearly_series(native, sub)
        yr = yearly[yearly["reg"] > 0]
        if period is None and len(yr):
            complete = yr[yr["complete"]]
            period = str(int((complete if len(complete) else yr)["year"].max()))
        if period is not None:
            year = parse_period(period)[0]
            period = str(year)
            rows = yr[yr["year"] == year]
            idx = rows["reg"].to_numpy() - 1
            at.values[idx] = rows["value"].to_numpy(float)
            at.demo[idx] = rows["demo"].to_numpy(bool)
            at.from_period[idx] = period
            at.incomplete[idx] = ~rows["complete"].to_numpy(bool)
    else:
        pts = native[native["reg"] > 0]
        if period is None and len(pts):
            last = pts.iloc[int(np.argmax(pts["t"].to_numpy()))]
            period = period_labels([last["year"]], [last["quarter"]])[0]
        if period is not None:
            t = period_t(period)
            upto = pts[pts["t"] <= t + 1e-9]
            upto = upto.iloc[np.lexsort((upto["t"].to_numpy(), upto["reg"].to_numpy()))]
            last = upto.drop_duplicates("reg", keep="last")
            idx = last["reg"].to_numpy() - 1
            at.values[idx] = last["value"].to_numpy(float)
            at.demo[idx] = last["demo"].to_numpy(bool)
            at.carried[idx] = last["t"].to_numpy() < t - 1e-9
            at.from_period[idx] = period_labels(last["year"], last["quarter"])
            if info["frequency"] == "event" and kind == "cumulative":
                at.values[np.isnan(at.values)] = 0.0
    at.period = period
    return at


def _compare(
    values: np.ndarray, pop: np.ndarray, comparison: str, intensive: bool, down: bool
) -> SimpleNamespace:
    """The compared measure per region, the national reference, CV, max/min and the lagging regions."""
    n_reg = len(values)
    has = ~np.isnan(values) if comparison != "none" else np.zeros(n_reg, bool)
    per_capita = np.where(has, values / pop * PER_CAPITA_SCALE, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.nansum(values[has]) if has.any() else np.nan
        share = np.where(has, values / total * 100 if total else np.nan, np.nan)
    measure = {
        "per-capita": per_capita,
        "share": share,
        "absolute": np.where(has, values, np.nan),
        "none": np.full(n_reg, np.nan),
    }[comparison]
    # Lagging is judged where the measure is a level every region should reach: per inhabitant, or
    # a percentage/rank/index as reported. A share or a one-per-region count has no such level.
    judged = comparison == "per-capita" or (comparison == "absolute" and intensive)
    reference = cv = ratio = np.nan
    if has.any():
        if comparison == "per-capita":
            reference = float(np.sum(values[has]) / np.sum(pop[has]) * PER_CAPITA_SCALE)
        elif comparison == "absolute" and intensive:
            reference = float(np.sum(values[has] * pop[has]) / np.sum(pop[has]))
        mh = measure[has]
        if len(mh) >= 2 and np.mean(mh) != 0:
            cv = float(np.std(mh) / np.mean(mh))
        if len(mh) >= 2 and np.min(mh) > 0:
            ratio = float(np.max(mh) / np.min(mh))
    with np.errstate(invalid="ignore", divide="ignore"):
        if judged and not np.isnan(reference):
            lagging = has & (
                measure > reference / LAGGING_RATIO if down else measure < LAGGING_RATIO * reference
            )
            rel = measure / reference if reference else np.full(n_reg, np.nan)
        else:
            lagging = np.zeros(n_reg, bool)
            rel = np.full(n_reg, np.nan)
    return SimpleNamespace(
        per_capita=per_capita,
        measure=measure,
        judged=judged,
        reference=reference,
        cv=cv,
        ratio=ratio,
        lagging=lagging,
        rel=rel,
    )

"""One pass of the KPI pipeline over every indicator: the Computation that the status table, the indicator
detail, the milestones and the roll-ups all read, with each row's flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import methods as m
from .freshness import stale_rows
from .inputs import KpiInputs
from .periods import decimal_year, t_to_iso
from .series import assessment_series, native_series, period_labels, yearly_series
from .status import assess, build_keys


@dataclass(frozen=True)
class Computation:
    """Everything one status computation produced (the detail, milestone and roll-up views reuse it)."""

    inputs: KpiInputs
    today: dt.date
    method: str
    keys: pd.DataFrame
    native: pd.DataFrame
    yearly: pd.DataFrame
    points: pd.DataFrame  # assessment points with gid
    results: pd.DataFrame
    knots: pd.DataFrame
    params: pd.DataFrame
    flags: list[list[str]]
    invalid: pd.DataFrame  # the unusable observations left out (indicator, region, period, value)


def _today(today) -> dt.date:
    if today is None:
        return dt.date.today()
    if isinstance(today, str):
        return dt.date.fromisoformat(today)
    if isinstance(today, dt.datetime):
        return today.date()
    return today


def compute(
    inputs: KpiInputs, *, today: dt.date, method: str = m.DEFAULT_METHOD, by_region: bool = False
) -> Computation:
    """Run the whole pipeline once over every indicator (vectorised)."""
    if method not in m.METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(m.METHODS)}")
    today = _today(today)
    bad = inputs.invalid()
    invalid = inputs.observations.loc[bad, ["indicator", "region", "period", "value"]]
    inputs = inputs.usable()
    native = native_series(inputs)
    yearly = yearly_series(native, inputs)
    pts = assessment_series(native, yearly, inputs)
    # A national value summed from only some regions is shown with its coverage but is no baseline,
    # latest value or status, unless regions without a value truly have none ("partial").
    partial_ok = inputs.indicators["national_from_regions"].to_numpy(dtype=object) == "partial"
    if len(pts):
        shown_only = (
            pts["derived"].to_numpy(bool)
            & pts["partial"].to_numpy(bool)
            & ~partial_ok[pts["ind"].to_numpy()]
        )
    else:
        shown_only = np.zeros(0, bool)
    partial_pts = pts[shown_only]
    pts = pts[~shown_only].reset_index(drop=True)
    keys = build_keys(inputs, by_region)
    res, pts, knots, params = assess(
        keys,
        pts,
        inputs.milestones,
        t_now=decimal_year(today),
        method=method,
        n_regions=len(inputs.regions),
    )
    res = _partial_sums(keys, res, partial_pts)
    flags = _flags(keys, res, pts, today, invalid)
    return Computation(
        inputs, today, method, keys, native, yearly, pts, res, knots, params, flags, invalid
    )


def _partial_sums(keys, res, partial_pts) -> pd.DataFrame:
    """Per key: the latest national value summed from only some regions that is newer than the latest
    value used (value, period, regions), NaN elsewhere: shown beside the figures, never used in them."""
    G = len(keys)
    value, t, n_reg = np.full(G, np.nan), np.full(G, np.nan), np.full(G, np.nan)
    year, quarter = np.zeros(G, np.int64), np.zeros(G, np.int64)
    if len(partial_pts):
        last = partial_pts.drop_duplicates("ind", keep="last")  # sorted by ind, reg, t
        pos = pd.Index(keys["ind"].to_numpy() * 10_000 + keys["reg"].to_numpy()).get_indexer(
            last["ind"].to_numpy() * 10_000
        )
        ok = pos >= 0
        pos, last = pos[ok], last[ok]
        value[pos] = last["value"].to_numpy(float)
        t[pos] = last["t"].to_numpy(float)
        n_reg[pos] = last["n_regions"].to_numpy(float)
        year[pos] = last["year"].to_numpy()
        quarter[pos] = last["quarter"].to_numpy()
    newer = ~np.isnan(t) & ~(t <= res["t_latest"].to_numpy(float))
    labels = period_labels(year, quarter) if G else np.empty(0, dtype=object)
    return res.assign(
        partial_value=np.where(newer, value, np.nan),
        partial_period=np.where(newer, labels, None),
        partial_regions=np.where(newer, n_reg, np.nan),
    )


def _flags(keys, res, pts, today: dt.date, invalid) -> list[list[str]]:
    G = len(keys)
    # An unusable value flags its own row and the national row of its indicator.
    bad_pairs = set(zip(invalid["indicator"], invalid["region"], strict=True))
    bad_inds = set(invalid["indicator"])
    has_invalid = np.array(
        [
            (i in bad_inds) if r == "" else ((i, r) in bad_pairs)
            for i, r in zip(keys["indicator"], keys["region"], strict=True)
        ],
        bool,
    )
    g = pts["gid"].to_numpy(np.int64)
    has = res["n_points"].to_numpy() > 0

    def at(idx_col, col):
        idx = res[idx_col].to_numpy()
        arr = pts[col].to_numpy(bool) if len(pts) else np.zeros(1, bool)
        return (idx >= 0) & arr[np.clip(idx, 0, None)] if len(pts) else np.zeros(G, bool)

    any_demo = (
        np.bincount(g, pts["demo"].to_numpy(bool).astype(float), G) > 0
        if len(pts)
        else np.zeros(G, bool)
    )
    # The one freshness rule (kpis/freshness.py), on the columns the status table shows: the Overview's
    # badge reads the same ones, so a stale badge and "No recent report" always go together.
    due = keys["due_days"] if "due_days" in keys.columns else [None] * G
    latest_dates = [t_to_iso(t) for t in res["t_latest"].tolist()]
    stale, _ = stale_rows(latest_dates, keys["frequency"], due, res["progress"], today)
    is_flow = keys["kind"].to_numpy() == "flow"
    latest_complete = at("latest_idx", "complete")
    cols = {
        "demo": any_demo,
        "assumption-target": res["has_target"].to_numpy()
        & (keys["confidence"].to_numpy() == "assumption"),
        "derived-national": at("latest_idx", "derived"),
        "revised": at("latest_idx", "revised") | at("base_idx", "revised"),
        "stale": np.asarray(stale, bool),
        "incomplete-year": has & is_flow & ~latest_complete,
        "baseline-from-first-observation": res["baseline_from_first"].to_numpy(),
        "no-target": ~res["has_target"].to_numpy(),
        "too-few-points": res["projection_reason"].to_numpy() == "too-few-points",
        "too-short-span": res["projection_reason"].to_numpy() == "too-short-span",
        "implausible-projection": res["projection_reason"].to_numpy() == "implausible",
        "invalid-value": has_invalid,
        "partial-coverage": (
            at("latest_idx", "derived")
            & at("latest_idx", "partial")
            & (keys["frequency"].to_numpy() != "event")
        )
        | ~np.isnan(res["partial_value"].to_numpy(float)),
    }
    matrix = np.column_stack([cols[f] for f in m.FLAG_CODES])
    names = np.array(m.FLAG_CODES, dtype=object)
    return [list(names[row]) for row in matrix]

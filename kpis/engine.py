"""The public KPI computations the pages and the CLI call: status table, indicator detail, with flags and explain."""

from __future__ import annotations

import datetime as dt
import gc
import math
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import methods as m
from .contract import Detail, Explain
from .inputs import KpiInputs
from .periods import decimal_year, t_to_iso
from .projection import predict
from .series import assessment_series, labelled, native_series, period_labels, yearly_series
from .status import assess, build_keys
from .trajectory import line as trajectory_line

STATUS_COLUMNS = (
    "indicator",
    "region",
    "programme",
    "pillar",
    "unit",
    "direction",
    "kind",
    "frequency",
    "latest_period",
    "latest_date",
    "latest_value",
    "latest_regions",
    "regions_total",
    "partial_value",
    "partial_period",
    "partial_regions",
    "baseline_value",
    "baseline_year",
    "baseline_from",
    "target_value",
    "target_year",
    "confidence",
    "progress",
    "progress_display",
    "expected_progress",
    "expected_value",
    "expected_now_value",
    "expected_now_progress",
    "gap",
    "gap_pct",
    "gap_now",
    "gap_now_pct",
    "ratio",
    "status",
    "method",
    "score",
    "projection",
    "projection_low",
    "projection_high",
    "projection_model",
    "projection_reason",
    "projected_progress",
    "required_growth",
    "observed_growth",
    "required_change_per_year",
    "observed_change_per_year",
    "n_points",
    "demo",
    "flags",
    "explain",
)


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
    flags = _flags(keys, res, pts, params, decimal_year(today), invalid)
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


def _flags(keys, res, pts, params, t_now, invalid) -> list[list[str]]:
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
    months = keys["frequency"].map(m.FREQUENCY_MONTHS).astype(float).to_numpy()
    t_last = np.where(
        res["last_idx"].to_numpy() >= 0,
        pts["t"].to_numpy()[np.clip(res["last_idx"], 0, None)] if len(pts) else np.nan,
        np.nan,
    )
    stale = has & ~np.isnan(months) & (t_now - t_last > (months + m.STALE_GRACE_MONTHS) / 12 + 1e-9)
    is_flow = keys["kind"].to_numpy() == "flow"
    latest_complete = at("latest_idx", "complete")
    cols = {
        "demo": any_demo,
        "assumption-target": res["has_target"].to_numpy()
        & (keys["confidence"].to_numpy() == "assumption"),
        "derived-national": at("latest_idx", "derived"),
        "revised": at("latest_idx", "revised") | at("base_idx", "revised"),
        "stale": stale,
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


# -- explain ----------------------------------------------------------------------------------------


_INF = (math.inf, -math.inf)


def _num(x):
    if type(x) is float:  # the common case, first
        return None if x != x or x in _INF else x
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    try:
        f = float(x)
    except (TypeError, ValueError):
        return x
    return None if math.isnan(f) or math.isinf(f) else f


def _int(x):
    f = _num(x)
    return None if f is None else int(f)


def _str(x):
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT:
        return None
    if isinstance(x, (pd.Timestamp, dt.datetime)):
        return x.isoformat(sep=" ")
    return str(x)


PROVENANCE = ("batch_id", "file", "sheet", "row_number", "source", "loaded_at", "user_name")


POINT_KEYS = (
    "value",
    "period",
    "date",
    "last_period",
    "complete",
    "derived",
    "n_regions",
    "demo",
    "revised",
    *PROVENANCE,
)


def _floats(values) -> list:
    return [None if v != v or v in _INF else v for v in values]


def _ints(values) -> list:
    return [None if v is None or v is pd.NA or v != v else int(v) for v in values]


def _texts(values) -> list:
    out = []
    for v in values:
        if v is None or v is pd.NaT or (isinstance(v, float) and v != v):
            out.append(None)
        elif isinstance(v, (pd.Timestamp, dt.datetime)):
            out.append(v.isoformat(sep=" "))
        else:
            out.append(str(v))
    return out


def _points(c: Computation, idx: np.ndarray) -> list[dict | None]:
    """Point dicts (value, period, date, flags and provenance) for assessment-point indexes (-1 = none).

    Built column by column and zipped: this runs for every row of every status table."""
    idx = np.asarray(idx, np.int64)
    ok = idx >= 0
    out: list[dict | None] = [None] * len(idx)
    if not ok.any():
        return out
    sel = idx[ok]
    p = c.points

    def col(name):
        return p[name].to_numpy()[sel]

    rows = col("obs_row")
    has_row = rows >= 0
    n = len(sel)
    prov = {}
    got = c.inputs.observations.iloc[rows[has_row]]
    for k in PROVENANCE:
        vals = [None] * n
        for j, v in zip(np.flatnonzero(has_row).tolist(), got[k].tolist(), strict=True):
            vals[j] = v
        prov[k] = _ints(vals) if k in ("batch_id", "row_number") else _texts(vals)
    columns = [
        _floats(col("value").tolist()),
        period_labels(col("year"), col("quarter")).tolist(),
        [t_to_iso(t) for t in col("t").tolist()],
        period_labels(col("last_year"), col("last_quarter")).tolist(),
        col("complete").tolist(),
        col("derived").tolist(),
        _ints(col("n_regions").tolist()),
        col("demo").tolist(),
        col("revised").tolist(),
        *(prov[k] for k in PROVENANCE),
    ]
    for i, values in zip(np.flatnonzero(ok).tolist(), zip(*columns, strict=True), strict=True):
        out[i] = dict(zip(POINT_KEYS, values, strict=True))
    return out


def _formula(method, r, k) -> tuple[str, dict]:
    if k["kind"] == "milestone":
        return "event", {"due_date": t_to_iso(r["t_target"])}
    if r["has_target"]:
        if method == "trajectory":
            return "trajectory-ratio", {
                "on_track": m.TRAJECTORY_ON_TRACK,
                "needs_acceleration": m.TRAJECTORY_NEEDS_ACCELERATION,
                "wrong_way_lookback_years": m.WRONG_WAY_LOOKBACK_YEARS,
            }
        name = "growth-ratio-cagr" if r["growth_ratio_cagr"] else "growth-ratio-linear"
        return name, {
            "substantial": m.GROWTH_RATIO_SUBSTANTIAL,
            "moderate": m.GROWTH_RATIO_MODERATE,
            "limited": m.GROWTH_RATIO_LIMITED,
        }
    name = "trend-cagr" if r["observed_growth_cagr"] else "trend-linear"
    if method == "trajectory":
        return name, {"stable_band": m.TREND_STABLE_BAND}
    return name, {
        "substantial": m.NO_TARGET_SUBSTANTIAL,
        "moderate": m.NO_TARGET_MODERATE,
        "limited": m.NO_TARGET_LIMITED,
    }


def _explain(
    c: Computation,
    r: dict,
    k: dict,
    flags: list[str],
    knots: list | None,
    base_pt: dict | None,
    latest_pt: dict | None,
    prev_pt: dict | None,
    proj_n: int,
) -> Explain:
    formula, params = _formula(c.method, r, k)
    if r["baseline_from_catalog"]:
        baseline = {
            "value": _num(r["baseline_value"]),
            "year": _int(k["baseline_year"]),
            "date": t_to_iso(r["t0"]),
            "from": "catalog",
            "source": _str(k["sources"]),
        }
    else:
        baseline = base_pt
        if baseline is not None:
            baseline = {
                **baseline,
                "year": int(math.ceil(r["t0"] - 1e-9) - 1),
                "from": "first-observation"
                if r["baseline_from_first"]
                else "observation-at-baseline-year",
            }
    target = None
    if r["has_target"]:
        target = {
            "value": _num(r["target_value"]),
            "year": _int(k["target_year"]),
            "date": t_to_iso(r["t_target"]),
            "confidence": _str(k["confidence"]),
        }
    milestones, used = [], None
    if knots:
        milestones = [
            {"year": _year_of(t), "value": _num(v)} for _, t, v, kd in knots if kd == "milestone"
        ]
        if r["segment_left"] >= 0:
            by_row = {row: (t, v, kd) for row, t, v, kd in knots}
            used = {}
            for side in ("left", "right"):
                t, v, kd = by_row[int(r[f"segment_{side}"])]
                used[side] = {"kind": kd, "date": t_to_iso(t), "value": _num(v)}
    return {
        "indicator": k["indicator"],
        "region": k["region"] or None,
        "method": c.method,
        "formula": formula,
        "parameters": params,
        "status": r["status"],
        "flags": flags,
        "baseline": baseline,
        "latest": latest_pt,
        "target": target,
        "regional_target": "not split from the national target"
        if k["regional_target_withheld"]
        else None,
        "milestones": milestones,
        "milestone_used": used,
        "progress": {
            "formula": "(latest - baseline) / (target - baseline)",
            "value": _num(r["progress"]),
            "expected": _num(r["expected_progress"]),
            "expected_value": _num(r["expected_value"]),
            "ratio_to_expected": _num(r["trajectory_ratio"]),
            "gap": _num(r["gap"]),
            "gap_pct_of_expected": _num(r["gap_pct"]),
            "expected_now": {
                "date": c.today.isoformat(),
                "value": _num(r["expected_now_value"]),
                "progress": _num(r["expected_now_progress"]),
                "gap": _num(r["gap_now"]),
                "gap_pct_of_expected": _num(r["gap_now_pct"]),
            },
            "achieved": bool(r["achieved"]),
        },
        "wrong_way": {"value": bool(r["wrong_way"]), "compared_with": prev_pt},
        "growth": {
            "observed": _num(r["observed_growth"]),
            "observed_basis": "cagr" if r["observed_growth_cagr"] else "linear",
            "observed_change_per_year": _num(r["observed_change_per_year"]),
            "required_from_latest": _num(r["required_growth"]),
            "required_basis": "cagr" if r["required_growth_cagr"] else "linear",
            "required_change_per_year": _num(r["required_change_per_year"]),
            "ratio": _num(r["growth_ratio"]),
            "ratio_basis": "cagr" if r["growth_ratio_cagr"] else "linear",
            "direction_adjusted": _num(r["direction_growth"]),
        },
        "score": {
            "value": _num(r["score"]),
            "knots": [
                list(p)
                for p in (m.SCORE_TARGET_KNOTS if r["has_target"] else m.SCORE_NO_TARGET_KNOTS)
            ],
        },
        "projection": {
            "model": _str(r["projection_model"]),
            "reason": _str(r["projection_reason"]),
            "date": t_to_iso(r["t_star"]),
            "value": _num(r["projection"]),
            "low": _num(r["projection_low"]),
            "high": _num(r["projection_high"]),
            "points": proj_n,
            **m.PROJECTION_PARAMETERS,
        },
        "as_of": c.inputs.as_of.isoformat() if c.inputs.as_of else None,
        "today": c.today.isoformat(),
    }


def _knots_by_gid(knots: pd.DataFrame) -> dict:
    out: dict[int, list] = {}
    rows = zip(
        range(len(knots)),
        knots["gid"].tolist(),
        knots["t"].tolist(),
        knots["value"].tolist(),
        knots["kind"].tolist(),
        strict=True,
    )
    for row, gid, t, v, kd in rows:
        out.setdefault(gid, []).append((row, t, v, kd))
    return out


@contextmanager
def _no_gc():
    """Pause the cyclic garbage collector while building many small dicts that all stay alive:
    otherwise its full passes over the heap make the cost grow faster than the number of rows."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def explanations(c: Computation) -> list[dict]:
    """The explain dict of every row of the computation (JSON-serialisable)."""
    with _no_gc():
        return _explanations(c)


def _explanations(c: Computation) -> list[dict]:
    r = c.results
    base = _points(c, r["base_idx"].to_numpy())
    latest = _points(c, r["latest_idx"].to_numpy())
    prev = _points(c, r["prev_idx"].to_numpy())
    kb = _knots_by_gid(c.knots)
    proj_n = c.params["n"].tolist()
    cols = [
        "gid",
        "status",
        "baseline_from_catalog",
        "baseline_from_first",
        "baseline_value",
        "t0",
        "has_target",
        "target_value",
        "t_target",
        "segment_left",
        "segment_right",
        "progress",
        "expected_progress",
        "expected_value",
        "trajectory_ratio",
        "gap",
        "gap_pct",
        "expected_now_value",
        "expected_now_progress",
        "gap_now",
        "gap_now_pct",
        "achieved",
        "wrong_way",
        "observed_growth",
        "observed_growth_cagr",
        "observed_change_per_year",
        "required_growth",
        "required_growth_cagr",
        "required_change_per_year",
        "growth_ratio",
        "growth_ratio_cagr",
        "direction_growth",
        "score",
        "projection_model",
        "projection_reason",
        "t_star",
        "projection",
        "projection_low",
        "projection_high",
    ]
    rrec = r[cols].to_dict("records")
    krec = c.keys[
        [
            "indicator",
            "region",
            "kind",
            "baseline_year",
            "target_year",
            "confidence",
            "sources",
            "regional_target_withheld",
        ]
    ].to_dict("records")
    return [
        _explain(c, rr, kk, ff, kb.get(i), base[i], latest[i], prev[i], int(proj_n[i]))
        for i, (rr, kk, ff) in enumerate(zip(rrec, krec, c.flags, strict=True))
    ]


def table(c: Computation, *, explain: bool = True) -> pd.DataFrame:
    """The status DataFrame of a computation (STATUS_COLUMNS; explain dicts unless explain=False)."""
    k, r = c.keys, c.results
    has = r["n_points"].to_numpy() > 0
    pts = c.points
    li = np.clip(r["latest_idx"].to_numpy(), 0, None)
    if len(pts):
        labels = period_labels(pts["year"].to_numpy()[li], pts["quarter"].to_numpy()[li])
        latest_period = np.where(has, labels, None)
    else:
        latest_period = np.full(len(k), None)
    t0 = r["t0"].to_numpy()
    base_year = np.where(r["baseline_from_catalog"], k["baseline_year"], np.ceil(t0 - 1e-9) - 1)
    progress = r["progress"].to_numpy()
    if len(pts):
        derived = pts["derived"].to_numpy(bool)[li] & has
        latest_regions = np.where(derived, pts["n_regions"].to_numpy(float)[li], np.nan)
    else:
        latest_regions = np.full(len(k), np.nan)
    baseline_from = np.where(
        r["baseline_from_catalog"],
        "catalog",
        np.where(
            r["baseline_from_first"],
            "first-observation",
            np.where(np.isnan(r["baseline_value"].to_numpy(float)), None, "baseline-year"),
        ),
    )
    out = pd.DataFrame(
        {
            "indicator": k["indicator"],
            "region": k["region"],
            "programme": k["programme"],
            "pillar": k["pillar"],
            "unit": k["unit"],
            "direction": k["direction"],
            "kind": k["kind"],
            "frequency": k["frequency"],
            "latest_period": pd.Series(latest_period, dtype=object),
            "latest_date": pd.Series([t_to_iso(x) for x in r["t_latest"].tolist()], dtype=object),
            "latest_value": r["latest_value"],
            "latest_regions": latest_regions,
            "regions_total": len(c.inputs.regions),
            "partial_value": r["partial_value"],
            "partial_period": r["partial_period"],
            "partial_regions": r["partial_regions"],
            "baseline_value": r["baseline_value"],
            "baseline_from": pd.Series(baseline_from, dtype=object),
            "baseline_year": pd.array(np.where(np.isnan(t0), np.nan, base_year), dtype="Int64"),
            "target_value": r["target_value"],
            "target_year": pd.array(
                np.where(r["has_target"], k["target_year"], np.nan), dtype="Int64"
            ),
            "confidence": k["confidence"],
            "progress": progress,
            "progress_display": np.clip(progress, 0, 1),
            "expected_progress": r["expected_progress"],
            "expected_value": r["expected_value"],
            "expected_now_value": r["expected_now_value"],
            "expected_now_progress": r["expected_now_progress"],
            "gap": r["gap"],
            "gap_pct": r["gap_pct"],
            "gap_now": r["gap_now"],
            "gap_now_pct": r["gap_now_pct"],
            "ratio": r["ratio"],
            "status": r["status"],
            "method": c.method,
            "score": r["score"],
            "projection": r["projection"],
            "projection_low": r["projection_low"],
            "projection_high": r["projection_high"],
            "projection_model": r["projection_model"],
            "projection_reason": r["projection_reason"],
            "projected_progress": r["projected_progress"],
            "required_growth": r["required_growth"],
            "observed_growth": r["observed_growth"],
            "required_change_per_year": r["required_change_per_year"],
            "observed_change_per_year": r["observed_change_per_year"],
            "n_points": r["n_points"],
            "demo": ["demo" in f for f in c.flags],
            "flags": c.flags,
            "explain": explanations(c) if explain else None,
        }
    )
    return out[list(STATUS_COLUMNS)]


def status_table(
    inputs: KpiInputs,
    *,
    today: dt.date | None = None,
    method: str = m.DEFAULT_METHOD,
    by_region: bool = False,
    explain: bool = True,
) -> pd.DataFrame:
    """One row per indicator (national), plus one per region of each regional indicator with by_region.

    `today` is the evaluation date (for an as-of view: the as-of date); it dates "expected now", the
    due/overdue events and staleness. Columns: STATUS_COLUMNS.
    """
    today = _today(today if today is not None else inputs.as_of)
    with _no_gc():
        return table(
            compute(inputs, today=today, method=method, by_region=by_region), explain=explain
        )


# -- one indicator ---------------------------------------------------------------------------------


def _with_provenance(c: Computation, frame: pd.DataFrame) -> pd.DataFrame:
    out = labelled(frame, c.inputs)
    out["date"] = [t_to_iso(x) for x in out["t"].tolist()]
    rows = out["obs_row"].to_numpy()
    obs = c.inputs.observations
    for col in PROVENANCE:
        vals = (
            obs[col].to_numpy(dtype=object)[np.clip(rows, 0, None)]
            if len(obs)
            else np.full(len(rows), None)
        )
        out[col] = np.where(rows >= 0, vals, None) if len(rows) else []
    return out


def _year_of(t: float) -> int:
    """The calendar year of the period ending at t (2024.25, end of 2024-Q1 -> 2024; 2025.0 -> 2024)."""
    return int(t_to_iso(t)[:4])


def _records(frame: pd.DataFrame, cols) -> list[dict]:
    text = ("period", "last_period", "date", "file", "sheet", "source", "loaded_at", "user_name")
    return [
        {c: (_str(v) if c in text else _num(v)) for c, v in zip(cols, row, strict=True)}
        for row in frame[list(cols)].itertuples(index=False)
    ]


def indicator_detail(
    inputs: KpiInputs,
    code: str,
    *,
    today: dt.date | None = None,
    method: str = m.DEFAULT_METHOD,
    region: str | None = None,
) -> Detail:
    """Series (quarterly and yearly, flagged per point), trajectory, projection, status and explain of one
    indicator, national or one region."""
    info = inputs.indicator(code)
    region = region or ""
    if region and not info["by_region"]:
        raise ValueError(f"{code} is not reported by region")
    today = _today(today if today is not None else inputs.as_of)
    c = compute(inputs.only([code]), today=today, method=method, by_region=bool(region))
    row = table(c)
    row = row[(row["indicator"] == code) & (row["region"] == region)]
    status = row.iloc[0].to_dict()
    gid = int(c.keys.index[(c.keys["indicator"] == code) & (c.keys["region"] == region)][0])
    r = c.results.iloc[gid]

    reg_code = (
        0
        if not region
        else int(np.flatnonzero(c.inputs.regions["iso"].to_numpy() == region)[0]) + 1
    )
    native = _with_provenance(c, c.native[c.native["reg"].to_numpy() == reg_code])
    period_cols = (
        "period",
        "date",
        "t",
        "value",
        "derived",
        "demo",
        "revised",
        "partial",
        "n_regions",
        "batch_id",
        "file",
        "sheet",
        "row_number",
        "source",
        "loaded_at",
        "user_name",
    )
    yr = c.yearly[c.yearly["reg"].to_numpy() == reg_code]
    yr = _with_provenance(c, yr.assign(quarter=0, incomplete=~yr["complete"].to_numpy(bool)))
    yr["last_period"] = period_labels(yr["last_year"], yr["last_quarter"]) if len(yr) else []
    year_cols = (
        "year",
        "period",
        "date",
        "t",
        "value",
        "n_quarters",
        "incomplete",
        "derived",
        "demo",
        "revised",
        "partial",
        "last_period",
    )

    ks = c.knots[c.knots["gid"] == gid]
    knots = [
        {
            "t": float(t),
            "date": t_to_iso(t),
            "year": _year_of(t),
            "value": float(v),
            "kind": kd,
        }
        for t, v, kd in zip(ks["t"], ks["value"], ks["kind"], strict=True)
    ]
    path = trajectory_line(c.knots, gid)

    p = c.params.iloc[[gid]]
    proj_points = []
    if pd.notna(p["model"].iloc[0]):
        t_last, t_star = float(p["t_last"].iloc[0]), float(r["t_star"])
        grid = np.unique(
            np.r_[t_last, np.arange(math.floor(t_last) + 1.0, t_star + 1e-9, 1.0), t_star]
        )
        grid = grid[grid >= t_last - 1e-9]
        rep = p.loc[p.index.repeat(len(grid))].reset_index(drop=True)
        val, low, high = predict(
            rep,
            grid,
            lower=np.full(len(grid), p["lower"].iloc[0]),
            upper=np.full(len(grid), p["upper"].iloc[0]),
        )
        proj_points = [
            {"t": float(t), "date": t_to_iso(t), "value": _num(a), "low": _num(b), "high": _num(h)}
            for t, a, b, h in zip(grid, val, low, high, strict=True)
        ]

    explain = status.pop("explain")
    status["flags"] = list(status["flags"])
    return {
        "indicator": code,
        "region": region or None,
        "method": method,
        "today": today.isoformat(),
        "as_of": inputs.as_of.isoformat() if inputs.as_of else None,
        "info": {
            k2: _num(v) if isinstance(v, (float, np.floating)) else v for k2, v in info.items()
        },
        "quarterly": _records(native, period_cols),
        "yearly": _records(yr, year_cols),
        "trajectory": {
            "knots": knots,
            "line": [
                {"t": float(t), "date": t_to_iso(t), "value": _num(v)}
                for t, v in zip(path["t"], path["value"], strict=True)
            ],
            "expected_now": {
                "date": today.isoformat(),
                "value": _num(r["expected_now_value"]),
                "progress": _num(r["expected_now_progress"]),
            },
            "step": info["kind"] == "milestone",
        },
        "projection": {
            "model": _str(p["model"].iloc[0]),
            "reason": _str(r["projection_reason"]),
            "target_date": t_to_iso(r["t_star"]),
            "value": _num(r["projection"]),
            "low": _num(r["projection_low"]),
            "high": _num(r["projection_high"]),
            "points": proj_points,
            "band": m.PROJECTION_PARAMETERS["band"],
        },
        "status": {
            k2: (_num(v) if not isinstance(v, (str, list)) else v) for k2, v in status.items()
        },
        "explain": explain,
    }


__all__ = [
    "STATUS_COLUMNS",
    "Computation",
    "compute",
    "table",
    "status_table",
    "indicator_detail",
]

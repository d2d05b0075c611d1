"""The explain dict of every status row: the inputs, formula, parameters and provenance behind one figure."""

from __future__ import annotations

import datetime as dt
import gc
import math
from contextlib import contextmanager

import numpy as np
import pandas as pd

from . import methods as m
from .compute import Computation
from .contract import Explain
from .periods import t_to_iso
from .series import period_labels

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
    milestones, used = _milestones(r, knots)
    return {
        "indicator": k["indicator"],
        "region": k["region"] or None,
        "method": c.method,
        "formula": formula,
        "parameters": params,
        "status": r["status"],
        "flags": flags,
        "baseline": _baseline(r, k, base_pt),
        "latest": latest_pt,
        "target": _target(r, k),
        "regional_target": "not split from the national target"
        if k["regional_target_withheld"]
        else None,
        "milestones": milestones,
        "milestone_used": used,
        "progress": _progress(c, r),
        "wrong_way": {"value": bool(r["wrong_way"]), "compared_with": prev_pt},
        "growth": _growth(r),
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


def _baseline(r: dict, k: dict, base_pt: dict | None) -> dict | None:
    """The catalog's baseline, or the observed point used as one and why."""
    if r["baseline_from_catalog"]:
        return {
            "value": _num(r["baseline_value"]),
            "year": _int(k["baseline_year"]),
            "date": t_to_iso(r["t0"]),
            "from": "catalog",
            "source": _str(k["sources"]),
        }
    if base_pt is None:
        return None
    return {
        **base_pt,
        "year": int(math.ceil(r["t0"] - 1e-9) - 1),
        "from": "first-observation" if r["baseline_from_first"] else "observation-at-baseline-year",
    }


def _target(r: dict, k: dict) -> dict | None:
    if not r["has_target"]:
        return None
    return {
        "value": _num(r["target_value"]),
        "year": _int(k["target_year"]),
        "date": t_to_iso(r["t_target"]),
        "confidence": _str(k["confidence"]),
    }


def _milestones(r: dict, knots: list | None) -> tuple[list[dict], dict | None]:
    """The catalog milestones, and the two knots of the trajectory segment the latest value falls on."""
    if not knots:
        return [], None
    milestones = [
        {"year": _year_of(t), "value": _num(v)} for _, t, v, kd in knots if kd == "milestone"
    ]
    used = None
    if r["segment_left"] >= 0:
        by_row = {row: (t, v, kd) for row, t, v, kd in knots}
        used = {}
        for side in ("left", "right"):
            t, v, kd = by_row[int(r[f"segment_{side}"])]
            used[side] = {"kind": kd, "date": t_to_iso(t), "value": _num(v)}
    return milestones, used


def _progress(c: Computation, r: dict) -> dict:
    return {
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
    }


def _growth(r: dict) -> dict:
    return {
        "observed": _num(r["observed_growth"]),
        "observed_basis": "cagr" if r["observed_growth_cagr"] else "linear",
        "observed_change_per_year": _num(r["observed_change_per_year"]),
        "required_from_latest": _num(r["required_growth"]),
        "required_basis": "cagr" if r["required_growth_cagr"] else "linear",
        "required_change_per_year": _num(r["required_change_per_year"]),
        "ratio": _num(r["growth_ratio"]),
        "ratio_basis": "cagr" if r["growth_ratio_cagr"] else "linear",
        "direction_adjusted": _num(r["direction_growth"]),
    }


# The result and key columns an explain dict reads (to_dict("records") of only these is fast).
RESULT_FIELDS = (
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
)
KEY_FIELDS = (
    "indicator",
    "region",
    "kind",
    "baseline_year",
    "target_year",
    "confidence",
    "sources",
    "regional_target_withheld",
)


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
    rrec = r[list(RESULT_FIELDS)].to_dict("records")
    krec = c.keys[list(KEY_FIELDS)].to_dict("records")
    return [
        _explain(c, rr, kk, ff, kb.get(i), base[i], latest[i], prev[i], int(proj_n[i]))
        for i, (rr, kk, ff) in enumerate(zip(rrec, krec, c.flags, strict=True))
    ]


def _year_of(t: float) -> int:
    """The calendar year of the period ending at t (2024.25, end of 2024-Q1 -> 2024; 2025.0 -> 2024)."""
    return int(t_to_iso(t)[:4])

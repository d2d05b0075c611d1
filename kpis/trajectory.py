"""The expected path to a target: straight lines from the baseline through each milestone to the target."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .periods import decimal_year

# Group ids and decimal years are packed into one sortable float: gid * _SCALE + t (t < 10,000).
_SCALE = 10_000.0


def build_knots(keys: pd.DataFrame, milestones: pd.DataFrame) -> pd.DataFrame:
    """Knots (gid, t, value, kind) for every key with a target after its baseline.

    `keys` carries gid, indicator, b (baseline value), t0 (its date), target, t_target, uses_milestones.
    A milestone dated on or before the baseline, or on or after the target, is not a knot.
    """
    ok = keys["target"].notna() & keys["b"].notna() & (keys["t_target"] > keys["t0"])
    k = keys[ok]
    parts = [
        pd.DataFrame({"gid": k["gid"], "t": k["t0"], "value": k["b"], "kind": "baseline"}),
        pd.DataFrame({"gid": k["gid"], "t": k["t_target"], "value": k["target"], "kind": "target"}),
    ]
    if not milestones.empty:
        m = k[k["uses_milestones"]][["gid", "indicator", "t0", "t_target"]].merge(
            milestones, on="indicator"
        )
        m["t"] = m["year"].astype(float) + 1.0
        m = m[(m["t"] > m["t0"]) & (m["t"] < m["t_target"])]
        parts.append(
            pd.DataFrame({"gid": m["gid"], "t": m["t"], "value": m["value"], "kind": "milestone"})
        )
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(
            {"gid": np.empty(0, np.int64), "t": np.empty(0), "value": np.empty(0), "kind": []}
        )
    knots = pd.concat(parts, ignore_index=True)
    return knots.sort_values(["gid", "t"], kind="stable").reset_index(drop=True)


def interpolate(knots: pd.DataFrame, gid, t) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected value of group `gid` at time `t` (arrays). Flat before the first and after the last
    knot; NaN for a group without knots. Also returns the indexes of the knots either side."""
    gid = np.asarray(gid, dtype=np.int64)
    t = np.asarray(t, dtype=float)
    kg = knots["gid"].to_numpy(np.int64)
    kt = knots["t"].to_numpy(float)
    kv = knots["value"].to_numpy(float)
    if len(kg) == 0:
        nan = np.full(len(gid), np.nan)
        return nan, np.full(len(gid), -1), np.full(len(gid), -1)
    packed = kg * _SCALE + kt
    lo = np.searchsorted(kg, gid, side="left")
    hi = np.searchsorted(kg, gid, side="right")
    has = hi > lo
    tq = np.nan_to_num(t, nan=0.0)
    pos = np.searchsorted(packed, gid * _SCALE + tq, side="right")
    last = np.maximum(hi - 1, lo)
    right = np.clip(pos, lo, last)
    left = np.clip(pos - 1, lo, last)
    left, right = np.where(has, left, 0), np.where(has, right, 0)
    tl, tr, vl, vr = kt[left], kt[right], kv[left], kv[right]
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(tr > tl, (tq - tl) / np.where(tr > tl, tr - tl, 1.0), 0.0)
    val = vl + np.clip(w, 0.0, 1.0) * (vr - vl)
    bad = ~has | np.isnan(t)
    return np.where(bad, np.nan, val), np.where(bad, -1, left), np.where(bad, -1, right)


def expected_value(knots: list[dict], when: dt.date | float) -> float | None:
    """Expected value on a date from an indicator's knot list ({'t' or 'date', 'value'}, as in indicator_detail)."""
    if not knots:
        return None
    t = decimal_year(when) if isinstance(when, dt.date) else float(when)
    frame = pd.DataFrame(
        {"gid": 0, "t": [k["t"] for k in knots], "value": [k["value"] for k in knots]}
    )
    val, _, _ = interpolate(frame.sort_values("t"), [0], [t])
    return float(val[0])


def line(knots: pd.DataFrame, gid: int, step: float = 0.25) -> pd.DataFrame:
    """The expected path of one group at every quarter end from baseline to target (and each knot)."""
    k = knots[knots["gid"] == gid]
    if k.empty:
        return pd.DataFrame(columns=["t", "value"])
    t0, t1 = float(k["t"].min()), float(k["t"].max())
    grid = np.unique(
        np.r_[np.arange(np.ceil(t0 / step) * step, t1 + 1e-9, step), k["t"].to_numpy()]
    )
    val, _, _ = interpolate(k, np.full(len(grid), gid), grid)
    return pd.DataFrame({"t": grid, "value": val})


__all__ = ["build_knots", "interpolate", "expected_value", "line"]

"""Projection to the target year: weighted least-squares trend per series, linear or log-linear, with a band.

All series are fitted at once with weighted sums (np.bincount), no per-series Python loop.

Model: y = a + b (t - t_mean) fitted with weights w_i = 0.5 ** ((t_last - t_i) / half-life),
normalised to sum to n (so the residual variance below has n - 2 degrees of freedom, as unweighted).
Log-linear (log y on t, i.e. constant yearly growth) is chosen when every value is > 0, the unit is
not bounded (percentages, ranks, indices stay linear) and its weighted squared error measured in the
indicator's own unit is smaller than the straight line's: growth "looks multiplicative" when a
constant rate explains the points better than a constant change.

Band: prediction +/- k * s * sqrt(1 + 1/n + (t* - t_mean)^2 / Sxx), s^2 = sum(w r^2) / (n - 2),
on the log scale for the log-linear model (so the band is asymmetric). It is the spread the past
deviations around the trend would give: NOT a probability or a confidence level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .methods import (
    PROJECTION_BAND_K,
    PROJECTION_HALF_LIFE_YEARS,
    PROJECTION_MIN_POINTS,
    PROJECTION_MIN_SPAN_YEARS,
)


def _fit(g, t, y, w, n_groups):
    sw = np.bincount(g, w, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        tbar = np.bincount(g, w * t, n_groups) / sw
        ybar = np.bincount(g, w * y, n_groups) / sw
        dt = t - tbar[g]
        sxx = np.bincount(g, w * dt * dt, n_groups)
        sxy = np.bincount(g, w * dt * (y - ybar[g]), n_groups)
        slope = np.where(sxx > 0, sxy / np.where(sxx > 0, sxx, 1.0), np.nan)
    resid = y - (ybar[g] + slope[g] * dt)
    sse = np.bincount(g, w * resid * resid, n_groups)
    return tbar, ybar, slope, sxx, sse


def fit(
    g,
    t,
    y,
    n_groups: int,
    *,
    log_allowed,
    half_life=PROJECTION_HALF_LIFE_YEARS,
    min_points=PROJECTION_MIN_POINTS,
    min_span=PROJECTION_MIN_SPAN_YEARS,
) -> pd.DataFrame:
    """Fit every group; rows sorted by group then time. Returns one row of parameters per group
    (model 'linear' | 'log-linear' | None, t_mean, y_mean, slope, sxx, s2, n, t_first, t_last,
    y_min, y_max). No model with fewer than `min_points` points or a first-to-last span under
    `min_span` years."""
    g = np.asarray(g, np.int64)
    t = np.asarray(t, float)
    y = np.asarray(y, float)
    n = np.bincount(g, minlength=n_groups)
    t_last = np.full(n_groups, np.nan)
    t_first = np.full(n_groups, np.nan)
    if len(g):
        t_last[g] = t  # sorted by time within a group: the last write is the latest
        t_first[g[::-1]] = t[::-1]
    w = 0.5 ** ((t_last[g] - t) / half_life)
    sw = np.bincount(g, w, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = w * (n / sw)[g]

    lin = _fit(g, t, y, w, n_groups)
    positive = np.bincount(g, (y <= 0).astype(float), n_groups) == 0
    log_ok = positive & np.asarray(log_allowed, bool)
    ylog = np.log(np.where(log_ok[g], y, 1.0))
    lg = _fit(g, t, ylog, w, n_groups)
    with np.errstate(over="ignore", invalid="ignore"):
        back = np.exp(lg[1][g] + lg[2][g] * (t - lg[0][g]))
    sse_log_units = np.bincount(g, w * (y - back) ** 2, n_groups)
    use_log = log_ok & (sse_log_units < lin[4])

    span = t_last - t_first
    enough = (n >= min_points) & (lin[3] > 0) & (np.nan_to_num(span) >= min_span - 1e-9)
    pick = [np.where(use_log, a, b) for a, b in zip(lg, lin, strict=True)]
    tbar, ybar, slope, sxx, sse = pick
    with np.errstate(invalid="ignore", divide="ignore"):
        s2 = np.where(n > 2, sse / np.maximum(n - 2, 1), np.nan)
    y_min = np.full(n_groups, np.inf)
    np.minimum.at(y_min, g, y)
    y_max = np.full(n_groups, -np.inf)
    np.maximum.at(y_max, g, y)
    model = np.where(enough, np.where(use_log, "log-linear", "linear"), None)
    return pd.DataFrame(
        {
            "model": model,
            "t_mean": tbar,
            "y_mean": ybar,
            "slope": slope,
            "sxx": sxx,
            "s2": s2,
            "n": n,
            "t_first": t_first,
            "t_last": t_last,
            "y_min": y_min,
            "y_max": y_max,
        }
    )


def predict(params: pd.DataFrame, t_star, *, band_k=PROJECTION_BAND_K, lower=None, upper=None):
    """Value, low and high at t_star (one per row of params). `lower`/`upper`: clip bounds (arrays)."""
    t_star = np.asarray(t_star, float)
    ok = params["model"].notna().to_numpy()
    model = params["model"].to_numpy()
    tbar, ybar, slope = (params[c].to_numpy(float) for c in ("t_mean", "y_mean", "slope"))
    sxx, s2, n = (
        params["sxx"].to_numpy(float),
        params["s2"].to_numpy(float),
        params["n"].to_numpy(float),
    )
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        mid = ybar + slope * (t_star - tbar)
        half = band_k * np.sqrt(s2 * (1 + 1 / n + (t_star - tbar) ** 2 / sxx))
        is_log = model == "log-linear"
        val = np.where(is_log, np.exp(mid), mid)
        low = np.where(is_log, np.exp(mid - half), mid - half)
        high = np.where(is_log, np.exp(mid + half), mid + half)
    out = []
    for a in (val, low, high):
        if lower is not None:
            a = np.where(np.isnan(lower), a, np.maximum(a, lower))
        if upper is not None:
            a = np.where(np.isnan(upper), a, np.minimum(a, upper))
        out.append(np.where(ok, a, np.nan))
    return tuple(out)

"""Status of every (indicator, region) at once: baseline, latest, progress, trajectory, growth, score, projection.

Pure numpy over arrays sorted by group: `keys` has one row per (indicator, region) with its `gid`;
`pts` is the assessment series (series.assessment_series) of those keys.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from . import methods as m
from .periods import year_end
from .projection import fit, predict
from .trajectory import _SCALE, build_knots, interpolate
from .units import is_intensive, unit_of

_EPS = 1e-9


def build_keys(inputs, by_region: bool) -> pd.DataFrame:
    """One row per indicator (national) and, with by_region, per region of each regional indicator.

    Regions get the national target only when it is a percentage (comparable as is); a regional count
    has no target of its own, so it is judged on its trend, never on an invented share of the target.
    """
    ind = inputs.indicators.rename(columns={"code": "indicator"})
    ind["ind"] = np.arange(len(ind))
    frames = [ind.assign(region="", reg=0)]
    if by_region and len(inputs.regions):
        reg = ind[ind["by_region"]]
        isos = inputs.regions["iso"].to_numpy()
        frames.append(
            reg.loc[reg.index.repeat(len(isos))].assign(
                region=np.tile(isos, len(reg)), reg=np.tile(np.arange(1, len(isos) + 1), len(reg))
            )
        )
    keys = pd.concat(frames, ignore_index=True)
    keys = keys.iloc[np.lexsort((keys["reg"].to_numpy(), keys["ind"].to_numpy()))].reset_index(
        drop=True
    )
    national = keys["reg"].to_numpy() == 0
    intensive = keys["unit"].map(is_intensive).to_numpy(bool)
    applies = national | intensive
    target = keys["target_value"].to_numpy(float)
    keys["target"] = np.where(applies, target, np.nan)
    keys["t_target"] = np.where(
        applies & ~np.isnan(target), keys["target_year"].to_numpy(float) + 1.0, np.nan
    )
    keys["uses_milestones"] = applies
    keys["regional_target_withheld"] = ~applies & ~np.isnan(target)
    keys["gid"] = np.arange(len(keys))
    return keys


def attach_gid(keys: pd.DataFrame, pts: pd.DataFrame, n_regions: int) -> pd.DataFrame:
    """The points of the keys, with their gid, sorted by gid then time (points of other keys dropped)."""
    width = n_regions + 1
    lookup = np.full((int(keys["ind"].max()) + 1 if len(keys) else 1) * width, -1)
    lookup[keys["ind"].to_numpy() * width + keys["reg"].to_numpy()] = keys["gid"].to_numpy()
    ind = pts["ind"].to_numpy()
    inside = ind < len(lookup) // width
    gid = np.full(len(pts), -1)
    gid[inside] = lookup[ind[inside] * width + pts["reg"].to_numpy()[inside]]
    keep = gid >= 0
    pts = pts[keep].assign(gid=gid[keep])
    order = np.lexsort((pts["t"].to_numpy(), pts["gid"].to_numpy()))
    return pts.iloc[order].reset_index(drop=True)


def _group_index(g: np.ndarray, n_groups: int):
    ids = np.arange(n_groups)
    return np.searchsorted(g, ids, "left"), np.searchsorted(g, ids, "right")


def assess(
    keys: pd.DataFrame,
    pts: pd.DataFrame,
    milestones: pd.DataFrame,
    *,
    t_now: float,
    method: str,
    n_regions: int,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Returns (results per key, the points with their gid, trajectory knots, projection parameters).

    Each step below reads the arrays of the ones before it from `a` (one value per key, or per point)."""
    if method not in m.METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(m.METHODS)}")
    pts = attach_gid(keys, pts, n_regions)
    a = _arrays(keys, pts)
    _baseline(keys, a)
    _latest_and_progress(keys, a)
    knots = _trajectory(keys, a, milestones, t_now)
    _wrong_way(a)
    _growth(a)
    _status_and_score(a, t_now, method)
    params = _projection(keys, a)
    # An event is done or not: growth rates and ratios of a 0/1 series mean nothing.
    for name in (
        "ratio",
        "traj_ratio",
        "gr",
        "obs_growth",
        "req_growth",
        "obs_per_year",
        "req_per_year",
        "g_adj",
        "exp_prog",
        "exp_now_prog",
        "exp_l",
        "exp_now",
        "gap",
        "gap_pct",
        "gap_now",
        "gap_now_pct",
    ):
        getattr(a, name)[a.is_event] = np.nan
    return _results(a, params), pts, knots, params


def _take(arr, i):
    return np.where(i >= 0, arr[np.clip(i, 0, None)] if len(arr) else np.nan, np.nan)


def _arrays(keys: pd.DataFrame, pts: pd.DataFrame) -> SimpleNamespace:
    """The points as arrays (sorted by gid, then time), each group's slice, and the keys' kind and direction."""
    G = len(keys)
    a = SimpleNamespace(G=G, gids=np.arange(G))
    a.g = pts["gid"].to_numpy(np.int64)
    a.t = pts["t"].to_numpy(float)
    a.v = pts["value"].to_numpy(float)
    a.complete = pts["complete"].to_numpy(bool)
    a.start, a.end = _group_index(a.g, G)
    a.n = a.end - a.start
    a.has = a.n > 0
    a.packed = a.g * _SCALE + a.t
    a.idx = np.arange(len(a.g))
    kind = keys["kind"].to_numpy()
    a.is_flow, a.is_event = kind == "flow", kind == "milestone"
    a.d = np.where(keys["direction"].to_numpy() == "down", -1.0, 1.0)
    return a


def _baseline(keys: pd.DataFrame, a: SimpleNamespace) -> None:
    """Baseline: the catalog's (national), else the region's value at the catalog baseline year, else
    the first observation (flagged; for a flow the first complete year). Events have none."""
    G, g, complete, idx = a.G, a.g, a.complete, a.idx
    # For flows only complete years count as a baseline or a year-ago comparison; per group, the
    # first and last complete point.
    first_complete = np.full(G, np.iinfo(np.int64).max)
    a.last_complete = np.full(G, -1)
    if len(g):
        np.minimum.at(first_complete, g[complete], idx[complete])
        np.maximum.at(a.last_complete, g[complete], idx[complete])
    first_complete = np.where(first_complete == np.iinfo(np.int64).max, -1, first_complete)

    national = keys["reg"].to_numpy() == 0
    cat_by = keys["baseline_year"].to_numpy(float)
    cat_b = np.where(national & ~a.is_event, keys["baseline_value"].to_numpy(float), np.nan)
    a.from_catalog = ~np.isnan(cat_b)
    at_by = np.full(G, -1)
    look = ~a.from_catalog & ~np.isnan(cat_by) & a.has & ~a.is_event
    if look.any():
        q = np.arange(G)[look] * _SCALE + cat_by[look] + 1.0
        pos = np.searchsorted(a.packed, q)
        last = len(a.packed) - 1
        hit = (pos < len(a.packed)) & (a.packed[np.clip(pos, 0, last)] == q)
        hit &= complete[np.clip(pos, 0, last)]
        at_by[np.flatnonzero(look)[hit]] = pos[hit]
    first = np.where(
        a.is_flow & (first_complete >= 0), first_complete, np.where(a.has, a.start, -1)
    )
    a.base_idx = np.where(a.from_catalog | a.is_event, -1, np.where(at_by >= 0, at_by, first))
    a.from_first = ~a.from_catalog & (at_by < 0) & a.has & ~a.is_event
    a.b = np.where(a.from_catalog, cat_b, _take(a.v, a.base_idx))
    a.t0 = np.where(a.from_catalog, cat_by + 1.0, _take(a.t, a.base_idx))


def _latest_and_progress(keys: pd.DataFrame, a: SimpleNamespace) -> None:
    """Latest: for a flow, the latest complete year when it is after the baseline, else the latest
    (incomplete, flagged) year. Progress against the target, and whether it is achieved."""
    a.last_any = np.where(a.has, a.end - 1, -1)
    use_complete = (
        a.is_flow
        & (a.last_complete >= 0)
        & (_take(a.t, a.last_complete) > np.nan_to_num(a.t0, nan=-np.inf) + _EPS)
    )
    a.latest = np.where(use_complete, a.last_complete, a.last_any)
    a.l_val = _take(a.v, a.latest)
    a.t_l = _take(a.t, a.latest)

    a.target = keys["target"].to_numpy(float)
    a.t_target = keys["t_target"].to_numpy(float)
    a.has_target = ~np.isnan(a.target)
    a.evaluable = a.has & (np.where(a.is_event, True, a.t_l > a.t0 + _EPS))

    prog = m.progress(a.l_val, a.b, a.target)
    a.prog = np.where(
        a.is_event, np.where(a.has, a.l_val, np.nan), prog
    )  # an event: 0 = not done, 1 = done
    a.flat_target = a.has_target & (a.target == a.b)
    a.achieved = (
        a.has_target
        & a.evaluable
        & np.where(a.flat_target, a.d * (a.l_val - a.target) >= 0, a.prog >= 1 - _EPS)
    )


def _trajectory(
    keys: pd.DataFrame, a: SimpleNamespace, milestones: pd.DataFrame, t_now: float
) -> pd.DataFrame:
    """The expected path (knots) at the latest date and today, the ratio to it and the gaps."""
    kcols = pd.DataFrame(
        {
            "gid": keys["gid"],
            "indicator": keys["indicator"],
            "b": a.b,
            "t0": a.t0,
            "target": a.target,
            "t_target": a.t_target,
            "uses_milestones": keys["uses_milestones"],
        }
    )
    knots = build_knots(kcols[~a.is_event], milestones)
    a.exp_l, a.seg_l, a.seg_r = interpolate(knots, a.gids, a.t_l)
    a.exp_now, _, _ = interpolate(knots, a.gids, np.full(a.G, t_now))
    exp_prog = m.progress(a.exp_l, a.b, a.target)
    # Data that starts after the target date: the whole progress was expected by then.
    a.exp_prog = np.where(a.has_target & ~a.is_event & (a.t0 >= a.t_target), 1.0, exp_prog)
    a.exp_now_prog = m.progress(a.exp_now, a.b, a.target)
    exp_l, exp_now = a.exp_l, a.exp_now
    with np.errstate(invalid="ignore", divide="ignore"):
        a.traj_ratio = np.where(
            a.exp_prog > _EPS, a.prog / np.where(a.exp_prog > _EPS, a.exp_prog, 1.0), np.nan
        )
        a.gap = a.l_val - exp_l
        a.gap_pct = np.where(exp_l != 0, a.gap / np.abs(np.where(exp_l != 0, exp_l, 1.0)), np.nan)
        a.gap_now = a.l_val - exp_now
        a.gap_now_pct = np.where(
            exp_now != 0, a.gap_now / np.abs(np.where(exp_now != 0, exp_now, 1.0)), np.nan
        )
    return knots


def _wrong_way(a: SimpleNamespace) -> None:
    """Moving the wrong way: net since the baseline, or against the value a year (or more) before."""
    g, t, v, t_l = a.g, a.t, a.v, a.t_l
    toward = np.where(a.has_target & ~a.flat_target, np.sign(a.target - a.b), a.d)
    prev = np.full(a.G, -1)
    cidx = np.flatnonzero(a.complete)
    if len(cidx):
        q = a.gids * _SCALE + np.nan_to_num(t_l) - m.WRONG_WAY_LOOKBACK_YEARS + _EPS
        p = cidx[np.clip(np.searchsorted(a.packed[cidx], q, side="right") - 1, 0, None)]
        okp = (
            a.has
            & (g[p] == a.gids)
            & (t[p] <= np.nan_to_num(t_l) - m.WRONG_WAY_LOOKBACK_YEARS + _EPS)
        )
        okp &= t[p] >= a.t0 - _EPS
        prev = np.where(okp, p, -1)
    a.prev = prev
    prev_val = np.where(prev >= 0, v[np.clip(prev, 0, None)] if len(v) else np.nan, np.nan)
    a.wrong_way = a.evaluable & (
        (a.has_target & (a.prog < 0)) | ((prev >= 0) & (toward * (a.l_val - prev_val) < -_EPS))
    )


def _growth(a: SimpleNamespace) -> None:
    """Growth: observed since the baseline, required from the latest value to the target."""
    years_obs = a.t_l - a.t0
    a.years_req = a.t_target - a.t_l
    a.obs_growth, a.obs_cagr = m.growth(a.b, a.l_val, years_obs)
    a.req_growth, a.req_cagr = m.growth(a.l_val, a.target, a.years_req)
    a.obs_per_year = m.linear_rate(a.b, a.l_val, years_obs)
    a.req_per_year = m.linear_rate(a.l_val, a.target, a.years_req)
    a.gr, a.gr_cagr = m.growth_ratio(a.b, a.l_val, a.target, years_obs, a.t_target - a.t0)
    a.g_adj = a.d * a.obs_growth


def _status_and_score(a: SimpleNamespace, t_now: float, method: str) -> None:
    """The status code and the score -5..+5 by the method; events: done, not yet due, overdue."""
    # An event's completion is known at once, so it is overdue from the day after its due date.
    done = a.has & a.is_event & (a.l_val >= 1 - _EPS)
    overdue = a.has & a.is_event & ~done & a.has_target & (t_now > a.t_target)
    a.event_state = np.where(done, "done", np.where(overdue, "overdue", "pending"))
    if method == "trajectory":
        with_target = m.classify_trajectory(
            np.where(a.flat_target, -np.inf, a.traj_ratio), a.achieved, a.wrong_way
        )
        no_target = m.classify_trend(a.g_adj)
        event = np.array([m.EVENT_TRAJECTORY_STATUS[s] for s in a.event_state], dtype=object)
        a.ratio = a.traj_ratio
    else:
        with_target = m.classify_growth_ratio(np.where(a.flat_target, -np.inf, a.gr))
        with_target[a.achieved] = "substantial"
        no_target = m.classify_no_target(a.g_adj)
        event = np.array([m.EVENT_GROWTH_STATUS[s] for s in a.event_state], dtype=object)
        a.ratio = a.gr
    status = np.where(a.is_event, event, np.where(a.has_target, with_target, no_target))
    a.status = status.astype(object)
    a.status[~a.evaluable] = "no-data"

    score = np.where(
        a.has_target,
        np.where(
            a.achieved, m.SCORE_MAX, m.score_with_target(np.where(a.flat_target, -np.inf, a.gr))
        ),
        m.score_without_target(a.g_adj),
    )
    score = np.where(a.is_event, np.array([m.EVENT_SCORES[s] for s in a.event_state], float), score)
    a.score = np.where(a.evaluable, score, np.nan)


def _projection(keys: pd.DataFrame, a: SimpleNamespace) -> pd.DataFrame:
    """Projection on the assessment points (complete years for flows), not for events; the model, the
    evidence it needs and its caps are the rules of methods.py (PROJECTION_*). Returns its parameters."""
    g, G, has, is_event = a.g, a.G, a.has, a.is_event
    use = a.complete & ~is_event[g] if len(g) else np.zeros(0, bool)
    fg, ft, fv = g[use], a.t[use], a.v[use]
    units = [unit_of(u) for u in keys["unit"]]
    grows = np.array([u.kind in ("count", "money", "quantity") and u.max is None for u in units])
    y_top = np.full(G, -np.inf)
    if len(fg):
        np.maximum.at(y_top, fg, fv)
    log_allowed = grows & (y_top >= m.PROJECTION_LOG_MIN_LEVEL)
    params = fit(fg, ft, fv, G, log_allowed=log_allowed)
    t_star = np.where(a.has_target, a.t_target, year_end(m.PROJECTION_HORIZON_YEAR))
    unit_lo = np.array([np.nan if u.min is None else u.min for u in units], float)
    unit_hi = np.array([np.nan if u.max is None else u.max for u in units], float)
    # Within MAX_MULTIPLE x max(|target|, |latest|): the band is cut there, a central value past it
    # withholds the projection.
    ref = np.fmax(np.abs(a.target), np.abs(a.l_val))
    cap = m.PROJECTION_MAX_MULTIPLE * ref
    lower = np.fmax(unit_lo, -cap)
    lower = np.where(params["y_min"].to_numpy() >= 0, np.fmax(lower, 0.0), lower)
    upper = np.fmin(unit_hi, cap)
    raw, _, _ = predict(params, t_star)
    with np.errstate(invalid="ignore"):
        implausible = (
            params["model"].notna().to_numpy() & ~np.isnan(cap) & ~(np.abs(raw) <= cap * (1 + 1e-9))
        )
    params.loc[implausible, "model"] = None
    a.proj, a.proj_low, a.proj_high = predict(params, t_star, lower=lower, upper=upper)
    params = params.assign(t_star=t_star, lower=lower, upper=upper)
    a.t_star = t_star
    n_fit = params["n"].to_numpy()
    span = (params["t_last"] - params["t_first"]).to_numpy(float)
    no_proj = has & ~is_event & params["model"].isna().to_numpy()
    proj_reason = np.where(
        ~no_proj,
        None,
        np.where(
            implausible,
            "implausible",
            np.where(
                n_fit < m.PROJECTION_MIN_POINTS,
                "too-few-points",
                np.where(np.nan_to_num(span) < m.PROJECTION_MIN_SPAN_YEARS, "too-short-span", None),
            ),
        ),
    ).astype(object)
    # Points enough and span enough but no slope (every point at the same date): too few points.
    proj_reason[no_proj & (proj_reason == None)] = "too-few-points"  # noqa: E711
    a.proj_reason = proj_reason
    return params


def _results(a: SimpleNamespace, params: pd.DataFrame) -> pd.DataFrame:
    """One row per key: every figure the status table, explain and detail read."""
    return pd.DataFrame(
        {
            "gid": a.gids,
            "n_points": a.n,
            "latest_idx": a.latest,
            "last_idx": a.last_any,
            "base_idx": a.base_idx,
            "prev_idx": a.prev,
            "latest_value": a.l_val,
            "t_latest": a.t_l,
            "baseline_value": a.b,
            "t0": a.t0,
            "baseline_from_catalog": a.from_catalog,
            "baseline_from_first": a.from_first,
            "target_value": a.target,
            "t_target": a.t_target,
            "has_target": a.has_target,
            "progress": a.prog,
            "expected_value": a.exp_l,
            "expected_progress": a.exp_prog,
            "expected_now_value": a.exp_now,
            "expected_now_progress": a.exp_now_prog,
            "gap": a.gap,
            "gap_pct": a.gap_pct,
            "gap_now": a.gap_now,
            "gap_now_pct": a.gap_now_pct,
            "ratio": a.ratio,
            "trajectory_ratio": a.traj_ratio,
            "growth_ratio": a.gr,
            "growth_ratio_cagr": a.gr_cagr,
            "achieved": a.achieved,
            "wrong_way": a.wrong_way,
            "evaluable": a.evaluable,
            "observed_growth": a.obs_growth,
            "observed_growth_cagr": a.obs_cagr,
            "required_growth": np.where(a.years_req > 0, a.req_growth, np.nan),
            "required_growth_cagr": a.req_cagr,
            "observed_change_per_year": a.obs_per_year,
            "required_change_per_year": np.where(a.years_req > 0, a.req_per_year, np.nan),
            "direction_growth": a.g_adj,
            "event_state": np.where(a.is_event & a.has, a.event_state, None),
            "status": a.status,
            "score": a.score,
            "segment_left": a.seg_l,
            "segment_right": a.seg_r,
            "projection": a.proj,
            "projection_low": a.proj_low,
            "projection_high": a.proj_high,
            "projection_model": params["model"].to_numpy(),
            "projection_reason": a.proj_reason,
            "t_star": a.t_star,
            "projected_progress": m.progress(a.proj, a.b, a.target),
        }
    )

"""Status of every (indicator, region) at once: baseline, latest, progress, trajectory, growth, score, projection.

Pure numpy over arrays sorted by group: `keys` has one row per (indicator, region) with its `gid`;
`pts` is the assessment series (series.assessment_series) of those keys.
"""

from __future__ import annotations

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
    """Returns (results per key, the points with their gid, trajectory knots, projection parameters)."""
    if method not in m.METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(m.METHODS)}")
    G = len(keys)
    pts = attach_gid(keys, pts, n_regions)
    g = pts["gid"].to_numpy(np.int64)
    t = pts["t"].to_numpy(float)
    v = pts["value"].to_numpy(float)
    complete = pts["complete"].to_numpy(bool)
    start, end = _group_index(g, G)
    n = end - start
    has = n > 0
    packed = g * _SCALE + t
    idx = np.arange(len(g))

    kind = keys["kind"].to_numpy()
    is_flow, is_event = kind == "flow", kind == "milestone"
    d = np.where(keys["direction"].to_numpy() == "down", -1.0, 1.0)

    def take(arr, i):
        return np.where(i >= 0, arr[np.clip(i, 0, None)] if len(arr) else np.nan, np.nan)

    # For flows only complete years count as a baseline or a year-ago comparison; per group, the
    # first and last complete point.
    first_complete = np.full(G, np.iinfo(np.int64).max)
    last_complete = np.full(G, -1)
    if len(g):
        np.minimum.at(first_complete, g[complete], idx[complete])
        np.maximum.at(last_complete, g[complete], idx[complete])
    first_complete = np.where(first_complete == np.iinfo(np.int64).max, -1, first_complete)

    # Baseline: the catalog's (national), else the region's value at the catalog baseline year,
    # else the first observation (flagged; for a flow the first complete year). Events have none.
    national = keys["reg"].to_numpy() == 0
    cat_by = keys["baseline_year"].to_numpy(float)
    cat_b = np.where(national & ~is_event, keys["baseline_value"].to_numpy(float), np.nan)
    from_catalog = ~np.isnan(cat_b)
    at_by = np.full(G, -1)
    look = ~from_catalog & ~np.isnan(cat_by) & has & ~is_event
    if look.any():
        q = np.arange(G)[look] * _SCALE + cat_by[look] + 1.0
        pos = np.searchsorted(packed, q)
        hit = (pos < len(packed)) & (packed[np.clip(pos, 0, len(packed) - 1)] == q)
        hit &= complete[np.clip(pos, 0, len(packed) - 1)]
        at_by[np.flatnonzero(look)[hit]] = pos[hit]
    first = np.where(is_flow & (first_complete >= 0), first_complete, np.where(has, start, -1))
    base_idx = np.where(from_catalog | is_event, -1, np.where(at_by >= 0, at_by, first))
    from_first = ~from_catalog & (at_by < 0) & has & ~is_event
    b = np.where(from_catalog, cat_b, take(v, base_idx))
    t0 = np.where(from_catalog, cat_by + 1.0, take(t, base_idx))

    # Latest: for a flow, the latest complete year when it is after the baseline, else the latest
    # (incomplete, flagged) year.
    last_any = np.where(has, end - 1, -1)
    use_complete = (
        is_flow
        & (last_complete >= 0)
        & (take(t, last_complete) > np.nan_to_num(t0, nan=-np.inf) + _EPS)
    )
    latest = np.where(use_complete, last_complete, last_any)
    l_val = take(v, latest)
    t_l = take(t, latest)

    target = keys["target"].to_numpy(float)
    t_target = keys["t_target"].to_numpy(float)
    has_target = ~np.isnan(target)
    evaluable = has & (np.where(is_event, True, t_l > t0 + _EPS))

    prog = m.progress(l_val, b, target)
    prog = np.where(
        is_event, np.where(has, l_val, np.nan), prog
    )  # an event: 0 = not done, 1 = done
    flat_target = has_target & (target == b)
    achieved = (
        has_target & evaluable & np.where(flat_target, d * (l_val - target) >= 0, prog >= 1 - _EPS)
    )

    # Trajectory (knots) at the latest date and today.
    kcols = pd.DataFrame(
        {
            "gid": keys["gid"],
            "indicator": keys["indicator"],
            "b": b,
            "t0": t0,
            "target": target,
            "t_target": t_target,
            "uses_milestones": keys["uses_milestones"],
        }
    )
    knots = build_knots(kcols[~is_event], milestones)
    gids = np.arange(G)
    exp_l, seg_l, seg_r = interpolate(knots, gids, t_l)
    exp_now, _, _ = interpolate(knots, gids, np.full(G, t_now))
    exp_prog = m.progress(exp_l, b, target)
    # Data that starts after the target date: the whole progress was expected by then.
    exp_prog = np.where(has_target & ~is_event & (t0 >= t_target), 1.0, exp_prog)
    exp_now_prog = m.progress(exp_now, b, target)
    with np.errstate(invalid="ignore", divide="ignore"):
        traj_ratio = np.where(
            exp_prog > _EPS, prog / np.where(exp_prog > _EPS, exp_prog, 1.0), np.nan
        )
        gap = l_val - exp_l
        gap_pct = np.where(exp_l != 0, gap / np.abs(np.where(exp_l != 0, exp_l, 1.0)), np.nan)
        gap_now = l_val - exp_now
        gap_now_pct = np.where(
            exp_now != 0, gap_now / np.abs(np.where(exp_now != 0, exp_now, 1.0)), np.nan
        )

    # Moving the wrong way: net since the baseline, or against the value a year (or more) before.
    toward = np.where(has_target & ~flat_target, np.sign(target - b), d)
    prev = np.full(G, -1)
    cidx = np.flatnonzero(complete)
    if len(cidx):
        q = gids * _SCALE + np.nan_to_num(t_l) - m.WRONG_WAY_LOOKBACK_YEARS + _EPS
        p = cidx[np.clip(np.searchsorted(packed[cidx], q, side="right") - 1, 0, None)]
        okp = (
            has & (g[p] == gids) & (t[p] <= np.nan_to_num(t_l) - m.WRONG_WAY_LOOKBACK_YEARS + _EPS)
        )
        okp &= t[p] >= t0 - _EPS
        prev = np.where(okp, p, -1)
    prev_val = np.where(prev >= 0, v[np.clip(prev, 0, None)] if len(v) else np.nan, np.nan)
    wrong_way = evaluable & (
        (has_target & (prog < 0)) | ((prev >= 0) & (toward * (l_val - prev_val) < -_EPS))
    )

    # Growth: observed since the baseline, required from the latest value to the target.
    years_obs = t_l - t0
    years_req = t_target - t_l
    obs_growth, obs_cagr = m.growth(b, l_val, years_obs)
    req_growth, req_cagr = m.growth(l_val, target, years_req)
    obs_per_year = m.linear_rate(b, l_val, years_obs)
    req_per_year = m.linear_rate(l_val, target, years_req)
    gr, gr_cagr = m.growth_ratio(b, l_val, target, years_obs, t_target - t0)
    g_adj = d * obs_growth

    # Events (0/1): done, not yet due, overdue (by today: an event's completion is known at once).
    done = has & is_event & (l_val >= 1 - _EPS)
    overdue = has & is_event & ~done & has_target & (t_now > t_target)
    event_state = np.where(done, "done", np.where(overdue, "overdue", "pending"))

    if method == "trajectory":
        with_target = m.classify_trajectory(
            np.where(flat_target, -np.inf, traj_ratio), achieved, wrong_way
        )
        no_target = m.classify_trend(g_adj)
        event = np.array([m.EVENT_TRAJECTORY_STATUS[s] for s in event_state], dtype=object)
        ratio = traj_ratio
    else:
        with_target = m.classify_growth_ratio(np.where(flat_target, -np.inf, gr))
        with_target[achieved] = "substantial"
        no_target = m.classify_no_target(g_adj)
        event = np.array([m.EVENT_GROWTH_STATUS[s] for s in event_state], dtype=object)
        ratio = gr
    status = np.where(is_event, event, np.where(has_target, with_target, no_target)).astype(object)
    status[~evaluable] = "no-data"

    score = np.where(
        has_target,
        np.where(achieved, m.SCORE_MAX, m.score_with_target(np.where(flat_target, -np.inf, gr))),
        m.score_without_target(g_adj),
    )
    score = np.where(is_event, np.array([m.EVENT_SCORES[s] for s in event_state], float), score)
    score = np.where(evaluable, score, np.nan)

    # Projection on the assessment points (complete years for flows), not for events; the model,
    # the evidence it needs and its caps are the rules of methods.py (PROJECTION_*).
    use = complete & ~is_event[g] if len(g) else np.zeros(0, bool)
    fg, ft, fv = g[use], t[use], v[use]
    units = [unit_of(u) for u in keys["unit"]]
    grows = np.array([u.kind in ("count", "money", "quantity") and u.max is None for u in units])
    y_top = np.full(G, -np.inf)
    if len(fg):
        np.maximum.at(y_top, fg, fv)
    log_allowed = grows & (y_top >= m.PROJECTION_LOG_MIN_LEVEL)
    params = fit(fg, ft, fv, G, log_allowed=log_allowed)
    t_star = np.where(has_target, t_target, year_end(m.PROJECTION_HORIZON_YEAR))
    unit_lo = np.array([np.nan if u.min is None else u.min for u in units], float)
    unit_hi = np.array([np.nan if u.max is None else u.max for u in units], float)
    # Within MAX_MULTIPLE x max(|target|, |latest|): the band is cut there, a central value past it
    # withholds the projection.
    ref = np.fmax(np.abs(target), np.abs(l_val))
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
    proj, proj_low, proj_high = predict(params, t_star, lower=lower, upper=upper)
    params = params.assign(t_star=t_star, lower=lower, upper=upper)
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

    # An event is done or not: growth rates and ratios of a 0/1 series mean nothing.
    for arr in (
        ratio,
        traj_ratio,
        gr,
        obs_growth,
        req_growth,
        obs_per_year,
        req_per_year,
        g_adj,
        exp_prog,
        exp_now_prog,
        exp_l,
        exp_now,
        gap,
        gap_pct,
        gap_now,
        gap_now_pct,
    ):
        arr[is_event] = np.nan

    res = pd.DataFrame(
        {
            "gid": gids,
            "n_points": n,
            "latest_idx": latest,
            "last_idx": last_any,
            "base_idx": base_idx,
            "prev_idx": prev,
            "latest_value": l_val,
            "t_latest": t_l,
            "baseline_value": b,
            "t0": t0,
            "baseline_from_catalog": from_catalog,
            "baseline_from_first": from_first,
            "target_value": target,
            "t_target": t_target,
            "has_target": has_target,
            "progress": prog,
            "expected_value": exp_l,
            "expected_progress": exp_prog,
            "expected_now_value": exp_now,
            "expected_now_progress": exp_now_prog,
            "gap": gap,
            "gap_pct": gap_pct,
            "gap_now": gap_now,
            "gap_now_pct": gap_now_pct,
            "ratio": ratio,
            "trajectory_ratio": traj_ratio,
            "growth_ratio": gr,
            "growth_ratio_cagr": gr_cagr,
            "achieved": achieved,
            "wrong_way": wrong_way,
            "evaluable": evaluable,
            "observed_growth": obs_growth,
            "observed_growth_cagr": obs_cagr,
            "required_growth": np.where(years_req > 0, req_growth, np.nan),
            "required_growth_cagr": req_cagr,
            "observed_change_per_year": obs_per_year,
            "required_change_per_year": np.where(years_req > 0, req_per_year, np.nan),
            "direction_growth": g_adj,
            "event_state": np.where(is_event & has, event_state, None),
            "status": status,
            "score": score,
            "segment_left": seg_l,
            "segment_right": seg_r,
            "projection": proj,
            "projection_low": proj_low,
            "projection_high": proj_high,
            "projection_model": params["model"].to_numpy(),
            "projection_reason": proj_reason,
            "t_star": t_star,
            "projected_progress": m.progress(proj, b, target),
        }
    )
    return res, pts, knots, params

"""One indicator in full (national or one region): series with provenance, trajectory, projection, status and
explain, as the typed Detail of kpis/contract.py."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from . import methods as m
from .compute import Computation, _today, compute
from .contract import Detail
from .explain import PROVENANCE, _num, _str, _year_of
from .inputs import KpiInputs
from .periods import t_to_iso
from .projection import predict
from .series import labelled, period_labels
from .table import table
from .trajectory import line as trajectory_line


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


def _records(frame: pd.DataFrame, cols) -> list[dict]:
    text = ("period", "last_period", "date", "file", "sheet", "source", "loaded_at", "user_name")
    return [
        {c: (_str(v) if c in text else _num(v)) for c, v in zip(cols, row, strict=True)}
        for row in frame[list(cols)].itertuples(index=False)
    ]


PERIOD_COLUMNS = (
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
YEAR_COLUMNS = (
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
    quarterly, yearly = _series(c, region)
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
        "quarterly": quarterly,
        "yearly": yearly,
        "trajectory": _trajectory(c, gid, r, today, step=info["kind"] == "milestone"),
        "projection": _projection(c, gid, r),
        "status": {
            k2: (_num(v) if not isinstance(v, (str, list)) else v) for k2, v in status.items()
        },
        "explain": explain,
    }


def _series(c: Computation, region: str) -> tuple[list[dict], list[dict]]:
    """The reported periods and the yearly roll-up of one key, each point with its provenance."""
    reg_code = (
        0
        if not region
        else int(np.flatnonzero(c.inputs.regions["iso"].to_numpy() == region)[0]) + 1
    )
    native = _with_provenance(c, c.native[c.native["reg"].to_numpy() == reg_code])
    yr = c.yearly[c.yearly["reg"].to_numpy() == reg_code]
    yr = _with_provenance(c, yr.assign(quarter=0, incomplete=~yr["complete"].to_numpy(bool)))
    yr["last_period"] = period_labels(yr["last_year"], yr["last_quarter"]) if len(yr) else []
    return _records(native, PERIOD_COLUMNS), _records(yr, YEAR_COLUMNS)


def _trajectory(c: Computation, gid: int, r: pd.Series, today: dt.date, *, step: bool) -> dict:
    """The knots (baseline, milestones, target), the expected path through them and today's point."""
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
    return {
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
        "step": step,
    }


def _projection(c: Computation, gid: int, r: pd.Series) -> dict:
    """The projection to the target date with its band, on a yearly grid from the latest point."""
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
    return {
        "model": _str(p["model"].iloc[0]),
        "reason": _str(r["projection_reason"]),
        "target_date": t_to_iso(r["t_star"]),
        "value": _num(r["projection"]),
        "low": _num(r["projection_low"]),
        "high": _num(r["projection_high"]),
        "points": proj_points,
        "band": m.PROJECTION_PARAMETERS["band"],
    }

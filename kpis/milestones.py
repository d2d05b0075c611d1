"""Roadmap milestones: events, intermediate milestones and final targets, each done (with its date), due or overdue."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .engine import _today, compute
from .inputs import KpiInputs
from .periods import decimal_year, t_to_iso
from .series import period_labels

MILESTONE_COLUMNS = (
    "indicator",
    "programme",
    "pillar",
    "type",
    "year",
    "due_date",
    "value",
    "unit",
    "direction",
    "status",
    "done_period",
    "done_date",
    "on_time",
    "latest_period",
    "latest_value",
    "flags",
)


def milestones_table(inputs: KpiInputs, *, today: dt.date | None = None) -> pd.DataFrame:
    """One row per dated commitment of the national series: an event (0/1 indicator, due at its target
    year), an intermediate milestone (catalog milestones) or a final target.

    Done = the first reported point (a year for flows, a period otherwise) at or beyond the value in
    the indicator's direction; `done_date` is that period's end and `on_time` whether it was by
    31 December of the due year. Not done: `due` until 31 December of its year, then `overdue`.
    Flags: demo (the point that completed it is DEMO), assumption-target, derived-national.
    """
    today = _today(today if today is not None else inputs.as_of)
    c = compute(inputs, today=today, by_region=False)
    items = _items(c.keys, inputs.milestones)
    first = _first_reached(items, c.points)
    res = c.results
    has = res["latest_idx"].to_numpy() >= 0
    latest_period = _latest_periods(c)
    t_now = decimal_year(today)
    out = []
    for it in items.itertuples(index=False):
        g = int(it.gid)
        out.append(
            {
                **_item_status(it, first, t_now),
                "latest_period": latest_period[g],
                "latest_value": float(res.at[g, "latest_value"]) if has[g] else None,
            }
        )
    frame = pd.DataFrame(out, columns=list(MILESTONE_COLUMNS))
    return frame.sort_values(["due_date", "indicator", "type"], kind="stable").reset_index(
        drop=True
    )


ITEM_KEYS = (
    "gid",
    "indicator",
    "programme",
    "pillar",
    "unit",
    "direction",
    "kind",
    "confidence",
    "target_value",
    "target_year",
)
ITEM_COLUMNS = (
    "gid",
    "indicator",
    "programme",
    "pillar",
    "unit",
    "direction",
    "confidence",
    "type",
    "year",
    "value",
)


def _items(keys: pd.DataFrame, milestones: pd.DataFrame) -> pd.DataFrame:
    """Every dated commitment: each target (an event's is its due date) and each catalog milestone."""
    ind = keys[list(ITEM_KEYS)]
    targets = ind[ind["target_value"].notna()]
    rows = [
        targets.assign(
            type=np.where(targets["kind"] == "milestone", "event", "target"),
            year=targets["target_year"].astype(int),
            value=targets["target_value"],
        ),
    ]
    ms = milestones.merge(ind, on="indicator")
    if len(ms):
        rows.append(ms.assign(type="milestone"))
    items = pd.concat(rows, ignore_index=True)[list(ITEM_COLUMNS)]
    return items.reset_index(drop=True).assign(item=lambda f: np.arange(len(f)))


def _first_reached(items: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Per item (index): the first assessment point at or beyond its value in the indicator's direction."""
    pts = points[["gid", "t", "value", "year", "quarter", "demo", "derived"]].rename(
        columns={"value": "point_value", "year": "p_year", "quarter": "p_quarter"}
    )
    pairs = items[["item", "gid", "direction", "value"]].merge(pts, on="gid")
    up = pairs["direction"].to_numpy() != "down"
    reached = np.where(
        up,
        pairs["point_value"] >= pairs["value"] - 1e-9,
        pairs["point_value"] <= pairs["value"] + 1e-9,
    )
    return (
        pairs[reached]
        .sort_values(["item", "t"])
        .drop_duplicates("item", keep="first")
        .set_index("item")
    )


def _latest_periods(c) -> np.ndarray:
    """Per key: the latest value's period label, None without data."""
    latest_idx = c.results["latest_idx"].to_numpy()
    p_all = c.points
    if not len(p_all):
        return np.full(len(c.results), None)
    li = np.clip(latest_idx, 0, None)
    labels = period_labels(p_all["year"].to_numpy()[li], p_all["quarter"].to_numpy()[li])
    return np.where(latest_idx >= 0, labels, None)


def _item_status(it, first: pd.DataFrame, t_now: float) -> dict:
    """One item's row without its latest value: done (when, on time), else due or overdue, and flags."""
    due_t = float(it.year) + 1.0
    flags = []
    if it.item in first.index:
        f = first.loc[it.item]
        done_t = float(f["t"])
        status = "done"
        done_period = period_labels([f["p_year"]], [f["p_quarter"]])[0]
        if f["demo"]:
            flags.append("demo")
        if f["derived"]:
            flags.append("derived-national")
    else:
        done_t, done_period = None, None
        status = "overdue" if t_now > due_t + 1e-9 else "due"
    if it.confidence == "assumption" and it.type != "milestone":
        flags.append("assumption-target")
    return {
        "indicator": it.indicator,
        "programme": it.programme,
        "pillar": it.pillar,
        "type": it.type,
        "year": int(it.year),
        "due_date": dt.date(int(it.year), 12, 31).isoformat(),
        "value": float(it.value),
        "unit": it.unit,
        "direction": it.direction,
        "status": status,
        "done_period": done_period,
        "done_date": t_to_iso(done_t),
        "on_time": None if done_t is None else bool(done_t <= due_t + 1e-9),
        "flags": flags,
    }

"""Pillar and programme roll-up of a status table: counts by status, mean score and what drives it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .methods import STATUS_CODES

ROLLUP_COLUMNS = (
    "level",
    "programme",
    "pillar",
    "indicators",
    *STATUS_CODES,
    "scored",
    "mean_score",
    "drivers",
    "no_score",
    "demo",
)


def _drivers(group: pd.DataFrame) -> tuple[list[dict], list[str]]:
    scored = group[group["score"].notna()]
    n = len(scored)
    drivers = [
        {"indicator": i, "status": s, "score": float(sc), "contribution": float(sc) / n}
        for i, s, sc in zip(scored["indicator"], scored["status"], scored["score"], strict=True)
    ]
    # Largest pull on the mean first (either way); code order breaks ties so row order never matters.
    drivers.sort(key=lambda d: (-abs(d["contribution"]), d["indicator"]))
    return drivers, sorted(group.loc[group["score"].isna(), "indicator"])


def _row(level: str, programme: str, pillar: str, group: pd.DataFrame) -> dict:
    counts = group["status"].value_counts()
    drivers, no_score = _drivers(group)
    scores = group["score"].dropna().to_numpy(float)
    # Summed in sorted order: the mean is then bit-for-bit the same whatever the input row order.
    mean = math.fsum(np.sort(scores)) / len(scores) if len(scores) else np.nan
    return {
        "level": level,
        "programme": programme,
        "pillar": pillar,
        "indicators": len(group),
        **{s: int(counts.get(s, 0)) for s in STATUS_CODES},
        "scored": len(scores),
        "mean_score": mean,
        "drivers": drivers,
        "no_score": no_score,
        "demo": bool(group["demo"].any()) if "demo" in group else False,
    }


def pillar_rollup(status_df: pd.DataFrame) -> pd.DataFrame:
    """Per pillar, then per programme (pillar ''): number of indicators, count of each status code,
    mean score (-5..+5) of the indicators that have one, and the drivers (each indicator's score and
    its share of the mean, largest pull first). National rows only; regional rows are ignored."""
    df = status_df
    if "region" in df.columns:
        df = df[df["region"].fillna("") == ""]
    rows = []
    for (programme, pillar), group in df.groupby(["programme", "pillar"], sort=True):
        rows.append(_row("pillar", programme, pillar, group))
    for programme, group in df.groupby("programme", sort=True):
        rows.append(_row("programme", programme, "", group))
    out = pd.DataFrame(rows, columns=list(ROLLUP_COLUMNS))
    return out.sort_values(
        ["programme", "level", "pillar"], ascending=[True, False, True]
    ).reset_index(drop=True)

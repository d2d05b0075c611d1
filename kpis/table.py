"""The status table of a computation: one row per (indicator, region), STATUS_COLUMNS, with its explain dicts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .compute import Computation
from .explain import explanations
from .periods import t_to_iso
from .series import period_labels

STATUS_COLUMNS = (
    "indicator",
    "region",
    "programme",
    "pillar",
    "unit",
    "direction",
    "kind",
    "frequency",
    "due_days",
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


def table(c: Computation, *, explain: bool = True) -> pd.DataFrame:
    """The status DataFrame of a computation (STATUS_COLUMNS; explain dicts unless explain=False)."""
    k, r = c.keys, c.results
    latest_period, latest_regions = _latest_columns(c)
    t0 = r["t0"].to_numpy()
    base_year = np.where(r["baseline_from_catalog"], k["baseline_year"], np.ceil(t0 - 1e-9) - 1)
    progress = r["progress"].to_numpy()
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
            "due_days": pd.array(k["due_days"], dtype="Int64")
            if "due_days" in k.columns
            else pd.array([None] * len(k), dtype="Int64"),
            "latest_period": pd.Series(latest_period, dtype=object),
            "latest_date": pd.Series([t_to_iso(x) for x in r["t_latest"].tolist()], dtype=object),
            "latest_value": r["latest_value"],
            "latest_regions": latest_regions,
            "regions_total": len(c.inputs.regions),
            "partial_value": r["partial_value"],
            "partial_period": r["partial_period"],
            "partial_regions": r["partial_regions"],
            "baseline_value": r["baseline_value"],
            "baseline_from": pd.Series(_baseline_from(r), dtype=object),
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


def _latest_columns(c: Computation) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the latest value's period label (None without data) and, for a national value derived
    from the regions, how many regions it covers (NaN otherwise)."""
    r, pts, n = c.results, c.points, len(c.keys)
    has = r["n_points"].to_numpy() > 0
    if not len(pts):
        return np.full(n, None), np.full(n, np.nan)
    li = np.clip(r["latest_idx"].to_numpy(), 0, None)
    labels = period_labels(pts["year"].to_numpy()[li], pts["quarter"].to_numpy()[li])
    derived = pts["derived"].to_numpy(bool)[li] & has
    return np.where(has, labels, None), np.where(
        derived, pts["n_regions"].to_numpy(float)[li], np.nan
    )


def _baseline_from(r: pd.DataFrame) -> np.ndarray:
    return np.where(
        r["baseline_from_catalog"],
        "catalog",
        np.where(
            r["baseline_from_first"],
            "first-observation",
            np.where(np.isnan(r["baseline_value"].to_numpy(float)), None, "baseline-year"),
        ),
    )

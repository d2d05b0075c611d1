"""Original and current targets: each indicator's catalog target beside the one in force after admins' changes
(with the date, author and source of the change), and progress read against either."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Literal

import numpy as np
import pandas as pd

from .inputs import KpiInputs

Which = Literal["current", "original"]
HISTORY_COLUMNS = [
    "code",
    "original_year",
    "original_value",
    "current_year",
    "current_value",
    "changed",
    "changed_at",
    "changed_by",
    "source",
    "reason",
]


def target_history(original: pd.DataFrame, revisions: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator (HISTORY_COLUMNS): `original` is the catalog's indicator table (code, target_year,
    target_value); `revisions` the loaders.targets.revisions frame. The last live target change gives the
    current target and its date, author, source and reason; without one, current = original."""
    live = revisions[(revisions["kind"] == "target") & revisions["undone_at"].isna()]
    last = live.groupby("indicator").tail(1).set_index("indicator") if not live.empty else None
    rows = []
    for code, year, value in zip(
        original["code"], original["target_year"], original["target_value"], strict=True
    ):
        oy = None if pd.isna(year) else int(year)
        ov = None if pd.isna(value) else float(value)
        row = dict.fromkeys(HISTORY_COLUMNS)
        row.update(code=code, original_year=oy, original_value=ov, current_year=oy)
        row.update(current_value=ov, changed=False)
        if last is not None and code in last.index:
            r = last.loc[code]
            row.update(
                current_year=int(r["target_year"]),
                current_value=float(r["target_value"]),
                changed=True,
                changed_at=r["changed_at"],
                changed_by=r["changed_by"],
                source=r["source"],
                reason=r["reason"],
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def with_target(inputs: KpiInputs, history: pd.DataFrame, target: Which = "current") -> KpiInputs:
    """The same inputs with every indicator's target set to its original or current one."""
    if target not in ("current", "original"):
        raise ValueError(f"target must be 'current' or 'original', not {target!r}")
    h = history.set_index("code")
    ind = inputs.indicators.copy()
    years = ind["code"].map(h[f"{target}_year"])
    values = ind["code"].map(h[f"{target}_value"])
    known = ind["code"].isin(h.index)
    ind["target_year"] = np.where(known, pd.to_numeric(years), ind["target_year"]).astype(float)
    ind["target_value"] = np.where(known, pd.to_numeric(values), ind["target_value"]).astype(float)
    return replace(inputs, indicators=ind)


def progress(
    inputs: KpiInputs,
    history: pd.DataFrame,
    *,
    target: Which = "current",
    today: dt.date | None = None,
    method: str | None = None,
) -> pd.Series:
    """National progress per indicator code (share of the way from baseline to target, NaN when unknown),
    read against the original or the current target; the engine's own computation."""
    from .engine import status_table

    chosen = with_target(inputs, history, target)
    kw = {"method": method} if method else {}
    table = status_table(chosen, today=today, explain=False, **kw)
    national = table[table["region"].fillna("") == ""]
    return national.set_index("indicator")["progress"]


def load_target_history(store, as_of=None) -> pd.DataFrame:
    """target_history for a store: its catalog's targets and the revisions made (and not undone) by `as_of`."""
    from loaders.targets import revisions

    original = store.read_table("indicator")[["code", "target_year", "target_value"]]
    return target_history(original, revisions(store, as_of=as_of))

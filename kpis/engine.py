"""The public KPI computations the pages and the CLI call: the status table and one indicator's detail.

The work is done in compute.py (the pipeline and flags), table.py (the status rows), explain.py (the
explain dicts) and detail.py (one indicator); the names below are re-exported from there.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from . import methods as m
from .compute import Computation, _today, compute
from .detail import indicator_detail
from .explain import PROVENANCE, _no_gc, _num, _year_of, explanations
from .inputs import KpiInputs
from .table import STATUS_COLUMNS, table


def status_table(
    inputs: KpiInputs,
    *,
    today: dt.date | None = None,
    method: str = m.DEFAULT_METHOD,
    by_region: bool = False,
    explain: bool = True,
) -> pd.DataFrame:
    """One row per indicator (national), plus one per region of each regional indicator with by_region.

    `today` is the evaluation date (for an as-of view: the as-of date); it dates "expected now", the
    due/overdue events and staleness. Columns: STATUS_COLUMNS.
    """
    today = _today(today if today is not None else inputs.as_of)
    with _no_gc():
        return table(
            compute(inputs, today=today, method=method, by_region=by_region), explain=explain
        )


__all__ = [
    "PROVENANCE",
    "STATUS_COLUMNS",
    "Computation",
    "_num",
    "_today",
    "_year_of",
    "compute",
    "explanations",
    "indicator_detail",
    "status_table",
    "table",
]

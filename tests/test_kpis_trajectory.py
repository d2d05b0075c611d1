"""The expected path: straight lines from the baseline through each milestone to the target."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kpis.engine import indicator_detail, status_table
from kpis.inputs import inputs_from_records
from kpis.trajectory import build_knots, expected_value, interpolate

JOBS = {
    "code": "DM.JOBS",
    "baseline_year": 2022,
    "baseline_value": 14_000,
    "target_year": 2030,
    "target_value": 240_000,
    "frequency": "quarterly",
}
MILESTONES = [{"indicator": "DM.JOBS", "year": 2026, "value": 190_000}]


def _knots():
    keys = pd.DataFrame(
        {
            "gid": [0],
            "indicator": ["DM.JOBS"],
            "b": [14_000.0],
            "t0": [2023.0],
            "target": [240_000.0],
            "t_target": [2031.0],
            "uses_milestones": [True],
        }
    )
    ms = pd.DataFrame(
        MILESTONES + [{"indicator": "DM.JOBS", "year": 2021, "value": 1.0}]
    )  # 2021: before baseline
    return build_knots(keys, ms)


def test_knots_run_from_baseline_through_milestones_to_target():
    k = _knots()
    assert k[["t", "value", "kind"]].values.tolist() == [
        [2023.0, 14_000.0, "baseline"],
        [2027.0, 190_000.0, "milestone"],
        [2031.0, 240_000.0, "target"],
    ]


def test_expected_value_is_linear_between_knots_and_flat_outside():
    k = _knots()
    t = np.array([2020.0, 2023.0, 2025.0, 2027.0, 2029.0, 2031.0, 2035.0])
    val, _, _ = interpolate(k, np.zeros(len(t), int), t)
    # end 2024: halfway from the 2022 baseline to the 2026 milestone; end 2028: halfway to the target
    assert val.tolist() == [14_000, 14_000, 102_000, 190_000, 215_000, 240_000, 240_000]
    assert expected_value(indicator_detail_knots(), dt.date(2024, 12, 31)) == 102_000


def indicator_detail_knots():
    inp = inputs_from_records(
        [JOBS],
        [{"indicator": "DM.JOBS", "period": "2024-Q4", "value": 90_000}],
        milestones=MILESTONES,
    )
    return indicator_detail(inp, "DM.JOBS", today=dt.date(2025, 5, 1))["trajectory"]["knots"]


def test_status_uses_the_milestone_segment_and_says_so():
    inp = inputs_from_records(
        [JOBS],
        [{"indicator": "DM.JOBS", "period": "2024-Q4", "value": 90_000}],
        milestones=MILESTONES,
    )
    row = status_table(inp, today=dt.date(2025, 5, 1)).iloc[0]
    # expected at end 2024 = 102,000: progress (90,000-14,000)/226,000 vs expected 88,000/226,000
    assert row["expected_value"] == 102_000
    assert row["progress"] == pytest.approx(76_000 / 226_000)
    assert row["expected_progress"] == pytest.approx(88_000 / 226_000)
    assert row["ratio"] == pytest.approx(76 / 88)
    assert row["status"] == "needs-acceleration"
    assert row["gap"] == -12_000 and row["gap_pct"] == pytest.approx(-12_000 / 102_000)
    used = row["explain"]["milestone_used"]
    assert used["left"]["kind"] == "baseline" and used["right"] == {
        "kind": "milestone",
        "date": "2026-12-31",
        "value": 190_000.0,
    }
    assert row["explain"]["milestones"] == [{"year": 2026, "value": 190_000.0}]


def test_detail_line_covers_every_quarter_end_from_baseline_to_target():
    inp = inputs_from_records(
        [JOBS],
        [{"indicator": "DM.JOBS", "period": "2024-Q4", "value": 90_000}],
        milestones=MILESTONES,
    )
    line = indicator_detail(inp, "DM.JOBS", today=dt.date(2025, 5, 1))["trajectory"]["line"]
    assert line[0] == {"t": 2023.0, "date": "2022-12-31", "value": 14_000.0}
    assert line[-1]["date"] == "2030-12-31" and line[-1]["value"] == 240_000.0
    assert len(line) == 8 * 4 + 1
    assert {"t": 2027.0, "date": "2026-12-31", "value": 190_000.0} in line

"""Projection: weighted least squares (recent points weigh more), linear or log-linear, with a band."""

import datetime as dt
import math

import numpy as np
import pytest

from kpis.engine import status_table
from kpis.inputs import inputs_from_records
from kpis.projection import fit, predict


def _one(t, y, *, log_allowed=True, half_life=2.0):
    g = np.zeros(len(t), int)
    return fit(
        g,
        np.asarray(t, float),
        np.asarray(y, float),
        1,
        log_allowed=[log_allowed],
        half_life=half_life,
    )


def test_weighted_fit_matches_a_hand_computation():
    # t = 0, 1, 2 (from 2020); y = 0, 2, 1; half-life 1 year: weights 1/4, 1/2, 1 (ratio 1:2:4).
    # Weighted means t = 10/7, y = 8/7; Sxy = 12/49, Sxx = 78/49 (weights normalised to sum 3),
    # slope 2/13; at 2030: 8/7 + (2/13)(10 - 10/7) = 224/91.
    # Residuals -84/91, 84/91, -21/91 -> weighted SSE 108/91, s^2 = SSE / (3 - 2).
    p = _one([2020, 2021, 2022], [0, 2, 1], half_life=1.0)
    assert p.at[0, "model"] == "linear"  # a zero value: no log-linear fit
    assert p.at[0, "slope"] == pytest.approx(2 / 13)
    val, low, high = predict(p, [2030.0])
    assert val[0] == pytest.approx(224 / 91)
    half = math.sqrt(108 / 91 * (1 + 1 / 3 + (60 / 7) ** 2 / (78 / 49)))
    assert high[0] - val[0] == pytest.approx(half)
    assert val[0] - low[0] == pytest.approx(half)


def test_recent_points_weigh_more():
    # The same points; a short half-life follows the last two points more than a long one does.
    short = predict(_one([2020, 2021, 2022], [0, 2, 1], half_life=0.5), [2030.0])[0][0]
    long = predict(_one([2020, 2021, 2022], [0, 2, 1], half_life=1e9), [2030.0])[0][0]
    assert long == pytest.approx(1 + 0.5 * (2030 - 2021))  # OLS: slope 0.5 through (2021, 1)
    assert short < long


def test_straight_line_is_projected_exactly_with_no_band():
    p = _one([2020, 2021, 2022, 2023, 2024], [10, 12, 14, 16, 18])
    assert p.at[0, "model"] == "linear"
    val, low, high = predict(p, [2030.0])
    assert (
        val[0] == pytest.approx(30) and low[0] == pytest.approx(30) and high[0] == pytest.approx(30)
    )


def test_multiplicative_growth_is_projected_log_linear():
    y = [100 * 1.1**k for k in range(5)]
    p = _one([2020, 2021, 2022, 2023, 2024], y)
    assert p.at[0, "model"] == "log-linear"
    assert predict(p, [2030.0])[0][0] == pytest.approx(100 * 1.1**10)
    # percentages and ranks stay linear however they grow
    assert _one([2020, 2021, 2022, 2023, 2024], y, log_allowed=False).at[0, "model"] == "linear"


def test_fewer_than_three_points_give_no_projection():
    p = _one([2020, 2021], [1, 2])
    assert p["model"].isna().all()
    assert all(math.isnan(x[0]) for x in predict(p, [2030.0]))


def test_status_projects_to_the_target_year_and_clips_percentages():
    inp = inputs_from_records(
        [
            {"code": "X.PCT", "unit": "%", "target_year": 2030, "target_value": 90},
            {"code": "X.FEW", "target_year": 2030, "target_value": 90},
        ],
        [
            {"indicator": "X.PCT", "period": str(y), "value": v}
            for y, v in ((2021, 40), (2022, 60), (2023, 80))
        ]
        + [{"indicator": "X.FEW", "period": "2023", "value": 1}],
    )
    st = status_table(inp, today=dt.date(2024, 6, 1)).set_index("indicator")
    assert st.at["X.PCT", "projection"] == 100.0  # +20/yr would pass 100 %: clipped
    assert st.at["X.PCT", "projection_model"] == "linear"
    assert math.isnan(st.at["X.FEW", "projection"]) and "too-few-points" in st.at["X.FEW", "flags"]
    ex = st.at["X.PCT", "explain"]["projection"]
    assert ex["date"] == "2030-12-31" and ex["points"] == 3 and "not a probability" in ex["band"]

"""Projection: weighted least squares (recent points weigh more), linear or log-linear, with a band."""

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
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


# -- the projection rules (methods.PROJECTION_*), over the whole catalog ---------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402

from kpis import methods as m  # noqa: E402
from kpis.inputs import inputs_from_catalog  # noqa: E402
from loaders.catalog import load_catalog  # noqa: E402

CATALOG = load_catalog()
PROJECTED = [i for i in CATALOG.indicators if i.kind != "milestone"]


def _within_rules(row, unit) -> None:
    """The projection and its band inside the unit's range and MAX_MULTIPLE x max(|target|, |latest|),
    or no projection and a stated reason."""
    proj, low, high = row["projection"], row["projection_low"], row["projection_high"]
    if math.isnan(proj):
        assert row["projection_reason"] in m.PROJECTION_REASONS or row["n_points"] == 0
        return
    target = 0.0 if math.isnan(row["target_value"]) else abs(row["target_value"])
    cap = m.PROJECTION_MAX_MULTIPLE * max(target, abs(row["latest_value"]))
    for x in (proj, low, high):
        if math.isnan(x):
            continue
        assert unit.violation(x) in (None, "not-whole"), (row["indicator"], x)
        assert abs(x) <= cap * (1 + 1e-9), (row["indicator"], x, cap)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ind=hs.sampled_from(PROJECTED),
    start=hs.integers(2015, 2026),
    quarterly=hs.booleans(),
    n=hs.integers(1, 12),
    data=hs.data(),
)
def test_any_catalog_indicator_and_plausible_series_projects_inside_the_rules(
    ind, start, quarterly, n, data
):
    unit = CATALOG.unit(ind.code)
    lo = unit.min if unit.min is not None else 0.0
    hi = unit.max if unit.max is not None else 10 * (ind.target_value or 1000)
    values = data.draw(
        hs.lists(
            hs.floats(lo, hi, allow_nan=False, allow_infinity=False),
            min_size=n,
            max_size=n,
        )
    )
    if unit.whole:
        values = [float(round(v)) for v in values]
    if quarterly:
        periods = [f"{start + k // 4}-Q{k % 4 + 1}" for k in range(n)]
    else:
        periods = [str(start + k) for k in range(n)]
    obs = pd.DataFrame({"indicator": ind.code, "period": periods, "region": "", "value": values})
    st = status_table(inputs_from_catalog(CATALOG, obs), today=dt.date(2027, 1, 15), explain=False)
    _within_rules(st[st["indicator"] == ind.code].iloc[0], unit)


def test_five_institutes_are_not_projected_to_a_hundred_thousand():
    # The real published openings: 1 (2025-Q2), 2, 3, 5 (2026-Q1), target 12 by 2030. A constant
    # growth fitted to them projected 100,383 institutes in 2030.
    published = pd.DataFrame(
        [
            {
                "indicator": o.indicator,
                "period": o.period,
                "region": o.region or "",
                "value": o.value,
            }
            for _row, o in CATALOG.observations
        ]
    )
    st = status_table(inputs_from_catalog(CATALOG, published), today=dt.date(2026, 4, 1))
    jazari = st[st["indicator"] == "IA.JAZARI"].iloc[0]
    assert math.isnan(jazari["projection"]) and jazari["projection_reason"] == "too-short-span"
    assert "too-short-span" in jazari["flags"]


def test_small_counts_never_get_a_constant_growth_model():
    # 2, 4, 8, 16 institutes over four years: doubling each year, but a count below
    # PROJECTION_LOG_MIN_LEVEL follows a straight line (+4.6 a year), never 2^n.
    inp = inputs_from_records(
        [{"code": "X.INST", "unit": "institutes", "target_year": 2030, "target_value": 12}],
        [
            {"indicator": "X.INST", "period": str(y), "value": v}
            for y, v in ((2021, 2), (2022, 4), (2023, 8), (2024, 16))
        ],
    )
    row = status_table(inp, today=dt.date(2025, 3, 1)).iloc[0]
    assert row["projection_model"] == "linear"
    assert row["projection"] <= m.PROJECTION_MAX_MULTIPLE * 16


def test_a_runaway_trend_is_withheld_with_its_reason():
    # 10, 100, 1,000, 10,000 jobs: the constant-growth fit reaches 10^10 by 2030, far past 5 x the
    # target (50,000): no projection, and the reason says why.
    inp = inputs_from_records(
        [{"code": "X.JOBS", "unit": "jobs", "target_year": 2030, "target_value": 50_000}],
        [
            {"indicator": "X.JOBS", "period": str(y), "value": v}
            for y, v in ((2021, 10), (2022, 100), (2023, 1_000), (2024, 10_000))
        ],
    )
    row = status_table(inp, today=dt.date(2025, 3, 1)).iloc[0]
    assert math.isnan(row["projection"]) and row["projection_reason"] == "implausible"
    assert "implausible-projection" in row["flags"]


def test_a_rank_is_never_projected_below_first():
    inp = inputs_from_records(
        [{"code": "X.RANK", "unit": "rank", "direction": "down", "frequency": "annual"}],
        [
            {"indicator": "X.RANK", "period": str(y), "value": v}
            for y, v in ((2021, 10), (2022, 8), (2023, 6), (2024, 4))
        ],
    )
    row = status_table(inp, today=dt.date(2025, 3, 1)).iloc[0]
    # -2 a year reaches -8 by 2030: held at first place, never 0 or below.
    assert row["projection"] == 1 and row["projection_low"] == 1


def test_status_of_a_fresh_database_has_no_projection_outside_the_rules(tmp_path, capsys):
    from kpis.__main__ import main

    assert main(["status", "--json", "--db", str(tmp_path / "fresh.duckdb")]) == 0
    for rec in json.loads(capsys.readouterr().out):
        if rec["projection"] is None:
            continue
        unit = CATALOG.unit(rec["indicator"])
        ref = max(abs(rec["target_value"] or 0), abs(rec["latest_value"]))
        for x in (rec["projection"], rec["projection_low"], rec["projection_high"]):
            assert unit.violation(x) in (None, "not-whole")
            assert abs(x) <= m.PROJECTION_MAX_MULTIPLE * ref

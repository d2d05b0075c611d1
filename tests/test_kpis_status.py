"""Status of an indicator against hand-computed values: progress, trajectory, growth ratio, flags."""

import datetime as dt
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kpis.engine import status_table
from kpis.inputs import inputs_from_records

REGIONS = [
    {"iso": "MA-01", "population_2024": 100_000},
    {"iso": "MA-02", "population_2024": 300_000},
]


def _row(indicator, obs, today, method="trajectory", milestones=None, **kw):
    inp = inputs_from_records(
        [indicator], obs, milestones=milestones, regions=kw.pop("regions", None)
    )
    st_ = status_table(inp, today=today, method=method, **kw)
    return st_.iloc[0] if len(st_) == 1 else st_


def _o(code, *pairs, region=""):
    return [{"indicator": code, "period": p, "value": v, "region": region} for p, v in pairs]


OSI = {
    "code": "DM.OSI_RANK",
    "unit": "rank",
    "direction": "down",
    "frequency": "biennial",
    "baseline_year": 2022,
    "baseline_value": 113,
    "target_year": 2030,
    "target_value": 50,
}


def test_rank_down_indicator_113_to_50_at_90_in_2024():
    r = _row(OSI, _o("DM.OSI_RANK", ("2022", 113), ("2024", 90)), dt.date(2025, 6, 30))
    assert r["progress"] == pytest.approx(23 / 63)  # 0.365: both differences negative
    assert r["expected_progress"] == pytest.approx(2 / 8)  # end 2024 is 2 of the 8 years
    assert r["ratio"] == pytest.approx((23 / 63) / (2 / 8))
    assert r["status"] == "on-track"
    assert r["expected_now_progress"] == pytest.approx(2.5 / 8)  # 30 June 2025
    assert r["expected_now_value"] == pytest.approx(113 - 63 * 2.5 / 8)
    assert r["observed_growth"] == pytest.approx((90 / 113) ** 0.5 - 1)
    assert r["required_growth"] == pytest.approx((50 / 90) ** (1 / 6) - 1)  # end 2024 -> end 2030
    assert r["latest_period"] == "2024" and r["baseline_year"] == 2022 and r["target_year"] == 2030
    assert r["progress_display"] == pytest.approx(23 / 63)


def test_rank_down_indicator_with_the_growth_ratio_method():
    r = _row(
        OSI,
        _o("DM.OSI_RANK", ("2022", 113), ("2024", 90)),
        dt.date(2025, 6, 30),
        method="growth-ratio",
    )
    ratio = ((90 / 113) ** (1 / 2) - 1) / ((50 / 113) ** (1 / 8) - 1)
    assert r["ratio"] == pytest.approx(ratio)
    assert r["status"] == "substantial"
    assert r["score"] == pytest.approx((ratio - 0.6) / 0.7 * 5)
    assert r["explain"]["formula"] == "growth-ratio-cagr"


LEVEL = {
    "code": "X.LVL",
    "baseline_year": 2020,
    "baseline_value": 100,
    "target_year": 2030,
    "target_value": 200,
}


@pytest.mark.parametrize(
    "value,status",
    [
        (130, "on-track"),
        (120, "needs-acceleration"),
        (115, "off-track"),
        (210, "achieved"),
        (95, "off-track"),
    ],
)
def test_trajectory_thresholds(value, status):
    # end 2023 is 3 of 10 years: expected progress 0.30; ratios 1.0, 0.67, 0.5, achieved, negative
    r = _row(LEVEL, _o("X.LVL", ("2023", value)), dt.date(2024, 3, 1))
    assert r["status"] == status
    assert r["progress"] == pytest.approx((value - 100) / 100)


def test_a_publication_delay_is_not_a_failure():
    # Latest value is for 2023 but today is mid-2026: judged at end 2023, where it was on track.
    r = _row(LEVEL, _o("X.LVL", ("2023", 130)), dt.date(2026, 6, 30))
    assert r["status"] == "on-track"
    assert r["expected_now_progress"] == pytest.approx(0.55)  # 5.5 of 10 years
    assert r["gap_now"] == pytest.approx(130 - 155)
    assert r["gap_now_pct"] == pytest.approx(-25 / 155)
    assert r["gap"] == pytest.approx(0)


def test_moving_the_wrong_way_is_off_track_even_ahead_of_the_path():
    r = _row(LEVEL, _o("X.LVL", ("2022", 150), ("2023", 140)), dt.date(2024, 3, 1))
    assert r["ratio"] == pytest.approx(0.4 / 0.3)  # ahead of the expected progress...
    assert r["status"] == "off-track"  # ...but lower than a year before
    assert r["explain"]["wrong_way"]["value"] is True
    assert r["explain"]["wrong_way"]["compared_with"]["period"] == "2022"


def test_missing_periods_compare_with_the_latest_value_at_least_a_year_older():
    ind = {**LEVEL, "frequency": "quarterly"}
    # Q2 and Q4 2023 missing; 2024-Q2 (145) is below 2023-Q3 (150, under a year before) but above 2023-Q1.
    obs = _o("X.LVL", ("2023-Q1", 140), ("2023-Q3", 150), ("2024-Q2", 145))
    r = _row(ind, obs, dt.date(2024, 9, 1))
    assert r["explain"]["wrong_way"]["compared_with"]["period"] == "2023-Q1"
    assert r["expected_progress"] == pytest.approx(3.5 / 10)  # 30 June 2024
    assert r["ratio"] == pytest.approx(0.45 / 0.35) and r["status"] == "on-track"


def test_achieved_is_substantial_with_full_score_in_growth_ratio():
    r = _row(LEVEL, _o("X.LVL", ("2023", 210)), dt.date(2024, 3, 1), method="growth-ratio")
    assert r["status"] == "substantial" and r["score"] == 5


FIVE_G = {
    "code": "DM.5G",
    "unit": "%",
    "frequency": "quarterly",
    "baseline_year": 2025,
    "baseline_value": 0,
    "target_year": 2030,
    "target_value": 70,
}


def test_zero_baseline_with_a_milestone():
    ms = [{"indicator": "DM.5G", "year": 2026, "value": 45}]
    r = _row(FIVE_G, _o("DM.5G", ("2026-Q4", 30)), dt.date(2027, 2, 1), milestones=ms)
    # end 2026 the path is at the 45 % milestone: expected 45/70, achieved 30/70
    assert r["expected_progress"] == pytest.approx(45 / 70)
    assert r["progress"] == pytest.approx(30 / 70)
    assert r["status"] == "needs-acceleration"  # ratio 2/3
    g = _row(
        FIVE_G,
        _o("DM.5G", ("2026-Q4", 30)),
        dt.date(2027, 2, 1),
        milestones=ms,
        method="growth-ratio",
    )
    assert g["ratio"] == pytest.approx(30 / (70 / 5))  # 30 points in 1 year against 14 a year
    assert g["status"] == "substantial"
    assert g["explain"]["formula"] == "growth-ratio-linear"
    assert g["observed_growth"] == pytest.approx(2.0)  # 30/yr against the mean level (0 + 30) / 2
    assert g["explain"]["growth"]["observed_basis"] == "linear"
    assert g["required_growth"] == pytest.approx((70 / 30) ** (1 / 4) - 1)


def test_negative_baseline():
    # A balance can be negative: a unit outside units.csv is unbounded (bn MAD itself is >= 0).
    ind = {
        "code": "X.BAL",
        "unit": "bn MAD balance",
        "baseline_year": 2020,
        "baseline_value": -20,
        "target_year": 2030,
        "target_value": 0,
    }
    r = _row(ind, _o("X.BAL", ("2022", -10)), dt.date(2023, 3, 1))
    assert r["progress"] == pytest.approx(0.5) and r["expected_progress"] == pytest.approx(0.2)
    assert r["status"] == "on-track"
    g = _row(ind, _o("X.BAL", ("2022", -10)), dt.date(2023, 3, 1), method="growth-ratio")
    assert g["ratio"] == pytest.approx(5 / 2) and g["status"] == "substantial"


EGDI = {
    "code": "DM.EGDI_RANK",
    "unit": "rank",
    "direction": "down",
    "frequency": "biennial",
    "baseline_year": 2022,
    "baseline_value": 101,
}


def test_no_target_is_judged_on_its_trend_never_on_a_fake_target():
    r = _row(EGDI, _o("DM.EGDI_RANK", ("2022", 101), ("2024", 90)), dt.date(2025, 1, 10))
    assert r["status"] == "improving"  # lower rank = better
    assert (
        math.isnan(r["target_value"])
        and math.isnan(r["progress"])
        and math.isnan(r["expected_progress"])
    )
    assert "no-target" in r["flags"]
    assert r["explain"]["target"] is None
    g = _row(
        EGDI,
        _o("DM.EGDI_RANK", ("2022", 101), ("2024", 90)),
        dt.date(2025, 1, 10),
        method="growth-ratio",
    )
    assert g["status"] == "substantial" and g["score"] == 5  # 5.6 %/yr better: beyond +2 %
    assert math.isnan(g["projection"]) and "too-few-points" in g["flags"]  # two points only


def test_no_target_stable_and_limited():
    r = _row(EGDI, _o("DM.EGDI_RANK", ("2022", 101), ("2024", 100.5)), dt.date(2025, 1, 10))
    g = -((100.5 / 101) ** 0.5 - 1)  # +0.25 %/yr in the desired direction
    assert r["status"] == "stable"
    r2 = _row(
        EGDI,
        _o("DM.EGDI_RANK", ("2022", 101), ("2024", 100.5)),
        dt.date(2025, 1, 10),
        method="growth-ratio",
    )
    assert r2["status"] == "limited"
    assert r2["score"] == pytest.approx(-2.5 + 2.5 * g / 0.005)


def test_baseline_from_first_observation_is_flagged():
    ind = {"code": "X.NOB", "frequency": "quarterly", "target_year": 2030, "target_value": 150}
    r = _row(ind, _o("X.NOB", ("2024-Q1", 50), ("2025-Q1", 60)), dt.date(2025, 5, 1))
    assert r["baseline_value"] == 50 and r["baseline_year"] == 2024
    assert "baseline-from-first-observation" in r["flags"]
    assert r["progress"] == pytest.approx(10 / 100)
    assert r["expected_progress"] == pytest.approx(1 / 6.75)  # 31 Mar 2024 -> 31 Dec 2030
    assert r["status"] == "needs-acceleration"
    assert r["explain"]["baseline"]["from"] == "first-observation"
    assert r["explain"]["baseline"]["period"] == "2024-Q1"


FLOW = {
    "code": "X.FLOW",
    "kind": "flow",
    "frequency": "quarterly",
    "baseline_year": 2022,
    "baseline_value": 100,
    "target_year": 2030,
    "target_value": 500,
}


def test_flow_is_judged_on_its_latest_complete_year():
    obs = _o("X.FLOW", *[(f"2024-Q{q}", 50) for q in range(1, 5)], ("2025-Q1", 60), ("2025-Q2", 60))
    r = _row(FLOW, obs, dt.date(2025, 8, 1))
    assert r["latest_period"] == "2024" and r["latest_value"] == 200
    assert r["progress"] == pytest.approx(0.25) and r["expected_progress"] == pytest.approx(0.25)
    assert r["status"] == "on-track" and "incomplete-year" not in r["flags"]


def test_an_incomplete_year_is_used_only_when_nothing_else_is_newer_than_the_baseline():
    r = _row(FLOW, _o("X.FLOW", ("2025-Q1", 60), ("2025-Q2", 60)), dt.date(2025, 8, 1))
    assert r["latest_period"] == "2025" and r["latest_value"] == 120
    assert "incomplete-year" in r["flags"]


LAW = {
    "code": "IA.LAW_X0",
    "kind": "milestone",
    "frequency": "event",
    "unit": "milestone",
    "target_year": 2026,
    "target_value": 1,
}


@pytest.mark.parametrize(
    "obs,today,trajectory,growth",
    [
        ([("2025-Q3", 0)], dt.date(2026, 6, 30), "on-track", "moderate"),
        ([("2025-Q3", 0)], dt.date(2027, 2, 1), "off-track", "limited"),
        ([("2025-Q3", 0), ("2026-Q2", 1)], dt.date(2027, 2, 1), "achieved", "substantial"),
        ([], dt.date(2027, 2, 1), "no-data", "no-data"),
    ],
)
def test_event_done_pending_or_overdue(obs, today, trajectory, growth):
    assert _row(LAW, _o("IA.LAW_X0", *obs), today)["status"] == trajectory
    assert _row(LAW, _o("IA.LAW_X0", *obs), today, method="growth-ratio")["status"] == growth


@pytest.mark.parametrize(
    "freq,due_days,values,today,stale",
    [
        # 2024-Q4 ends 31 Dec 2024; no due rule: Q1's figure due 31 Mar, Q2's 30 Jun 2025.
        ("quarterly", None, [("2024-Q4", 1)], dt.date(2025, 6, 30), False),
        ("quarterly", None, [("2024-Q4", 1)], dt.date(2025, 7, 1), True),
        # Due 45 days after the quarter: Q2's figure due 30 Jun + 45 = 14 Aug 2025.
        ("quarterly", 45, [("2024-Q4", 1)], dt.date(2025, 8, 14), False),
        ("quarterly", 45, [("2024-Q4", 1)], dt.date(2025, 8, 15), True),
        # 2023: the 2025 figure is due 31 Dec 2025 (+ 90 days: 31 Mar 2026).
        ("annual", None, [("2023", 1)], dt.date(2025, 12, 31), False),
        ("annual", None, [("2023", 1)], dt.date(2026, 1, 1), True),
        ("annual", 90, [("2023", 1)], dt.date(2026, 3, 31), False),
        ("annual", 90, [("2023", 1)], dt.date(2026, 4, 1), True),
        # An event not done reports every 12 months: 2020-Q1 is stale after 31 Mar 2022.
        ("event", None, [("2020-Q1", 1)], dt.date(2022, 3, 31), False),
        ("event", None, [("2020-Q1", 1)], dt.date(2022, 4, 1), True),
        # Target reached (from 1 in 2023-Q4 to 10): nothing more is owed, never stale.
        ("quarterly", None, [("2023-Q4", 1), ("2024-Q4", 10)], dt.date(2030, 1, 1), False),
    ],
)
def test_stale_when_the_next_figure_is_overdue_by_more_than_one_period(
    freq, due_days, values, today, stale
):
    ind = {"code": "X.S", "frequency": freq, "target_year": 2030, "target_value": 10}
    if due_days is not None:
        ind["due_days"] = due_days
    r = _row(ind, _o("X.S", *values), today)
    assert ("stale" in r["flags"]) is stale


def test_flags_demo_revised_assumption_and_derived():
    ind = {
        "code": "X.DC",
        "unit": "MW",
        "by_region": True,
        "confidence": "assumption",
        "baseline_year": 2023,
        "baseline_value": 0,
        "target_year": 2030,
        "target_value": 500,
    }
    obs = [
        {"indicator": "X.DC", "period": "2024", "region": "MA-01", "value": 100, "demo": True},
        {"indicator": "X.DC", "period": "2024", "region": "MA-02", "value": 30, "versions": 2},
    ]
    st_ = _row(ind, obs, dt.date(2025, 1, 10), regions=REGIONS, by_region=True)
    nat = st_[st_["region"] == ""].iloc[0]
    assert nat["latest_value"] == 130
    assert {"demo", "assumption-target", "derived-national", "revised"} <= set(nat["flags"])
    assert nat["demo"]
    assert nat["explain"]["latest"]["derived"] and nat["explain"]["latest"]["n_regions"] == 2
    ma2 = st_[st_["region"] == "MA-02"].iloc[0]
    assert "revised" in ma2["flags"] and "demo" not in ma2["flags"]
    # A regional count gets no share of the national target: trend only, and the explain says why.
    assert math.isnan(ma2["target_value"]) and "no-target" in ma2["flags"]
    assert ma2["explain"]["regional_target"] == "not split from the national target"


def test_a_regional_percentage_is_judged_against_the_national_target():
    obs = _o("DM.5G", ("2025-Q4", 0), ("2026-Q4", 35), region="MA-01")
    st_ = _row(
        {**FIVE_G, "by_region": True}, obs, dt.date(2027, 2, 1), regions=REGIONS, by_region=True
    )
    ma1 = st_[st_["region"] == "MA-01"].iloc[0]
    assert ma1["target_value"] == 70 and ma1["progress"] == pytest.approx(0.5)
    assert ma1["explain"]["baseline"]["from"] == "observation-at-baseline-year"
    ma2 = st_[st_["region"] == "MA-02"].iloc[0]
    assert ma2["status"] == "no-data" and ma2["latest_value"] != ma2["latest_value"]  # NaN


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        _row(LEVEL, [], dt.date(2024, 1, 1), method="vibes")


# -- properties ------------------------------------------------------------------------------------

values = st.floats(min_value=1, max_value=1e6, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(
    base=values,
    target=values,
    prev=values,
    step=st.floats(0.001, 1e5),
    up=st.booleans(),
    extra=st.lists(values, max_size=4),
)
def test_never_on_track_when_moving_away_from_the_target(base, target, prev, step, up, extra):
    assume(abs(target - base) > 1e-3 * max(base, target))
    toward = 1 if target > base else -1
    latest = prev - toward * step  # the last year moved away from the target
    assume(latest > 0 and toward * (target - latest) > 0)  # and the target is not met
    ind = {
        "code": "X.P",
        "direction": "up" if up else "down",
        "baseline_year": 2015,
        "baseline_value": base,
        "target_year": 2030,
        "target_value": target,
    }
    obs = _o(
        "X.P", *[(str(2016 + i), v) for i, v in enumerate(extra)], ("2022", prev), ("2023", latest)
    )
    r = _row(ind, obs, dt.date(2024, 6, 1))
    assert r["status"] not in ("on-track", "achieved")


@settings(max_examples=100, deadline=None)
@given(
    base=values, target=values, obs=st.lists(values, min_size=1, max_size=6), k=st.floats(1e-3, 1e3)
)
def test_progress_and_status_do_not_depend_on_the_unit(base, target, obs, k):
    assume(abs(target - base) > 1e-3 * max(base, target))

    def run(scale):
        ind = {
            "code": "X.U",
            "baseline_year": 2017,
            "baseline_value": base * scale,
            "target_year": 2030,
            "target_value": target * scale,
        }
        rows = _o("X.U", *[(str(2018 + i), v * scale) for i, v in enumerate(obs)])
        return _row(ind, rows, dt.date(2025, 1, 1))

    a, b = run(1.0), run(k)
    assert a["status"] == b["status"]
    assert a["progress"] == pytest.approx(b["progress"], rel=1e-9, abs=1e-12)
    assert a["expected_progress"] == pytest.approx(b["expected_progress"], rel=1e-9)
    growth = _row(
        {
            "code": "X.U",
            "baseline_year": 2017,
            "baseline_value": base,
            "target_year": 2030,
            "target_value": target,
        },
        _o("X.U", *[(str(2018 + i), v) for i, v in enumerate(obs)]),
        dt.date(2025, 1, 1),
        method="growth-ratio",
    )
    assert growth["status"] in ("substantial", "moderate", "limited", "deterioration", "no-data")


_ORDER_INDICATORS = [
    {
        "code": "X.JOBS",
        "unit": "jobs",
        "frequency": "quarterly",
        "by_region": True,
        "target_year": 2030,
        "target_value": 500,
    },
    {
        "code": "X.TR",
        "kind": "flow",
        "unit": "people",
        "frequency": "quarterly",
        "by_region": True,
        "baseline_year": 2022,
        "baseline_value": 40,
        "target_year": 2030,
        "target_value": 300,
    },
    {
        "code": "X.RANK",
        "unit": "rank",
        "direction": "down",
        "baseline_year": 2021,
        "baseline_value": 90,
    },
]
_ORDER_OBS = (
    [
        {
            "indicator": "X.JOBS",
            "period": f"{y}-Q{q}",
            "region": r,
            "value": 10 * y - 20200 + q + (r == "MA-02"),
        }
        for y in (2023, 2024, 2025)
        for q in (1, 2, 3, 4)
        for r in ("MA-01", "MA-02")
        if (y, q, r) != (2024, 2, "MA-02")
    ]
    + [
        {"indicator": "X.TR", "period": f"{y}-Q{q}", "region": r, "value": q * (y - 2020)}
        for y in (2023, 2024)
        for q in (1, 2, 3, 4)
        for r in ("MA-01", "MA-02")
    ]
    + [
        {"indicator": "X.RANK", "period": str(y), "value": 90 - 3 * (y - 2021)}
        for y in (2021, 2022, 2023)
    ]
)


@settings(max_examples=20, deadline=None)
@given(st.permutations(range(len(_ORDER_OBS))), st.sampled_from(["trajectory", "growth-ratio"]))
def test_status_does_not_depend_on_row_order(order, method):
    def run(rows):
        inp = inputs_from_records(_ORDER_INDICATORS, rows, regions=REGIONS)
        return status_table(inp, today=dt.date(2026, 2, 1), method=method, by_region=True)

    a = run(_ORDER_OBS)
    b = run([_ORDER_OBS[i] for i in order])
    cols = [
        "indicator",
        "region",
        "latest_period",
        "latest_value",
        "baseline_value",
        "progress",
        "status",
        "score",
        "projection",
        "flags",
    ]
    assert a[cols].to_json() == b[cols].to_json()
    latest = [{k: v for k, v in (e["latest"] or {}).items()} for e in a["explain"]]
    assert latest == [{k: v for k, v in (e["latest"] or {}).items()} for e in b["explain"]]

"""Regional disparity: per-capita values (2024 population), CV, max/min ratio, lagging regions."""

import math

import pytest

from kpis.disparity import disparity
from kpis.inputs import inputs_from_records

REGIONS = [
    {"iso": "MA-01", "population_2024": 100_000},
    {"iso": "MA-02", "population_2024": 300_000},
    {"iso": "MA-03", "population_2024": 600_000},
]


def _o(code, period, values):
    return [
        {"indicator": code, "period": period, "region": r, "value": v} for r, v in values.items()
    ]


def test_counts_are_compared_per_100k_inhabitants():
    inp = inputs_from_records(
        [{"code": "X.JOBS", "by_region": True, "unit": "jobs", "frequency": "quarterly"}],
        _o("X.JOBS", "2025-Q4", {"MA-01": 9, "MA-02": 60, "MA-03": 60}),
        regions=REGIONS,
    )
    d = disparity(inp, "X.JOBS")
    assert d["period"] == "2025-Q4" and d["measure"] == "per_capita"
    assert [r["per_capita"] for r in d["regions"]] == pytest.approx([9, 20, 10])
    assert d["reference"] == pytest.approx(129 / 1_000_000 * 100_000)  # 12.9 per 100k nationally
    # mean 13, deviations -4, 7, -3: population SD sqrt(74/3)
    assert d["cv"] == pytest.approx(math.sqrt(74 / 3) / 13)
    assert d["max_min_ratio"] == pytest.approx(20 / 9)
    assert d["lagging"] == ["MA-01"]  # 9 < 0.75 x 12.9 = 9.675; 10 is not
    assert d["missing"] == []


def test_percentages_are_compared_as_they_are_against_the_weighted_mean():
    inp = inputs_from_records(
        [{"code": "X.5G", "by_region": True, "unit": "%"}],
        _o("X.5G", "2025", {"MA-01": 10, "MA-02": 20, "MA-03": 40}),
        regions=REGIONS,
    )
    d = disparity(inp, "X.5G")
    assert d["measure"] == "value" and d["reference"] == pytest.approx(31)  # (1 + 6 + 24) / 1
    assert d["lagging"] == ["MA-01", "MA-02"]  # below 23.25
    assert d["regions"][0]["per_capita"] is None


def test_stocks_carry_the_last_report_and_an_event_count_starts_at_zero():
    inp = inputs_from_records(
        [
            {
                "code": "X.INST",
                "by_region": True,
                "unit": "institutes",
                "kind": "cumulative",
                "frequency": "event",
            }
        ],
        _o("X.INST", "2025-Q2", {"MA-01": 1}) + _o("X.INST", "2026-Q1", {"MA-02": 1}),
        regions=REGIONS,
    )
    d = disparity(inp, "X.INST")
    rows = {r["iso"]: r for r in d["regions"]}
    assert d["period"] == "2026-Q1"
    assert (rows["MA-01"]["value"], rows["MA-01"]["carried"], rows["MA-01"]["period"]) == (
        1.0,
        True,
        "2025-Q2",
    )
    # Counted as 0 for the comparison, but it did not report: it is named as missing.
    assert rows["MA-03"]["value"] == 0.0 and d["missing"] == ["MA-03"]
    assert math.isnan(d["max_min_ratio"] or math.nan)  # a region at 0: max/min undefined


def test_flows_compare_the_latest_complete_year():
    rows = []
    for q in range(1, 5):
        rows += _o("X.TR", f"2024-Q{q}", {"MA-01": 1, "MA-02": 3, "MA-03": 6})
    rows += _o("X.TR", "2025-Q1", {"MA-01": 50})
    inp = inputs_from_records(
        [{"code": "X.TR", "by_region": True, "kind": "flow", "unit": "people"}],
        rows,
        regions=REGIONS,
    )
    d = disparity(inp, "X.TR")
    assert d["period"] == "2024"
    assert [r["value"] for r in d["regions"]] == [4, 12, 24]
    assert d["cv"] == pytest.approx(0)  # 4 per 100k everywhere
    d25 = disparity(inp, "X.TR", period="2025")
    assert d25["missing"] == ["MA-02", "MA-03"] and "incomplete-year" in d25["flags"]


def test_a_national_indicator_has_no_disparity():
    inp = inputs_from_records([{"code": "X.GDP"}], [], regions=REGIONS)
    with pytest.raises(ValueError):
        disparity(inp, "X.GDP")

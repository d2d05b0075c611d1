"""indicator_detail and explain: what the indicator page and the CLI show, JSON-safe and traceable."""

import datetime as dt
import json

import pytest

from kpis.engine import STATUS_COLUMNS, indicator_detail, status_table
from kpis.inputs import inputs_from_catalog, inputs_from_records
from loaders.catalog import load_catalog

REGIONS = [
    {"iso": "MA-01", "population_2024": 100_000},
    {"iso": "MA-02", "population_2024": 300_000},
]
FLOW = {
    "code": "X.TRAINED",
    "kind": "flow",
    "frequency": "quarterly",
    "by_region": True,
    "unit": "people",
    "baseline_year": 2023,
    "baseline_value": 100,
    "target_year": 2030,
    "target_value": 800,
}


def _inputs():
    obs = [
        {
            "indicator": "X.TRAINED",
            "period": f"{y}-Q{q}",
            "region": r,
            "value": v,
            "file": "t.xlsx",
            "sheet": "S",
            "row_number": 10 + q,
            "batch_id": 4,
            "demo": y == 2026,
        }
        for y in (2024, 2025, 2026)
        for q in (1, 2, 3, 4)
        if (y, q) <= (2026, 1)
        for r, v in (("MA-01", 10 * y - 20200), ("MA-02", 30))
    ]
    obs.append(
        {
            "indicator": "X.TRAINED",
            "period": "2023",
            "region": "",
            "value": 100,
            "file": "pub.csv",
            "row_number": 3,
            "batch_id": 1,
        }
    )
    return inputs_from_records([FLOW], obs, regions=REGIONS)


def test_detail_series_carry_flags_per_point():
    d = indicator_detail(_inputs(), "X.TRAINED", today=dt.date(2026, 5, 1))
    q = {p["period"]: p for p in d["quarterly"]}
    assert (
        q["2023"]["derived"] is False
        and q["2023"]["file"] == "pub.csv"
        and q["2023"]["row_number"] == 3
    )
    # 2024-Q1: MA-01 40 + MA-02 30, derived from 2 regions
    assert (q["2024-Q1"]["value"], q["2024-Q1"]["derived"], q["2024-Q1"]["n_regions"]) == (
        70.0,
        True,
        2,
    )
    assert q["2026-Q1"]["demo"] is True and q["2025-Q1"]["demo"] is False
    y = {p["period"]: p for p in d["yearly"]}
    assert (y["2024"]["value"], y["2024"]["incomplete"]) == (280.0, False)  # 4 x 70
    assert (y["2025"]["value"], y["2025"]["incomplete"]) == (320.0, False)  # 4 x 80
    assert (y["2026"]["value"], y["2026"]["incomplete"], y["2026"]["n_quarters"]) == (90.0, True, 1)
    assert d["status"]["latest_period"] == "2025" and d["status"]["status"] in (
        "on-track",
        "needs-acceleration",
        "off-track",
        "achieved",
    )
    assert d["trajectory"]["knots"][0] == {
        "t": 2024.0,
        "date": "2023-12-31",
        "year": 2023,
        "value": 100.0,
        "kind": "baseline",
    }


def test_detail_of_a_region_and_its_projection_band():
    d = indicator_detail(_inputs(), "X.TRAINED", today=dt.date(2026, 5, 1), region="MA-01")
    assert d["region"] == "MA-01"
    assert [p["value"] for p in d["yearly"]] == [4 * 40.0, 4 * 50.0, 60.0]
    assert d["projection"]["model"] is None  # two complete years only
    nat = indicator_detail(_inputs(), "X.TRAINED", today=dt.date(2026, 5, 1))
    pts = nat["projection"]["points"]
    assert (
        pts[0]["date"] == "2025-12-31" and pts[-1]["date"] == "2030-12-31"
    )  # yearly to the target
    assert all(p["low"] <= p["value"] <= p["high"] for p in pts)


def test_detail_refuses_a_region_for_a_national_indicator_and_an_unknown_code():
    inp = inputs_from_records([{"code": "X.N"}], [])
    with pytest.raises(ValueError):
        indicator_detail(inp, "X.N", today=dt.date(2026, 1, 1), region="MA-01")
    with pytest.raises(KeyError):
        indicator_detail(inp, "X.NOPE", today=dt.date(2026, 1, 1))


def test_every_explain_is_json_and_names_its_inputs():
    st = status_table(_inputs(), today=dt.date(2026, 5, 1), by_region=True)
    assert list(st.columns) == list(STATUS_COLUMNS)
    for ex in st["explain"]:
        json.dumps(ex, allow_nan=False)
    nat = st[st["region"] == ""].iloc[0]["explain"]
    assert nat["baseline"] == {
        "value": 100.0,
        "year": 2023,
        "date": "2023-12-31",
        "from": "catalog",
        "source": "test",
    }
    assert nat["target"] == {
        "value": 800.0,
        "year": 2030,
        "date": "2030-12-31",
        "confidence": "press",
    }
    assert nat["latest"]["period"] == "2025" and nat["latest"]["derived"] is True
    assert nat["formula"] == "trajectory-ratio" and nat["parameters"]["on_track"] == 0.95
    assert nat["projection"]["half_life_years"] == 2.0 and nat["today"] == "2026-05-01"
    ma1 = st[st["region"] == "MA-01"].iloc[0]["explain"]
    assert (
        ma1["latest"]["file"] == "t.xlsx"
        and ma1["latest"]["sheet"] == "S"
        and ma1["latest"]["batch_id"] == 4
    )


def test_the_real_catalog_without_data_is_all_no_data_but_keeps_baselines_and_targets():
    st = status_table(inputs_from_catalog(load_catalog()), today=dt.date(2026, 5, 1)).set_index(
        "indicator"
    )
    assert len(st) == 32 and set(st["status"]) == {"no-data"}
    assert (
        st.at["DM.OSI_RANK", "baseline_value"] == 113 and st.at["DM.OSI_RANK", "target_value"] == 50
    )
    assert "no-target" in st.at["DM.EGDI_RANK", "flags"]
    assert "assumption-target" in st.at["IA.DC_MW", "flags"]


def test_a_knot_is_dated_in_the_year_its_period_ends():
    from kpis.engine import _year_of

    assert (
        _year_of(2024.25) == 2024
    )  # end of 2024-Q1: a baseline taken from a quarterly observation
    assert _year_of(2025.0) == 2024  # 31 Dec 2024
    assert _year_of(2031.0) == 2030  # the 2030 target

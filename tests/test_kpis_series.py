"""Series by period: flows vs levels, incomplete years, missing periods, events, derived national values."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kpis.inputs import inputs_from_records
from kpis.series import assessment_series, labelled, native_series, yearly_series

REGIONS = [
    {"iso": "MA-01", "population_2024": 100_000},
    {"iso": "MA-02", "population_2024": 300_000},
    {"iso": "MA-03", "population_2024": 600_000},
]


def _obs(code, rows, region=""):
    return [{"indicator": code, "period": p, "region": region, "value": v} for p, v in rows]


def _yearly(inputs):
    return labelled(yearly_series(native_series(inputs), inputs), inputs).assign(
        region=lambda f: f["region"].astype(str)
    )


def _native(inputs):
    return labelled(native_series(inputs), inputs)


def test_flow_quarters_sum_to_a_year_and_a_short_year_is_incomplete():
    inp = inputs_from_records(
        [{"code": "X.FLOW", "kind": "flow", "frequency": "quarterly"}],
        _obs(
            "X.FLOW",
            [
                ("2024-Q1", 10),
                ("2024-Q2", 20),
                ("2024-Q3", 30),
                ("2024-Q4", 40),
                ("2025-Q1", 5),
                ("2025-Q2", 7),
            ],
        ),
    )
    y = _yearly(inp)
    assert y[["period", "value", "n_quarters", "complete"]].values.tolist() == [
        ["2024", 100.0, 4, True],
        ["2025", 12.0, 2, False],
    ]
    assert y["t"].tolist() == [
        2025.0,
        2025.5,
    ]  # complete: 31 Dec; incomplete: end of its last quarter


def test_a_reported_whole_year_wins_over_its_quarters():
    inp = inputs_from_records(
        [{"code": "X.FLOW", "kind": "flow"}],
        _obs("X.FLOW", [("2023-Q1", 10), ("2023", 90)]),
    )
    y = _yearly(inp)
    assert y[["value", "complete"]].values.tolist() == [[90.0, True]]


def test_a_level_takes_the_last_value_of_the_year_even_with_missing_quarters():
    inp = inputs_from_records(
        [
            {"code": "X.LVL", "kind": "level", "frequency": "quarterly"},
            {"code": "X.CUM", "kind": "cumulative", "frequency": "quarterly"},
        ],
        _obs("X.LVL", [("2024-Q1", 5), ("2024-Q3", 9)])
        + _obs("X.CUM", [("2024-Q2", 3), ("2024-Q4", 8)]),
    )
    y = _yearly(inp).set_index("indicator")
    assert y.loc["X.LVL", "value"] == 9 and not y.loc["X.LVL", "complete"]  # Q4 not reported yet
    assert y.loc["X.CUM", "value"] == 8 and y.loc["X.CUM", "complete"]


def test_an_event_is_done_in_the_year_it_is_first_reported_done():
    inp = inputs_from_records(
        [
            {
                "code": "X.LAW",
                "kind": "milestone",
                "frequency": "event",
                "target_year": 2026,
                "target_value": 1,
            }
        ],
        _obs("X.LAW", [("2024-Q4", 0), ("2025-Q1", 0), ("2025-Q2", 1), ("2025-Q3", 1)]),
    )
    assert _yearly(inp)[["period", "value"]].values.tolist() == [["2024", 0.0], ["2025", 1.0]]


def test_flows_are_judged_on_years_and_levels_on_their_periods():
    inp = inputs_from_records(
        [{"code": "X.FLOW", "kind": "flow"}, {"code": "X.LVL", "kind": "level"}],
        _obs("X.FLOW", [("2024-Q1", 1), ("2024-Q2", 1)])
        + _obs("X.LVL", [("2024-Q4", 4), ("2024", 5)]),
    )
    native = native_series(inp)
    pts = labelled(assessment_series(native, yearly_series(native, inp), inp), inp)
    flow = pts[pts["indicator"] == "X.FLOW"]
    assert flow[["period", "value", "complete"]].values.tolist() == [["2024", 2.0, False]]
    lvl = pts[pts["indicator"] == "X.LVL"]
    assert lvl[["period", "value"]].values.tolist() == [["2024", 5.0]]  # whole year wins over Q4


def test_derived_national_sum_carries_each_regions_last_stock_forward():
    # Institutes opened: MA-01 one in Q1, MA-02 two by Q2, MA-01 three by Q3; MA-03 never reports.
    inp = inputs_from_records(
        [
            {
                "code": "X.INST",
                "kind": "cumulative",
                "frequency": "quarterly",
                "by_region": True,
                "unit": "institutes",
            }
        ],
        _obs("X.INST", [("2024-Q1", 1), ("2024-Q3", 3)], "MA-01")
        + _obs("X.INST", [("2024-Q2", 2)], "MA-02"),
        regions=REGIONS,
    )
    nat = _native(inp)
    nat = nat[nat["region"] == ""]
    assert nat[["period", "value", "n_regions"]].values.tolist() == [
        ["2024-Q1", 1.0, 1.0],
        ["2024-Q2", 3.0, 2.0],
        ["2024-Q3", 5.0, 2.0],
    ]
    assert nat["derived"].all() and nat["partial"].all()


def test_derived_national_flow_sums_only_the_period():
    inp = inputs_from_records(
        [
            {
                "code": "X.TRAINED",
                "kind": "flow",
                "frequency": "quarterly",
                "by_region": True,
                "unit": "people",
            }
        ],
        _obs("X.TRAINED", [("2024-Q1", 10), ("2024-Q2", 5)], "MA-01")
        + _obs("X.TRAINED", [("2024-Q1", 20)], "MA-02"),
        regions=REGIONS,
    )
    nat = _native(inp)
    nat = nat[nat["region"] == ""]
    assert nat[["period", "value"]].values.tolist() == [["2024-Q1", 30.0], ["2024-Q2", 5.0]]


def test_derived_national_percentage_is_population_weighted():
    inp = inputs_from_records(
        [
            {"code": "X.5G", "unit": "%", "kind": "level", "by_region": True},
            {"code": "X.5G2", "unit": "%", "kind": "level", "by_region": True},
        ],
        _obs("X.5G", [("2024-Q4", 10)], "MA-01")
        + _obs("X.5G", [("2024-Q4", 20)], "MA-02")
        + _obs("X.5G", [("2024-Q4", 40)], "MA-03")
        + _obs("X.5G2", [("2024-Q4", 10)], "MA-01")
        + _obs("X.5G2", [("2024-Q4", 20)], "MA-02"),
        regions=REGIONS,
    )
    nat = _native(inp)
    nat = nat[nat["region"] == ""].set_index("indicator")
    # (10 x 100k + 20 x 300k + 40 x 600k) / 1,000k = 31; without MA-03: 7,000k / 400k = 17.5
    assert nat.loc["X.5G", "value"] == 31.0
    assert nat.loc["X.5G2", "value"] == 17.5


def test_a_reported_national_value_wins_and_ranks_are_never_derived():
    inp = inputs_from_records(
        [
            {"code": "X.JOBS", "kind": "level", "by_region": True, "unit": "jobs"},
            {
                "code": "X.RANK",
                "kind": "level",
                "by_region": True,
                "unit": "rank",
                "direction": "down",
            },
        ],
        _obs("X.JOBS", [("2024-Q4", 33)])
        + _obs("X.JOBS", [("2024-Q4", 10), ("2025-Q1", 11)], "MA-01")
        + _obs("X.RANK", [("2024", 4)], "MA-01"),
        regions=REGIONS,
    )
    nat = _native(inp)
    nat = nat[nat["region"] == ""]
    assert nat[["indicator", "period", "value", "derived"]].values.tolist() == [
        ["X.JOBS", "2024-Q4", 33.0, False],
        ["X.JOBS", "2025-Q1", 11.0, True],
    ]


def test_regional_rows_of_a_national_only_indicator_are_left_out():
    inp = inputs_from_records(
        [{"code": "X.GDP", "by_region": False}],
        _obs("X.GDP", [("2024", 1)]) + _obs("X.GDP", [("2024", 9)], "MA-01"),
        regions=REGIONS,
    )
    assert _native(inp)[["region", "value"]].values.tolist() == [["", 1.0]]


_PERIODS = [f"{y}-Q{q}" for y in (2023, 2024) for q in (1, 2, 3, 4)] + ["2022"]


@settings(max_examples=40, deadline=None)
@given(
    st.permutations(range(len(_PERIODS) * 3)),
    st.lists(st.integers(0, 500), min_size=len(_PERIODS) * 3, max_size=len(_PERIODS) * 3),
)
def test_roll_ups_do_not_depend_on_row_order(order, values):
    inds = [
        {"code": "X.FLOW", "kind": "flow", "by_region": True},
        {"code": "X.STOCK", "kind": "cumulative", "by_region": True},
    ]
    rows = []
    for k, (p, reg) in enumerate((p, r) for p in _PERIODS for r in ("", "MA-01", "MA-02")):
        rows.append(
            {
                "indicator": "X.FLOW" if k % 2 else "X.STOCK",
                "period": p,
                "region": reg,
                "value": values[k],
            }
        )
    rows = [
        r for r in rows if not (r["region"] == "" and r["period"].endswith("Q2"))
    ]  # some derived
    shuffled = [rows[i] for i in order if i < len(rows)]
    a, b = (
        inputs_from_records(inds, rows, regions=REGIONS),
        inputs_from_records(inds, shuffled, regions=REGIONS),
    )
    cols = ["indicator", "region", "period", "value", "derived", "complete"]
    pd.testing.assert_frame_equal(_yearly(a)[cols], _yearly(b)[cols])
    keep = ["indicator", "region", "period", "value", "derived"]
    pd.testing.assert_frame_equal(_native(a)[keep], _native(b)[keep])

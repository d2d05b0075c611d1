"""Pillar and programme roll-up: counts by status, mean score, drivers; independent of row order."""

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kpis.methods import STATUS_CODES
from kpis.rollup import pillar_rollup


def _status(rows):
    return pd.DataFrame(
        [
            {
                "indicator": i,
                "region": r,
                "programme": p,
                "pillar": pl,
                "status": s,
                "score": sc,
                "demo": False,
            }
            for i, r, p, pl, s, sc in rows
        ]
    )


ROWS = [
    ("A.1", "", "IA2030", "SOV", "achieved", 5.0),
    ("A.2", "", "IA2030", "SOV", "off-track", -4.0),
    ("A.3", "", "IA2030", "SOV", "no-data", math.nan),
    ("A.4", "", "IA2030", "INN", "on-track", 3.0),
    ("A.4", "MA-01", "IA2030", "INN", "off-track", -5.0),  # regional rows do not count
]


def test_counts_mean_score_and_drivers():
    r = pillar_rollup(_status(ROWS))
    sov = r[(r["level"] == "pillar") & (r["pillar"] == "SOV")].iloc[0]
    assert (
        sov["indicators"],
        sov["achieved"],
        sov["off-track"],
        sov["no-data"],
        sov["on-track"],
    ) == (3, 1, 1, 1, 0)
    assert sov["scored"] == 2 and sov["mean_score"] == 0.5  # (5 - 4) / 2
    assert sov["drivers"] == [
        {"indicator": "A.1", "status": "achieved", "score": 5.0, "contribution": 2.5},
        {"indicator": "A.2", "status": "off-track", "score": -4.0, "contribution": -2.0},
    ]
    assert sov["no_score"] == ["A.3"]
    prog = r[r["level"] == "programme"].iloc[0]
    assert (prog["programme"], prog["pillar"], prog["indicators"]) == ("IA2030", "", 4)
    assert prog["mean_score"] == (5 - 4 + 3) / 3
    assert all(c in r.columns for c in STATUS_CODES)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["IA2030", "MD2030"]),
            st.sampled_from(["P1", "P2", "P3"]),
            st.sampled_from(list(STATUS_CODES)),
            st.one_of(st.none(), st.floats(-5, 5, allow_nan=False)),
        ),
        min_size=1,
        max_size=25,
    ),
    st.randoms(use_true_random=False),
)
def test_roll_up_does_not_depend_on_row_order(rows, rnd):
    recs = [
        (f"X.{k}", "", p, pl, s, math.nan if sc is None else sc)
        for k, (p, pl, s, sc) in enumerate(rows)
    ]
    shuffled = recs[:]
    rnd.shuffle(shuffled)
    pd.testing.assert_frame_equal(pillar_rollup(_status(recs)), pillar_rollup(_status(shuffled)))

"""JAZARI institutes region by region: one done row per increase of a region's count, due or overdue where
none was reported (hand-made observations)."""

import datetime as dt

import pandas as pd

from kpis.view_milestones import jazari_rows


def test_each_increase_is_an_institute_and_empty_regions_are_due_then_overdue():
    obs = pd.DataFrame(
        [
            ("IA.JAZARI", "2025-Q2", "MA-10", 1.0, False, "a", "first"),
            ("IA.JAZARI", "2025-Q3", "MA-10", 1.0, False, "a", "same count: no new institute"),
            ("IA.JAZARI", "2026-Q1", "MA-10", 3.0, False, "b", "two more"),
            ("IA.JAZARI", "2026-Q1", "MA-04", 1.0, True, "demo", None),
            ("IA.JAZARI", "2026-Q1", "", 5.0, False, "n", "national total: not a region"),
            ("DM.JOBS", "2026-Q1", "MA-01", 9.0, False, "x", None),
        ],
        columns=["indicator", "period", "region", "value", "demo", "source", "comment"],
    )
    regions = pd.DataFrame({"iso": ["MA-01", "MA-04", "MA-10"]})
    rows = jazari_rows(obs, regions, dt.date(2026, 12, 2), 2030)
    done = [(r["region"], r["date"], r["count"], r["demo"]) for r in rows if r["state"] == "done"]
    assert sorted(done) == [
        ("MA-04", "2026-03-31", 1, True),
        ("MA-10", "2025-06-30", 1, False),
        ("MA-10", "2026-03-31", 2, False),
    ]
    (empty,) = [r for r in rows if r["state"] != "done"]
    assert (empty["region"], empty["state"], empty["date"]) == ("MA-01", "due", "2030-12-31")
    late = jazari_rows(obs, regions, dt.date(2031, 1, 1), 2030)
    assert [r["state"] for r in late if r["region"] == "MA-01"] == ["overdue"]

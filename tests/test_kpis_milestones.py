"""Milestones: events, intermediate milestones and targets, done (with date), due or overdue."""

import datetime as dt

from kpis.inputs import inputs_from_records
from kpis.milestones import milestones_table

INDICATORS = [
    {
        "code": "IA.LAW_X0",
        "kind": "milestone",
        "frequency": "event",
        "unit": "milestone",
        "target_year": 2026,
        "target_value": 1,
    },
    {
        "code": "IA.LABEL",
        "kind": "milestone",
        "frequency": "event",
        "unit": "milestone",
        "target_year": 2025,
        "target_value": 1,
        "confidence": "assumption",
    },
    {"code": "DM.JOBS", "frequency": "quarterly", "target_year": 2030, "target_value": 240_000},
    {
        "code": "DM.OSI_RANK",
        "unit": "rank",
        "direction": "down",
        "baseline_year": 2022,
        "baseline_value": 113,
        "target_year": 2030,
        "target_value": 50,
    },
]
MILESTONES = [
    {"indicator": "DM.JOBS", "year": 2026, "value": 190_000},
    {"indicator": "DM.OSI_RANK", "year": 2024, "value": 95},
]
OBS = [
    {"indicator": "IA.LAW_X0", "period": "2025-Q4", "value": 0},
    {"indicator": "IA.LAW_X0", "period": "2026-Q2", "value": 1},
    {"indicator": "IA.LAW_X0", "period": "2026-Q3", "value": 1},
    {"indicator": "DM.JOBS", "period": "2026-Q3", "value": 150_000},
    {"indicator": "DM.OSI_RANK", "period": "2024", "value": 90},
]


def test_done_due_and_overdue():
    ms = milestones_table(
        inputs_from_records(INDICATORS, OBS, milestones=MILESTONES), today=dt.date(2027, 1, 15)
    )
    rows = {(r["indicator"], r["type"]): r for r in ms.to_dict("records")}
    law = rows[("IA.LAW_X0", "event")]
    assert (law["status"], law["done_period"], law["done_date"], law["on_time"]) == (
        "done",
        "2026-Q2",
        "2026-06-30",
        True,
    )
    label = rows[("IA.LABEL", "event")]
    assert label["status"] == "overdue" and label["flags"] == ["assumption-target"]
    jobs = rows[("DM.JOBS", "milestone")]
    assert (jobs["status"], jobs["latest_value"], jobs["latest_period"]) == (
        "overdue",
        150_000,
        "2026-Q3",
    )
    assert rows[("DM.JOBS", "target")]["status"] == "due"
    osi = rows[("DM.OSI_RANK", "milestone")]  # rank 90 <= 95: reached (lower is better)
    assert (osi["status"], osi["done_date"]) == ("done", "2024-12-31")
    assert list(ms["due_date"]) == sorted(ms["due_date"])


def test_before_its_year_ends_a_milestone_is_due_not_overdue():
    ms = milestones_table(
        inputs_from_records(INDICATORS, OBS, milestones=MILESTONES), today=dt.date(2026, 12, 31)
    )
    rows = {(r["indicator"], r["type"]): r["status"] for r in ms.to_dict("records")}
    assert rows[("DM.JOBS", "milestone")] == "due"

"""Reporting calendar: due dates, received / due / overdue computed by hand, Morocco's date, the catalog's rules."""

import datetime as dt
import json
import shutil
from dataclasses import replace

import pandas as pd
import pytest

from kpis import calendar
from kpis.inputs import inputs_from_catalog
from loaders.catalog import CATALOG_DIR, CatalogError, load_catalog
from loaders.store import local_time
from tests.test_catalog import _edit_indicator

CATALOG = load_catalog()


def _inputs(values=(), loaded_at=None):
    """values: (indicator, period, region, value[, demo])."""
    obs = pd.DataFrame(
        [
            {
                "indicator": v[0],
                "period": v[1],
                "region": v[2],
                "value": v[3],
                "demo": v[4] if len(v) > 4 else False,
                "loaded_at": loaded_at,
            }
            for v in values
        ],
        columns=["indicator", "period", "region", "value", "demo", "loaded_at"],
    )
    return inputs_from_catalog(CATALOG, obs)


def _row(inputs, code, today):
    r = calendar.reporting(inputs, today)
    return r.set_index("code").loc[code].to_dict()


def test_the_catalog_gives_each_producer_and_due_rule():
    by_code = {i.code: i for i in CATALOG.indicators}
    assert (by_code["IA.JOBS"].producer, by_code["IA.JOBS"].due_days) == ("MTNRA", 45)
    assert (by_code["DM.5G"].producer, by_code["DM.5G"].due_days) == ("ANRT", 45)
    assert (by_code["DM.EXPORTS"].producer, by_code["DM.EXPORTS"].due_days) == (
        "Office des Changes",
        120,
    )
    # An international index is published by its editor, not owed: no due rule.
    assert (by_code["DM.EGDI_RANK"].producer, by_code["DM.EGDI_RANK"].due_days) == ("UN DESA", None)


def test_due_dates_by_hand():
    # 31 March + 45 days = 15 May; 30 September + 45 = 14 November; 31 December + 120 = 30 April.
    assert calendar.due_date("2026-Q1", 45) == dt.date(2026, 5, 15)
    assert calendar.due_date("2026-Q3", 45) == dt.date(2026, 11, 14)
    assert calendar.due_date("2026", 120) == dt.date(2027, 4, 30)
    assert calendar.periods_owed("quarterly", dt.date(2026, 12, 2)) == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    assert calendar.periods_owed("biennial", dt.date(2029, 1, 5)) == ["2026", "2028", "2030"]


def test_nothing_received_is_overdue_from_the_oldest_period():
    row = _row(_inputs(), "IA.JOBS", dt.date(2026, 12, 2))
    assert row["status"] == "overdue"
    assert row["period"] == "2026-Q1"
    assert row["due_date"] == dt.date(2026, 5, 15)
    # 15 May → 2 December: 16 + 30 + 31 + 31 + 30 + 31 + 30 + 2 = 201 days.
    assert row["days_overdue"] == 201
    assert row["overdue_periods"] == 3  # Q1 (15 May), Q2 (14 Aug), Q3 (14 Nov)
    assert row["next_due"] == dt.date(2027, 2, 14)  # Q4: 31 Dec + 45


def test_due_on_its_due_day_overdue_the_day_after():
    got = _inputs([("IA.JOBS", "2026-Q1", "MA-06", 1200), ("IA.JOBS", "2026-Q2", "MA-06", 1300)])
    row = _row(got, "IA.JOBS", dt.date(2026, 11, 14))
    assert (row["status"], row["period"], row["due_date"]) == (
        "due",
        "2026-Q3",
        dt.date(2026, 11, 14),
    )
    row = _row(got, "IA.JOBS", dt.date(2026, 11, 15))
    assert (row["status"], row["period"], row["days_overdue"]) == ("overdue", "2026-Q3", 1)
    assert row["last_period"] == "2026-Q2"


def test_received_when_every_ended_period_has_a_value_and_demo_does_not_count():
    got = _inputs([("IA.JOBS", f"2026-Q{q}", "MA-06", 1000 + q) for q in (1, 2, 3)])
    row = _row(got, "IA.JOBS", dt.date(2026, 12, 2))
    assert (row["status"], row["period"], row["next_due"]) == (
        "received",
        "2026-Q3",
        dt.date(2027, 2, 14),
    )
    demo = _inputs([("IA.JOBS", f"2026-Q{q}", "MA-06", 1000 + q, True) for q in (1, 2, 3)])
    assert _row(demo, "IA.JOBS", dt.date(2026, 12, 2))["status"] == "overdue"


def test_annual_upcoming_and_unscheduled_indicators():
    row = _row(_inputs(), "IA.GDP", dt.date(2026, 12, 2))
    assert (row["status"], row["period"], row["due_date"]) == (
        "upcoming",
        "2026",
        dt.date(2027, 4, 30),
    )
    assert _row(_inputs(), "IA.GDP", dt.date(2027, 5, 1))["status"] == "overdue"
    assert _row(_inputs(), "IA.GDP", dt.date(2027, 4, 30))["status"] == "due"
    assert _row(_inputs(), "DM.EGDI_RANK", dt.date(2026, 12, 2))["status"] == "unscheduled"
    assert _row(_inputs(), "IA.LAW_X0", dt.date(2026, 12, 2))["status"] == "unscheduled"


def test_today_is_the_date_in_morocco_and_last_reported_too():
    # 23:30 UTC on 14 November is 00:30 on 15 November in Casablanca (UTC+1): Q3 is then 1 day late.
    today = local_time(dt.datetime(2026, 11, 14, 23, 30)).date()
    assert today == dt.date(2026, 11, 15)
    got = _inputs(
        [("IA.JOBS", "2026-Q1", "MA-06", 1200), ("IA.JOBS", "2026-Q2", "MA-06", 1300)],
        loaded_at=pd.Timestamp("2026-08-13 23:30"),
    )
    row = _row(got, "IA.JOBS", today)
    assert (row["status"], row["days_overdue"]) == ("overdue", 1)
    assert row["last_reported"] == dt.date(2026, 8, 14)


def test_overdue_codes_and_summary_on_the_catalog():
    inputs = _inputs([("DM.5G", f"2026-Q{q}", "", 10 + q) for q in (1, 2, 3)])
    codes = calendar.overdue_codes(inputs, dt.date(2026, 12, 2))
    # Every quarterly indicator due 45 days after the quarter, except DM.5G which reported Q1–Q3.
    assert codes == [
        "IA.JOBS",
        "IA.GRADS",
        "DM.JOBS",
        "DM.STARTUPS",
        "DM.STARTUP_FUNDS",
        "DM.ESERVICES",
        "DM.FTTH",
        "DM.ADMIN_FIBRE",
        "DM.WHITE_ZONES",
    ]
    table = calendar.reporting(inputs, dt.date(2026, 12, 2))
    counts = calendar.summary(table)
    assert counts["overdue"] == 9 and counts["received"] == 1
    # Not chased: 4 international indices (IA.READINESS, DM.OSI_RANK, DM.EGDI_RANK, DM.EGDI_SCORE) and
    # 5 events (IA.JAZARI, IA.LAW_X0, IA.FRAMEWORK, IA.LABEL, IA.ALIGN). The 13 annual ones owe 2026 in 2027.
    assert counts == {"overdue": 9, "due": 0, "received": 1, "upcoming": 13, "unscheduled": 9}


def test_an_analysts_producer_comes_first_then_the_most_overdue():
    table = calendar.reporting(_inputs(), dt.date(2026, 12, 2))
    groups = calendar.by_producer(table, first="ANRT")
    assert groups[0][0] == "ANRT"
    assert list(groups[0][1]["code"]) == ["DM.5G", "DM.FTTH", "DM.WHITE_ZONES"]
    assert groups[1][0] == "MTNRA"  # 4 overdue: IA.JOBS, IA.GRADS, DM.JOBS, DM.ADMIN_FIBRE
    assert [g[0] for g in calendar.by_producer(table)][:2] == ["MTNRA", "ADD"]


def test_rules_carried_by_the_inputs_win_over_the_shipped_catalog():
    inputs = _inputs()
    ind = inputs.indicators.assign(producer="HCP", due_days=10)
    row = _row(replace(inputs, indicators=ind), "IA.JOBS", dt.date(2026, 4, 11))
    assert (row["producer"], row["status"], row["due_date"]) == (
        "HCP",
        "overdue",
        dt.date(2026, 4, 10),
    )


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"due_days": "-5"}, "due_days must be between 0 and 366"),
        ({"due_days": "soon"}, "due_days"),
        ({"code": "IA.LAW_X0", "due_days": "30"}, "an event indicator has no periods"),
        ({"producer": "", "due_days": "30"}, "needs its producer"),
    ],
)
def test_bad_due_rules_are_refused_by_the_catalog_schema(tmp_path, changes, message):
    d = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, d)
    code = changes.pop("code", "IA.JOBS")
    _edit_indicator(d, code, **changes)
    with pytest.raises(CatalogError) as e:
        load_catalog(d)
    assert message in str(e.value)


def test_cli_reporting_json_for_one_producer(tmp_path, capsys):
    from kpis.__main__ import main

    db = str(tmp_path / "c.duckdb")
    assert (
        main(["reporting", "--db", db, "--as-of", "2026-12-02", "--json", "--producer", "ANRT"])
        == 0
    )
    recs = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in recs] == ["DM.5G", "DM.FTTH", "DM.WHITE_ZONES"]
    first = recs[0]
    assert (first["status"], first["period"], first["due_date"], first["days_overdue"]) == (
        "overdue",
        "2026-Q1",
        "2026-05-15",
        201,
    )
    assert (first["due_days"], first["overdue_periods"], first["next_due"]) == (45, 3, "2027-02-14")
    assert main(["reporting", "--db", db, "--as-of", "2026-12-02", "--lang", "fr"]) == 0
    assert "en retard" in capsys.readouterr().out

"""The Overview's stale badge: no value for a newer period for more than one period past the frequency."""

import datetime as dt

import pandas as pd
import pytest

from kpis import freshness
from kpis import methods as m

D = dt.date


def test_the_rule_is_one_period_late_past_the_frequency():
    assert m.STALE_PERIODS_LATE == 1 and m.EVENT_REPORT_MONTHS == 12


def test_quarterly_value_of_q1_is_fresh_until_end_of_september():
    # 2026-Q1 ends 31 March; Q2's value is due by 30 June; one more quarter late: 30 September.
    assert freshness.stale_after(D(2026, 3, 31), "quarterly") == D(2026, 9, 30)
    assert not freshness.is_stale(D(2026, 3, 31), "quarterly", D(2026, 9, 30))
    assert freshness.is_stale(D(2026, 3, 31), "quarterly", D(2026, 10, 1))


def test_annual_biennial_and_event_limits():
    assert freshness.stale_after(D(2024, 12, 31), "annual") == D(2026, 12, 31)
    assert freshness.is_stale(D(2024, 12, 31), "annual", D(2027, 1, 1))
    # The UN survey of 2024 (biennial): the 2026 edition is due by end 2026, stale after end 2028.
    assert freshness.stale_after(D(2024, 12, 31), "biennial") == D(2028, 12, 31)
    assert not freshness.is_stale(D(2024, 12, 31), "biennial", D(2027, 6, 30))
    # An event not yet done reports yearly: a report of 30 Sep 2025 is stale after 30 Sep 2027.
    assert freshness.stale_after(D(2025, 9, 30), "event") == D(2027, 9, 30)
    assert freshness.is_stale(D(2025, 9, 30), "event", D(2027, 10, 1))
    assert not freshness.is_stale(D(2025, 9, 30), "event", D(2027, 10, 1), done=True)


def test_month_ends_stay_month_ends_and_other_days_are_kept():
    assert freshness.add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert freshness.add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert freshness.add_months(D(2025, 1, 15), 13) == D(2026, 2, 15)


def test_status_rows_no_data_and_reached_targets_are_never_stale():
    status = pd.DataFrame(
        [
            # indicator, region, frequency, latest_date, progress
            ("Q.OLD", "", "quarterly", "2025-12-31", 0.2),
            ("Q.NEW", "", "quarterly", "2026-09-30", 0.2),
            ("E.DONE", "", "event", "2024-03-31", 1.0),
            ("E.OPEN", "", "event", "2024-03-31", 0.3),
            ("NONE", "", "annual", None, float("nan")),
            ("Q.OLD", "MA-01", "quarterly", "2026-06-30", 0.1),
        ],
        columns=["indicator", "region", "frequency", "latest_date", "progress"],
    )
    out = freshness.staleness(status, D(2026, 12, 2))
    assert out["stale"].tolist() == [True, False, False, True, False, False]
    assert out["stale_after"].tolist() == [
        "2026-06-30",
        "2027-03-31",
        "2026-03-31",
        "2026-03-31",
        None,
        "2026-12-31",
    ]


def test_the_producers_due_days_delay_the_next_figure_and_staleness_alike():
    # 2026-Q1 ends 31 March; Q2's figure is due 30 June + 45 days = 14 August, overdue from 15 August;
    # the data turns stale when Q3's figure is overdue too: 30 September + 45 = 14 November.
    assert freshness.next_due(D(2026, 3, 31), "quarterly", 45) == D(2026, 8, 14)
    assert freshness.stale_after(D(2026, 3, 31), "quarterly", 45) == D(2026, 11, 14)
    assert not freshness.is_stale(D(2026, 3, 31), "quarterly", D(2026, 11, 14), due_days=45)
    assert freshness.is_stale(D(2026, 3, 31), "quarterly", D(2026, 11, 15), due_days=45)
    # 2025 (annual, 120 days): the 2026 figure is due 30 April 2027; stale when the 2027 figure is
    # overdue too: 31 December 2027 + 120 days = 29 April 2028 (a leap year).
    assert freshness.next_due(D(2025, 12, 31), "annual", 120) == D(2027, 4, 30)
    assert freshness.stale_after(D(2025, 12, 31), "annual", 120) == D(2028, 4, 29)


def test_the_next_figure_is_due_on_the_reporting_calendars_date_for_every_catalog_rule():
    from kpis import calendar
    from loaders.catalog import load_catalog

    nxt = {"quarterly": "2026-Q4", "annual": "2027", "biennial": "2028"}
    last = {"quarterly": D(2026, 9, 30), "annual": D(2026, 12, 31), "biennial": D(2026, 12, 31)}
    checked = 0
    for ind in load_catalog().indicators:
        if ind.due_days is None:
            continue
        f = ind.frequency
        assert freshness.next_due(last[f], f, ind.due_days) == calendar.due_date(
            nxt[f], ind.due_days
        ), ind.code
        checked += 1
    assert checked == 23  # every indicator with a due rule (32 less 4 indices and 5 events)


def test_status_rows_carry_their_due_days():
    status = pd.DataFrame(
        [
            ("Q.45", "", "quarterly", 45, "2026-03-31", 0.2),
            ("Q.0", "", "quarterly", None, "2026-03-31", 0.2),
        ],
        columns=["indicator", "region", "frequency", "due_days", "latest_date", "progress"],
    )
    out = freshness.staleness(status, D(2026, 10, 15))
    assert out["stale"].tolist() == [False, True]
    assert out["stale_after"].tolist() == ["2026-11-14", "2026-09-30"]


# -- one rule: the engine's "No recent report" is the Overview's badge, over the whole catalog --------


@pytest.fixture(scope="module")
def demo_inputs(tmp_path_factory):
    from kpis.inputs import load_inputs
    from loaders.catalog import load_catalog
    from loaders.seed import add_demo
    from loaders.store import open_store

    path = tmp_path_factory.mktemp("fresh") / "m.duckdb"
    store = open_store(f"duckdb:///{path}")
    add_demo(store, load_catalog(), today=D(2026, 12, 2))  # DEMO quarters 2024-Q1 .. 2026-Q3
    inputs = load_inputs(store)
    store.engine.dispose()
    return inputs


TODAYS = [
    D(2026, 12, 2),
    D(2027, 5, 15),
    D(2027, 5, 16),
    D(2027, 11, 15),
    D(2028, 5, 1),
    D(2029, 1, 1),
]


@pytest.mark.parametrize("today", TODAYS)
def test_the_stale_badge_is_exactly_no_recent_report_for_every_indicator_and_region(
    demo_inputs, today
):
    from kpis.engine import status_table
    from kpis.view_overview import stale_count

    st = status_table(demo_inputs, today=today, by_region=True, explain=False)
    flagged = {
        (i, r)
        for i, r, f in zip(st["indicator"], st["region"], st["flags"], strict=True)
        if "stale" in f
    }
    badge = freshness.staleness(st, today)
    badged = {
        (i, r)
        for i, r, s in zip(badge["indicator"], badge["region"], badge["stale"], strict=True)
        if s
    }
    assert flagged == badged
    for region in ("", "MA-01", "MA-06"):
        assert stale_count(st, today, region) == sum(1 for _i, r in flagged if r == region)


def test_the_catalog_turns_stale_as_the_figures_fall_overdue(demo_inputs):
    from kpis.engine import status_table
    from loaders.catalog import load_catalog

    def stale_codes(today):
        st = status_table(demo_inputs, today=today, explain=False)
        return {i for i, f in zip(st["indicator"], st["flags"], strict=True) if "stale" in f}

    # DEMO data runs to 2026-Q3. Quarterly figures are due 45 days after the quarter: Q4's on 14 Feb
    # 2027, 2027-Q1's on 15 May 2027, so every quarterly series turns stale on 16 May, not a day before.
    quarterly = {i.code for i in load_catalog().indicators if i.frequency == "quarterly"}
    assert len(quarterly) == 10
    assert stale_codes(D(2027, 5, 15)) == set()
    assert stale_codes(D(2027, 5, 16)) == quarterly
    # The UN indices of 2024 (biennial, no due rule): the 2028 edition is overdue from 1 Jan 2029.
    assert {"DM.OSI_RANK", "DM.EGDI_RANK"} <= stale_codes(D(2029, 1, 1))
    assert not {"DM.OSI_RANK", "DM.EGDI_RANK"} & stale_codes(D(2028, 12, 31))

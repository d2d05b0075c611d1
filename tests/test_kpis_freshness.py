"""The Overview's stale badge: no value for a newer period for more than one period past the frequency."""

import datetime as dt

import pandas as pd

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

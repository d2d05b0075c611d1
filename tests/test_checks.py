"""The sudden-jump check looks at neighbouring periods only: a series that grows steadily a long way is not a
jump, a zero never is one, and one step of more than the factor is, wherever it sits in the series."""

import datetime as dt

from loaders.ingest import ingest_long
from loaders.store import open_store
from tests.test_ingest import long_rows

NOW = dt.datetime(2026, 5, 4, 9, 30)


def _jumps(tmp_path, values: list[float]) -> list[int]:
    """Rows flagged `sudden-jump` in a dry run of DM.FTTH, MA-06, one value a quarter from 2024-Q1."""
    store = open_store(str(tmp_path / "m.duckdb"))
    quarters = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"]
    rows = [("DM.FTTH", quarters[i], "MA-06", v, i + 2) for i, v in enumerate(values)]
    r = ingest_long(store, [long_rows(rows)], files=["report.csv"], user="u", now=NOW, dry_run=True)
    assert r.status == "dry-run"
    return [p.row for p in r.problems if p.code == "sudden-jump"]


def test_steady_growth_to_thirty_times_the_first_value_is_not_a_jump(tmp_path):
    # 1 -> 30 overall, but no quarter more than 10 times the one before (the default factor)
    assert _jumps(tmp_path, [1.0, 3.0, 9.0, 30.0]) == []


def test_a_zero_between_small_and_large_values_is_never_compared(tmp_path):
    assert _jumps(tmp_path, [1.0, 0.0, 100.0]) == []


def test_one_step_of_more_than_ten_times_is_flagged_where_it_is(tmp_path):
    # 2024-Q4 is 12 times 2024-Q3 (rows: header 1, 2024-Q1 on row 2, so 2024-Q4 on row 5)
    assert _jumps(tmp_path, [1.0, 2.0, 2.5, 30.0, 31.0]) == [5]

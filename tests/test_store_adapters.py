"""What callers ask the store for, answered the same by the DuckDB and the PostgreSQL adapter."""

import pyarrow as pa
import pytest

from loaders.store import open_store


def test_current_values_of_some_indicators_and_of_none(db_url):
    store = open_store(db_url)
    rows = store.current(indicators=["DM.EGDI_RANK"], columns=["indicator", "period", "value"])
    assert rows.column_names == ["indicator", "period", "value"]
    assert {"indicator": "DM.EGDI_RANK", "period": "2024", "value": 90.0} in rows.to_pylist()
    assert set(rows.column("indicator").to_pylist()) == {"DM.EGDI_RANK"}
    assert store.current(indicators=[]).num_rows == 0
    with pytest.raises(ValueError):
        store.current(columns=["value; DROP TABLE batch"])


def test_current_for_keys_reads_national_keys_given_as_null_and_leaves_unknown_keys_out(db_url):
    store = open_store(db_url)
    keys = pa.table(
        {
            "indicator": ["DM.EGDI_RANK", "DM.EGDI_RANK", "IA.JOBS"],
            "period": ["2024", "1999", "2026-Q1"],
            "region": [None, None, "MA-06"],
            "value": [1.0, 2.0, 3.0],  # other columns of a reader's table are ignored
        }
    )
    with store.transaction() as conn:
        found = store.current_for_keys(conn, [keys])
    assert found.to_pylist() == [
        {
            "indicator": "DM.EGDI_RANK",
            "period": "2024",
            "region": "",
            "old_value": 90.0,
            "old_batch_id": found.column("old_batch_id")[0].as_py(),
        }
    ]
    with store.transaction() as conn:
        assert store.current_for_keys(conn, []).num_rows == 0


def test_bulk_insert_takes_only_the_store_s_tables_and_columns(db_url):
    store = open_store(db_url)
    with store.transaction() as conn:
        with pytest.raises(ValueError):
            store.bulk_insert(conn, "observation", pa.table({'evil"col': [1]}))
        with pytest.raises(ValueError):
            store.bulk_insert(conn, "pg_user", pa.table({"usename": ["x"]}))

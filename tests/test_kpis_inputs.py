"""load_inputs on a real store: as-of reproduction after a revision and an undo, revisions, demo overlap."""

import datetime as dt
import json

import pyarrow as pa
import sqlalchemy as sa

from kpis.engine import status_table
from kpis.inputs import load_inputs
from loaders.store import OBS_ARROW_SCHEMA, batch, open_store


def _load(store, when, rows, *, file="jobs.csv", demo=False):
    """rows: [(indicator, period, region, value, row_number)]"""
    with store.begin() as conn:
        b = store.new_batch(
            conn,
            user="analyst",
            origin="demo" if demo else "upload",
            files=file,
            demo=demo,
            created_at=when,
        )
        table = pa.Table.from_pylist(
            [
                {
                    "batch_id": b,
                    "indicator": i,
                    "period": p,
                    "region": r,
                    "value": v,
                    "unit": None,
                    "comment": None,
                    "source": "Ministry report",
                    "file": file,
                    "sheet": "Data",
                    "row_number": n,
                    "demo": demo,
                }
                for i, p, r, v, n in rows
            ],
            schema=OBS_ARROW_SCHEMA,
        )
        store.bulk_insert_observations(conn, table)
    return b


def _records(st):
    """The records as a presentation would show them; `as_of` (null when computed live) is set aside."""
    recs = st.to_dict("records")
    for r in recs:
        r["explain"] = {k: v for k, v in r["explain"].items() if k != "as_of"}
    return json.dumps(recs, default=str)


def _jobs(st):
    return st.set_index("indicator").loc["DM.JOBS"]


def test_a_past_figure_is_reproduced_exactly_after_a_revision_and_an_undo(tmp_path):
    store = open_store(str(tmp_path / "m.duckdb"), seed_public=False)
    b1 = _load(
        store,
        dt.datetime(2026, 1, 10, 9),
        [("DM.JOBS", "2024-Q4", "", 120_000, 7), ("DM.JOBS", "2025-Q4", "", 150_000, 8)],
    )
    shown = dt.date(2026, 2, 1)  # the figure presented to the minister that day
    then = status_table(load_inputs(store), today=shown)

    b2 = _load(
        store,
        dt.datetime(2026, 3, 5, 14),
        [("DM.JOBS", "2025-Q4", "", 160_000, 9)],
        file="jobs_rev.csv",
    )
    now = _jobs(status_table(load_inputs(store), today=dt.date(2026, 3, 6)))
    assert now["latest_value"] == 160_000 and "revised" in now["flags"]
    assert (
        now["explain"]["latest"]["batch_id"],
        now["explain"]["latest"]["file"],
        now["explain"]["latest"]["row_number"],
    ) == (b2, "jobs_rev.csv", 9)

    again = status_table(load_inputs(store, as_of=shown), today=shown)
    assert _records(again) == _records(then)
    old = _jobs(again)
    assert old["latest_value"] == 150_000 and "revised" not in old["flags"]
    assert (old["explain"]["latest"]["batch_id"], old["explain"]["latest"]["row_number"]) == (b1, 8)
    assert old["explain"]["as_of"] == "2026-02-01"

    # Undo the revision on 10 March: the old value is current again; as of 6 March the revision still shows.
    with store.begin() as conn:
        conn.execute(
            sa.update(batch)
            .where(batch.c.batch_id == b2)
            .values(undone_at=dt.datetime(2026, 3, 10, 8), undone_by="admin")
        )
    assert (
        _jobs(status_table(load_inputs(store), today=dt.date(2026, 3, 11)))["latest_value"]
        == 150_000
    )
    assert (
        _jobs(status_table(load_inputs(store, as_of="2026-03-06"), today=dt.date(2026, 3, 6)))[
            "latest_value"
        ]
        == 160_000
    )


def test_a_demo_value_sharing_a_key_does_not_make_a_real_value_look_revised(tmp_path):
    store = open_store(str(tmp_path / "m.duckdb"), seed_public=False)
    _load(store, dt.datetime(2026, 1, 10), [("DM.JOBS", "2025-Q4", "", 150_000, 8)])
    _load(
        store,
        dt.datetime(2026, 1, 11),
        [("DM.JOBS", "2025-Q4", "", 99, None)],
        file="demo",
        demo=True,
    )
    inputs = load_inputs(store)
    row = inputs.observations.iloc[0]
    assert (row["value"], bool(row["demo"]), bool(row["revised"])) == (150_000, False, False)
    assert "revised" not in _jobs(status_table(inputs, today=dt.date(2026, 2, 1)))["flags"]


def test_load_inputs_reads_the_catalog_and_public_seed(db_url):
    store = open_store(db_url)
    inputs = load_inputs(store)
    assert len(inputs.indicators) == 32 and len(inputs.regions) == 12
    assert inputs.indicators["code"].iloc[0] == "IA.GDP"  # catalog order
    egdi = inputs.observations[inputs.observations["indicator"] == "DM.EGDI_RANK"]
    assert sorted(egdi["period"]) == [str(y) for y in range(2008, 2025, 2)]
    st = status_table(inputs, today=dt.date(2025, 1, 15)).set_index("indicator")
    # Real published values only: EGDI rank 101 (2022, baseline) -> 90 (2024), no target: improving.
    assert st.at["DM.EGDI_RANK", "status"] == "improving"
    assert st.at["DM.EGDI_RANK", "explain"]["latest"]["file"] == "observations_public.csv"

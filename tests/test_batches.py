"""Batches: undo restores the previous values exactly, history, the versions of one value, CSV export."""

import csv
import datetime as dt
import io

import pyarrow as pa
import pytest
import sqlalchemy as sa

from loaders.batches import EXPORT_HEADER, UndoError, export_csv, history, undo, value_history
from loaders.catalog import load_catalog
from loaders.ingest import ingest_long
from loaders.longform import LONG_SCHEMA, LongResult
from loaders.seed import add_demo
from loaders.store import batch, open_store

T1 = dt.datetime(2026, 4, 10, 9, 0)
T2 = dt.datetime(2026, 7, 12, 9, 0)
T3 = dt.datetime(2026, 8, 1, 9, 0)


def load(store, rows, when, file="report.csv", source="HCP", unit=None):
    """rows: (indicator, period, region, value, row_number)."""
    table = pa.Table.from_pylist(
        [
            {
                "indicator": i,
                "period": p,
                "region": r,
                "value": v,
                "unit": unit,
                "source": source,
                "comment": None,
                "file": file,
                "sheet": None,
                "row_number": n,
                "column": "D",
            }
            for i, p, r, v, n in rows
        ],
        schema=LONG_SCHEMA,
    )
    return ingest_long(store, [LongResult(table)], files=[file], user="analyst", now=when)


def values(store, as_of=None, indicator="IA.JOBS"):
    df = store.current_observations(as_of)
    df = df[df.indicator == indicator]
    return {(r.period, r.region): (r.value, r.batch_id) for r in df.itertuples()}


def test_undo_of_a_revision_makes_the_previous_values_current_again_exactly(db_url):
    store = open_store(db_url)
    b2 = load(
        store,
        [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2), ("IA.JOBS", "2026-Q1", "MA-01", 300.0, 3)],
        T1,
    )
    before = values(store)
    b3 = load(
        store,
        [
            ("IA.JOBS", "2026-Q1", "MA-06", 1250.0, 2),
            ("IA.JOBS", "2026-Q2", "MA-06", 1300.0, 3),
            ("IA.JOBS", "2026-Q1", "MA-01", 300.0, 4),
        ],
        T2,
        file="revision.csv",
    )
    assert (b2.batch_id, b3.batch_id, b3.revised, b3.inserted, b3.unchanged) == (2, 3, 1, 1, 1)
    assert values(store) == {
        ("2026-Q1", "MA-06"): (1250.0, 3),
        ("2026-Q1", "MA-01"): (300.0, 2),
        ("2026-Q2", "MA-06"): (1300.0, 3),
    }

    result = undo(store, 3, user="lead", now=T3)
    assert (result.batch_id, result.values, result.restored, result.removed) == (3, 2, 1, 1)
    assert (
        result.message
        == "Batch 3 undone: 1 values back to their previous version, 1 values removed"
    )
    assert (
        values(store)
        == before
        == {("2026-Q1", "MA-06"): (1200.0, 2), ("2026-Q1", "MA-01"): (300.0, 2)}
    )
    # As known before the undo, the revision is still what was shown then; before the revision, the original.
    assert values(store, dt.date(2026, 7, 20))[("2026-Q1", "MA-06")] == (1250.0, 3)
    assert values(store, dt.date(2026, 5, 1)) == before
    with store.begin() as conn:
        b = conn.execute(sa.select(batch).where(batch.c.batch_id == 3)).mappings().one()
        n = conn.execute(sa.text("SELECT count(*) FROM observation WHERE batch_id = 3")).scalar()
    assert (b["undone_at"], b["undone_by"], n) == (T3, "lead", 2)  # marked, nothing deleted


def test_undo_leaves_values_revised_by_a_later_batch_alone(store_path):
    store = open_store(store_path)
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)], T1)
    load(
        store,
        [("IA.JOBS", "2026-Q1", "MA-06", 1250.0, 2), ("IA.JOBS", "2026-Q1", "MA-02", 40.0, 3)],
        T2,
    )
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1260.0, 2)], T2 + dt.timedelta(days=1))
    result = undo(store, 3, user="lead", now=T3)
    # MA-06 was already revised again by batch 4: it stays 1260; MA-02 only existed in batch 3.
    assert (result.values, result.restored, result.removed) == (2, 0, 1)
    assert values(store) == {("2026-Q1", "MA-06"): (1260.0, 4)}
    # Undoing batch 4 now brings back batch 2's value, since batch 3 is undone.
    undo(store, 4, user="lead", now=T3 + dt.timedelta(hours=1))
    assert values(store) == {("2026-Q1", "MA-06"): (1200.0, 2)}


@pytest.fixture
def store_path(tmp_path):
    return str(tmp_path / "m.duckdb")


def test_undo_refusals_are_clear_errors(store_path):
    store = open_store(store_path)
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)], T1)
    undo(store, 2, user="lead", now=T3)
    cases = {
        99: ("unknown-batch", "There is no batch 99"),
        2: ("already-undone", "Batch 2 was already undone on 2026-08-01 09:00 by lead"),
        1: (
            "reference-batch",
            "Batch 1 holds the published reference figures shipped with the catalog; it cannot"
            " be undone. Upload a corrected value instead: that revision can be undone.",
        ),
    }
    for batch_id, (code, message) in cases.items():
        with pytest.raises(UndoError) as e:
            undo(store, batch_id, user="lead")
        assert (e.value.code, e.value.message) == (code, message)
    demo_id = add_demo(store, load_catalog(), today=dt.date(2026, 11, 22))
    with pytest.raises(UndoError) as e:
        undo(store, demo_id, user="lead", lang="fr")
    assert e.value.code == "demo-batch"
    assert e.value.message.startswith(f"Le lot {demo_id} contient les données de DÉMONSTRATION")


def test_history_lists_batches_newest_first(store_path):
    store = open_store(store_path)
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)], T1, file="a.csv")
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1250.0, 2)], T2, file="b.xlsx")
    undo(store, 3, user="lead", now=T3)
    h = history(store)
    assert list(h.columns) == [
        "batch_id",
        "created_at",
        "user_name",
        "origin",
        "files",
        "rows",
        "inserted",
        "revised",
        "unchanged",
        "demo",
        "undone_at",
        "undone_by",
    ]
    assert h.batch_id.tolist() == [3, 2, 1]
    top = h.iloc[0]
    assert (
        top.files,
        top.user_name,
        top.origin,
        top.rows,
        top.inserted,
        top.revised,
        top.undone_by,
    ) == ("b.xlsx", "analyst", "upload", 1, 0, 1, "lead")
    assert top.created_at == T2 and top.undone_at == T3
    assert h.iloc[2].origin == "public"


def test_value_history_shows_every_version_and_the_current_one(db_url):
    store = open_store(db_url)
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 5)], T1, file="a.csv")
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1250.0, 7)], T2, file="b.csv")
    vh = value_history(store, "IA.JOBS", "2026-Q1", "MA-06")
    assert vh[["batch_id", "value", "file", "row_number", "current"]].values.tolist() == [
        [2, 1200.0, "a.csv", 5, False],
        [3, 1250.0, "b.csv", 7, True],
    ]
    undo(store, 3, user="lead", now=T3)
    vh = value_history(store, "IA.JOBS", "2026-Q1", "MA-06")
    assert vh.current.tolist() == [True, False]
    assert vh.iloc[1].undone_by == "lead"
    national = value_history(store, "DM.EGDI_RANK", "2024", None)
    assert national[["batch_id", "value", "origin", "current"]].values.tolist() == [
        [1, 90.0, "public", True]
    ]


def _export(store, **kw) -> str:
    buf = io.BytesIO()
    export_csv(store, buf, **kw)
    return buf.getvalue().decode("utf-8")


def test_export_has_the_exact_header_and_iso_regions(db_url):
    store = open_store(db_url)
    load(
        store,
        [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2), ("IA.JOBS", "2026-Q1", "", 5000.0, 3)],
        T1,
        unit="emplois",
    )
    text = _export(store)
    lines = text.splitlines()
    assert lines[0] == "indicator,period,region,value,unit,source,batch_id,demo"
    assert tuple(lines[0].split(",")) == EXPORT_HEADER
    assert "IA.JOBS,2026-Q1,,5000.0,emplois,HCP,2,false" in lines
    assert "IA.JOBS,2026-Q1,MA-06,1200.0,emplois,HCP,2,false" in lines
    assert "DM.EGDI_RANK,2024,,90.0,rank,yabiladi.com/articles/details/154311,1,false" in lines
    assert len(lines) == 1 + 24 + 2


def test_export_escapes_formula_like_text_but_not_numbers(store_path, tmp_path):
    store = open_store(store_path)
    # (a negative value is out of range for every catalog unit now, so none can be loaded)
    rows = [("DM.PROC_TIME", "2025", "", 3.5, 2)]
    load(store, rows, T1, source='=HYPERLINK("http://x","y")')
    load(store, [("DM.PROC_STEPS", "2025", "", 12.0, 2)], T1, source="+33 rapport", file="b.csv")
    load(store, [("DM.SATISFACTION", "2025", "", 70.0, 2)], T1, source="@SUM(A1)", file="c.csv")
    load(store, [("DM.EXPORTS", "2025", "", 18.0, 2)], T1, source="\tcmd", file="d.csv")
    out = tmp_path / "export.csv"
    export_csv(store, out)
    rows = {r["indicator"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["DM.PROC_TIME"]["source"] == '\'=HYPERLINK("http://x","y")'
    assert rows["DM.PROC_TIME"]["value"] == "3.5"  # a number stays a number
    assert rows["DM.PROC_STEPS"]["source"] == "'+33 rapport"
    assert rows["DM.SATISFACTION"]["source"] == "'@SUM(A1)"
    assert rows["DM.EXPORTS"]["source"] == "'\tcmd"


def test_export_as_of_shows_what_was_known_then(store_path):
    store = open_store(store_path)
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)], T1)
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1250.0, 2)], T2)

    def jobs(text):
        return [line for line in text.splitlines() if line.startswith("IA.JOBS")]

    assert jobs(_export(store)) == ["IA.JOBS,2026-Q1,MA-06,1250.0,,HCP,3,false"]
    assert jobs(_export(store, as_of="2026-05-01")) == ["IA.JOBS,2026-Q1,MA-06,1200.0,,HCP,2,false"]
    assert jobs(_export(store, as_of=dt.date(2026, 4, 1))) == []

"""Batches: undo restores the previous values exactly, history, the versions of one value, CSV export."""

import csv
import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    assert (b2.batch_id, b3.batch_id, b3.revised, b3.inserted, b3.unchanged) == (25, 26, 1, 1, 1)
    # The unchanged MA-01 was reported again by batch 3: the latest report holds it.
    assert values(store) == {
        ("2026-Q1", "MA-06"): (1250.0, 26),
        ("2026-Q1", "MA-01"): (300.0, 26),
        ("2026-Q2", "MA-06"): (1300.0, 26),
    }

    result = undo(store, 26, user="lead", now=T3)
    assert (result.batch_id, result.values, result.restored, result.removed, result.kept) == (
        26,
        3,
        1,
        1,
        1,
    )
    assert result.message == (
        "Batch 26 undone: 1 values back to their previous version, 1 values removed,"
        " 1 values kept as other batches reported them too"
    )
    assert (
        values(store)
        == before
        == {("2026-Q1", "MA-06"): (1200.0, 25), ("2026-Q1", "MA-01"): (300.0, 25)}
    )
    # As known before the undo, the revision is still what was shown then; before the revision, the original.
    assert values(store, dt.date(2026, 7, 20))[("2026-Q1", "MA-06")] == (1250.0, 26)
    assert values(store, dt.date(2026, 5, 1)) == before
    with store.begin() as conn:
        b = conn.execute(sa.select(batch).where(batch.c.batch_id == 26)).mappings().one()
        n = conn.execute(sa.text("SELECT count(*) FROM observation WHERE batch_id = 26")).scalar()
    assert (b["undone_at"], b["undone_by"], n) == (T3, "lead", 3)  # marked, nothing deleted


def test_undo_leaves_values_revised_by_a_later_batch_alone(store_path):
    store = open_store(store_path)
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)], T1)
    load(
        store,
        [("IA.JOBS", "2026-Q1", "MA-06", 1250.0, 2), ("IA.JOBS", "2026-Q1", "MA-02", 40.0, 3)],
        T2,
    )
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1260.0, 2)], T2 + dt.timedelta(days=1))
    result = undo(store, 26, user="lead", now=T3)
    # MA-06 was already revised again by batch 4: it stays 1260; MA-02 only existed in batch 3.
    assert (result.values, result.restored, result.removed) == (2, 0, 1)
    assert values(store) == {("2026-Q1", "MA-06"): (1260.0, 27)}
    # Undoing batch 4 now brings back batch 2's value, since batch 3 is undone.
    undo(store, 27, user="lead", now=T3 + dt.timedelta(hours=1))
    assert values(store) == {("2026-Q1", "MA-06"): (1200.0, 25)}


@pytest.fixture
def store_path(tmp_path):
    return str(tmp_path / "m.duckdb")


def test_undo_refusals_are_clear_errors(store_path):
    store = open_store(store_path)
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)], T1)
    undo(store, 25, user="lead", now=T3)
    cases = {
        99: ("unknown-batch", "There is no batch 99"),
        25: ("already-undone", "Batch 25 was already undone on 2026-08-01 09:00 by lead"),
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
    undo(store, 26, user="lead", now=T3)
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
    assert h.batch_id.tolist() == list(range(26, 0, -1))
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
        [25, 1200.0, "a.csv", 5, False],
        [26, 1250.0, "b.csv", 7, True],
    ]
    undo(store, 26, user="lead", now=T3)
    vh = value_history(store, "IA.JOBS", "2026-Q1", "MA-06")
    assert vh.current.tolist() == [True, False]
    assert vh.iloc[1].undone_by == "lead"
    national = value_history(store, "DM.EGDI_RANK", "2024", None)
    assert national[["batch_id", "value", "origin", "current"]].values.tolist() == [
        [14, 90.0, "public", True]
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
    assert "IA.JOBS,2026-Q1,,5000.0,emplois,HCP,25,false" in lines
    assert "IA.JOBS,2026-Q1,MA-06,1200.0,emplois,HCP,25,false" in lines
    assert "DM.EGDI_RANK,2024,,90.0,rank,yabiladi.com/articles/details/154311,14,false" in lines
    assert len(lines) == 1 + 29 + 2


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

    assert jobs(_export(store)) == ["IA.JOBS,2026-Q1,MA-06,1250.0,,HCP,26,false"]
    assert jobs(_export(store, as_of="2026-05-01")) == [
        "IA.JOBS,2026-Q1,MA-06,1200.0,,HCP,25,false"
    ]
    assert jobs(_export(store, as_of=dt.date(2026, 4, 1))) == []


# -- undo of any batch = the batch never loaded ------------------------------------------------------------


def _current(store, as_of=None):
    df = store.current_observations(as_of)
    df = df[df.indicator == "IA.JOBS"]
    return {
        (r.period, r.region): (r.value, r.file, r.row_number, r.versions)
        for r in df.itertuples(index=False)
    }


def _state(store, as_of=None):
    """Current IA.JOBS values with their provenance (file and row), the export, and the versions in use."""
    current = _current(store, as_of)
    h = history(store)
    files = dict(zip(h.batch_id, h.files, strict=True))
    exported = [
        {**r, "batch_id": files[int(r["batch_id"])]}
        for r in csv.DictReader(io.StringIO(_export(store, as_of=as_of)))
        if r["indicator"] == "IA.JOBS"
    ]
    versions = {}
    for period, region in current:
        vh = value_history(store, "IA.JOBS", period, region)
        vh = vh[vh.undone_at.isna()]
        versions[(period, region)] = list(zip(vh.value, vh.file, vh.current, strict=True))
    return current, exported, versions


def test_undo_of_the_first_batch_keeps_a_value_a_later_batch_reported_unchanged(db_url):
    store = open_store(db_url)
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)], T1, file="a.csv")
    b = load(
        store,
        [("IA.JOBS", "2026-Q1", "MA-01", 300.0, 4), ("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 5)],
        T2,
        file="b.csv",
    )
    assert (b.batch_id, b.inserted, b.unchanged) == (26, 1, 1)
    result = undo(store, 25, user="lead", now=T3)
    # Batch 26 already held the current MA-06: undoing batch 25 changes no figure.
    assert (result.values, result.restored, result.removed, result.kept) == (1, 0, 0, 0)
    # MA-06 stays, and now traces to batch 3's file and row, as if batch 25 had never been loaded.
    assert values(store) == {("2026-Q1", "MA-06"): (1200.0, 26), ("2026-Q1", "MA-01"): (300.0, 26)}
    df = store.current_observations()
    row = df[(df.indicator == "IA.JOBS") & (df.region == "MA-06")].iloc[0]
    assert (row.file, row.row_number, row.versions) == ("b.csv", 5, 1)
    assert values(store, T3 + dt.timedelta(minutes=1)) == values(store)
    assert "IA.JOBS,2026-Q1,MA-06,1200.0,,HCP,26,false" in _export(store)
    vh = value_history(store, "IA.JOBS", "2026-Q1", "MA-06")
    assert list(zip(vh.batch_id, vh.current, strict=True)) == [(25, False), (26, True)]


# A few keys, a few values: random loads produce new, revised and unchanged values on the same keys.
_KEYS = [("2026-Q1", "MA-06"), ("2026-Q1", "MA-01"), ("2026-Q2", "MA-06")]
_LOADS = st.lists(
    st.dictionaries(st.sampled_from(_KEYS), st.sampled_from([100.0, 200.0, 300.0]), min_size=1),
    min_size=1,
    max_size=5,
)


@pytest.fixture(scope="module")
def empty_store_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "m.duckdb"
    open_store(str(path))
    return path


def _replay(path, loads):
    store = open_store(str(path))
    catalog = load_catalog()
    for n, (name, when, rows) in enumerate(loads):
        table = pa.Table.from_pylist(
            [
                {"indicator": "IA.JOBS", "period": p, "region": reg, "value": v, "source": "HCP"}
                | {"file": name, "row_number": 2 + i, "column": "D"}
                for i, ((p, reg), v) in enumerate(sorted(rows.items()))
            ],
            schema=LONG_SCHEMA,
        )
        r = ingest_long(
            store, [LongResult(table)], files=[name], user="u", now=when, catalog=catalog
        )
        assert r.batch_id is not None, (n, r.message)
    return store


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(loads=_LOADS, pick=st.integers(min_value=0, max_value=4))
def test_undo_of_any_batch_equals_replaying_the_loads_without_it(empty_store_file, loads, pick):
    pick %= len(loads)
    named = [(f"load{n}.csv", T1 + dt.timedelta(hours=n), rows) for n, rows in enumerate(loads)]
    undone_at = T1 + dt.timedelta(hours=10)
    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp) / "a.duckdb", Path(tmp) / "b.duckdb"
        shutil.copy(empty_store_file, first)
        shutil.copy(empty_store_file, second)
        store = _replay(first, named)
        undo(store, 25 + pick, user="lead", now=undone_at)
        replay = _replay(second, named[:pick] + named[pick + 1 :])
        later = undone_at + dt.timedelta(minutes=1)
        assert _state(store) == _state(replay)
        assert _current(store, later) == _current(replay, later)
        # And both follow the plain rule: the latest remaining load that reported a key gives its value.
        expected = {}
        for n, (name, _when, rows) in enumerate(named):
            if n != pick:
                for i, (key, v) in enumerate(sorted(rows.items())):
                    expected[key] = (v, name, 2 + i)
        assert {k: v[:3] for k, v in _current(store).items()} == expected


# -- as known on a date in Morocco ---------------------------------------------------------------------------


def test_as_of_a_date_means_the_end_of_that_day_in_casablanca(db_url):
    store = open_store(db_url)
    # 23:30 UTC on 14 June is 00:30 on 15 June in Casablanca (UTC+1 outside Ramadan).
    late = dt.datetime(2026, 6, 14, 23, 30)
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)], late, file="late.csv")
    assert values(store, dt.date(2026, 6, 14)) == {}
    assert values(store, "2026-06-14") == {}
    assert values(store, dt.date(2026, 6, 15)) == {("2026-Q1", "MA-06"): (1200.0, 25)}
    assert "IA.JOBS" not in _export(store, as_of=dt.date(2026, 6, 14))
    assert "IA.JOBS,2026-Q1,MA-06,1200.0" in _export(store, as_of=dt.date(2026, 6, 15))


def test_during_ramadan_casablanca_is_on_utc_so_23_30_utc_is_still_the_same_day(store_path):
    store = open_store(store_path)
    # 1 March 2026 falls in Ramadan: Morocco is on UTC+0, so 23:30 UTC is 23:30 on 1 March there.
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)], dt.datetime(2026, 3, 1, 23, 30))
    assert values(store, dt.date(2026, 3, 1)) == {("2026-Q1", "MA-06"): (1200.0, 25)}
    assert values(store, dt.date(2026, 2, 28)) == {}


def test_an_undo_late_in_the_utc_evening_counts_on_the_next_moroccan_day(store_path):
    store = open_store(store_path)
    load(store, [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)], T1)
    undo(
        store, 25, user="lead", now=dt.datetime(2026, 6, 14, 23, 30)
    )  # 15 June, 00:30 in Casablanca
    assert values(store, dt.date(2026, 6, 14)) == {("2026-Q1", "MA-06"): (1200.0, 25)}
    assert values(store, dt.date(2026, 6, 15)) == {}

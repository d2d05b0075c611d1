"""The History page through AppTest: undone batches marked in words and greyed, versions open on a value."""

import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kpis import view_history as vh
from loaders.ingest import ingest
from loaders.store import open_store

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"


def _page(db, lang, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["pages/history.py", "--db", str(db)])
    monkeypatch.setenv("MARSAD_USER", "lead")
    at = AppTest.from_file(str(ROOT / "pages" / "history.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


def _loaded_and_undone(tmp_path):
    from loaders.batches import undo

    db = tmp_path / "m.duckdb"
    store = open_store(str(db))
    first = ingest(store, [FIX / "good_long_three_values.csv"], user="amina").batch_id
    second = ingest(store, [FIX / "revision_casa_jobs.csv"], user="omar").batch_id
    undo(store, second, user="lead")
    return db, first, second


def test_an_undone_batch_is_marked_in_words_and_greyed(tmp_path, monkeypatch):
    db, first, second = _loaded_and_undone(tmp_path)
    at = _page(db, "en", monkeypatch)
    assert not at.exception
    batches = at.table[0].value
    status = dict(zip(batches["Batch"], batches["Status"], strict=True))
    assert status[second].startswith("undone on ") and status[second].endswith(" by lead")
    assert status[first] == "in force"
    # nine columns: all visible at 1440 px in English and French (checked in the browser test)
    assert list(batches.columns) == [
        "Batch",
        "Loaded on",
        "By",
        "Origin",
        "Files",
        "New",
        "Revised",
        "Unchanged",
        "Status",
    ]


def test_the_undone_style_marks_only_undone_rows(tmp_path):
    import pandas as pd

    batches = pd.DataFrame(
        {
            "batch_id": [26, 25],
            "created_at": [pd.Timestamp("2026-06-14 23:30"), pd.Timestamp("2026-06-14 10:00")],
            "user_name": ["omar", "amina"],
            "origin": ["upload", "upload"],
            "files": ["b.csv", "a.csv"],
            "inserted": [1, 3],
            "revised": [1, 0],
            "unchanged": [0, 0],
            "undone_at": [pd.Timestamp("2026-06-15 08:00"), None],
            "undone_by": ["lead", None],
        }
    )
    frame = vh.batches_frame(batches, "fr", lambda t: t)
    assert frame["Statut"].tolist() == ["annulé le 2026-06-15 08:00 par lead", "en vigueur"]
    html = vh.styled(frame, vh.undone_rows(batches)).to_html()
    assert html.count("line-through") == 1  # one CSS rule, for the undone row's cells


def test_versions_open_on_an_indicator_that_has_values(tmp_path, monkeypatch):
    db, _first, _second = _loaded_and_undone(tmp_path)
    at = _page(db, "en", monkeypatch)
    from loaders.batches import value_keys

    store = open_store(str(db))
    picker = at.selectbox(key="vh_indicator")
    codes = [o.rsplit("(", 1)[1].rstrip(")") for o in picker.options]
    with_values = [c for c in codes if not value_keys(store, c).empty]
    assert picker.value == with_values[0]  # the first indicator, in catalog order, that has a value
    assert not any("No value has been loaded" in c.value for c in at.caption)
    versions = at.dataframe[-1].value  # the versions stay a data grid in English
    assert "Where" in versions.columns and len(versions) >= 1


def test_the_arabic_history_page_renders_the_marked_table(tmp_path, monkeypatch):
    db, _first, second = _loaded_and_undone(tmp_path)
    at = _page(db, "ar", monkeypatch)
    assert not at.exception
    batches = at.table[0].value
    assert len(batches.columns) == 9
    assert batches.iloc[0, -1].startswith("أُلغيت في ")  # the newest batch, undone

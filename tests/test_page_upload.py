"""The Upload page through AppTest: a good file is previewed then loaded on confirm; a bad one writes nothing."""

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.batches import history
from loaders.store import open_store

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "upload.py")
FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"


def _page(db, lang, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["pages/upload.py", "--db", str(db)])
    monkeypatch.setenv("MARSAD_USER", "analyste")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


def _tables(at):
    """The tables on the page, in order: data grids, or HTML tables in Arabic (pages._ui.show_table)."""
    return [d.value for d in at.dataframe] or [t.value for t in at.table]


def _upload(at, *names):
    files = [(n, (FIX / n).read_bytes(), "text/csv") for n in names]
    at.file_uploader(key="upload_files").set_value(files)
    return at.run()


def test_good_file_preview_then_confirm_commits_one_batch(tmp_path, monkeypatch):
    db = tmp_path / "m.duckdb"
    at = _page(db, "en", monkeypatch)
    assert not at.exception
    assert at.title[0].value == "Upload reports"
    assert at.get("download_button")  # the template download is offered
    at = _upload(at, "good_long_three_values.csv")
    assert not at.exception
    assert [m.value for m in at.metric] == ["3", "3", "0", "0"]  # read, new, revised, unchanged
    (new,) = _tables(at)
    assert new["Region"].tolist() == ["Casablanca-Settat", "Tangier-Tetouan-Al Hoceima", "National"]
    assert new["New value"].tolist() == ["1,200", "300", "18.5"]
    assert len(history(open_store(str(db)))) == 24  # nothing written before confirming

    at.button(key="confirm_upload").click()
    at.run()
    assert not at.exception
    assert at.success[0].value == "Batch 25 loaded: 3 new, 0 revised, 0 unchanged"
    h = history(open_store(str(db)))
    assert h.batch_id.tolist() == list(range(25, 0, -1))
    assert (h.iloc[0].user_name, h.iloc[0].files, h.iloc[0].inserted) == (
        "analyste",
        "good_long_three_values.csv",
        3,
    )


def test_revision_is_previewed_old_to_new(tmp_path, monkeypatch):
    db = tmp_path / "m.duckdb"
    at = _upload(_page(db, "fr", monkeypatch), "good_long_three_values.csv")
    at.button(key="confirm_upload").click()
    at.run()
    at = _upload(_page(db, "fr", monkeypatch), "revision_casa_jobs.csv")
    assert not at.exception
    revised, new = _tables(at)
    assert new["Région"].tolist() == ["L'Oriental"]  # MA-02, the new value of the revision file
    assert revised[["Ancienne valeur", "Nouvelle valeur", "Région"]].values.tolist() == [
        ["1\u202f200", "1\u202f250", "Casablanca-Settat"]
    ]  # narrow no-break space


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_bad_file_shows_problems_and_writes_nothing(tmp_path, monkeypatch, lang):
    db = tmp_path / "m.duckdb"
    at = _upload(_page(db, lang, monkeypatch), "bad_number_row4.csv")
    assert not at.exception
    assert at.error, "the page says the upload is blocked"
    problems, good = _tables(at)  # the problems, then the rows without errors
    titles = problems[{"en": "Problem", "ar": "المشكلة"}[lang]].tolist()
    rows = problems[{"en": "Row", "ar": "السطر"}[lang]].tolist()
    assert (titles, rows) == ([{"en": "Not a number", "ar": "ليس عددا"}[lang]], [4])
    assert good[{"en": "Where", "ar": "الموضع"}[lang]].tolist() == [
        "bad_number_row4.csv · 2",
        "bad_number_row4.csv · 3",
        "bad_number_row4.csv · 5",
    ]
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(
        label.startswith({"en": "Download the problems", "ar": "تنزيل المشاكل"}[lang])
        for label in labels
    )
    assert all(b.key != "confirm_upload" for b in at.button)
    assert len(history(open_store(str(db)))) == 24


def test_a_rejected_upload_offers_its_good_rows_as_a_corrected_template(tmp_path, monkeypatch):
    from loaders.catalog import load_catalog
    from loaders.ingest import read_files

    db = tmp_path / "m.duckdb"
    at = _upload(_page(db, "fr", monkeypatch), "bad_number_row4.csv")
    _problems, good = _tables(at)
    assert good["Région"].tolist() == [
        "Casablanca-Settat",
        "Tanger-Tétouan-Al Hoceïma",
        "Fès-Meknès",
    ]
    assert good["Valeur"].tolist() == ["1\u202f200", "300", "40"]
    (button,) = [
        b for b in at.get("download_button") if b.proto.label.startswith("Télécharger un modèle")
    ]
    # The downloadable bytes are served by Streamlit's media store: rebuild them as the page does.
    from kpis import view_upload as vu
    from loaders.ingest import ingest_uploads
    from loaders.template import build_template

    check = ingest_uploads(
        open_store(str(db)),
        [("r.csv", (FIX / "bad_number_row4.csv").read_bytes())],
        user="x",
        dry_run=True,
    )
    assert check.status == "rejected" and check.changes.num_rows == 3
    out = build_template(
        open_store(str(db)),
        tmp_path / "corrected.xlsx",
        lang="fr",
        rows=vu.template_rows(check.changes),
    )
    (long,) = [lr for lr in read_files([out], load_catalog(), lang="fr") if lr.rows.num_rows]
    assert sorted(
        zip(long.rows["region"].to_pylist(), long.rows["value"].to_pylist(), strict=True)
    ) == [("MA-01", 300.0), ("MA-03", 40.0), ("MA-06", 1200.0)]


def test_missing_regions_are_named_before_confirm(tmp_path, monkeypatch):
    at = _upload(_page(tmp_path / "m.duckdb", "en", monkeypatch), "good_long_three_values.csv")
    (note,) = [w.value for w in at.warning if "regions reported" in w.value]
    assert note.count("IA.JOBS") == 1  # one indicator and period: one line
    assert "2 of 12 regions reported; missing: Oriental, Fez-Meknes, Rabat-Sale-Kenitra" in note
    assert "Casablanca-Settat" not in note.split("missing:")[1]
    assert "Dakhla-Oued Ed-Dahab" in note


def test_the_uploader_is_asked_for_a_name_and_it_is_recorded(tmp_path, monkeypatch):
    db = tmp_path / "m.duckdb"
    at = _page(db, "en", monkeypatch)
    monkeypatch.delenv("MARSAD_USER")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at = _upload(at, "good_long_three_values.csv")
    assert at.button(key="confirm_upload").disabled  # no name yet
    at.text_input(key="user_name_input").input("Salma Benali").run()
    assert not at.button(key="confirm_upload").disabled
    at.button(key="confirm_upload").click()
    at.run()
    assert not at.exception
    assert history(open_store(str(db))).iloc[0].user_name == "Salma Benali"
    assert at.session_state["user_name"] == "Salma Benali"  # kept for the session


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    at = _page(tmp_path / "m.duckdb", "en", monkeypatch)
    at.file_uploader(key="upload_files").set_value(
        [("report.xlsx", b"PK\x03\x04 junk", "application/octet-stream")]
    )
    at.run()
    assert not at.exception
    (problems,) = _tables(at)
    assert problems["Problem"].tolist() == ["Unreadable file"] and problems["File"].tolist() == [
        "report.xlsx"
    ]


def test_history_page_undoes_a_batch_only_after_confirmation(tmp_path, monkeypatch):
    from loaders.ingest import ingest

    db = tmp_path / "m.duckdb"
    store = open_store(str(db))
    ingest(store, [FIX / "good_long_three_values.csv"], user="amina")
    ingest(store, [FIX / "revision_casa_jobs.csv"], user="omar")
    monkeypatch.setattr(sys, "argv", ["pages/history.py", "--db", str(db)])
    monkeypatch.setenv("MARSAD_USER", "lead")
    at = AppTest.from_file(str(ROOT / "pages" / "history.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    batches = at.table[0].value
    assert batches["Batch"].tolist() == list(range(26, 0, -1))
    assert batches["Origin"].tolist() == ["upload", "upload"] + ["published reference"] * 24
    assert at.selectbox(key="undo_pick").value == 26

    at.button(key="undo_ask").click()
    at.run()
    assert at.warning[0].value.startswith("Undo batch 26?")
    assert history(open_store(str(db))).undone_at.isna().all()  # asking is not undoing

    at.button(key="undo_confirm_button").click()
    at.run()
    assert not at.exception
    assert (
        at.success[0].value
        == "Batch 26 undone: 1 values back to their previous version, 1 values removed,"
        " 1 values kept as other batches reported them too"
    )
    h = history(open_store(str(db)))
    assert h.set_index("batch_id").loc[26, "undone_by"] == "lead"
    assert at.selectbox(key="undo_pick").options == [
        "Batch 25 · good_long_three_values.csv · "
        + at.table[0].value["Loaded on"].iloc[1]
        + " · amina"
    ]


def test_confirm_after_a_colleague_loaded_the_same_value_shows_the_new_preview(
    tmp_path, monkeypatch
):
    from loaders.ingest import ingest

    db = tmp_path / "m.duckdb"
    at = _upload(_page(db, "fr", monkeypatch), "stale_preview_one_new_value.csv")
    assert [m.value for m in at.metric] == ["1", "1", "0", "0"]  # read, new, revised, unchanged
    # Between the preview and Confirm, a colleague loads Casablanca-Settat jobs 2026-Q1 = 1200.
    ingest(open_store(str(db)), [FIX / "good_long_three_values.csv"], user="omar")

    at.button(key="confirm_upload").click()
    at.run()
    assert not at.exception
    assert not at.success  # nothing committed
    assert at.warning[0].value.startswith("Les données ont changé depuis votre aperçu")
    assert [m.value for m in at.metric] == ["1", "0", "1", "0"]  # the new preview: one revision
    (revised,) = _tables(at)
    assert revised[["Ancienne valeur", "Nouvelle valeur"]].values.tolist() == [
        ["1\u202f200", "1\u202f250"]
    ]
    assert history(open_store(str(db))).batch_id.tolist()[:2] == [
        25,
        24,
    ]  # the colleague's batch only

    at.button(key="confirm_upload").click()  # the analyst has now seen the revision and confirms it
    at.run()
    assert at.success[0].value.startswith("Lot 26 chargé")
    assert history(open_store(str(db))).batch_id.tolist()[:3] == [26, 25, 24]


def test_history_page_shows_batch_times_in_casablanca(tmp_path, monkeypatch):
    import datetime as dt

    from loaders.ingest import ingest

    db = tmp_path / "m.duckdb"
    store = open_store(str(db))
    # Loaded at 23:30 UTC on 14 June 2026: 00:30 on 15 June in Morocco (UTC+1).
    ingest(
        store,
        [FIX / "good_long_three_values.csv"],
        user="amina",
        now=dt.datetime(2026, 6, 14, 23, 30),
    )
    monkeypatch.setattr(sys, "argv", ["pages/history.py", "--db", str(db)])
    at = AppTest.from_file(str(ROOT / "pages" / "history.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    batches = at.table[0].value
    assert batches["Loaded on"].iloc[0] == "2026-06-15 00:30"

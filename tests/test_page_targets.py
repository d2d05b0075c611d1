"""The Targets page in each language: original and current target, progress against both, a change saved and
undone from the page, a change the catalog schema refuses."""

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders import targets
from loaders.i18n import translator
from loaders.ingest import ingest_long
from loaders.store import open_store
from tests.test_ingest import long_rows

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _page(db, lang, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.switch_page("pages/targets.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_targets_page_changes_and_undoes_a_target(tmp_path, monkeypatch, lang):
    monkeypatch.delenv("MARSAD_REVIEW", raising=False)
    _ = translator(lang)
    db = tmp_path / "t.duckdb"
    store = open_store(str(db))
    ingest_long(
        store, [long_rows([("DM.FTTH", "2026-Q2", None, 3.55, 2)])], files=["a.csv"], user="amina"
    )
    at = _page(db, lang, monkeypatch)
    assert at.title[0].value == _("Targets")
    at.text_input(key="targets_user").set_value("admin1").run()
    at.selectbox(key="targets_code").set_value("DM.FTTH").run()
    # (3.55 - 1.5) / (5.6 - 1.5) = 50 % against both while nothing changed.
    assert at.metric[2].value == at.metric[3].value
    at.number_input(key="targets_value").set_value(9.7).run()
    at.text_input(key="targets_source").set_value("Décision ANRT 2026-14").run()
    at.button(key="targets_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.success[0].value == _("Change saved")
    assert at.metric[0].label == _("Original target")
    # 2.05 / 8.2 = 25 % against the new target; the original's 50 % stays readable.
    assert "25" in at.metric[3].value and "50" in at.metric[2].value
    (rid,) = targets.revisions(store, "DM.FTTH")["revision_id"]
    at.button(key="targets_undo").click().run()
    assert at.success[0].value == _("Change undone")
    assert targets.revisions(store, "DM.FTTH")["undone_by"].iloc[0] == "admin1"


def test_targets_page_reports_a_change_the_schema_refuses(tmp_path, monkeypatch):
    db = tmp_path / "t.duckdb"
    open_store(str(db))
    at = _page(db, "en", monkeypatch)
    at.text_input(key="targets_user").set_value("admin1").run()
    at.selectbox(key="targets_code").set_value("DM.5G").run()
    at.number_input(key="targets_value").set_value(120.0).run()
    at.text_input(key="targets_source").set_value("letter").run()
    at.button(key="targets_save").click().run()
    assert at.error[0].value == "DM.5G: target 120 is outside the unit's range (%)"


def test_targets_page_writes_years_as_years_in_arabic(tmp_path, monkeypatch):
    db = tmp_path / "t.duckdb"
    open_store(str(db))
    at = _page(db, "ar", monkeypatch)
    at.text_input(key="targets_user").set_value("admin1").run()
    at.selectbox(key="targets_code").set_value("DM.FTTH").run()
    at.number_input(key="targets_value").set_value(9.7).run()
    at.text_input(key="targets_source").set_value("ANRT").run()
    at.button(key="targets_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    # The catalog's 2030 target, before and after the change; never "2030.0".
    assert all("2030" in m.value and "2030.0" not in m.value for m in at.metric[:2])
    # In Arabic the changes are an HTML table (right to left): its year cell reads 2030.
    (table,) = at.table
    assert "2030" in str(table.proto) and "2030.0" not in str(table.proto)

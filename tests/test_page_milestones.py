"""The Milestones page through AppTest in each language: JAZARI institutes by region and date from the
published observations, regulatory milestones due, filters from the link."""

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TITLES = {"ar": "المراحل", "fr": "Jalons", "en": "Milestones"}


def _open(db, lang, params, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/milestones.py")
    return at.run()


def _table(at):
    return (at.table[0] if len(at.table) else at.dataframe[0]).value


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_five_jazari_institutes_done_and_seven_regions_due(tmp_path, monkeypatch, lang):
    at = _open(tmp_path / "m.duckdb", lang, {"kind": "jazari"}, monkeypatch)
    assert not at.exception
    assert at.title[0].value == TITLES[lang]
    # Published: Guelmim-Oued Noun (2025-Q2), Oriental (Q3), Dakhla (Q4), Rabat and Fès (2026-Q1).
    assert [m.value for m in at.metric] == ["5", "7", "0"]  # done, due (by end 2030), overdue
    t = _table(at)
    assert len(t) == 12
    assert len(at.get("plotly_chart")) == 1


def test_one_region_from_the_link_shows_its_institute_with_date_and_source(tmp_path, monkeypatch):
    at = _open(tmp_path / "m.duckdb", "en", {"region": "MA-10"}, monkeypatch)
    assert not at.exception
    (row,) = _table(at).to_dict("records")
    assert row["Date"] == "Jun 30, 2025"
    assert row["Commitment"] == "JAZARI institute · Guelmim-Oued Noun"
    assert row["Detail"] == "Q2 2025 · First institute (Guelmim-Oued Noun)"
    assert row["Source"].startswith("fundsbeeline.com")


def test_regulatory_milestones_are_due_without_reports_and_the_state_filter_empties(
    tmp_path, monkeypatch
):
    at = _open(tmp_path / "m.duckdb", "fr", {"kind": "event"}, monkeypatch)
    assert not at.exception
    t = _table(at)
    assert len(t) == 4 and "Loi du digital X.0 adoptée" in set(t["Engagement"])
    assert set(t["État"]) == {"À venir"}  # none reported done: all four are due
    at = _open(tmp_path / "m2.duckdb", "fr", {"kind": "event", "state": "done"}, monkeypatch)
    assert [i.value for i in at.info] == ["Rien ne correspond à ces filtres."]


@pytest.mark.parametrize(
    ("lang", "note"),
    [("fr", "Premier institut (Guelmim-Oued Noun)"), ("ar", "أول معهد (كلميم-واد نون)")],
)
def test_an_institutes_note_reads_in_the_page_language(tmp_path, monkeypatch, lang, note):
    at = _open(tmp_path / "m.duckdb", lang, {"region": "MA-10"}, monkeypatch)
    assert not at.exception
    (row,) = _table(at).to_dict("records")
    detail = row[list(row)[3]]
    assert detail.endswith(note) and "First institute" not in detail

"""The Overview page through AppTest in each language: real figures with sources, DEMO marking, empty states."""

import sys

import pytest
from streamlit.testing.v1 import AppTest

APP = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "app.py")

TITLES = {
    "ar": "تقدّم خارطة الطريق",
    "fr": "Avancement de la feuille de route",
    "en": "Roadmap progress",
}
EGDI_NAMES = {
    "ar": "الترتيب في مؤشر الأمم المتحدة لتنمية الحكومة الإلكترونية",
    "fr": "Rang à l'indice ONU de développement de l'e-gouvernement (EGDI)",
    "en": "UN E-Government Development Index rank",
}


def _run(db, lang, *extra, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db), *extra])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    return at.run()


def _egdi_row(at, lang):
    for t in at.table:
        df = t.value
        hits = df[df.iloc[:, 0] == EGDI_NAMES[lang]]
        if len(hits):
            return hits.iloc[0]
    raise AssertionError("EGDI row not found")


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_overview_shows_real_published_figures_with_source(tmp_path, monkeypatch, lang):
    from loaders.catalog import load_catalog

    names = {i.code: getattr(i, f"name_{lang}") for i in load_catalog().indicators}
    assert names["DM.EGDI_RANK"] == EGDI_NAMES[lang]  # the catalog is where names come from
    at = _run(tmp_path / "m.duckdb", lang, monkeypatch=monkeypatch)
    assert not at.exception
    assert at.title[0].value == TITLES[lang]
    assert len(at.table) == 6  # one per pillar
    row = _egdi_row(at, lang)
    # The 2024 UN EGDI rank of Morocco is 90th (from 101st in 2022), as published.
    latest = {"ar": "90 الترتيب", "fr": "90 rang", "en": "90 rank"}[lang]  # units.csv labels
    assert row.iloc[1] == latest
    # The value's own source, as the outlet's name in the page language (data/catalog/sources.csv).
    assert row.iloc[-1] == {"ar": "يابلادي", "fr": "Yabiladi", "en": "Yabiladi"}[lang]
    assert not any("DEMO" in w.value or "DÉMO" in w.value for w in at.warning)
    assert at.query_params["lang"] == [lang] or at.query_params["lang"] == lang


def test_overview_empty_state_and_counts_without_demo(tmp_path, monkeypatch):
    at = _run(tmp_path / "m.duckdb", "en", monkeypatch=monkeypatch)
    jobs = None
    for t in at.table:
        df = t.value
        hit = df[df["Indicator"] == "Direct and indirect AI-related jobs"]
        if len(hit):
            jobs = hit.iloc[0]
    assert jobs["Latest value"] == "Not reported yet"
    assert jobs["Target"] == "50,000 jobs (2030)"
    assert jobs["Status"] == "Not enough data"
    assert at.metric[0].value == "32"


def test_overview_marks_demo_data(tmp_path, monkeypatch):
    at = _run(tmp_path / "m.duckdb", "fr", "--demo", monkeypatch=monkeypatch)
    assert not at.exception
    assert any("DÉMO" in w.value for w in at.warning)
    cells = [v for t in at.table for v in t.value["Dernière valeur"]]
    assert any("DÉMO" in v for v in cells)
    # The real published rank still wins over the demo value for the same period.
    assert _egdi_row(at, "fr").iloc[1] == "90 rang"


# Adding/removing DEMO data and switching language are clicked through in tests/test_browser.py:
# AppTest drops sidebar widgets on a second run of an st.navigation app, a real browser does not.

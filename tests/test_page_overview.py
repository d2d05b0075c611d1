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


def _grids(at):
    """The per-pillar grids as read left to right (an Arabic grid is drawn with its columns reversed)."""
    return [d.value for d in at.dataframe]


def _col(lang, msgid):
    from loaders.i18n import translator

    return translator(lang)(msgid)


def _egdi_row(at, lang):
    for df in _grids(at):
        hits = df[df[_col(lang, "Indicator")] == EGDI_NAMES[lang]]
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
    assert len(at.dataframe) == 6  # one per pillar
    row = _egdi_row(at, lang)
    # The 2024 UN EGDI rank of Morocco is 90th (from 101st in 2022), as published.
    latest = {"ar": "90 الترتيب", "fr": "90 rang", "en": "90 rank"}[lang]  # units.csv labels
    assert row[_col(lang, "Latest value")] == latest
    source = [
        r[_col(lang, "Source")]
        for t in at.table
        for r in t.value.to_dict("records")
        if r[_col(lang, "Indicator")] == EGDI_NAMES[lang]
    ]
    # The value's own source, as the outlet's name in the page language (data/catalog/sources.csv).
    assert source == [{"ar": "يابلادي", "fr": "Yabiladi", "en": "Yabiladi"}[lang]]
    # Its sparkline is the published ranks of the survey editions, 2008 to 2024.
    assert list(row[_col(lang, "Trend")]) == [140, 126, 120, 82, 85, 110, 106, 101, 90]
    # Right to left in Arabic: the indicator's name is the grid's rightmost column.
    first = _grids(at)[0].columns
    assert (first[-1] if lang == "ar" else first[0]) == _col(lang, "Indicator")
    assert not any("DEMO" in w.value or "DÉMO" in w.value for w in at.warning)
    assert at.query_params["lang"] == [lang] or at.query_params["lang"] == lang


def test_overview_empty_state_and_counts_without_demo(tmp_path, monkeypatch):
    at = _run(tmp_path / "m.duckdb", "en", monkeypatch=monkeypatch)
    jobs = None
    for df in _grids(at):
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
    cells = [v for df in _grids(at) for v in df["Dernière valeur"]]
    assert any("DÉMO" in v for v in cells)
    # The real published rank still wins over the demo value for the same period.
    assert _egdi_row(at, "fr")["Dernière valeur"] == "90 rang"


# Adding/removing DEMO data and switching language are clicked through in tests/test_browser.py:
# AppTest drops sidebar widgets on a second run of an st.navigation app, a real browser does not.


def _qp(at, key):
    v = at.query_params.get(key)
    return v[0] if isinstance(v, list) else v


def _run_url(db, lang, params, *extra, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db), *extra])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


STALE_ESERVICES = {
    # 2025-Q1 ends 31 March 2025; ADD owes Q2's value 45 days after 30 June (14 August) and Q3's 45 days
    # after 30 September: 14 November 2025. Stale from the day after (kpis/freshness.py).
    "en": "Stale since Nov 15, 2025",
    "fr": "Ancienne depuis le 15 nov. 2025",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_filters_from_a_shared_link_show_only_stale_indicators_with_their_badge(
    tmp_path, monkeypatch, lang
):
    at = _run_url(
        tmp_path / "m.duckdb", lang, {"status": "stale", "pillar": "EGOV"}, monkeypatch=monkeypatch
    )
    assert not at.exception
    grids = _grids(at)
    assert len(grids) == 1  # only the e-government pillar
    (row,) = grids[0].to_dict("records")  # only its stale indicator: online services, 2025-Q1
    assert row[_col(lang, "Freshness")] == STALE_ESERVICES[lang]
    assert at.multiselect[0].value == ["EGOV"] and at.multiselect[1].value == ["stale"]
    assert _qp(at, "pillar") == "EGOV" and _qp(at, "status") == "stale"


def test_arabic_region_filter_keeps_regional_indicators_and_the_url(tmp_path, monkeypatch):
    at = _run_url(
        tmp_path / "m.duckdb", "ar", {"region": "MA-10", "pillar": "INN"}, monkeypatch=monkeypatch
    )
    assert not at.exception
    (grid,) = _grids(at)
    assert list(grid.columns)[-1] == "المؤشر"  # drawn right to left
    jazari = grid[grid["المؤشر"] == "معاهد الجزري المُطلقة أو الموقَّعة اتفاقياتها"].iloc[0]
    # Guelmim-Oued Noun's first institute, launched at GITEX Africa (2025-Q2).
    assert jazari["آخر قيمة"].startswith("1 ")
    assert len(grid) == 2  # INN indicators reported by region: AI graduates and JAZARI
    assert at.selectbox[0].value == "MA-10"
    assert _qp(at, "region") == "MA-10"


def test_demo_rows_have_a_sparkline_and_progress_against_the_expected_path(tmp_path, monkeypatch):
    at = _run_url(
        tmp_path / "m.duckdb",
        "en",
        {"pillar": "IMP", "method": "trajectory"},
        "--demo",
        monkeypatch=monkeypatch,
    )
    assert not at.exception
    (grid,) = _grids(at)
    jobs = grid[grid["Indicator"] == "Direct and indirect AI-related jobs"].iloc[0]
    assert len(list(jobs["Trend"])) >= 8  # DEMO quarters from 2024-Q1
    assert 0 < jobs["Progress"] < 100 and 0 < jobs["Expected by now"] < 100  # percent bars
    assert "method" not in at.query_params  # the default method is left out of the link


def test_as_of_and_method_come_from_the_link(tmp_path, monkeypatch):
    at = _run_url(
        tmp_path / "m.duckdb",
        "en",
        {"as_of": "2025-06-30", "method": "growth-ratio"},
        monkeypatch=monkeypatch,
    )
    assert not at.exception
    assert "figures as known on June 30, 2025" in at.caption[0].value
    assert "Growth ratio" in at.caption[0].value
    # As known on 30 June 2025 the online-services count of 2025-Q1 was still fresh.
    names = [n for df in _grids(at) for n in df["Indicator"]]
    assert "Public services available online" in names
    # (a grid where nothing is stale has no freshness column at all)
    stale = {
        n: f
        for df in _grids(at)
        for n, f in zip(df["Indicator"], df.get("Freshness", [""] * len(df)), strict=True)
    }
    assert stale["Public services available online"] == ""
    assert "Stale since" in "".join(stale.values())  # others were stale then (e.g. 2022 values)
    assert _qp(at, "as_of") == "2025-06-30"

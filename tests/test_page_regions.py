"""The Regions page through AppTest in each language, on the real JAZARI institute openings: per-capita
comparison, disparity figures, lagging regions named from the catalog, map attribution, empty state."""

import json
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpis.charts import MAP_ATTRIBUTION
from loaders.i18n import translator

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))

# Published openings (data/catalog/observations_public.csv): Guelmim-Oued Noun (MA-10, 2025-Q2),
# Nador in L'Oriental (MA-02, 2025-Q3), Dakhla (MA-12, 2025-Q4), Rabat (MA-04) and Fès (MA-03) in 2026-Q1.
# 2024 census total 36,828,330: reference = 5 / 36,828,330 x 100,000 = 0.0136 institutes per 100,000.
# A region lags below 75 % of it (0.0102): the seven regions without an institute.
LAGGING_FR = {
    "Tanger-Tétouan-Al Hoceïma",
    "Béni Mellal-Khénifra",
    "Casablanca-Settat",
    "Marrakech-Safi",
    "Drâa-Tafilalet",
    "Souss-Massa",
    "Laâyoune-Sakia El Hamra",
}


def _page(db, lang, *, monkeypatch, **params):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page("pages/regions.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value.translate(ISOLATES) for m in at.metric}


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_real_institute_openings_compared_per_inhabitant(tmp_path, monkeypatch, lang):
    _ = translator(lang)
    at = _page(tmp_path / "m.duckdb", lang, code="IA.JAZARI", monkeypatch=monkeypatch)
    assert at.title[0].value == _("Regions")
    period = at.selectbox(key="regions_period_IA.JAZARI")
    assert period.value == "2026-Q1"  # the latest reported period by default
    m = _metrics(at)
    assert m[_("Lagging regions")] == "7 / 12"
    assert m[_("National reference")] == {"ar": "0,014", "fr": "0,014", "en": "0.014"}[lang]
    # Seven regions at 0: the highest / lowest ratio is undefined, not infinite.
    assert m[_("Highest / lowest")] == "—"
    # CV = population standard deviation / mean of the 12 per-capita values = 2.08.
    assert m[_("Spread between regions")] == {"ar": "208%", "fr": "208\u00a0%", "en": "208%"}[lang]
    table = at.table[0].value
    assert len(table) == 12
    # Best first: Dakhla-Oued Ed-Dahab, 1 institute for 219,965 inhabitants = 0.45 per 100,000.
    assert (
        table.iloc[0][_("Region")]
        == {"ar": "الداخلة-وادي الذهب", "fr": "Dakhla-Oued Ed-Dahab", "en": "Dakhla-Oued Ed-Dahab"}[
            lang
        ]
    )
    assert (
        table.iloc[0][
            _(
                "{unit} per {scale} inhabitants",
                unit=_("institutes"),
                scale={"ar": "100.000", "fr": "100\u202f000", "en": "100,000"}[lang],
            )
        ].translate(ISOLATES)
        == {"ar": "0,45", "fr": "0,45", "en": "0.45"}[lang]
    )
    captions = " ".join(c.value for c in at.caption).translate(ISOLATES)
    assert MAP_ATTRIBUTION in captions  # the licence under the map, as well as on it
    charts = [json.loads(p.proto.spec) for p in at.get("plotly_chart")]
    map_fig = charts[0]
    assert map_fig["layout"]["map"]["style"] == "white-bg"
    assert [
        a["text"] for a in map_fig["layout"]["annotations"] if a.get("name") == "attribution"
    ] == [MAP_ATTRIBUTION]
    bars = charts[1]
    assert [t["name"] for t in bars["data"]] == [_("Other regions"), _("Lagging region")]
    assert len(bars["data"][1]["y"]) == 7


def test_lagging_regions_are_named_and_an_earlier_period_can_be_chosen(tmp_path, monkeypatch):
    at = _page(tmp_path / "m.duckdb", "fr", code="IA.JAZARI", monkeypatch=monkeypatch)
    listed = "\n".join(md.value for md in at.markdown)
    for name in LAGGING_FR:
        assert f"- {name}" in listed
    # At 2025-Q3 two institutes existed (Guelmim-Oued Noun, L'Oriental): ten regions lag.
    at.selectbox(key="regions_period_IA.JAZARI").set_value("2025-Q3").run()
    assert _metrics(at)["Régions en retard"] == "10 / 12"
    assert at.query_params["code"] in ("IA.JAZARI", ["IA.JAZARI"])


def test_no_regional_report_gives_a_clear_empty_state(tmp_path, monkeypatch):
    at = _page(tmp_path / "m.duckdb", "fr", code="IA.JOBS", monkeypatch=monkeypatch)
    assert [i.value for i in at.info] == ["Aucune région n'a encore publié cet indicateur."]
    assert not at.get("plotly_chart")
    text = "\n".join(md.value for md in at.markdown)
    assert "Cible nationale : 50\u202f000 emplois d'ici 2030." in text


def test_without_a_choice_the_page_opens_on_an_indicator_with_regional_data(tmp_path, monkeypatch):
    # Of the regional indicators only the JAZARI institutes have published regional values.
    at = _page(tmp_path / "m.duckdb", "en", monkeypatch=monkeypatch)
    assert at.selectbox(key="regions_code").value == "IA.JAZARI"
    assert not at.info

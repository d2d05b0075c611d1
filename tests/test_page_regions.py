"""The Regions page through AppTest in each language, on the real JAZARI institute openings: per-capita
comparison, disparity figures, lagging regions named from the catalog, map attribution, empty state."""

import json
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpis import view_regions as vr
from kpis.charts import map_attribution
from loaders.i18n import translator

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))

# Published openings (data/catalog/observations_public.csv): Guelmim-Oued Noun (MA-10, 2025-Q2),
# Nador in L'Oriental (MA-02, 2025-Q3), Dakhla (MA-12, 2025-Q4), Rabat (MA-04) and Fès (MA-03) in 2026-Q1.
# One institute per region: the catalog compares them as reported (comparison = absolute), not per
# inhabitant (which made Dakhla, 220,000 inhabitants, "3,349 %" of the national reference).
MISSING_FR = {
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
def test_real_institute_openings_compared_as_reported_with_exact_coverage(
    tmp_path, monkeypatch, lang
):
    _ = translator(lang)
    at = _page(tmp_path / "m.duckdb", lang, code="IA.JAZARI", monkeypatch=monkeypatch)
    assert at.title[0].value == _("Regions")
    period = at.selectbox(key="regions_period_IA.JAZARI")
    assert period.value == "2026-Q1"  # the latest reported period by default
    m = _metrics(at)
    assert m[_("Regions reported")] == _("{n} of {total}", n="5", total="12")
    # No per-inhabitant reference and no lagging rule for one-per-region counts.
    assert _("National reference") not in m and _("Lagging regions") not in m
    assert m[_("Highest / lowest")] == "—"  # seven regions at 0: undefined, not infinite
    text = " ".join(c.value for c in at.caption).translate(ISOLATES)
    text += " ".join(md.value for md in at.markdown).translate(ISOLATES)
    text += " ".join(i.value for i in at.info).translate(ISOLATES)
    assert _("Every region reported.") not in text
    assert "3" + {"en": ",", "fr": "\u202f", "ar": "."}[lang] + "349" not in text
    # The page says which comparison is used and why.
    assert _(vr.COMPARISON_WHY["absolute"]) in text
    table = at.table[0].value
    assert len(table) == 12
    assert _("Relative to the national reference") not in table.columns
    assert list(table[_("Value")]).count(_("No report")) == 7
    captions = " ".join(c.value for c in at.caption).translate(ISOLATES)
    assert map_attribution(lang) in captions  # the licence under the map, as well as on it
    charts = [json.loads(p.proto.spec) for p in at.get("plotly_chart")]
    map_fig = charts[0]
    assert map_fig["layout"]["map"]["style"] == "white-bg"
    assert [
        a["text"] for a in map_fig["layout"]["annotations"] if a.get("name") == "attribution"
    ] == [map_attribution(lang)]


def test_missing_regions_are_named_exactly_and_an_earlier_period_can_be_chosen(
    tmp_path, monkeypatch
):
    at = _page(tmp_path / "m.duckdb", "fr", code="IA.JAZARI", monkeypatch=monkeypatch)
    listed = "\n".join(md.value for md in at.markdown)
    for name in MISSING_FR:
        assert f"- {name}" in listed
    assert "5 régions sur 12 ont publié ; manquent :" in listed.translate(ISOLATES)
    # At 2025-Q3 two institutes existed (Guelmim-Oued Noun, L'Oriental): ten regions missing.
    at.selectbox(key="regions_period_IA.JAZARI").set_value("2025-Q3").run()
    assert _metrics(at)["Régions ayant publié"] == "2 sur 12"
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
    assert "No region has reported this indicator yet." not in [i.value for i in at.info]

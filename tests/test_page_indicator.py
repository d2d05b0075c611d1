"""The Indicator page through AppTest in each language: published figures with their file and row,
the explanation, DEMO marking, a region picked from the URL, the empty state, and the right-to-left chart."""

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpis import view_indicator as vi
from kpis.inputs import inputs_from_records
from kpis.text import texts
from kpis.views import unit_label
from loaders.i18n import translator

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))

EGDI = {
    "ar": "الترتيب في مؤشر الأمم المتحدة لتنمية الحكومة الإلكترونية",
    "fr": "Rang à l'indice ONU de développement de l'e-gouvernement (EGDI)",
    "en": "UN E-Government Development Index rank",
}


def _page(db, lang, *, demo=False, monkeypatch, **params):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)] + (["--demo"] if demo else []))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page("pages/indicator.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value.translate(ISOLATES) for m in at.metric}


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown).translate(ISOLATES)


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_published_rank_with_its_file_row_and_explanation(tmp_path, monkeypatch, lang):
    at = _page(tmp_path / "m.duckdb", lang, code="DM.EGDI_RANK", monkeypatch=monkeypatch)
    assert at.title[0].value == EGDI[lang]  # the name comes from the catalog, in the language
    _ = translator(lang)
    m = _metrics(at)
    # Published: 101st in 2022 (the catalog baseline), 90th in 2024 (the latest value).
    assert m[_("Latest value")] == "90"
    assert m[_("Baseline")] == "101"
    assert m[_("Target")] == _("none (tracked only)")
    # No target: judged on its trend. (90 / 101) ** (1 / 2) - 1 = -5.6 % a year, and lower is better.
    assert m[_("Yearly growth")] == {"ar": "-5,6%", "fr": "-5,6\u00a0%", "en": "-5.6%"}[lang]
    assert any(_("Improving") in md.value for md in at.markdown)  # the status badge
    text = _markdown(at)
    # The latest value names where it was read: batch, file and spreadsheet row of the public CSV.
    assert "observations_public.csv" in text
    assert (
        _("row {n}", n=10) in text
    )  # the 2024 rank is line 10 of data/catalog/observations_public.csv
    assert "yabiladi.com/articles/details/154311" in text
    obs = at.table[0].value
    assert len(obs) == 9  # the nine published EGDI ranks, 2008 to 2024
    first = obs.iloc[0]
    assert first[_("Period")] == "2024"
    assert first[_("Value")] == f"90 {unit_label('rank', lang)}"
    # In Arabic the file name is isolated (FSI…PDI) so the right-to-left cell does not reorder it.
    name = "\u2068observations_public.csv\u2069" if lang == "ar" else "observations_public.csv"
    assert first[_("File / row")] == f"{name} · {_('row {n}', n=10)}"
    assert first[_("Loaded by")] == _("Marsad (reference data)")
    assert at.query_params["code"] in ("DM.EGDI_RANK", ["DM.EGDI_RANK"])
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert (spec["layout"]["xaxis"].get("autorange") == "reversed") == (lang == "ar")
    assert spec["layout"]["yaxis"]["title"]["text"].startswith(unit_label("rank", lang))


def test_empty_state_says_nothing_was_reported_and_what_is_known(tmp_path, monkeypatch):
    at = _page(tmp_path / "m.duckdb", "fr", code="IA.JOBS", monkeypatch=monkeypatch)
    assert at.title[0].value == "Emplois directs et indirects liés à l'IA"
    assert [i.value for i in at.info] == [
        "Aucune valeur n'a encore été publiée pour cet indicateur."
    ]
    text = _markdown(at)
    assert "Cible : 50\u202f000 emplois d'ici 2030 (fiabilité : Article de presse)." in text
    assert not at.get("plotly_chart")  # no broken, empty chart
    assert _metrics(at)["Dernière valeur"] == translator("fr")("Not reported yet")
    assert "telesatellite.com/actu/68166" in text  # the sources of the target are still listed


def test_choosing_another_indicator_rewrites_the_page_and_the_url(tmp_path, monkeypatch):
    at = _page(tmp_path / "m.duckdb", "en", code="DM.EGDI_RANK", monkeypatch=monkeypatch)
    at.selectbox(key="indicator_code").set_value("DM.ESERVICES").run()
    assert at.title[0].value == "Public services available online"
    assert at.query_params["code"] in ("DM.ESERVICES", ["DM.ESERVICES"])
    # Published: more than 650 e-services at the portal's launch (2025-Q1).
    assert _metrics(at)["Latest value"] == "650"


def test_demo_values_and_a_region_from_the_url(tmp_path, monkeypatch):
    at = _page(
        tmp_path / "m.duckdb",
        "fr",
        demo=True,
        code="IA.JOBS",
        region="MA-06",
        monkeypatch=monkeypatch,
    )
    assert at.title[0].value == "Emplois directs et indirects liés à l'IA · Casablanca-Settat"
    assert any("DÉMO" in w.value for w in at.warning)
    assert "DÉMO" in " ".join(c.value for c in at.caption)  # next to the latest value
    text = _markdown(at)
    assert "La cible nationale n'est pas répartie par région" in text
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [t.get("name") for t in spec["data"]]
    assert "Valeur DÉMO (illustrative)" in names
    assert any(a.get("name") == "demo-watermark" for a in spec["layout"]["annotations"])
    obs = at.table[0].value
    assert set(obs["Région"]) == {"Casablanca-Settat"}
    assert obs["Alertes"].str.contains("DÉMO").all()


def test_explanation_in_words_for_a_hand_computed_case():
    """Baseline 100 (2024) to target 200 (2030); 140 at Q4 2025 = 40 % of the way, when the straight
    path expects 100 + 100 / 6 = 116.7 (16.7 %): ahead by 23.3, on track."""
    inputs = inputs_from_records(
        [
            {
                "code": "X",
                "unit": "jobs",
                "frequency": "quarterly",
                "baseline_year": 2024,
                "baseline_value": 100,
                "target_year": 2030,
                "target_value": 200,
                "confidence": "assumption",
            }
        ],
        [
            {"indicator": "X", "period": "2025-Q2", "value": 120},
            {
                "indicator": "X",
                "period": "2025-Q4",
                "value": 140,
                "file": "r.xlsx",
                "sheet": "S1",
                "row_number": 7,
                "batch_id": 3,
            },
        ],
    )
    v = vi.indicator_view(inputs, "X", "en", today=dt.date(2026, 1, 15))
    m = {x.label: (x.value, x.note) for x in v.metrics}
    assert m["Progress"][0] == "40%"
    assert m["Expected progress"] == ("17%", "at Q4 2025")
    assert m["Gap to the path"] == ("+23.3", "jobs · +20.0% · ahead of the path")
    assert m["Target"] == ("200", "jobs · 2030 · assumption")
    explain = dict(v.explain)
    assert explain["Latest value"] == "140 jobs in Q4 2025 — batch 3, file r.xlsx, sheet S1, row 7"
    assert "ASSUMPTION" in explain["Target"]
    assert explain["Milestone used"] == (
        "the expected path runs from Baseline (Dec 31, 2024: 100 jobs) to Final target "
        "(Dec 31, 2030: 200 jobs)"
    )
    assert v.status_text == "On track"
    assert "The target is an assumption to be confirmed" in v.flags


def test_signed_numbers_keep_their_sign_in_arabic():
    assert texts("ar").signed(-18.8, "MW") == "\u2066-18,8\u2069 ميغاواط"
    assert texts("fr").signed(12, "%") == "+12\u00a0%"
    assert texts("fr").ltr("0,60 ≤ R") == "0,60 ≤ R"


def test_without_a_choice_the_page_opens_on_the_first_indicator_with_data(tmp_path, monkeypatch):
    # Pillar order: Sovereignty and trust has nothing published; in Innovation, JAZARI institutes do.
    at = _page(tmp_path / "m.duckdb", "en", monkeypatch=monkeypatch)
    assert at.title[0].value == "JAZARI institutes launched or under signed agreement"
    assert at.query_params["code"] in ("IA.JAZARI", ["IA.JAZARI"])
    # Five institutes opened or signed by 2026-Q1, one per region: the national value is their sum.
    assert _metrics(at)["Latest value"] == "5"

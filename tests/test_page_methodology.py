"""The Methodology page in each language: every threshold is read from kpis.methods (change a constant,
the page changes), the catalog's confidence levels are counted, the known pitfalls and the map licence."""

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpis import methods
from kpis import view_methodology as vm
from kpis.charts import map_attribution
from loaders.i18n import translator

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


def _page(db, lang, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.switch_page("pages/methodology.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [h.value for h in at.header]
    parts += [" | ".join(map(str, t.value.to_numpy().ravel())) for t in at.table]
    return "\n".join(parts).translate(ISOLATES)


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_methodology_in_each_language(tmp_path, monkeypatch, lang):
    _ = translator(lang)
    at = _page(tmp_path / "m.duckdb", lang, monkeypatch)
    assert at.title[0].value == _("Methodology")
    text = _text(at)
    headers = [h.value for h in at.header]
    for title in (
        "Statuses and how they are judged",
        "Regional disparity",
        "Map and licence",
        "Known pitfalls in the sources",
        "How sure the catalog's targets are",
    ):
        assert _(title) in headers
    # Thresholds formatted for the locale: 95 % on track, 0,60 growth ratio, 100 000 inhabitants.
    pct95 = {"ar": "95%", "fr": "95\u00a0%", "en": "95%"}[lang]
    assert (
        _(
            "Progress is at least {v} of the progress expected at the date of the latest value.",
            v=pct95,
        )
        in text
    )
    assert {"ar": "0,60 ≤ R < 0,95", "fr": "0,60 ≤ R < 0,95", "en": "0.60 ≤ R < 0.95"}[lang] in text
    scale = {"ar": "100.000", "fr": "100\u202f000", "en": "100,000"}[lang]
    assert (
        _("Per-capita scale: per {scale} inhabitants, 2024 census (HCP, RGPH 2024).", scale=scale)
        in text
    )
    assert map_attribution(lang) in text
    for label in methods.STATUS_LABELS.values():
        if label != "Not enough data":
            assert _(label) in text


def test_confidence_levels_are_counted_from_the_catalog(tmp_path, monkeypatch):
    at = _page(tmp_path / "m.duckdb", "en", monkeypatch)
    conf = [t.value for t in at.table if "Confidence" in t.value.columns][0]
    counts = dict(zip(conf["Confidence"], conf["Indicators"], strict=True))
    # data/catalog/indicators.csv: 11 launch figures, 1 signed agreement (university graduates),
    # 3 international indices, 3 statements, 12 press reports, 2 assumptions (JAZARI, Dakhla data centre).
    assert counts == {
        "Official launch figure": "11",
        "Signed agreement": "1",
        "Published international index": "3",
        "Minister's statement": "3",
        "Press report": "12",
        "Assumption to be confirmed": "2",
    }


def _section_text(section) -> str:
    out = []
    for kind, block in section.blocks:
        if kind == "text":
            out.append(block)
        elif kind == "bullets":
            out += block
        else:
            out += [" | ".join(map(str, df.to_numpy().ravel())) for _title, df in block]
    return "\n".join(out).translate(ISOLATES)


def test_numbers_are_read_from_the_methods_module_not_retyped(monkeypatch):
    before = {s.key: _section_text(s) for s in vm.methodology_sections("fr")}
    assert "au moins 95\u00a0% de l'avancement attendu" in before["status"]
    monkeypatch.setattr(methods, "TRAJECTORY_ON_TRACK", 0.9)
    monkeypatch.setattr(methods, "LAGGING_RATIO", 0.5)
    monkeypatch.setattr(methods, "PROJECTION_HALF_LIFE_YEARS", 3.0)
    after = {s.key: _section_text(s) for s in vm.methodology_sections("fr")}
    assert "L'avancement atteint au moins 90\u00a0% de l'avancement attendu" in after["status"]
    assert "au moins 95\u00a0% de l'avancement attendu" not in after["status"]
    assert "sous 50\u00a0% de la référence nationale" in after["disparity"]
    assert "3 ans" in after["projection"]

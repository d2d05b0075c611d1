"""The Peers page through AppTest in each language: ranks by edition, countries ranked, percentile and
series breaks."""

import json
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TITLES = {
    "ar": "التصنيفات الدولية",
    "fr": "Classements internationaux",
    "en": "International ranks",
}


def _open(db, lang, params, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/peers.py")
    return at.run()


def _table(at):
    return (at.table[0] if len(at.table) else at.dataframe[0]).value


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_ranks_by_edition_with_percentiles_and_breaks(tmp_path, monkeypatch, lang):
    from loaders.i18n import translator

    _ = translator(lang)
    at = _open(tmp_path / "m.duckdb", lang, {}, monkeypatch)
    assert not at.exception
    assert at.title[0].value == TITLES[lang]
    t = _table(at)
    gari = t[t[_("Index")] == _("Oxford Insights Government AI Readiness Index")]
    assert list(gari[_("Edition")]) == ["2019", "2022", "2023", "2024", "2025"]
    # 2024: 101st of 188 -> 100 x 87 / 187 = 46.5; 2025: count not published -> no percentile.
    pct = {"ar": "46,5", "fr": "46,5", "en": "46.5"}[lang]  # ar_MA writes a decimal comma
    assert list(gari[_("Percentile")])[3] == pct
    assert list(gari[_("Percentile")])[4] == "—"
    breaks = list(gari[_("Series")])
    assert [b != "" for b in breaks] == [False, True, False, False, True]
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    dotted = [s for s in fig["layout"]["shapes"] if s["line"].get("dash") == "dot"]
    assert len(dotted) == 2  # the two GARI method changes


def test_egdi_editions_from_the_observations_share_the_survey_count(tmp_path, monkeypatch):
    at = _open(
        tmp_path / "m.duckdb",
        "en",
        {"index": "UN E-Government Development Index rank"},
        monkeypatch,
    )
    assert not at.exception
    t = _table(at)
    assert list(t["Edition"]) == [str(y) for y in range(2008, 2025, 2)]
    last = t.iloc[-1]
    # 90th in 2024 among the 193 countries of that UN survey: 100 x 103 / 192 = 53.6.
    assert (last["Rank"], last["Countries ranked"], last["Percentile"]) == ("90", "193", "53.6")
    assert t.iloc[0]["Percentile"] == "—"  # 2008: the count is not in the catalog


def test_arabic_notes_and_scales_read_in_arabic_and_left_to_right(tmp_path, monkeypatch):
    from loaders.i18n import translator

    _ = translator("ar")
    at = _open(tmp_path / "m.duckdb", "ar", {}, monkeypatch)
    t = _table(at)
    gari = t[t[_("Index")] == _("Oxford Insights Government AI Readiness Index")]
    notes = list(gari[_("Note")])
    assert notes[0] == "منهجية سابقة على سلّم من 0 إلى 10: غير قابلة للمقارنة مع الإصدارات اللاحقة"
    # The score and its scale as one isolated left-to-right run: "4,72 (0-10)", never "(‎-0 10)".
    assert list(gari[_("Score")])[0] == "\u20664,72\u00a0(0\u201110)\u2069"
    tortoise = t[t[_("Index")] == _("Tortoise Global AI Index")]
    assert list(tortoise[_("Note")]) == [
        "كثيرًا ما يُنسب خطأً إلى هيئة تابعة للأمم المتحدة في الصحافة العربية"
    ]

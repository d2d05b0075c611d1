"""The presenter page through AppTest: a show opened from its URL in each language (full screen, slide counter,
source line, DEMO mark), next and previous, the playlist and the frozen date kept in the URL, the builder."""

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.catalog import load_catalog
from loaders.i18n import translator
from loaders.seed import add_demo
from loaders.store import open_store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SPEC = "scorecard,pillar:SOV,indicator:IA.JOBS,map:IA.JOBS,peers"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("present") / "m.duckdb"
    add_demo(open_store(f"duckdb:///{path}"), load_catalog())
    return path


def _show(db, monkeypatch, **params):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)])
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page("pages/present.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _counter(at) -> str:
    body = _html(at)
    start = body.index('data-testid="present-counter">') + len('data-testid="present-counter">')
    return body[start : body.index("<", start)]


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_a_show_opens_from_its_url_and_moves_slide_by_slide(demo_db, monkeypatch, lang):
    _ = translator(lang)
    at = _show(demo_db, monkeypatch, present="1", lang=lang, slides=SPEC)
    assert _counter(at) == "1 / 5"
    body = _html(at)
    assert "display: none" in body and "stSidebar" in body  # full screen: sidebar and header hidden
    assert _("Roadmap progress") in body and _("DEMO") in body
    assert ('dir="rtl"' in body) == (lang == "ar")
    assert len(at.get("plotly_chart")) == 1
    at.button(key="present_next").click().run()
    assert _counter(at) == "2 / 5" and at.query_params["slide"] == "2"
    at.button(key="present_next").click().run()
    body = _html(at)
    assert _counter(at) == "3 / 5"
    # The indicator's slide: its name, its source line, DEMO.
    assert {"ar": "مناصب الشغل", "fr": "Emplois directs", "en": "Direct and indirect"}[lang] in body
    assert _("Source: {source}", source="")[:5] in body and "telesatellite.com" in body
    at.button(key="present_prev").click().run()
    assert _counter(at) == "2 / 5"
    assert at.query_params["slides"] == SPEC  # the playlist stays in the URL


def test_the_last_slide_cannot_go_further_and_a_frozen_date_is_kept(demo_db, monkeypatch):
    at = _show(
        demo_db,
        monkeypatch,
        present="1",
        lang="fr",
        slides="peers,scorecard",
        slide="2",
        as_of="2025-01-01",
    )
    assert _counter(at) == "2 / 2"
    assert at.button(key="present_next").disabled
    assert "Chiffres connus au 1 janvier 2025" in _html(at)
    assert at.query_params["as_of"] == "2025-01-01"


def test_unknown_slides_are_left_out_and_the_builder_offers_the_exports(demo_db, monkeypatch):
    _ = translator("fr")
    at = _show(demo_db, monkeypatch, lang="fr", slides="scorecard,map:DM.EGDI_RANK,bogus")
    assert at.title[0].value == _("Presenter mode")
    assert any("map:DM.EGDI_RANK" in w.value and "bogus" in w.value for w in at.warning)
    assert at.multiselect(key="present_playlist").value == ["scorecard"]
    assert _counter(at) == "1 / 1"
    labels = [b.proto.label for b in at.get("download_button")]
    for label in (
        "Chart as PNG",
        "Data as CSV",
        "Data as Excel",
        "The playlist as a PowerPoint deck",
    ):
        assert _(label) in labels
    # Choosing slides writes the playlist into the URL.
    at.multiselect(key="present_playlist").set_value(["peers", "indicator:IA.JOBS"]).run()
    assert at.query_params["slides"] == "peers,indicator:IA.JOBS"
    assert _counter(at) == "1 / 2"

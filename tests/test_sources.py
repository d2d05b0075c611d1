"""Sources an official can trust: each value's own source as an institution in the page language, linked;
target sources labelled; catalog notes translated; sources.csv checked by the catalog schema."""

import shutil
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpis import sources
from loaders.catalog import CATALOG_DIR, CatalogError, load_catalog
from loaders.i18n import gettext

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_every_catalog_source_names_a_known_institution():
    c = load_catalog()
    known = {s.id for s in c.sources}
    assert len(known) == len(c.sources) >= 30
    for ind in c.indicators:
        assert len(ind.source_ids) == len([e for e in ind.sources.split(";") if e.strip()]), (
            ind.code
        )
        assert set(ind.source_ids) <= known
    for _row, obs in c.observations:
        assert obs.source_ids and set(obs.source_ids) <= known
    # Shown only: the store keeps the reference columns.
    assert "notes_fr" not in c.indicators[0].model_dump()


def test_an_unknown_source_id_is_refused(tmp_path):
    cat = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, cat)
    text = (cat / "indicators.csv").read_text(encoding="utf-8")
    (cat / "indicators.csv").write_text(
        text.replace(",la-nouvelle-tribune; maghress", ",la-nouvelle-tribune; nowhere", 1),
        encoding="utf-8",
    )
    text = (cat / "sources.csv").read_text(encoding="utf-8")
    (cat / "sources.csv").write_text(
        text + "yabiladi,A,B,C,https://x.ma\nother,A,B,C,http://x.ma\n", encoding="utf-8"
    )
    with pytest.raises(CatalogError) as e:
        load_catalog(cat)
    messages = [(p.file, p.column, p.message) for p in e.value.problems]
    assert ("sources.csv", "url", "url must be an https:// address") in messages
    assert any(
        f == "sources.csv" and "duplicate source id 'yabiladi'" in m for f, _c, m in messages
    )
    assert any(f == "indicators.csv" and "nowhere" in m for f, _c, m in messages)


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        (
            "yabiladi.com/articles/details/154311",
            "ar",
            [("يابلادي", "https://yabiladi.com/articles/details/154311")],
        ),
        ("fr-infos.com (above)", "fr", [("FR-Infos", "https://fr-infos.com")]),
        (
            "maroc.ma (2026-03-11)",
            "fr",
            [("Portail national du Royaume du Maroc", "https://maroc.ma")],
        ),
        (
            "Ministère de la Transition numérique",
            "fr",
            [("Ministère de la Transition numérique", None)],
        ),
    ],
)
def test_a_source_is_shown_as_its_institution_in_the_language(text, lang, expected):
    assert sources.entries(text, lang) == expected


def test_no_english_note_is_left_in_a_source_name():
    for s in load_catalog().sources:
        for lang in ("fr", "ar"):
            for name, _url in sources.entries(
                s.url.removeprefix("https://") + " (launch report)", lang
            ):
                assert "(launch report)" not in name and "(above)" not in name


def test_catalog_notes_are_in_the_page_language():
    c = load_catalog()
    for ind in c.indicators:
        assert bool(ind.notes_fr) == bool(ind.notes) == bool(ind.notes_ar), ind.code
    assert sources.catalog_note("IA.GDP", "x", "fr").startswith("Annoncé lors du lancement")
    assert sources.catalog_note("DM.5G", "x", "ar").startswith("التزامات التراخيص")
    assert sources.catalog_note("IA.GDP", "English", "en") == "English"


def test_the_demo_mark_in_arabic_says_illustrative_data():
    assert gettext("DEMO", "ar") == "بيانات توضيحية"
    assert "عرض" not in gettext("DEMO — illustrative data", "ar")


def test_the_indicator_page_shows_each_values_own_source_linked(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(tmp_path / "m.duckdb")])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "fr"
    at.query_params["code"] = "DM.EGDI_RANK"
    at.switch_page("pages/indicator.py").run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    values = text.index("Sources des valeurs affichées")
    target = text.index("Sources de la cible et de la valeur de référence (catalogue)")
    assert values < text.index("[Yabiladi](https://yabiladi.com/articles/details/154311)") < target
    assert "data/catalog" not in text and "SOURCES.md" not in text
    captions = "\n".join(c.value for c in at.caption)
    assert "voir la page Méthodologie" in captions
    assert [p.proto.label for p in at.get("page_link")] == ["Méthodologie"]  # a link into the app
    assert "Suivi seulement : aucune cible publiée" in captions  # the catalog note, in French
    obs = at.table[-1].value
    assert set(obs["Source"]) <= {s.name_fr for s in load_catalog().sources}

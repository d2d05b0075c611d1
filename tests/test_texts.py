"""Admins correct catalog texts from the app (loaders/texts.py, pages/translations.py): only admins reach the page
and the action, a correction shows on the Indicator page and its undo brings the catalog's text back, both are
in the audit trail, and a text breaking the catalog's rules is refused with one clear sentence."""

import datetime as dt
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpis.inputs import load_inputs
from kpis.view_indicator import indicator_view
from loaders import texts
from loaders.access import PermissionDenied, User, audit
from loaders.access import accounts as acc
from loaders.catalog import load_catalog
from loaders.i18n import translator
from loaders.store import open_store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PW = "correct horse battery"
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))
FTTH_FR = "Ménages éligibles à la fibre (FTTH)"  # data/catalog/indicators.csv
ADMIN = User("amal", "admin")


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setattr(acc, "FAIL_SLEEP", 0)
    for var in (
        "MARSAD_AUTH",
        "MARSAD_ANONYMOUS_VIEW",
        "MARSAD_DB_URL",
        "MARSAD_USER",
        "MARSAD_REVIEW",
    ):
        monkeypatch.delenv(var, raising=False)


def _visit(db, monkeypatch, page, lang="en", token=None, **params) -> AppTest:
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    if token:
        at.session_state["_auth_token"] = token
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _pages(at) -> set[str]:
    return {Path(str(v["script_path"])).stem for v in at._registered_pages.values()}


def test_only_admins_get_the_page_and_the_action(tmp_path, monkeypatch):
    db = tmp_path / "m.duckdb"
    store = open_store(str(db))
    for role in ("viewer", "analyst", "validator", "admin"):
        acc.add_user(store, "ops", role, role, PW)
    catalog = load_catalog()
    for role in ("viewer", "analyst", "validator"):
        at = _visit(db, monkeypatch, "translations", token=acc.sign_in(store, role, PW).token)
        assert "translations" not in _pages(at)
        assert at.title[0].value == "Roadmap progress", role  # the typed URL opens the Overview
        with pytest.raises(PermissionDenied) as e:
            texts.change(
                store, catalog, "indicator:DM.FTTH", "name", "fr", "Fibre", user=User(role, role)
            )
        assert e.value.message == f"{role} ({role}) may not edit the catalog."
    with pytest.raises(PermissionDenied):
        texts.change(store, catalog, "indicator:DM.FTTH", "name", "fr", "Fibre", user=None)
    assert texts.revisions(store).empty
    at = _visit(db, monkeypatch, "translations", token=acc.sign_in(store, "admin", PW).token)
    assert "translations" in _pages(at)
    assert at.title[0].value == "Translations"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_correction_shows_on_the_indicator_page_and_its_undo_brings_the_catalog_text_back(
    tmp_path, monkeypatch, lang
):
    _ = translator(lang)
    db = tmp_path / "m.duckdb"
    store = open_store(str(db))  # no account: the local user is an admin, as before sign-in existed
    fixed = {
        "fr": "Ménages raccordables à la fibre (FTTH)",
        "ar": "الأسر القابلة للربط بالألياف البصرية",
    }
    before = {"fr": FTTH_FR, "ar": "الأسر المؤهلة للألياف البصرية"}
    ind = _visit(db, monkeypatch, "indicator", lang, code="DM.FTTH")
    assert ind.title[0].value == before[lang]

    at = _visit(db, monkeypatch, "translations", lang)
    at.selectbox(key="texts_key").set_value("indicator:DM.FTTH").run()
    at.selectbox(key="texts_lang").set_value(lang).run()
    at.text_area(key=f"texts_new_indicator:DM.FTTH_name_{lang}").set_value(fixed[lang]).run()
    at.text_input(key="texts_reason").set_value("ANRT wording").run()
    at.button(key="texts_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.success[0].value == _("Correction saved")

    ind = _visit(db, monkeypatch, "indicator", lang, code="DM.FTTH")
    assert ind.title[0].value == fixed[lang]
    (rid,) = texts.revisions(store)["revision_id"]
    at.selectbox(key="texts_undo_pick").set_value(rid).run()
    at.button(key="texts_undo").click().run()
    assert at.success[0].value == _("Correction undone")
    ind = _visit(db, monkeypatch, "indicator", lang, code="DM.FTTH")
    assert ind.title[0].value == before[lang]

    rows = audit.read(store)
    assert list(rows["action"]) == ["text_undo", "text_change"]
    assert set(rows["subject"]) == {"indicator:DM.FTTH"}
    assert fixed[lang] in rows["after"].iloc[1] and before[lang] in rows["before"].iloc[1]
    assert set(rows["user_name"]) == {"app"}  # the open local user (MARSAD_USER unset)


def test_notes_and_pillar_names_follow_the_corrections(db_url):
    store = open_store(db_url)  # a DuckDB file and a PostgreSQL database
    catalog = load_catalog()
    note = "يشمل الرقم الأسر المؤهلة لا الأسر المرتبطة فعلا"
    r1 = texts.change(store, catalog, "indicator:DM.FTTH", "notes", "ar", note, user=ADMIN)
    r2 = texts.change(
        store, catalog, "pillar:IA2030/SOV", "name", "en", "Sovereignty and trust in AI", user=ADMIN
    )
    inputs = load_inputs(store)
    assert inputs.indicator("DM.FTTH")["notes_ar"] == note
    shown = indicator_view(inputs, "DM.FTTH", "ar", today=dt.date(2026, 12, 1)).notes
    assert shown.translate(ISOLATES) == note  # the Indicator page's "Catalog note"
    french = indicator_view(inputs, "DM.FTTH", "fr", today=dt.date(2026, 12, 1)).notes
    assert (
        french == load_catalog().indicator("DM.FTTH").notes_fr
    )  # other languages keep the catalog's
    pillars = inputs.pillars.set_index("pillar")
    assert pillars.loc["SOV", "name_en"] == "Sovereignty and trust in AI"
    assert pillars.loc["SOV", "name_fr"] == "Souveraineté et confiance"  # other languages untouched
    # A second correction of the same text, then undoing it, leaves the first one in force.
    r3 = texts.change(
        store, catalog, "pillar:IA2030/SOV", "name", "en", "AI sovereignty", user=ADMIN
    )
    texts.undo(store, r3, user=ADMIN)
    revs = texts.revisions(store)
    assert list(revs["old_text"]) == [
        "لا تميّز المصادر بوضوح بين الأسر المؤهَّلة والأسر الموصولة",  # the catalog's note
        "Sovereignty and trust",
        "Sovereignty and trust in AI",
    ]
    assert load_inputs(store).pillars.set_index("pillar").loc["SOV", "name_en"] == (
        "Sovereignty and trust in AI"
    )
    texts.undo(store, r2, user=ADMIN)
    texts.undo(store, r1, user=ADMIN)
    inputs = load_inputs(store)
    assert inputs.pillars.set_index("pillar").loc["SOV", "name_en"] == "Sovereignty and trust"
    assert "notes_ar" not in inputs.indicators.columns
    with pytest.raises(texts.TextError) as e:
        texts.undo(store, r1, user=ADMIN)
    assert e.value.message == f"There is no change {r1} to undo"


@pytest.mark.parametrize(
    ("text", "field", "lang", "message"),
    [
        ("  ", "name", "fr", "The text is empty: write the corrected text, or undo a correction"),
        ("x" * 121, "name", "en", "The text has 121 characters; at most 120 are allowed here"),
        ("Fibre\noptique", "name", "fr", "A name is one line: remove the line breaks"),
        (
            "Fibre <b>optique</b>",
            "name",
            "fr",
            "Texts are shown as written: remove the markup (<…>, &…;, [..](..), backquotes)",
        ),
        (
            "Voir [ANRT](anrt.ma)",
            "notes",
            "fr",
            "Texts are shown as written: remove the markup (<…>, &…;, [..](..), backquotes)",
        ),
        (
            "See https://anrt.ma for details",
            "notes",
            "en",
            "Texts are shown as written, without links: remove the web address",
        ),
        (
            "Households eligible for fibre",
            "name",
            "ar",
            "The Arabic text must be written mostly in Arabic letters",
        ),
        (
            "الأسر المؤهلة",
            "name",
            "fr",
            "The French or English text holds Arabic letters: was it pasted in the wrong language?",
        ),
    ],
)
def test_a_text_breaking_the_rules_is_refused_with_a_clear_sentence(text, field, lang, message):
    with pytest.raises(texts.TextError) as e:
        texts.check(text, field, lang)
    assert e.value.message == message


def test_the_page_refuses_an_invalid_text_and_saves_nothing(tmp_path, monkeypatch):
    db = tmp_path / "m.duckdb"
    store = open_store(str(db))
    at = _visit(db, monkeypatch, "translations", "fr")
    at.selectbox(key="texts_key").set_value("indicator:DM.FTTH").run()
    at.selectbox(key="texts_lang").set_value("ar").run()
    at.text_area(key="texts_new_indicator:DM.FTTH_name_ar").set_value("FTTH households").run()
    at.button(key="texts_save").click().run()
    _ = translator("fr")
    assert at.error[0].value == _("The Arabic text must be written mostly in Arabic letters")
    assert at.error[0].value != "The Arabic text must be written mostly in Arabic letters"
    assert texts.revisions(store).empty and audit.read(store).empty
    # Saving the text already shown changes nothing either.
    at.text_area(key="texts_new_indicator:DM.FTTH_name_ar").set_value(
        "الأسر المؤهلة للألياف البصرية"
    ).run()
    at.button(key="texts_save").click().run()
    assert at.error[0].value == _("The text is already this one: nothing to save")


def test_every_catalog_text_meets_the_rules():
    """The rules are the catalog's: every shipped name and note passes them unchanged."""
    for (key, field, lang), text in texts.catalog_texts(load_catalog()).items():
        if text:  # a blank French or Arabic note shows the English one
            assert texts.check(text, field, lang, key.partition(":")[0]) == text, (key, field, lang)


def test_corrections_are_in_the_backup_and_numbering_goes_on_after_a_restore(tmp_path):
    from loaders.backup import backup, restore
    from loaders.store import Store

    store = open_store(f"duckdb:///{tmp_path}/a.duckdb")
    catalog = load_catalog()
    texts.change(store, catalog, "pillar:IA2030/SOV", "name", "en", "AI sovereignty", user=ADMIN)
    backup(store, tmp_path / "bk")
    again = Store(f"duckdb:///{tmp_path}/b.duckdb")
    restore(again, tmp_path / "bk")
    assert load_inputs(again).pillars.set_index("pillar").loc["SOV", "name_en"] == "AI sovereignty"
    rid = texts.change(again, catalog, "pillar:IA2030/SOV", "name", "en", "Sovereignty", user=ADMIN)
    assert rid == 2

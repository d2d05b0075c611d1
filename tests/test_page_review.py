"""The Review page in each language: a submitted batch with its diff, published by another person, refused to its
own analyst; competing values listed with their sources."""

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders import review
from loaders.i18n import translator
from loaders.ingest import ingest_long
from loaders.store import open_store
from tests.test_ingest import long_rows

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _page(db, lang, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.switch_page("pages/review.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _submit(store, value, source, user="amina"):
    r = ingest_long(
        store,
        [long_rows([("DM.EGDI_RANK", "2014", None, value, 2)], source=source)],
        files=["rapport.csv"],
        user=user,
    )
    return r.batch_id


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_review_page_publishes_a_submitted_batch(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("MARSAD_REVIEW", "1")
    monkeypatch.delenv("MARSAD_SELF_PUBLISH", raising=False)
    _ = translator(lang)
    db = tmp_path / "r.duckdb"
    store = open_store(str(db))
    b = _submit(store, 81, "UN DESA 2014")
    at = _page(db, lang, monkeypatch)
    assert at.title[0].value == _("Review before publication")
    assert [m.value for m in at.metric] == ["1", "0", "0"]  # revised, new, unchanged
    # The analyst who submitted it cannot publish it.
    at.text_input(key="review_user").set_value("amina").run()
    at.button(key="review_publish").click().run()
    assert at.error[0].value == _(
        "Batch {batch_id} was submitted by you: another validator must publish it", batch_id=b
    )
    assert review.status_of(store, b) == "submitted"
    at.text_input(key="review_user").set_value("karim").run()
    at.button(key="review_publish").click().run()
    assert at.success[0].value == _("Batch {batch_id} published", batch_id=b)
    assert review.status_of(store, b) == "published"
    assert _("No batch is waiting for review.") in [cap.value for cap in at.caption]


def test_review_page_sends_back_with_a_comment_and_lists_competing_values(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_REVIEW", "1")
    db = tmp_path / "r.duckdb"
    store = open_store(str(db))
    b = _submit(store, 81, "press")
    _submit(store, 80, "UN DESA")
    at = _page(db, "fr", monkeypatch)
    text = " ".join(str(v) for t in at.dataframe for v in t.value.to_numpy().ravel())
    assert "press" in text and "UN DESA" in text and "yabiladi.com/articles/details/154311" in text
    at.text_input(key="review_user").set_value("karim").run()
    at.selectbox(key="review_pick").set_value(b).run()
    at.text_area(key="review_comment").set_value(
        "Source de presse : attendre le chiffre officiel"
    ).run()
    at.button(key="review_send_back").click().run()
    assert review.status_of(store, b) == "sent_back"
    assert at.success[0].value == translator("fr")("Batch {batch_id} sent back", batch_id=b)

"""With sign-in on, the Review and Targets pages act as the signed-in account with its role: no name to type, so
nobody publishes under another person's name (the four-eyes rule holds against the account)."""

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders import review
from loaders.access import accounts as acc
from loaders.store import open_store
from tests.test_page_review import _submit

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PW = "correct horse battery"


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setattr(acc, "FAIL_SLEEP", 0)
    for var in ("MARSAD_AUTH", "MARSAD_ANONYMOUS_VIEW", "MARSAD_DB_URL", "MARSAD_SELF_PUBLISH"):
        monkeypatch.delenv(var, raising=False)


def _visit(page: str, token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "en"
    at.session_state["_auth_token"] = token
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_review_and_targets_act_as_the_signed_in_account(tmp_path, monkeypatch):
    db = tmp_path / "r.duckdb"
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)])
    store = open_store(str(db))
    acc.add_user(store, "ops", "amal", "admin", PW)
    acc.add_user(store, "amal", "karim", "validator", PW)
    own = _submit(store, 81, "UN DESA 2014", user="amal")  # the admin's own batch
    at = _visit("review", acc.sign_in(store, "amal", PW).token)
    assert "review_user" not in [t.key for t in at.text_input]  # no name to type: the account acts
    at.button(key="review_publish").click().run()
    assert at.error[0].value == (
        f"Batch {own} was submitted by you: another validator must publish it"
    )
    assert review.status_of(store, own) == "submitted"
    at = _visit("review", acc.sign_in(store, "karim", PW).token)
    at.button(key="review_publish").click().run()
    assert at.success[0].value == f"Batch {own} published"
    assert (
        review.batches(store, statuses=("published",)).set_index("batch_id").at[own, "published_by"]
        == "karim"
    )
    at = _visit("targets", acc.sign_in(store, "amal", PW).token)
    assert not [t for t in at.text_input if t.key == "targets_user"]
    assert at.title[0].value == "Targets" and not at.error

"""An account's producer (schema version 4): set from the command line against the catalog's producers, carried
through a v3 database's upgrade and a backup, and the Reporting page opens on the signed-in analyst's producer."""

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from loaders.__main__ import main
from loaders.access import accounts as acc
from loaders.access import audit
from loaders.store import Store, migrations, open_store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PW = "correct horse battery"


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setattr(acc, "FAIL_SLEEP", 0)
    for var in ("MARSAD_AUTH", "MARSAD_ANONYMOUS_VIEW", "MARSAD_DB_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MARSAD_USER", "ops")


def cli(capsys, monkeypatch, *args, stdin: str = ""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def producers(store) -> dict[str, str | None]:
    return {r["name"]: r["producer"] for r in acc.list_users(store)}


def test_a_v3_database_gains_the_producer_column_and_keeps_its_accounts(db_url):
    store = open_store(db_url)
    acc.add_user(store, "ops", "amal", "admin", PW)
    with store.begin() as conn:  # as Marsad's schema 3 left it
        conn.execute(sa.text("ALTER TABLE account DROP COLUMN producer"))
        store.set_meta(conn, "schema_version", "3")
    store = open_store(db_url)
    assert store.meta_value("schema_version") == str(migrations.latest())  # 4 (producer) and on
    with store.begin() as conn:
        assert "producer" in {c["name"] for c in sa.inspect(conn).get_columns("account")}
    assert producers(store) == {"amal": None}
    assert acc.sign_in(store, "amal", PW).user.producer is None
    acc.set_producer(store, "amal", "amal", "DEPF")
    assert acc.sign_in(store, "amal", PW).user.producer == "DEPF"


def test_users_add_and_set_producer_take_only_a_catalog_producer(db_url, capsys, monkeypatch):
    store = open_store(db_url)
    acc.add_user(store, "ops", "amal", "admin", PW)
    add = ["users", "add", "nadia", "--role", "analyst", "--password-stdin", "--user", "amal"]
    code, _, err = cli(
        capsys, monkeypatch, *add, "--producer", "HCP", "--db", db_url, stdin=PW + "\n"
    )
    assert (code, err) == (
        2,
        "HCP is not a producer in the catalog: use one of ADD, ANAPEC, ANRT, DEPF, MESRSI, MTNRA,"
        " Office des Changes, Oxford Insights, UN DESA.\n",
    )
    assert producers(store) == {"amal": None}  # nothing added
    # The catalog's spelling is kept whatever the case typed.
    code, out, _ = cli(
        capsys, monkeypatch, *add, "--producer", "anrt", "--db", db_url, stdin=PW + "\n"
    )
    assert (code, out) == (0, "nadia: account added (analyst)\n")
    assert producers(store)["nadia"] == "ANRT"
    setp = ["users", "set-producer", "nadia", "--db", db_url]
    code, _, err = cli(
        capsys, monkeypatch, *setp, "--producer", "office des changes", "--user", "nadia"
    )
    assert (code, err) == (2, "nadia (analyst) may not manage users.\n")
    code, out, _ = cli(
        capsys, monkeypatch, *setp, "--producer", "office des changes", "--user", "amal"
    )
    assert (code, out) == (0, "nadia: producer Office des Changes\n")
    code, out, _ = cli(
        capsys, monkeypatch, "users", "list", "--json", "--user", "amal", "--db", db_url
    )
    assert {r["name"]: r["producer"] for r in json.loads(out)} == {
        "amal": None,
        "nadia": "Office des Changes",
    }
    assert cli(capsys, monkeypatch, *setp, "--clear", "--user", "amal")[0] == 0
    assert producers(store)["nadia"] is None
    changes = audit.read(store, action="user_set_producer").iloc[::-1]
    assert [
        (json.loads(b)["producer"], json.loads(a)["producer"])
        for b, a in zip(changes["before"], changes["after"], strict=True)
    ] == [("ANRT", "Office des Changes"), ("Office des Changes", None)]
    added = json.loads(audit.read(store, action="user_add")["after"][0])
    assert added == {"role": "analyst", "active": True, "display_name": None, "producer": "ANRT"}


def test_backups_carry_the_producer_and_a_v3_backup_restores_without_one(tmp_path):
    from loaders.backup import backup, restore

    store = open_store(f"duckdb:///{tmp_path}/a.duckdb")
    acc.add_user(store, "ops", "amal", "admin", PW)
    acc.add_user(store, "amal", "nadia", "analyst", PW, producer="ANRT")
    backup(store, tmp_path / "b")
    target = Store(f"duckdb:///{tmp_path}/r.duckdb")
    restore(target, tmp_path / "b")
    assert producers(target) == {"amal": None, "nadia": "ANRT"}


def _reporting(db, token: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "en"
    at.session_state["as_of"] = dt.date(2026, 12, 2)
    if token:
        at.session_state["_auth_token"] = token
    at.switch_page("pages/reporting.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_reporting_page_opens_on_the_signed_in_analysts_producer(tmp_path, monkeypatch):
    db = tmp_path / "m.duckdb"
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)])
    store = open_store(str(db))
    acc.add_user(store, "ops", "amal", "admin", PW)
    acc.add_user(store, "amal", "nadia", "analyst", PW, producer="ANRT")
    acc.add_user(store, "amal", "omar", "analyst", PW)
    at = _reporting(db, acc.sign_in(store, "nadia", PW).token)
    assert at.selectbox(key="reporting_producer").value == "ANRT"
    # ANRT's three quarterly figures, none received, are listed first.
    # (each producer under its institution's name, its code as a tag: fixtext)
    assert (
        at.subheader[0].value == "National Telecommunications Regulatory Agency (ANRT): 3 overdue"
    )
    at.selectbox(key="reporting_producer").set_value("ADD").run()
    assert at.subheader[0].value.startswith("Digital Development Agency (ADD)")
    # Without a producer: nothing preselected, the most overdue producer first.
    at = _reporting(db, acc.sign_in(store, "omar", PW).token)
    assert at.selectbox(key="reporting_producer").value == ""
    assert at.subheader[0].value == (
        "Ministry of Digital Transition and Administrative Reform (MTNRA): 4 overdue"
    )

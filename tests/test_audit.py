"""The audit trail: one append-only row per change (sign-in, upload, undo, DEMO, user change), shown in Morocco's
time, filtered, exported as CSV and carried by backups (DuckDB and PostgreSQL)."""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from loaders import review
from loaders.__main__ import main
from loaders.access import accounts as acc
from loaders.access import audit
from loaders.ingest import ingest
from loaders.store import open_store

PW = "correct horse battery"
FIX = Path("tests/fixtures/ingest/good_long_three_values.csv")


@pytest.fixture(autouse=True)
def _quick(monkeypatch):
    monkeypatch.setattr(acc, "FAIL_SLEEP", 0)
    for var in ("MARSAD_AUTH", "MARSAD_ANONYMOUS_VIEW", "MARSAD_DB_URL"):
        monkeypatch.delenv(var, raising=False)


def rows(store):
    df = audit.read(store)
    out = []
    for r in df.iloc[::-1].itertuples():
        after = json.loads(r.after) if r.after else None
        if r.action == "publish":  # its times vary: the status it gives is what counts here
            after = after["status"]
        out.append((r.user_name, r.action, r.subject, after))
    return out


def test_every_change_writes_one_row_with_who_what_before_and_after(db_url, capsys):
    store = open_store(db_url)
    acc.add_user(store, "cli:ops", "amal", "admin", PW)
    acc.add_user(store, "amal", "badr", "analyst", PW)
    acc.sign_in(store, "badr", PW)
    acc.sign_in(store, "badr", "wrong password!")
    acc.sign_in(store, "ghost", PW)
    batch_id = ingest(store, [FIX], user="badr").batch_id  # sign-in is on: submitted for review
    review.publish(store, batch_id, user="amal", role="admin")
    assert main(["undo", str(batch_id), "--user", "amal", "--db", db_url]) == 0
    assert main(["demo", "add", "--user", "amal", "--db", db_url]) == 0
    assert main(["demo", "remove", "--user", "amal", "--db", db_url]) == 0
    acc.set_role(store, "amal", "badr", "validator")
    acc.reset_password(store, "amal", "badr", "another long secret")
    acc.set_active(store, "amal", "badr", False)
    demo_id = batch_id + 1
    assert rows(store) == [
        (
            "cli:ops",
            "user_add",
            "amal",
            {"role": "admin", "active": True, "display_name": None, "producer": None},
        ),
        (
            "amal",
            "user_add",
            "badr",
            {"role": "analyst", "active": True, "display_name": None, "producer": None},
        ),
        ("badr", "signin_success", "badr", None),
        ("badr", "signin_failure", "badr", {"reason": "password"}),
        ("ghost", "signin_failure", "ghost", {"reason": "unknown"}),
        ("badr", "submit", f"batch:{batch_id}", {"status": "submitted"}),
        ("badr", "upload", str(batch_id), {"files": [FIX.name]}),
        ("amal", "publish", f"batch:{batch_id}", "published"),
        ("amal", "undo", str(batch_id), {"restored": 0, "removed": 3}),
        ("amal", "demo_add", str(demo_id), None),
        ("amal", "demo_remove", None, {"batches": 1}),
        (
            "amal",
            "user_set_role",
            "badr",
            {"role": "validator", "active": True, "display_name": None, "producer": None},
        ),
        (
            "amal",
            "user_reset_password",
            "badr",
            {
                "role": "validator",
                "active": True,
                "display_name": None,
                "producer": None,
                "password": "changed",
            },
        ),
        (
            "amal",
            "user_disable",
            "badr",
            {"role": "validator", "active": False, "display_name": None, "producer": None},
        ),
    ]
    before = json.loads(audit.read(store, action="user_set_role")["before"][0])
    assert before["role"] == "analyst"
    assert PW not in audit.read(store).to_csv()  # no password ever reaches the trail


def test_a_failed_change_leaves_no_audit_row(db_url):
    store = open_store(db_url)
    acc.add_user(store, "ops", "amal", "admin", PW)
    with pytest.raises(acc.AccountError):
        acc.set_role(store, "amal", "amal", "viewer")  # the last admin: refused, rolled back
    assert [a for _u, a, _s, _x in rows(store)] == ["user_add"]


def test_times_are_stored_in_utc_and_shown_in_morocco(db_url):
    store = open_store(db_url)
    # 23:30 UTC on 2026-06-30 is 00:30 on 1 July in Morocco (UTC+1 outside Ramadan).
    audit.record(store, "amal", "upload", "25", at=dt.datetime(2026, 6, 30, 23, 30))
    df = audit.read(store)
    assert df["local_at"][0] == "2026-07-01 00:30:00"
    assert len(audit.read(store, since=dt.date(2026, 7, 1), until=dt.date(2026, 7, 1))) == 1
    assert len(audit.read(store, until=dt.date(2026, 6, 30))) == 0


def test_filters_and_csv_export(db_url):
    store = open_store(db_url)
    audit.record(store, "amal", "demo_add", "30")
    audit.record(store, "=cmd|' /C calc'!A0", "signin_failure", "=cmd|' /C calc'!A0")
    audit.record(store, "badr", "upload", "31", after={"files": ["T3.xlsx"]})
    assert list(audit.read(store, user="badr")["action"]) == ["upload"]
    assert list(audit.read(store, action="demo_add")["user_name"]) == ["amal"]
    assert audit.distinct(store, "user_name") == ["=cmd|' /C calc'!A0", "amal", "badr"]
    data = audit.to_csv(audit.read(store))
    assert data.startswith("\ufeff".encode())
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["action"] for r in table] == ["upload", "signin_failure", "demo_add"]
    assert table[0]["after"] == '{"files": ["T3.xlsx"]}'
    assert table[0]["at"].endswith("Z") and len(table[0]["local_at"]) == 19
    assert table[1]["user_name"].startswith("'=")  # a spreadsheet shows it, never runs it


def test_postgresql_refuses_to_change_or_delete_audit_rows(db_url):
    store = open_store(db_url)
    if db_url.startswith(
        "duckdb"
    ):  # no triggers in DuckDB: the module that writes the trail offers no way to change it
        assert [n for n in dir(audit) if n.startswith(("update", "delete", "remove", "edit"))] == []
        return
    audit.record(store, "amal", "upload", "25")
    for stmt in (sa.update(audit.audit).values(user_name="nobody"), sa.delete(audit.audit)):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.begin() as conn:
            conn.execute(stmt)
    assert list(audit.read(store)["user_name"]) == ["amal"]


def test_backups_carry_the_audit_trail_and_accounts(db_url, tmp_path):
    from loaders.backup import backup, restore
    from loaders.store import Store

    store = open_store(db_url)
    acc.add_user(store, "ops", "amal", "admin", PW)
    acc.sign_in(store, "amal", PW)
    result = backup(store, tmp_path / "b")
    assert result.tables["audit"] == 2 and result.tables["account"] == 1
    target = Store(f"duckdb:///{tmp_path}/restored.duckdb")
    restore(target, tmp_path / "b")
    assert [a for _u, a, _s, _x in rows(target)] == ["user_add", "signin_success"]
    assert acc.sign_in(target, "amal", PW).user.role == "admin"

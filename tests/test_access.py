"""Roles and accounts: each role's reach, hashed passwords, sign-in failures slowed and locked, sessions in the
database, and the command line acting as a named user (DuckDB and PostgreSQL)."""

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from loaders.__main__ import main
from loaders.access import ACTIONS, ROLES, PermissionDenied, User, can, require
from loaders.access import accounts as acc
from loaders.access.accounts import AccountError, account, session
from loaders.store import open_store, utcnow

PW = "correct horse battery"
FIX = "tests/fixtures/ingest/good_long_three_values.csv"

# Written by hand from the issue: who may do what.
EXPECTED = {
    "viewer": {"view"},
    "analyst": {"view", "upload", "submit", "withdraw_own"},
    "validator": {"view", "publish", "send_back", "undo"},
    "admin": set(ACTIONS),
}


@pytest.fixture(autouse=True)
def _quick(monkeypatch):
    monkeypatch.setattr(acc, "FAIL_SLEEP", 0)
    for var in ("MARSAD_AUTH", "MARSAD_ANONYMOUS_VIEW", "MARSAD_SESSION_HOURS", "MARSAD_DB_URL"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def store(db_url):
    return open_store(db_url)


def test_every_role_reaches_exactly_its_actions():
    for role in ROLES:
        assert {a for a in ACTIONS if can(role, a)} == EXPECTED[role], role
    assert not any(can(None, a) for a in ACTIONS)
    assert not can("root", "view")
    with pytest.raises(ValueError):
        can("admin", "delete_everything")


def test_require_says_who_may_not_do_what_in_each_language():
    assert require(User("nadia", "analyst"), "upload").name == "nadia"
    with pytest.raises(PermissionDenied) as e:
        require(User("vera", "viewer", "Vera B."), "upload")
    assert e.value.message == "Vera B. (viewer) may not upload or check files."
    from loaders.i18n import translator

    assert (
        e.value.translated(translator("fr"))
        == "Vera B. (lecteur) ne peut pas téléverser ou vérifier des fichiers."
    )
    with pytest.raises(PermissionDenied) as e:
        require(None, "view_audit")
    assert e.value.message == "Sign in to see the audit trail."


def test_passwords_are_stored_as_argon2id_hashes_only(store):
    acc.add_user(store, "ops", "amal", "admin", PW)
    acc.add_user(store, "ops", "badr", "analyst", PW)
    with store.begin() as conn:
        rows = conn.execute(sa.select(account)).all()
        dump = repr([tuple(r) for r in rows])
    assert PW not in dump
    hashes = [r.password_hash for r in rows]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert hashes[0] != hashes[1]  # salted: the same password never gives the same hash
    with pytest.raises(AccountError, match="at least 10 characters"):
        acc.add_user(store, "ops", "chad", "viewer", "short")
    with pytest.raises(AccountError, match="already exists"):
        acc.add_user(store, "ops", "amal", "viewer", PW)
    with pytest.raises(AccountError, match="not a role"):
        acc.add_user(store, "ops", "dina", "superuser", PW)
    with pytest.raises(AccountError, match="not a valid account name"):
        acc.add_user(store, "ops", "a b", "viewer", PW)


def test_sign_in_gives_a_session_any_replica_can_check_and_sign_out_ends_it(store, db_url):
    acc.add_user(store, "ops", "amal", "validator", PW, "Amal E.")
    result = acc.sign_in(store, "amal", PW)
    assert result.user == User("amal", "validator", "Amal E.", "local")
    # Another replica: a new Store on the same database knows the session.
    other = open_store(db_url)
    assert acc.session_user(other, result.token).role == "validator"
    with store.begin() as conn:
        stored = conn.execute(sa.select(session.c.token_hash)).scalars().all()
    assert result.token not in stored and len(stored[0]) == 64  # only its SHA-256
    acc.sign_out(other, result.token)
    assert acc.session_user(store, result.token) is None
    assert acc.session_user(store, "forged-token") is None


def test_a_session_expires(store, monkeypatch):
    acc.add_user(store, "ops", "amal", "viewer", PW)
    monkeypatch.setenv("MARSAD_SESSION_HOURS", "0")
    token = acc.sign_in(store, "amal", PW).token
    assert acc.session_user(store, token) is None


def test_failed_sign_ins_are_counted_then_locked_and_wrong_or_unknown_read_the_same(
    store, monkeypatch
):
    acc.add_user(store, "ops", "amal", "admin", PW)
    unknown = acc.sign_in(store, "nobody", PW)
    wrong = acc.sign_in(store, "amal", "not the password")
    assert unknown.user is None and wrong.user is None
    assert unknown.error.message == wrong.error.message == "Wrong account name or password."
    for _ in range(acc.FREE_FAILURES - 1):
        acc.sign_in(store, "amal", "still wrong")
    assert acc.list_users(store)[0]["failed_count"] == acc.FREE_FAILURES
    locked = acc.sign_in(store, "amal", PW)  # even the right password waits
    assert locked.user is None
    assert locked.error.message.startswith("Too many failed sign-ins: try again in ")
    assert acc.lock_seconds(5) == 30 and acc.lock_seconds(6) == 60 and acc.lock_seconds(40) == 900
    # When the lock has passed, the right password works and the count restarts.
    with store.begin() as conn:
        conn.execute(sa.update(account).values(last_failed_at=utcnow() - dt.timedelta(hours=1)))
    assert acc.sign_in(store, "amal", PW).user is not None
    assert acc.list_users(store)[0]["failed_count"] == 0


def test_failures_are_slowed(store, monkeypatch):
    import time

    monkeypatch.setattr(acc, "FAIL_SLEEP", 0.5)
    t0 = time.monotonic()
    acc.sign_in(store, "nobody", PW)
    assert time.monotonic() - t0 >= 0.5


def test_disable_reset_and_role_changes_end_sessions_and_keep_an_admin(store):
    acc.add_user(store, "ops", "amal", "admin", PW)
    acc.add_user(store, "ops", "badr", "analyst", PW)
    token = acc.sign_in(store, "badr", PW).token
    acc.set_active(store, "amal", "badr", False)
    assert acc.session_user(store, token) is None
    assert acc.sign_in(store, "badr", PW).user is None  # disabled
    acc.set_active(store, "amal", "badr", True)
    token = acc.sign_in(store, "badr", PW).token
    acc.reset_password(store, "amal", "badr", "a brand new secret")
    assert acc.session_user(store, token) is None
    assert acc.sign_in(store, "badr", PW).user is None
    assert acc.sign_in(store, "badr", "a brand new secret").user.role == "analyst"
    acc.set_role(store, "amal", "badr", "validator")
    assert acc.get_user(store, "badr").role == "validator"
    with pytest.raises(AccountError, match="last active admin"):
        acc.set_role(store, "amal", "amal", "viewer")
    with pytest.raises(AccountError, match="last active admin"):
        acc.set_active(store, "amal", "amal", False)


def test_sign_in_is_on_when_an_account_exists_or_required(store, monkeypatch):
    assert not acc.signin_required(store)
    monkeypatch.setenv("MARSAD_AUTH", "required")
    assert acc.signin_required(store)
    monkeypatch.delenv("MARSAD_AUTH")
    acc.add_user(store, "ops", "amal", "admin", PW)
    assert acc.signin_required(store)


# -- the command line as a named user ------------------------------------------------------------------------


def cli(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_users_cli_reads_the_password_from_stdin_and_lists(db_url, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(PW + "\n"))
    code, out, _ = cli(
        capsys, "users", "add", "amal", "--role", "admin", "--password-stdin", "--db", db_url
    )
    assert code == 0 and out.strip() == "amal: account added (admin)"
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, _, err = cli(
        capsys,
        *("users", "add", "badr", "--role", "viewer", "--password-stdin", "--user", "amal"),
        *("--db", db_url),
    )
    assert code == 2 and err.strip() == "A password needs at least 10 characters."
    code, _, err = cli(
        capsys, "users", "set-role", "amal", "validator", "--user", "amal", "--db", db_url
    )
    assert code == 2 and err.strip() == "amal is the last active admin: make another admin first."
    code, out, _ = cli(capsys, "users", "list", "--json", "--user", "amal", "--db", db_url)
    rows = json.loads(out)
    assert [(r["name"], r["role"], r["active"]) for r in rows] == [("amal", "admin", True)]
    assert "password_hash" not in rows[0]


# (command, action it needs) → the roles that may run it.
CLI_REACH = [
    (["ingest", FIX, "--dry-run"], {"analyst", "admin"}),
    (["demo", "add"], {"admin"}),
    (["export", "-o", "/dev/null"], {"viewer", "analyst", "validator", "admin"}),
    (["history"], {"viewer", "analyst", "validator", "admin"}),
]


def test_each_role_reaches_exactly_its_commands_when_sign_in_is_on(db_url, capsys):
    store = open_store(db_url)
    for role in ROLES:
        acc.add_user(store, "ops", role, role, PW)
    for args, allowed in CLI_REACH:
        for role in ROLES:
            code, _, err = cli(capsys, *args, "--user", role, "--db", db_url)
            if role in allowed:
                assert code == 0, (args, role, err)
            else:
                assert code == 2, (args, role)
                assert err.strip().startswith(f"{role} ({role}) may not "), err
                assert err.count("\n") == 1
    # Undo: a validator or an admin; an analyst who loaded the batch may not.
    from pathlib import Path

    from loaders import review
    from loaders.ingest import ingest

    bid = ingest(store, [Path(FIX)], user="analyst").batch_id  # sign-in is on: submitted
    review.publish(
        store, bid, user="validator", role="validator"
    )  # only a published batch is undone
    assert cli(capsys, "undo", bid, "--user", "analyst", "--db", db_url)[0] == 2
    code, out, _ = cli(capsys, "undo", bid, "--user", "validator", "--db", db_url)
    assert code == 0 and out.startswith(f"Batch {bid} undone")


def test_unknown_or_disabled_user_is_one_sentence_exit_2(db_url, capsys):
    store = open_store(db_url)
    acc.add_user(store, "ops", "amal", "admin", PW)
    acc.add_user(store, "ops", "badr", "analyst", PW)
    acc.set_active(store, "amal", "badr", False)
    code, _, err = cli(capsys, "demo", "add", "--user", "ghost", "--db", db_url)
    assert (code, err) == (
        2,
        "There is no account named ghost: sign-in is on, give --user with an account name.\n",
    )
    code, _, err = cli(capsys, "ingest", FIX, "--user", "badr", "--db", db_url)
    assert (code, err) == (2, "The account badr is disabled: ask an admin.\n")


def test_without_accounts_the_cli_is_open_as_before(db_url, capsys):
    code, out, _ = cli(capsys, "demo", "add", "--user", "whoever", "--db", db_url)
    assert code == 0 and out.startswith("DEMO batch ")


def test_kpis_cli_needs_a_known_account_unless_anonymous_view(db_url, capsys, monkeypatch):
    from kpis.__main__ import main as kpis_main

    store = open_store(db_url)
    acc.add_user(store, "ops", "vera", "viewer", PW)
    assert kpis_main(["pillars", "--db", db_url, "--user", "vera"]) == 0
    capsys.readouterr()
    assert kpis_main(["pillars", "--db", db_url, "--user", "ghost"]) == 2
    assert "There is no account named ghost" in capsys.readouterr().err
    monkeypatch.setenv("MARSAD_ANONYMOUS_VIEW", "1")
    assert kpis_main(["pillars", "--db", db_url, "--user", "ghost"]) == 0


# -- OpenID Connect: the role from a claim (no identity provider offline: the mapping is what is tested) ------


def test_keycloak_realm_roles_give_the_highest_marsad_role():
    from loaders.access.oidc import role_from_claims, user_from_claims

    claims = {
        "preferred_username": "amal.e",
        "name": "Amal E.",
        "realm_access": {"roles": ["offline_access", "marsad-analyst", "marsad-validator"]},
    }
    assert role_from_claims(claims, claim="realm_access.roles") == "validator"
    assert user_from_claims(claims, claim="realm_access.roles") == User(
        "amal.e", "validator", "Amal E.", "oidc"
    )
    # A client-roles mapper that puts a flat "roles" claim in the ID token (the default claim name).
    assert role_from_claims({"roles": ["admin"]}) == "admin"
    assert role_from_claims({"roles": "marsad_viewer marsad_analyst"}) == "analyst"


def test_a_mapping_names_the_providers_groups_and_no_role_falls_back_to_the_default(monkeypatch):
    from loaders.access.oidc import role_from_claims, user_from_claims

    claims = {"email": "b@gov.ma", "groups": ["/DEPF/stats", "/all-staff"]}
    monkeypatch.setenv("MARSAD_OIDC_ROLE_CLAIM", "groups")
    monkeypatch.setenv("MARSAD_OIDC_ROLE_MAP", "/DEPF/stats=analyst,/DEPF/chefs=validator,x=root")
    assert role_from_claims(claims) == "analyst"
    assert user_from_claims(claims).name == "b@gov.ma"
    assert role_from_claims({"groups": ["/all-staff"]}) == "viewer"  # default role
    monkeypatch.setenv("MARSAD_OIDC_DEFAULT_ROLE", "none")
    assert role_from_claims({"groups": ["/all-staff"]}) is None
    assert user_from_claims({"email": "c@gov.ma", "groups": ["x"]}) is None  # "root" is no role

"""Every command of `python -m loaders` that changes something, run by each role once sign-in is on: users, backup
and restore for admins only (the first admin made while no account exists), publish / send back / withdraw by
the role the account really has, each refusal one sentence with exit 2, and each action audited (DuckDB and
PostgreSQL)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from loaders import review
from loaders.__main__ import main
from loaders.access import ROLES, audit
from loaders.access import accounts as acc
from loaders.batches import undo
from loaders.ingest import ingest
from loaders.store import Store, open_store, resolve_url

ROOT = Path(__file__).resolve().parent.parent
PW = "correct horse battery"
FIX = ROOT / "tests" / "fixtures" / "ingest" / "good_long_three_values.csv"


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setattr(acc, "FAIL_SLEEP", 0)
    for var in ("MARSAD_AUTH", "MARSAD_ANONYMOUS_VIEW", "MARSAD_DB_URL", "MARSAD_SELF_PUBLISH"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MARSAD_USER", "ops")


@pytest.fixture
def store(db_url):
    """One account per role, each named after its role (sign-in is on)."""
    s = open_store(db_url)
    for role in ROLES:
        acc.add_user(s, "ops", role, role, PW)
    return s


def cli(capsys, monkeypatch, *args, stdin: str = ""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def trail(store, since: int = 0) -> list[tuple]:
    df = audit.read(store)
    df = df[df["audit_id"] > since].iloc[::-1]
    return [(r.user_name, r.action, r.subject) for r in df.itertuples()]


def last_id(store) -> int:
    return int(audit.read(store)["audit_id"].max())


# -- users ----------------------------------------------------------------------------------------------------

USERS_ACTIONS = [
    (["add", "zoe", "--role", "viewer", "--password-stdin"], PW + "\n"),
    (["disable", "viewer"], ""),
    (["enable", "viewer"], ""),
    (["reset-password", "viewer", "--password-stdin"], "another long secret\n"),
    (["set-role", "viewer", "analyst"], ""),
    (["list", "--json"], ""),
]


def test_only_an_admin_runs_users_commands_once_sign_in_is_on(store, db_url, capsys, monkeypatch):
    before = last_id(store)
    for args, stdin in USERS_ACTIONS:
        for role in ("viewer", "analyst", "validator"):
            code, out, err = cli(
                capsys, monkeypatch, "users", *args, "--user", role, "--db", db_url, stdin=stdin
            )
            assert (code, out, err) == (2, "", f"{role} ({role}) may not manage users.\n"), args
    assert last_id(store) == before  # refusals change nothing and write no audit row
    for args, stdin in USERS_ACTIONS:
        code, out, err = cli(
            capsys, monkeypatch, "users", *args, "--user", "admin", "--db", db_url, stdin=stdin
        )
        assert code == 0, (args, err)
    listed = {r["name"]: (r["role"], r["active"]) for r in json.loads(out)}
    assert listed["viewer"] == ("analyst", True) and listed["zoe"] == ("viewer", True)
    assert trail(store, before) == [
        ("admin", "user_add", "zoe"),
        ("admin", "user_disable", "viewer"),
        ("admin", "user_enable", "viewer"),
        ("admin", "user_reset_password", "viewer"),
        ("admin", "user_set_role", "viewer"),
    ]
    assert acc.sign_in(store, "viewer", "another long secret").user.role == "analyst"


def test_without_user_the_login_name_must_be_an_admin_account(store, db_url, capsys, monkeypatch):
    code, _, err = cli(capsys, monkeypatch, "users", "list", "--db", db_url)
    assert (code, err) == (
        2,
        "There is no account named ops: sign-in is on, give --user with an account name.\n",
    )
    acc.set_active(store, "admin", "validator", False)
    code, _, err = cli(
        capsys, monkeypatch, "users", "enable", "validator", "--user", "validator", "--db", db_url
    )
    assert (code, err) == (2, "The account validator is disabled: ask an admin.\n")


def test_the_first_account_is_made_without_sign_in_and_must_be_an_admin(
    db_url, capsys, monkeypatch
):
    args = ["users", "add", "amal", "--password-stdin", "--db", db_url]
    code, _, err = cli(capsys, monkeypatch, *args, "--role", "analyst", stdin=PW + "\n")
    assert (code, err) == (
        2,
        "There is no account yet: the first one must be an admin (--role admin).\n",
    )
    store = Store(resolve_url(db_url))
    assert acc.account_count(store) == 0
    code, out, _ = cli(capsys, monkeypatch, *args, "--role", "admin", stdin=PW + "\n")
    assert (code, out) == (0, "amal: account added (admin)\n")
    # Sign-in is on now: the next account is made by that admin, named.
    args = ["users", "add", "badr", "--role", "analyst", "--password-stdin", "--db", db_url]
    assert cli(capsys, monkeypatch, *args, stdin=PW + "\n")[0] == 2
    assert cli(capsys, monkeypatch, *args, "--user", "amal", stdin=PW + "\n")[0] == 0
    assert trail(store) == [("cli:ops", "user_add", "amal"), ("amal", "user_add", "badr")]


def test_with_sign_in_required_the_first_admin_can_still_be_made(db_url, capsys, monkeypatch):
    monkeypatch.setenv("MARSAD_AUTH", "required")
    code, _, err = cli(capsys, monkeypatch, "users", "list", "--db", db_url)
    assert code == 2 and err.startswith("There is no account named ops")
    code, _, _ = cli(
        capsys,
        monkeypatch,
        *("users", "add", "amal", "--role", "admin", "--password-stdin", "--db", db_url),
        stdin=PW + "\n",
    )
    assert code == 0
    code, out, _ = cli(capsys, monkeypatch, "users", "list", "--user", "amal", "--db", db_url)
    assert (code, out) == (
        0,
        "amal\tadmin\tactive\t\t\n",
    )  # name, role, state, display name, producer


# -- backup and restore ---------------------------------------------------------------------------------------


def test_only_an_admin_backs_up_and_it_is_audited(store, db_url, tmp_path, capsys, monkeypatch):
    for role in ("viewer", "analyst", "validator"):
        out_dir = tmp_path / f"b-{role}"
        code, out, err = cli(
            capsys, monkeypatch, "backup", "-o", out_dir, "--user", role, "--db", db_url
        )
        assert (code, out, err) == (2, "", f"{role} ({role}) may not back up the database.\n")
        assert not out_dir.exists()
    before = last_id(store)
    code, out, _ = cli(
        capsys, monkeypatch, "backup", "-o", tmp_path / "b", "--user", "admin", "--db", db_url
    )
    assert (code, out) == (0, f"{tmp_path / 'b'}\n")
    assert trail(store, before) == [("admin", "backup", str(tmp_path / "b"))]
    after = json.loads(audit.read(store, action="backup")["after"][0])
    assert after["tables"]["account"] == 4 and after["tables"]["batch"] == 24


def test_restore_is_for_an_admin_of_the_backups_accounts(
    store, db_url, tmp_path, capsys, monkeypatch
):
    assert main(["backup", "-o", str(tmp_path / "b"), "--user", "admin", "--db", db_url]) == 0
    capsys.readouterr()
    target = f"duckdb:///{tmp_path}/restored.duckdb"
    for role in ("viewer", "analyst", "validator"):
        code, _, err = cli(
            capsys, monkeypatch, "restore", tmp_path / "b", "--db", target, "--user", role
        )
        assert (code, err) == (2, f"{role} ({role}) may not restore a backup.\n")
    code, _, err = cli(capsys, monkeypatch, "restore", tmp_path / "b", "--db", target)
    assert (code, err) == (
        2,
        "There is no account named ops in this backup: give --user with one of its admins.\n",
    )
    code, _, err = cli(
        capsys,
        monkeypatch,
        "restore",
        tmp_path / "b",
        "--db",
        target,
        "--user",
        "admin",
        "--lang",
        "fr",
    )
    assert code == 0, err
    restored = Store(target)
    # The backup's trail (its own row is written after the files, so not in them), then the restore.
    assert trail(restored) == [
        *[("ops", "user_add", role) for role in ROLES],
        ("admin", "restore", str(tmp_path / "b")),
    ]
    assert acc.sign_in(restored, "admin", PW).user.role == "admin"


def test_a_backup_without_accounts_restores_only_as_before_unless_sign_in_is_required(
    db_url, tmp_path, capsys, monkeypatch
):
    open_store(db_url)
    assert main(["backup", "-o", str(tmp_path / "b"), "--db", db_url]) == 0
    capsys.readouterr()
    monkeypatch.setenv("MARSAD_AUTH", "required")
    target = f"duckdb:///{tmp_path}/r.duckdb"
    code, _, err = cli(capsys, monkeypatch, "restore", tmp_path / "b", "--db", target)
    assert code == 2 and err.startswith("There is no account named ops in this backup")
    monkeypatch.delenv("MARSAD_AUTH")
    assert cli(capsys, monkeypatch, "restore", tmp_path / "b", "--db", target)[0] == 0
    assert trail(Store(target))[-1] == ("ops", "restore", str(tmp_path / "b"))


# -- review and the other commands ----------------------------------------------------------------------------

# (command, who submitted the batch) → the roles that may run it.
REVIEW_REACH = [
    (["publish"], "analyst", {"validator", "admin"}),
    (["send-back", "--comment", "Source?"], "analyst", {"validator", "admin"}),
    (["withdraw"], None, {"analyst", "admin"}),  # one's own batch
]
LABELS = {
    "publish": "publish a batch",
    "send-back": "send a batch back",
    "withdraw": "withdraw a batch",
}


def test_review_commands_act_with_the_accounts_real_role(store, db_url, capsys, monkeypatch):
    for args, submitter, allowed in REVIEW_REACH:
        for role in ROLES:
            batch_id = ingest(store, [FIX], user=submitter or role).batch_id
            assert batch_id is not None
            code, out, err = cli(
                capsys, monkeypatch, args[0], batch_id, *args[1:], "--user", role, "--db", db_url
            )
            if role in allowed:
                assert code == 0, (args, role, err)
                assert out.startswith(f"Batch {batch_id} ")
                assert trail(store)[-1][:2] == (role, args[0].replace("-", "_"))
            else:
                assert (code, err) == (2, f"{role} ({role}) may not {LABELS[args[0]]}.\n")
            # Withdrawn or undone for the next round: the same file again is then a new batch to review.
            status = review.status_of(store, batch_id)
            if status == "submitted":
                review.withdraw(store, batch_id, user=submitter or role, role="admin")
            elif status == "published":
                undo(store, batch_id, user="validator")


def test_an_analyst_may_not_publish_at_load_time(store, db_url, capsys, monkeypatch):
    code, _, err = cli(
        capsys, monkeypatch, "ingest", FIX, "--publish", "--user", "analyst", "--db", db_url
    )
    assert code == 1 and "analyst" in err and err.count("\n") == 1


def test_template_from_a_database_needs_a_known_account(
    store, db_url, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "t.xlsx"
    code, _, err = cli(
        capsys, monkeypatch, "template", "-o", out, "--user", "ghost", "--db", db_url
    )
    assert code == 2 and err.startswith("There is no account named ghost") and not out.exists()
    assert (
        cli(capsys, monkeypatch, "template", "-o", out, "--user", "viewer", "--db", db_url)[0] == 0
    )
    assert out.is_file()


# -- as a person runs it: a refusal is one sentence on stderr, exit 2, no traceback ---------------------------


def test_refused_commands_in_a_terminal_are_one_sentence(tmp_path):
    db = tmp_path / "m.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env["MARSAD_USER"] = "ops"

    def run(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "-m", "loaders", *map(str, args), "--db", str(db)],
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    assert (
        run("users", "add", "amal", "--role", "admin", "--password-stdin", stdin=PW).returncode == 0
    )
    vera = ("users", "add", "vera", "--role", "viewer", "--password-stdin", "--user", "amal")
    assert run(*vera, stdin=PW).returncode == 0
    assert run("backup", "-o", tmp_path / "b", "--user", "amal").returncode == 0
    for args, sentence in (
        (("users", "list", "--user", "vera"), "vera (viewer) may not manage users."),
        (
            ("backup", "-o", tmp_path / "b2", "--user", "vera"),
            "vera (viewer) may not back up the database.",
        ),
        (
            ("users", "set-role", "vera", "admin"),
            "There is no account named ops: sign-in is on, give --user with an account name.",
        ),
    ):
        p = run(*args)
        assert (p.returncode, p.stdout, p.stderr) == (2, "", sentence + "\n"), args
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "loaders",
            "restore",
            str(tmp_path / "b"),
            "--user",
            "vera",
            "--lang",
            "fr",
            "--db",
            str(tmp_path / "r.duckdb"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert p.returncode == 2 and "Traceback" not in p.stderr and p.stderr.count("\n") == 1
    assert p.stderr.startswith("vera (lecteur) ne peut pas")

"""The command line's side of access: `users` subcommands and the check that a --user may run a command."""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from ..i18n import N_
from . import ROLES, PermissionDenied, User, require, sign_in_on


def _acc():
    """The accounts module, imported only when a command needs it: with sign-in off, a load never imports
    SQLAlchemy or the password hasher."""
    from . import accounts

    return accounts


class AccessFailure(Exception):
    """A command refused to this user: one sentence, exit 2."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        self.code = 2


def command_user(store, name: str, action: str, _=None) -> User:
    """Who runs the command, checked against the accounts when sign-in is on (else trusted, role admin).

    Unknown or disabled account, or a role without `action`: AccessFailure with one sentence.
    """
    _ = _ or (lambda msgid, **kw: msgid.format(**kw))
    if not sign_in_on(store):
        return User(name, "admin", source="cli")
    user = _acc().get_user(store, name) if name else None
    if user is None and action == "view" and _acc().anonymous_view():
        return User(name or "anonymous", "viewer", source="cli")
    if user is None:
        state = _acc().account_state(store, name)
        msgid = (
            N_("The account {name} is disabled: ask an admin.")
            if state == "disabled"
            else N_(
                "There is no account named {name}: sign-in is on, give --user with an account name."
            )
        )
        raise AccessFailure(_(msgid, name=name))
    try:
        return require(user, action)
    except PermissionDenied as e:
        raise AccessFailure(e.translated(_)) from e


def default_user() -> str:
    """$MARSAD_USER, else the login name."""
    import os

    try:
        return os.environ.get("MARSAD_USER") or getpass.getuser()
    except Exception:  # no login name (some containers)
        return "unknown"


def store_user(store, name: str, action: str, _=None) -> User:
    """command_user for a database read as it is (backup): one made before accounts existed has no account
    table, and then sign-in is off unless MARSAD_AUTH=required."""
    from .. import settings

    with store.transaction() as conn:
        has_accounts = store.has_table(conn, "account")
    if has_accounts:
        return command_user(store, name, action, _)
    if settings.get("MARSAD_AUTH") == "required":
        _ = _ or (lambda msgid, **kw: msgid.format(**kw))
        raise AccessFailure(
            _(
                N_(
                    "There is no account named {name}: sign-in is on, give --user with an account name."
                ),
                name=name,
            )
        )
    return User(name, "admin", source="cli")


def backup_user(directory, name: str, action: str, _=None) -> User:
    """Who restores a backup, checked against the accounts the backup carries (the restored database will have
    exactly those; the target must be empty). Sign-in is on if it carries any, or with MARSAD_AUTH=required.
    The backup is verified first (BackupError if it cannot be trusted)."""
    from pathlib import Path

    import pyarrow.parquet as pq

    from .. import settings
    from ..backup import verify

    _ = _ or (lambda msgid, **kw: msgid.format(**kw))
    entry = verify(directory).get("tables", {}).get("account")
    rows = pq.read_table(Path(directory) / entry["file"]).to_pylist() if entry else []
    if not rows and settings.get("MARSAD_AUTH") != "required":
        return User(name, "admin", source="cli")
    row = next((r for r in rows if r["name"] == name), None)
    if row is None:
        raise AccessFailure(
            _(
                N_(
                    "There is no account named {name} in this backup: give --user with one of its admins."
                ),
                name=name,
            )
        )
    if not row["active"]:
        raise AccessFailure(_(N_("The account {name} is disabled: ask an admin."), name=name))
    try:
        return require(User(name, row["role"], row.get("display_name"), "cli"), action)
    except PermissionDenied as e:
        raise AccessFailure(e.translated(_)) from e


# argparse tables are declarative: one parser per `users` action, longer than a usual function.
def add_users_parser(sub, parents) -> None:
    """`users add|disable|enable|reset-password|set-role|set-producer|list` under `python -m loaders`."""
    u = sub.add_parser(
        "users", parents=parents, help="accounts: add, disable, reset password, role, producer"
    )
    us = u.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    pw = argparse.ArgumentParser(add_help=False)
    pw.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (else a prompt)",
    )
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument(
        "--user",
        default=None,
        help="who acts: an admin account once sign-in is on (default: $MARSAD_USER or the login name)",
    )
    s = us.add_parser("add", parents=[*parents, pw, who], help="a new account")
    s.add_argument("name")
    s.add_argument("--role", choices=ROLES, required=True)
    s.add_argument("--display-name", default=None)
    s.add_argument(
        "--producer",
        default=None,
        metavar="CODE",
        help="the catalog producer an analyst reports for",
    )
    s = us.add_parser("disable", parents=[*parents, who], help="no more sign-in; its sessions end")
    s.add_argument("name")
    s = us.add_parser("enable", parents=[*parents, who], help="allow a disabled account again")
    s.add_argument("name")
    s = us.add_parser("reset-password", parents=[*parents, pw, who], help="a new password")
    s.add_argument("name")
    s = us.add_parser("set-role", parents=[*parents, who], help="change an account's role")
    s.add_argument("name")
    s.add_argument("role", choices=ROLES)
    s = us.add_parser(
        "set-producer", parents=[*parents, who], help="the producer an account reports for"
    )
    s.add_argument("name")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--producer", metavar="CODE", help="a producer of the catalog")
    g.add_argument("--clear", action="store_true", help="no producer")
    s = us.add_parser("list", parents=[*parents, who], help="every account")
    s.add_argument("--json", action="store_true")


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise _acc().AccountError(N_("The two passwords differ; nothing was changed."))
    return first


def _actor(store, args, name: str, _) -> str:
    """Who runs a `users` action, for the audit trail. With sign-in on, an active admin account; while no account
    exists, whoever reaches the database may create the first one, and it must be an admin (an analyst alone
    could never make the admin who manages accounts)."""
    if not sign_in_on(store) or (args.users_command == "add" and not _acc().account_count(store)):
        if args.users_command == "add" and args.role != "admin":
            raise AccessFailure(
                _(N_("There is no account yet: the first one must be an admin (--role admin)."))
            )
        return args.user if args.user else f"cli:{name}"
    return command_user(store, name, "admin_users", _).name


def run_users(store, args, name: str, catalog=None, _=None) -> int:
    """Run one `users` action as `name` (--user, else $MARSAD_USER or the login name); every change audited."""
    _ = _ or (lambda msgid, **kw: msgid.format(**kw))
    cmd = args.users_command
    try:
        who = _actor(store, args, name, _)
        producer = getattr(args, "producer", None)
        if producer is not None:
            producer = _acc().check_producer(producer, _acc().catalog_producers(catalog))
        if cmd == "list":
            rows = _acc().list_users(store)
            if args.json:
                print(json.dumps(rows, default=str, ensure_ascii=False))
            else:
                for r in rows:
                    state = "active" if r["active"] else "disabled"
                    cells = [
                        r["name"],
                        r["role"],
                        state,
                        r["display_name"] or "",
                        r["producer"] or "",
                    ]
                    print("\t".join(cells))
            return 0
        if cmd == "add":
            _acc().add_user(
                store, who, args.name, args.role, _password(args), args.display_name, producer
            )
            print(f"{args.name}: account added ({args.role})")
        elif cmd in ("disable", "enable"):
            _acc().set_active(store, who, args.name, cmd == "enable")
            print(f"{args.name}: {cmd}d")
        elif cmd == "reset-password":
            _acc().reset_password(store, who, args.name, _password(args))
            print(f"{args.name}: password changed; its sessions ended")
        elif cmd == "set-role":
            _acc().set_role(store, who, args.name, args.role)
            print(f"{args.name}: role {args.role}")
        elif cmd == "set-producer":
            _acc().set_producer(store, who, args.name, producer)
            print(f"{args.name}: producer {producer or '-'}")
    except AccessFailure as e:
        print(e.message, file=sys.stderr)
        return e.code
    except _acc().AccountError as e:
        print(e.translated(_), file=sys.stderr)
        return 2
    return 0

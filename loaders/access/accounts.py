"""Local accounts (argon2 password hashes), sign-in with counted and slowed failures, and sessions kept in the database."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..errors import MarsadError
from ..i18n import N_
from ..store import Store, account, session, utcnow
from . import ROLES, User, audit

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 10
# Failed sign-ins: every failure costs FAIL_SLEEP seconds before the answer; from the FREE_FAILURES-th
# failure in a row the account also refuses any attempt for LOCK_BASE seconds, doubling each time (capped).
FAIL_SLEEP = 1.0
FREE_FAILURES = 5
LOCK_BASE = 30
LOCK_MAX = 15 * 60
SESSION_HOURS = 12
_hasher = PasswordHasher()  # argon2id, 64 MiB, 3 passes: the library's RFC 9106 low-memory profile
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(MarsadError):
    """A refused account change or sign-in; `message` is one sentence for people (English msgid + params)."""

    def __init__(self, message: str, **params):
        super().__init__(message.format(**params))
        self.msgid = message
        self.params = params
        self.message = message.format(**params)

    def translated(self, _) -> str:
        return _(self.msgid, **self.params)


# -- settings ------------------------------------------------------------------------------------------------


def auth_setting() -> str:
    """MARSAD_AUTH: `required` (sign-in always on) or `auto` (on as soon as one account exists; the default)."""
    v = os.environ.get("MARSAD_AUTH", "auto").strip().lower()
    return v if v in ("auto", "required") else "auto"


def anonymous_view() -> bool:
    """MARSAD_ANONYMOUS_VIEW=1: with sign-in on, people who are not signed in may still read the figures."""
    return os.environ.get("MARSAD_ANONYMOUS_VIEW", "").strip().lower() in ("1", "true", "yes", "on")


def signin_required(store: Store) -> bool:
    """Whether sign-in is on: MARSAD_AUTH=required, or at least one account exists."""
    if auth_setting() == "required":
        return True
    with store.begin() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(account)).scalar_one() > 0


# -- account changes (each one audited in the same transaction) -----------------------------------------------


def _public(row) -> dict:
    return {
        "role": row.role,
        "active": bool(row.active),
        "display_name": row.display_name,
        "producer": row.producer,
    }


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(N_("A password needs at least {count} characters."), count=MIN_PASSWORD)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(
            N_("{role} is not a role: use one of {roles}."), role=role, roles=", ".join(ROLES)
        )


def _get(conn, name: str):
    row = conn.execute(sa.select(account).where(account.c.name == name)).first()
    if row is None:
        raise AccountError(N_("There is no account named {name}."), name=name)
    return row


def _keep_an_admin(conn, name: str) -> None:
    """Refuse to remove the last active admin: nobody could manage accounts from the app any more."""
    others = conn.execute(
        sa.select(sa.func.count())
        .select_from(account)
        .where(account.c.role == "admin", account.c.active, account.c.name != name)
    ).scalar_one()
    if not others:
        raise AccountError(
            N_("{name} is the last active admin: make another admin first."), name=name
        )


def catalog_producers(catalog) -> list[str]:
    """The producers the catalog's indicators name (indicators.csv `producer`), sorted; none without a catalog."""
    indicators = getattr(catalog, "indicators", None) or []
    return sorted({i.producer for i in indicators if getattr(i, "producer", "")})


def check_producer(producer: str, known: list[str]) -> str:
    """`producer` as the catalog spells it (case and outer spaces do not matter), else AccountError."""
    wanted = (producer or "").strip().casefold()
    for p in known:
        if p.casefold() == wanted:
            return p
    raise AccountError(
        N_("{producer} is not a producer in the catalog: use one of {producers}."),
        producer=producer,
        producers=", ".join(known),
    )


def add_user(
    store: Store,
    actor,
    name: str,
    role: str,
    password: str,
    display_name: str | None = None,
    producer: str | None = None,
) -> None:
    if not NAME_RE.match(name or ""):
        raise AccountError(
            N_("{name} is not a valid account name: letters, digits, . _ @ - (at most 64)."),
            name=name,
        )
    _check_role(role)
    _check_password(password)
    now = utcnow()
    with store.begin(write=True) as conn:
        if conn.execute(sa.select(account.c.name).where(account.c.name == name)).first():
            raise AccountError(N_("An account named {name} already exists."), name=name)
        conn.execute(
            sa.insert(account).values(
                name=name,
                display_name=display_name,
                role=role,
                password_hash=_hasher.hash(password),
                active=True,
                created_at=now,
                updated_at=now,
                failed_count=0,
                producer=producer,
            )
        )
        after = {"role": role, "active": True, "display_name": display_name, "producer": producer}
        audit.record(conn, actor, "user_add", name, None, after)


def _update(store: Store, actor, name: str, action: str, change) -> None:
    with store.begin(write=True) as conn:
        row = _get(conn, name)
        values = change(conn, row)
        conn.execute(
            sa.update(account).where(account.c.name == name).values(updated_at=utcnow(), **values)
        )
        after = _public(_get(conn, name))
        if action == "user_reset_password":
            after["password"] = "changed"
        audit.record(conn, actor, action, name, _public(row), after)


def set_active(store: Store, actor, name: str, active: bool) -> None:
    """Disable (every session ends at once) or enable an account."""

    def change(conn, row):
        if not active and row.role == "admin" and row.active:
            _keep_an_admin(conn, name)
        if not active:
            end_sessions(conn, name)
        return {"active": active, "failed_count": 0}

    _update(store, actor, name, "user_enable" if active else "user_disable", change)


def set_role(store: Store, actor, name: str, role: str) -> None:
    _check_role(role)

    def change(conn, row):
        if row.role == "admin" and role != "admin" and row.active:
            _keep_an_admin(conn, name)
        return {"role": role}

    _update(store, actor, name, "user_set_role", change)


def reset_password(store: Store, actor, name: str, password: str) -> None:
    """A new password; the account's sessions end and its failure count restarts."""
    _check_password(password)

    def change(conn, row):
        end_sessions(conn, name)
        return {"password_hash": _hasher.hash(password), "failed_count": 0, "last_failed_at": None}

    _update(store, actor, name, "user_reset_password", change)


def set_producer(store: Store, actor, name: str, producer: str | None) -> None:
    """The producer an account reports for (None: none); check it first with check_producer."""
    _update(store, actor, name, "user_set_producer", lambda conn, row: {"producer": producer})


def list_users(store: Store) -> list[dict]:
    with store.begin() as conn:
        rows = conn.execute(
            sa.select(
                account.c.name,
                account.c.display_name,
                account.c.role,
                account.c.active,
                account.c.created_at,
                account.c.updated_at,
                account.c.failed_count,
                account.c.producer,
            ).order_by(account.c.name)
        ).all()
    return [dict(r._mapping) for r in rows]


def get_user(store_or_conn, name: str) -> User | None:
    """The active account named `name` as a User, else None (unknown or disabled)."""
    if isinstance(store_or_conn, Store):
        with store_or_conn.begin() as conn:
            return get_user(conn, name)
    row = store_or_conn.execute(
        sa.select(account).where(account.c.name == name, account.c.active)
    ).first()
    return None if row is None else _user(row)


def _user(row) -> User:
    return User(row.name, row.role, row.display_name, "local", row.producer)


def account_count(store: Store) -> int:
    """How many accounts exist, disabled ones included (none: the first admin may still be created)."""
    with store.begin() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(account)).scalar_one()


def account_state(store: Store, name: str) -> str:
    """`active`, `disabled` or `unknown`."""
    with store.begin() as conn:
        row = conn.execute(sa.select(account.c.active).where(account.c.name == name)).first()
    return "unknown" if row is None else ("active" if row.active else "disabled")


# -- sign-in -------------------------------------------------------------------------------------------------


@dataclass
class SignIn:
    user: User | None
    token: str | None = None
    error: AccountError | None = None


def lock_seconds(failed_count: int) -> int:
    """How long an account refuses attempts after `failed_count` failures in a row."""
    if failed_count < FREE_FAILURES:
        return 0
    return min(LOCK_BASE * 2 ** (failed_count - FREE_FAILURES), LOCK_MAX)


def sign_in(store: Store, name: str, password: str) -> SignIn:
    """Check a name and password; on success a new session token (give it to the browser, it is not stored).

    Every outcome is audited. A failure is answered only after FAIL_SLEEP seconds, an unknown name costs a
    hash check like a known one, and a locked account is refused without looking at the password.
    """
    name = (name or "").strip()
    now = utcnow()
    refused = AccountError(N_("Wrong account name or password."))
    # Not a `write=True` transaction: on PostgreSQL that lock is held by a long load, and signing in must not
    # wait for it; the failure count is incremented in SQL, so concurrent attempts still all count.
    with store.begin() as conn:
        row = conn.execute(sa.select(account).where(account.c.name == name)).first()
        if row is not None and row.last_failed_at is not None:
            wait = lock_seconds(row.failed_count)
            left = (row.last_failed_at + dt.timedelta(seconds=wait) - now).total_seconds()
            if left > 0:
                audit.record(conn, name, "signin_failure", name, None, {"reason": "locked"})
                return SignIn(
                    None,
                    error=AccountError(
                        N_("Too many failed sign-ins: try again in {seconds} seconds."),
                        seconds=int(left) + 1,
                    ),
                )
        ok = _verify(row.password_hash if row is not None else None, password)
        if ok and row.active:
            conn.execute(
                sa.update(account)
                .where(account.c.name == name)
                .values(failed_count=0, last_failed_at=None)
            )
            token = _new_session(conn, name, now)
            audit.record(conn, name, "signin_success", name)
            return SignIn(_user(row), token)
        reason = "unknown" if row is None else ("disabled" if ok else "password")
        if row is not None and reason == "password":
            conn.execute(
                sa.update(account)
                .where(account.c.name == name)
                .values(failed_count=account.c.failed_count + 1, last_failed_at=now)
            )
        audit.record(conn, name or "?", "signin_failure", name, None, {"reason": reason})
    time.sleep(FAIL_SLEEP)
    return SignIn(None, error=refused)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password or "") and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_session(conn, name: str, now: dt.datetime) -> str:
    token = secrets.token_urlsafe(32)
    hours = float(os.environ.get("MARSAD_SESSION_HOURS", SESSION_HOURS))
    conn.execute(
        sa.insert(session).values(
            token_hash=_token_hash(token),
            user_name=name,
            created_at=now,
            expires_at=now + dt.timedelta(hours=hours),
        )
    )
    return token


def session_user(store: Store, token: str | None) -> User | None:
    """The user of a live session token (not expired, not ended, account still active), else None."""
    if not token or not isinstance(token, str):
        return None
    with store.begin() as conn:
        row = conn.execute(
            sa.select(account)
            .join(session, session.c.user_name == account.c.name)
            .where(
                session.c.token_hash == _token_hash(token),
                session.c.ended_at.is_(None),
                session.c.expires_at > utcnow(),
                account.c.active,
            )
        ).first()
    return None if row is None else _user(row)


def sign_out(store: Store, token: str | None) -> None:
    if not token:
        return
    with store.begin() as conn:
        name = conn.execute(
            sa.select(session.c.user_name).where(
                session.c.token_hash == _token_hash(token), session.c.ended_at.is_(None)
            )
        ).scalar()
        if name is None:
            return
        conn.execute(
            sa.update(session)
            .where(session.c.token_hash == _token_hash(token))
            .values(ended_at=utcnow())
        )
        audit.record(conn, name, "signout", name)


def end_sessions(conn, name: str) -> None:
    conn.execute(
        sa.update(session)
        .where(session.c.user_name == name, session.c.ended_at.is_(None))
        .values(ended_at=utcnow())
    )

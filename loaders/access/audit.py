"""The audit trail: one append-only row per change (who, when in UTC, action, subject, before/after as JSON)."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from ..store import Store, audit, audit_seq, local_time, utcnow

# Actions written by this package and by the pages and commands that call `record`. Others may add their own
# (publish, send_back, catalog_edit …): the column is free text, this tuple only feeds the page's filter.
ACTIONS = (
    "signin_success",
    "signin_failure",
    "signout",
    "upload",
    "undo",
    "demo_add",
    "demo_remove",
    "user_add",
    "user_disable",
    "user_enable",
    "user_reset_password",
    "user_set_role",
    "user_set_producer",
    "backup",
    "restore",
    "text_change",
    "text_undo",
)
COLUMNS = ("audit_id", "at", "user_name", "action", "subject", "before", "after")


def _json(value) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    conn_or_store, user, action: str, subject=None, before=None, after=None, *, at=None, store=None
) -> int:
    """Append one audit row and return its id.

    Given a connection, the row is part of that transaction (it commits or rolls back with the change it
    describes); pass `store=` with a connection from `Store.transaction()` (the driver's own, on the ingest
    path). Given a Store, the row is written in a transaction of its own. `user` is a name or an access.User.
    """
    if isinstance(conn_or_store, Store):
        with conn_or_store.transaction(write=True) as conn:
            return record(conn, user, action, subject, before, after, at=at, store=conn_or_store)
    conn = conn_or_store
    if store is None:  # a SQLAlchemy connection from Store.begin()
        return _record_sa(conn, user, action, subject, before, after, at)
    from ..submit import audit_row

    return audit_row(
        store, conn, user=user, action=action, subject=subject, before=before, after=after, now=at
    )


def _record_sa(conn, user, action, subject, before, after, at) -> int:
    audit_id = int(conn.execute(sa.select(audit_seq.next_value())).scalar_one())
    conn.execute(
        sa.insert(audit).values(
            audit_id=audit_id,
            at=at or utcnow(),
            user_name=getattr(user, "name", user) or "",
            action=action,
            subject=None if subject is None else str(subject),
            before=_json(before),
            after=_json(after),
        )
    )
    return audit_id


def read(
    store: Store,
    *,
    user: str | None = None,
    action: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int | None = None,
):
    """Audit rows, newest first, as a DataFrame with `at` in UTC and `local_at` in Morocco's time.

    `since`/`until` are Moroccan calendar dates, both included.
    """
    import pandas as pd

    from ..store import as_of_cutoff

    q = sa.select(audit).order_by(audit.c.audit_id.desc())
    if user:
        q = q.where(audit.c.user_name == user)
    if action:
        q = q.where(audit.c.action == action)
    if since:
        q = q.where(audit.c.at >= as_of_cutoff(since - dt.timedelta(days=1)))
    if until:
        q = q.where(audit.c.at < as_of_cutoff(until))
    if limit:
        q = q.limit(limit)
    with store.begin() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=list(COLUMNS))
    for col in ("subject", "before", "after"):  # None, not NaN, where nothing was recorded
        df[col] = pd.Series([v if isinstance(v, str) else None for v in df[col]], dtype=object)
    df["local_at"] = [local_time(v.to_pydatetime()).strftime("%Y-%m-%d %H:%M:%S") for v in df["at"]]
    return df


def distinct(store: Store, column: str) -> list[str]:
    """The values seen in `user_name` or `action` (for the page's filters)."""
    col = {"user_name": audit.c.user_name, "action": audit.c.action}[column]  # allow-list
    with store.begin() as conn:
        return [r[0] for r in conn.execute(sa.select(col).distinct().order_by(col)).all()]


def to_csv(df) -> bytes:
    """The rows as CSV for a spreadsheet: UTF-8 with BOM, Morocco's time beside the stored UTC time."""
    out = df[
        ["audit_id", "at", "local_at", "user_name", "action", "subject", "before", "after"]
    ].copy()
    out["at"] = [v.strftime("%Y-%m-%dT%H:%M:%SZ") for v in out["at"]]
    for col in ("user_name", "subject", "before", "after"):
        out[col] = [_cell(v) for v in out[col]]
    return out.to_csv(index=False).encode("utf-8-sig")


def _cell(v):
    """A text cell that a spreadsheet would run as a formula is kept as text (leading apostrophe)."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


# PostgreSQL refuses UPDATE and DELETE on the audit table itself, so the trail stays append-only even for a
# program that bypasses this module. DuckDB has no triggers: there only this module writes it.

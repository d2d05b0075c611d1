"""Review before publication on the ingest path: whether a new upload waits for a validator, and the trail
row and warnings it leaves (plain SQL through the store, so a DuckDB ingest never imports SQLAlchemy)."""

from __future__ import annotations

import json

from . import settings
from .store import Store, utcnow


def review_on(store: Store | None = None, conn=None) -> bool:
    """Uploads wait for a validator when MARSAD_REVIEW=1, or when sign-in is on (MARSAD_AUTH=required, or an
    account exists in `store`): then an analyst submits and a validator publishes."""
    from .access import sign_in_on

    if settings.get("MARSAD_REVIEW") or settings.get("MARSAD_AUTH") == "required":
        return True
    return store is not None and sign_in_on(store, conn)


def self_publish_allowed() -> bool:
    """Small teams: MARSAD_SELF_PUBLISH=1 lets the submitter of a batch publish it."""
    return settings.get("MARSAD_SELF_PUBLISH")


def initial_status(store: Store | None = None, conn=None) -> str:
    """Status of a new upload batch."""
    return "submitted" if review_on(store, conn) else "published"


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, default=str, sort_keys=True)


def record(
    store: Store, conn, *, user: str, action: str, subject: str, before=None, after=None, now=None
) -> None:
    """One row of the review trail (and of the audit trail), in the caller's transaction."""
    now = now or utcnow()
    event_id = int(store.execute(conn, "SELECT nextval('review_event_id_seq')")[0][0])
    store.execute(
        conn,
        'INSERT INTO review_event (event_id, "at", user_name, action, subject, "before", "after")'
        " VALUES (:event_id, :at, :user_name, :action, :subject, :before, :after)",
        {
            "event_id": event_id,
            "at": now,
            "user_name": user,
            "action": action,
            "subject": subject,
            "before": _json(before),
            "after": _json(after),
        },
    )
    audit_row(
        store, conn, user=user, action=action, subject=subject, before=before, after=after, now=now
    )
    # Pages cache on Store.data_version: a status change must show (a counter: two actions in one second differ).
    n = store.meta_value("review_version", conn)
    store.set_meta(conn, "review_version", str(int(n or 0) + 1))


def audit_row(
    store: Store, conn, *, user, action: str, subject=None, before=None, after=None, now=None
) -> int:
    """One append-only row of the audit trail (loaders/access/audit.py reads it), in the caller's
    transaction; plain SQL, so the DuckDB ingest path needs no SQLAlchemy."""
    audit_id = int(store.execute(conn, "SELECT nextval('audit_id_seq')")[0][0])
    store.execute(
        conn,
        'INSERT INTO audit (audit_id, "at", user_name, action, subject, "before", "after")'
        " VALUES (:audit_id, :at, :user_name, :action, :subject, :before, :after)",
        {
            "audit_id": audit_id,
            "at": now or utcnow(),
            "user_name": getattr(user, "name", user) or "",
            "action": action,
            "subject": None if subject is None else str(subject),
            "before": _json(before),
            "after": _json(after),
        },
    )
    return audit_id


def save_problems(store: Store, conn, batch_id: int, problems) -> None:
    """Keep the warnings a batch was checked with (called by ingest inside its transaction)."""
    for i, p in enumerate(problems):
        store.execute(
            conn,
            "INSERT INTO batch_problem (batch_id, position, file, sheet, row_number, column_name, code,"
            " message, severity) VALUES (:batch_id, :position, :file, :sheet, :row_number, :column_name,"
            " :code, :message, :severity)",
            {
                "batch_id": batch_id,
                "position": i,
                "file": p.file,
                "sheet": p.sheet,
                "row_number": p.row,
                "column_name": p.column,
                "code": p.code,
                "message": str(p.message),
                "severity": p.severity,
            },
        )


def after_ingest(store: Store, conn, batch_id: int, user: str, status: str, problems, now=None):
    """Ingest's hook, in its transaction: a submitted batch keeps its warnings and opens its trail."""
    if status != "submitted":
        return
    save_problems(store, conn, batch_id, problems)
    record(
        store,
        conn,
        user=user,
        action="submit",
        subject=f"batch:{batch_id}",
        after={"status": status},
        now=now,
    )

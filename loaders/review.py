"""Review before publication: batch status (submitted → published / sent back / withdrawn), who may do what, the diff a validator reads, competing values and the review trail."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from .errors import MarsadError
from .i18n import N_
from .store import Store, batch, batch_problem, observation, review_event, utcnow
from .submit import initial_status, record, review_on, self_publish_allowed  # noqa: F401 (re-exported)

# -- settings and permissions -------------------------------------------------------------------------------


ROLES = ("viewer", "analyst", "validator", "admin")
# MERGE: replace by H7's loaders/access.can(role, action).
_ALLOWED = {
    "viewer": frozenset(),
    "analyst": frozenset({"submit", "withdraw_own"}),
    "validator": frozenset({"submit", "withdraw_own", "publish", "send_back", "undo", "choose"}),
    "admin": frozenset(
        {"submit", "withdraw_own", "publish", "send_back", "undo", "choose", "edit_targets"}
    ),
}


def role_of(user: str) -> str:
    """The role of a named user of the CLI. MERGE: H7's accounts; until sign-in exists there are no roles and
    anyone who can run the CLI may do everything, as before (the four-eyes rule still compares names)."""
    return "admin"


def can(role: str, action: str) -> bool:
    return action in _ALLOWED.get(role, frozenset())


class ReviewError(MarsadError):
    """A review action refused; `code` is stable, `message` is English, `translated(_)` for people."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message.format(**params))
        self.code = code
        self.msgid = message
        self.params = params
        self.message = message.format(**params)

    def translated(self, _) -> str:
        params = {
            k: _(STATUS_LABELS[v]) if k == "status" and v in STATUS_LABELS else v
            for k, v in self.params.items()
        }
        return _(self.msgid, **params)


STATUS_LABELS = {
    "published": N_("published"),
    "submitted": N_("submitted"),
    "sent_back": N_("sent back"),
    "withdrawn": N_("withdrawn"),
    "changed": N_("changed by someone else"),
}


def require(role: str, action: str) -> None:
    if not can(role, action):
        raise ReviewError(
            "forbidden",
            N_("The role {role} may not do this ({action})"),
            role=role,
            action=action,
        )


def events(store: Store, subject: str | None = None):
    """The review trail, oldest first (pandas DataFrame)."""
    import pandas as pd

    q = sa.select(review_event).order_by(review_event.c.event_id)
    if subject is not None:
        q = q.where(review_event.c.subject == subject)
    with store.begin() as conn:
        rows = conn.execute(q).mappings().all()
    return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in review_event.columns])


# -- reading ---------------------------------------------------------------------------------------------------


def batches(store: Store, statuses=("submitted",)):
    """Batches in some statuses, oldest first (pandas DataFrame of the batch table's columns)."""
    import pandas as pd

    with store.begin() as conn:
        rows = (
            conn.execute(
                sa.select(batch)
                .where(batch.c.status.in_(list(statuses)))
                .order_by(batch.c.batch_id)
            )
            .mappings()
            .all()
        )
    return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in batch.columns])


def status_of(store: Store, batch_id: int) -> str | None:
    with store.begin() as conn:
        return conn.execute(sa.select(batch.c.status).where(batch.c.batch_id == batch_id)).scalar()


def problems(store: Store, batch_id: int):
    import pandas as pd

    cols = ["file", "sheet", "row_number", "column_name", "code", "message", "severity"]
    with store.begin() as conn:
        rows = conn.execute(
            sa.select(*[batch_problem.c[c] for c in cols])
            .where(batch_problem.c.batch_id == batch_id)
            .order_by(batch_problem.c.position)
        ).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=cols)


_DIFF = """
    SELECT ob.indicator, ob.period, ob.region, c.value AS before, ob.value AS after,
           CASE WHEN c.value IS NULL THEN 'new' WHEN c.value = ob.value THEN 'unchanged' ELSE 'revised' END
               AS change,
           c.source AS before_source, c.batch_id AS before_batch, ob.source, ob.comment, ob.file, ob.sheet,
           ob.row_number
    FROM observation ob
    LEFT JOIN ({current}) c ON c.indicator = ob.indicator AND c.period = ob.period AND c.region = ob.region
    WHERE ob.batch_id = :batch_id
    ORDER BY CASE WHEN c.value IS NULL THEN 1 WHEN c.value = ob.value THEN 2 ELSE 0 END,
             ob.indicator, ob.period, ob.region
"""

DIFF_COLUMNS = [
    "indicator",
    "period",
    "region",
    "before",
    "after",
    "change",
    "before_source",
    "before_batch",
    "source",
    "comment",
    "file",
    "sheet",
    "row_number",
]


def diff(store: Store, batch_id: int):
    """A batch's values against the published ones: revised first (before/after), then new, then unchanged."""
    import pandas as pd

    with store.transaction() as conn:
        rows = store.against_current(conn, _DIFF, {"batch_id": batch_id}, include_demo=False)
    return pd.DataFrame([tuple(r) for r in rows], columns=DIFF_COLUMNS)


_COMPETING = """
    WITH cand AS (
        SELECT c.indicator, c.period, c.region, c.value, c.source, c.batch_id, 'published' AS status,
               c.user_name
        FROM ({current}) c WHERE NOT c.demo
        UNION ALL
        SELECT o.indicator, o.period, o.region, o.value, o.source, o.batch_id, b.status, b.user_name
        FROM observation o JOIN batch b ON b.batch_id = o.batch_id
        WHERE b.status = 'submitted' AND b.undone_at IS NULL
    ), disputed AS (
        SELECT indicator, period, region FROM cand
        GROUP BY indicator, period, region HAVING count(DISTINCT value) > 1
    )
    SELECT cand.indicator, cand.period, cand.region, cand.value, cand.source, cand.batch_id, cand.status,
           cand.user_name
    FROM cand JOIN disputed
      ON disputed.indicator = cand.indicator AND disputed.period = cand.period
     AND disputed.region = cand.region
    ORDER BY cand.indicator, cand.period, cand.region, cand.batch_id
"""
COMPETING_COLUMNS = [
    "indicator",
    "period",
    "region",
    "value",
    "source",
    "batch_id",
    "status",
    "user_name",
]


def competing(store: Store):
    """Keys with more than one value between the published one and the submitted batches, each with its source."""
    import pandas as pd

    with store.transaction() as conn:
        rows = store.against_current(conn, _COMPETING, {}, include_demo=False)
    return pd.DataFrame([tuple(r) for r in rows], columns=COMPETING_COLUMNS)


# -- actions ---------------------------------------------------------------------------------------------------


def _batch_row(conn, batch_id: int) -> dict:
    row = conn.execute(sa.select(batch).where(batch.c.batch_id == batch_id)).mappings().first()
    if row is None:
        raise ReviewError("unknown-batch", N_("There is no batch {batch_id}"), batch_id=batch_id)
    return dict(row)


def _expect(row: dict, *statuses: str) -> None:
    if row["status"] not in statuses:
        raise ReviewError(
            "wrong-status",
            N_("Batch {batch_id} is {status}: this cannot be done to it any more"),
            batch_id=row["batch_id"],
            status=row["status"],
        )


def _set_status(
    store: Store, conn, row: dict, status: str, user: str, action: str, now, **values
) -> None:
    done = conn.execute(
        sa.update(batch)
        .where(batch.c.batch_id == row["batch_id"], batch.c.status == row["status"])
        .values(status=status, **values)
    ).rowcount
    if done != 1:  # another validator acted in between
        raise ReviewError(
            "wrong-status",
            N_("Batch {batch_id} is {status}: this cannot be done to it any more"),
            batch_id=row["batch_id"],
            status="changed",
        )
    record(
        store,
        conn,
        user=user,
        action=action,
        subject=f"batch:{row['batch_id']}",
        before={"status": row["status"]},
        after={"status": status, **values},
        now=now,
    )


def publish(
    store: Store,
    batch_id: int,
    *,
    user: str,
    role: str,
    comment: str | None = None,
    direct: bool = False,
    now: dt.datetime | None = None,
) -> None:
    """Make a submitted batch visible. Its submitter may publish it only with MARSAD_SELF_PUBLISH=1, or a
    validator publishing directly what they load (`direct`, the CLI's --publish)."""
    now = now or utcnow()
    with store.begin(write=True) as conn:
        row = _batch_row(conn, batch_id)
        _expect(row, "submitted")
        own = row["user_name"] == user
        if own and self_publish_allowed() and can(role, "submit"):
            pass
        else:
            require(role, "publish")
            if own and not direct:
                raise ReviewError(
                    "own-batch",
                    N_("Batch {batch_id} was submitted by you: another validator must publish it"),
                    batch_id=batch_id,
                )
        values = {"published_at": now, "published_by": user}
        if comment:
            values["review_comment"] = comment
        _set_status(store, conn, row, "published", user, "publish", now, **values)


def send_back(store: Store, batch_id: int, *, user: str, role: str, comment: str, now=None) -> None:
    """Return a submitted batch to its analyst with a comment saying what to fix; nothing is published."""
    require(role, "send_back")
    if not (comment or "").strip():
        raise ReviewError(
            "comment-required", N_("Say what must be fixed: a batch is sent back with a comment")
        )
    now = now or utcnow()
    with store.begin(write=True) as conn:
        row = _batch_row(conn, batch_id)
        _expect(row, "submitted")
        _set_status(
            store, conn, row, "sent_back", user, "send_back", now, review_comment=comment.strip()
        )


def withdraw(store: Store, batch_id: int, *, user: str, role: str, now=None) -> None:
    """The submitter takes back a batch not yet published."""
    require(role, "withdraw_own")
    now = now or utcnow()
    with store.begin(write=True) as conn:
        row = _batch_row(conn, batch_id)
        if row["user_name"] != user:
            raise ReviewError(
                "not-own-batch",
                N_("Batch {batch_id} was submitted by {owner}: only they can withdraw it"),
                batch_id=batch_id,
                owner=row["user_name"],
            )
        _expect(row, "submitted", "sent_back")
        _set_status(store, conn, row, "withdrawn", user, "withdraw", now)


def undo(store: Store, batch_id: int, *, user: str, role: str, now=None, lang: str = "en"):
    """Undo a published batch (loaders/batches.undo), with its row in the trail."""
    from .batches import undo as undo_batch

    require(role, "undo")
    with store.begin() as conn:
        row = _batch_row(conn, batch_id)
    if row["status"] != "published":
        _expect(row, "published")
    now = now or utcnow()
    result = undo_batch(store, batch_id, user=user, now=now, lang=lang)
    with store.begin(write=True) as conn:
        record(
            store,
            conn,
            user=user,
            action="undo",
            subject=f"batch:{batch_id}",
            before={"undone_at": None},
            after={"undone_at": now, "restored": result.restored, "removed": result.removed},
            now=now,
        )
    return result


def choose(
    store: Store,
    indicator: str,
    period: str,
    region: str,
    from_batch: int,
    *,
    user: str,
    role: str,
    reason: str = "",
    now=None,
) -> int:
    """Publish one of competing values explicitly: a one-value published batch (origin "choice") copies it with its
    source and provenance; undoing that batch restores the previous figure. Returns the new batch id."""
    require(role, "choose")
    now = now or utcnow()
    key = (
        (observation.c.batch_id == from_batch)
        & (observation.c.indicator == indicator)
        & (observation.c.period == period)
        & (observation.c.region == region)
    )
    with store.begin(write=True) as conn:
        src = conn.execute(sa.select(observation).where(key)).mappings().first()
        if src is None:
            raise ReviewError(
                "unknown-value",
                N_("Batch {batch_id} holds no value for {indicator} {period}"),
                batch_id=from_batch,
                indicator=indicator,
                period=period,
            )
        new_id = store.new_batch(
            conn,
            user=user,
            origin="choice",
            files=f"batch {from_batch}",
            demo=False,
            created_at=now,
        )
        comment = reason.strip() or src["comment"]
        conn.execute(
            sa.insert(observation).values(**{**src, "batch_id": new_id, "comment": comment})
        )
        conn.execute(sa.update(batch).where(batch.c.batch_id == new_id).values(rows=1, revised=1))
        record(
            store,
            conn,
            user=user,
            action="choose",
            subject=f"value:{indicator}|{period}|{region}",
            after={
                "batch_id": new_id,
                "from_batch": from_batch,
                "value": src["value"],
                "reason": reason,
            },
            now=now,
        )
    return int(new_id)

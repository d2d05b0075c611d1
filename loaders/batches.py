"""What was loaded, by whom, and its undoing: batch history, the versions of one value, undo, CSV export."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa

from .access.audit import record as _audit
from .csvtext import ESCAPE_MACRO
from .i18n import N_, translator
from .store import NATIONAL, Store, batch, observation, scratch, utcnow

EXPORT_HEADER = ("indicator", "period", "region", "value", "unit", "source", "batch_id", "demo")


# Batch statuses as people read them (loaders/review.py has the same words for its own messages).
STATUS_LABELS = {
    "published": N_("published"),
    "submitted": N_("submitted"),
    "sent_back": N_("sent back"),
    "withdrawn": N_("withdrawn"),
}


class UndoError(Exception):
    """An undo that cannot be done; `code` is stable, `message` is for people (translated)."""

    def __init__(self, code: str, message: str, batch_id: int):
        super().__init__(message)
        self.code = code
        self.message = message
        self.batch_id = batch_id


@dataclass
class UndoResult:
    batch_id: int
    values: int  # observations the batch holds
    restored: int  # values whose previous version is current again
    removed: int  # values that had no previous version: no current value any more
    message: str
    kept: int = (
        0  # values other batches had reported too, with the same value: still current, from them
    )


# -- undo -----------------------------------------------------------------------------------------------


def undo(
    store: Store, batch_id: int, *, user: str, now: dt.datetime | None = None, lang: str = "en"
) -> UndoResult:
    """Mark a batch undone (nothing is deleted): each of its values goes back to its previous version.

    Refused (UndoError): an unknown batch, a batch already undone, the reference batch of published figures
    shipped with the catalog (origin "public": correct a published figure by uploading a revision, which can
    itself be undone), and the DEMO batch (remove it with `demo remove`).
    """
    _ = translator(lang)
    now = now or utcnow()
    with store.begin(write=True) as conn:
        row = conn.execute(sa.select(batch).where(batch.c.batch_id == batch_id)).mappings().first()
        if row is None:
            raise UndoError(
                "unknown-batch", _("There is no batch {batch_id}", batch_id=batch_id), batch_id
            )
        if row["undone_at"] is not None:
            raise UndoError(
                "already-undone",
                _(
                    "Batch {batch_id} was already undone on {date} by {user}",
                    batch_id=batch_id,
                    date=row["undone_at"].strftime("%Y-%m-%d %H:%M"),
                    user=row["undone_by"],
                ),
                batch_id,
            )
        if row["origin"] == "public":
            raise UndoError(
                "reference-batch",
                _(
                    "Batch {batch_id} holds the published reference figures shipped with the catalog; it cannot be"
                    " undone. Upload a corrected value instead: that revision can be undone.",
                    batch_id=batch_id,
                ),
                batch_id,
            )
        if row.get("status", "published") != "published":
            raise UndoError(
                "not-published",
                _(
                    "Batch {batch_id} was never published (it is {status}): a validator sends it back, or"
                    " its analyst withdraws it, on the Review page",
                    batch_id=batch_id,
                    status=_(STATUS_LABELS.get(row["status"], row["status"])),
                ),
                batch_id,
            )
        if row["origin"] == "demo" or row["demo"]:
            raise UndoError(
                "demo-batch",
                _(
                    "Batch {batch_id} is the DEMO data: remove it with the demo removal instead of undoing it",
                    batch_id=batch_id,
                ),
                batch_id,
            )
        # Of the values this batch made current, how many fall back on another batch's version.
        n_values, n_current, kept, restored = store.undo_batch(conn, batch_id, user=user, now=now)
        removed = n_current - kept - restored
        _audit(conn, user, "undo", batch_id, None, {"restored": restored, "removed": removed})
    if kept:
        msg = _(
            "Batch {batch_id} undone: {restored} values back to their previous version, {removed} values"
            " removed, {kept} values kept as other batches reported them too",
            batch_id=batch_id,
            restored=restored,
            removed=removed,
            kept=kept,
        )
    else:
        msg = _(
            "Batch {batch_id} undone: {restored} values back to their previous version, {removed} values removed",
            batch_id=batch_id,
            restored=restored,
            removed=removed,
        )
    return UndoResult(batch_id, int(n_values), restored, removed, msg, kept)


# -- history --------------------------------------------------------------------------------------------

HISTORY_COLUMNS = [
    "batch_id",
    "created_at",
    "user_name",
    "origin",
    "files",
    "rows",
    "inserted",
    "revised",
    "unchanged",
    "demo",
    "undone_at",
    "undone_by",
]


def history(store: Store):
    """Every batch, newest first (pandas DataFrame with HISTORY_COLUMNS)."""
    import pandas as pd

    cols = [batch.c[c] for c in HISTORY_COLUMNS]
    with store.begin() as conn:
        rows = conn.execute(sa.select(*cols).order_by(batch.c.batch_id.desc())).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=HISTORY_COLUMNS)


def value_history(store: Store, indicator: str, period: str, region: str | None = NATIONAL):
    """Every version of one value, oldest first, with its batch, file, sheet and row; `current` marks the one in use.

    Columns: batch_id, created_at, user_name, origin, value, unit, source, comment, file, sheet, row_number,
    demo, undone_at, undone_by, current.
    """
    import pandas as pd

    region = region or NATIONAL
    key = {"indicator": indicator, "period": period, "region": region}
    with store.begin() as conn:
        rows = (
            conn.execute(
                sa.select(
                    observation.c.batch_id,
                    batch.c.created_at,
                    batch.c.user_name,
                    batch.c.origin,
                    observation.c.value,
                    observation.c.unit,
                    observation.c.source,
                    observation.c.comment,
                    observation.c.file,
                    observation.c.sheet,
                    observation.c.row_number,
                    observation.c.demo,
                    batch.c.undone_at,
                    batch.c.undone_by,
                )
                .join(batch, batch.c.batch_id == observation.c.batch_id)
                .where(
                    observation.c.indicator == indicator,
                    observation.c.period == period,
                    observation.c.region == region,
                )
                .order_by(observation.c.batch_id)
            )
            .mappings()
            .all()
        )
        current = store.current_batch_of(conn, **key)
    df = pd.DataFrame(
        [dict(r) for r in rows],
        columns=[
            "batch_id",
            "created_at",
            "user_name",
            "origin",
            "value",
            "unit",
            "source",
            "comment",
            "file",
            "sheet",
            "row_number",
            "demo",
            "undone_at",
            "undone_by",
        ],
    )
    df["current"] = df["batch_id"] == current
    return df


def value_keys(store: Store, indicator: str):
    """(period, region, versions) of every value ever loaded for an indicator, by period then region."""
    import pandas as pd

    with store.begin() as conn:
        rows = conn.execute(
            sa.select(observation.c.period, observation.c.region, sa.func.count().label("versions"))
            .where(observation.c.indicator == indicator)
            .group_by(observation.c.period, observation.c.region)
            .order_by(observation.c.period, observation.c.region)
        ).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["period", "region", "versions"])


# -- export ---------------------------------------------------------------------------------------------


# esc(x): the one formula rule of loaders/csvtext.py, as a DuckDB macro.
_EXPORT_SELECT = """
    SELECT esc(indicator) AS indicator, esc(period) AS period, esc(NULLIF(region, '')) AS region,
           CAST(value AS DOUBLE) AS value, esc(unit) AS unit, esc(source) AS source,
           CAST(batch_id AS INTEGER) AS batch_id, CAST(demo AS BOOLEAN) AS demo
    FROM cur ORDER BY indicator, period, region NULLS FIRST
"""


def export_csv(store: Store, out: str | os.PathLike | BinaryIO, as_of=None) -> int:
    """Current observations (as known on `as_of`) as CSV with EXPORT_HEADER; returns the number of rows.

    `out` is a path or a binary file object. `region` is the ISO code, empty for national values. Text cells
    that a spreadsheet would run as a formula get a leading "'"; numbers stay numbers (a negative value is a
    number, not a formula).
    """
    table = store.current(as_of=as_of, columns=list(EXPORT_HEADER))
    con = scratch()
    tmp = None
    try:
        con.register("cur", table)
        con.execute(ESCAPE_MACRO)
        if isinstance(out, (str, os.PathLike)):
            target = Path(out)
        else:
            fd, tmp = tempfile.mkstemp(suffix=".csv")
            os.close(fd)
            target = Path(tmp)
        # COPY writes the header bare and quotes only what needs quoting. It takes no bound parameter for
        # its target, so the path goes in as a quoted SQL literal.
        con.execute(
            f"COPY ({_EXPORT_SELECT}) TO '{_sql_literal(str(target))}' (FORMAT csv, HEADER)"
        )
        if tmp:
            with open(tmp, "rb") as f:
                shutil.copyfileobj(f, out)
    finally:
        con.close()
        if tmp:
            os.unlink(tmp)
    return table.num_rows


def _sql_literal(text: str) -> str:
    """A file path inside a COPY statement (COPY takes no bound parameter for its target)."""
    return text.replace("'", "''")

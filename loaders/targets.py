"""Versioned targets: an admin's change of a target or milestone is a revision row (the catalog's value stays the
original), validated by the catalog schema, recorded in the trail and undoable."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from .catalog import Catalog, Indicator
from .i18n import N_
from .review import ReviewError, require
from .store import Store, as_of_cutoff, target_revision, target_revision_seq, utcnow
from .submit import record

REVISION_COLUMNS = [c.name for c in target_revision.columns]


def revisions(store: Store, code: str | None = None, *, conn=None, as_of=None):
    """Every revision (undone ones included), oldest first, as a pandas DataFrame; `as_of`: only those made, and
    not yet undone, then."""
    import pandas as pd

    sql = f"SELECT {', '.join(REVISION_COLUMNS)} FROM target_revision"
    sql += (
        " WHERE indicator = :code ORDER BY revision_id"
        if code is not None
        else " ORDER BY revision_id"
    )
    params = {"code": code} if code is not None else {}
    cutoff = as_of_cutoff(as_of)
    if conn is None:
        with store.transaction() as c:
            rows = store.execute(c, sql, params)
    else:
        rows = store.execute(conn, sql, params)
    df = pd.DataFrame(rows, columns=REVISION_COLUMNS)
    if cutoff is not None:
        df = df[df["changed_at"] < cutoff].copy()
        df.loc[df["undone_at"] >= cutoff, ["undone_at", "undone_by"]] = None
    return df


def effective(ind: Indicator, revs) -> tuple[tuple[int, float] | None, dict[int, float]]:
    """(target_year, target_value) and {milestone year: value} once the live revisions apply to the catalog's."""
    import pandas as pd

    target = (ind.target_year, ind.target_value) if ind.target_year is not None else None
    miles = {m.year: m.value for m in ind.milestones}
    live = revs[(revs["indicator"] == ind.code) & revs["undone_at"].isna()]
    for r in live.itertuples():
        if r.kind == "target":
            target = (int(r.target_year), float(r.target_value))
        elif pd.isna(r.target_value):
            miles.pop(int(r.target_year), None)
        else:
            miles[int(r.target_year)] = float(r.target_value)
    return target, miles


class TargetError(ReviewError):
    """A target change the catalog's schema refuses (`message` lists why)."""


def _validated(catalog: Catalog, ind: Indicator, target, miles: dict[int, float]) -> None:
    from pydantic import ValidationError

    data = ind.model_dump()
    data["target_year"], data["target_value"] = target if target else (None, None)
    data["milestones"] = [{"year": y, "value": v} for y, v in sorted(miles.items())]
    try:
        new = Indicator.model_validate(data)
    except ValidationError as e:
        why = "; ".join(err["msg"].removeprefix("Value error, ") for err in e.errors())
        raise TargetError(
            "invalid-target", N_("{indicator}: {why}"), indicator=ind.code, why=why
        ) from e
    unit = catalog.unit(ind.code)
    values = [("target", new.target_value)] + [(str(m.year), m.value) for m in new.milestones]
    for what, v in values:
        if v is not None and unit.violation(v):
            raise TargetError(
                "invalid-target",
                N_("{indicator}: {what} {value} is outside the unit's range ({unit})"),
                indicator=ind.code,
                what=what,
                value=f"{v:g}",
                unit=unit.code,
            )


def change(
    store: Store,
    catalog: Catalog,
    code: str,
    *,
    kind: str,
    year: int,
    value: float | None,
    user: str,
    role: str,
    source: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> int:
    """Record a new target (kind 'target') or milestone (kind 'milestone'; value None removes it) for `code`.

    Validated against the catalog's schema on the indicator as it is now; refused without a source. Returns the
    revision id."""
    require(role, "edit_targets")
    if kind not in ("target", "milestone") or (kind == "target" and value is None):
        raise TargetError("invalid-target", N_("A target needs a year and a value"))
    if not (source or "").strip():
        raise TargetError(
            "source-required", N_("Give the source of the change (decree, announcement, letter)")
        )
    now = now or utcnow()
    ind = catalog.indicator(code)
    with store.begin(write=True) as conn:
        revs = revisions(store, code, conn=conn)
        target, miles = effective(ind, revs)
        before = {"target": target, "milestones": miles}
        if kind == "target":
            target = (int(year), float(value))
        elif value is None:
            miles.pop(int(year), None)
        else:
            miles[int(year)] = float(value)
        _validated(catalog, ind, target, miles)
        rid = int(conn.execute(sa.select(target_revision_seq.next_value())).scalar_one())
        conn.execute(
            sa.insert(target_revision).values(
                revision_id=rid,
                indicator=code,
                kind=kind,
                target_year=int(year),
                target_value=None if value is None else float(value),
                changed_at=now,
                changed_by=user,
                source=source.strip(),
                reason=(reason or "").strip() or None,
            )
        )
        record(
            store,
            conn,
            user=user,
            action=f"{kind}_change",
            subject=f"indicator:{code}",
            before=before,
            after={"target": target, "milestones": miles, "revision_id": rid, "source": source},
            now=now,
        )
    return rid


def undo(store: Store, revision_id: int, *, user: str, role: str, now=None) -> None:
    """Undo one revision: the indicator's target or milestone goes back to what it was before it."""
    require(role, "edit_targets")
    now = now or utcnow()
    with store.begin(write=True) as conn:
        row = mark_undone(conn, target_revision, revision_id, by=user, at=now, error=TargetError)
        record(
            store,
            conn,
            user=user,
            action=f"{row['kind']}_undo",
            subject=f"indicator:{row['indicator']}",
            before={"revision_id": revision_id, "undone_at": None},
            after={"revision_id": revision_id, "undone_at": now},
            now=now,
        )


def apply_to_frames(ind, ms, revs):
    """The indicator and milestone frames (as the store holds the catalog) with the live revisions applied."""
    import pandas as pd

    live = revs[revs["undone_at"].isna()]
    if live.empty:
        return ind, ms
    ind = ind.copy()
    ms = ms.copy()
    for r in live.itertuples():
        if r.kind == "target":
            at = ind["code"] == r.indicator
            ind.loc[at, "target_year"] = int(r.target_year)
            ind.loc[at, "target_value"] = float(r.target_value)
            continue
        ms = ms[~((ms["indicator"] == r.indicator) & (ms["year"] == int(r.target_year)))]
        if not pd.isna(r.target_value):
            new = pd.DataFrame(
                [{"indicator": r.indicator, "year": int(r.target_year), "value": r.target_value}]
            )
            ms = pd.concat([ms, new], ignore_index=True)
    return ind, ms.sort_values(["indicator", "year"]).reset_index(drop=True)


def mark_undone(conn, table: sa.Table, revision_id: int, *, by: str, at: dt.datetime, error: type):
    """The revision row of `table` (target or text revisions), now marked undone; `error` (a ReviewError
    kind) when there is no such revision or it is undone already."""
    row = (
        conn.execute(sa.select(table).where(table.c.revision_id == revision_id)).mappings().first()
    )
    if row is None or row["undone_at"] is not None:
        raise error(
            "unknown-revision",
            N_("There is no change {revision_id} to undo"),
            revision_id=revision_id,
        )
    conn.execute(
        sa.update(table)
        .where(table.c.revision_id == revision_id)
        .values(undone_at=at, undone_by=by)
    )
    return row

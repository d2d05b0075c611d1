"""Reading current values, the store's one reading of figures: as known on a date, joined to a fixed query, for
the keys of an upload, of one key, and what an undo changes among them (all through `common.current_sql`)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from .common import CURRENT_FOR_KEYS_SCHEMA, OBS_COLUMNS, as_of_cutoff, current_sql

# Of a batch's values, how many are current before an undo, and after it which fell back on another batch's
# value (the same value: kept; another: restored). A value a later real batch holds was not current before.
_UNDO_BEFORE = """
    SELECT count(*) AS values_, count(*) FILTER (WHERE c.batch_id = :batch_id) AS current_
    FROM observation ob
    LEFT JOIN ({current}) c ON c.indicator = ob.indicator AND c.period = ob.period AND c.region = ob.region
    WHERE ob.batch_id = :batch_id
"""
_UNDO_AFTER = """
    SELECT count(*) FILTER (WHERE c.value = ob.value) AS kept,
           count(*) FILTER (WHERE c.value <> ob.value) AS restored
    FROM observation ob
    JOIN ({current}) c ON c.indicator = ob.indicator AND c.period = ob.period AND c.region = ob.region
    WHERE ob.batch_id = :batch_id AND NOT (NOT c.demo AND c.batch_id > :batch_id)
"""


class CurrentValues:
    """The Store's current-value methods, written with its primitives (`using`, `execute`, `read_arrow`,
    `read_frame`, `in_list`); the adapters give `current_for_keys` its engine's fast path."""

    current_sql = staticmethod(current_sql)

    def _current_query(
        self, *, include_demo=True, indicators=False, real_versions=False, columns=None
    ):
        where = ("" if include_demo else "AND NOT o.demo") + (
            f" AND {self.in_list('o.indicator', 'inds')}" if indicators else ""
        )
        if real_versions:
            # The store's `versions` counts demo rows too, so a published value sharing its key with a DEMO
            # value would look revised: a revision is judged among real rows (demo rows among demo rows).
            return f"""
                SELECT c.indicator, c.period, c.region, c.value, c.demo, c.versions,
                       r.versions AS real_versions, c.batch_id, c.file, c.sheet, c.row_number, c.source,
                       c.comment, c.loaded_at, c.user_name, c.origin
                FROM ({current_sql(where)}) c
                LEFT JOIN ({current_sql("AND NOT o.demo" + where)}) r
                  ON r.indicator = c.indicator AND r.period = c.period AND r.region = c.region"""
        cols = ", ".join(columns) if columns else "*"
        return f"SELECT {cols} FROM ({current_sql(where)}) c"

    def current(
        self,
        conn=None,
        *,
        as_of=None,
        include_demo: bool = True,
        indicators: list[str] | None = None,
        columns: list[str] | None = None,
        real_versions: bool = False,
        frame: bool = False,
    ):
        """Current rows as known on `as_of` (None = now), as Arrow (or pandas with `frame=True`).

        `columns` among OBS_COLUMNS, loaded_at, user_name, origin, versions (an allow-list); `real_versions`
        adds how many real versions each key has; `indicators` restricts to those codes.
        """
        allowed = {*OBS_COLUMNS, "loaded_at", "user_name", "origin", "versions"}
        if columns and not set(columns) <= allowed:
            raise ValueError(f"not columns of current values: {set(columns) - allowed}")
        sql = self._current_query(
            include_demo=include_demo,
            indicators=indicators is not None,
            real_versions=real_versions,
            columns=columns,
        )
        params = {"cutoff": as_of_cutoff(as_of)}
        if indicators is not None:
            # An empty list has no element type in DuckDB: a code no indicator has selects nothing the same.
            params["inds"] = list(indicators) or [""]
        with self.using(conn) as conn:
            out = (
                self.read_frame(conn, sql, params) if frame else self.read_arrow(conn, sql, params)
            )
        if not columns and not real_versions:
            out = out.drop(columns=["rn"]) if frame else out.drop_columns(["rn"])
        return out

    def against_current(
        self, conn, template: str, params: dict, *, include_demo: bool = True, as_of=None
    ) -> list[tuple]:
        """Rows of a fixed query that joins the current values, written `({current})` in `template` (a
        developer's SQL, never data); values bound from `params` (and :cutoff from `as_of`)."""
        where = "" if include_demo else "AND NOT o.demo"
        sql = template.format(current=current_sql(where))
        return self.execute(conn, sql, {**params, "cutoff": as_of_cutoff(as_of)})

    def current_observations(self, as_of=None, *, include_demo: bool = True):
        """Current rows as a pandas DataFrame (see `current`)."""
        return self.current(as_of=as_of, include_demo=include_demo, frame=True)

    def current_for_keys(self, conn, keys: list[pa.Table]) -> pa.Table:
        """Current real (non-DEMO) value and batch of each key (indicator, period, region; a null region is
        national) present in `keys`, read inside the caller's transaction (CURRENT_FOR_KEYS_SCHEMA)."""
        raise NotImplementedError

    _CURRENT_FOR_KEYS = """
        SELECT c.indicator, c.period, c.region, c.value AS old_value, c.batch_id AS old_batch_id
        FROM ({current}) c
        WHERE EXISTS (SELECT 1 FROM _marsad_keys k
                      WHERE k.indicator = c.indicator AND k.period = c.period AND k.region = c.region)
    """

    def _current_for_keys_sql(self) -> str:
        current = current_sql(
            "AND NOT o.demo AND o.indicator IN (SELECT DISTINCT indicator FROM _marsad_keys)"
        )
        return self._CURRENT_FOR_KEYS.format(current=current)

    _current_schema = CURRENT_FOR_KEYS_SCHEMA

    def current_batch_of(self, conn, indicator: str, period: str, region: str) -> int | None:
        """The batch whose value of this key is current now (None: no current value)."""
        rows = self.execute(
            conn,
            f"SELECT batch_id FROM ({current_sql()}) c"
            " WHERE c.indicator = :indicator AND c.period = :period AND c.region = :region",
            {"indicator": indicator, "period": period, "region": region, "cutoff": None},
        )
        return rows[0][0] if rows else None

    def undo_batch(
        self, conn, batch_id: int, *, user: str, now: dt.datetime
    ) -> tuple[int, int, int, int]:
        """Mark a batch undone; (values it holds, of them current before, kept, restored) after the undo."""
        params = {"batch_id": batch_id, "cutoff": None}
        n_values, n_current = self.execute(
            conn, _UNDO_BEFORE.format(current=current_sql()), params
        )[0]
        self.execute(
            conn,
            "UPDATE batch SET undone_at = :now, undone_by = :user WHERE batch_id = :batch_id AND undone_at IS NULL",
            {"now": now, "user": user, "batch_id": batch_id},
        )
        kept, restored = self.execute(conn, _UNDO_AFTER.format(current=current_sql()), params)[0]
        return int(n_values), int(n_current), int(kept or 0), int(restored or 0)
